import fs from 'node:fs';
import path from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { Express } from 'express';
import type { Knex } from 'knex';
import request from 'supertest';
import type { Role } from '../../server/auth/auth.schema.ts';
import { projectRoot } from '../../server/config.ts';
import { hashPassword } from '../../server/auth/auth.service.ts';
import type { Offer, OfferCreateInput } from '../../server/offers/offers.schema.ts';
import { uniqueCode } from './factories.ts';

export const testPassword = 'correct horse battery staple';

// Hashing takes ~100 ms; most test users share one password and so one hash.
let sharedHash: Promise<string> | undefined;

export interface TestUser {
  id: string;
  email: string;
  password: string;
  role: Role;
  departmentId: string | null;
}

export async function insertDepartment(knex: Knex, input: { code?: string; name?: string } = {}): Promise<{ id: string; code: string; name: string }> {
  const code = input.code ?? uniqueCode('D');
  const [row] = (await knex('departments')
    .insert({ code, name: input.name ?? `Dienststelle ${code}` })
    .returning(['id', 'code', 'name'])) as { id: string; code: string; name: string }[];
  if (!row) throw new Error('department insert returned nothing');
  return row;
}

export async function insertUser(
  knex: Knex,
  input: { role: Role; departmentId?: string | null; email?: string; password?: string; disabled?: boolean },
): Promise<TestUser> {
  const email = input.email ?? `${uniqueCode('user').toLowerCase()}@example.org`;
  const password = input.password ?? testPassword;
  const passwordHash = input.password ? await hashPassword(password) : await (sharedHash ??= hashPassword(testPassword));
  const [row] = (await knex('users')
    .insert({
      email,
      password_hash: passwordHash,
      role: input.role,
      department_id: input.departmentId ?? null,
      disabled_at: input.disabled ? knex.fn.now() : null,
    })
    .returning('id')) as { id: string }[];
  if (!row) throw new Error('user insert returned nothing');
  return { id: row.id, email, password, role: input.role, departmentId: input.departmentId ?? null };
}

export interface SignedIn {
  agent: ReturnType<typeof request.agent>;
  csrfToken: string;
  user: TestUser;
}

/** Signs in through the API like a browser: session call for the token, then login. */
export async function signIn(app: Express, user: TestUser): Promise<SignedIn> {
  const agent = request.agent(app);
  const session = await agent.get('/api/auth/session');
  const login = await agent
    .post('/api/auth/login')
    .set('X-CSRF-Token', session.body.csrfToken as string)
    .send({ email: user.email, password: user.password });
  if (login.status !== 200) throw new Error(`sign-in of ${user.email} failed: ${login.status} ${JSON.stringify(login.body)}`);
  return { agent, csrfToken: login.body.csrfToken as string, user };
}

export interface Staff {
  departmentA: { id: string; code: string; name: string };
  departmentB: { id: string; code: string; name: string };
  admin: SignedIn;
  planner: SignedIn;
  editorA: SignedIn;
  editorB: SignedIn;
}

/** Two departments and one signed-in user per role (editorA belongs to departmentA). */
export async function createStaff(knex: Knex, app: Express): Promise<Staff> {
  const departmentA = await insertDepartment(knex);
  const departmentB = await insertDepartment(knex);
  const [admin, planner, editorA, editorB] = await Promise.all([
    insertUser(knex, { role: 'admin' }),
    insertUser(knex, { role: 'planner' }),
    insertUser(knex, { role: 'editor', departmentId: departmentA.id }),
    insertUser(knex, { role: 'editor', departmentId: departmentB.id }),
  ]);
  return {
    departmentA,
    departmentB,
    admin: await signIn(app, admin!),
    planner: await signIn(app, planner!),
    editorA: await signIn(app, editorA!),
    editorB: await signIn(app, editorB!),
  };
}

/** A valid create body: a senior meeting place in Köln. */
export function makeOffer(overrides: Partial<OfferCreateInput> = {}): OfferCreateInput {
  return {
    name: 'Seniorentreff am Park',
    description: 'Offener Treff mit Kaffee, Spielen und Beratung.',
    offerType: 'senior_meeting_place',
    targetGroups: [],
    minAge: 60,
    cost: { kind: 'free', text: null },
    languages: ['de', 'tr'],
    email: 'treff@example.org',
    phone: '0221 123456',
    website: 'https://example.org/treff',
    openingHours: 'Mo-Fr 09:00-17:00; PH off',
    locations: [
      {
        name: 'Bürgerhaus',
        address: { street: 'Parkstraße', houseNumber: '1', postalCode: '50667', city: 'Köln' },
        geometry: { type: 'Point', coordinates: [6.955, 50.935] },
      },
    ],
    ...overrides,
  };
}

