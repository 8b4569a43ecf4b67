import fs from 'node:fs';
import path from 'node:path';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import { zodIssuesToFieldErrors } from '../http/parse.ts';
import { streetKey } from '../shared/street-key.ts';
import { checkOpeningHours } from '../shared/opening-hours.ts';
import type { Attribution, CityManifest, ImportKind, OsmManifest } from '../datasets/datasets.schema.ts';
import { registerCity } from '../cities/cities.service.ts';
import type { TaxonomiesService, TermIndex } from '../taxonomies/taxonomies.service.ts';
import { importAreas } from './areas.importer.ts';
import type { ImportContext, ImporterResult } from './import-context.ts';
import { DryRunRollback, ImportIssues, ImportRejectedError } from './import-issues.ts';
import { recordImportRun } from './imports.repo.ts';
import type { ImportReport, WriteCounts } from './imports.schema.ts';
import { ImportSetupError } from './imports.service.ts';
import { importOffers } from './offers.importer.ts';
import { extractOsm, type BoundingBox, type OsmExtract, type OsmPointFeature } from './osm-extract.ts';
import {
  archiveMissingOsmOffers,
  buildBoundaryPolygons,
  listOsmImportsInUse,
  replaceAddressPoints,
  replaceOsmSegments,
  setOsmOfferDetails,
  type StagedAddressPointRow,
  type StagedOsmSegmentRow,
} from './osm-import.repo.ts';
import { osmImportRequestSchema, osmOfferMappingSchema, type areaLevelsForOsm, type OsmImportReport, type OsmImportRequest, type OsmOfferMapping, type OsmOfferRule } from './osm-import.schema.ts';
import { OsmFileError, type OsmTags } from './osm-reader.ts';

/** Around the city's box the network is kept too (≈ 1 km), so that walks near the edge find their streets. */
const keepMarginDegrees = 0.01;

/** The attribution every OSM-derived row carries (docs, portal footer): ODbL 1.0. */
export const osmAttribution = '© OpenStreetMap-Mitwirkende, ODbL';

export interface OsmCity {
  id: string;
  name: string;
  /** [west, south, east, north], EPSG:4326 */
  bbox: [number, number, number, number];
  /** The German state for public holidays in opening hours ("BY"); optional for cities abroad. */
  holidayState?: string;
}

export interface OsmImportOptions {
  city: OsmCity;
  request: OsmImportRequest;
  dryRun?: boolean;
  actor?: string;
  onProgress?: (message: string) => void;
}

export interface OsmImportService {
  run(filePath: string, options: OsmImportOptions): Promise<OsmImportReport>;
}

/** The `source` of every row an OSM import of this city writes (per offer rule for offers). */
export function osmSource(cityId: string, part?: string): string {
  return (part ? `osm-${cityId}-${part}` : `osm-${cityId}`).slice(0, 80);
}

function matcher(rule: OsmOfferRule): (tags: OsmTags) => boolean {
  const entries = Object.entries(rule.match).map(([key, value]) => [key, Array.isArray(value) ? value : [value]] as const);
  return (tags) =>
    entries.every(([key, values]) => {
      const found = tags[key];
      if (found === undefined) return false;
      return values.includes('*') || found.split(';').some((part) => values.includes(part.trim()));
    });
}

/** The tags an offer mapping reads, with the `contact:*` spellings folded in. */
function offerProperties(tags: OsmTags): Record<string, string> {
  return {
    ...tags,
    ...(tags.phone ?? tags['contact:phone'] ? { phone: (tags.phone ?? tags['contact:phone'])!.split(';')[0]!.trim() } : {}),
    ...(tags.website ?? tags['contact:website'] ? { website: (tags.website ?? tags['contact:website'])! } : {}),
    ...(tags.email ?? tags['contact:email'] ? { email: (tags.email ?? tags['contact:email'])! } : {}),
  };
}

function areaCode(tags: OsmTags, relationId: number): string {
  for (const candidate of [tags['ISO3166-2'], tags.ref]) {
    if (candidate && /^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$/.test(candidate)) return candidate;
  }
  return `osm-r${relationId}`;
}

