// House-number ranges of street segments and the interpolation of an address along a segment.
// Pure geometry in lon/lat degrees with a local equirectangular scale: segments are short (tens to
// hundreds of metres), where its error is far below the precision of the ranges themselves.

import { edgeLengthMeters, lineLengthMeters, localScale, metersPerDegreeLatitude, projectOntoLine, type Position } from '../streets/line-geometry.ts';

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
