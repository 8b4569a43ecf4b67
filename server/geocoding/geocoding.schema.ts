import { z } from 'zod';
import type { AreaLevel } from '../areas/areas.schema.ts';

export const geocodeKinds = ['address', 'street', 'place'] as const;
export type GeocodeKind = (typeof geocodeKinds)[number];

/**
 * house_number: the number lies in a segment's range on its side of the street (interpolated);
 * nearest_house_number: the number is outside every range, so the nearest range end is used;
 * street: the middle of the street; area: a point inside the Stadtteil, Viertel or Stadtbezirk.
 */
export const geocodePrecisions = ['house_number', 'nearest_house_number', 'street', 'area'] as const;
export type GeocodePrecision = (typeof geocodePrecisions)[number];

export interface GeocodeResult {
  kind: GeocodeKind;
  /** What to show: "Venloer Straße 123", "Ehrenfeld". */
  label: string;
  /** A second line: the Stadtteil of an address, the Stadtteile of a street, the level of a place. */
  context: string | null;
  street: string | null;
  houseNumber: string | null;
  place: string | null;
  placeLevel: AreaLevel | null;
  areaId: string | null;
  precision: GeocodePrecision;
  /** 1 = exact; lower for completions and typo matches. */
  score: number;
  lon: number;
  lat: number;
  bbox: [number, number, number, number] | null;
}

export interface GeocodeFeature {
  type: 'Feature';
  geometry: { type: 'Point'; coordinates: [number, number] };
  bbox?: [number, number, number, number];
  properties: Omit<GeocodeResult, 'lon' | 'lat' | 'bbox'>;
}

export interface GeocodeFeatureCollection {
  type: 'FeatureCollection';
  features: GeocodeFeature[];
}

// Messages: geocoding.messages.ts.
const queryText = z
  .string()
  .trim()
  .min(2)
  .max(200)
  .refine((value) => /\p{L}/u.test(value), { params: { key: 'needs_letter' } });

const limit = (fallback: number) => z.coerce.number().int().min(1).max(20).default(fallback);

export const geocodeQuerySchema = z.object({ q: queryText, limit: limit(5) });
export const suggestQuerySchema = z.object({ q: queryText, limit: limit(8) });
export type GeocodeQuery = z.output<typeof geocodeQuerySchema>;

/** At most about 6 × 4 km: the street layer is for a neighbourhood, not for the whole city. */
export const maxStreetBoxDegrees = { lon: 0.09, lat: 0.04 } as const;

export const streetsQuerySchema = z.object({
  bbox: z
    .string()
    .transform((value, context) => {
      const parts = value.split(',').map((part) => Number(part.trim()));
      const [west, south, east, north] = parts as [number, number, number, number];
      if (parts.length !== 4 || parts.some((part) => !Number.isFinite(part))) {
        context.addIssue({ code: 'custom', params: { key: 'bbox_numbers' } });
        return z.NEVER;
      }
      if (west < -180 || east > 180 || south < -90 || north > 90 || west >= east || south >= north) {
        context.addIssue({ code: 'custom', params: { key: 'bbox_order' } });
        return z.NEVER;
      }
      // A hair of tolerance: the client widens its view to a 0.01° grid, and e.g. 50.95 − 50.91 is
      // 0.04000000000000625 in floating point (tests/unit/street-box.test.ts).
      const tolerance = 1e-9;
      if (east - west > maxStreetBoxDegrees.lon + tolerance || north - south > maxStreetBoxDegrees.lat + tolerance) {
        context.addIssue({ code: 'custom', params: { key: 'bbox_too_large' } });
        return z.NEVER;
      }
      return [west, south, east, north] as [number, number, number, number];
    }),
});

export interface StreetFeatureCollection {
  type: 'FeatureCollection';
  features: Array<{ type: 'Feature'; geometry: { type: 'LineString'; coordinates: Array<[number, number]> }; properties: { name: string | null } }>;
}