function overlaps(a: BoundingBox, b: BoundingBox): boolean {
  return a[0] <= b[2] && a[2] >= b[0] && a[1] <= b[3] && a[3] >= b[1];
}

function formatBox(box: BoundingBox): string {
  return box.map((value) => value.toFixed(3)).join(', ');
}


interface RunPart {
  kind: ImportKind;
  dataset: string;
  rowsRead: number;
  rowsAccepted: number;
  tables: Record<string, WriteCounts>;
}

/** One import in progress: what it was asked, and what its steps have written and found so far. */
interface OsmRun {
  filePath: string;
  options: OsmImportOptions;
  started: number;
  /** The city's box widened by the keep margin. */
  keepBox: BoundingBox;
  rules: OsmOfferRule[];
  matchers: Array<(tags: OsmTags) => boolean>;
  issues: ImportIssues;
  tables: Record<string, WriteCounts>;
  disappeared: OsmImportReport['disappeared'];
  parts: RunPart[];
}

function startRun(filePath: string, options: OsmImportOptions): OsmRun {
  const { bbox } = options.city;
  const rules = options.request.offers?.rules ?? [];
  return {
    filePath,
    options,
    started: Date.now(),
    keepBox: [bbox[0] - keepMarginDegrees, bbox[1] - keepMarginDegrees, bbox[2] + keepMarginDegrees, bbox[3] + keepMarginDegrees],
    rules,
    matchers: rules.map(matcher),
    issues: new ImportIssues(),
    tables: {},
    disappeared: [],
    parts: [],
  };
}

function runReport(run: OsmRun, status: OsmImportReport['status'], elementsRead: number): OsmImportReport {
  return {
    city: run.options.city.id,
    file: run.filePath,
    status,
    elementsRead,
    tables: status === 'failed' ? {} : run.tables,
    disappeared: status === 'failed' ? [] : run.disappeared,
    errors: run.issues.errors,
    warnings: run.issues.warnings,
    durationMs: Date.now() - run.started,
  };
}

/** Reads the file (osm-extract.ts); an unreadable file or one of another region is an error, and nothing is written. */
async function extractFor(run: OsmRun): Promise<{ extract: OsmExtract; ok: boolean }> {
  const { city, request } = run.options;
  let extract: OsmExtract;
  try {
    extract = await extractOsm(run.filePath, {
      addresses: request.addresses,
      network: request.network,
      offerFilters: run.matchers,
      adminLevel: request.areas?.adminLevel ?? null,
      bbox: run.keepBox,
      onProgress: (pass, elements) => run.options.onProgress?.(`reading ${pass}: ${elements.toLocaleString('en')} elements`),
    });
  } catch (error) {
    if (!(error instanceof OsmFileError)) throw error;
    run.issues.error({ code: 'unreadable_file', message: error.message });
    return { extract: emptyExtract, ok: false };
  }
  if (extract.nodesInside === 0) {
    run.issues.error({
      field: 'city',
      code: 'outside_city',
      message: extract.fileBounds
        ? `The file covers ${formatBox(extract.fileBounds)} (west, south, east, north), which ${overlaps(extract.fileBounds, run.keepBox) ? 'has no node inside' : 'does not overlap'} ${city.name} (${formatBox(city.bbox)}): is it the extract of another region?`
        : 'The file holds no nodes.',
    });
    return { extract, ok: false };
  }
  if (extract.waysWithMissingNodes > 0) {
    run.issues.warning({ code: 'clipped_ways', message: `${extract.waysWithMissingNodes} way(s) reach beyond the extract; their parts inside it were kept.` });
  }
  return { extract, ok: true };
}

const emptyExtract: OsmExtract = {
  addresses: [],
  segments: [],
  offers: [],
  boundaries: [],
  elementsRead: 0,
  nodesInside: 0,
  nodesTotal: 0,
  fileBounds: null,
  waysWithMissingNodes: 0,
  skippedOutside: { addresses: 0, segments: 0, offers: 0 },
};

