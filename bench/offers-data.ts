import type { Knex } from 'knex';
import { csvHeaderLine, csvLine, type FlatRecord } from '../server/offers/offers.formats.ts';

/** A small deterministic random generator (mulberry32), so every run builds the same data. */
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

const offerTypes = ['senior_meeting_place', 'senior_counselling', 'care_home', 'kita', 'family_centre', 'playground', 'youth_centre', 'community_centre', 'library', 'doctor', 'pharmacy', 'social_counselling', 'debt_counselling', 'migration_counselling'];
const targetGroups = ['everyone', 'seniors', 'children', 'youth', 'families', 'migrants', 'low_income', 'people_with_disabilities'];
const words = ['Treff', 'Zentrum', 'Haus', 'Beratung', 'Kita', 'Stube', 'Café', 'Werkstatt', 'Forum', 'Punkt'];
const places = ['Ehrenfeld', 'Nippes', 'Kalk', 'Porz', 'Mülheim', 'Sülz', 'Lindenthal', 'Deutz', 'Chorweiler', 'Rodenkirchen', 'Zollstock', 'Bayenthal'];
const hours = ['Mo-Fr 09:00-17:00; PH off', 'Mo,We,Fr 14:00-18:00', 'Tu-Sa 10:00-13:00; PH off', 'Mo-Su 08:00-20:00', ''];

/** [west, south, east, north] of Köln (geodata/cities/koeln.json). */
export const benchBbox = [6.772, 50.83, 7.162, 51.085] as const;

/** A grid of Sozialräume over the city, so that every offer gets one by point in polygon. */
export async function insertAreaGrid(knex: Knex, columns = 12, rows = 8): Promise<void> {
  const [west, south, east, north] = benchBbox;
  const width = (east - west) / columns;
  const height = (north - south) / rows;
  const areas: Record<string, unknown>[] = [];
  for (let column = 0; column < columns; column += 1) {
    for (let row = 0; row < rows; row += 1) {
      const x = west + column * width;
      const y = south + row * height;
      const polygon = { type: 'MultiPolygon', coordinates: [[[[x, y], [x + width, y], [x + width, y + height], [x, y + height], [x, y]]]] };
      areas.push({
        level: 'sozialraum',
        code: `B${column}-${row}`,
        name: `Bench-Sozialraum ${column}/${row}`,
        source: 'bench',
        geom: knex.raw('ST_SetSRID(ST_GeomFromGeoJSON(?), 4326)', [JSON.stringify(polygon)]),
        area_m2: knex.raw('ST_Area(ST_SetSRID(ST_GeomFromGeoJSON(?), 4326)::geography)', [JSON.stringify(polygon)]),
      });
    }
  }
  await knex('areas').insert(areas);
}

/** A CSV of `count` offers across `departments` (codes BENCH0 …), one location each. */
export function generateOffersCsv(count: number, departments: readonly string[], seed = 42): string {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const [west, south, east, north] = benchBbox;
  const parts: string[] = [csvHeaderLine];
  for (let index = 0; index < count; index += 1) {
    const minAge = random() < 0.3 ? Math.floor(random() * 60) : null;
    const record: FlatRecord = {
      source: 'bench',
      external_id: `offer-${index}`,
      department_code: pick(departments),
      name: `${pick(words)} ${pick(places)} ${index}`,
      description: random() < 0.5 ? `Angebot für ${pick(places)}: ${pick(words)} und ${pick(words)}.` : null,
      status: random() < 0.9 ? 'active' : pick(['inactive', 'temporarily_closed', 'defunct']),
      publication: random() < 0.8 ? 'published' : 'draft',
      offer_type: pick(offerTypes),
      target_groups: random() < 0.6 ? pick(targetGroups) : null,
      min_age: minAge,
      max_age: minAge !== null && random() < 0.5 ? minAge + 20 : null,
      cost_kind: pick(['free', 'reduced', 'paid']),
      languages: random() < 0.3 ? 'de;tr' : 'de',
      phone: random() < 0.5 ? `0221 ${100000 + index}` : null,
      opening_hours: pick(hours) || null,
      street: `${pick(places)}er Straße`,
      house_number: String(1 + Math.floor(random() * 200)),
      postal_code: String(50667 + Math.floor(random() * 300)),
      city: 'Köln',
      longitude: Number((west + random() * (east - west)).toFixed(6)),
      latitude: Number((south + random() * (north - south)).toFixed(6)),
    };
    parts.push(csvLine(record));
  }
  return parts.join('');
}
