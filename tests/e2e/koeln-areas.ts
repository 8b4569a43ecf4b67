import fs from 'node:fs/promises';
import path from 'node:path';
import type { Knex } from 'knex';
import { insertArea } from '../helpers/factories.ts';

// Real Cologne polygons (CC BY 3.0 DE, Stadt Köln) read from the shared data folder, never copied.
export const koelnDataDirectory = path.resolve(
  process.env.GEODATA_DIR ?? path.join(import.meta.dirname, '../../../shared/geodata-sources'),
  'koeln-koelnapi',
);

type SourceFeature = {
  properties: Record<string, string | number>;
  geometry: GeoJSON.Polygon | GeoJSON.MultiPolygon;
};

async function readFeatures(fileName: string): Promise<SourceFeature[]> {
  const text = await fs.readFile(path.join(koelnDataDirectory, fileName), 'utf8');
  return (JSON.parse(text) as { features: SourceFeature[] }).features;
}

// A few 2013 polygons are not OGC-valid (self-touching rings, e.g. 202 Marienburg) and the areas
// table only takes valid geometry, so each one is repaired by PostGIS on the way in.
async function validGeometry(knex: Knex, geometry: SourceFeature['geometry']): Promise<GeoJSON.MultiPolygon> {
  const result = (await knex.raw(
    `select ST_AsGeoJSON(ST_Multi(ST_CollectionExtract(ST_MakeValid(ST_SetSRID(ST_GeomFromGeoJSON(?), 4326)), 3)), 15) as geojson`,
    [JSON.stringify(geometry)],
  )) as { rows: Array<{ geojson: string }> };
  const row = result.rows[0];
  if (!row) throw new Error('ST_MakeValid returned nothing');
  return JSON.parse(row.geojson) as GeoJSON.MultiPolygon;
}

export type LoadedArea = { id: string; code: string; name: string; districtName: string };

// Inserts the 9 Stadtbezirke and the first `limit` Stadtteile (by code) as Sozialräume.
export async function loadKoelnAreas(knex: Knex, limit = 86): Promise<LoadedArea[]> {
  const districts = await readFeatures('koeln_stadtbezirke_2013.geojson');
  const districtByNumber = new Map<string, { id: string; name: string }>();
  for (const feature of districts) {
    const number = String(feature.properties.STB_NR);
    const name = String(feature.properties.STB_NAME);
    const geometry = await validGeometry(knex, feature.geometry);
    const row = await insertArea(knex, { level: 'district', code: number, name, geometry });
    districtByNumber.set(number, { id: row.id, name });
  }
  const quarters = (await readFeatures('koeln_stadtteile_2013.geojson'))
    .sort((a, b) => String(a.properties.STT_NR).localeCompare(String(b.properties.STT_NR)))
    .slice(0, limit);
  const loaded: LoadedArea[] = [];
  for (const feature of quarters) {
    const code = String(feature.properties.STT_NR);
    const name = String(feature.properties.STT_NAME);
    // The first digit of a Stadtteil number is its Stadtbezirk (SOURCE.md).
    const district = districtByNumber.get(code.slice(0, 1));
    const row = await insertArea(knex, {
      level: 'sozialraum',
      code,
      name,
      parentId: district?.id ?? null,
      geometry: await validGeometry(knex, feature.geometry),
    });
    loaded.push({ id: row.id, code, name, districtName: district?.name ?? '' });
  }
  return loaded;
}