async function writeNetwork(trx: Knex.Transaction, run: OsmRun, extract: OsmExtract): Promise<void> {
  const cityId = run.options.city.id;
  const rows = segmentRows(extract);
  const counts = await replaceOsmSegments(trx, cityId, osmSource(cityId), rows, (done) => run.options.onProgress?.(`network: ${done}/${rows.length} segments`));
  run.tables.street_segments = counts;
  run.parts.push({ kind: 'street_segments', dataset: `${osmSource(cityId)}-network`, rowsRead: rows.length, rowsAccepted: rows.length, tables: { street_segments: counts } });
}

async function writeAddresses(trx: Knex.Transaction, run: OsmRun, extract: OsmExtract): Promise<void> {
  const cityId = run.options.city.id;
  const rows = addressRows(extract, run.issues);
  const counts = await replaceAddressPoints(trx, cityId, osmSource(cityId), rows, (done) => run.options.onProgress?.(`addresses: ${done}/${rows.length}`));
  run.tables.address_points = counts;
  run.parts.push({ kind: 'street_segments', dataset: `${osmSource(cityId)}-addresses`, rowsRead: extract.addresses.length, rowsAccepted: rows.length, tables: { address_points: counts } });
}

async function writeAreas(run: OsmRun, extract: OsmExtract, level: (typeof areaLevelsForOsm)[number], context: ImportContext): Promise<void> {
  const result = await importBoundaries(context.executor, extract, level, context);
  if (!result) return;
  Object.assign(run.tables, prefixed('areas', result.tables));
  run.parts.push({ kind: 'areas', dataset: context.datasetId, rowsRead: result.rowsRead, rowsAccepted: result.rowsAccepted, tables: result.tables });
}

/** Offers per mapping rule (the first matching rule takes an element); offers of an earlier import that the file no longer has are archived. */
async function writeOffers(
  trx: Knex.Transaction,
  run: OsmRun,
  extract: OsmExtract,
  mapping: OsmOfferMapping,
  contextFor: (source: string, datasetId: string) => ImportContext,
  terms: TermIndex,
): Promise<void> {
  const { city } = run.options;
  const stepFree = terms.byCode('accessibility', 'step_free_entrance')?.id ?? null;
  for (const [position, rule] of run.rules.entries()) {
    const features = extract.offers.filter((offer) => run.matchers.findIndex((match) => match(offer.tags)) === position);
    const source = osmSource(city.id, rule.id);
    const datasetId = `${source}-offers`;
    const result = features.length > 0 ? await importRuleOffers(contextFor(source, datasetId), rule, features, { city, department: mapping.department, stepFreeTermId: stepFree }) : undefined;
    const gone = await archiveMissingOsmOffers(trx, source, features.map((feature) => feature.externalId));
    run.disappeared.push(...gone.map((offer) => ({ rule: rule.id, externalId: offer.externalId, name: offer.name })));
    const ruleTables = { ...(result?.tables ?? {}), offers_archived: { inserted: 0, updated: gone.length, unchanged: 0 } };
    Object.assign(run.tables, prefixed(rule.id, ruleTables));
    run.parts.push({ kind: 'offers', dataset: datasetId, rowsRead: features.length, rowsAccepted: result?.rowsAccepted ?? 0, tables: ruleTables });
  }
}

function contextMaker(run: OsmRun, trx: Knex.Transaction, terms: TermIndex): (source: string, datasetId: string) => ImportContext {
  const { city } = run.options;
  return (source, datasetId) => ({
    executor: trx,
    datasetId,
    cityId: city.id,
    fileName: run.filePath,
    source,
    srid: 4326,
    plausibleBounds: run.keepBox,
    cityName: city.name,
    issues: run.issues,
    terms,
    progress: (phase, done, total) => run.options.onProgress?.(`${datasetId}: ${phase} ${done}/${total}`),
  });
}

