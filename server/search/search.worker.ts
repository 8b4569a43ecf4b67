import { parentPort, workerData } from 'node:worker_threads';
import { AppError } from '../http/errors.ts';
import type { WorkerMessage } from '../shared/worker-client.ts';
import { StreetNetwork } from '../streets/street-network.ts';
import { snappedPlacesOf, walkingMetersTo, walkingWorkspace, type WalkingWorkspace } from '../streets/walking.ts';
import { searchIndexBuildSteps, type SearchIndex } from './search-index.ts';
import { runInSlices } from './search-index-cycle.ts';
import { createIndexPreparer } from './search-prepare.ts';
import type { SearchThreadAnswer, SearchThreadEvent, SearchThreadRequest } from './search-thread.ts';
import { windowPage, type WindowWalk } from './search-window.ts';
import type { SearchIndexRow } from './search.repo.ts';

// The search thread (search-thread.ts): a copy of the index and of the street network, and the
// walking-order window of searches near a place, with the same code as the request thread's
// (search-window.ts). Messages are handled one at a time; a build and a new filter's preparation
// run in slices, so that windows of kept filters are answered between them.

type Message = WorkerMessage<SearchThreadEvent, SearchThreadAnswer>;

const { detourFactor } = workerData as { detourFactor: number };
const port = parentPort!;
const prepareIndex = createIndexPreparer();

let network: { signature: string; walking: WalkingWorkspace | null } | null = null;
let copy: { number: number; index: SearchIndex } | null = null;
/** The rows of the copy being received. */
let receiving: { number: number; rows: SearchIndexRow[] } | null = null;

/** Fields of a row that results show, which the index never reads: one shared placeholder each. */
const shown = {
  locationId: '',
  name: '',
  summary: null,
  offerTypeCode: '',
  offerTypeLabelDe: '',
  offerTypeLabelEn: '',
  organization: null,
  address: { name: null, street: null, houseNumber: null, postalCode: null, city: null },
  distanceMeters: null,
} as const;

const walk: WindowWalk = (origin, lons, lats, listed, needed) => {
  const walking = network?.walking ?? null;
  return walkingMetersTo(walking, origin, lons, lats, detourFactor, { listed: walking ? { places: snappedPlacesOf(walking, listed), ordinals: listed.ordinals } : undefined, needed });
};

async function receiveRows(request: Extract<SearchThreadRequest, { kind: 'rows' }>): Promise<void> {
  if (receiving?.number !== request.copy) receiving = { number: request.copy, rows: [] };
  for (const row of request.rows) receiving.rows.push({ ...shown, ...row, address: shown.address });
  if (!request.last) return;
  const { number, rows } = receiving;
  receiving = null;
  const index = await runInSlices(searchIndexBuildSteps(rows, number));
  // A newer copy may have arrived while this one was built: the newest wins.
  if (copy === null || number > copy.number) {
    copy = { number, index };
    port.postMessage({ event: { copyReady: number } } satisfies Message);
  }
}

/** The opening-hours values of the last minutes asked, by their number (search-thread.ts `openValuesOf`). */
const openValues = new Map<number, readonly string[]>();
const openValuesKept = 4;

function openingHoursIn(sent: Extract<SearchThreadRequest, { kind: 'window' }>['openValues']): string[] | null | undefined {
  if (sent === null) return null;
  if (sent.values !== null) {
    openValues.set(sent.number, sent.values);
    for (const number of openValues.keys()) {
      if (openValues.size <= openValuesKept) break;
      openValues.delete(number);
    }
  }
  // Kept arrays are never changed: the index reads them only.
  return openValues.get(sent.number) as string[] | undefined;
}

async function answerWindow(request: Extract<SearchThreadRequest, { kind: 'window' }>): Promise<SearchThreadAnswer> {
  if (copy?.number !== request.copy || network?.signature !== request.signature) return null;
  const values = openingHoursIn(request.openValues);
  // Values sent with a window this thread never saw (it started meanwhile): the request thread answers.
  if (values === undefined) return null;
  const filter = { ...request.filter, openingHoursIn: values };
  const { index } = copy;
  try {
    await prepareIndex(index, filter, { byName: false });
  } catch (error) {
    if (error instanceof AppError && error.code === 'server_busy') return { busy: true };
    throw error;
  }
  // The copy may have been replaced while the filter was prepared: the index is the one asked for.
  return { page: await windowPage(index, filter, request.page, walk) };
}

port.on('message', (request: SearchThreadRequest) => {
  if (request.kind === 'network') {
    network = { signature: request.signature, walking: request.segments.length > 0 ? walkingWorkspace(new StreetNetwork(request.segments)) : null };
    port.postMessage({ event: { networkReady: request.signature } } satisfies Message);
    return;
  }
  if (request.kind === 'rows') {
    void receiveRows(request);
    return;
  }
  void answerWindow(request).then(
    (answer) => port.postMessage({ id: request.id, answer } satisfies Message),
    // An unexpected error: the request thread finds this window itself.
    () => port.postMessage({ id: request.id, answer: null } satisfies Message),
  );
});
