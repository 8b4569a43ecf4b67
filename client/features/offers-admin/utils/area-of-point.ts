// Which Sozialraum a point lies in, decided in the browser from the area polygons the page
// already has, so that the form names it at once while the point is moved. The server computes
// the same on save (PostGIS); this is only for showing. Pure: unit-tested.
import type { Geometry, Position } from 'geojson';
import { bboxOfGeometry, pointInPolygon, type Bbox } from '../../../map/geometry';

export type AreaLike = {
  properties: { id: string; name: string; code: string };
  geometry: Geometry | null;
};

function contains(geometry: Geometry | null, point: Position): boolean {
  if (!geometry) return false;
  if (geometry.type === 'Polygon') return pointInPolygon(point, geometry.coordinates);
  if (geometry.type === 'MultiPolygon') return geometry.coordinates.some((polygon) => pointInPolygon(point, polygon));
  return false;
}

export type AreaIndex<A> = { find: (point: [number, number] | null) => A | null };

// The bounding boxes are computed once: the form asks on every keystroke and pointer move, and
// a city's polygons have tens of thousands of vertices.
export function areaIndex<A extends AreaLike>(areas: readonly A[]): AreaIndex<A> {
  const entries = areas
    .map((area) => ({ area, box: bboxOfGeometry(area.geometry) }))
    .filter((entry): entry is { area: A; box: Bbox } => entry.box !== null);
  return {
    find(point) {
      if (!point) return null;
      const [x, y] = point;
      for (const { area, box } of entries) {
        if (x < box[0] || x > box[2] || y < box[1] || y > box[3]) continue;
        if (contains(area.geometry, point)) return area;
      }
      return null;
    },
  };
}

export function areaOfPoint<A extends AreaLike>(areas: readonly A[], point: [number, number] | null): A | null {
  return areaIndex(areas).find(point);
}