/** Every layer the request names, in one transaction: all or nothing. */
async function writeLayers(db: Knex, run: OsmRun, extract: OsmExtract, terms: TermIndex): Promise<OsmImportReport['status']> {
  const { city, request } = run.options;
  let status: OsmImportReport['status'] = 'failed';
  try {
    await db.transaction(async (trx) => {
      const contextFor = contextMaker(run, trx, terms);
      if (request.network) await writeNetwork(trx, run, extract);
      if (request.addresses) await writeAddresses(trx, run, extract);
      if (request.areas) await writeAreas(run, extract, request.areas.level, contextFor(osmSource(city.id), `${osmSource(city.id)}-areas`));
      if (request.offers) await writeOffers(trx, run, extract, request.offers, contextFor, terms);
      if (run.issues.failed) throw new ImportRejectedError(run.issues);
      if (run.options.dryRun) throw new DryRunRollback();
      const startedAt = new Date(run.started);
      for (const part of run.parts) {
        await recordImportRun(trx, { report: partReport(part, run.filePath, run.issues, run.started), kind: part.kind, startedAt, actor: run.options.actor ?? null, cityId: city.id });
      }
      status = 'succeeded';
    });
  } catch (error) {
    if (error instanceof DryRunRollback) return 'dry_run';
    if (error instanceof ImportRejectedError) return 'failed';
    const code = (error as { code?: string }).code;
    if (typeof code !== 'string' || !/^(22|23|XX)/.test(code)) throw error;
    run.issues.error({ code: 'database_rejected', message: `the database refused the data: ${(error as Error).message.split('\n')[0]}` });
    return 'failed';
  }
  return status;
}

export function createOsmImportService(deps: { db: Knex; taxonomies: TaxonomiesService; logger: Pick<Logger, 'info' | 'warn'> }): OsmImportService {
  const { db, logger } = deps;

  function finish(result: OsmImportReport): OsmImportReport {
    const summary = { city: result.city, file: result.file, status: result.status, elements: result.elementsRead, tables: result.tables, disappeared: result.disappeared.length, ms: result.durationMs };
    if (result.status === 'failed') logger.warn({ ...summary, firstErrors: result.errors.slice(0, 5) }, 'OSM import failed; nothing was written');
    else logger.info(summary, result.status === 'dry_run' ? 'OSM dry run finished; nothing was written' : 'OSM import finished');
    return result;
  }

  return {
    async run(filePath, options) {
      const run = startRun(filePath, options);
      const { extract, ok } = await extractFor(run);
      if (!ok) return finish(runReport(run, 'failed', extract.elementsRead));
      // Read (and the city registered) before the transaction: the embedded database has one connection.
      await registerCity(db, options.city);
      const terms = await deps.taxonomies.termIndex();
      const status = await writeLayers(db, run, extract, terms);
      return finish(runReport(run, status, extract.elementsRead));
    },
  };
}

function segmentRows(extract: OsmExtract): StagedOsmSegmentRow[] {
  return extract.segments.map((segment, idx) => {
    // A name that folds to nothing (only punctuation) is no street name.
    const key = segment.name ? streetKey(segment.name) : '';
    return {
      idx,
      external_id: segment.externalId,
      street_name: key ? segment.name : null,
      street_key: key || null,
      geometry: JSON.stringify({ type: 'LineString', coordinates: segment.coordinates }),
    };
  });
}

function addressRows(extract: OsmExtract, issues: ImportIssues): StagedAddressPointRow[] {
  const rows: StagedAddressPointRow[] = [];
  extract.addresses.forEach((address, idx) => {
    const key = streetKey(address.street);
    if (!key || address.street.length > 200 || address.houseNumber.length > 40) {
      issues.warning({ feature: idx, field: 'addr:street', code: 'value_dropped', message: `${address.externalId}: "${address.street} ${address.houseNumber}" is not a usable address; left out.` });
      return;
    }
    rows.push({
      idx,
      external_id: address.externalId,
      street_name: address.street,
      street_key: key,
      house_number: address.houseNumber,
      postal_code: address.postalCode && address.postalCode.length <= 20 ? address.postalCode : null,
      city: address.city && address.city.length <= 100 ? address.city : null,
      lon: address.lon,
      lat: address.lat,
    });
  });
  return rows;
}

