import { describe, expect, it } from 'vitest';
import { ShortestPaths, walkFrom } from '../../server/streets/dijkstra.ts';
import { earthDistanceMeters } from '../../server/streets/geodesic.ts';
import { lineLengthMeters, type Position } from '../../server/streets/line-geometry.ts';
import { StreetNetwork } from '../../server/streets/street-network.ts';
import { maxSnapMeters, SnappedPlaces, walkingMetersTo } from '../../server/streets/walking.ts';

// The search walks its window of 200 places at once (`walkingMetersTo`): one bounded walk from the
// origin, the places' snapped positions kept per place (`SnappedPlaces`), places in another part of
// the network not waited for. Each figure must be the one of an exhaustive walk to that place alone.

const metersPerDegreeLon = 111_320 * Math.cos((50.94 * Math.PI) / 180);
const metersPerDegreeLat = 111_320;
const at = (x: number, y: number): Position => [6.9 + x / metersPerDegreeLon, 50.94 + y / metersPerDegreeLat];
const detourFactor = 1.3;

function networkOf(lines: Position[][]): StreetNetwork {
  return new StreetNetwork(lines.map((coordinates) => ({ coordinates, lengthMeters: lineLengthMeters(coordinates) })));
}

/** A 7 × 7 grid of junctions 100 m apart with streets missing (detours), and an island 2 km east. */
function gridLines(): Position[][] {
  const lines: Position[][] = [];
  for (let i = 0; i < 7; i += 1) {
    for (let j = 0; j < 7; j += 1) {
      if (i + 1 < 7 && !(j === 3 && i >= 1 && i <= 4)) lines.push([at(i * 100, j * 100), at((i + 1) * 100, j * 100)]);
      if (j + 1 < 7 && !(i === 2 && j <= 4)) lines.push([at(i * 100, j * 100), at(i * 100, (j + 1) * 100)]);
    }
  }
  lines.push([at(2000, 0), at(2100, 0)]);
  return lines;
}

function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
}

/** A maker of places on the grid, on the island (share `island`) and far from any street (share `farFromStreets`: estimates). */
function placesOf(random: () => number, shares: { island: number; farFromStreets: number }): () => Position {
  return () => {
    const kind = random();
    if (kind < shares.island) return at(2000 + random() * 100, random() * 30);
    if (kind < shares.island + shares.farFromStreets) return at(random() * 600, 1500 + random() * 500);
    return at(random() * 650 - 25, random() * 650 - 25);
  };
}

/** What a walk to each target alone gives: exhaustive, then the same bound and estimate rule. */
function expectedMeters(network: StreetNetwork, origin: Position, targets: readonly Position[]): { meters: number[]; overNetwork: number[] } {
  const paths = new ShortestPaths(network);
  const airline = targets.map((target) => earthDistanceMeters(origin[0], origin[1], target[0], target[1]));
  const bound = Math.max(5000, Math.max(...airline) * 5);
  const from = network.snap(origin, maxSnapMeters);
  const meters: number[] = [];
  const overNetwork: number[] = [];
  targets.forEach((target, position) => {
    const to = network.snap(target, maxSnapMeters);
    const walked = from && to ? walkFrom(paths, from, Number.POSITIVE_INFINITY, [to]).distanceTo(to) : Number.POSITIVE_INFINITY;
    if (walked <= bound) {
      meters.push(Math.round(walked));
      overNetwork.push(1);
    } else {
      meters.push(Math.round(airline[position]! * detourFactor));
      overNetwork.push(0);
    }
  });
  return { meters, overNetwork };
}

