import KDBush from 'kdbush';
import type { SearchFilter, SearchIndexRow, SearchRow } from './search.repo.ts';

// The citizens' search answered from memory: every visible offer location in a static k-d tree
// (kdbush) over longitude/latitude, with the columns of a result. Pure: built from rows, asked with
// the same filter as the SQL path (server/search/search.repo.ts), and answering alike: the same
// sphere distance as PostGIS's geography `<->` and ST_Distance(…, false), the same order
// (distance, then id), the radius cut at `distance <= radius`.

/** PostGIS's sphere for geography distances: the WGS 84 mean radius (2a + b) / 3. */
const wgs84A = 6_378_137;
const wgs84B = wgs84A * (1 - 1 / 298.257223563);
export const sphereRadiusMeters = (2 * wgs84A + wgs84B) / 3;

function radians(degrees: number): number {
  return (Math.PI * degrees) / 180;
}

/** Great-circle distance in metres, written as PostGIS's sphere_distance (lwgeodetic.c). */
export function sphereDistanceMeters(lon1: number, lat1: number, lon2: number, lat2: number): number {
  const startLat = radians(lat1);
  const endLat = radians(lat2);
  const deltaLon = radians(lon2) - radians(lon1);
  const cosDeltaLon = Math.cos(deltaLon);
  const cosEndLat = Math.cos(endLat);
  const sinEndLat = Math.sin(endLat);
  const cosStartLat = Math.cos(startLat);
  const sinStartLat = Math.sin(startLat);
  const a1 = (cosEndLat * Math.sin(deltaLon)) ** 2;
  const a2 = (cosStartLat * sinEndLat - sinStartLat * cosEndLat * cosDeltaLon) ** 2;
  const b = sinStartLat * sinEndLat + cosStartLat * cosEndLat * cosDeltaLon;
  return sphereRadiusMeters * Math.atan2(Math.sqrt(a1 + a2), b);
}

/** What the index answers: a place and the offer filters; no full text (that stays in SQL). */
export type IndexFilter = Omit<SearchFilter, 'origin' | 'text' | 'withOpeningHours'> & { origin: { lon: number; lat: number } };

export interface IndexPage {
  rows: SearchRow[];
  /** Every match within the radius (exact, never capped). */
  total: number;
}

export interface SearchIndex {
  /** The change counter of the data the index was built from. */
  readonly generation: number;
  readonly size: number;
  /** The distinct opening-hours values of the indexed offers (for "open now"). */
  readonly openingHoursValues: readonly string[];
  query(filter: IndexFilter, page: { limit: number; offset: number }): IndexPage;
}

function anyOf(values: readonly string[], wanted: ReadonlySet<string>): boolean {
  for (const value of values) if (wanted.has(value)) return true;
  return false;
}

function setOrNull(values: string[] | null): ReadonlySet<string> | null {
  return values ? new Set(values) : null;
}

/** Rearranges `values[0..length)` so that `values[k]` is the k-th smallest (Hoare's selection). */
function selectKth(values: Float64Array, length: number, k: number): number {
  let left = 0;
  let right = length - 1;
  while (left < right) {
    const pivot = values[(left + right) >> 1]!;
    let i = left;
    let j = right;
    while (i <= j) {
      while (values[i]! < pivot) i += 1;
      while (values[j]! > pivot) j -= 1;
      if (i <= j) {
        const swap = values[i]!;
        values[i] = values[j]!;
        values[j] = swap;
        i += 1;
        j -= 1;
      }
    }
    if (k <= j) right = j;
    else if (k >= i) left = i;
    else break;
  }
  return values[k]!;
}