/** The offers of one mapping rule through the offer importer (same rules as a GeoJSON file), then what OSM adds. */
async function importRuleOffers(
  context: ImportContext,
  rule: OsmOfferRule,
  features: readonly OsmPointFeature[],
  options: { city: OsmCity; department: OsmOfferMapping['department']; stepFreeTermId: string | null },
): Promise<ImporterResult> {
  const result = await importOffers(
    context,
    {
      externalId: '@id',
      name: 'name',
      ...(rule.nameFallback ? { nameFallback: rule.nameFallback } : {}),
      description: { value: `Aus OpenStreetMap übernommen (${osmAttribution}).` },
      phone: 'phone',
      website: 'website',
      email: 'email',
      ...(rule.capacityUnit ? { capacity: { field: 'capacity', unit: rule.capacityUnit } } : {}),
      address: { street: 'addr:street', houseNumber: 'addr:housenumber', postalCode: 'addr:postcode', city: 'addr:city' },
      offerType: rule.offerType,
      targetGroups: rule.targetGroups,
      department: options.department,
    },
    {
      collection: {
        declaredSrid: undefined,
        features: features.map((feature, index) => ({
          index,
          id: feature.externalId,
          properties: offerProperties(feature.tags),
          geometry: { type: 'Point', coordinates: [feature.lon, feature.lat] },
        })),
      },
    },
  );
  const details = await setOsmOfferDetails(
    context.executor,
    context.source,
    features.map((feature) => ({
      external_id: feature.externalId,
      opening_hours: validOpeningHours(feature.tags.opening_hours, options.city, feature.externalId, context.issues),
      step_free: feature.tags.wheelchair === 'yes',
    })),
    options.stepFreeTermId,
  );
  result.tables.offers_opening_hours = { inserted: 0, updated: details.openingHours, unchanged: 0 };
  result.tables.offer_accessibility = { inserted: details.accessibility, updated: 0, unchanged: 0 };
  return result;
}

function prefixed(prefix: string, tables: Record<string, WriteCounts>): Record<string, WriteCounts> {
  return Object.fromEntries(Object.entries(tables).map(([table, counts]) => [`${prefix}.${table}`, counts]));
}

function partReport(
  part: RunPart,
  file: string,
  issues: ImportIssues,
  started: number,
): ImportReport {
  return {
    dataset: part.dataset,
    kind: part.kind,
    file,
    status: 'succeeded',
    rowsRead: part.rowsRead,
    rowsAccepted: part.rowsAccepted,
    rowsSkipped: part.rowsRead - part.rowsAccepted,
    tables: part.tables,
    errors: [],
    errorCount: 0,
    warnings: issues.warnings.slice(0, 50),
    warningCount: issues.warningCount,
    durationMs: Date.now() - started,
  };
}

/** OSM opening hours the portal can evaluate; anything else is left out with a warning. */
function validOpeningHours(value: string | undefined, city: OsmCity, externalId: string, issues: ImportIssues): string | null {
  if (!value) return null;
  if (value.length > 1000) return null;
  const check = checkOpeningHours(value, { state: city.holidayState ?? 'NW', lon: (city.bbox[0] + city.bbox[2]) / 2, lat: (city.bbox[1] + city.bbox[3]) / 2 }, 'en');
  if (check.valid) return value;
  issues.warning({ field: 'opening_hours', code: 'value_dropped', message: `${externalId}: "${value}" ${check.detail}; left empty.` });
  return null;
}

