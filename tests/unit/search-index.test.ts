import { describe, expect, it } from 'vitest';
import { buildSearchIndex, type IndexFilter } from '../../server/search/search-index.ts';
import { earthDistanceMeters as sphereDistanceMeters, sphereRadiusMeters } from '../../server/streets/geodesic.ts';
import { noFilter, type SearchIndexRow } from '../../server/search/search.repo.ts';
import { joinLexemes, lexemeSeparator, parseTsquery, type TextWord } from '../../server/search/search-text.ts';
import { indexRow, seeded } from '../helpers/search-index-rows.ts';

// The index compares squared chords and computes the exact sphere distance only near the radius and
// for the page. An oracle that computes the exact distance of every point must answer the same:
// the same total, the same rows in the same order (distance, then id), to the last bit.

const origin = { lon: 6.95, lat: 50.94 };
const metresPerDegreeLat = (Math.PI * sphereRadiusMeters) / 180;


// 40 terms, so that the bit sets need two words; bits follow the sorted values, so term-31 is the
// last bit of the first word and term-32 the first of the second.
const terms = Array.from({ length: 40 }, (_value, index) => `term-${String(index).padStart(2, '0')}`);
const termSets = [terms, [], ['term-00'], ['term-31', 'term-05'], ['term-39', 'term-31', 'term-00'], ['term-32'], terms.slice(10, 20)];
const languageSets = [[], ['de'], ['de', 'tr'], ['ar', 'de', 'en']];
const hourValues = [null, 'Mo-Fr 09:00-17:00', '24/7', 'Sa 10:00-12:00'];
// Lexemes of full text: some rows share a stem, some a prefix of another's.
const lexemeSets = [['berat'], ['beratung', 'senior'], ['senior', 'treff'], [], ['caritas'], ['schuldnerberat', 'berat', 'treff']];

function cityRows(count: number, random: () => number): SearchIndexRow[] {
  const rows: SearchIndexRow[] = [];
  for (let index = 0; index < count; index += 1) {
    // Some points share a place (equal distances), some lie very close to the origin.
    const shared = index % 17 === 0 && index > 0 ? rows[index - 1] : undefined;
    const spread = index % 29 === 0 ? 0.00001 : 0.08;
    const lon = shared ? shared.lon : origin.lon + (random() - 0.5) * spread * 1.6;
    const lat = shared ? shared.lat : origin.lat + (random() - 0.5) * spread;
    rows.push(
      indexRow(index, lon, lat, {
        costKind: index % 4 === 0 ? 'free' : 'paid',
        termIds: termSets[index % termSets.length]!,
        languages: languageSets[index % languageSets.length]!,
        openingHours: hourValues[index % hourValues.length]!,
        minAge: index % 3 === 0 ? index % 50 : null,
        maxAge: index % 5 === 1 ? 40 + (index % 50) : null,
        // Rare lexemes too: a prefix of few rows is merged by a sort and its rows looked at one by one.
        lexemes: joinLexemes([...lexemeSets[index % lexemeSets.length]!, ...(index % 97 === 7 ? ['selten'] : []), ...(index % 331 === 3 ? ['seltsam'] : [])]),
      }),
    );
  }
  // Shuffle, so that index order is not id order.
  for (let index = rows.length - 1; index > 0; index -= 1) {
    const other = Math.floor(random() * (index + 1));
    [rows[index], rows[other]] = [rows[other]!, rows[index]!];
  }
  return rows;
}

function filterFor(radiusMeters: number, at = origin, extra: Partial<IndexFilter> = {}): IndexFilter {
  return { ...noFilter, origin: at, radiusMeters, ...extra };
}

/** A word of full text as the database stems it (no compound end), and what it matches. */
const word = (query: string): TextWord => ({ query: parseTsquery(query)!, ending: null });
function lexemeMatches(node: TextWord['query'], lexemes: readonly string[]): boolean {
  if (!node) return true;
  if (node.kind === 'lexeme') return lexemes.some((lexeme) => (node.prefix ? lexeme.startsWith(node.lexeme) : lexeme === node.lexeme));
  return node.kind === 'and' ? lexemeMatches(node.left, lexemes) && lexemeMatches(node.right, lexemes) : lexemeMatches(node.left, lexemes) || lexemeMatches(node.right, lexemes);
}
/** The rows' lexemes by id, read before the build takes them over. */
const lexemesById = new Map<string, readonly string[]>();

