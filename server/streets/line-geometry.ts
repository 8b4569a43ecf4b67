// Geometry of lon/lat lines in a local equirectangular frame: lengths, the distance of a point to a
// line and its projection onto it. Street segments are short (tens to hundreds of metres), where the
// frame's error is far below the precision of the data. Used by snapping (street-network.ts) and by
// the house-number interpolation of the geocoder.

export type Position = [number, number];

export const metersPerDegreeLatitude = 111_320;

/** The bounding box [west, south, east, north] of positions (Infinity and -Infinity when there are none). */
export function boxOfPositions(positions: Iterable<readonly number[]>): [number, number, number, number] {
  const box: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const [lon, lat] of positions) {
    box[0] = Math.min(box[0], lon!);
    box[1] = Math.min(box[1], lat!);
    box[2] = Math.max(box[2], lon!);
    box[3] = Math.max(box[3], lat!);
  }
  return box;
}

export function localScale(latitude: number): number {
  return metersPerDegreeLatitude * Math.cos((latitude * Math.PI) / 180);
}

/** Length in metres of a lon/lat line (equirectangular per edge). */
export function lineLengthMeters(coordinates: readonly Position[]): number {
  let total = 0;
  for (let index = 1; index < coordinates.length; index += 1) {
    total += edgeLengthMeters(coordinates[index - 1]!, coordinates[index]!);
  }
  return total;
}

export function edgeLengthMeters(a: Position, b: Position): number {
  const dx = (b[0] - a[0]) * localScale((a[1] + b[1]) / 2);
  const dy = (b[1] - a[1]) * metersPerDegreeLatitude;
  return Math.hypot(dx, dy);
}

export interface LineProjection {
  /** Distance from the point to the line, metres. */
  distanceMeters: number;
  /** Distance along the line from its first vertex to the projected point, metres. */
  alongMeters: number;
  lengthMeters: number;
  edgeIndex: number;
  point: Position;
}

/**
 * The distance in metres from `point` to the line, as projectOntoLine measures it, without building
 * the projection (snapping asks it of every segment nearby, many times per search).
 */
export function distanceToLineMeters(coordinates: readonly Position[], point: Position, scale = localScale(point[1])): number {
  let best = Number.POSITIVE_INFINITY;
  for (let index = 1; index < coordinates.length; index += 1) {
    const a = coordinates[index - 1]!;
    const b = coordinates[index]!;
    const ax = (a[0] - point[0]) * scale;
    const ay = (a[1] - point[1]) * metersPerDegreeLatitude;
    const ex = (b[0] - point[0]) * scale - ax;
    const ey = (b[1] - point[1]) * metersPerDegreeLatitude - ay;
    const lengthSquared = ex * ex + ey * ey;
    const t = lengthSquared === 0 ? 0 : Math.min(1, Math.max(0, -(ax * ex + ay * ey) / lengthSquared));
    // Math.sqrt, not Math.hypot: several times faster, and metres cannot overflow a square.
    const dx = ax + ex * t;
    const dy = ay + ey * t;
    const distance = Math.sqrt(dx * dx + dy * dy);
    if (distance < best) best = distance;
  }
  if (coordinates.length === 1) {
    const only = coordinates[0]!;
    best = Math.hypot((only[0] - point[0]) * scale, (only[1] - point[1]) * metersPerDegreeLatitude);
  }
  return best;
}

/** The nearest point of the line to `point` (planar in a local metric frame). */
export function projectOntoLine(coordinates: readonly Position[], point: Position): LineProjection {
  const scale = localScale(point[1]);
  let best: LineProjection | null = null;
  let along = 0;
  for (let index = 1; index < coordinates.length; index += 1) {
    const a = coordinates[index - 1]!;
    const b = coordinates[index]!;
    const ax = (a[0] - point[0]) * scale;
    const ay = (a[1] - point[1]) * metersPerDegreeLatitude;
    const bx = (b[0] - point[0]) * scale;
    const by = (b[1] - point[1]) * metersPerDegreeLatitude;
    const ex = bx - ax;
    const ey = by - ay;
    const lengthSquared = ex * ex + ey * ey;
    const t = lengthSquared === 0 ? 0 : Math.min(1, Math.max(0, -(ax * ex + ay * ey) / lengthSquared));
    const px = ax + ex * t;
    const py = ay + ey * t;
    const distance = Math.sqrt(px * px + py * py);
    const edgeLength = Math.sqrt(lengthSquared);
    if (!best || distance < best.distanceMeters) {
      best = {
        distanceMeters: distance,
        alongMeters: along + edgeLength * t,
        lengthMeters: 0,
        edgeIndex: index - 1,
        point: [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t],
      };
    }
    along += edgeLength;
  }
  if (!best) {
    const only = coordinates[0]!;
    return {
      distanceMeters: Math.hypot((only[0] - point[0]) * scale, (only[1] - point[1]) * metersPerDegreeLatitude),
      alongMeters: 0,
      lengthMeters: 0,
      edgeIndex: 0,
      point: [only[0], only[1]],
    };
  }
  return { ...best, lengthMeters: along };
}
