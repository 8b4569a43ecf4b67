import type { Knex } from 'knex';
import type { Logger } from 'pino';
import type { GeocodeFeatureCollection, GeocodeResult, StreetFeatureCollection } from './geocoding.schema.ts';
import { createStreetKernel, type NetworkVersion, type StreetKernel } from '../streets/streets.service.ts';
import { listAddressPoints, listPlaces, listStreetSegments } from './geocoding.repo.ts';
import { StreetIndex, type StreetLine } from './street-index.ts';

export type { StreetLine };

export interface GeocodingService {
  geocode(text: string, limit: number): Promise<GeocodeResult[]>;
  suggest(text: string, limit: number): Promise<GeocodeResult[]>;
  /** Street lines in a box (map orientation without a basemap). */
  streets(bbox: [number, number, number, number]): Promise<StreetFeatureCollection>;
  /**
   * The street lines of the current index, with the change signature of the street data they come
   * from (the street tiles' cache key; null while an index of changed data is being built). `inBox`
   * reads that same index, so a caller can look its cache up by the version before it reads lines.
   */
  streetLines(): Promise<{ version: string | null; inBox(bbox: [number, number, number, number], limit: number): StreetLine[] }>;
  /** Drops the cached index and network; the next call loads them again (e.g. right after an import in this process). */
  invalidate(): void;
  /** Loads the index now (start-up, benchmarks) instead of on the first request. */
  warm(): Promise<void>;
}

export interface GeocodingServiceOptions {
  db: Knex;
  /** Names of the city that people add to addresses ("Köln", "Cologne"); removed before matching. */
  cityNames?: string[];
  logger?: Pick<Logger, 'info' | 'warn'>;
  /**
   * The street kernel (server/streets): its network and change signature. app.ts passes the one
   * kernel of the process; without it the service makes its own (tests, benchmarks).
   */
  streets?: StreetKernel;
  /** The city whose streets and places are searched (issue 13); the database's default city when left out. */
  cityId?: string;
  /** How often the data fingerprint is compared when the service makes its own kernel. */
  refreshIntervalMs?: number;
  now?: () => number;
}

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
  const streets =
    options.streets ??
    createStreetKernel({
      db,
      now,
      ...(options.cityId !== undefined ? { cityId: options.cityId } : {}),
      ...(options.refreshIntervalMs !== undefined ? { checkIntervalMs: options.refreshIntervalMs } : {}),
      ...(options.logger ? { logger: options.logger } : {}),
    });
  let current: { index: StreetIndex; version: NetworkVersion } | null = null;
  let loading: Promise<StreetIndex> | null = null;
  let generation = 0;

  /** The address index of one version of the street data, on the kernel's network of that version. */
  async function build(version: NetworkVersion): Promise<StreetIndex> {
    const started = now();
    const loadGeneration = generation;
    const [rows, places, addressPoints] = await Promise.all([listStreetSegments(db, options.cityId), listPlaces(db, options.cityId), listAddressPoints(db, options.cityId)]);
    // The lines are the network's own arrays where it has the segment: held once in memory.
    const network = version.network;
    const segments = rows.map((row) => {
      const networkIndex = network?.indexOf(row.id);
      return network && networkIndex !== undefined ? { ...row, coordinates: network.coordinatesOf(networkIndex) } : row;
    });
    const index = new StreetIndex(segments, places, options.cityNames ?? [], network, addressPoints);
    // An invalidate() during the load means the data changed underneath: do not keep this result.
    if (loadGeneration === generation) current = { index, version };
    options.logger?.info({ streets: index.streetCount, places: index.placeCount, addressPoints: addressPoints.length, ms: now() - started }, 'geocoder index loaded');
    return index;
  }

  function load(version: NetworkVersion): Promise<StreetIndex> {
    loading ??= build(version).finally(() => {
      loading = null;
    });
    return loading;
  }

  async function index(): Promise<StreetIndex> {
    const version = await streets.current();
    if (current?.version === version) return current.index;
    if (!current) return load(version);
    // The current index keeps answering while the changed one is built.
    load(version).catch((error: unknown) => options.logger?.warn({ err: error }, 'geocoder index rebuild failed'));
    return current.index;
  }

  return {
    async geocode(text, limit) {
      return (await index()).geocode(text, limit);
    },
    async suggest(text, limit) {
      return (await index()).suggest(text, limit);
    },
    async streetLines() {
      const found = await index();
      return { version: current?.index === found ? current.version.signature : null, inBox: (bbox, limit) => found.streetsInBox(bbox, limit) };
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
    invalidate() {
      generation += 1;
      current = null;
      loading = null;
      streets.invalidate();
    },
    async warm() {
      await index();
    },
  };
}
