import { afterAll, describe, expect, it } from 'vitest';
import { ShortestPaths } from '../../server/streets/dijkstra.ts';
import { lineLengthMeters, type Position } from '../../server/streets/line-geometry.ts';
import { StreetNetwork, type WalkableSegment } from '../../server/streets/street-network.ts';
import { SnappedPlaces, walkingMetersTo, type WalkingMeters } from '../../server/streets/walking.ts';
import { createWalkingThread } from '../../server/streets/walking-thread.ts';
import { seeded } from '../helpers/search-index-rows.ts';

// The search's walks run in a worker thread (walking-thread.ts) on a copy of the network: every
// figure must be the one the request thread's walk gives, to the bit, for windows of listed places
// with and without `needed`; a walk for a network the thread does not hold gets null (the kernel
// then walks itself), as does every walk after close.

const metersPerDegreeLon = 111_320 * Math.cos((50.94 * Math.PI) / 180);
const at = (x: number, y: number): Position => [6.9 + x / metersPerDegreeLon, 50.94 + y / 111_320];
const detourFactor = 1.3;

/** A 12 × 12 grid of junctions 80 m apart with some streets missing, and an island 3 km east. */
function gridSegments(): WalkableSegment[] {
  const lines: Position[][] = [];
  for (let i = 0; i < 12; i += 1) {
    for (let j = 0; j < 12; j += 1) {
      if (i + 1 < 12 && (i * 7 + j * 3) % 5 !== 0) lines.push([at(i * 80, j * 80), at((i + 1) * 80, j * 80)]);
      if (j + 1 < 12 && (i * 3 + j * 5) % 7 !== 0) lines.push([at(i * 80, j * 80), at(i * 80, (j + 1) * 80)]);
    }
  }
  lines.push([at(3000, 0), at(3100, 0)]);
  return lines.map((coordinates) => ({ coordinates, lengthMeters: lineLengthMeters(coordinates) }));
}

const random = seeded(5);
/** Places on the grid, a few on the island and a few far from any street (estimates). */
const place = (): Position => {
  const kind = random();
  if (kind < 0.05) return at(3000 + random() * 100, random() * 20);
  if (kind < 0.1) return at(random() * 900, 1500 + random() * 400);
  return at(random() * 920 - 10, random() * 920 - 10);
};

const thread = createWalkingThread({ detourFactor });
afterAll(() => thread.close());

async function whenReady(signature: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while ((await thread.walk(signature, at(0, 0), [], [], {})) === null) {
    if (Date.now() > deadline) throw new Error('the walking thread did not take the network within 30 s');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const plain = (walked: WalkingMeters) => ({ meters: [...walked.meters], overNetwork: [...walked.overNetwork], estimatedBeyondBound: walked.estimatedBeyondBound });

describe('walks in the walking thread', () => {
  it('gives the metres of the request thread’s walk to the bit, for listed places with and without `needed`', async () => {
    const segments = gridSegments();
    thread.setNetwork('grid-1', segments);
    await whenReady('grid-1');
    const network = new StreetNetwork(segments);
    const walking = { network, paths: new ShortestPaths(network) };
    const list = Array.from({ length: 500 }, place);
    const listObject = {};
    const places = new SnappedPlaces(network, list.length);
    const before = thread.answered;
    let networkFigures = 0;
    let nanFigures = 0;
    for (let trial = 0; trial < 60; trial += 1) {
      const origin = place();
      const ordinals = Uint32Array.from({ length: 40 + Math.floor(random() * 160) }, () => Math.floor(random() * list.length));
      const lons = Float64Array.from(ordinals, (ordinal) => list[ordinal]![0]);
      const lats = Float64Array.from(ordinals, (ordinal) => list[ordinal]![1]);
      const needed = trial % 3 === 0 ? undefined : 1 + Math.floor(random() * 30);
      const inline = walkingMetersTo(walking, origin, lons, lats, detourFactor, { listed: { places, ordinals }, needed });
      const threaded = await thread.walk('grid-1', origin, lons, lats, { listed: { list: listObject, size: list.length, ordinals }, needed });
      expect(threaded, `trial ${trial}`).not.toBeNull();
      expect(plain(threaded!), `trial ${trial}`).toEqual(plain(inline));
      networkFigures += inline.overNetwork.reduce((sum, value) => sum + value, 0);
      nanFigures += inline.meters.filter(Number.isNaN).length;
    }
    expect(thread.answered - before).toBe(60);
    // The trials walked over the network, estimated, and left figures out beyond `needed`.
    expect(networkFigures).toBeGreaterThan(1000);
    expect(nanFigures).toBeGreaterThan(100);
  });

  it('answers null for a network it does not hold, and walks on a new version once sent', async () => {
    expect(await thread.walk('another-version', at(0, 0), [at(80, 0)[0]], [at(80, 0)[1]], {})).toBeNull();
    const shorter = gridSegments().slice(0, 40);
    thread.setNetwork('grid-2', shorter);
    await whenReady('grid-2');
    expect(await thread.walk('grid-1', at(0, 0), [at(80, 0)[0]], [at(80, 0)[1]], {})).toBeNull();
    const network = new StreetNetwork(shorter);
    const inline = walkingMetersTo({ network, paths: new ShortestPaths(network) }, at(5, 5), [at(160, 0)[0]], [at(160, 0)[1]], detourFactor);
    const threaded = await thread.walk('grid-2', at(5, 5), [at(160, 0)[0]], [at(160, 0)[1]], {});
    expect(plain(threaded!)).toEqual(plain(inline));
  });

  it('answers null after close', async () => {
    const closing = createWalkingThread({ detourFactor });
    closing.setNetwork('grid-1', gridSegments());
    await closing.close();
    expect(await closing.walk('grid-1', at(0, 0), [at(80, 0)[0]], [at(80, 0)[1]], {})).toBeNull();
  });
});