describe('walking distances of a window of places', () => {
  it('gives each place the metres of an exhaustive walk to it alone, from kept snapped places as from fresh snaps', () => {
    const network = networkOf(gridLines());
    const paths = new ShortestPaths(network);
    const random = seeded(11);
    const places = Array.from({ length: 300 }, placesOf(random, { island: 0.1, farFromStreets: 0.05 }));
    const kept = new SnappedPlaces(network, places.length);
    let onNetwork = 0;
    let estimated = 0;
    for (let round = 0; round < 60; round += 1) {
      const origin = round % 10 === 9 ? at(2050, 10) : at(random() * 600, random() * 600);
      const ordinals = Uint32Array.from({ length: 1 + Math.floor(random() * 80) }, () => Math.floor(random() * places.length));
      const lons = Float64Array.from(ordinals, (ordinal) => places[ordinal]![0]);
      const lats = Float64Array.from(ordinals, (ordinal) => places[ordinal]![1]);
      const expected = expectedMeters(network, origin, Array.from(ordinals, (ordinal) => places[ordinal]!));
      const fresh = walkingMetersTo({ network, paths }, origin, lons, lats, detourFactor);
      const fromKept = walkingMetersTo({ network, paths }, origin, lons, lats, detourFactor, { listed: { places: kept, ordinals } });
      for (const walked of [fresh, fromKept]) {
        expect(Array.from(walked.meters)).toEqual(expected.meters);
        expect(Array.from(walked.overNetwork)).toEqual(expected.overNetwork);
      }
      onNetwork += expected.overNetwork.filter((value) => value === 1).length;
      estimated += expected.overNetwork.filter((value) => value === 0).length;
    }
    // Both kinds of figures were compared, from the grid and from the island.
    expect(onNetwork).toBeGreaterThan(1000);
    expect(estimated).toBeGreaterThan(100);
  });

  it('walks a window only until its first places on foot are certain, with the figures and order of a walk to all', () => {
    const network = networkOf(gridLines());
    const paths = new ShortestPaths(network);
    const random = seeded(23);
    const places = Array.from({ length: 400 }, placesOf(random, { island: 0.08, farFromStreets: 0.04 }));
    const kept = new SnappedPlaces(network, places.length);
    /** The first `needed` positions in the search's walking order (metres, whole airline metres, position), of those measured. */
    const firstOnFoot = (meters: Float64Array, airline: number[], needed: number) =>
      Array.from(meters, (_value, position) => position)
        .filter((position) => !Number.isNaN(meters[position]!))
        .sort((a, b) => meters[a]! - meters[b]! || Math.round(airline[a]!) - Math.round(airline[b]!) || a - b)
        .slice(0, needed);
    let leftOut = 0;
    let rounds = 0;
    for (let round = 0; round < 120; round += 1) {
      const origin = round % 10 === 9 ? at(2050, 10) : at(random() * 600, random() * 600);
      const ordinals = Uint32Array.from({ length: 20 + Math.floor(random() * 180) }, () => Math.floor(random() * places.length));
      const lons = Float64Array.from(ordinals, (ordinal) => places[ordinal]![0]);
      const lats = Float64Array.from(ordinals, (ordinal) => places[ordinal]![1]);
      const airline = Array.from(ordinals, (ordinal) => earthDistanceMeters(origin[0], origin[1], places[ordinal]![0], places[ordinal]![1]));
      const needed = [1, 5, 20, 40][round % 4]!;
      const all = walkingMetersTo({ network, paths }, origin, lons, lats, detourFactor, { listed: { places: kept, ordinals } });
      const some = walkingMetersTo({ network, paths }, origin, lons, lats, detourFactor, { listed: { places: kept, ordinals }, needed });
      expect(Array.from(all.meters).some(Number.isNaN)).toBe(false);
      // Each figure measured is the one of the walk to all, and so is the first page on foot.
      const measured = Array.from(some.meters, (_value, position) => position).filter((position) => !Number.isNaN(some.meters[position]!));
      expect(measured.length).toBeGreaterThanOrEqual(Math.min(needed, ordinals.length));
      expect(measured.map((position) => some.meters[position])).toEqual(measured.map((position) => all.meters[position]));
      expect(measured.map((position) => some.overNetwork[position])).toEqual(measured.map((position) => all.overNetwork[position]));
      expect(firstOnFoot(some.meters, airline, needed)).toEqual(firstOnFoot(all.meters, airline, needed));
      // What is left out is farther on foot than the page.
      const page = firstOnFoot(all.meters, airline, needed);
      const last = all.meters[page[page.length - 1]!]!;
      for (let position = 0; position < ordinals.length; position += 1) {
        if (Number.isNaN(some.meters[position]!)) expect(all.meters[position]!).toBeGreaterThan(last);
      }
      if (measured.length < ordinals.length) leftOut += 1;
      rounds += 1;
    }
    // Most walks stopped before their farthest places.
    expect(leftOut).toBeGreaterThan(rounds / 2);
  });

  it('keeps the estimate of a place near by air but beyond the bound on foot, with a page of one as without', () => {
    // A street of 80 segments of 100 m going east, then back west 40 m north: its far end lies 45 m
    // from the origin by air and 16 km on foot, beyond the walk's bound (5 km). Its estimate
    // (59 m) puts it before a place 305 m away on foot, also when the walk stops at a page of one.
    const lines: Position[][] = [];
    for (let index = 0; index < 80; index += 1) lines.push([at(index * 100, 0), at((index + 1) * 100, 0)]);
    lines.push([at(8000, 0), at(8000, 40)]);
    for (let index = 80; index > 0; index -= 1) lines.push([at(index * 100, 40), at((index - 1) * 100, 40)]);
    const network = networkOf(lines);
    const origin = at(0, 0);
    const far = at(0, 45);
    const near = at(300, -5);
    for (const needed of [undefined, 1]) {
      const walked = walkingMetersTo({ network, paths: new ShortestPaths(network) }, origin, Float64Array.of(near[0], far[0]), Float64Array.of(near[1], far[1]), detourFactor, {
        ...(needed === undefined ? {} : { needed }),
      });
      expect(Array.from(walked.meters)).toEqual([305, Math.round(earthDistanceMeters(origin[0], origin[1], far[0], far[1]) * detourFactor)]);
      expect(Array.from(walked.overNetwork)).toEqual([1, 0]);
      // The estimate stands for a walk the bound cut short: a walk to more targets may reach it.
      expect(walked.estimatedBeyondBound).toBe(true);
    }
    // With a target 4 km east the bound is 20 km, and the far end is walked: 16 km.
    const east = at(4000, -5);
    const wider = walkingMetersTo({ network, paths: new ShortestPaths(network) }, origin, Float64Array.of(near[0], far[0], east[0]), Float64Array.of(near[1], far[1], east[1]), detourFactor);
    expect(Array.from(wider.overNetwork)).toEqual([1, 1, 1]);
    expect(wider.meters[1]).toBeGreaterThan(16_000);
    expect(wider.estimatedBeyondBound).toBe(false);
  });

  it('does not search up to its bound for a place in another part of the network', () => {
    // A street of 60 segments of 100 m going east from the origin, and a lone street 150 m north.
    const lines: Position[][] = Array.from({ length: 60 }, (_value, index) => [at(index * 100, 0), at((index + 1) * 100, 0)]);
    lines.push([at(0, 150), at(100, 150)]);
    const network = networkOf(lines);
    const paths = new ShortestPaths(network);
    const near = at(150, 5);
    const lone = at(50, 155);
    const walked = walkingMetersTo({ network, paths }, at(10, 5), Float64Array.of(near[0], lone[0]), Float64Array.of(near[1], lone[1]), detourFactor);
    expect(Array.from(walked.overNetwork)).toEqual([1, 0]);
    expect(walked.meters[0]).toBe(150);
    expect(walked.meters[1]).toBe(Math.round(earthDistanceMeters(at(10, 5)[0], at(10, 5)[1], lone[0], lone[1]) * detourFactor));
    // An estimate for want of a street in the origin's part: the same in any walk.
    expect(walked.estimatedBeyondBound).toBe(false);
    // The walk stopped at the near place's street: 4 junctions, not the 51 within the 5 km bound.
    expect(paths.reached().length).toBeLessThanOrEqual(4);
  });

  it('snaps places again on another network than the one they were kept for', () => {
    const before = networkOf(gridLines());
    // The streets changed: the grid moved 50 m north.
    const after = networkOf(gridLines().map((line) => line.map(([lon, lat]) => [lon, lat + 50 / metersPerDegreeLat] as Position)));
    const places = [at(120, 10), at(480, 420), at(310, 590)];
    const kept = new SnappedPlaces(before, places.length);
    const ordinals = Uint32Array.of(0, 1, 2);
    const lons = Float64Array.from(places, (place) => place[0]);
    const lats = Float64Array.from(places, (place) => place[1]);
    const origin = at(20, 30);
    walkingMetersTo({ network: before, paths: new ShortestPaths(before) }, origin, lons, lats, detourFactor, { listed: { places: kept, ordinals } });
    const walked = walkingMetersTo({ network: after, paths: new ShortestPaths(after) }, origin, lons, lats, detourFactor, { listed: { places: kept, ordinals } });
    expect(Array.from(walked.meters)).toEqual(expectedMeters(after, origin, places).meters);
    expect(Array.from(walked.meters)).not.toEqual(expectedMeters(before, origin, places).meters);
  });
});
