import { z } from 'zod';
import {
  goalCreateSchema,
  goalListQuerySchema,
  goalPatchSchema,
  goalTransitionSchema,
  idParamsSchema,
  measureCreateSchema,
  measurePatchSchema,
  needsQuerySchema,
  processValueSchema,
  snapshotBodySchema,
} from '../steering/steering.schema.ts';
import { listAreasQuerySchema } from '../areas/areas.schema.ts';
import {
  changePasswordBodySchema,
  createUserInputSchema,
  loginBodySchema,
  sessionIdSchema,
  updateUserBodySchema,
  userIdSchema,
} from '../auth/auth.schema.ts';
import {
  coverageQuerySchema,
  gapsQuerySchema,
  profileParamsSchema,
  profileQuerySchema,
  scenarioBodySchema,
} from '../coverage/coverage.schema.ts';
import { completenessQuerySchema } from '../coverage/coverage-completeness.schema.ts';
import { createDepartmentSchema } from '../departments/departments.schema.ts';
import { geocodeQuerySchema, streetsQuerySchema, suggestQuerySchema } from '../geocoding/geocoding.schema.ts';
import { hsdsListQuerySchema } from '../hsds/hsds.schema.ts';
import { collectionParamsSchema, featureParamsSchema, featureQuerySchema, formatQuerySchema, itemsQuerySchema } from '../ogc/ogc.schema.ts';
import { areaLevelParamsSchema, areaTileParamsSchema, offerTileQuerySchema, tileParamsSchema } from '../tiles/tiles.schema.ts';
import {
  bulkPublishBodySchema,
  exportQuerySchema,
  importQuerySchema,
  listOffersQuerySchema,
  offerCreateSchema,
  offerIdSchema,
  offerPatchSchema,
  restoreVersionBodySchema,
} from '../offers/offers.schema.ts';
import { createOrganizationSchema, listOrganizationsQuerySchema } from '../organizations/organizations.schema.ts';
import { offerIdParamsSchema, searchQuerySchema } from '../search/search.schema.ts';

type JsonSchema = Record<string, unknown>;

interface OperationSpec {
  method: 'get' | 'post' | 'patch' | 'delete';
  path: string;
  tag: string;
  summary: string;
  description?: string;
  query?: z.ZodType;
  params?: z.ZodType;
  body?: z.ZodType;
  bodyContentTypes?: string[];
  /** Content type of the success response. */
  returns?: 'json' | 'geojson' | 'file';
  success?: number;
  ifMatch?: boolean;
  stateChanging?: boolean;
  errors?: number[];
  /**
   * Expensive work (issue 11): `rate` — anonymous callers are limited per address (429 with
   * Retry-After); `queue` — the bounded work queue refuses when full (503 with Retry-After).
   */
  limits?: ReadonlyArray<'rate' | 'queue'>;
}

function toJsonSchema(schema: z.ZodType): JsonSchema {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' }) as JsonSchema;
  delete json.$schema;
  return json;
}

