// The whole search lives in the URL, so a result list can be shared, bookmarked and printed.
// Pure functions: unit-tested without a browser.

export const radiusOptions = [500, 1000, 2000, 5000, 10000] as const;
export const defaultRadius = 2000;
export const pageSize = 20;

export type SearchState = {
  /** What the person chose or typed, shown in the box; null with "my location". */
  address: string | null;
  /** True when the origin came from the browser's location. */
  here: boolean;
  /** True when the geocoder placed the address only approximately (house number not in its data). */
  approx: boolean;
  lat: number | null;
  lon: number | null;
  radius: number;
  q: string | null;
  type: string[];
  targetGroup: string[];
  language: string[];
  openNow: boolean;
  free: boolean;
  accessible: boolean;
  page: number;
  /** The selected result (service_at_location id), highlighted in list and map. */
  selected: string | null;
};

export const emptySearchState: SearchState = {
  address: null,
  here: false,
  approx: false,
  lat: null,
  lon: null,
  radius: defaultRadius,
  q: null,
  type: [],
  targetGroup: [],
  language: [],
  openNow: false,
  free: false,
  accessible: false,
  page: 1,
  selected: null,
};

const codePattern = /^[a-z0-9][a-z0-9_.-]{0,79}$/;

function list(params: URLSearchParams, name: string, pattern: RegExp): string[] {
  const values = params
    .getAll(name)
    .flatMap((value) => value.split(','))
    .map((value) => value.trim())
    .filter((value) => pattern.test(value));
  return [...new Set(values)].slice(0, 20);
}

function coordinate(value: string | null, limit: number): number | null {
  if (value === null || value.trim() === '') return null;
  const number = Number(value);
  return Number.isFinite(number) && Math.abs(number) <= limit ? number : null;
}

function flag(params: URLSearchParams, name: string): boolean {
  const value = params.get(name);
  return value === '1' || value === 'true';
}

/** Reads the state from the URL; anything malformed falls back to its default instead of failing. */
export function parseSearchState(params: URLSearchParams): SearchState {
  const lat = coordinate(params.get('lat'), 90);
  const lon = coordinate(params.get('lon'), 180);
  const hasOrigin = lat !== null && lon !== null;
  const radius = Number(params.get('radius'));
  const page = Number(params.get('page'));
  const text = params.get('q')?.trim() ?? '';
  return {
    address: params.get('address')?.trim().slice(0, 200) || null,
    here: hasOrigin && flag(params, 'here'),
    approx: hasOrigin && !flag(params, 'here') && flag(params, 'approx'),
    lat: hasOrigin ? lat : null,
    lon: hasOrigin ? lon : null,
    radius: (radiusOptions as readonly number[]).includes(radius) ? radius : defaultRadius,
    q: text ? text.slice(0, 200) : null,
    type: list(params, 'type', codePattern),
    targetGroup: list(params, 'targetGroup', codePattern),
    language: list(params, 'language', /^[a-z]{2,3}$/),
    openNow: flag(params, 'openNow'),
    free: flag(params, 'free'),
    accessible: flag(params, 'accessible'),
    page: Number.isInteger(page) && page >= 1 && page <= 50 ? page : 1,
    selected: params.get('selected')?.match(/^[0-9a-f-]{36}$/i)?.[0] ?? null,
  };
}

/** Writes the state to the URL, leaving out defaults so that links stay short. */
export function serializeSearchState(state: SearchState): URLSearchParams {
  const params = new URLSearchParams();
  if (state.address && !state.here) params.set('address', state.address);
  if (state.lat !== null && state.lon !== null) {
    params.set('lat', state.lat.toFixed(6).replace(/\.?0+$/, ''));
    params.set('lon', state.lon.toFixed(6).replace(/\.?0+$/, ''));
    if (state.here) params.set('here', '1');
    else if (state.approx) params.set('approx', '1');
  }
  if (state.radius !== defaultRadius) params.set('radius', String(state.radius));
  if (state.q) params.set('q', state.q);
  if (state.type.length > 0) params.set('type', state.type.join(','));
  if (state.targetGroup.length > 0) params.set('targetGroup', state.targetGroup.join(','));
  if (state.language.length > 0) params.set('language', state.language.join(','));
  if (state.openNow) params.set('openNow', '1');
  if (state.free) params.set('free', '1');
  if (state.accessible) params.set('accessible', '1');
  if (state.page > 1) params.set('page', String(state.page));
  if (state.selected) params.set('selected', state.selected);
  return params;
}

/** A search runs once there is a place to search around, or a keyword. */
export function canSearch(state: SearchState): boolean {
  return (state.lat !== null && state.lon !== null) || state.q !== null;
}

/** The query string of GET /api/search for this state (selection and labels stay in the page). */
export function toApiQuery(state: SearchState): URLSearchParams {
  const params = new URLSearchParams();
  if (state.lat !== null && state.lon !== null) {
    params.set('lat', String(state.lat));
    params.set('lon', String(state.lon));
    params.set('radius', String(state.radius));
  }
  if (state.q) params.set('q', state.q);
  if (state.type.length > 0) params.set('type', state.type.join(','));
  if (state.targetGroup.length > 0) params.set('targetGroup', state.targetGroup.join(','));
  if (state.language.length > 0) params.set('language', state.language.join(','));
  if (state.openNow) params.set('openNow', 'true');
  if (state.free) params.set('free', 'true');
  if (state.accessible) params.set('accessible', 'true');
  params.set('page', String(state.page));
  params.set('pageSize', String(pageSize));
  return params;
}

/** The next wider radius that reaches `meters`, or null when even the widest does not. */
export function radiusReaching(meters: number): number | null {
  return radiusOptions.find((option) => option >= meters) ?? null;
}

/** The senior preset: offers whose target group is older people (including people in need of care). */
export const seniorPreset = { targetGroup: ['seniors'] } as const;

export function isSeniorPresetActive(state: SearchState): boolean {
  return state.targetGroup.length === 1 && state.targetGroup[0] === 'seniors' && state.type.length === 0;
}

export function applySeniorPreset(state: SearchState): SearchState {
  return { ...state, type: [], targetGroup: [...seniorPreset.targetGroup], page: 1, selected: null };
}

/** Any change of what is searched starts again at page 1 without a selection. */
/** A change to the search, applied to the search as it is when the change is made. */
export type SearchChange = (current: SearchState) => SearchState;

export function withFilters(state: SearchState, change: Partial<SearchState>): SearchState {
  return { ...state, ...change, page: 1, selected: null };
}
