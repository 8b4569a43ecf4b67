import { createHash } from 'node:crypto';
import { fromVectorTileJs, GeoJSONWrapper, type Feature } from '@maplibre/vt-pbf';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import { bilingualValidationError } from '../http/localized-validation.ts';
import type { TaxonomyCode } from '../taxonomies/taxonomies.schema.ts';
import type { TaxonomiesService } from '../taxonomies/taxonomies.service.ts';
import { createOfferIndexBuilder, type OfferIndex } from './tiles-offer-index.ts';
import { readAreasVersion } from '../areas/areas.service.ts';
import { encodePointTile, type PointFeature } from './tiles-point-encoding.ts';
import { maxLinesPerTile, streetLineFeatures, streetTileBox, streetTileMinZoom } from './tiles-street-lines.ts';
import type { StreetLine } from '../geocoding/geocoding.service.ts';
import {
  countVisibleOfferLocations,
  listAreaShapes,
  listOfferClusters,
  listOfferIndexPage,
  listOfferPoints,
  readDataGeneration,
  readOfferIndexByCursor,
  type OfferTileFilter,
} from './tiles.repo.ts';
import { tileMessages } from './tiles.messages.ts';
import { clusterMaxZoom, tileBounds, tileExtent, type OfferTileQuery, type TileAddress } from './tiles.schema.ts';

export interface EncodedTile {
  body: Buffer;
  etag: string;
  features: number;
}

export interface TilesService {
  offerTile(tile: TileAddress, query: OfferTileQuery): Promise<EncodedTile>;
  areaTile(tile: TileAddress, level: string): Promise<EncodedTile>;
  /** The street lines of a tile (layer `streets`), from zoom 13; empty below it or without streets. */
  streetTile(tile: TileAddress): Promise<EncodedTile>;
  /** The version tiles are built from; part of every ETag. */
  version(): Promise<string>;
  /** Builds the offer index now if it is missing or stale; resolves whether it holds the current version. */
  warmOfferIndex(): Promise<boolean>;
}

export interface TilesDependencies {
  db: Knex;
  taxonomies: TaxonomiesService;
  /** How often the data version is read at most (ms): the bound on a stale tile. */
  checkIntervalMs: number;
  /** How many encoded tiles are kept in memory. */
  cacheSize?: number;
  /**
   * The in-memory offer index (tiles-offer-index.ts), which answers every offer tile — clusters
   * and points, filtered or not: on unless `enabled` is false; rebuilt when the data version moves,
   * at most every `minRebuildIntervalMs` (default 10 s). Until it matches the current version,
   * offer tiles come from SQL, so an edit is never hidden by a stale index.
   */
  offerIndex?: {
    enabled?: boolean;
    minRebuildIntervalMs?: number;
    /**
     * How the index reads its rows: 'cursor' = one server-side cursor (PostgreSQL: one plan for
     * the whole table, a connection held while it reads), 'pages' (default) = keyset pages of
     * `indexPageSize` rows, each its own query (the embedded database, whose one connection every
     * request shares).
     */
    read?: 'cursor' | 'pages';
  };
  /** The city served (issue 13); the database's default city when left out. */
  cityId?: string;
  /**
   * The version of the street data and its lines in a box (the geocoder's, which holds the street
   * kernel's lines in memory); without it the street tiles are empty.
   */
  streetLines?: () => Promise<{ version: string | null; inBox(bbox: [number, number, number, number], limit: number): StreetLine[] }>;
  /** Where index builds are logged (built: size and time; failed: the error, the SQL path answers meanwhile). */
  logger?: Pick<Logger, 'info' | 'warn'>;
}

/** Points per tile at most; a denser tile at a high zoom is a data problem, not a map. */
const maxPointsPerTile = 20_000;
/** Rows per page while the offer index is read. */
const indexPageSize = 20_000;
/** Cluster cell edge in tile units (a 4096-unit tile has 32 × 32 cells). */
const clusterCell = 128;

type Geometry = { type: 'Polygon'; coordinates: number[][][] } | { type: 'MultiPolygon'; coordinates: number[][][][] };

function encode(layers: Record<string, Feature[]>): Buffer {
  const wrapped: Record<string, GeoJSONWrapper> = {};
  for (const [name, features] of Object.entries(layers)) {
    const layer = new GeoJSONWrapper(features, { version: 2, extent: tileExtent });
    layer.name = name;
    wrapped[name] = layer;
  }
  return Buffer.from(fromVectorTileJs({ layers: wrapped }));
}

function polygonRings(geometry: Geometry): [number, number][][] {
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  return polygons.flatMap((polygon) => polygon.filter((ring) => ring.length >= 4).map((ring) => ring.map(([x, y]) => [x!, y!] as [number, number])));
}

/** The street tile without lines (below zoom 13, outside the city): the same bytes for every address. */
const emptyStreetTile: EncodedTile = { body: encode({ streets: [] }), features: 0, etag: '"streets-empty"' };

