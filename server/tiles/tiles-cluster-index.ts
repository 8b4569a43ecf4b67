import type { OfferClusterRow, TileFrame } from './tiles.repo.ts';
import { tileBuffer, tileExtent } from './tiles.schema.ts';

// Every public offer location in Web Mercator, held in memory per data version, so that a cluster
// tile (zoom ≤ 13, the unfiltered map) is counted from arrays instead of reading the offers in SQL.
// The counts are the SQL path's (tiles.repo.ts listOfferClusters): the same buffered frame, the same
// rounding (half away from zero, as PostgreSQL's round), the same 128-unit cells, the same means.

export interface ClusterIndexPoint {
  offerId: string;
  name: string;
  offerType: string;
  /** Web Mercator metres. */
  x: number;
  y: number;
}

export interface ClusterIndex {
  /** The data version the points were read at. */
  readonly version: string;
  readonly size: number;
  clusters(frame: TileFrame, cellUnits: number): OfferClusterRow[];
}

/** PostgreSQL's round(): halves away from zero. */
function roundHalfAway(value: number): number {
  return value < 0 ? -Math.round(-value) : Math.round(value);
}

export function buildClusterIndex(points: readonly ClusterIndexPoint[], version: string): ClusterIndex {
  // Sorted by x: a tile reads one slab of points found by binary search.
  const order = points.map((_, index) => index).sort((a, b) => points[a]!.x - points[b]!.x);
  const xs = new Float64Array(order.length);
  const ys = new Float64Array(order.length);
  const sorted = order.map((index, position) => {
    xs[position] = points[index]!.x;
    ys[position] = points[index]!.y;
    return points[index]!;
  });
  const firstAtLeast = (value: number) => {
    let low = 0;
    let high = xs.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (xs[middle]! < value) low = middle + 1;
      else high = middle;
    }
    return low;
  };
  return {
    version,
    size: sorted.length,
    clusters(frame, cellUnits) {
      const scale = tileExtent / frame.size;
      const buffer = (frame.size / tileExtent) * tileBuffer;
      const [xmin, xmax, ymin, ymax] = [frame.xmin - buffer, frame.xmax + buffer, frame.ymin - buffer, frame.ymax + buffer];
      const cells = new Map<number, { count: number; sumX: number; sumY: number; first: number }>();
      for (let position = firstAtLeast(xmin); position < xs.length && xs[position]! <= xmax; position++) {
        const y = ys[position]!;
        if (y < ymin || y > ymax) continue;
        const tx = roundHalfAway((xs[position]! - frame.xmin) * scale);
        const ty = roundHalfAway((frame.ymax - y) * scale);
        // Cells of a 4096-unit tile with its buffer stay within ±64 in either direction.
        const key = (Math.floor(tx / cellUnits) + 1024) * 4096 + (Math.floor(ty / cellUnits) + 1024);
        const cell = cells.get(key);
        if (cell) {
          cell.count += 1;
          cell.sumX += tx;
          cell.sumY += ty;
        } else {
          cells.set(key, { count: 1, sumX: tx, sumY: ty, first: position });
        }
      }
      return [...cells.values()].map((cell) => {
        const single = cell.count === 1 ? sorted[cell.first]! : null;
        return {
          count: cell.count,
          tx: roundHalfAway(cell.sumX / cell.count),
          ty: roundHalfAway(cell.sumY / cell.count),
          offer_id: single?.offerId ?? null,
          name: single?.name ?? null,
          offer_type: single?.offerType ?? null,
        };
      });
    },
  };
}
