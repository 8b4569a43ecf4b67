import type { GapsResult } from '../../../../server/coverage/coverage.schema';
import { bboxOfGeometry, type Bbox } from '../../../map/geometry';

// Cologne's segment file tells equal street names in former villages apart with a two-letter place
// code ("Buchenweg Wi"); people read the street name and the Sozialraum instead (the same rule as
// server/geocoding/street-key.ts, which the client may not import).
const localitySuffixPattern = /^(.+?)\s+([A-ZÄÖÜ][a-zäöüß])$/u;

export function readableStreetName(rawName: string): string {
  const trimmed = rawName.trim().replace(/\s+/g, ' ');
  return localitySuffixPattern.exec(trimmed)?.[1] ?? trimmed;
}

export interface GapRow {
  key: string;
  rank: number;
  streetName: string | null;
  areaName: string;
  uncoveredResidents: number;
  /** The farthest distance to the nearest offer among the merged segments. */
  distanceMeters: number | null;
  bounds: Bbox | null;
}

function unionBbox(a: Bbox | null, b: Bbox | null): Bbox | null {
  if (!a) return b;
  if (!b) return a;
  return [Math.min(a[0], b[0]), Math.min(a[1], b[1]), Math.max(a[2], b[2]), Math.max(a[3], b[3])];
}

/**
 * The gap list as people read it: the segments of one street in one Sozialraum are one row (their
 * residents summed, the extent joined), ranked again by residents without an offer.
 */
export function gapRows(gaps: GapsResult, limit: number): GapRow[] {
  const rows = new Map<string, GapRow>();
  for (const feature of gaps.features) {
    const properties = feature.properties;
    const streetName = properties.streetName ? readableStreetName(properties.streetName) : null;
    const key = `${properties.areaId}\u0000${streetName ?? `#${feature.id}`}`;
    const bounds = bboxOfGeometry(feature.geometry);
    const existing = rows.get(key);
    if (existing) {
      existing.uncoveredResidents += properties.uncoveredResidents;
      existing.distanceMeters =
        existing.distanceMeters === null ? properties.distanceMeters : properties.distanceMeters === null ? existing.distanceMeters : Math.max(existing.distanceMeters, properties.distanceMeters);
      existing.bounds = unionBbox(existing.bounds, bounds);
    } else {
      rows.set(key, { key, rank: 0, streetName, areaName: properties.areaName, uncoveredResidents: properties.uncoveredResidents, distanceMeters: properties.distanceMeters, bounds });
    }
  }
  return [...rows.values()]
    .sort((a, b) => b.uncoveredResidents - a.uncoveredResidents || a.areaName.localeCompare(b.areaName) || (a.streetName ?? '').localeCompare(b.streetName ?? ''))
    .slice(0, limit)
    .map((row, index) => ({ ...row, rank: index + 1 }));
}
