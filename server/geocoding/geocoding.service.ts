import type { Knex } from 'knex';
import type { Logger } from 'pino';
import type { GeocodeFeatureCollection, GeocodeResult, StreetFeatureCollection } from './geocoding.schema.ts';
import { listPlaces, listStreetSegments, readStreetDataSignature } from './geocoding.repo.ts';
import { haversineMeters, type Position } from './house-numbers.ts';
import { StreetIndex } from './street-index.ts';
import { walkingDetourFactor } from './street-network.ts';

export type WalkingMethod = 'network' | 'detour_factor';

export interface WalkingEstimate {
  meters: number;
  method: WalkingMethod;
}

export interface GeocodingService {
  geocode(text: string, limit: number): Promise<GeocodeResult[]>;
  suggest(text: string, limit: number): Promise<GeocodeResult[]>;
  /**
   * Walking distances from one origin to several targets: over the street network where both ends
   * lie near a street and the target is reached within the bound, otherwise airline × detour factor.
   */
  walkingDistances(origin: Position, targets: readonly Position[]): Promise<WalkingEstimate[]>;
  /** Street lines in a box (map orientation without a basemap). */
  streets(bbox: [number, number, number, number]): Promise<StreetFeatureCollection>;
  /** Whether a street network is loaded (the search states its walking-distance method). */
  hasNetwork(): Promise<boolean>;
  /** Drops the cached index; the next call loads it again (e.g. right after an import in this process). */
  invalidate(): void;
  /** Loads the index now (start-up, benchmarks) instead of on the first request. */
  warm(): Promise<void>;
}

export interface GeocodingServiceOptions {
  db: Knex;
  /** Names of the city that people add to addresses ("Köln", "Cologne"); removed before matching. */
  cityNames?: string[];
  logger?: Pick<Logger, 'info' | 'warn'>;
  /** How often the data fingerprint is compared; a change rebuilds the index in the background. */
  refreshIntervalMs?: number;
  now?: () => number;
}

/** Metres a location may lie from the nearest street and still be reached over the network. */
const maxSnapMeters = 400;

export function featureCollection(results: GeocodeResult[]): GeocodeFeatureCollection {
  return {
    type: 'FeatureCollection',
    features: results.map(({ lon, lat, bbox, ...properties }) => ({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [lon, lat] },
      ...(bbox ? { bbox } : {}),
      properties,
    })),
  };
}

export function createGeocodingService(options: GeocodingServiceOptions): GeocodingService {
  const { db } = options;
  const now = options.now ?? Date.now;
  const refreshIntervalMs = options.refreshIntervalMs ?? 30_000;
  let current: { index: StreetIndex; signature: string } | null = null;
  let loading: Promise<StreetIndex> | null = null;
  let checking: Promise<void> | null = null;
  let lastCheck = 0;
  let generation = 0;

  async function build(): Promise<StreetIndex> {
    const started = now();
    const loadGeneration = generation;
    const signature = await readStreetDataSignature(db);
    const [segments, places] = await Promise.all([listStreetSegments(db), listPlaces(db)]);
    const index = new StreetIndex(segments, places, options.cityNames ?? []);
    // An invalidate() during the load means the data changed underneath: do not keep this result.
    if (loadGeneration === generation) {
      current = { index, signature };
      lastCheck = now();
    }
    options.logger?.info(
      { streets: index.streetCount, places: index.placeCount, ms: now() - started },
      'geocoder index loaded',
    );
    return index;
  }

  function load(): Promise<StreetIndex> {
    loading ??= build().finally(() => {
      loading = null;
    });
    return loading;
  }

  function checkForChanges(): void {
    if (checking || !current) return;
    lastCheck = now();
    const known = current.signature;
    checking = readStreetDataSignature(db)
      .then(async (signature) => {
        if (signature !== known) await load();
      })
      .catch((error: unknown) => options.logger?.warn({ err: error }, 'geocoder index check failed'))
      .finally(() => {
        checking = null;
      });
  }

  async function index(): Promise<StreetIndex> {
    if (!current) return load();
    // The current index keeps answering while a changed one is built.
    if (now() - lastCheck >= refreshIntervalMs) checkForChanges();
    return current.index;
  }

  return {
    async geocode(text, limit) {
      return (await index()).geocode(text, limit);
    },
    async suggest(text, limit) {
      return (await index()).suggest(text, limit);
    },
    async streets(bbox) {
      const lines = (await index()).streetsInBox(bbox, 5000);
      return {
        type: 'FeatureCollection',
        features: lines.map((line) => ({
          type: 'Feature',
          geometry: { type: 'LineString', coordinates: line.coordinates.map(([lon, lat]) => [lon, lat] as [number, number]) },
          properties: { name: line.name },
        })),
      };
    },
    async hasNetwork() {
      return (await index()).network !== null;
    },
    async walkingDistances(origin, targets) {
      const network = (await index()).network;
      const airline = targets.map((target) => haversineMeters(origin, target));
      const fallback = (position: number): WalkingEstimate => ({
        meters: Math.round(airline[position]! * walkingDetourFactor),
        method: 'detour_factor',
      });
      if (!network || targets.length === 0) return targets.map((_target, position) => fallback(position));
      const start = network.snap(origin, maxSnapMeters);
      if (!start) return targets.map((_target, position) => fallback(position));
      const snapped = targets.map((target) => network.snapRemembered(target, maxSnapMeters));
      // Each walk stops once the targets' segment ends are settled, so its bound only matters for
      // targets it cannot reach nearby (a river between: Frankenwerft → Deutzer Werft is 570 m
      // airline, 2.9 km on foot): a first walk bounded by the farthest target, then one of up to 5×
      // their airline distance for those it did not reach.
      const farthest = Math.max(...airline);
      const distances = new Array<number>(targets.length).fill(Number.POSITIVE_INFINITY);
      for (const bound of [farthest * 1.8 + 2 * maxSnapMeters, Math.max(5000, farthest * 5)]) {
        const pending = snapped.flatMap((point, position) => (point && !Number.isFinite(distances[position]!) ? [{ point, position }] : []));
        if (pending.length === 0) break;
        const walk = network.walkFrom(start, bound, pending.map(({ point }) => point));
        for (const { point, position } of pending) {
          // Only a distance within the bound is certainly the shortest: a route through a node
          // beyond the bound is longer than the bound.
          const meters = walk.distanceTo(point);
          if (meters <= bound) distances[position] = meters;
        }
      }
      return distances.map((meters, position) =>
        Number.isFinite(meters) ? { meters: Math.round(meters), method: 'network' } : fallback(position),
      );
    },
    invalidate() {
      generation += 1;
      current = null;
      loading = null;
    },
    async warm() {
      await index();
    },
  };
}