function parametersOf(schema: z.ZodType | undefined, location: 'query' | 'path'): JsonSchema[] {
  if (!schema) return [];
  const json = toJsonSchema(schema);
  const properties = (json.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((json.required ?? []) as string[]);
  return Object.entries(properties).map(([name, property]) => ({
    name,
    in: location,
    required: location === 'path' || required.has(name),
    ...(typeof property.description === 'string' ? { description: property.description } : {}),
    schema: property,
  }));
}

const problemResponse = (description: string, retryAfter?: string) => ({
  description,
  ...(retryAfter ? { headers: { 'Retry-After': { description: retryAfter, schema: { type: 'integer', minimum: 1 } } } } : {}),
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
});

/** The answers every route may give when it must refuse for now, and when Retry-After comes with them. */
function refusalResponses(spec: OperationSpec): Record<string, unknown> {
  const limits = spec.limits ?? [];
  const responses: Record<string, unknown> = {};
  if (limits.includes('rate') || spec.errors?.includes(429)) {
    responses['429'] = problemResponse(
      limits.includes('rate') ? 'Too many analyses from this address (anonymous callers; signed-in staff are not counted)' : errorDescriptions[429]!,
      'Seconds until a new attempt may succeed',
    );
  }
  // Any route may meet an unavailable database or full storage (the session lookup reads the
  // database for every /api request); queued routes also answer 503 when the work queue is full.
  responses['503'] = problemResponse(
    limits.includes('queue')
      ? 'The bounded work queue is full (code server_busy, with Retry-After), or the database or its storage is unavailable'
      : 'The database or its storage is unavailable (codes database_unavailable, disk_full, storage_read_only, query_timeout)',
    limits.includes('queue') ? 'Seconds until the queue is likely to admit the request (sent with server_busy)' : undefined,
  );
  return responses;
}

const errorDescriptions: Record<number, string> = {
  400: 'Invalid input: the problem names each field and the reason',
  401: 'Sign-in required',
  403: 'Not allowed for this role or department',
  404: 'Not found',
  409: 'Conflict with the current state',
  412: 'Stale version: the body carries the current state',
  428: 'If-Match header required',
  429: 'Too many attempts',
  503: 'Unavailable for now',
};

const userParamsSchema = z.strictObject({ id: userIdSchema });
const sessionParamsSchema = z.strictObject({ id: userIdSchema, sessionId: sessionIdSchema });

const operations: OperationSpec[] = [
  { method: 'get', path: '/api/health', tag: 'operations', summary: 'Status and database backend (PostgreSQL/PostGIS versions for administrators only); an embedded database running a long statement is reported as busy' },
  { method: 'get', path: '/api/config', tag: 'operations', summary: 'City, map extent, data attributions, data status and basemap' },
  { method: 'get', path: '/api/openapi.json', tag: 'operations', summary: 'This description (OpenAPI 3.1)' },
  { method: 'get', path: '/api/datasets', tag: 'data', summary: 'Dataset manifests with licence, attribution and whether the file is present' },
  { method: 'get', path: '/api/cities', tag: 'data', summary: 'The cities of this database, the one this portal serves marked current, with the address of each city\'s portal where its profile names one' },
  { method: 'get', path: '/api/areas', tag: 'areas', summary: 'Areas (city, districts, Sozialräume, quarters) as GeoJSON', query: listAreasQuerySchema, returns: 'geojson', errors: [400] },
  { method: 'get', path: '/api/departments', tag: 'offers', summary: 'Departments (Ämter) that own offer records' },
  { method: 'post', path: '/api/departments', tag: 'offers', summary: 'Create a department (administrators)', body: createDepartmentSchema, stateChanging: true, success: 201, errors: [400, 401, 403, 409] },
  { method: 'get', path: '/api/organizations', tag: 'offers', summary: 'Providers (Träger) whose name contains q, those starting with it first (id, name, website)', query: listOrganizationsQuerySchema, errors: [400] },
  { method: 'post', path: '/api/organizations', tag: 'offers', summary: 'Create a provider (Träger; administrators and editors)', body: createOrganizationSchema, stateChanging: true, success: 201, errors: [400, 401, 403, 409] },
  { method: 'get', path: '/api/taxonomies', tag: 'offers', summary: 'Offer types, target groups, fields of action and accessibility features (German and English labels)' },
  { method: 'get', path: '/api/auth/session', tag: 'auth', summary: 'The signed-in user (or none) and the CSRF token for state-changing requests' },
  { method: 'post', path: '/api/auth/login', tag: 'auth', summary: 'Sign in with e-mail and password; sets the session cookie', body: loginBodySchema, stateChanging: true, errors: [400, 401, 429] },
  { method: 'post', path: '/api/auth/logout', tag: 'auth', summary: 'Sign out', stateChanging: true, success: 204 },
  { method: 'post', path: '/api/auth/users', tag: 'auth', summary: 'Create a user (administrators)', body: createUserInputSchema, stateChanging: true, success: 201, errors: [400, 401, 403, 409] },
  { method: 'post', path: '/api/auth/password', tag: 'auth', summary: 'Change your own password (the current one required); every session ends, the answer is a new one', body: changePasswordBodySchema, stateChanging: true, errors: [400, 401, 429] },
  { method: 'get', path: '/api/users', tag: 'auth', summary: 'Accounts with role, department, state and live sessions (administrators)', errors: [401, 403] },
  { method: 'patch', path: '/api/users/{id}', tag: 'auth', summary: 'Change role, department or disabled state (administrators); the account’s sessions end', params: userParamsSchema, body: updateUserBodySchema, stateChanging: true, errors: [400, 401, 403, 404, 409] },
  { method: 'post', path: '/api/users/{id}/password-reset', tag: 'auth', summary: 'A new random password, shown once in the answer (administrators); the account’s sessions end', params: userParamsSchema, stateChanging: true, errors: [400, 401, 403, 404] },
  { method: 'get', path: '/api/users/{id}/sessions', tag: 'auth', summary: 'Live sessions of an account (your own, or any as administrator)', params: userParamsSchema, errors: [400, 401, 403, 404] },
  { method: 'delete', path: '/api/users/{id}/sessions', tag: 'auth', summary: 'End every session of an account', params: userParamsSchema, stateChanging: true, errors: [400, 401, 403, 404] },
  { method: 'delete', path: '/api/users/{id}/sessions/{sessionId}', tag: 'auth', summary: 'End one session', params: sessionParamsSchema, stateChanging: true, success: 204, errors: [400, 401, 403, 404] },
  { method: 'get', path: '/api/offers', tag: 'offers', summary: 'List offers with filters, sort and paging (anonymous: published and active only)', query: listOffersQuerySchema, errors: [400] },
  { method: 'post', path: '/api/offers', tag: 'offers', summary: 'Create an offer', body: offerCreateSchema, stateChanging: true, success: 201, errors: [400, 401, 403] },
  { method: 'get', path: '/api/offers/export', tag: 'offers', summary: 'Export offers as CSV, GeoJSON or HSDS 3.1 JSON', query: exportQuerySchema, returns: 'file', errors: [400] },
  { method: 'post', path: '/api/offers/import', tag: 'offers', summary: 'Import offers from CSV, GeoJSON or HSDS JSON: dry run first, then confirm with the reported checksum (all or nothing)', query: importQuerySchema, bodyContentTypes: ['text/csv', 'application/geo+json', 'application/json'], stateChanging: true, errors: [400, 401, 403, 409], limits: ['queue'] },
  { method: 'post', path: '/api/offers/publish', tag: 'offers', summary: 'Publish several drafts at once, each with the version you read: all of them or none (refusals listed per offer)', body: bulkPublishBodySchema, stateChanging: true, errors: [400, 401, 403, 404, 409, 412] },
  { method: 'get', path: '/api/offers/{id}', tag: 'offers', summary: 'One offer; the ETag is its version', params: offerIdSchema, errors: [404] },
  { method: 'patch', path: '/api/offers/{id}', tag: 'offers', summary: 'Change an offer (If-Match with the version you read)', params: offerIdSchema, body: offerPatchSchema, ifMatch: true, stateChanging: true, errors: [400, 401, 403, 404, 412, 428] },
  ...(['archive', 'restore', 'publish', 'unpublish', 'verify'] as const).map(
    (action): OperationSpec => ({
      method: 'post',
      path: `/api/offers/{id}/${action}`,
      tag: 'offers',
      summary: `${action[0]!.toUpperCase()}${action.slice(1)} an offer`,
      params: offerIdSchema,
      ifMatch: true,
      stateChanging: true,
      errors: [401, 403, 404, 409, 412, 428],
    }),
  ),
  { method: 'get', path: '/api/offers/{id}/history', tag: 'offers', summary: 'Audit events of an offer with field diffs', params: offerIdSchema, errors: [401, 403, 404] },
  { method: 'post', path: '/api/offers/{id}/restore-version', tag: 'offers', summary: 'Restore an earlier version (a new change with its own audit event)', params: offerIdSchema, body: restoreVersionBodySchema, ifMatch: true, stateChanging: true, errors: [400, 401, 403, 404, 412, 428] },
  { method: 'get', path: '/api/geocode', tag: 'search', summary: 'Local address geocoder (street + house number, Stadtteil, quarter)', query: geocodeQuerySchema, errors: [400] },
  { method: 'get', path: '/api/geocode/suggest', tag: 'search', summary: 'Address suggestions while typing', query: suggestQuerySchema, errors: [400] },
  { method: 'get', path: '/api/geocode/streets', tag: 'search', summary: 'Street lines in a small bounding box, for the offline map', query: streetsQuerySchema, returns: 'geojson', errors: [400] },
  { method: 'get', path: '/api/search', tag: 'search', summary: 'Offers at locations near a point or address, sorted by distance, with opening state', query: searchQuerySchema, errors: [400] },
  { method: 'get', path: '/api/search/options', tag: 'search', summary: 'Filter options for the citizen search' },
  { method: 'get', path: '/api/search/offers/{id}', tag: 'search', summary: 'Public detail of a published offer', params: offerIdParamsSchema, errors: [400, 404] },
  { method: 'get', path: '/api/coverage', tag: 'coverage', summary: 'Coverage indicators per Sozialraum, district and city, with method metadata', query: coverageQuerySchema, errors: [400], limits: ['rate', 'queue'] },
  { method: 'get', path: '/api/coverage/completeness', tag: 'coverage', summary: 'Completeness of the inventory per offer type and area: records, sources with data dates and known gaps, verification', query: completenessQuerySchema, errors: [400] },
  { method: 'get', path: '/api/coverage/gaps', tag: 'coverage', summary: 'Uncovered demand as GeoJSON, ranked by target residents', query: gapsQuerySchema, returns: 'geojson', errors: [400], limits: ['rate', 'queue'] },
  { method: 'post', path: '/api/coverage/scenario', tag: 'coverage', summary: 'What-if: indicators with and without hypothetical offers', body: scenarioBodySchema, errors: [400], limits: ['rate', 'queue'] },
  { method: 'get', path: '/api/coverage/areas/{areaId}/profile', tag: 'coverage', summary: 'Area profile: population time series, offers, indicators against the city', params: profileParamsSchema, query: profileQuerySchema, errors: [400, 404], limits: ['rate', 'queue'] },
  { method: 'get', path: '/api/steering/goals', tag: 'steering', summary: 'Goals (staff; drafts included) filtered by field of action, department, area, target group, status', query: goalListQuerySchema, errors: [400, 401] },
  { method: 'post', path: '/api/steering/goals', tag: 'steering', summary: 'Create a goal (planners, administrators)', body: goalCreateSchema, stateChanging: true, success: 201, errors: [400, 401, 403] },
  { method: 'get', path: '/api/steering/goals/{id}', tag: 'steering', summary: 'One goal; the ETag is its version', params: idParamsSchema, errors: [401, 404] },
  { method: 'patch', path: '/api/steering/goals/{id}', tag: 'steering', summary: 'Change a goal (an adopted goal keeps key figure, baseline and areas)', params: idParamsSchema, body: goalPatchSchema, ifMatch: true, stateChanging: true, errors: [400, 401, 403, 404, 409, 412, 428] },
  { method: 'post', path: '/api/steering/goals/{id}/status', tag: 'steering', summary: 'Adopt, complete or drop a goal (administrators)', params: idParamsSchema, body: goalTransitionSchema, ifMatch: true, stateChanging: true, errors: [400, 401, 403, 404, 409, 412, 428] },
  { method: 'get', path: '/api/steering/goals/{id}/history', tag: 'steering', summary: 'Audit events of a goal with field diffs (also snapshots and process figures)', params: idParamsSchema, errors: [401, 404] },
  { method: 'get', path: '/api/steering/goals/{id}/figure', tag: 'steering', summary: 'The goal\'s figure now, per area', params: idParamsSchema, errors: [401, 404], limits: ['queue'] },
  { method: 'get', path: '/api/steering/goals/{id}/needs', tag: 'steering', summary: 'Gap per area; for coverage goals the uncovered residents and suggested locations (greedy maximal coverage)', params: idParamsSchema, query: needsQuerySchema, errors: [400, 401, 404], limits: ['queue'] },
  { method: 'get', path: '/api/steering/goals/{id}/tracking', tag: 'steering', summary: 'Monthly snapshots, status and measures of a goal', params: idParamsSchema, errors: [401, 404] },
  { method: 'get', path: '/api/steering/goals/{id}/offers', tag: 'steering', summary: 'The offers behind a coverage figure: its supply located in the goal\'s areas', params: idParamsSchema, errors: [401, 404] },
  { method: 'get', path: '/api/steering/indicators', tag: 'steering', summary: 'Indicators a statistics goal can name, with labels and unit (staff)', errors: [401] },
  { method: 'get', path: '/api/steering/goals/{id}/process-values', tag: 'steering', summary: 'Hand-entered monthly process figures of a goal', params: idParamsSchema, errors: [401, 404] },
  { method: 'post', path: '/api/steering/goals/{id}/process-values', tag: 'steering', summary: 'Enter (or correct) a monthly process figure with its source', params: idParamsSchema, body: processValueSchema, stateChanging: true, success: 201, errors: [400, 401, 403, 404, 409] },
  { method: 'get', path: '/api/steering/measures', tag: 'steering', summary: 'Measures, by goal (goal=) or department (department=)', errors: [401] },
  { method: 'post', path: '/api/steering/measures', tag: 'steering', summary: 'Create a measure (editors for their department and its goals; planners, administrators)', body: measureCreateSchema, stateChanging: true, success: 201, errors: [400, 401, 403] },
  { method: 'get', path: '/api/steering/measures/{id}', tag: 'steering', summary: 'One measure with milestones', params: idParamsSchema, errors: [401, 404] },
  { method: 'patch', path: '/api/steering/measures/{id}', tag: 'steering', summary: 'Change a measure', params: idParamsSchema, body: measurePatchSchema, ifMatch: true, stateChanging: true, errors: [400, 401, 403, 404, 412, 428] },
  { method: 'get', path: '/api/steering/measures/{id}/history', tag: 'steering', summary: 'Audit events of a measure', params: idParamsSchema, errors: [401, 404] },
  { method: 'get', path: '/api/steering/measures/{id}/effect', tag: 'steering', summary: 'Expected effect of the planned offer on each coverage goal (what-if engine)', params: idParamsSchema, errors: [401, 404, 409], limits: ['queue'] },
  { method: 'post', path: '/api/steering/measures/{id}/open', tag: 'steering', summary: 'Open the planned offer: it becomes a real draft offer of the measure\'s department', params: idParamsSchema, ifMatch: true, stateChanging: true, errors: [400, 401, 403, 404, 409, 412, 428] },
  { method: 'post', path: '/api/steering/snapshots', tag: 'steering', summary: 'Take the current month\'s missing snapshots now (planners, administrators)', body: snapshotBodySchema, stateChanging: true, errors: [400, 401, 403], limits: ['queue'] },
  { method: 'get', path: '/api/steering/dashboard', tag: 'steering', summary: 'Goals per field of action with status, monthly series, measures due and overdue (staff)', query: goalListQuerySchema, errors: [400, 401] },
  { method: 'get', path: '/api/steering/public/dashboard', tag: 'steering', summary: 'Adopted and achieved goals per field of action, for everyone', query: goalListQuerySchema, errors: [400] },
  { method: 'get', path: '/api/steering/public/goals/{id}/offers', tag: 'steering', summary: 'The offers behind an adopted or achieved coverage goal, for everyone', params: idParamsSchema, errors: [404] },
  { method: 'get', path: '/api/steering/public/goals/{id}', tag: 'steering', summary: 'One adopted or achieved goal with its monthly values and measures, for everyone', params: idParamsSchema, errors: [404] },
  { method: 'get', path: '/api/hsds', tag: 'hsds', summary: 'HSDS 3.1 API root' },
  { method: 'get', path: '/api/hsds/profile', tag: 'hsds', summary: 'The HSDS-DE profile in brief (docs/hsds-de-profile.md)' },
  { method: 'get', path: '/api/hsds/services', tag: 'hsds', summary: 'HSDS services (published offers); format=ndjson streams all of them', query: hsdsListQuerySchema, errors: [400] },
  { method: 'get', path: '/api/hsds/services/{id}', tag: 'hsds', summary: 'One HSDS service', params: offerIdParamsSchema, errors: [400, 404] },
  { method: 'get', path: '/api/hsds/service_at_locations', tag: 'hsds', summary: 'HSDS service_at_location records, paged by location; nearest first with lat/lon, within proximity metres', query: hsdsListQuerySchema, errors: [400] },
  { method: 'get', path: '/api/hsds/service_at_locations/{id}', tag: 'hsds', summary: 'One HSDS service_at_location', params: offerIdParamsSchema, errors: [400, 404] },
  { method: 'get', path: '/api/hsds/organizations', tag: 'hsds', summary: 'HSDS organizations: providers of published offers', query: hsdsListQuerySchema, errors: [400] },
  { method: 'get', path: '/api/hsds/organizations/{id}', tag: 'hsds', summary: 'One HSDS organization with its services (full with full_service=true)', params: offerIdParamsSchema, query: hsdsListQuerySchema, errors: [400, 404] },
  { method: 'get', path: '/api/hsds/taxonomies', tag: 'hsds', summary: 'HSDS taxonomies' },
  { method: 'get', path: '/api/hsds/taxonomy_terms', tag: 'hsds', summary: 'HSDS taxonomy terms' },
  { method: 'get', path: '/api/ogc', tag: 'ogc', summary: 'OGC API – Features landing page (JSON or HTML)', query: formatQuerySchema, errors: [400] },
  { method: 'get', path: '/api/ogc/api', tag: 'ogc', summary: 'The OGC API\'s own OpenAPI 3.0 description' },
  { method: 'get', path: '/api/ogc/conformance', tag: 'ogc', summary: 'Conformance classes claimed', query: formatQuerySchema, errors: [400] },
  { method: 'get', path: '/api/ogc/collections', tag: 'ogc', summary: 'Collections: offers, areas per level, statistics per indicator, coverage and gaps per offer type', query: formatQuerySchema, errors: [400] },
  { method: 'get', path: '/api/ogc/collections/{collectionId}', tag: 'ogc', summary: 'One collection', params: collectionParamsSchema, query: formatQuerySchema, errors: [400, 404] },
  { method: 'get', path: '/api/ogc/collections/{collectionId}/queryables', tag: 'ogc', summary: 'What a filter may name (JSON Schema)', params: collectionParamsSchema, query: formatQuerySchema, errors: [400, 404] },
  { method: 'get', path: '/api/ogc/collections/{collectionId}/items', tag: 'ogc', summary: 'A page of features (GeoJSON); queryables may be given as parameters, filters as CQL2 text', params: collectionParamsSchema, query: itemsQuerySchema, returns: 'geojson', errors: [400, 404], limits: ['rate', 'queue'] },
  { method: 'get', path: '/api/ogc/collections/{collectionId}/items/{featureId}', tag: 'ogc', summary: 'One feature (GeoJSON)', params: featureParamsSchema, query: featureQuerySchema, errors: [400, 404], limits: ['rate', 'queue'] },
  { method: 'get', path: '/api/tiles/offers.json', tag: 'tiles', summary: 'TileJSON of the offers layer', query: offerTileQuerySchema, errors: [400] },
  { method: 'get', path: '/api/tiles/offers/{z}/{x}/{y}.pbf', tag: 'tiles', summary: 'Vector tile (MVT) of the public offers, clustered below zoom 14', params: tileParamsSchema, query: offerTileQuerySchema, errors: [400] },
  { method: 'get', path: '/api/tiles/areas-{level}.json', tag: 'tiles', summary: 'TileJSON of an area level', params: areaLevelParamsSchema, errors: [400] },
  { method: 'get', path: '/api/tiles/areas-{level}/{z}/{x}/{y}.pbf', tag: 'tiles', summary: 'Vector tile (MVT) of the areas of a level', params: areaTileParamsSchema, errors: [400] },
  { method: 'get', path: '/api/tiles/streets.json', tag: 'tiles', summary: 'TileJSON of the streets layer', errors: [400] },
  { method: 'get', path: '/api/tiles/streets/{z}/{x}/{y}.pbf', tag: 'tiles', summary: 'Vector tile (MVT) of the street segments (from zoom 13; empty below)', params: tileParamsSchema, errors: [400] },
];

function operationObject(spec: OperationSpec): JsonSchema {
  const parameters = [...parametersOf(spec.params, 'path'), ...parametersOf(spec.query, 'query')];
  if (spec.ifMatch) {
    parameters.push({ name: 'If-Match', in: 'header', required: true, description: 'The ETag (version) you read', schema: { type: 'string' } });
  }
  if (spec.stateChanging) {
    parameters.push({ name: 'X-CSRF-Token', in: 'header', required: spec.path !== '/api/auth/login', description: 'From GET /api/auth/session', schema: { type: 'string' } });
  }
  const successContent =
    spec.returns === 'geojson'
      ? { 'application/geo+json': { schema: { $ref: '#/components/schemas/FeatureCollection' } } }
      : spec.returns === 'file'
        ? { 'text/csv': { schema: { type: 'string' } }, 'application/geo+json': { schema: { type: 'object' } }, 'application/json': { schema: { type: 'object' } } }
        : { 'application/json': { schema: { type: 'object' } } };
  const responses: Record<string, unknown> = {
    [String(spec.success ?? 200)]: spec.success === 204 ? { description: 'Done' } : { description: 'Success', content: successContent },
  };
  for (const status of spec.errors ?? []) responses[String(status)] = problemResponse(errorDescriptions[status] ?? 'Error');
  Object.assign(responses, refusalResponses(spec));
  responses.default = problemResponse('Unexpected error (problem+json without internals)');
  const operation: JsonSchema = {
    operationId: `${spec.method}${spec.path.replace(/[{}]/g, '').replace(/[^A-Za-z0-9]+(.)?/g, (_match, next: string | undefined) => (next ? next.toUpperCase() : ''))}`,
    tags: [spec.tag],
    summary: spec.summary,
    ...(spec.description ? { description: spec.description } : {}),
    ...(parameters.length > 0 ? { parameters } : {}),
    responses,
  };
  if (spec.body) {
    operation.requestBody = { required: true, content: { 'application/json': { schema: toJsonSchema(spec.body) } } };
  } else if (spec.bodyContentTypes) {
    operation.requestBody = {
      required: true,
      content: Object.fromEntries(spec.bodyContentTypes.map((type) => [type, { schema: { type: type === 'text/csv' ? 'string' : 'object' } }])),
    };
  }
  return operation;
}

/** The OpenAPI 3.1 description, built from the same zod schemas that validate the requests. */
export function buildOpenApiDocument(version: string): JsonSchema {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const spec of operations) {
    paths[spec.path] ??= {};
    paths[spec.path]![spec.method] = operationObject(spec);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Angebotsatlas API',
      version,
      description:
        'Social offers, Sozialräume, statistics and coverage. Errors are application/problem+json (RFC 9457) with a stable code; see docs/errors.md. Geometry is GeoJSON (RFC 7946) in EPSG:4326.',
      license: { name: 'AGPL-3.0-or-later', identifier: 'AGPL-3.0-or-later' },
    },
    servers: [{ url: '/' }],
    tags: ['operations', 'data', 'areas', 'offers', 'auth', 'search', 'coverage', 'steering', 'hsds', 'ogc', 'tiles'].map((name) => ({ name })),
    paths,
    components: {
      securitySchemes: {
        session: {
          type: 'apiKey',
          in: 'cookie',
          name: 'angebotsatlas_session',
          description: 'Over https the cookie is named __Host-angebotsatlas_session (Secure, Path=/, no Domain).',
        },
      },
      schemas: {
        Problem: {
          type: 'object',
          required: ['type', 'title', 'status', 'detail', 'code'],
          properties: {
            type: { type: 'string' },
            title: { type: 'string' },
            status: { type: 'integer' },
            detail: { type: 'string' },
            code: { type: 'string' },
            instance: { type: 'string' },
            requestId: { type: 'string' },
            errors: {
              type: 'array',
              items: {
                type: 'object',
                required: ['field', 'code', 'message'],
                properties: { field: { type: 'string' }, code: { type: 'string' }, message: { type: 'string' } },
              },
            },
          },
        },
        FeatureCollection: {
          type: 'object',
          required: ['type', 'features'],
          properties: { type: { const: 'FeatureCollection' }, features: { type: 'array', items: { type: 'object' } } },
        },
      },
    },
  };
}

/** Paths of the description in Express notation, for the test that compares them with the app. */
export function describedRoutes(): string[] {
  return operations.map((spec) => `${spec.method.toUpperCase()} ${spec.path.replace(/\{([^}]+)\}/g, ':$1')}`);
}
