import { z } from 'zod';

export const areaLevels = ['city', 'district', 'sozialraum', 'quarter'] as const;
export type AreaLevel = (typeof areaLevels)[number];

export const listAreasQuerySchema = z.object({
  level: z.enum(areaLevels, { error: `must be one of ${areaLevels.join(', ')}` }).optional(),
  parentId: z.uuid({ error: 'must be an area id (UUID)' }).optional(),
});

export interface AreaProperties {
  id: string;
  code: string;
  name: string;
  level: AreaLevel;
  parentId: string | null;
  parentName: string | null;
  areaKm2: number;
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
