/**
 * Synthetic offers for the search benchmark: `count` published offers, one location each, spread
 * over Cologne along the real street segments (so that they sit where addresses are), with offer
 * types, target groups, accessibility, languages, costs, ages and opening hours drawn from fixed
 * distributions. Deterministic (seeded). Set-based inserts of 10,000 rows per statement.
 *
 *   npx tsx bench/generate-offers.ts --count 100000              into DATABASE_URL (PostgreSQL)
 *   npx tsx bench/generate-offers.ts --count 100000 --data-dir D  into an embedded PGlite data dir
 *
 * The database must be migrated, seeded and hold the Cologne street segments
 * (bench/search-load.ts prepares all of that). Existing bench offers are replaced.
 */
import type { Knex } from 'knex';
import { pointAlongLine } from '../server/geocoding/house-numbers.ts';
import { lineLengthMeters, type Position } from '../server/streets/line-geometry.ts';

/** A small deterministic random generator (mulberry32). */
/** The value after `--name` on the command line, as the benches take their options. */
export function benchOption(name: string): string | undefined {
  const args = process.argv.slice(2);
  const index = args.indexOf(`--${name}`);
  return index >= 0 ? args[index + 1] : undefined;
}

/** The words of the benchmarks' full-text searches (search-load.ts, search-kinds.ts, search-ab.ts). */
export const benchTextWords = ['Beratung', 'Mittagstisch', 'Caritas', 'Kita'] as const;

export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Offer types with the target group their offers get, and how often they occur (weights). */
const typeProfiles: Array<{ type: string; targetGroup: string; weight: number; words: string[] }> = [
  { type: 'senior_meeting_place', targetGroup: 'seniors', weight: 8, words: ['Seniorentreff', 'Begegnungsstätte', 'Seniorencafé'] },
  { type: 'senior_counselling', targetGroup: 'seniors', weight: 4, words: ['Seniorenberatung', 'Seniorenbüro'] },
  { type: 'care_home', targetGroup: 'people_in_need_of_care', weight: 4, words: ['Pflegeheim', 'Seniorenzentrum'] },
  { type: 'care_service', targetGroup: 'people_in_need_of_care', weight: 3, words: ['Pflegedienst'] },
  { type: 'kita', targetGroup: 'children_under_6', weight: 14, words: ['Kita', 'Kindertagesstätte'] },
  { type: 'family_centre', targetGroup: 'families', weight: 5, words: ['Familienzentrum'] },
  { type: 'playground', targetGroup: 'children', weight: 8, words: ['Spielplatz'] },
  { type: 'youth_centre', targetGroup: 'youth', weight: 6, words: ['Jugendzentrum', 'Jugendtreff'] },
  { type: 'community_centre', targetGroup: 'everyone', weight: 5, words: ['Bürgerzentrum', 'Stadtteiltreff'] },
  { type: 'library', targetGroup: 'everyone', weight: 3, words: ['Stadtteilbibliothek'] },
  { type: 'doctor', targetGroup: 'patients', weight: 16, words: ['Arztpraxis', 'Hausarztpraxis'] },
  { type: 'pharmacy', targetGroup: 'everyone', weight: 10, words: ['Apotheke'] },
  { type: 'social_counselling', targetGroup: 'low_income', weight: 5, words: ['Sozialberatung'] },
  { type: 'debt_counselling', targetGroup: 'low_income', weight: 2, words: ['Schuldnerberatung'] },
  { type: 'migration_counselling', targetGroup: 'migrants', weight: 3, words: ['Migrationsberatung', 'Integrationsagentur'] },
];
const openingHours = [
  'Mo-Fr 09:00-17:00; PH off',
  'Mo-Fr 08:00-12:00,14:00-18:00; Sa 09:00-13:00; PH off',
  'Mo,We,Fr 14:00-18:00',
  'Tu-Sa 10:00-13:00; PH off',
  'Mo-Su 08:00-20:00',
  '24/7',
  'Mo-Th 09:00-16:00; Fr 09:00-13:00; PH off',
  '',
];
const languageSets = ['de', 'de', 'de', 'de,en', 'de,tr', 'de,ar', 'de,en,tr', 'de,ru', 'de,pl', 'de,it'];
const accessibilityCodes = ['step_free_entrance', 'elevator', 'accessible_toilet', 'hearing_loop', 'easy_language'];
const descriptions = [
  'Offener Treff mit Mittagstisch, Kaffee und Kuchen.',
  'Beratung und Unterstützung im Alltag, auch bei Anträgen.',
  'Angebote für Familien mit kleinen Kindern, Eltern-Café.',
  'Sprechstunde ohne Termin, Beratung auch auf Türkisch und Arabisch.',
  'Bewegungsangebote, Gedächtnistraining und Ausflüge.',
];

