import type { Feature } from '@maplibre/vt-pbf';
import type { StreetLine } from '../geocoding/geocoding.service.ts';
import { mercatorHalfWorld, tileBuffer, tileExtent } from './tiles.schema.ts';

// The street layer of the offers map as vector tiles: the street kernel's own lines (held in
// memory by the geocoder), projected into a tile's units. The map's worker parses a tile; handed to
// the page as GeoJSON the lines of a view took the page 50–70 ms after each pan (docs/api.md).

/** From this zoom the streets tiles hold lines; below it they are empty (the map draws no streets there). */
export const streetTileMinZoom = 13;
/** Lines per tile at most: a zoom-13 tile of Cologne's centre holds a few thousand segments. */
export const maxLinesPerTile = 20_000;
/** Tile units per pixel (a 4096-unit tile drawn 512 px wide): an inner position closer than this to the last kept one is left out. */
const unitsPerPixel = tileExtent / 512;

const world = mercatorHalfWorld;
/** The sphere of Web Mercator (the projection's own, not an earth distance: those are server/streets/geodesic.ts). */
const sphereRadius = mercatorHalfWorld / Math.PI;

/** A tile's frame (tiles.schema.ts tileBounds) widened by the buffer, as a lon/lat box for the street grid. */
export function streetTileBox(frame: { xmin: number; ymin: number; xmax: number; ymax: number; size: number }): [number, number, number, number] {
  const margin = (frame.size * tileBuffer) / tileExtent;
  const lon = (x: number) => (Math.max(-world, Math.min(world, x)) / sphereRadius) * (180 / Math.PI);
  const lat = (y: number) => (Math.atan(Math.sinh(Math.max(-world, Math.min(world, y)) / sphereRadius)) * 180) / Math.PI;
  return [lon(frame.xmin - margin), lat(frame.ymin - margin), lon(frame.xmax + margin), lat(frame.ymax + margin)];
}

/**
 * The lines as MVT line features in tile units: each position rounded to the tile's grid (at zoom
 * 13 a unit is about 2.4 m), inner positions within a pixel of the last kept one dropped (every
 * position is drawn again in each frame while the map pans), lines that shrink to a point left out.
 * A line reaching past the tile keeps its positions there (the map clips at the tile's edge); a
 * line that does not reach the tile and its buffer is left out.
 */
export function streetLineFeatures(lines: readonly StreetLine[], frame: { xmin: number; ymax: number; size: number }): Feature[] {
  const scale = tileExtent / frame.size;
  const features: Feature[] = [];
  for (const line of lines) {
    const points: Array<[number, number]> = [];
    const count = line.coordinates.length;
    for (let index = 0; index < count; index += 1) {
      const [lon, lat] = line.coordinates[index]!;
      const x = Math.round((sphereRadius * ((lon! * Math.PI) / 180) - frame.xmin) * scale);
      const y = Math.round((frame.ymax - sphereRadius * Math.log(Math.tan(Math.PI / 4 + (lat! * Math.PI) / 360))) * scale);
      const last = points[points.length - 1];
      if (last && index < count - 1 && Math.abs(last[0] - x) < unitsPerPixel && Math.abs(last[1] - y) < unitsPerPixel) continue;
      if (!last || last[0] !== x || last[1] !== y) points.push([x, y]);
    }
    if (points.length < 2) continue;
    // The street grid answers by cells: a line of a neighbouring cell may not touch the tile at all.
    let [minX, minY, maxX, maxY] = [Infinity, Infinity, -Infinity, -Infinity];
    for (const [x, y] of points) [minX, minY, maxX, maxY] = [Math.min(minX, x), Math.min(minY, y), Math.max(maxX, x), Math.max(maxY, y)];
    if (maxX < -tileBuffer || maxY < -tileBuffer || minX > tileExtent + tileBuffer || minY > tileExtent + tileBuffer) continue;
    features.push({ type: 2, geometry: [points], tags: line.name === null ? {} : { name: line.name } } as unknown as Feature);
  }
  return features;
}
