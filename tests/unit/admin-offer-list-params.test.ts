import { describe, expect, it } from 'vitest';
import {
  defaultOfferListParams,
  exportHref,
  nextSort,
  pageCount,
  readOfferListParams,
  sortDirection,
  toOfferListQuery,
  withFilter,
  writeOfferListParams,
} from '../../client/features/offers-admin/utils/offer-list-params.ts';

describe('offers table view in the URL', () => {
  it('reads every filter, the sort and the page', () => {
    const params = readOfferListParams(
      new URLSearchParams('q=treff&department=50&type=seniors&status=inactive&publication=draft&archived=include&stale=true&sort=-verifiedAt&page=3'),
    );
    expect(params).toEqual({
      q: 'treff',
      department: '50',
      type: 'seniors',
      status: 'inactive',
      publication: 'draft',
      archived: 'include',
      stale: true,
      sort: '-verifiedAt',
      page: 3,
    });
  });

  it('falls back to defaults for odd values instead of failing', () => {
    const params = readOfferListParams(new URLSearchParams('status=open&publication=x&archived=all&stale=yes&sort=random&page=-2'));
    expect(params).toEqual(defaultOfferListParams);
    expect(readOfferListParams(new URLSearchParams('page=1.5')).page).toBe(1);
    expect(readOfferListParams(new URLSearchParams(`q=${'a'.repeat(500)}`)).q).toHaveLength(200);
  });

  it('writes only what differs from the default, and reads back the same view', () => {
    expect(writeOfferListParams(defaultOfferListParams).toString()).toBe('');
    const view = { ...defaultOfferListParams, stale: true, type: 'kita', page: 2 };
    const written = writeOfferListParams(view);
    expect(written.toString()).toBe('type=kita&stale=true&page=2');
    expect(readOfferListParams(written)).toEqual(view);
  });

  it('starts a changed filter at page 1 but keeps the page when paging', () => {
    const onPage4 = { ...defaultOfferListParams, page: 4 };
    expect(withFilter(onPage4, { stale: true }).page).toBe(1);
    expect(withFilter(onPage4, { page: 5 }).page).toBe(5);
  });

  it('builds the API query (listOffersQuerySchema names) with paging', () => {
    const query = toOfferListQuery({ ...defaultOfferListParams, status: 'active', stale: true, department: '50' }, 20);
    expect(Object.fromEntries(query)).toEqual({ department: '50', status: 'active', stale: 'true', sort: 'name', page: '1', pageSize: '20' });
  });
});

describe('sorting by a column header', () => {
  it('tells the direction for aria-sort', () => {
    expect(sortDirection('name', 'name')).toBe('ascending');
    expect(sortDirection('-name', 'name')).toBe('descending');
    expect(sortDirection('-updatedAt', 'name')).toBe('none');
  });

  it('sorts names A–Z and dates newest first on the first click, then turns round', () => {
    expect(nextSort('-updatedAt', 'name')).toBe('name');
    expect(nextSort('name', 'name')).toBe('-name');
    expect(nextSort('-name', 'name')).toBe('name');
    expect(nextSort('name', 'verifiedAt')).toBe('-verifiedAt');
    expect(nextSort('-verifiedAt', 'verifiedAt')).toBe('verifiedAt');
  });

  it('counts pages, at least one', () => {
    expect(pageCount(0, 20)).toBe(1);
    expect(pageCount(20, 20)).toBe(1);
    expect(pageCount(21, 20)).toBe(2);
  });
});

describe('export of the filtered list', () => {
  it('asks for every page of the same filters and sort', () => {
    const href = exportHref({ ...defaultOfferListParams, type: 'kita', sort: '-name', page: 3 }, 'geojson');
    const url = new URL(href, 'http://localhost');
    expect(url.pathname).toBe('/api/offers/export');
    expect(Object.fromEntries(url.searchParams)).toEqual({ type: 'kita', sort: '-name', format: 'geojson' });
  });
});