export function buildSearchIndex(rows: readonly SearchIndexRow[], generation: number): SearchIndex {
  const count = rows.length;
  // The trigonometry of each point is computed once here, with the same expressions as
  // sphereDistanceMeters, so the distances are the same to the last bit.
  const lonRadians = new Float64Array(count);
  const sinLat = new Float64Array(count);
  const cosLat = new Float64Array(count);
  const tree = new KDBush(Math.max(count, 1));
  rows.forEach((row, index) => {
    lonRadians[index] = radians(row.lon);
    sinLat[index] = Math.sin(radians(row.lat));
    cosLat[index] = Math.cos(radians(row.lat));
    tree.add(row.lon, row.lat);
  });
  // kdbush needs at least one point; an empty city gets a point no query reaches.
  if (count === 0) tree.add(Number.NaN, Number.NaN);
  tree.finish();
  const openingHoursValues = [...new Set(rows.map((row) => row.openingHours).filter((value): value is string => value !== null))];
  // Scratch space of one query (queries run synchronously, one at a time).
  const matchIds = new Uint32Array(count);
  const matchDistances = new Float64Array(count);
  const selection = new Float64Array(count);

  return {
    generation,
    size: count,
    openingHoursValues,
    query(filter, page) {
      const { origin, radiusMeters } = filter;
      // A box around the circle, widened a little against rounding; near the poles or across the
      // antimeridian the whole world (the distance check below decides).
      const latDelta = ((radiusMeters / sphereRadiusMeters) * 180) / Math.PI;
      const maxAbsLat = Math.abs(origin.lat) + latDelta;
      let ids: number[];
      if (maxAbsLat >= 89) {
        ids = tree.range(-180, -90, 180, 90);
      } else {
        const lonDelta = latDelta / Math.cos(radians(maxAbsLat));
        const margin = 1.01;
        const west = origin.lon - lonDelta * margin;
        const east = origin.lon + lonDelta * margin;
        ids =
          west < -180 || east > 180
            ? tree.range(-180, -90, 180, 90)
            : tree.range(west, origin.lat - latDelta * margin, east, origin.lat + latDelta * margin);
      }
      const offerTypes = setOrNull(filter.offerTypeIds);
      const targetGroups = setOrNull(filter.targetGroupIds);
      const fieldsOfAction = setOrNull(filter.fieldOfActionIds);
      const languages = setOrNull(filter.languages);
      const openingHours = setOrNull(filter.openingHoursIn);
      const { accessibilityIds, age, free } = filter;
      const originLon = radians(origin.lon);
      const sinOriginLat = Math.sin(radians(origin.lat));
      const cosOriginLat = Math.cos(radians(origin.lat));
      let matched = 0;
      for (const id of ids) {
        const row = rows[id];
        if (!row) continue;
        if (offerTypes && !offerTypes.has(row.offerTypeId)) continue;
        if (targetGroups && !anyOf(row.termIds, targetGroups)) continue;
        if (fieldsOfAction && !anyOf(row.termIds, fieldsOfAction)) continue;
        if (accessibilityIds.length > 0 && accessibilityIds.some((termId) => !row.termIds.includes(termId))) continue;
        if (languages && !anyOf(row.languages, languages)) continue;
        if (free && row.costKind !== 'free') continue;
        if (age !== null && ((row.minAge !== null && row.minAge > age) || (row.maxAge !== null && row.maxAge < age))) continue;
        if (openingHours && (row.openingHours === null || !openingHours.has(row.openingHours))) continue;
        // sphereDistanceMeters, with the point's terms precomputed.
        const deltaLon = lonRadians[id]! - originLon;
        const cosDeltaLon = Math.cos(deltaLon);
        const a1 = (cosLat[id]! * Math.sin(deltaLon)) ** 2;
        const a2 = (cosOriginLat * sinLat[id]! - sinOriginLat * cosLat[id]! * cosDeltaLon) ** 2;
        const b = sinOriginLat * sinLat[id]! + cosOriginLat * cosLat[id]! * cosDeltaLon;
        const distance = sphereRadiusMeters * Math.atan2(Math.sqrt(a1 + a2), b);
        if (distance <= radiusMeters) {
          matchIds[matched] = id;
          matchDistances[matched] = distance;
          matched += 1;
        }
      }
      // Only the first offset + limit are ordered: the k-th smallest distance bounds them.
      const needed = page.offset + page.limit;
      let threshold = Number.POSITIVE_INFINITY;
      if (matched > needed && needed > 0) {
        selection.set(matchDistances.subarray(0, matched));
        threshold = selectKth(selection, matched, needed - 1);
      }
      const candidates: Array<{ id: number; distance: number }> = [];
      for (let index = 0; index < matched; index += 1) {
        if (matchDistances[index]! <= threshold) candidates.push({ id: matchIds[index]!, distance: matchDistances[index]! });
      }
      // Ids are lower-case UUIDs: string order is PostgreSQL's uuid order.
      candidates.sort((a, b) => a.distance - b.distance || (rows[a.id]!.id < rows[b.id]!.id ? -1 : rows[a.id]!.id > rows[b.id]!.id ? 1 : 0));
      return {
        total: matched,
        rows: candidates.slice(page.offset, needed).map(({ id, distance }) => ({ ...rows[id]!, distanceMeters: distance })),
      };
    },
  };
}
