import { describe, expect, it } from 'vitest';
import type { AreaCollection } from '../../client/features/areas/api/get-areas.ts';
import { filterAreaRows, toAreaRows } from '../../client/features/areas/utils/area-rows.ts';
import { ApiProblem, NetworkError } from '../../client/lib/api-client.ts';
import { errorCode, errorMessageKey } from '../../client/lib/error-message.ts';

function area(id: string, code: string, name: string, parentName: string | null) {
  return {
    type: 'Feature' as const,
    id,
    properties: { id, code, name, level: 'sozialraum' as const, parentId: null, parentName, areaKm2: 1, validFrom: null, validTo: null, boundaryChange: null },
    geometry: { type: 'MultiPolygon' as const, coordinates: [] },
  };
}

const collection: AreaCollection = {
  type: 'FeatureCollection',
  features: [
    area('c', '501', 'Nippes', 'Nippes'),
    area('a', '101', 'Altstadt/Süd', 'Innenstadt'),
    area('b', '304', 'Ehrenfeld', 'Ehrenfeld'),
    area('d', '707', 'Porz', null),
    area('e', '803', 'Köln-Deutz', 'Innenstadt'),
  ],
};

describe('area rows', () => {
  const rows = toAreaRows(collection);

  it('sorts by name in German order', () => {
    expect(rows.map((row) => row.name)).toEqual(['Altstadt/Süd', 'Ehrenfeld', 'Köln-Deutz', 'Nippes', 'Porz']);
  });

  it('keeps code and district', () => {
    expect(rows[0]).toEqual({ id: 'a', name: 'Altstadt/Süd', code: '101', districtName: 'Innenstadt' });
    expect(rows.find((row) => row.id === 'd')?.districtName).toBeNull();
  });

  it('filters by name, code or district, ignoring case and accents', () => {
    expect(filterAreaRows(rows, 'sud').map((row) => row.id)).toEqual(['a']);
    expect(filterAreaRows(rows, 'KOLN').map((row) => row.id)).toEqual(['e']);
    expect(filterAreaRows(rows, '304').map((row) => row.id)).toEqual(['b']);
    expect(filterAreaRows(rows, 'innenstadt').map((row) => row.id)).toEqual(['a', 'e']);
  });

  it('returns all rows for an empty query and none for no match', () => {
    expect(filterAreaRows(rows, '  ')).toHaveLength(5);
    expect(filterAreaRows(rows, 'Berlin')).toEqual([]);
  });
});

describe('error messages', () => {
  it.each([
    [new NetworkError(new TypeError('fetch failed')), 'errors.network'],
    [new ApiProblem(404, undefined), 'errors.notFound'],
    [new ApiProblem(400, { type: 'x', title: 'Bad', status: 400, code: 'validation_failed' }), 'errors.validation'],
    [new ApiProblem(503, undefined), 'errors.server'],
    [new ApiProblem(409, undefined), 'errors.unexpected'],
    [new Error('boom'), 'errors.unexpected'],
  ])('maps %s to %s', (error, key) => {
    expect(errorMessageKey(error)).toBe(key);
  });

  it('passes on the stable problem code', () => {
    expect(errorCode(new ApiProblem(400, { type: 'x', title: 'Bad', status: 400, code: 'validation_failed' }))).toBe(
      'validation_failed',
    );
    expect(errorCode(new Error('x'))).toBeUndefined();
  });
});
