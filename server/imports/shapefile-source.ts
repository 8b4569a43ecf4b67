import fs from 'node:fs/promises';
import path from 'node:path';
import { unzipSync } from 'fflate';
import proj4 from 'proj4';
import { open as openShapefile } from 'shapefile';
import { SourceFileError, type SourceFeature, type SourceFeatureCollection } from './source-file.ts';

/**
 * Reads an ESRI Shapefile — a `.zip` holding `.shp/.dbf/.prj` (and `.cpg`), a folder holding
 * them, or the `.shp` itself with its siblings — into the same feature collection a GeoJSON file
 * gives. The records are decoded by `shapefile` (mbostock, the reader behind d3 and mapshaper),
 * the archive by `fflate`; no GDAL is needed at run time.
 */

/** A path the Shapefile reader takes: an archive, a folder, or the `.shp` part. */
export function isShapefilePath(filePath: string, isDirectory: boolean): boolean {
  return isDirectory || /\.(zip|shp)$/i.test(filePath);
}

interface ShapefileParts {
  /** Base name of the layer ("Stadtviertel"). */
  layer: string;
  shp: Uint8Array | undefined;
  dbf: Uint8Array | undefined;
  prj: Uint8Array | undefined;
  cpg: Uint8Array | undefined;
}

type PartName = 'shp' | 'dbf' | 'prj' | 'cpg';

function error(code: string, message: string, field?: string): SourceFileError {
  return new SourceFileError({ code, message, ...(field ? { field } : {}) });
}

/** Groups the archive's or folder's files by layer; exactly one layer (one `.shp`) is expected. */
function pickLayer(files: Map<string, Uint8Array>, fileName: string): ShapefileParts {
  const layers = new Map<string, ShapefileParts>();
  for (const [name, bytes] of files) {
    const match = /^(?:.*\/)?([^/]+)\.(shp|dbf|prj|cpg)$/i.exec(name);
    if (!match || name.startsWith('__MACOSX/')) continue;
    const base = match[1]!;
    const extension = match[2]!.toLowerCase() as PartName;
    const key = name.slice(0, name.length - extension.length - 1).toLowerCase();
    const layer = layers.get(key) ?? { layer: base, shp: undefined, dbf: undefined, prj: undefined, cpg: undefined };
    layer[extension] = bytes;
    layers.set(key, layer);
  }
  const withShp = [...layers.values()].filter((layer) => layer.shp !== undefined);
  if (withShp.length === 0) {
    throw error('shapefile_part_missing', `${fileName} holds no .shp file: a Shapefile needs its geometry (.shp), attributes (.dbf) and coordinate system (.prj).`);
  }
  if (withShp.length > 1) {
    throw error(
      'shapefile_ambiguous',
      `${fileName} holds ${withShp.length} Shapefiles (${withShp.map((layer) => layer.layer).join(', ')}); give one layer per import.`,
    );
  }
  return withShp[0]!;
}

async function readParts(filePath: string, fileName: string): Promise<ShapefileParts> {
  const files = new Map<string, Uint8Array>();
  let stat;
  try {
    stat = await fs.stat(filePath);
  } catch {
    throw error('file_missing', `${fileName} does not exist.`);
  }
  if (stat.isDirectory()) {
    for (const entry of await fs.readdir(filePath)) {
      if (/\.(shp|dbf|prj|cpg)$/i.test(entry)) files.set(entry, await fs.readFile(path.join(filePath, entry)));
    }
  } else if (/\.zip$/i.test(filePath)) {
    const archive = await fs.readFile(filePath);
    try {
      const entries = unzipSync(archive, { filter: (entry) => /\.(shp|dbf|prj|cpg)$/i.test(entry.name) });
      for (const [name, bytes] of Object.entries(entries)) files.set(name, bytes);
    } catch (cause) {
      throw error('invalid_zip', `${fileName} is not a readable ZIP archive (${(cause as Error).message}).`);
    }
  } else {
    // The .shp itself: its parts are the files next to it with the same base name.
    const directory = path.dirname(filePath);
    const base = path.basename(filePath).replace(/\.shp$/i, '');
    for (const entry of await fs.readdir(directory)) {
      const match = /^(.*)\.(shp|dbf|prj|cpg)$/i.exec(entry);
      if (match && match[1] === base) files.set(entry, await fs.readFile(path.join(directory, entry)));
    }
  }
  return pickLayer(files, fileName);
}

// ---------------------------------------------------------------------------------------------
// coordinate reference system (.prj)
// ---------------------------------------------------------------------------------------------

