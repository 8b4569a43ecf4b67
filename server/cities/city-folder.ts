import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import proj4 from 'proj4';
import { z } from 'zod';
import { areaLevels } from '../areas/areas.schema.ts';
import { CityInitError, type CityInitOptions, type CityInitResult } from './cities.schema.ts';
import { cityManifestSchema, datasetManifestSchema, type CityManifest, type DatasetManifest } from '../datasets/datasets.schema.ts';

// `npm run cli -- city init`: a new city folder outside the repository (issue 13), with its
// profile and — when an area file is given — the manifest that imports it. Nothing else is touched.


// proj4 knows EPSG:4326 and 3857; German area files come in ETRS89 / UTM 32N or 33N.
const projections: Record<number, string> = {
  4326: 'WGS84',
  3857: 'EPSG:3857',
  25832: '+proj=utm +zone=32 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs +type=crs',
  25833: '+proj=utm +zone=33 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs +type=crs',
};

const areaFileSchema = z.object({
  type: z.literal('FeatureCollection', { error: 'must be "FeatureCollection"' }),
  crs: z.object({ properties: z.object({ name: z.string() }) }).nullable().optional(),
  features: z
    .array(
      z.object({
        type: z.literal('Feature', { error: 'must be "Feature"' }),
        properties: z.record(z.string(), z.unknown()).nullable().optional(),
        geometry: z.discriminatedUnion('type', [
          z.object({ type: z.literal('Polygon'), coordinates: z.array(z.array(z.array(z.number()).min(2))) }),
          z.object({ type: z.literal('MultiPolygon'), coordinates: z.array(z.array(z.array(z.array(z.number()).min(2)))) }),
        ], { error: 'must be a Polygon or MultiPolygon' }),
      }),
    )
    .min(1, 'must hold at least one area'),
});

function sridOf(crsName: string | undefined): number {
  if (crsName === undefined || /CRS84$/i.test(crsName)) return 4326;
  const match = /(?:EPSG:{1,2}|EPSG:[0-9.]*:|\/EPSG\/0\/)(\d{4,5})$/i.exec(crsName.trim());
  if (!match) throw new CityInitError(`the area file names the CRS "${crsName}", which is not an EPSG code`);
  return Number(match[1]);
}

/** The bounding box [west, south, east, north] and centre of an area file, in EPSG:4326. */
export function extentOfAreaFile(file: string, options: { codeField: string; nameField: string }): { bbox: CityManifest['bbox']; center: CityManifest['center']; srid: number; count: number } {
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
  } catch (error) {
    throw new CityInitError(`${file}: cannot be read as GeoJSON (${(error as Error).message})`);
  }
  const parsed = areaFileSchema.safeParse(json);
  if (!parsed.success) {
    throw new CityInitError(`${file}: ${parsed.error.issues.slice(0, 5).map((issue) => `${issue.path.join('.') || '(file)'}: ${issue.message}`).join('; ')}`);
  }
  const srid = sridOf(parsed.data.crs?.properties.name);
  const projection = projections[srid];
  if (!projection) {
    throw new CityInitError(`${file}: city init reads EPSG:4326, 3857, 25832 or 25833; the file is in EPSG:${srid}. Give --bbox and --center instead.`);
  }
  const toLonLat = srid === 4326 ? (position: number[]) => position : (position: number[]) => proj4(projection, 'WGS84', [position[0]!, position[1]!]);
  let west = Infinity;
  let south = Infinity;
  let east = -Infinity;
  let north = -Infinity;
  for (const [index, feature] of parsed.data.features.entries()) {
    for (const field of [options.codeField, options.nameField]) {
      const value = feature.properties?.[field];
      if (value === undefined || value === null || String(value).trim() === '') {
        throw new CityInitError(`${file}: features.${index}.properties.${field}: is missing (choose the field with --code-field / --name-field)`);
      }
    }
    const rings = feature.geometry.type === 'Polygon' ? feature.geometry.coordinates : feature.geometry.coordinates.flat();
    for (const ring of rings) {
      for (const position of ring) {
        const [lon, lat] = toLonLat(position) as [number, number];
        west = Math.min(west, lon);
        east = Math.max(east, lon);
        south = Math.min(south, lat);
        north = Math.max(north, lat);
      }
    }
  }
  if (!(west >= -180 && east <= 180 && south >= -90 && north <= 90)) {
    throw new CityInitError(`${file}: the coordinates are not longitude/latitude; name the file's CRS in its "crs" member (e.g. EPSG:25832).`);
  }
  const round = (value: number, direction: 'down' | 'up') => (direction === 'down' ? Math.floor(value * 1e4) / 1e4 : Math.ceil(value * 1e4) / 1e4);
  return {
    bbox: [round(west, 'down'), round(south, 'down'), round(east, 'up'), round(north, 'up')],
    center: [Math.round(((west + east) / 2) * 1e5) / 1e5, Math.round(((south + north) / 2) * 1e5) / 1e5],
    srid,
    count: parsed.data.features.length,
  };
}

