import fs from 'node:fs';
import path from 'node:path';
import type { Knex } from 'knex';
import { createDatasetsService } from '../../server/datasets/datasets.service.ts';
import { createImportsService } from '../../server/imports/imports.service.ts';
import { createTaxonomiesService } from '../../server/taxonomies/taxonomies.service.ts';
import { uniqueCode } from './factories.ts';
import { silentLogger, testConfig } from './app.ts';

// Real Cologne data (CC BY 3.0 DE, Stadt Köln) is read from the shared data folder, never copied.
const geodataDir = testConfig().geodataDir;
export const koelnStreetFile = path.join(geodataDir, 'koeln-koelnapi', 'koeln_strassenabschnitte_2013.geojson');

/**
 * Whether the real-data tests can run. Without the data they are skipped with the reason
 * printed, except in CI, where missing data is a failure.
 */
export function koelnDataAvailable(): boolean {
  if (fs.existsSync(koelnStreetFile)) return true;
  const message = `Cologne street segments not found at ${koelnStreetFile} (set GEODATA_DIR)`;
  if (process.env.CI === 'true') throw new Error(`${message}: CI needs the data.`);
  process.stdout.write(`[skipped] ${message}; the real-address tests do not run.\n`);
  return false;
}

/** Imports Cologne's districts, Stadtteile, Viertel and street segments with the real importer. */
export async function importKoelnStreets(knex: Knex): Promise<void> {
  await importKoeln(knex, ['koeln-stadtbezirke', 'koeln-stadtteile', 'koeln-stadtviertel', 'koeln-strassenabschnitte']);
}

/** Imports Cologne's districts, Stadtteile and Viertel alone (no streets) with the real importer. */
export async function importKoelnAreas(knex: Knex): Promise<void> {
  await importKoeln(knex, ['koeln-stadtbezirke', 'koeln-stadtteile', 'koeln-stadtviertel']);
}

async function importKoeln(knex: Knex, ids: string[]): Promise<void> {
  const datasets = createDatasetsService({ geodataDir, city: 'koeln' });
  const imports = createImportsService({ db: knex, taxonomies: createTaxonomiesService({ db: knex }), datasets, logger: silentLogger });
  const outcome = await imports.runAll(ids.map((id) => imports.resolve(id)), { actor: 'test' });
  if (!outcome.ok) {
    throw new Error(`the Cologne import failed: ${JSON.stringify(outcome.reports.map((report) => report.errors.slice(0, 5)))}`);
  }
}

export interface SearchOfferInput {
  name?: string;
  description?: string | null;
  offerType?: string;
  targetGroups?: string[];
  fieldsOfAction?: string[];
  accessibility?: string[];
  languages?: string[];
  costKind?: 'free' | 'reduced' | 'paid' | null;
  minAge?: number | null;
  maxAge?: number | null;
  openingHours?: string | null;
  status?: 'active' | 'inactive' | 'temporarily_closed' | 'defunct';
  publication?: 'draft' | 'published';
  archived?: boolean;
  organization?: string | null;
  departmentId?: string;
  /** One location per entry; [lon, lat]. */
  locations?: Array<[number, number]>;
  street?: string;
  houseNumber?: string;
  postalCode?: string;
  locationName?: string;
  phone?: string;
  email?: string;
  website?: string;
  costText?: string;
}

export interface SearchOfferRow {
  offerId: string;
  locationIds: string[];
  offerLocationIds: string[];
  departmentId: string;
}

export async function insertSearchDepartment(
  knex: Knex,
  input: { name?: string; email?: string | null } = {},
): Promise<string> {
  const code = uniqueCode('D');
  const [row] = (await knex('departments')
    .insert({ code, name: input.name ?? `Amt ${code}`, email: input.email === undefined ? `${code.toLowerCase()}@stadt.example` : input.email })
    .returning('id')) as { id: string }[];
  if (!row) throw new Error('department insert returned nothing');
  return row.id;
}

async function termId(knex: Knex, taxonomy: string, code: string): Promise<string> {
  const row = (await knex('taxonomy_terms').where({ taxonomy, code }).first('id')) as { id: string } | undefined;
  if (!row) throw new Error(`unknown ${taxonomy} code ${code}`);
  return row.id;
}

/** A searchable offer: published and active unless told otherwise, at one or more points. */
export async function insertSearchOffer(knex: Knex, input: SearchOfferInput = {}): Promise<SearchOfferRow> {
  const departmentId = input.departmentId ?? (await insertSearchDepartment(knex));
  let organizationId: string | null = null;
  if (input.organization) {
    const [organization] = (await knex('organizations').insert({ name: input.organization }).returning('id')) as { id: string }[];
    organizationId = organization!.id;
  }
  const [offer] = (await knex('offers')
    .insert({
      department_id: departmentId,
      organization_id: organizationId,
      name: input.name ?? 'Testangebot',
      description: input.description ?? null,
      status: input.status ?? 'active',
      publication: input.publication ?? 'published',
      archived_at: input.archived ? knex.fn.now() : null,
      offer_type_id: await termId(knex, 'offer_type', input.offerType ?? 'senior_meeting_place'),
      min_age: input.minAge ?? null,
      max_age: input.maxAge ?? null,
      cost_kind: input.costKind ?? null,
      cost_text: input.costText ?? null,
      phone: input.phone ?? null,
      email: input.email ?? null,
      website: input.website ?? null,
      languages: input.languages ?? [],
      opening_hours: input.openingHours ?? null,
    })
    .returning('id')) as { id: string }[];
  const offerId = offer!.id;
  const terms: Array<{ taxonomy: string; code: string }> = [
    ...(input.targetGroups ?? []).map((code) => ({ taxonomy: 'target_group', code })),
    ...(input.fieldsOfAction ?? []).map((code) => ({ taxonomy: 'field_of_action', code })),
    ...(input.accessibility ?? []).map((code) => ({ taxonomy: 'accessibility', code })),
  ];
  for (const term of terms) {
    await knex('offer_terms').insert({ offer_id: offerId, taxonomy: term.taxonomy, term_id: await termId(knex, term.taxonomy, term.code) });
  }
  const locationIds: string[] = [];
  const offerLocationIds: string[] = [];
  for (const [lon, lat] of input.locations ?? [[6.95, 50.94]]) {
    const [location] = (await knex('locations')
      .insert({
        name: input.locationName ?? null,
        street: input.street ?? null,
        house_number: input.houseNumber ?? null,
        postal_code: input.postalCode ?? null,
        city: 'Köln',
        geom: knex.raw('ST_SetSRID(ST_MakePoint(?, ?), 4326)', [lon, lat]),
      })
      .returning('id')) as { id: string }[];
    const [offerLocation] = (await knex('offer_locations')
      .insert({ offer_id: offerId, location_id: location!.id })
      .returning('id')) as { id: string }[];
    locationIds.push(location!.id);
    offerLocationIds.push(offerLocation!.id);
  }
  return { offerId, locationIds, offerLocationIds, departmentId };
}

/** A point `meters` north (positive) or south of a given point. */
export function metersNorth([lon, lat]: [number, number], meters: number): [number, number] {
  return [lon, lat + meters / 111_195];
}

/** A point `meters` east of a given point (spherical Earth, as the search measures). */
export function metersEast([lon, lat]: [number, number], meters: number): [number, number] {
  return [lon + meters / (111_195 * Math.cos((lat * Math.PI) / 180)), lat];
}
