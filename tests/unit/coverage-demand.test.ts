import { describe, expect, it } from 'vitest';
import { weightedMedian } from '../../server/coverage/coverage-compute.ts';
import {
  chooseIndicatorSet,
  houseCount,
  houseCountOfSide,
  loadDemandMapping,
  spreadWeights,
  targetGroupForOfferType,
} from '../../server/coverage/demand.ts';
import { ellipsoidDistanceMeters as ellipsoidDistance } from '../../server/streets/geodesic.ts';

describe('demand mapping (geodata/coverage-demand.json)', () => {
  const mapping = loadDemandMapping();

  it('maps senior offers to residents 65–74 plus 75+, or 65+ where only that exists', () => {
    expect(targetGroupForOfferType(mapping, 'senior_meeting_place', ['seniors'])).toBe('seniors');
    expect(chooseIndicatorSet(mapping, 'seniors', new Set(['population_65_75', 'population_75_plus', 'population_65_plus']))).toEqual([
      'population_65_75',
      'population_75_plus',
    ]);
    expect(chooseIndicatorSet(mapping, 'seniors', new Set(['population_65_plus']))).toEqual(['population_65_plus']);
  });

  it('maps Kitas to children under 3 plus 3 to under 6, or under 6', () => {
    expect(targetGroupForOfferType(mapping, 'kita', ['children_families'])).toBe('children_under_6');
    expect(chooseIndicatorSet(mapping, 'children_under_6', new Set(['population_under_6']))).toEqual(['population_under_6']);
  });

  it('lets a sub-type inherit the target group of its parent', () => {
    expect(targetGroupForOfferType(mapping, 'youth_centre', ['youth'])).toBe('youth');
    expect(targetGroupForOfferType(mapping, 'unknown_type', [])).toBeUndefined();
  });

  it('names only indicators that geodata/indicators.json defines', async () => {
    const indicators = (await import('../../geodata/indicators.json', { with: { type: 'json' } })).default as {
      indicators: { code: string }[];
    };
    const known = new Set(indicators.indicators.map((indicator) => indicator.code));
    const used = Object.values(mapping.targetGroups).flatMap((group) => group.indicatorSets.flat());
    expect(used.filter((code) => !known.has(code))).toEqual([]);
  });
});

describe('house numbers and spreading', () => {
  it('counts one side of a street as every second number', () => {
    expect(houseCountOfSide(1, 15)).toBe(8);
    expect(houseCountOfSide(2, 2)).toBe(1);
    expect(houseCountOfSide(20, 2)).toBe(10);
    expect(houseCountOfSide(null, null)).toBe(0);
    expect(houseCount({ houseFromLeft: 1, houseToLeft: 9, houseFromRight: 2, houseToRight: 10 })).toBe(10);
  });

  it('spreads by house numbers, else by length, else keeps residents at the area', () => {
    expect(spreadWeights([{ houses: 3, lengthMeters: 10 }, { houses: 1, lengthMeters: 90 }])).toEqual({
      weighting: 'house_numbers',
      shares: [0.75, 0.25],
    });
    expect(spreadWeights([{ houses: 0, lengthMeters: 30 }, { houses: 0, lengthMeters: 90 }])).toEqual({
      weighting: 'length',
      shares: [0.25, 0.75],
    });
    expect(spreadWeights([])).toEqual({ weighting: 'area', shares: [] });
  });
});

describe('weighted median', () => {
  it('takes the value where half of the residents are reached', () => {
    expect(weightedMedian([100, 300, 200], [1, 1, 1], [0, 1, 2])).toBe(200);
    expect(weightedMedian([100, 300, 200], [10, 1, 1], [0, 1, 2])).toBe(100);
    expect(weightedMedian([100, 300], [1, 1], [0, 1])).toBe(100);
  });

  it('is null when more than half of the residents reach no offer at all', () => {
    expect(weightedMedian([100, Number.POSITIVE_INFINITY], [1, 2], [0, 1])).toBeNull();
    expect(weightedMedian([100], [0], [0])).toBeNull();
  });
});

describe('ellipsoid distance', () => {
  it('matches reference geodesics on WGS 84', () => {
    // one degree along the equator (a·π/180) and one degree of latitude north of it
    expect(ellipsoidDistance(0, 0, 1, 0)).toBeCloseTo(111319.490793, 5);
    expect(ellipsoidDistance(0, 0, 0, 1)).toBeCloseTo(110574.388556, 5);
    expect(ellipsoidDistance(6.95, 50.93, 6.95, 50.93)).toBe(0);
  });
});
