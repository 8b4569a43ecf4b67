import type { AccessPair } from './e2sfca.ts';
import { ellipsoidDistanceMeters, localFrame, screeningMargin } from '../streets/geodesic.ts';

export interface PointList {
  lon: ArrayLike<number>;
  lat: ArrayLike<number>;
}

export interface AirlineResult {
  /** Airline distance in metres from each demand point to its nearest supply point (Infinity: none). */
  distance: Float64Array;
  nearest: Int32Array;
  /** Pairs closer than `pairsWithinMeters`, with the exact distance as cost. */
  pairs: AccessPair[];
}

/** A distance between two lon/lat points in metres (server/streets/geodesic.ts). */
export type EarthMeasure = (lon1: number, lat1: number, lon2: number, lat2: number) => number;

/**
 * Nearest supply point and all pairs within a radius, by airline distance: on the ellipsoid by
 * default (the airline mode promises the shares of ST_DWithin on geography); the walking fallback
 * passes the street kernel's earth distance, so that it equals the search's detour estimate.
 * A local planar distance screens each pair; only candidates near the minimum or the radius
 * are measured exactly, so the result equals an all-exact computation.
 */
export function airlineDistances(
  demand: PointList,
  supply: PointList,
  pairsWithinMeters: number,
  measure: EarthMeasure = ellipsoidDistanceMeters,
): AirlineResult {
  const demandCount = demand.lon.length;
  const supplyCount = supply.lon.length;
  const distance = new Float64Array(demandCount).fill(Number.POSITIVE_INFINITY);
  const nearest = new Int32Array(demandCount).fill(-1);
  const pairs: AccessPair[] = [];
  const approximate = new Float64Array(supplyCount);
  const pairLimit = pairsWithinMeters + screeningMargin(pairsWithinMeters);
  for (let i = 0; i < demandCount; i++) {
    const lon = demand.lon[i]!;
    const lat = demand.lat[i]!;
    const frame = localFrame(lat);
    let bestApproximate = Number.POSITIVE_INFINITY;
    for (let j = 0; j < supplyCount; j++) {
      const dx = (supply.lon[j]! - lon) * frame.metersPerDegreeLon;
      const dy = (supply.lat[j]! - lat) * frame.metersPerDegreeLat;
      const value = Math.sqrt(dx * dx + dy * dy);
      approximate[j] = value;
      if (value < bestApproximate) bestApproximate = value;
    }
    const nearestLimit = bestApproximate + screeningMargin(bestApproximate);
    for (let j = 0; j < supplyCount; j++) {
      const value = approximate[j]!;
      if (value > nearestLimit && value > pairLimit) continue;
      const exact = measure(lon, lat, supply.lon[j]!, supply.lat[j]!);
      if (exact < distance[i]!) {
        distance[i] = exact;
        nearest[i] = j;
      }
      if (exact <= pairsWithinMeters) pairs.push({ demand: i, supply: j, cost: exact });
    }
  }
  return { distance, nearest, pairs };
}
