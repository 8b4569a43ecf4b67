import { describe, expect, it } from 'vitest';
import { indexChangesSteps } from '../../server/search/search-index-changes.ts';
import { buildSearchIndex, type IndexFilter, type SearchIndex } from '../../server/search/search-index.ts';
import { noFilter, type SearchIndexRow } from '../../server/search/search.repo.ts';
import { joinLexemes, parseTsquery } from '../../server/search/search-text.ts';
import { indexRow, seeded } from '../helpers/search-index-rows.ts';

// The changes of a stale index (server/search/search-index-changes.ts): a filter is touched exactly
// when a changed offer's row matched it within its radius before the change or matches now, and
// an untouched filter gets the same answer from the stale index as from an index of the data now.

const origin = { lon: 6.95, lat: 50.94 };
const termSets = [[], ['term-a'], ['term-b'], ['term-a', 'term-c']];
const hourValues = [null, 'Mo-Fr 09:00-17:00', '24/7'];
const lexemeSets = [['berat'], ['senior', 'treff'], [], ['kita']];

function cityRow(index: number, random: () => number, variant = 0): SearchIndexRow {
  const pick = <T>(items: readonly T[]) => items[(index + variant) % items.length]!;
  return indexRow(index, origin.lon + (random() - 0.5) * 0.12, origin.lat + (random() - 0.5) * 0.08, {
    termIds: pick(termSets),
    openingHours: pick(hourValues),
    costKind: (index + variant) % 4 === 0 ? 'free' : 'paid',
    lexemes: joinLexemes(pick(lexemeSets)),
    offerTypeId: (index + variant) % 3 === 0 ? 'type-a' : 'type-b',
  });
}

function run<T>(steps: Generator<void, T, void>): T {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/** The changed offers' rows matching a filter within its radius in an index (by `query`, the tested path). */
function matchingChanged(index: SearchIndex, filter: IndexFilter, changed: ReadonlySet<string>): string[] {
  const all = index.query(filter, { limit: index.size, offset: 0 });
  return all.rows.filter((row) => changed.has(row.offerId)).map((row) => row.id);
}

describe('the changes of a stale search index', () => {
  it('touch exactly the filters a changed offer matches before or after, and leave the others their answer', () => {
    const random = seeded(7);
    const before = Array.from({ length: 2000 }, (_, index) => cityRow(index, random));
    // Changed: 10 deleted, 10 given other values (and moved), 10 new offers.
    const deleted = new Set(before.filter((_, index) => index % 200 === 3).map((row) => row.offerId));
    const edited = new Map(before.filter((_, index) => index % 200 === 11).map((row, position) => [row.offerId, cityRow(Number.parseInt(row.id.slice(-12), 16), random, 1 + position)]));
    const created = Array.from({ length: 10 }, (_, index) => cityRow(5000 + index, random));
    const after = [...before.filter((row) => !deleted.has(row.offerId)).map((row) => edited.get(row.offerId) ?? row), ...created];
    const changedIds = [...deleted, ...edited.keys(), ...created.map((row) => row.offerId)];
    const changed = new Set(changedIds);

    const base = buildSearchIndex(before.map((row) => ({ ...row })), 1);
    const now = buildSearchIndex(after.map((row) => ({ ...row })), 2);
    const currentRows = after.filter((row) => changed.has(row.offerId)).map((row) => ({ ...row }));
    const changes = run(indexChangesSteps(base, changedIds, currentRows, 2));
    expect(changes.base).toBe(base);
    expect(changes.generation).toBe(2);
    expect(new Set(changes.openingHoursValues)).toEqual(new Set([...base.openingHoursValues, ...now.openingHoursValues]));

    const filters: IndexFilter[] = [];
    for (let index = 0; index < 300; index += 1) {
      const place = index % 5 === 0 ? null : { lon: origin.lon + (random() - 0.5) * 0.1, lat: origin.lat + (random() - 0.5) * 0.06 };
      filters.push({
        ...noFilter,
        origin: place,
        radiusMeters: [100, 300, 800, 3000][index % 4]!,
        offerTypeIds: index % 3 === 0 ? ['type-a'] : null,
        targetGroupIds: index % 4 === 1 ? ['term-a'] : null,
        openingHoursIn: index % 5 === 2 ? ['24/7'] : null,
        free: index % 7 === 0,
        textWords: index % 6 === 4 ? [{ query: parseTsquery("'senior':*")!, ending: null }] : null,
      });
    }
    let touched = 0;
    let windowsKept = 0;
    for (const filter of filters) {
      const label = JSON.stringify(filter);
      // The total now, from the stale index and the changes, whether touched or not.
      const counted = { limit: 0, offset: 0 };
      expect(base.query(filter, counted).total + changes.totalChange(filter), label).toBe(now.query(filter, counted).total);
      // The nearest 20 (a window, as the service's walking-order window of 200): the same when no
      // changed row lies as near as the farthest of them.
      if (filter.origin) {
        const place = { ...filter, origin: filter.origin };
        const nearest = base.nearest(place, 20);
        if (nearest.distances.length === 20 && !changes.touches(filter, nearest.distances[19]!)) {
          windowsKept += 1;
          const ids = (index: SearchIndex, ordinals: Uint32Array) => Array.from(ordinals, (ordinal) => index.idAt(ordinal));
          const fresh = now.nearest(place, 20);
          expect(ids(base, nearest.ordinals), label).toEqual(ids(now, fresh.ordinals));
          expect(nearest.distances, label).toEqual(fresh.distances);
        }
      }
      const expected = matchingChanged(base, filter, changed).length > 0 || matchingChanged(now, filter, changed).length > 0;
      expect(changes.touches(filter), label).toBe(expected);
      if (expected) {
        touched += 1;
        continue;
      }
      // Untouched: the stale index answers as an index of the data now.
      const page = { limit: 20, offset: 0 };
      const stale = base.query(filter, page);
      const fresh = now.query(filter, page);
      expect(stale.total, label).toBe(fresh.total);
      expect(stale.rows.map((row) => row.id), label).toEqual(fresh.rows.map((row) => row.id));
      expect(stale.distances, label).toEqual(fresh.distances);
    }
    // Each kind occurs often enough to mean something.
    expect(windowsKept).toBeGreaterThan(30);
    expect(touched).toBeGreaterThan(30);
    expect(filters.length - touched).toBeGreaterThan(30);
  });

  it('are empty for an index no changed offer belongs to and no changed offer is visible in', () => {
    const random = seeded(3);
    const base = buildSearchIndex(Array.from({ length: 50 }, (_, index) => cityRow(index, random)), 1);
    const changes = run(indexChangesSteps(base, ['90000000-0000-4000-8000-000000000001'], [], 2));
    expect(changes.touches({ ...noFilter, origin: null, radiusMeters: 1000 })).toBe(false);
    expect(changes.touches({ ...noFilter, origin, radiusMeters: 50_000 })).toBe(false);
  });
});