function validProfile(profile: unknown): CityManifest {
  const parsed = cityManifestSchema.safeParse(profile);
  if (!parsed.success) {
    throw new CityInitError(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; '));
  }
  return parsed.data;
}

/** Writes city.json (and datasets/<id>-areas.json for an area file) into a new city folder. */
export function initCityFolder(options: CityInitOptions): CityInitResult {
  if (!areaLevels.includes(options.areas?.level ?? 'sozialraum')) throw new CityInitError(`--level must be one of ${areaLevels.join(', ')}`);
  const folder = path.resolve(options.folder);
  const profileFile = path.join(folder, 'city.json');
  if (fs.existsSync(profileFile) && !options.force) {
    throw new CityInitError(`${profileFile} exists already; give --force to overwrite it.`);
  }
  const areasFile = options.areas ? path.resolve(options.areas.file) : undefined;
  const extent = options.areas && areasFile ? extentOfAreaFile(areasFile, options.areas) : undefined;
  const bbox = options.bbox ?? extent?.bbox;
  if (!bbox) throw new CityInitError('give the area file (--areas <file>) or the bounding box (--bbox west,south,east,north)');
  const center = options.center ?? extent?.center ?? [(bbox[0] + bbox[2]) / 2, (bbox[1] + bbox[3]) / 2];
  const profile = validProfile({ id: options.id, name: options.name, bbox, center, holidayState: options.holidayState, departments: [] });
  if (bbox[0] >= bbox[2] || bbox[1] >= bbox[3]) throw new CityInitError('bbox: west must be less than east and south less than north');

  let manifest: DatasetManifest | undefined;
  let manifestFile: string | undefined;
  if (options.areas && areasFile && extent) {
    const relative = path.relative(folder, areasFile);
    const inside = !relative.startsWith('..') && !path.isAbsolute(relative);
    const parsed = datasetManifestSchema.safeParse({
      id: `${options.id}-areas`,
      city: options.id,
      kind: 'areas',
      title: `${options.name}: ${path.basename(areasFile)}`,
      file: inside ? relative : areasFile,
      sourceUrl: pathToFileURL(areasFile).href,
      publisher: options.name,
      licence: 'unknown',
      attribution: options.name,
      crs: `EPSG:${extent.srid}`,
      loadByDefault: true,
      order: 10,
      mapping: {
        level: options.areas.level,
        code: options.areas.codeField,
        name: options.areas.nameField,
        ...(options.areas.level === 'city' ? {} : { derive: [{ level: 'city', code: options.id, name: options.name }] }),
      },
    });
    if (!parsed.success) throw new CityInitError(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; '));
    manifest = parsed.data;
    manifestFile = path.join(folder, 'datasets', `${manifest.id}.json`);
  }

  fs.mkdirSync(path.join(folder, 'datasets'), { recursive: true });
  fs.writeFileSync(profileFile, `${JSON.stringify(profile, null, 2)}\n`);
  if (manifest && manifestFile) {
    const { loadByDefault, order, ...rest } = manifest;
    fs.writeFileSync(manifestFile, `${JSON.stringify({ ...rest, loadByDefault, order }, null, 2)}\n`);
  }
  return { folder, profileFile, profile, manifestFile };
}
