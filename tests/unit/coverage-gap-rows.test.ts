import { describe, expect, it } from 'vitest';
import type { GapsResult } from '../../server/coverage/coverage.schema.ts';
import { formatDataDate, yearsApart } from '../../client/features/coverage/utils/data-dates.ts';
import { gapRows, readableStreetName } from '../../client/features/coverage/utils/gap-rows.ts';

function gap(id: string, streetName: string | null, areaName: string, residents: number, distance: number | null, x: number): GapsResult['features'][number] {
  return {
    type: 'Feature',
    id,
    properties: { rank: 0, kind: streetName ? 'segment' : 'area', segmentId: null, streetName, areaId: `area-${areaName}`, areaCode: '1', areaName, uncoveredResidents: residents, distanceMeters: distance },
    geometry: { type: 'LineString', coordinates: [[x, 50.9], [x + 0.001, 50.901]] },
  };
}

const gaps = (features: GapsResult['features']): GapsResult => ({ type: 'FeatureCollection', method: {} as GapsResult['method'], totalUncovered: 0, features });

describe('gap list rows', () => {
  it('drops the place code of former villages from street names', () => {
    expect(readableStreetName('Buchenweg Wi')).toBe('Buchenweg');
    expect(readableStreetName('Gaußstr.  Wß')).toBe('Gaußstr.');
    expect(readableStreetName('Venloer Str.')).toBe('Venloer Str.');
    expect(readableStreetName('Am Hof')).toBe('Am Hof');
  });

  it('merges the segments of one street in one Sozialraum, sums residents and ranks again', () => {
    const rows = gapRows(
      gaps([
        gap('1', 'Buchenweg Wi', 'Widdersdorf', 30, 900, 6.8),
        gap('2', 'Buchenweg Wi', 'Widdersdorf', 25, 1200, 6.81),
        gap('3', 'Hauptstr.', 'Widdersdorf', 40, 700, 6.82),
        gap('4', 'Buchenweg', 'Porz', 10, 800, 7.05),
        gap('5', null, 'Chorweiler', 5, null, 6.9),
      ]),
      10,
    );
    expect(rows.map((row) => [row.rank, row.streetName, row.areaName, row.uncoveredResidents, row.distanceMeters])).toEqual([
      [1, 'Buchenweg', 'Widdersdorf', 55, 1200],
      [2, 'Hauptstr.', 'Widdersdorf', 40, 700],
      [3, 'Buchenweg', 'Porz', 10, 800],
      [4, null, 'Chorweiler', 5, null],
    ]);
    expect(rows[0]!.bounds).toEqual([6.8, 50.9, 6.811, 50.901]);
  });

  it('keeps at most the limit', () => {
    expect(gapRows(gaps([gap('1', 'A-Str.', 'X', 1, 1, 6.8), gap('2', 'B-Str.', 'X', 2, 1, 6.8)]), 1)).toHaveLength(1);
  });
});

describe('data dates', () => {
  it('reads dates in the page language', () => {
    expect(formatDataDate('2012-12-31', 'de')).toBe('31.12.2012');
    expect(formatDataDate('2026-12-03T05:00:00.000Z', 'en')).toBe('3 Dec 2026');
  });

  it('measures how far population and offers lie apart', () => {
    expect(yearsApart('2012-12-31', '2026-12-03T05:00:00Z')).toBe(14);
    expect(yearsApart('2012-12-31', null)).toBe(0);
  });
});
