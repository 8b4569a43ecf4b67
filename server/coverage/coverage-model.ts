import type { Knex } from 'knex';
import type { StreetKernel } from '../streets/streets.service.ts';
import type { SnappedPoint, StreetNetwork } from '../streets/street-network.ts';
import { maxSnapMeters } from '../streets/walking.ts';
import { buildPlacements, type CoverageModel, type ModelSegment } from './coverage-compute.ts';
import { listCoverageAreas, listNetworkSegments, listStreetSources, type SegmentRecord } from './coverage.repo.ts';
import { houseCount } from './demand.ts';

// The coverage model of the city: Sozialräume, street segments with their houses, the street
// kernel's network and where each area's residents are placed. Built once per data version of the
// kernel (its change signature) and shared by every question until the version moves.

/** The model of one data version and what else only changes with it (the street sources for the method note). */
export interface LoadedModel {
  model: CoverageModel;
  streetSources: string[];
}

export interface CoverageModelCache {
  current(): Promise<LoadedModel>;
  /** Drops the cached model and the kernel's network (the next question rebuilds them). */
  invalidate(): void;
}

function toModelSegment(segment: SegmentRecord): ModelSegment {
  return {
    id: segment.id,
    areaId: segment.areaId,
    houses: houseCount(segment),
    lengthMeters: segment.lengthMeters,
    midLon: segment.midLon,
    midLat: segment.midLat,
  };
}

/** The model's segments in the network's order (segment i of the model is segment i of the network). */
function inNetworkOrder(rows: readonly SegmentRecord[], network: StreetNetwork | null): ModelSegment[] {
  if (!network) return rows.map(toModelSegment);
  const ordered: ModelSegment[] = new Array(network.segmentCount);
  for (const row of rows) {
    const index = network.indexOf(row.id);
    if (index !== undefined) ordered[index] = toModelSegment(row);
  }
  // A segment added between the two reads is walked but houses nobody until the next version.
  for (let index = 0; index < network.segmentCount; index++) {
    if (ordered[index]) continue;
    const [lon, lat] = network.coordinatesOf(index)[0]!;
    ordered[index] = { id: network.segmentIds[index]!, areaId: null, houses: 0, lengthMeters: network.segmentLength[index]!, midLon: lon, midLat: lat };
  }
  return ordered;
}

async function loadModel(db: Knex, cityId: string | undefined, network: StreetNetwork | null): Promise<LoadedModel> {
  // The street sources change with the street data, so with the kernel's signature: read once per
  // version, not once per question (a scan of every segment).
  const [areas, rows, streetSources] = await Promise.all([listCoverageAreas(db, cityId), listNetworkSegments(db, cityId), listStreetSources(db, cityId)]);
  const segments = inNetworkOrder(rows, network);
  return { model: { areas, segments, network, placements: buildPlacements(areas, segments) }, streetSources };
}

export function createCoverageModelCache(db: Knex, cityId: string | undefined, streets: StreetKernel): CoverageModelCache {
  let cached: { signature: string; model: Promise<LoadedModel> } | undefined;
  return {
    async current() {
      const version = await streets.exact();
      if (!cached || cached.signature !== version.signature) {
        const model = loadModel(db, cityId, version.network);
        cached = { signature: version.signature, model };
        model.catch(() => {
          if (cached?.model === model) cached = undefined;
        });
      }
      return cached.model;
    },
    invalidate() {
      cached = undefined;
      streets.invalidate();
    },
  };
}

/** Where a point enters the model's network: the street kernel's snapping, as the search's (null: no street near). */
export function snapToNetwork(model: CoverageModel, lon: number, lat: number): SnappedPoint | null {
  return model.network ? model.network.snap([lon, lat], maxSnapMeters) : null;
}