/** A small LRU of encoded tiles: a Map keeps insertion order, a hit moves to the end. */
function createTileCache(limit: number) {
  const entries = new Map<string, EncodedTile>();
  return {
    get(key: string): EncodedTile | undefined {
      const hit = entries.get(key);
      if (hit) {
        entries.delete(key);
        entries.set(key, hit);
      }
      return hit;
    },
    set(key: string, tile: EncodedTile): void {
      entries.set(key, tile);
      if (entries.size > limit) entries.delete(entries.keys().next().value!);
    },
  };
}

/**
 * One key per meaning: lists sorted and without repeats, so that `type=a,b`, `type=b,a` and
 * `type=a,b,a` share a cache entry (and an anonymous caller cannot grow the cache by reordering).
 */
function cacheKeyOf(query: OfferTileQuery): string {
  const list = (values: string[] | undefined) => (values ? [...new Set(values)].sort().join(',') : '');
  return [list(query.type), list(query.targetGroup), list(query.accessible), list(query.language), query.free ? 'free' : ''].join('|');
}

// eslint-disable-next-line max-lines-per-function -- a service factory: a closure over its injected dependencies; each method is counted on its own
export function createTilesService(deps: TilesDependencies): TilesService {
  const cache = createTileCache(deps.cacheSize ?? 4000);
  let known: { version: string; checkedAt: number } | undefined;
  let pending: Promise<string> | undefined;

  async function readVersion(): Promise<string> {
    const [generation, areas] = await Promise.all([readDataGeneration(deps.db), readAreasVersion(deps.db, deps.cityId)]);
    return `${generation}.${areas}`;
  }

  const indexEnabled = deps.offerIndex?.enabled !== false;
  const minRebuildIntervalMs = deps.offerIndex?.minRebuildIntervalMs ?? 10_000;
  let offerIndex: OfferIndex | undefined;
  let indexBuild: Promise<void> | undefined;
  let indexBuildStartedAt = Number.NEGATIVE_INFINITY;

  async function buildOfferIndex(): Promise<OfferIndex> {
    // The version is read before the points: a change during the read makes the index older than
    // the data, never newer, and the next tile sees the mismatch.
    const builtVersion = await readVersion();
    const builder = createOfferIndexBuilder(await countVisibleOfferLocations(deps.db, deps.cityId));
    if (deps.offerIndex?.read === 'cursor') {
      await readOfferIndexByCursor(deps.db, deps.cityId, indexPageSize, (rows) => builder.add(rows));
      return builder.finish(builtVersion);
    }
    // Pages by location id: the driver never holds more than one page of rows, and the request
    // thread gets a turn between pages.
    let after: string | null = null;
    for (;;) {
      const rows = await listOfferIndexPage(deps.db, deps.cityId, after, indexPageSize);
      builder.add(rows);
      if (rows.length < indexPageSize) break;
      after = rows[rows.length - 1]!.id;
    }
    return builder.finish(builtVersion);
  }

  /** The index when it holds exactly this data version; otherwise starts a (throttled) rebuild and says no. */
  function offerIndexFor(dataVersion: string): OfferIndex | undefined {
    if (!indexEnabled) return undefined;
    if (offerIndex?.version === dataVersion) return offerIndex;
    if (!indexBuild && Date.now() - indexBuildStartedAt >= minRebuildIntervalMs) {
      indexBuildStartedAt = Date.now();
      indexBuild = (async () => {
        try {
          const started = performance.now();
          offerIndex = await buildOfferIndex();
          deps.logger?.info({ locations: offerIndex.size, ms: Math.round(performance.now() - started) }, 'tile offer index built');
        } catch (error) {
          // The SQL path keeps answering; the next tile after the interval tries again.
          deps.logger?.warn({ err: error }, 'tile offer index build failed');
        } finally {
          indexBuild = undefined;
        }
      })();
    }
    return undefined;
  }

  async function version(): Promise<string> {
    const now = Date.now();
    if (known && now - known.checkedAt < deps.checkIntervalMs) return known.version;
    // One reader at a time: a burst of tile requests shares one look at the database.
    pending ??= (async () => {
      try {
        const current = await readVersion();
        known = { version: current, checkedAt: Date.now() };
        return current;
      } finally {
        pending = undefined;
      }
    })();
    return pending;
  }

  /** A tile from the cache under `fullKey` (which holds the version of the data), or built and kept. */
  async function cachedUnder(fullKey: string, build: () => Promise<{ body: Buffer; features: number }>): Promise<EncodedTile> {
    const hit = cache.get(fullKey);
    if (hit) return hit;
    const built = await build();
    const etag = `"${createHash('sha1').update(fullKey).digest('base64url').slice(0, 22)}"`;
    const tile = { ...built, etag };
    cache.set(fullKey, tile);
    return tile;
  }

  async function cached(key: string, build: (dataVersion: string) => Promise<{ body: Buffer; features: number }>): Promise<EncodedTile> {
    const dataVersion = await version();
    return cachedUnder(`${dataVersion}|${key}`, () => build(dataVersion));
  }

  async function resolveFilter(query: OfferTileQuery): Promise<OfferTileFilter> {
    const terms = await deps.taxonomies.termIndex();
    const filter: OfferTileFilter = { cityId: deps.cityId };
    const unknown = (field: string, code: string) =>
      bilingualValidationError([{ field: `query.${field}`, code: 'unknown_term', message: tileMessages.unknown_term!, params: { code } }]);
    const resolve = (taxonomy: TaxonomyCode, field: string, codes: string[]) =>
      codes.flatMap((code) => {
        if (!terms.byCode(taxonomy, code)) throw unknown(field, code);
        return terms.withDescendants(taxonomy, code).map((term) => term.id);
      });
    if (query.type) filter.offerTypeIds = resolve('offer_type', 'type', query.type);
    if (query.targetGroup) filter.targetGroupIds = resolve('target_group', 'targetGroup', query.targetGroup);
    // Every listed feature must be there (as in the search); each one is its own term set.
    if (query.accessible) filter.accessibilitySets = query.accessible.map((code) => resolve('accessibility', 'accessible', [code]));
    if (query.free) filter.free = true;
    if (query.language) filter.languages = query.language;
    return filter;
  }

  return {
    version,
    async warmOfferIndex() {
      if (!indexEnabled) return false;
      const current = await readVersion();
      if (offerIndex?.version === current) return true;
      await indexBuild;
      indexBuildStartedAt = Number.NEGATIVE_INFINITY;
      offerIndexFor(current);
      await indexBuild;
      return offerIndex?.version === current;
    },
    async offerTile(tile, query) {
      const filter = await resolveFilter(query);
      const key = `offers/${tile.z}/${tile.x}/${tile.y}?${cacheKeyOf(query)}`;
      return cached(key, async (dataVersion) => {
        const frame = tileBounds(tile);
        const index = offerIndexFor(dataVersion);
        if (tile.z <= clusterMaxZoom) {
          const clusters = index ? index.clusters(frame, clusterCell, filter) : await listOfferClusters(deps.db, frame, filter, clusterCell);
          // One order whichever path counted them: the same data gives the same bytes.
          clusters.sort((a, b) => a.ty - b.ty || a.tx - b.tx || a.count - b.count);
          const features = clusters.map((cluster): PointFeature => ({
            x: cluster.tx,
            y: cluster.ty,
            tags: cluster.count === 1 ? { count: 1, offerId: cluster.offer_id!, name: cluster.name!, offerType: cluster.offer_type! } : { count: cluster.count },
          }));
          return { body: encodePointTile('offers', features), features: clusters.reduce((sum, cluster) => sum + cluster.count, 0) };
        }
        // The index writes the tile from its codes; the SQL rows go through the same layout.
        if (index) return index.pointTile(frame, filter, maxPointsPerTile);
        const points = await listOfferPoints(deps.db, frame, filter, maxPointsPerTile);
        const features: PointFeature[] = points.map((point) => ({
          x: point.tx,
          y: point.ty,
          tags: { count: 1, id: point.id, offerId: point.offer_id, name: point.name, offerType: point.offer_type },
        }));
        return { body: encodePointTile('offers', features), features: points.length };
      });
    },
    async areaTile(tile, level) {
      return cached(`areas-${level}/${tile.z}/${tile.x}/${tile.y}`, async () => {
        const rows = await listAreaShapes(deps.db, tileBounds(tile), level, deps.cityId);
        const features: Feature[] = [];
        for (const row of rows) {
          if (!row.geometry) continue;
          const geometry = JSON.parse(row.geometry) as Geometry | { type: string };
          if (geometry.type !== 'Polygon' && geometry.type !== 'MultiPolygon') continue;
          const rings = polygonRings(geometry as Geometry);
          if (rings.length === 0) continue;
          features.push({ type: 3, geometry: rings, tags: { code: row.code, name: row.name, level: row.level } } as Feature);
        }
        return { body: encode({ areas: features }), features: features.length };
      });
    },
    async streetTile(tile) {
      if (!deps.streetLines || tile.z < streetTileMinZoom) return emptyStreetTile;
      const streets = await deps.streetLines();
      const key = `streets/${tile.z}/${tile.x}/${tile.y}`;
      // A cached tile is answered by its version alone, before any line is read.
      const hit = streets.version === null ? undefined : cache.get(`${streets.version}|${key}`);
      if (hit) return hit;
      const frame = tileBounds(tile);
      const lines = streets.inBox(streetTileBox(frame), maxLinesPerTile);
      // A tile without streets (outside the city, any zoom) is the one empty tile: an anonymous
      // caller walking empty tiles does not push the city's tiles out of the cache.
      if (lines.length === 0) return emptyStreetTile;
      const build = async () => {
        const features = streetLineFeatures(lines, frame);
        return { body: encode({ streets: features }), features: features.length };
      };
      if (streets.version === null) {
        // Lines of an index still being replaced: not kept (their version is not known), tagged by their bytes.
        const built = await build();
        return { ...built, etag: `"${createHash('sha1').update(built.body).digest('base64url').slice(0, 22)}"` };
      }
      return cachedUnder(`${streets.version}|${key}`, build);
    },
  };
}
