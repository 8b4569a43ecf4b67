import { createHash } from 'node:crypto';
import { fromVectorTileJs, GeoJSONWrapper, type Feature } from '@maplibre/vt-pbf';
import type { Knex } from 'knex';
import { ValidationError } from '../http/errors.ts';
import type { TaxonomiesService } from '../taxonomies/taxonomies.service.ts';
import { listAreaShapes, listOfferClusters, listOfferPoints, readAreasVersion, readDataGeneration, type OfferTileFilter } from './tiles.repo.ts';
import { clusterMaxZoom, tileBounds, tileExtent, type OfferTileQuery, type TileAddress } from './tiles.schema.ts';

export interface EncodedTile {
  body: Buffer;
  etag: string;
  features: number;
}

export interface TilesService {
  offerTile(tile: TileAddress, query: OfferTileQuery): Promise<EncodedTile>;
  areaTile(tile: TileAddress, level: string): Promise<EncodedTile>;
  /** The version tiles are built from; part of every ETag. */
  version(): Promise<string>;
}

export interface TilesDependencies {
  db: Knex;
  taxonomies: TaxonomiesService;
  /** How often the data version is read at most (ms): the bound on a stale tile. */
  checkIntervalMs: number;
  /** How many encoded tiles are kept in memory. */
  cacheSize?: number;
}

/** Points per tile at most; a denser tile at a high zoom is a data problem, not a map. */
const maxPointsPerTile = 20_000;
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

// eslint-disable-next-line max-lines-per-function -- a service factory: a closure over its injected dependencies; each method is counted on its own
export function createTilesService(deps: TilesDependencies): TilesService {
  const cache = createTileCache(deps.cacheSize ?? 4000);
  let known: { version: string; checkedAt: number } | undefined;
  let pending: Promise<string> | undefined;

  async function version(): Promise<string> {
    const now = Date.now();
    if (known && now - known.checkedAt < deps.checkIntervalMs) return known.version;
    // One reader at a time: a burst of tile requests shares one look at the database.
    pending ??= (async () => {
      try {
        const [generation, areas] = await Promise.all([readDataGeneration(deps.db), readAreasVersion(deps.db)]);
        const current = `${generation}.${areas}`;
        known = { version: current, checkedAt: Date.now() };
        return current;
      } finally {
        pending = undefined;
      }
    })();
    return pending;
  }

  async function cached(key: string, build: () => Promise<{ body: Buffer; features: number }>): Promise<EncodedTile> {
    const dataVersion = await version();
    const fullKey = `${dataVersion}|${key}`;
    const hit = cache.get(fullKey);
    if (hit) return hit;
    const built = await build();
    const etag = `"${createHash('sha1').update(fullKey).digest('base64url').slice(0, 22)}"`;
    const tile = { ...built, etag };
    cache.set(fullKey, tile);
    return tile;
  }

  async function resolveFilter(query: OfferTileQuery): Promise<OfferTileFilter> {
    const terms = await deps.taxonomies.termIndex();
    const filter: OfferTileFilter = {};
    const unknown = (field: string, code: string) =>
      new ValidationError([{ field: `query.${field}`, code: 'unknown_term', message: `"${code}" is not a known code` }]);
    if (query.type) {
      if (!terms.byCode('offer_type', query.type)) throw unknown('type', query.type);
      filter.offerTypeIds = terms.withDescendants('offer_type', query.type).map((term) => term.id);
    }
    if (query.targetGroup) {
      if (!terms.byCode('target_group', query.targetGroup)) throw unknown('targetGroup', query.targetGroup);
      filter.targetGroupIds = terms.withDescendants('target_group', query.targetGroup).map((term) => term.id);
    }
    if (query.accessible) {
      const stepFree = terms.byCode('accessibility', 'step_free');
      if (stepFree) filter.accessibilityIds = [stepFree.id];
    }
    if (query.free) filter.free = true;
    if (query.language) filter.language = query.language;
    return filter;
  }

  return {
    version,
    async offerTile(tile, query) {
      const filter = await resolveFilter(query);
      const key = `offers/${tile.z}/${tile.x}/${tile.y}?${JSON.stringify(query)}`;
      return cached(key, async () => {
        const frame = tileBounds(tile);
        if (tile.z <= clusterMaxZoom) {
          const clusters = await listOfferClusters(deps.db, frame, filter, clusterCell);
          const features: Feature[] = clusters.map((cluster) => ({
            type: 1,
            geometry: [[cluster.tx, cluster.ty]],
            tags: cluster.count === 1 ? { count: 1, offerId: cluster.offer_id!, name: cluster.name!, offerType: cluster.offer_type! } : { count: cluster.count },
          })) as Feature[];
          return { body: encode({ offers: features }), features: clusters.reduce((sum, cluster) => sum + cluster.count, 0) };
        }
        const points = await listOfferPoints(deps.db, frame, filter, maxPointsPerTile);
        const features: Feature[] = points.map((point) => ({
          type: 1,
          geometry: [[point.tx, point.ty]],
          tags: { count: 1, id: point.id, offerId: point.offer_id, name: point.name, offerType: point.offer_type },
        })) as Feature[];
        return { body: encode({ offers: features }), features: points.length };
      });
    },
    async areaTile(tile, level) {
      return cached(`areas-${level}/${tile.z}/${tile.x}/${tile.y}`, async () => {
        const rows = await listAreaShapes(deps.db, tileBounds(tile), level);
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
  };
}
