import { describe, expect, it } from 'vitest';
import { buildSearchIndex, type IndexFilter } from '../../server/search/search-index.ts';
import type { RequestFields } from '../../server/search/search-json.ts';
import type { PageRows } from '../../server/search/search-page.ts';
import { firstWalkingWindow, pageCertainInWindow, pickRows, walkingOrder, walkingOrderOf, walkingOrderWindow } from '../../server/search/search-walking-order.ts';
import { noFilter, type SearchIndexRow } from '../../server/search/search.repo.ts';
import type { WalkingMeters } from '../../server/streets/walking.ts';
import { indexRow, seeded } from '../helpers/search-index-rows.ts';

// The search puts the nearest 200 matches of a place in walking order. From the index it takes
// only their ordinals, airline distances and places (`SearchIndex.nearest`), orders them and builds
// rows for the page alone; that light path must give the very page of the full one: 200 rows
// (`query`), their request fields, `walkingOrder`, `pickRows`.

const origin = { lon: 6.95, lat: 50.94 };

/** A row with opening hours, costs, languages and terms varied by `index`. */
function row(index: number, lon: number, lat: number): SearchIndexRow {
  return indexRow(index, lon, lat, {
    openingHours: index % 3 === 0 ? 'Mo-Fr 09:00-17:00' : null,
    costKind: index % 4 === 0 ? 'free' : 'paid',
    languages: index % 2 === 0 ? ['de'] : ['de', 'tr'],
    termIds: index % 5 === 0 ? ['term-a'] : ['term-b'],
  });
}

/** Offers around the origin; some share a place (equal airline distances), shuffled so that row order is not id order. */
function cityRows(count: number, random: () => number): SearchIndexRow[] {
  const rows: SearchIndexRow[] = [];
  for (let index = 0; index < count; index += 1) {
    const shared = index % 7 === 0 && index > 0 ? rows[index - 1] : undefined;
    rows.push(row(index, shared ? shared.lon : origin.lon + (random() - 0.5) * 0.1, shared ? shared.lat : origin.lat + (random() - 0.5) * 0.06));
  }
  for (let index = rows.length - 1; index > 0; index -= 1) {
    const other = Math.floor(random() * (index + 1));
    [rows[index], rows[other]] = [rows[other]!, rows[index]!];
  }
  return rows;
}

/** Walking metres with many ties (whole 50 m) and both methods, as the street kernel would give them. */
function walkedFor(distances: ArrayLike<number>): WalkingMeters {
  const meters = Float64Array.from({ length: distances.length }, (_value, position) => Math.round((distances[position]! * 1.3) / 50) * 50);
  const overNetwork = Uint8Array.from({ length: distances.length }, (_value, position) => position % 3);
  return { meters, overNetwork: overNetwork.map((value) => (value === 0 ? 0 : 1)) };
}

const opening = { status: 'unknown', opensAt: null, closesAt: null, comment: null } as const;

