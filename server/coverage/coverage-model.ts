import type { Knex } from 'knex';
import { buildPlacements, type CoverageModel, type ModelSegment } from './coverage-compute.ts';
import { listCoverageAreas, listNetworkSegments, readNetworkSignature, type SnapRecord } from './coverage.repo.ts';
import { houseCount } from './demand.ts';
import { buildStreetNetwork, type NetworkSource } from './network-graph.ts';

// The coverage model of the city: Sozialräume, street segments with their houses, the street
// network and where each area's residents are placed. Built once per change signature of areas
// and streets and shared by every question until the signature moves.

export interface CoverageModelCache {
  current(): Promise<CoverageModel>;
  /** Drops the cached model (the next question rebuilds it). */
  invalidate(): void;
}

async function loadModel(db: Knex): Promise<CoverageModel> {
  const [areas, segments] = await Promise.all([listCoverageAreas(db), listNetworkSegments(db)]);
  const modelSegments: ModelSegment[] = segments.map((segment) => ({
    id: segment.id,
    areaId: segment.areaId,
    houses: houseCount(segment),
    lengthMeters: segment.lengthMeters,
    midLon: segment.midLon,
    midLat: segment.midLat,
  }));
  return {
    areas,
    segments: modelSegments,
    network: segments.length > 0 ? buildStreetNetwork(segments) : null,
    segmentIndexById: new Map(segments.map((segment, index) => [segment.id, index])),
    placements: buildPlacements(areas, modelSegments),
  };
}

export function createCoverageModelCache(db: Knex): CoverageModelCache {
  let cached: { key: string; model: Promise<CoverageModel> } | undefined;
  return {
    async current() {
      const key = JSON.stringify(await readNetworkSignature(db));
      if (!cached || cached.key !== key) {
        const model = loadModel(db);
        cached = { key, model };
        model.catch(() => {
          if (cached?.model === model) cached = undefined;
        });
      }
      return cached.model;
    },
    invalidate() {
      cached = undefined;
    },
  };
}

/** Where a snapped point enters the model's network (null when it was not snapped to a known segment). */
export function toNetworkSource(model: CoverageModel, snap: SnapRecord): NetworkSource | null {
  if (snap.segmentId === null || snap.fraction === null || snap.offsetMeters === null) return null;
  const segmentIndex = model.segmentIndexById.get(snap.segmentId);
  if (segmentIndex === undefined) return null;
  return { segmentIndex, fraction: snap.fraction, offsetMeters: snap.offsetMeters };
}