/** Every point's exact distance, the radius cut, the full order. */
function oracle(rows: readonly SearchIndexRow[], filter: IndexFilter, page: { limit: number; offset: number }) {
  const all = rows
    .filter((candidate) => (filter.offerTypeIds ? filter.offerTypeIds.includes(candidate.offerTypeId) : true))
    .filter((candidate) => (filter.free ? candidate.costKind === 'free' : true))
    .filter((candidate) => (filter.textWords ?? []).every((one) => lexemeMatches(one.query, lexemesById.get(candidate.id) ?? [])))
    .filter((candidate) => (filter.targetGroupIds ? candidate.termIds.some((id) => filter.targetGroupIds!.includes(id)) : true))
    .filter((candidate) => (filter.fieldOfActionIds ? candidate.termIds.some((id) => filter.fieldOfActionIds!.includes(id)) : true))
    .filter((candidate) => filter.accessibilityIds.every((id) => candidate.termIds.includes(id)))
    .filter((candidate) => (filter.languages ? candidate.languages.some((code) => filter.languages!.includes(code)) : true))
    .filter((candidate) => (filter.openingHoursIn ? candidate.openingHours !== null && filter.openingHoursIn.includes(candidate.openingHours) : true))
    .filter(
      (candidate) =>
        filter.age === null ||
        ((candidate.minAge === null || candidate.minAge <= filter.age) && (candidate.maxAge === null || candidate.maxAge >= filter.age)),
    )
    .map((candidate) => ({ id: candidate.id, distance: sphereDistanceMeters(filter.origin!.lon, filter.origin!.lat, candidate.lon, candidate.lat) }))
    .filter((candidate) => candidate.distance <= filter.radiusMeters)
    .sort((a, b) => a.distance - b.distance || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { total: all.length, rows: all.slice(page.offset, page.offset + page.limit) };
}

function answer(index: ReturnType<typeof buildSearchIndex>, filter: IndexFilter, page: { limit: number; offset: number }) {
  const result = index.query(filter, page);
  return { total: result.total, rows: result.rows.map((found, position) => ({ id: found.id, distance: result.distances[position] })) };
}

describe('search index', () => {
  const random = seeded(11);
  const rows = cityRows(4000, random);
  for (const row of rows) lexemesById.set(row.id, row.lexemes ? row.lexemes.split(lexemeSeparator) : []);
  const index = buildSearchIndex(rows, 1);

  const filterChoices: Array<Partial<IndexFilter>> = [
    {},
    { offerTypeIds: ['type-a'] },
    { free: true },
    { targetGroupIds: ['term-31', 'term-32'] },
    { fieldOfActionIds: ['term-39'] },
    { accessibilityIds: ['term-31', 'term-00'] },
    { accessibilityIds: ['term-39'], languages: ['tr', 'en'] },
    { languages: ['xx'] },
    { targetGroupIds: ['unknown-term'] },
    { targetGroupIds: [] },
    { accessibilityIds: ['term-00', 'unknown-term'] },
    { openingHoursIn: ['24/7', 'Sa 10:00-12:00', 'not in the index'] },
    { age: 30 },
    { age: 0, free: true, offerTypeIds: ['type-b'] },
    { textWords: [word("'berat':*")] },
    { textWords: [word("'senior':*"), word("'treff'")] },
    { textWords: [word("'berat':*")], free: true },
    { textWords: [word("'caritas' | 'treff'")], languages: ['de'] },
    { textWords: [word("'xyz':*")] },
    { textWords: [word("'selt':*")] },
    { textWords: [word("'selt':*"), word("'berat':*")], age: 30 },
    { textWords: [word("'selt':*")], free: true },
    { textWords: [{ query: null, ending: null }, word("'schuldnerberat'")] },
    {},
  ];

  it('answers like the exact oracle for random origins, radii, pages and filters', () => {
    for (let trial = 0; trial < 450; trial += 1) {
      const at = { lon: origin.lon + (random() - 0.5) * 0.1, lat: origin.lat + (random() - 0.5) * 0.06 };
      const radius = [50, 300, 1000, 2000, 5000, 50_000][trial % 6]!;
      const page = { limit: 1 + (trial % 20), offset: (trial % 7) * 5 };
      const extra = filterChoices[trial % filterChoices.length]!;
      const filter = filterFor(radius, at, extra);
      expect(answer(index, filter, page)).toEqual(oracle(rows, filter, page));
    }
  });

  it('cuts exactly at the radius: a point at exactly the radius is in, the next representable radius below leaves it out', () => {
    for (const target of rows.slice(0, 200)) {
      const exact = sphereDistanceMeters(origin.lon, origin.lat, target.lon, target.lat);
      for (const radius of [exact, exact * (1 - Number.EPSILON), exact * (1 + Number.EPSILON)]) {
        if (radius < 1) continue;
        const filter = filterFor(radius);
        const page = { limit: 5, offset: 0 };
        expect(answer(index, filter, page)).toEqual(oracle(rows, filter, page));
      }
    }
  });

  it('orders ties and nearly equal distances like the exact distance, then the id', () => {
    // Twenty points on a ring a few nanometres apart, and twenty at one place.
    const ring: SearchIndexRow[] = [];
    for (let position = 0; position < 20; position += 1) {
      const bearing = (position / 20) * 2 * Math.PI;
      const metres = 800 + position * 1e-9;
      ring.push(
        indexRow(
          10_000 + position,
          origin.lon + (Math.sin(bearing) * metres) / (metresPerDegreeLat * Math.cos((origin.lat * Math.PI) / 180)),
          origin.lat + (Math.cos(bearing) * metres) / metresPerDegreeLat,
        ),
      );
      ring.push(indexRow(20_000 + position, origin.lon + 0.002, origin.lat));
    }
    const ringIndex = buildSearchIndex(ring, 1);
    for (const limit of [1, 3, 7, 19, 20, 40]) {
      for (const offset of [0, 1, 10]) {
        const filter = filterFor(2000);
        expect(answer(ringIndex, filter, { limit, offset })).toEqual(oracle(ring, filter, { limit, offset }));
      }
    }
  });

  it('finds a point at the origin and answers an empty index', () => {
    const here = [indexRow(1, origin.lon, origin.lat), indexRow(2, origin.lon + 0.1, origin.lat)];
    expect(answer(buildSearchIndex(here, 1), filterFor(50), { limit: 5, offset: 0 })).toEqual({
      total: 1,
      rows: [{ id: here[0]!.id, distance: 0 }],
    });
    expect(answer(buildSearchIndex([], 1), filterFor(50_000), { limit: 5, offset: 0 })).toEqual({ total: 0, rows: [] });
  });

  it('numbers the offers: the rows of one offer share a number, each offer has its own below offerCount, an unknown id none', () => {
    const random = seeded(3);
    // 300 rows of 120 offers (an offer at up to five places), in no particular order.
    const rows = Array.from({ length: 300 }, (_value, index) =>
      indexRow(index, origin.lon + (random() - 0.5) * 0.1, origin.lat + (random() - 0.5) * 0.1, { offerId: `offer-${(index * 7) % 120}` }),
    );
    const index = buildSearchIndex(rows, 1);
    expect(index.offerCount).toBe(120);
    const numberOf = new Map<string, number>();
    rows.forEach((row, ordinal) => {
      const number = index.offerNumberAt(ordinal);
      expect(number).toBeGreaterThanOrEqual(0);
      expect(number).toBeLessThan(120);
      expect(index.offerNumberOf(row.offerId)).toBe(number);
      expect(numberOf.get(row.offerId) ?? number).toBe(number);
      numberOf.set(row.offerId, number);
    });
    expect(new Set(numberOf.values()).size).toBe(120);
    expect(index.offerNumberOf('not-in-the-index')).toBeUndefined();
  });

  it('answers near a pole and across the antimeridian, where the search box is no plain box', () => {
    const random = seeded(5);
    const far: SearchIndexRow[] = [];
    for (let index = 0; index < 400; index += 1) {
      far.push(indexRow(30_000 + index, 179.9 + random() * 0.2 - (index % 2 === 0 ? 0 : 359.9), -16 + random() * 0.1));
      far.push(indexRow(40_000 + index, random() * 360 - 180, 89.3 + random() * 0.7));
    }
    const farIndex = buildSearchIndex(far, 1);
    for (const at of [{ lon: 179.99, lat: -15.95 }, { lon: -179.99, lat: -15.97 }, { lon: 12, lat: 89.6 }]) {
      for (const radius of [2000, 20_000, 50_000]) {
        const filter = filterFor(radius, at);
        expect(answer(farIndex, filter, { limit: 20, offset: 0 })).toEqual(oracle(far, filter, { limit: 20, offset: 0 }));
      }
    }
  });
});
