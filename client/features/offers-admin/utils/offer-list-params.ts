// The offers table keeps its whole view (filters, sort, page) in the URL, so that a view can be
// shared, bookmarked and restored with the back button. Pure: unit-tested in node.
import {
  offerSorts,
  offerStatuses,
  publications,
  type OfferSort,
  type OfferStatus,
  type Publication,
} from '../../../../server/offers/offers.schema';

export const archivedChoices = ['exclude', 'only', 'include'] as const;
export type ArchivedChoice = (typeof archivedChoices)[number];

export type OfferListParams = {
  q: string;
  department: string;
  type: string;
  status: OfferStatus | '';
  publication: Publication | '';
  archived: ArchivedChoice;
  stale: boolean;
  sort: OfferSort;
  page: number;
};

export const defaultOfferListParams: OfferListParams = {
  q: '',
  department: '',
  type: '',
  status: '',
  publication: '',
  archived: 'exclude',
  stale: false,
  sort: 'name',
  page: 1,
};

export const offerListPageSize = 20;

function oneOf<T extends string>(values: readonly T[], value: string | null, fallback: T): T {
  return value !== null && (values as readonly string[]).includes(value) ? (value as T) : fallback;
}

function text(value: string | null, maximum: number): string {
  return (value ?? '').trim().slice(0, maximum);
}

// Anything odd in a hand-edited URL falls back to the default instead of failing the page.
export function readOfferListParams(search: URLSearchParams): OfferListParams {
  const page = Number(search.get('page'));
  return {
    q: text(search.get('q'), 200),
    department: text(search.get('department'), 40),
    type: text(search.get('type'), 80),
    status: oneOf<OfferStatus | ''>(offerStatuses, search.get('status'), ''),
    publication: oneOf<Publication | ''>(publications, search.get('publication'), ''),
    archived: oneOf(archivedChoices, search.get('archived'), 'exclude'),
    stale: search.get('stale') === 'true',
    sort: oneOf(offerSorts, search.get('sort'), 'name'),
    page: Number.isInteger(page) && page >= 1 && page <= 100_000 ? page : 1,
  };
}

// Only what differs from the default goes into the URL.
export function writeOfferListParams(params: OfferListParams): URLSearchParams {
  const search = new URLSearchParams();
  for (const key of Object.keys(defaultOfferListParams) as Array<keyof OfferListParams>) {
    const value = params[key];
    if (value === defaultOfferListParams[key]) continue;
    search.set(key, String(value));
  }
  return search;
}

// A changed filter starts again at page 1; paging and sorting keep the filters.
export function withFilter(params: OfferListParams, change: Partial<OfferListParams>): OfferListParams {
  return { ...params, ...change, page: change.page ?? 1 };
}

// The query string for GET /api/offers (listOffersQuerySchema).
export function toOfferListQuery(params: OfferListParams, pageSize = offerListPageSize): URLSearchParams {
  const query = new URLSearchParams();
  if (params.q) query.set('q', params.q);
  if (params.department) query.set('department', params.department);
  if (params.type) query.set('type', params.type);
  if (params.status) query.set('status', params.status);
  if (params.publication) query.set('publication', params.publication);
  if (params.archived !== 'exclude') query.set('archived', params.archived);
  if (params.stale) query.set('stale', 'true');
  query.set('sort', params.sort);
  query.set('page', String(params.page));
  query.set('pageSize', String(pageSize));
  return query;
}

export type SortableColumn = 'name' | 'updatedAt' | 'verifiedAt';

export function sortDirection(sort: OfferSort, column: SortableColumn): 'ascending' | 'descending' | 'none' {
  if (sort === column) return 'ascending';
  if (sort === `-${column}`) return 'descending';
  return 'none';
}

// First click sorts ascending (names) or newest first (dates); the next click turns it round.
export function nextSort(sort: OfferSort, column: SortableColumn): OfferSort {
  const direction = sortDirection(sort, column);
  if (direction === 'ascending') return `-${column}` as OfferSort;
  if (direction === 'descending') return column;
  return column === 'name' ? 'name' : (`-${column}` as OfferSort);
}

export function pageCount(total: number, pageSize = offerListPageSize): number {
  return Math.max(1, Math.ceil(total / pageSize));
}

export const exportFormats = ['csv', 'geojson', 'hsds'] as const;
export type ExportFormat = (typeof exportFormats)[number];

// GET /api/offers/export with the table's filters and sort, every page (exportQuerySchema).
export function exportHref(params: OfferListParams, format: ExportFormat): string {
  const query = toOfferListQuery(params);
  query.delete('page');
  query.delete('pageSize');
  query.set('format', format);
  return `/api/offers/export?${query.toString()}`;
}