describe('walking order from the index without rows', () => {
  const random = seeded(7);
  const rows = cityRows(3000, random);
  const index = buildSearchIndex(rows, 1);
  const filters: Array<Partial<IndexFilter>> = [{}, { offerTypeIds: ['type-a'] }, { free: true }, { targetGroupIds: ['term-a'] }, { languages: ['tr'] }, { targetGroupIds: ['unknown'] }];

  it('nearest(filter, k) holds the first k of query: ordinals, airline distances to the bit, places and the total', () => {
    for (let trial = 0; trial < 120; trial += 1) {
      const at = { lon: origin.lon + (random() - 0.5) * 0.08, lat: origin.lat + (random() - 0.5) * 0.05 };
      const filter: IndexFilter = { ...noFilter, origin: at, radiusMeters: [100, 500, 2000, 5000, 50_000][trial % 5]!, ...filters[trial % filters.length] };
      const limit = [walkingOrderWindow, 1, 20, 57][trial % 4]!;
      const full = index.query(filter, { limit, offset: 0 });
      const near = index.nearest({ ...filter, origin: at }, limit);
      expect(near.total).toBe(full.total);
      expect(Array.from(near.ordinals)).toEqual(full.ordinals);
      expect(Array.from(near.distances)).toEqual(full.distances);
      expect(Array.from(near.lons, (lon, position) => [lon, near.lats[position]])).toEqual(full.positions);
    }
  });

  it('gives the page of the full path: the same rows in the same order, with their distances, for every page within the window', () => {
    let comparedPages = 0;
    for (let trial = 0; trial < 60; trial += 1) {
      const at = { lon: origin.lon + (random() - 0.5) * 0.08, lat: origin.lat + (random() - 0.5) * 0.05 };
      const filter: IndexFilter = { ...noFilter, origin: at, radiusMeters: [2000, 5000, 800][trial % 3]!, ...filters[trial % (filters.length - 1)] };
      // The full path: 200 rows, their request fields, walkingOrder, pickRows.
      const full = index.query(filter, { limit: walkingOrderWindow, offset: 0 });
      const walkedFull = walkedFor(full.distances.map((distance) => distance!));
      const fields: RequestFields[] = full.distances.map((distance, position) => ({
        distanceMeters: Math.round(distance!),
        walkingDistanceMeters: walkedFull.meters[position]!,
        walkingDistanceMethod: walkedFull.overNetwork[position] === 1 ? 'network' : 'detour_factor',
        walkingMinutes: 1,
        opening,
      }));
      const window: PageRows = { ...full, fromIndex: { index, ordinals: full.ordinals } };
      const fullOrder = walkingOrder(window.rows, fields);
      // The light path.
      const near = index.nearest({ ...filter, origin: at }, walkingOrderWindow);
      const lightOrder = walkingOrderOf(near, walkedFor(near.distances), index.idAt);
      for (const page of [
        { offset: 0, limit: 20 },
        { offset: 20, limit: 20 },
        { offset: 180, limit: 20 },
        { offset: 0, limit: 50 },
      ]) {
        const expected = pickRows(window, fullOrder.slice(page.offset, page.offset + page.limit));
        const chosen = lightOrder.slice(page.offset, page.offset + page.limit);
        const ordinals = chosen.map((position) => near.ordinals[position]!);
        const light = index.pageAt(ordinals, near.total);
        expect(ordinals).toEqual(expected.fromIndex!.ordinals);
        expect(light.rows.map((found) => found.id)).toEqual(expected.rows.map((found) => found.id));
        expect(chosen.map((position) => near.distances[position])).toEqual(expected.distances);
        expect(light.positions).toEqual(expected.positions);
        expect(light.openingHours).toEqual(expected.openingHours);
        if (expected.rows.length > 0) comparedPages += 1;
      }
    }
    expect(comparedPages).toBeGreaterThan(150);
  });

  it('orders metres beyond its packed keys (tens of thousands of kilometres) as walkingOrder', () => {
    const at = { lon: origin.lon + 0.01, lat: origin.lat };
    const filter: IndexFilter = { ...noFilter, origin: at, radiusMeters: 5000 };
    const full = index.query(filter, { limit: walkingOrderWindow, offset: 0 });
    const near = index.nearest({ ...filter, origin: at }, walkingOrderWindow);
    // Every fifth one absurdly far (2^25 m and more), in ties, the rest whole 50 m.
    const walked = walkedFor(near.distances);
    walked.meters.forEach((_meters, position) => {
      if (position % 5 === 0) walked.meters[position] = 2 ** 25 + (position % 3) * 1000;
    });
    const fields: RequestFields[] = full.distances.map((distance, position) => ({
      distanceMeters: Math.round(distance!),
      walkingDistanceMeters: walked.meters[position]!,
      walkingDistanceMethod: 'network',
      walkingMinutes: 1,
      opening,
    }));
    const expected = walkingOrder(full.rows, fields);
    expect(near.ordinals.length).toBe(walkingOrderWindow);
    expect(walkingOrderOf(near, walked, index.idAt)).toEqual(expected);
  });

  it('leaves out the places the walk left unmeasured (NaN: farther than the page), packed or not', () => {
    const at = { lon: origin.lon - 0.01, lat: origin.lat };
    const near = index.nearest({ ...noFilter, origin: at, radiusMeters: 5000 }, walkingOrderWindow);
    for (const far of [false, true]) {
      const walked = walkedFor(near.distances);
      walked.meters.forEach((_meters, position) => {
        if (position % 3 === 1) walked.meters[position] = Number.NaN;
        // Metres beyond the packed keys take the comparison.
        else if (far && position % 7 === 0) walked.meters[position] = 2 ** 25;
      });
      const measured = Array.from(walked.meters, (_value, position) => position).filter((position) => !Number.isNaN(walked.meters[position]!));
      const expected = [...measured].sort(
        (a, b) =>
          walked.meters[a]! - walked.meters[b]! ||
          Math.round(near.distances[a]!) - Math.round(near.distances[b]!) ||
          (index.idAt(near.ordinals[a]!) < index.idAt(near.ordinals[b]!) ? -1 : 1),
      );
      expect(walkingOrderOf(near, walked, index.idAt)).toEqual(expected);
    }
  });

  it('nearest orders ties and distances nanometres apart as query, and more candidates than it packs', () => {
    const metresPerDegreeLat = 111_195;
    const rowsNear: SearchIndexRow[] = [];
    for (let position = 0; position < 60; position += 1) {
      const bearing = (position / 60) * 2 * Math.PI;
      const metres = 800 + (position % 20) * 1e-9;
      rowsNear.push(
        row(
          10_000 + position,
          origin.lon + (Math.sin(bearing) * metres) / (metresPerDegreeLat * Math.cos((origin.lat * Math.PI) / 180)),
          origin.lat + (Math.cos(bearing) * metres) / metresPerDegreeLat,
        ),
      );
      rowsNear.push(row(20_000 + position, origin.lon + 0.002, origin.lat));
    }
    // Beyond 1,024 candidates the index sorts by comparison.
    for (let position = 0; position < 1500; position += 1) rowsNear.push(row(30_000 + position, origin.lon + (random() - 0.5) * 0.02, origin.lat + (random() - 0.5) * 0.02));
    const ringIndex = buildSearchIndex(rowsNear, 1);
    for (const limit of [1, 7, 40, 120, walkingOrderWindow, 1200]) {
      const filter: IndexFilter = { ...noFilter, origin, radiusMeters: 5000 };
      const full = ringIndex.query(filter, { limit, offset: 0 });
      const near = ringIndex.nearest({ ...filter, origin }, limit);
      expect(Array.from(near.ordinals)).toEqual(full.ordinals);
      expect(Array.from(near.distances)).toEqual(full.distances);
    }
  });

  it('breaks ties of walking and airline metres by id, as walkingOrder', () => {
    // Twenty offers at one place: one walking distance, one airline distance; only the id orders them.
    const place = { lon: origin.lon + 0.004, lat: origin.lat };
    const together = buildSearchIndex(
      Array.from({ length: 20 }, (_value, position) => row(19 - position, place.lon, place.lat)),
      1,
    );
    const near = together.nearest({ ...noFilter, origin, radiusMeters: 2000 }, walkingOrderWindow);
    const walked = { meters: new Float64Array(near.ordinals.length).fill(400), overNetwork: new Uint8Array(near.ordinals.length).fill(1) };
    const ids = walkingOrderOf(near, walked, together.idAt).map((position) => together.idAt(near.ordinals[position]!));
    expect(ids).toHaveLength(20);
    expect(ids).toEqual([...ids].sort());
  });
});

