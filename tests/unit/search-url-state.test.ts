import { describe, expect, it } from 'vitest';
import {
  applySeniorPreset,
  canSearch,
  defaultRadius,
  emptySearchState,
  isSeniorPresetActive,
  parseSearchState,
  radiusReaching,
  serializeSearchState,
  toApiQuery,
  withFilters,
} from '../../client/features/search/utils/search-state.ts';

describe('search state in the URL', () => {
  const state = {
    ...emptySearchState,
    address: 'Venloer Straße 123',
    lat: 50.944774,
    lon: 6.92906,
    radius: 1000,
    q: 'Mittagstisch',
    type: ['senior_meeting_place'],
    language: ['tr'],
    openNow: true,
    free: true,
    page: 2,
    selected: '3f2b8c1e-0a4d-4c1b-9a7e-2d5f6b7c8d9e',
  };

  it('survives a round trip through the query string', () => {
    expect(parseSearchState(new URLSearchParams(serializeSearchState(state).toString()))).toEqual(state);
  });

  it('leaves defaults out so that shared links stay short', () => {
    expect(serializeSearchState({ ...emptySearchState, lat: 50.9, lon: 6.9 }).toString()).toBe('lat=50.9&lon=6.9');
  });

  it('falls back to defaults for anything malformed instead of failing', () => {
    const parsed = parseSearchState(new URLSearchParams('lat=999&lon=6.9&radius=123&page=-1&type=Bad!,kita&selected=x&openNow=yes'));
    expect(parsed).toMatchObject({ lat: null, lon: null, radius: defaultRadius, page: 1, type: ['kita'], selected: null, openNow: false });
  });

  it('keeps "my location" without an address text', () => {
    const here = parseSearchState(new URLSearchParams('lat=50.94&lon=6.95&here=1'));
    expect(here).toMatchObject({ here: true, address: null });
    expect(serializeSearchState(here).get('here')).toBe('1');
  });
});

describe('what is asked from the API', () => {
  it('searches once there is a place or a keyword', () => {
    expect(canSearch(emptySearchState)).toBe(false);
    expect(canSearch({ ...emptySearchState, q: 'Kita' })).toBe(true);
    expect(canSearch({ ...emptySearchState, lat: 50.9, lon: 6.9 })).toBe(true);
  });

  it('sends filters, the page and the page size, but not the selection', () => {
    const query = toApiQuery({ ...emptySearchState, lat: 50.9, lon: 6.9, targetGroup: ['seniors'], accessible: true, selected: 'x', page: 3 });
    expect(Object.fromEntries(query)).toEqual({
      lat: '50.9',
      lon: '6.9',
      radius: String(defaultRadius),
      targetGroup: 'seniors',
      accessible: 'true',
      page: '3',
      pageSize: '20',
    });
  });
});

describe('the senior preset', () => {
  it('asks for offers for older people and starts at page 1', () => {
    const next = applySeniorPreset({ ...emptySearchState, type: ['kita'], page: 4, selected: 'x' });
    expect(next).toMatchObject({ targetGroup: ['seniors'], type: [], page: 1, selected: null });
    expect(isSeniorPresetActive(next)).toBe(true);
    expect(isSeniorPresetActive(withFilters(next, { type: ['kita'] }))).toBe(false);
  });
});

describe('an approximately placed address in the URL', () => {
  it('keeps approx=1 with an address and drops it with "my location"', () => {
    const approx = parseSearchState(new URLSearchParams('address=Venloer+Stra%C3%9Fe+9999&lat=50.98&lon=6.84&approx=1'));
    expect(approx.approx).toBe(true);
    expect(serializeSearchState(approx).get('approx')).toBe('1');
    expect(parseSearchState(new URLSearchParams('lat=50.98&lon=6.84&here=1&approx=1')).approx).toBe(false);
    expect(parseSearchState(new URLSearchParams('approx=1')).approx).toBe(false);
    expect([radiusReaching(300), radiusReaching(1600), radiusReaching(4200), radiusReaching(12_000)]).toEqual([500, 2000, 5000, null]);
  });
});
