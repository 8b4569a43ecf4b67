import { parentPort, workerData } from 'node:worker_threads';
import { ShortestPaths } from './dijkstra.ts';
import { StreetNetwork } from './street-network.ts';
import { SnappedPlaces, walkingMetersTo } from './walking.ts';

type Message = WorkerMessage<NetworkReady, WalkingMeters | null>;
import type { WorkerMessage } from '../shared/worker-client.ts';
import type { NetworkReady, WalkingThreadRequest } from './walking-thread.ts';
import type { WalkingMeters } from './walking.ts';

// The walking thread (walking-thread.ts): the search's walks over a copy of the street network,
// off the request thread. The same `walkingMetersTo` as the request thread's, on a network built
// from the same segments, so every walk gives the same metres to the bit.

/** Lists (search index versions) whose snapped places are kept: the current one and the one before. */
const keptLists = 2;

const { detourFactor } = workerData as { detourFactor: number };
const port = parentPort!;
let current: { signature: string; walking: { network: StreetNetwork; paths: ShortestPaths } | null } | null = null;
/** The snapped places of each list on the current network, by list id, the most recent last. */
let places = new Map<number, SnappedPlaces>();

function placesOf(network: StreetNetwork, listId: number, size: number): SnappedPlaces {
  let kept = places.get(listId);
  if (kept?.size !== size) {
    kept = new SnappedPlaces(network, size);
    places.set(listId, kept);
    for (const id of places.keys()) {
      if (places.size <= keptLists) break;
      places.delete(id);
    }
  }
  return kept;
}

port.on('message', (request: WalkingThreadRequest) => {
  if (request.kind === 'network') {
    const network = request.segments.length > 0 ? new StreetNetwork(request.segments) : null;
    current = { signature: request.signature, walking: network ? { network, paths: new ShortestPaths(network) } : null };
    places = new Map();
    port.postMessage({ event: { networkReady: request.signature } } satisfies Message);
    return;
  }
  if (current?.signature !== request.signature) {
    port.postMessage({ id: request.id, answer: null } satisfies Message);
    return;
  }
  const { walking } = current;
  const walked = walkingMetersTo(walking, request.origin, request.lons, request.lats, detourFactor, {
    listed: walking && request.listed ? { places: placesOf(walking.network, request.listed.id, request.listed.size), ordinals: request.listed.ordinals } : undefined,
    needed: request.needed,
  });
  // A window's figures (up to 200 of each) are copied: as cheap as a transfer at that size.
  port.postMessage({ id: request.id, answer: walked } satisfies Message);
});
