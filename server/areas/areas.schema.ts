import { z } from 'zod';

export const areaLevels = ['city', 'district', 'sozialraum', 'quarter'] as const;
export type AreaLevel = (typeof areaLevels)[number];

/**
 * The levels the areas API lists: the imported ones and `area_set`, unions of areas from a
 * member-code file (issue 13). Area files never import a set, so `areaLevels` leaves it out.
 */
export const listedAreaLevels = [...areaLevels, 'area_set'] as const;
export type ListedAreaLevel = (typeof listedAreaLevels)[number];

export const listAreasQuerySchema = z.object({
  level: z.enum(listedAreaLevels).optional(),
  parentId: z.uuid().optional(),
  /** The boundaries valid on this day (YYYY-MM-DD); today's without it. */
  at: z.iso.date().optional(),
});

export interface AreaProperties {
  id: string;
  code: string;
  name: string;
  level: ListedAreaLevel;
  parentId: string | null;
  parentName: string | null;
  areaKm2: number;
  /** The boundary version: valid from (null: since ever) until (null: still valid). */
  validFrom: string | null;
  validTo: string | null;
  /** Symmetric difference with the version before, as a share of this area; null for a first version. */
  boundaryChange: number | null;
}

export interface AreaFeature {
  type: 'Feature';
  id: string;
  properties: AreaProperties;
  geometry: GeoJSON.MultiPolygon;
}

export interface AreaFeatureCollection {
  type: 'FeatureCollection';
  features: AreaFeature[];
}
