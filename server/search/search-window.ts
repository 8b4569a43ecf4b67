import type { Position } from '../streets/line-geometry.ts';
import type { WalkingMeters } from '../streets/walking.ts';
import type { IndexFilter, NearestMatches, SearchIndex } from './search-index.ts';
import { firstWalkingWindow, pageCertainInWindow, walkingOrderOf, walkingOrderWindow } from './search-walking-order.ts';

// One page of the walking-order window from the index: the window's places by airline, walked,
// put in walking order, and the page's share of it. The search service runs it on the request
// thread, the search thread (search-thread.ts) on its copy of the index; both with the same code.

/** Walks from the origin to places of the index (`StreetKernel.walkingMeters` with the index as the list). */
export type WindowWalk = (
  origin: Position,
  lons: Float64Array,
  lats: Float64Array,
  listed: { list: object; size: number; ordinals: Uint32Array },
  needed: number,
) => WalkingMeters | Promise<WalkingMeters>;

/** A page of the window: its rows by index ordinal, their airline and walking figures, and the count of every match. */
export interface WindowPage {
  ordinals: number[];
  distances: number[];
  meters: Float64Array;
  overNetwork: Uint8Array;
  total: number;
}

/**
 * The walking-order window's places in walking order, enough for a page that ends at `needed`:
 * the nearest few first (`firstWalkingWindow`), the whole window only when the page is not
 * certain among them (`pageCertainInWindow`). Either way the page is the one of the whole window.
 */
async function walkWindow(
  index: SearchIndex,
  filter: IndexFilter & { origin: { lon: number; lat: number } },
  needed: number,
  walk: WindowWalk,
): Promise<{ nearest: NearestMatches; walked: WalkingMeters; order: number[] }> {
  let window = firstWalkingWindow(needed);
  for (;;) {
    const nearest = index.nearest(filter, window);
    // The index's rows are a fixed list (a rebuilt index is a new one): their snapped street
    // positions are kept by ordinal, so only the origin is snapped per search. The walk stops
    // once the page's rows are certain (`needed`): the window's farther places get NaN, and
    // `walkingOrderOf` leaves them out (walking.ts `walkingMetersTo`).
    const walked = await walk([filter.origin.lon, filter.origin.lat], nearest.lons, nearest.lats, { list: index, size: index.size, ordinals: nearest.ordinals }, needed);
    const order = walkingOrderOf(nearest, walked, index.idAt);
    // A window with fewer places than asked for holds every match within the radius.
    const whole = window >= walkingOrderWindow || nearest.ordinals.length < window;
    if (whole || pageCertainInWindow(nearest, walked, order, needed)) return { nearest, walked, order };
    window = walkingOrderWindow;
  }
}

/** The page (`offset`, `limit`, ending within the window) of the walking-order window near `filter.origin`. */
export async function windowPage(
  index: SearchIndex,
  filter: IndexFilter & { origin: { lon: number; lat: number } },
  page: { offset: number; limit: number },
  walk: WindowWalk,
): Promise<WindowPage> {
  const { nearest, walked, order } = await walkWindow(index, filter, page.offset + page.limit, walk);
  const chosen = order.slice(page.offset, page.offset + page.limit);
  // Filled in a loop: `Float64Array.from` with a mapping function walks an iterator, an object and
  // a boxed number per element.
  const meters = new Float64Array(chosen.length);
  const overNetwork = new Uint8Array(chosen.length);
  chosen.forEach((position, at) => {
    meters[at] = walked.meters[position]!;
    overNetwork[at] = walked.overNetwork[position]!;
  });
  return {
    ordinals: chosen.map((position) => nearest.ordinals[position]!),
    distances: chosen.map((position) => nearest.distances[position]!),
    meters,
    overNetwork,
    total: nearest.total,
  };
}