interface Segment {
  name: string | null;
  coordinates: Position[];
}

export async function generateSearchOffers(knex: Knex, count: number, seed = 20261124): Promise<{ ms: number }> {
  const started = performance.now();
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const segments = (
    (await knex.raw<{ rows: Array<{ street_name: string | null; geojson: string }> }>(
      'select street_name, ST_AsGeoJSON(geom) as geojson from street_segments order by id',
    )).rows
  ).map((row): Segment => ({ name: row.street_name, coordinates: (JSON.parse(row.geojson) as { coordinates: Position[] }).coordinates }));
  if (segments.length === 0) throw new Error('no street segments: import the Cologne street network first');
  // Longer segments carry more offers, as they carry more houses.
  const cumulative: number[] = [];
  let total = 0;
  for (const segment of segments) {
    total += Math.max(5, lineLengthMeters(segment.coordinates));
    cumulative.push(total);
  }
  const pickSegment = (): Segment => {
    const target = random() * total;
    let low = 0;
    let high = cumulative.length - 1;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (cumulative[middle]! < target) low = middle + 1;
      else high = middle;
    }
    return segments[low]!;
  };
  const weights = typeProfiles.reduce((sum, profile) => sum + profile.weight, 0);
  const pickProfile = () => {
    let rest = random() * weights;
    for (const profile of typeProfiles) {
      rest -= profile.weight;
      if (rest <= 0) return profile;
    }
    return typeProfiles[0]!;
  };

  const terms = new Map<string, string>();
  for (const row of (await knex('taxonomy_terms').select('taxonomy', 'code', 'id')) as Array<{ taxonomy: string; code: string; id: string }>) {
    terms.set(`${row.taxonomy}/${row.code}`, row.id);
  }
  const term = (taxonomy: string, code: string): string => {
    const id = terms.get(`${taxonomy}/${code}`);
    if (!id) throw new Error(`unknown ${taxonomy} ${code}: seed the reference data first`);
    return id;
  };

  await knex.transaction(async (trx) => {
    await trx.raw("delete from offer_locations where offer_id in (select id from offers where source = 'bench')");
    await trx.raw("delete from offers where source = 'bench'");
    await trx.raw("delete from locations where source = 'bench'");
    await trx.raw("delete from organizations where source = 'bench'");
    await trx.raw("delete from departments where code = 'BENCH-SEARCH'");
  });
  const [department] = (await knex('departments')
    .insert({ code: 'BENCH-SEARCH', name: 'Benchmark-Dienststelle', email: 'bench@stadt.example' })
    .returning('id')) as Array<{ id: string }>;
  const organizationIds: string[] = [];
  for (let index = 0; index < 200; index += 1) {
    const [organization] = (await knex('organizations')
      .insert({ source: 'bench', external_id: `org-${index}`, name: `${pick(['Caritas', 'Diakonie', 'AWO', 'DRK', 'Paritätischer', 'Verein'])} ${pick(['Köln', 'Nord', 'Süd', 'Rechtsrheinisch'])} ${index}` })
      .returning('id')) as Array<{ id: string }>;
    organizationIds.push(organization!.id);
  }

  const chunk = 10_000;
  for (let from = 0; from < count; from += chunk) {
    const size = Math.min(chunk, count - from);
    const columns = {
      externalId: [] as string[],
      lon: [] as number[],
      lat: [] as number[],
      name: [] as string[],
      street: [] as Array<string | null>,
      description: [] as string[],
      typeId: [] as string[],
      organizationId: [] as Array<string | null>,
      costKind: [] as Array<string | null>,
      languages: [] as string[],
      hours: [] as string[],
      minAge: [] as Array<number | null>,
      maxAge: [] as Array<number | null>,
    };
    const termRows = { externalId: [] as string[], taxonomy: [] as string[], termId: [] as string[] };
    for (let index = from; index < from + size; index += 1) {
      const profile = pickProfile();
      const segment = pickSegment();
      const [lon, lat] = pointAlongLine(segment.coordinates, random(), random() < 0.5 ? 'left' : 'right');
      const externalId = `bench-${index}`;
      columns.externalId.push(externalId);
      columns.lon.push(lon);
      columns.lat.push(lat);
      columns.name.push(`${pick(profile.words)} ${segment.name ? segment.name.replace(/ [A-ZÄÖÜ][a-zäöüß]$/, '') : 'Köln'} ${index}`);
      columns.street.push(segment.name);
      columns.description.push(pick(descriptions));
      columns.typeId.push(term('offer_type', profile.type));
      columns.organizationId.push(random() < 0.7 ? pick(organizationIds) : null);
      columns.costKind.push(pick(['free', 'free', 'reduced', 'paid', null] as const));
      columns.languages.push(pick(languageSets));
      columns.hours.push(pick(openingHours));
      const seniorish = profile.targetGroup === 'seniors' || profile.targetGroup === 'people_in_need_of_care';
      columns.minAge.push(seniorish ? 60 : profile.targetGroup === 'youth' ? 12 : null);
      columns.maxAge.push(profile.targetGroup === 'children_under_6' ? 6 : profile.targetGroup === 'youth' ? 27 : null);
      termRows.externalId.push(externalId);
      termRows.taxonomy.push('target_group');
      termRows.termId.push(term('target_group', profile.targetGroup));
      for (const code of accessibilityCodes) {
        if (random() < (code === 'step_free_entrance' ? 0.45 : 0.15)) {
          termRows.externalId.push(externalId);
          termRows.taxonomy.push('accessibility');
          termRows.termId.push(term('accessibility', code));
        }
      }
    }
    await knex.transaction(async (trx) => {
      await trx.raw(
        `with input as (
           select * from unnest(?::text[], ?::float8[], ?::float8[], ?::text[], ?::text[], ?::text[], ?::uuid[], ?::uuid[], ?::text[], ?::text[], ?::text[], ?::int[], ?::int[])
             as t(external_id, lon, lat, name, street, description, type_id, organization_id, cost_kind, languages, hours, min_age, max_age)
         ),
         new_locations as (
           insert into locations (source, external_id, street, city, geom)
           select 'bench', external_id, street, 'Köln', ST_SetSRID(ST_MakePoint(lon, lat), 4326) from input
           returning id, external_id
         ),
         new_offers as (
           insert into offers (source, external_id, department_id, organization_id, name, description, status, publication,
                               offer_type_id, cost_kind, languages, opening_hours, min_age, max_age)
           select 'bench', external_id, ?, organization_id, name, description, 'active', 'published',
                  type_id, cost_kind, string_to_array(languages, ','), nullif(hours, ''), min_age, max_age
             from input
           returning id, external_id
         )
         insert into offer_locations (offer_id, location_id)
         select o.id, l.id from new_offers o join new_locations l using (external_id)`,
        [
          columns.externalId,
          columns.lon,
          columns.lat,
          columns.name,
          columns.street,
          columns.description,
          columns.typeId,
          columns.organizationId,
          columns.costKind,
          columns.languages,
          columns.hours,
          columns.minAge,
          columns.maxAge,
          department!.id,
          // Arrays with nulls bind as PostgreSQL arrays; knex's types only know flat values.
        ] as unknown as Knex.RawBinding[],
      );
      await trx.raw(
        `insert into offer_terms (offer_id, taxonomy, term_id)
         select o.id, t.taxonomy, t.term_id
           from unnest(?::text[], ?::text[], ?::uuid[]) as t(external_id, taxonomy, term_id)
           join offers o on o.source = 'bench' and o.external_id = t.external_id`,
        [termRows.externalId, termRows.taxonomy, termRows.termId],
      );
    });
    process.stdout.write(`\r  generated ${from + size} / ${count} offers`);
  }
  process.stdout.write('\n');
  await knex.raw('analyze locations');
  await knex.raw('analyze offers');
  await knex.raw('analyze offer_locations');
  await knex.raw('analyze offer_terms');
  return { ms: performance.now() - started };
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const option = (name: string) => {
    const index = args.indexOf(`--${name}`);
    return index >= 0 ? args[index + 1] : undefined;
  };
  const count = Number(option('count') ?? 100_000);
  const { connectDatabase } = await import('../server/db/connect.ts');
  const database = await connectDatabase({ databaseUrl: process.env.DATABASE_URL, dataDir: option('data-dir') });
  try {
    const { ms } = await generateSearchOffers(database.knex, count);
    console.log(`${count} offers in ${(ms / 1000).toFixed(1)} s (${Math.round(count / (ms / 1000))} offers/s) on ${database.backend}`);
  } finally {
    await database.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
