import { describe, expect, it } from 'vitest';
import type { AreaCoverage, CoverageMethod } from '../../server/coverage/coverage.schema.ts';
import { linePath, niceMaximum, scaleLinear } from '../../client/features/coverage/utils/chart.ts';
import {
  classBreaks,
  classOf,
  colorForClass,
  legendEntries,
  noDataColor,
  paletteColors,
  palettes,
} from '../../client/features/coverage/utils/classify.ts';
import { coverageCsv, coverageGeoJson } from '../../client/features/coverage/utils/export.ts';
import { formatIndicator, indicatorValue } from '../../client/features/coverage/utils/indicators.ts';

describe('choropleth classes', () => {
  const values = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];

  it('splits the range evenly with equal intervals', () => {
    expect(classBreaks(values, 'equal_interval', 3)).toEqual([4, 7, 10]);
    expect(classBreaks([0, 100], 'equal_interval', 4)).toEqual([25, 50, 75, 100]);
  });

  it('puts equal numbers of areas into quantile classes', () => {
    const breaks = classBreaks(values, 'quantile', 5);
    expect(breaks).toEqual([2.8, 4.6, 6.4, 8.2, 10]);
    const counts = [0, 0, 0, 0, 0];
    for (const value of values) counts[classOf(value, breaks)]! += 1;
    expect(counts).toEqual([2, 2, 2, 2, 2]);
  });

  it('collapses duplicate breaks and gives no data its own class', () => {
    expect(classBreaks([0, 0, 0, 0, 5], 'quantile', 4)).toEqual([0, 5]);
    expect(classBreaks([], 'quantile', 4)).toEqual([]);
    expect(classOf(null, [1, 2])).toBe(-1);
    expect(classOf(Number.NaN, [1, 2])).toBe(-1);
    expect(colorForClass(-1, 5, paletteColors('viridis', 5))).toBe(noDataColor);
  });

  it('spreads fewer classes over the whole palette and labels the legend from the minimum', () => {
    const colors = paletteColors('cividis', 5);
    expect(colorForClass(0, 2, colors)).toBe(colors[0]);
    expect(colorForClass(1, 2, colors)).toBe(colors[4]);
    expect(legendEntries([0, 0, 5], [0, 5], colors)).toEqual([
      { color: colors[0], from: 0, to: 0 },
      { color: colors[4], from: 0, to: 5 },
    ]);
  });

  it('uses palettes that get lighter from class to class (readable in greyscale)', () => {
    const luminance = (hex: string) => {
      const [r, g, b] = [1, 3, 5].map((start) => parseInt(hex.slice(start, start + 2), 16) / 255) as [number, number, number];
      return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    for (const byCount of Object.values(palettes)) {
      for (const colors of Object.values(byCount)) {
        const levels = colors.map(luminance);
        expect(levels).toEqual([...levels].sort((a, b) => a - b));
      }
    }
  });
});

const method = {
  offerType: { code: 'kita', label: 'Kita' },
  targetGroup: { code: 'children_under_6', label: 'Kinder unter 6' },
  demand: { indicators: [{ code: 'population_0_3', label: 'u3' }, { code: 'population_3_6', label: '3–6' }], year: 2012, period: '2012-12-31', availableYears: [2012], spreading: '', weighting: { houseNumbers: 1, length: 0, area: 0 } },
  reach: { mode: 'walk', meters: 1000, detourFactor: 1.3, measuredOn: 'street_network', defaultFromOfferType: true, basis: 'offer_type_walk', note: '' },
} as unknown as CoverageMethod;

const area: AreaCoverage = {
  areaId: 'a1',
  code: '101',
  name: 'Altstadt, "Süd"',
  level: 'sozialraum',
  parentId: null,
  demandWeighting: 'house_numbers',
  targetPopulation: 200,
  coveredPopulation: 150,
  uncoveredPopulation: 50,
  shareWithinReach: 0.75,
  offers: 2,
  capacity: null,
  offersPer1000: 10,
  capacityPer1000: null,
  medianDistanceMeters: 420.4,
  e2sfcaPer1000: 9.5,
};

describe('exports', () => {
  it('writes CSV with quoted fields and the method in every row', () => {
    const csv = coverageCsv([area], method);
    const [header, row] = csv.trimEnd().split('\r\n');
    expect(header).toBe(
      'area_id,code,name,level,share_within_reach_percent,uncovered_population_residents,median_distance_m,e2sfca_per_1000_residents,offers_per_1000_residents,capacity_per_1000_residents,offers_count,target_population_residents,covered_population_residents,offer_type,target_group,indicators,statistics_period,reach_mode,reach_m,measured_on,detour_factor',
    );
    expect(row).toBe('a1,101,"Altstadt, ""Süd""",sozialraum,75,50,420,9.5,10,,2,200,150,kita,children_under_6,population_0_3+population_3_6,2012-12-31,walk,1000,street_network,1.3');
  });

  it('rounds the CSV figures to what they mean: whole residents and metres, percent with one decimal', () => {
    const noisy: AreaCoverage = {
      ...area,
      targetPopulation: 1234.5678901234567,
      coveredPopulation: 1000.4999999999998,
      uncoveredPopulation: 234.0678901234569,
      shareWithinReach: 0.8103312345678912,
      medianDistanceMeters: 987.6543210987654,
      e2sfcaPer1000: 3.14159265358979,
      offersPer1000: 0.0012345678901234,
    };
    const [, row] = coverageCsv([noisy], method).trimEnd().split('\r\n');
    expect(row).toBe('a1,101,"Altstadt, ""Süd""",sozialraum,81,234,988,3.14,0,,2,1235,1000,kita,children_under_6,population_0_3+population_3_6,2012-12-31,walk,1000,street_network,1.3');
    expect(row).not.toMatch(/\d\.\d{3,}/);
  });

  it('joins geometry and indicators into GeoJSON with the method', () => {
    const geometry: GeoJSON.Point = { type: 'Point', coordinates: [6.9, 50.9] };
    const collection = coverageGeoJson([area, { ...area, areaId: 'missing' }], new Map([['a1', geometry]]), method);
    expect(collection.features).toHaveLength(1);
    expect(collection.features[0]).toMatchObject({ id: 'a1', geometry, properties: { shareWithinReach: 0.75 } });
    expect(collection.method.reach.meters).toBe(1000);
  });
});

describe('indicator formatting', () => {
  it('shows shares in percent, distances in metres, German first', () => {
    expect(indicatorValue(area, 'shareWithinReach')).toBe(75);
    expect(formatIndicator(75, 'shareWithinReach', 'de')).toBe('75,0 %');
    expect(formatIndicator(1234.4, 'medianDistanceMeters', 'de')).toBe('1.234 m');
    expect(formatIndicator(1234.4, 'medianDistanceMeters', 'en')).toBe('1,234 m');
    expect(formatIndicator(null, 'offers', 'de')).toBe('–');
  });
});

describe('chart geometry', () => {
  it('rounds the axis maximum up to a readable value and draws the line', () => {
    expect(niceMaximum(1249)).toBe(2000);
    expect(niceMaximum(2300)).toBe(2500);
    expect(niceMaximum(0)).toBe(1);
    const x = scaleLinear([2005, 2012], [0, 70]);
    const y = scaleLinear([0, 100], [100, 0]);
    expect(linePath([{ x: 2005, y: 0 }, { x: 2012, y: 50 }], x, y)).toBe('M0,100 L70,50');
  });
});
