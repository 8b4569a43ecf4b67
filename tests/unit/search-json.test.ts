import { describe, expect, it } from 'vitest';
import { resultJsonParts, searchResponseBody, type RequestFields } from '../../server/search/search-json.ts';
import type { SearchResponse, SearchResult } from '../../server/search/search.schema.ts';

function result(overrides: Partial<SearchResult> = {}): SearchResult {
  return {
    id: '00000000-0000-4000-8000-000000000001',
    offerId: '00000000-0000-4000-8000-000000000002',
    locationId: '00000000-0000-4000-8000-000000000003',
    name: 'Seniorentreff „Am Rhein“',
    summary: 'Zeile 1\nZeile 2 "zitiert" \\ </script> \u2028 🏠',
    offerType: { code: 'senior_meeting_place', label: { de: 'Seniorentreff', en: 'Senior meeting place' } },
    organization: null,
    address: { name: null, street: 'Venloer Straße', houseNumber: '123a', postalCode: '50825', city: 'Köln' },
    lon: 6.9321,
    lat: 50.9452,
    distanceMeters: 120,
    walkingDistanceMeters: 164,
    walkingDistanceMethod: 'network',
    walkingMinutes: 3,
    opening: { status: 'open', opensAt: null, closesAt: '2026-11-24T17:00:00+01:00', comment: 'nach Absprache' },
    costKind: 'free',
    languages: ['de', 'tr'],
    accessibility: ['elevator'],
    targetGroups: [],
    minAge: null,
    maxAge: 99,
    ...overrides,
  };
}

function response(results: SearchResult[]): SearchResponse {
  return {
    origin: {
      lon: 6.93,
      lat: 50.94,
      label: 'Venloer Straße 123, Köln',
      source: 'address',
      precision: 'house_number',
      areaName: 'Ehrenfeld',
      districtName: 'Ehrenfeld',
    },
    at: '2026-11-24T10:00:00+01:00',
    radiusMeters: 2000,
    walkingDistanceMethod: 'mixed',
    walking: { detourFactor: 1.3, speedKmh: 3, networkAvailable: true },
    page: 1,
    pageSize: 20,
    total: results.length,
    totalIsCapped: false,
    hasMore: false,
    sortedBy: 'walking',
    beyondRadius: results.slice(0, 1),
    openToEveryone: [],
    results,
  };
}

describe('the search answer written from kept parts', () => {
  it('is byte for byte JSON.stringify of the answer', () => {
    const shared = { status: 'closed' as const, opensAt: '2026-11-25T09:00:00+01:00', closesAt: null, comment: null };
    const results = [
      result(),
      result({ id: 'b', distanceMeters: null, walkingDistanceMeters: null, walkingDistanceMethod: null, walkingMinutes: null, opening: shared }),
      result({ id: 'c', walkingDistanceMethod: 'detour_factor', distanceMeters: 0, opening: shared, summary: null, costKind: null }),
      // Numbers written as digits, and those that are not whole numbers ≥ 0 as JSON.stringify does.
      ...[9, 10, 99, 100, 1_000_000, 123_456_789, 12.5, -3, 2 ** 60, 1e21, 5e-7].map((value, index) =>
        result({ id: `n${index}`, distanceMeters: value, walkingDistanceMeters: value + 1, walkingMinutes: value, opening: shared }),
      ),
    ];
    const answer = response(results);
    const { results: _results, ...envelope } = answer;
    const fields = (result: SearchResult): RequestFields => ({
      distanceMeters: result.distanceMeters,
      walkingDistanceMeters: result.walkingDistanceMeters,
      walkingDistanceMethod: result.walkingDistanceMethod,
      walkingMinutes: result.walkingMinutes,
      opening: result.opening,
    });
    const body = searchResponseBody(
      envelope,
      results.map((result) => ({ fields: fields(result), parts: resultJsonParts(result) })),
    );
    expect(body.equals(Buffer.from(JSON.stringify(answer), 'utf8'))).toBe(true);
    // Parts written from another result with the same offer fields: only the request's fields differ.
    const elsewhere = { ...results[0]!, distanceMeters: 5, walkingDistanceMeters: 9, walkingMinutes: 1 };
    const moved = searchResponseBody(envelope, [{ fields: fields(elsewhere), parts: resultJsonParts(results[0]!) }]);
    expect(moved.toString('utf8')).toBe(JSON.stringify({ ...envelope, results: [elsewhere] }));
    const { results: _none, ...emptyEnvelope } = response([]);
    expect(searchResponseBody(emptyEnvelope, []).toString('utf8')).toBe(JSON.stringify(response([])));
  });

  it('splits a result at its request fields, whatever else it holds', () => {
    const parts = resultJsonParts(result());
    expect(parts.head.toString('utf8')).toMatch(/^\{"id":.*"lat":50\.9452,$/s);
    expect(parts.tail.toString('utf8')).toMatch(/^,"costKind":"free".*"maxAge":99\}$/s);
    expect(parts.head.toString('utf8')).not.toContain('distanceMeters');
    expect(parts.tail.toString('utf8')).not.toContain('opening');
  });
});