/** Boundary relations → polygons (PostGIS) → the areas importer, as if they came from a GeoJSON file. */
async function importBoundaries(
  trx: Knex.Transaction,
  extract: OsmExtract,
  level: (typeof areaLevelsForOsm)[number],
  context: ImportContext,
): Promise<ImporterResult | undefined> {
  const complete = extract.boundaries.filter((boundary) => {
    if (boundary.missingWays === 0) return true;
    context.issues.warning({
      code: 'incomplete_boundary',
      message: `relation ${boundary.relationId} (${boundary.tags.name ?? 'no name'}): ${boundary.missingWays} member way(s) are missing from the extract; not imported.`,
    });
    return false;
  });
  if (complete.length === 0) {
    context.issues.warning({ code: 'no_boundaries', message: 'no complete boundary relation of this admin_level lies in the city.' });
    return undefined;
  }
  const polygons = await buildBoundaryPolygons(trx, complete.map((boundary, idx) => ({ idx, lines: boundary.lines })));
  const features = complete.flatMap((boundary, idx) => {
    const geometry = polygons.get(idx);
    if (!geometry || geometry.includes('"coordinates":[]')) {
      context.issues.warning({ code: 'open_boundary', message: `relation ${boundary.relationId} (${boundary.tags.name ?? 'no name'}): its ways do not close into an area; not imported.` });
      return [];
    }
    return [
      {
        index: idx,
        id: `relation/${boundary.relationId}`,
        properties: { code: areaCode(boundary.tags, boundary.relationId), name: boundary.tags.name ?? `OSM relation ${boundary.relationId}` },
        geometry: JSON.parse(geometry) as unknown,
      },
    ];
  });
  return importAreas(context, { level, code: 'code', name: 'name', derive: [] }, { declaredSrid: undefined, features });
}

/** What an OSM dataset manifest asks for (its `osm` parts), checked like the options of `import-osm`. */
export function osmRequestOfManifest(manifest: OsmManifest, projectRoot: string): OsmImportRequest {
  const parts = {
    addresses: manifest.osm.addresses,
    network: manifest.osm.network,
    ...(manifest.osm.offerMapping ? { offers: readOsmOfferMapping(path.resolve(projectRoot, manifest.osm.offerMapping)) } : {}),
    ...(manifest.osm.areas ? { areas: manifest.osm.areas } : {}),
  };
  return parseOsmRequest(parts, `dataset ${manifest.id}`);
}

/** The request as zod reads it; a wrong option is an ImportSetupError naming it. */
export function parseOsmRequest(parts: unknown, what: string): OsmImportRequest {
  const parsed = osmImportRequestSchema.safeParse(parts);
  if (!parsed.success) throw new ImportSetupError(`${what}: ${parsed.error.issues.map((issue) => `${issue.path.join('.') || 'options'} ${issue.message}`).join('; ')}`);
  return parsed.data;
}

/** The city as the OSM importer needs it, from its profile. */
export function osmCityOf(city: CityManifest): OsmCity {
  return { id: city.id, name: city.name, bbox: city.bbox, ...(city.holidayState ? { holidayState: city.holidayState } : {}) };
}

/** Reads and checks an OSM offer mapping file (geodata/osm-offers.json is the bundled one). */
export function readOsmOfferMapping(mappingPath: string): OsmOfferMapping {
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(mappingPath, 'utf8'));
  } catch (error) {
    throw new ImportSetupError(`The OSM offer mapping ${mappingPath} cannot be read as JSON: ${(error as Error).message}`);
  }
  const parsed = osmOfferMappingSchema.safeParse(json);
  if (!parsed.success) {
    const problems = zodIssuesToFieldErrors(parsed.error.issues, 'file').map((issue) => `${issue.field}: ${issue.message}`);
    throw new ImportSetupError(`The OSM offer mapping ${mappingPath} is not valid: ${problems.join('; ')}`);
  }
  return parsed.data;
}


/** Attribution entries for OSM data in the database, checked at most every 30 s (GET /api/config). */
export function createOsmAttributions(db: Knex, cityId?: string, checkIntervalMs = 30_000): () => Promise<Attribution[]> {
  let cached: { at: number; value: Attribution[] } | null = null;
  return async () => {
    if (cached && Date.now() - cached.at < checkIntervalMs) return cached.value;
    const inUse = await listOsmImportsInUse(db, cityId);
    const value: Attribution[] =
      inUse.length === 0
        ? []
        : [
            {
              id: 'openstreetmap',
              title: 'OpenStreetMap',
              attribution: osmAttribution,
              licence: 'ODbL 1.0',
              url: 'https://www.openstreetmap.org/copyright',
              datasets: inUse.map((entry) => ({ id: entry.source, title: `OpenStreetMap (${entry.source})`, dataDate: entry.finishedAt })),
            },
          ];
    cached = { at: Date.now(), value };
    return value;
  };
}