describe('the first walking window', () => {
  const random = seeded(11);
  const rows = cityRows(3000, random);
  const index = buildSearchIndex(rows, 1);
  /** A walk per place, the same whatever the window (as the street kernel's): 1 to 5 × airline in whole 25 m, so with ties. */
  const detours = Float64Array.from({ length: rows.length }, () => 1 + random() * 4);
  const walkedOf = (near: ReturnType<typeof index.nearest>): WalkingMeters => ({
    meters: Float64Array.from(near.ordinals, (ordinal, position) => Math.ceil((near.distances[position]! * detours[ordinal]!) / 25) * 25),
    overNetwork: new Uint8Array(near.ordinals.length).fill(1),
  });

  it('starts with the nearest 100 for a first page, and with the whole window for pages that reach far', () => {
    expect(firstWalkingWindow(20)).toBe(100);
    expect(firstWalkingWindow(50)).toBe(150);
    expect(firstWalkingWindow(180)).toBe(walkingOrderWindow);
  });

  it('calls a page certain only when no place beyond the first window can come before or beside its last', () => {
    let certain = 0;
    let uncertain = 0;
    for (let trial = 0; trial < 80; trial += 1) {
      const at = { lon: origin.lon + (random() - 0.5) * 0.06, lat: origin.lat + (random() - 0.5) * 0.04 };
      const filter = { ...noFilter, origin: at, radiusMeters: 5000, ...(trial % 2 === 0 ? {} : { languages: ['tr'] }) };
      const needed = [20, 40, 1][trial % 3]!;
      const whole = index.nearest(filter, walkingOrderWindow);
      const wholeOrder = walkingOrderOf(whole, walkedOf(whole), index.idAt);
      const first = index.nearest(filter, firstWalkingWindow(needed));
      expect(first.ordinals.length).toBe(firstWalkingWindow(needed));
      const walked = walkedOf(first);
      const order = walkingOrderOf(first, walked, index.idAt);
      const page = (near: typeof first, positions: number[], meters: Float64Array) =>
        positions.slice(0, needed).map((position) => [near.ordinals[position], meters[position]]);
      if (pageCertainInWindow(first, walked, order, needed)) {
        certain += 1;
        expect(page(first, order, walked.meters)).toEqual(page(whole, wholeOrder, walkedOf(whole).meters));
      } else {
        uncertain += 1;
      }
    }
    // Both outcomes occur: the detours reach 5 × airline.
    expect(certain).toBeGreaterThan(20);
    expect(uncertain).toBeGreaterThan(20);
  });

  it('is certain only below 99 % of the farthest airline distance in the window, less 3 m, with the page in the order', () => {
    // 100 places 10 m apart by airline; places beyond walk at least 1000 × 0.99 − 3 = 987 m.
    const near = {
      ordinals: Uint32Array.from({ length: 100 }, (_value, position) => position),
      distances: Float64Array.from({ length: 100 }, (_value, position) => 10 * (position + 1)),
      lons: new Float64Array(100),
      lats: new Float64Array(100),
      total: 500,
    };
    const order = Array.from({ length: 100 }, (_value, position) => position);
    const walked = { meters: Float64Array.from(near.distances), overNetwork: new Uint8Array(100) };
    walked.meters[19] = 987;
    expect(pageCertainInWindow(near, walked, order, 20)).toBe(false);
    walked.meters[19] = 986;
    expect(pageCertainInWindow(near, walked, order, 20)).toBe(true);
    // Not with an estimate where the bound cut a walk short: a larger window walks farther.
    expect(pageCertainInWindow(near, { ...walked, estimatedBeyondBound: true }, order, 20)).toBe(false);
    // The page's last is the order's, not the position's.
    expect(pageCertainInWindow(near, walked, [...order.slice(0, 19), 99], 20)).toBe(false);
    expect(pageCertainInWindow(near, walked, order.slice(0, 10), 20)).toBe(false);
    expect(pageCertainInWindow(near, walked, order, 0)).toBe(true);
    const empty = { ordinals: new Uint32Array(0), distances: new Float64Array(0), lons: new Float64Array(0), lats: new Float64Array(0), total: 0 };
    expect(pageCertainInWindow(empty, { meters: new Float64Array(0), overNetwork: new Uint8Array(0) }, [], 20)).toBe(false);
  });
});
