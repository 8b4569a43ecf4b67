import { parentPort, workerData } from 'node:worker_threads';
import type { WorkerMessage } from '../shared/worker-client.ts';
import { StreetNetwork } from './street-network.ts';
import { snappedPlacesOf, walkingMetersTo, walkingWorkspace, type WalkingMeters, type WalkingWorkspace } from './walking.ts';
import type { NetworkReady, WalkingThreadRequest } from './walking-thread.ts';

// The walking thread (walking-thread.ts): the search's walks over a copy of the street network,
// off the request thread. The same `walkingMetersTo` as the request thread's, on a network built
// from the same segments, so every walk gives the same metres to the bit.

type Message = WorkerMessage<NetworkReady, WalkingMeters | null>;

/** Lists (search index versions) whose snapped places are kept: the current one and the one before. */
const keptLists = 2;

const { detourFactor } = workerData as { detourFactor: number };
const port = parentPort!;
let current: { signature: string; walking: WalkingWorkspace | null } | null = null;
/**
 * An object per list id (the request thread's lists cannot cross to this thread), the most recent
 * last: the workspace keeps each list's snapped places by it, and drops them with it.
 */
const lists = new Map<number, object>();

function listOf(id: number): object {
  let list = lists.get(id);
  if (!list) {
    list = {};
    lists.set(id, list);
    for (const old of lists.keys()) {
      if (lists.size <= keptLists) break;
      lists.delete(old);
    }
  }
  return list;
}

port.on('message', (request: WalkingThreadRequest) => {
  if (request.kind === 'network') {
    current = { signature: request.signature, walking: request.segments.length > 0 ? walkingWorkspace(new StreetNetwork(request.segments)) : null };
    port.postMessage({ event: { networkReady: request.signature } } satisfies Message);
    return;
  }
  if (current?.signature !== request.signature) {
    port.postMessage({ id: request.id, answer: null } satisfies Message);
    return;
  }
  const { walking } = current;
  const { listed } = request;
  const walked = walkingMetersTo(walking, request.origin, request.lons, request.lats, detourFactor, {
    listed: walking && listed ? { places: snappedPlacesOf(walking, { list: listOf(listed.id), size: listed.size }), ordinals: listed.ordinals } : undefined,
    needed: request.needed,
  });
  // A window's figures (up to 200 of each) are copied: as cheap as a transfer at that size.
  port.postMessage({ id: request.id, answer: walked } satisfies Message);
});
