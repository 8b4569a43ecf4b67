// House-number ranges of street segments and the interpolation of an address along a segment.
// Pure geometry in lon/lat degrees with a local equirectangular scale: segments are short (tens to
// hundreds of metres), where its error is far below the precision of the ranges themselves.

export type Side = 'left' | 'right';

export interface HouseNumberRange {
  side: Side;
  from: number;
  to: number;
}

export interface SegmentRanges {
  left: HouseNumberRange | null;
  right: HouseNumberRange | null;
}

/** Metres from the centre line at which an address point is placed on its side of the street. */
export const addressOffsetMeters = 8;

export const metersPerDegreeLatitude = 111_320;

export function makeRange(side: Side, from: number | null, to: number | null): HouseNumberRange | null {
  if (from === null || to === null) return null;
  return { side, from, to };
}

/**
 * Does the range hold this number? Cologne numbers one side odd and the other even; when both
 * ends share a parity, a number of the other parity belongs to the other side.
 */
export function rangeContains(range: HouseNumberRange, number: number): boolean {
  const low = Math.min(range.from, range.to);
  const high = Math.max(range.from, range.to);
  if (number < low || number > high) return false;
  const sameParityEnds = range.from % 2 === range.to % 2;
  return !sameParityEnds || number % 2 === range.from % 2;
}

/** How far the number lies outside the range (0 inside); parity mismatches count as far. */
export function rangeGap(range: HouseNumberRange, number: number): number {
  const low = Math.min(range.from, range.to);
  const high = Math.max(range.from, range.to);
  const parityPenalty = range.from % 2 === range.to % 2 && number % 2 !== range.from % 2 ? 10_000 : 0;
  if (number < low) return low - number + parityPenalty;
  if (number > high) return number - high + parityPenalty;
  return parityPenalty;
}

/** Where along the segment (0 = first vertex, 1 = last) the number lies, from the range ends. */
export function rangeFraction(range: HouseNumberRange, number: number): number {
  if (range.from === range.to) return 0.5;
  const fraction = (number - range.from) / (range.to - range.from);
  return Math.min(1, Math.max(0, fraction));
}

export type Position = [number, number];

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

/**
 * The point at `fraction` of the line's length, moved `offsetMeters` to the left or right of the
 * direction of digitization (the direction in which the range runs from "from" to "to").
 */
export function pointAlongLine(
  coordinates: readonly Position[],
  fraction: number,
  side: Side | null,
  offsetMeters = addressOffsetMeters,
): Position {
  if (coordinates.length === 0) throw new Error('a line needs at least one vertex');
  const total = lineLengthMeters(coordinates);
  let remaining = Math.min(1, Math.max(0, fraction)) * total;
  for (let index = 1; index < coordinates.length; index += 1) {
    const a = coordinates[index - 1]!;
    const b = coordinates[index]!;
    const length = edgeLengthMeters(a, b);
    if (remaining <= length || index === coordinates.length - 1) {
      const t = length === 0 ? 0 : Math.min(1, remaining / length);
      const lon = a[0] + (b[0] - a[0]) * t;
      const lat = a[1] + (b[1] - a[1]) * t;
      if (!side || length === 0) return [lon, lat];
      const scale = localScale(lat);
      const dx = ((b[0] - a[0]) * scale) / length;
      const dy = ((b[1] - a[1]) * metersPerDegreeLatitude) / length;
      // Left normal of (dx, dy) is (-dy, dx).
      const sign = side === 'left' ? 1 : -1;
      return [lon + (sign * -dy * offsetMeters) / scale, lat + (sign * dx * offsetMeters) / metersPerDegreeLatitude];
    }
    remaining -= length;
  }
  const last = coordinates[coordinates.length - 1]!;
  return [last[0], last[1]];
}

/** Which side of the directed line a point lies on (sign of the cross product at the nearest edge). */
export function sideOfLine(coordinates: readonly Position[], point: Position): Side {
  const projection = projectOntoLine(coordinates, point);
  const a = coordinates[projection.edgeIndex]!;
  const b = coordinates[projection.edgeIndex + 1] ?? a;
  const cross = (b[0] - a[0]) * (point[1] - a[1]) - (b[1] - a[1]) * (point[0] - a[0]);
  return cross >= 0 ? 'left' : 'right';
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

/** Great-circle distance in metres (spherical, mean Earth radius): what "airline" means here. */
export function haversineMeters(a: Position, b: Position): number {
  const radius = 6_371_008.8;
  const toRadians = Math.PI / 180;
  const dLat = (b[1] - a[1]) * toRadians;
  const dLon = (b[0] - a[0]) * toRadians;
  const h =
    Math.sin(dLat / 2) ** 2 + Math.cos(a[1] * toRadians) * Math.cos(b[1] * toRadians) * Math.sin(dLon / 2) ** 2;
  return 2 * radius * Math.asin(Math.min(1, Math.sqrt(h)));
}