/** ESRI's names for the systems German cities publish in, where the `.prj` carries no EPSG code. */
const esriNames: Record<string, number> = {
  gcswgs1984: 4326,
  gcsetrs1989: 4258,
  wgs1984webmercatorauxiliarysphere: 3857,
  wgs1984webmercator: 3857,
  dhdn3degreegausszone2: 31466,
  dhdn3degreegausszone3: 31467,
  dhdn3degreegausszone4: 31468,
  dhdn3degreegausszone5: 31469,
  etrs1989utmzone32n8stellen: 4647,
};

function normalisedName(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** The CRS of a `.prj`: an EPSG code for PostGIS to reproject from, or a proj4 definition as fallback. */
export type PrjCrs = { srid: number } | { proj4: string; name: string };

export function crsFromPrj(wkt: string): PrjCrs | undefined {
  const text = wkt.trim();
  // WKT1's outermost AUTHORITY (or WKT2's ID) closes the string.
  const authority = /(?:AUTHORITY|ID)\[\s*"EPSG"\s*,\s*"?(\d{4,5})"?\s*\]\s*\]\s*$/i.exec(text);
  if (authority) return { srid: Number(authority[1]) };
  const name = /^\s*(?:PROJCS|GEOGCS|PROJCRS|GEOGCRS|GEODCRS)\[\s*"([^"]+)"/i.exec(text)?.[1];
  if (name === undefined) return undefined;
  const normalised = normalisedName(name);
  const known = esriNames[normalised];
  if (known !== undefined) return { srid: known };
  const utm = /^(etrs1989|etrs89|wgs1984|wgs84)utmzone(\d{2})n$/.exec(normalised);
  if (utm) return { srid: (utm[1]!.startsWith('etrs') ? 25800 : 32600) + Number(utm[2]) };
  // Anything else proj4 can read is reprojected in Node (see readShapefile).
  try {
    proj4(text, 'EPSG:4326', [0, 0]);
    return { proj4: text, name };
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// encoding (.cpg, else the dBASE language driver)
// ---------------------------------------------------------------------------------------------

const cpgNames: Record<string, string> = {
  utf8: 'utf-8',
  '65001': 'utf-8',
  '1252': 'windows-1252',
  ansi1252: 'windows-1252',
  windows1252: 'windows-1252',
  cp1252: 'windows-1252',
  '88591': 'iso-8859-1',
  iso88591: 'iso-8859-1',
  latin1: 'iso-8859-1',
  '885915': 'iso-8859-15',
  iso885915: 'iso-8859-15',
  '1250': 'windows-1250',
  windows1250: 'windows-1250',
  cp1250: 'windows-1250',
  '1251': 'windows-1251',
  windows1251: 'windows-1251',
  '88592': 'iso-8859-2',
  iso88592: 'iso-8859-2',
};

/** dBASE language driver ids (byte 29 of the header) of the code pages `text-encoding` can decode. */
const languageDrivers: Record<number, string> = {
  0x00: 'windows-1252',
  0x03: 'windows-1252',
  0x57: 'windows-1252',
  0x58: 'windows-1252',
  0x59: 'windows-1252',
  0x64: 'ibm866',
  0x65: 'ibm866',
  0xc8: 'windows-1250',
  0xc9: 'windows-1251',
};

export function encodingOf(cpg: Uint8Array | undefined, dbf: Uint8Array, layer: string): string {
  if (cpg !== undefined) {
    const declared = new TextDecoder('latin1').decode(cpg).trim();
    const encoding = cpgNames[declared.toLowerCase().replace(/[^a-z0-9]/g, '')];
    if (encoding === undefined) {
      throw error('unknown_encoding', `${layer}.cpg names the encoding "${declared}", which this importer cannot decode (UTF-8, windows-1252, ISO-8859-1/-15 and windows-1250/-1251 are supported).`, 'cpg');
    }
    return encoding;
  }
  // Without a .cpg the dBASE header's language driver decides; 0 means "not set", read as the
  // Windows ANSI code page (which Latin-1 is a subset of), as GDAL and QGIS do for German files.
  const driver = dbf[29] ?? 0;
  const encoding = languageDrivers[driver];
  if (encoding === undefined) {
    throw error('unknown_encoding', `${layer}.dbf names the dBASE code page 0x${driver.toString(16)}, which this importer cannot decode: add a ${layer}.cpg naming the encoding (e.g. UTF-8).`, 'cpg');
  }
  return encoding;
}

// ---------------------------------------------------------------------------------------------
// checks of the binary parts
// ---------------------------------------------------------------------------------------------

function checkShp(shp: Uint8Array, layer: string): void {
  const view = new DataView(shp.buffer, shp.byteOffset, shp.byteLength);
  if (shp.byteLength < 100 || view.getInt32(0, false) !== 9994 || view.getInt32(28, true) !== 1000) {
    throw error('invalid_shapefile', `${layer}.shp is not a Shapefile geometry file (its 100-byte header is missing or wrong).`, 'shp');
  }
  const declaredBytes = view.getInt32(24, false) * 2;
  if (declaredBytes !== shp.byteLength) {
    throw error(
      'invalid_shapefile',
      `${layer}.shp is ${shp.byteLength < declaredBytes ? 'truncated' : 'longer than its header says'}: the header gives ${declaredBytes} bytes, the file has ${shp.byteLength}.`,
      'shp',
    );
  }
}

/** Returns the number of records the `.dbf` header announces. */
function checkDbf(dbf: Uint8Array, layer: string): number {
  const view = new DataView(dbf.buffer, dbf.byteOffset, dbf.byteLength);
  if (dbf.byteLength < 33) throw error('invalid_dbf', `${layer}.dbf is not a dBASE table (shorter than its header).`, 'dbf');
  const records = view.getUint32(4, true);
  const headerBytes = view.getUint16(8, true);
  const recordBytes = view.getUint16(10, true);
  if (headerBytes < 33 || recordBytes < 1 || headerBytes > dbf.byteLength || dbf[headerBytes - 1] !== 0x0d) {
    throw error('invalid_dbf', `${layer}.dbf is not a dBASE table (its header is damaged).`, 'dbf');
  }
  const expected = headerBytes + records * recordBytes;
  if (dbf.byteLength < expected) {
    throw error('invalid_dbf', `${layer}.dbf is truncated: its header announces ${records} records (${expected} bytes), the file has ${dbf.byteLength} bytes.`, 'dbf');
  }
  return records;
}

// ---------------------------------------------------------------------------------------------
// reading
// ---------------------------------------------------------------------------------------------

type Position = number[];

function mapPositions(coordinates: unknown, transform: (position: Position) => Position): unknown {
  if (Array.isArray(coordinates) && typeof coordinates[0] === 'number') return transform(coordinates as Position);
  return Array.isArray(coordinates) ? coordinates.map((inner) => mapPositions(inner, transform)) : coordinates;
}

function reprojected(geometry: unknown, transform: (position: Position) => Position): unknown {
  if (geometry === null || typeof geometry !== 'object' || !('coordinates' in geometry)) return geometry;
  return { ...geometry, coordinates: mapPositions(geometry.coordinates, transform) };
}

export async function readShapefile(filePath: string, fileName: string): Promise<SourceFeatureCollection> {
  const parts = await readParts(filePath, fileName);
  const { layer } = parts;
  if (!parts.dbf) throw error('shapefile_part_missing', `${fileName}: the Shapefile ${layer} has no ${layer}.dbf (its attribute table: codes and names).`, 'dbf');
  if (!parts.prj) {
    throw error(
      'shapefile_part_missing',
      `${fileName}: the Shapefile ${layer} has no ${layer}.prj, so its coordinate reference system is unknown. Add the .prj file that came with it.`,
      'prj',
    );
  }
  checkShp(parts.shp!, layer);
  const announced = checkDbf(parts.dbf, layer);
  const prjText = new TextDecoder('utf-8').decode(parts.prj);
  const crs = crsFromPrj(prjText);
  if (!crs) {
    throw error('unknown_crs', `${layer}.prj describes a coordinate reference system this importer cannot read: ${prjText.slice(0, 120)}`, 'prj');
  }
  const encoding = encodingOf(parts.cpg, parts.dbf, layer);
  const toWgs84 = 'proj4' in crs ? proj4(crs.proj4, 'EPSG:4326') : undefined;

  const features: SourceFeature[] = [];
  try {
    const source = await openShapefile(parts.shp!, parts.dbf, { encoding });
    for (let result = await source.read(); !result.done; result = await source.read()) {
      const feature = result.value;
      const properties = feature.properties ?? {};
      if (encoding === 'utf-8' && Object.values(properties).some((value) => typeof value === 'string' && value.includes('\uFFFD'))) {
        throw error('not_utf8', `${layer}.dbf is not UTF-8 as ${layer}.cpg says (record ${features.length + 1}); correct the .cpg (e.g. "1252").`, 'cpg');
      }
      features.push({
        index: features.length,
        id: undefined,
        properties,
        geometry: toWgs84 ? reprojected(feature.geometry, (position) => toWgs84.forward(position.slice(0, 2))) : feature.geometry,
      });
    }
  } catch (cause) {
    if (cause instanceof SourceFileError) throw cause;
    throw error('invalid_shapefile', `${fileName}: the Shapefile ${layer} cannot be read (${(cause as Error).message}).`);
  }
  if (features.length !== announced) {
    throw error(
      'invalid_shapefile',
      `${fileName}: ${layer}.shp holds ${features.length} shapes but ${layer}.dbf ${announced} records; the parts do not belong together.`,
    );
  }
  if (features.length === 0) throw error('file_empty', `${fileName} contains no shapes.`);
  return { declaredSrid: 'srid' in crs ? crs.srid : 4326, features };
}
