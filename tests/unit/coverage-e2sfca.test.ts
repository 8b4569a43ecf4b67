import { describe, expect, it } from 'vitest';
import { bandWeight, defaultBands, twoStepFloatingCatchment, type AccessPair } from '../../server/coverage/e2sfca.ts';

// PySAL access, test case "three tracts": populations 100/50/10, doctors 15/20/100 in the
// same tracts, cost 1 within a tract, 40 between tracts 1–3 and 2–3, 80 between 1–2.
const population = [100, 50, 10];
const doctors = [15, 20, 100];
const cost = [
  [1, 80, 40],
  [80, 1, 40],
  [40, 40, 1],
];
const allPairs: AccessPair[] = cost.flatMap((row, demand) => row.map((value, supply) => ({ demand, supply, cost: value })));

describe('weighted two-step floating catchment', () => {
  it('reproduces the PySAL access reference values with weight 1/d and maximum cost 61', () => {
    const { access } = twoStepFloatingCatchment({
      demand: population,
      supply: doctors,
      pairs: allPairs,
      maxCost: 61,
      weight: (value) => 1 / value,
    });
    expect(access[0]).toBeCloseTo(0.331444, 6);
    expect(access[1]).toBeCloseTo(0.579828, 6);
    expect(access[2]).toBeCloseTo(7.286418, 6);
  });

  it('gives the plain 2SFCA (weight 1) supply-to-demand ratios of the catchments', () => {
    const { access, supplyRatio } = twoStepFloatingCatchment({
      demand: population,
      supply: doctors,
      pairs: allPairs,
      maxCost: 61,
      weight: () => 1,
    });
    // R1 = 15/110, R2 = 20/60, R3 = 100/160
    expect(supplyRatio[0]).toBeCloseTo(15 / 110, 12);
    expect(supplyRatio[1]).toBeCloseTo(20 / 60, 12);
    expect(supplyRatio[2]).toBeCloseTo(100 / 160, 12);
    expect(access[0]).toBeCloseTo(15 / 110 + 100 / 160, 12);
    expect(access[2]).toBeCloseTo(15 / 110 + 20 / 60 + 100 / 160, 12);
  });

  it('keeps total access equal to total supply when every catchment has residents', () => {
    const { access } = twoStepFloatingCatchment({
      demand: population,
      supply: doctors,
      pairs: allPairs,
      maxCost: 100,
      weight: () => 1,
    });
    const reached = population.reduce((sum, value, index) => sum + value * access[index]!, 0);
    expect(reached).toBeCloseTo(135, 9);
  });

  it('gives supply without residents in its catchment a ratio of 0 instead of dividing by zero', () => {
    const { access, supplyRatio } = twoStepFloatingCatchment({
      demand: [0, 10],
      supply: [5, 5],
      pairs: [
        { demand: 0, supply: 0, cost: 1 },
        { demand: 1, supply: 1, cost: 1 },
      ],
      maxCost: 10,
      weight: () => 1,
    });
    expect(supplyRatio[0]).toBe(0);
    expect(access[1]).toBeCloseTo(0.5, 12);
  });
});

describe('E2SFCA distance bands', () => {
  it('weights by the first band that holds the distance and drops pairs beyond the last band', () => {
    const weight = bandWeight([
      { upToMeters: 500, weight: 0.68 },
      { upToMeters: 250, weight: 1 },
      { upToMeters: 1000, weight: 0.22 },
    ]);
    expect(weight(0)).toBe(1);
    expect(weight(250)).toBe(1);
    expect(weight(250.01)).toBe(0.68);
    expect(weight(1000)).toBe(0.22);
    expect(weight(1000.01)).toBe(0);
  });

  it('splits the reach into three bands weighted 1, 0.68 and 0.22 by default', () => {
    expect(defaultBands(900)).toEqual([
      { upToMeters: 300, weight: 1 },
      { upToMeters: 600, weight: 0.68 },
      { upToMeters: 900, weight: 0.22 },
    ]);
  });

  it('computes E2SFCA by hand on two residents and one offer in different bands', () => {
    // R = 10 / (100·1 + 50·0.68) = 10/134; A_near = R·1, A_far = R·0.68
    const { access } = twoStepFloatingCatchment({
      demand: [100, 50],
      supply: [10],
      pairs: [
        { demand: 0, supply: 0, cost: 100 },
        { demand: 1, supply: 0, cost: 400 },
      ],
      maxCost: 900,
      weight: bandWeight(defaultBands(900)),
    });
    expect(access[0]).toBeCloseTo(10 / 134, 12);
    expect(access[1]).toBeCloseTo((10 / 134) * 0.68, 12);
  });
});
