import type { Knex } from 'knex';
import type { Logger } from 'pino';
import type { Position } from './line-geometry.ts';
import { StreetNetwork, type WalkableSegment } from './street-network.ts';
import { listWalkableSegments, readStreetSignature } from './streets.repo.ts';
import {
  defaultDetourFactor,
  snappedPlacesOf,
  walkingDistances,
  walkingMetersTo,
  walkingWorkspace,
  type WalkingEstimate,
  type WalkingMeters,
  type WalkingWorkspace,
} from './walking.ts';
import type { WalkingThread } from './walking-thread.ts';

// The street kernel: one network of the walkable streets per data version, built once and held
// once in memory, handed to the geocoder, the search and the coverage (app.ts builds one kernel and
// passes it to each). Also the one walking rule: the detour factor from configuration where the
// network does not answer.

export interface NetworkVersion {
  /** The change signature of the street and area data this version was built from. */
  signature: string;
  /** Null when there are no streets. */
  network: StreetNetwork | null;
  /** The segments the network was built from (the search thread builds its copy from them). */
  segments: readonly WalkableSegment[];
}

export interface StreetKernel {
  /** Walking metres per airline metre where the network does not answer (WALKING_DETOUR_FACTOR). */
  readonly detourFactor: number;
  /**
   * The network for answers that may be a little stale (the search, the geocoder): the signature is
   * read at most every `checkIntervalMs`; a changed one is rebuilt in the background while the
   * previous version answers. The first call waits for the first build.
   */
  current(): Promise<NetworkVersion>;
  /** The network of the data now in the database (the coverage): reads the signature, waits for a rebuild. */
  exact(): Promise<NetworkVersion>;
  /** The change signature now in the database. */
  readSignature(): Promise<string>;
  /** Walking distances from one origin to several targets over the current network (walking.ts). */
  walkingDistances(origin: Position, targets: readonly Position[]): Promise<WalkingEstimate[]>;
  /**
   * The same distances for targets given as longitudes and latitudes, in typed arrays (walking.ts).
   * Targets that are places of a fixed list (`listed`: the search index's rows by ordinal) are
   * snapped once per list and network and kept, so a walk snaps only its origin; a list object must
   * never change its places (a rebuilt index is a new list). With `needed`, only the first
   * `needed` in walking order are wanted: the walk stops once they are certain, and targets surely
   * farther get NaN (walking.ts).
   */
  walkingMeters(origin: Position, lons: ArrayLike<number>, lats: ArrayLike<number>, options?: { listed?: PlaceList; needed?: number }): Promise<WalkingMeters>;
  /** Forgets the built network (the next call rebuilds it), e.g. right after an import in this process. */
  invalidate(): void;
}

/** Targets that are places of a fixed list: the list (kept as a key), its length and each target's ordinal in it. */
interface PlaceList {
  list: object;
  size: number;
  ordinals: ArrayLike<number>;
}

export interface StreetKernelOptions {
  db: Knex;
  /** The city whose streets make the network (issue 13); the database's default city when left out. */
  cityId?: string;
  detourFactor?: number;
  checkIntervalMs?: number;
  logger?: Pick<Logger, 'info' | 'warn'>;
  now?: () => number;
  /**
   * The thread that walks `walkingMeters` off the request thread (walking-thread.ts); without one,
   * or while it does not hold the current network yet, the walks run on the calling thread.
   */
  thread?: WalkingThread | undefined;
}

/**
 * One scratch workspace per network: walks run one at a time on the event loop. The snapped places
 * of each list live with it: a new network starts without any.
 */
function createWorkspaces(): { of(version: NetworkVersion): WalkingWorkspace | null; forget(): void } {
  let workspace: WalkingWorkspace | null = null;
  return {
    /** The workspace of a version's network, or null without streets. */
    of({ network }) {
      if (!network) return null;
      if (workspace?.network !== network) workspace = walkingWorkspace(network);
      return workspace;
    },
    forget() {
      workspace = null;
    },
  };
}

export function createStreetKernel(options: StreetKernelOptions): StreetKernel {
  const { db } = options;
  const now = options.now ?? Date.now;
  const detourFactor = options.detourFactor ?? defaultDetourFactor;
  const checkIntervalMs = options.checkIntervalMs ?? 30_000;
  const { thread } = options;
  let latest: NetworkVersion | null = null;
  const workspaces = createWorkspaces();
  const building = new Map<string, Promise<NetworkVersion>>();
  let generation = 0;
  let lastCheck = Number.NEGATIVE_INFINITY;
  let checking: Promise<void> | null = null;

  /** Builds the version of `signature` once, however many callers ask at the same time. */
  function build(signature: string): Promise<NetworkVersion> {
    const known = building.get(signature);
    if (known) return known;
    const started = now();
    const buildGeneration = generation;
    const promise = listWalkableSegments(db, options.cityId)
      .then((segments) => {
        const version: NetworkVersion = { signature, network: segments.length > 0 ? new StreetNetwork(segments) : null, segments };
        // An invalidate() during the load means the data changed underneath: do not keep this result.
        if (buildGeneration === generation) {
          latest = version;
          lastCheck = now();
          options.thread?.setNetwork(signature, segments);
        }
        options.logger?.info({ segments: segments.length, nodes: version.network?.nodeCount ?? 0, ms: now() - started }, 'street network built');
        return version;
      })
      .finally(() => building.delete(signature));
    building.set(signature, promise);
    return promise;
  }

  async function exact(): Promise<NetworkVersion> {
    const signature = await readStreetSignature(db, options.cityId);
    if (latest?.signature === signature) return latest;
    return build(signature);
  }

  function checkInBackground(): void {
    if (checking) return;
    lastCheck = now();
    checking = exact()
      .then(() => undefined)
      .catch((error: unknown) => options.logger?.warn({ err: error }, 'street network check failed'))
      .finally(() => {
        checking = null;
      });
  }

  async function current(): Promise<NetworkVersion> {
    if (!latest) return exact();
    if (now() - lastCheck >= checkIntervalMs) checkInBackground();
    return latest;
  }

  return {
    detourFactor,
    current,
    exact,
    readSignature: () => readStreetSignature(db, options.cityId),
    async walkingDistances(origin, targets) {
      return walkingDistances(workspaces.of(await current()), origin, targets, detourFactor);
    },
    async walkingMeters(origin, lons, lats, options = {}) {
      const version = await current();
      const { listed, needed } = options;
      // In the walking thread when it holds this version of the network, else here (the same metres).
      const walked = thread && version.network ? await thread.walk(version.signature, origin, lons, lats, options) : null;
      if (walked) return walked;
      const walking = workspaces.of(version);
      // Both fields written (undefined where not given): no spread per walk (search.service.ts `answer`).
      return walkingMetersTo(walking, origin, lons, lats, detourFactor, {
        listed: walking && listed ? { places: snappedPlacesOf(walking, listed), ordinals: listed.ordinals } : undefined,
        needed,
      });
    },
    invalidate() {
      generation += 1;
      latest = null;
      workspaces.forget();
      building.clear();
    },
  };
}