/** Creates an offer through the API as `as` (admin by default: give departmentCode). */
export async function createOffer(as: SignedIn, overrides: Partial<OfferCreateInput> = {}): Promise<Offer> {
  const response = await as.agent.post('/api/offers').set('X-CSRF-Token', as.csrfToken).send(makeOffer(overrides));
  if (response.status !== 201) throw new Error(`creating an offer failed: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body as Offer;
}

/** Creates, then publishes an offer (visible to anonymous users). */
export async function createPublishedOffer(as: SignedIn, overrides: Partial<OfferCreateInput> = {}): Promise<Offer> {
  const offer = await createOffer(as, overrides);
  const response = await as.agent.post(`/api/offers/${offer.id}/publish`).set('X-CSRF-Token', as.csrfToken);
  if (response.status !== 200) throw new Error(`publishing failed: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body as Offer;
}

/**
 * The HSDS schemas are third-party files read where they lie, like the city data: `STANDARDS_DIR`, else
 * `standards/` beside `GEODATA_DIR`, else `../shared/standards` (README, "Tests").
 */
function standardsDirectory(): string {
  if (process.env.STANDARDS_DIR) return path.resolve(process.env.STANDARDS_DIR);
  if (process.env.GEODATA_DIR) return path.resolve(process.env.GEODATA_DIR, '../standards');
  return path.resolve(projectRoot, '../shared/standards');
}
const hsdsDirectory = path.join(standardsDirectory(), 'hsds/schema');
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

function readSchema(file: string): Record<string, unknown> {
  if (!fs.existsSync(hsdsDirectory)) throw new Error(`HSDS schemas not found at ${hsdsDirectory} (set STANDARDS_DIR)`);
  return JSON.parse(fs.readFileSync(path.join(hsdsDirectory, file), 'utf8')) as Record<string, unknown>;
}

/** Validators for HSDS: a service by the compiled single-file schema and by the modular files; a service_at_location. */
export function hsdsValidators(): { compiled: ValidateFunction; modular: ValidateFunction; serviceAtLocation: ValidateFunction; taxonomyTerm: ValidateFunction } {
  // The HSDS files carry Frictionless keys (name, constraints, core, …) that strict mode would reject.
  const compiledAjv = addFormats(new Ajv({ strict: false, allErrors: true }));
  const compiled = compiledAjv.compile(readSchema('compiled/service_with_definitions.json'));
  const modularAjv = addFormats(new Ajv({ strict: false, allErrors: true }));
  for (const file of fs.readdirSync(hsdsDirectory).filter((name) => name.endsWith('.json') && name !== 'openapi.json')) {
    modularAjv.addSchema(readSchema(file), file);
  }
  const modular = modularAjv.getSchema('service.json');
  const serviceAtLocation = modularAjv.getSchema('service_at_location.json');
  const taxonomyTerm = modularAjv.getSchema('taxonomy_term.json');
  if (!modular || !serviceAtLocation || !taxonomyTerm) throw new Error('the HSDS schemas did not compile');
  return { compiled, modular, serviceAtLocation, taxonomyTerm };
}


export interface HsdsPageValidators {
  /** GET /services: the HSDS `Page` (with every field the 3.1.1 API requires) of `service_list` items. */
  servicePage: ValidateFunction;
  serviceAtLocationPage: ValidateFunction;
  organizationPage: ValidateFunction;
  /** GET /taxonomies and GET /taxonomy_terms: Pages of the modular taxonomy and taxonomy_term schemas. */
  taxonomyPage: ValidateFunction;
  taxonomyTermPage: ValidateFunction;
  /** GET /organizations/{id}: the modular organization schema. */
  organization: ValidateFunction;
  /** GET / (the API's own description): the schema the HSDS OpenAPI document gives inline. */
  root: ValidateFunction;
}

/**
 * Validators for the list answers, built at test time from the HSDS files in ../shared/standards
 * (never copied): the `Page` schema of the HSDS OpenAPI description, with the compiled list item
 * schemas its responses name (their `$ref`s point at GitHub; here they are read from disk).
 */
export function hsdsPageValidators(): HsdsPageValidators {
  const ajv = addFormats(new Ajv({ strict: false, allErrors: true }));
  for (const file of fs.readdirSync(hsdsDirectory).filter((name) => name.endsWith('.json') && name !== 'openapi.json')) {
    ajv.addSchema(readSchema(file), file);
  }
  const openapi = readSchema('openapi.json') as {
    components: { schemas: { Page: Record<string, unknown> } };
    paths: Record<string, { get: { responses: Record<string, { content: Record<string, { schema: Record<string, unknown> }> }> } }>;
  };
  const page = openapi.components.schemas.Page;
  const pageOf = (itemFile: string) =>
    ajv.compile({
      allOf: [page],
      // HSDS 3.1.1 made every Page field required (`empty` was the last).
      required: ['total_items', 'total_pages', 'page_number', 'size', 'first_page', 'last_page', 'empty', 'contents'],
      properties: { contents: { type: 'array', items: readSchema(itemFile) } },
    });
  const organization = ajv.getSchema('organization.json');
  if (!organization) throw new Error('the HSDS organization schema did not compile');
  return {
    servicePage: pageOf('compiled/service_list.json'),
    serviceAtLocationPage: pageOf('compiled/service_at_location_list.json'),
    organizationPage: pageOf('compiled/organization_list.json'),
    taxonomyPage: pageOf('taxonomy.json'),
    taxonomyTermPage: pageOf('taxonomy_term.json'),
    organization,
    root: ajv.compile(openapi.paths['/']!.get.responses['200']!.content['application/json']!.schema),
  };
}
