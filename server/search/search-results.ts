import type { StreetKernel } from '../streets/streets.service.ts';
import type { WalkingMeters } from '../streets/walking.ts';
import type { OpeningHoursEvaluator, OpeningState } from '../shared/opening-hours.ts';
import type { RequestFields } from './search-json.ts';
import type { PageRows } from './search-page.ts';
import type { Taxonomy, TaxonomyCache } from './search-taxonomy.ts';
import type { SearchRow } from './search.repo.ts';
import type { TaxonomyTermRow } from './search-taxonomy.ts';
import type { OpeningSummary, SearchOrigin, SearchResult, TermRef } from './search.schema.ts';

// A search result: the row's own fields (the offer's) and the request's fields (distances from the
// origin, the opening state at the asked moment).

/** Pace of older pedestrians used for minutes (PRODUCT.md: about 3 km/h at 75–85). */
export const walkingSpeedKmh = 3;

export function termRef(term: TaxonomyTermRow): TermRef {
  return { code: term.code, label: { de: term.labelDe, en: term.labelEn } };
}

export function openingSummary(state: OpeningState): OpeningSummary {
  return { status: state.status, opensAt: state.opensAt, closesAt: state.closesAt, comment: state.comment };
}

/**
 * What the request adds to each row: distances and the opening state at `at`. The walking distances
 * of the rows are walked here unless the caller walked them already (`walked`, one per row).
 */
export async function requestFieldsOf(
  deps: { streets: StreetKernel; openingHours: OpeningHoursEvaluator },
  page: PageRows,
  origin: SearchOrigin | null,
  at: Date,
  walked?: WalkingMeters,
): Promise<RequestFields[]> {
  const walking = origin
    ? (walked ??
      (await deps.streets.walkingMeters(
        [origin.lon, origin.lat],
        page.positions.map((position) => position[0]),
        page.positions.map((position) => position[1]),
      )))
    : null;
  // Rows with the same opening state share its summary (and the answer its JSON).
  const summaries = new Map<OpeningState, OpeningSummary>();
  return page.rows.map((_row, position) => {
    const meters = walking?.meters[position];
    const distance = page.distances[position] ?? null;
    const state = deps.openingHours.state(page.openingHours[position], at);
    let opening = summaries.get(state);
    if (!opening) {
      opening = openingSummary(state);
      summaries.set(state, opening);
    }
    return {
      distanceMeters: distance === null ? null : Math.round(distance),
      walkingDistanceMeters: meters ?? null,
      walkingDistanceMethod: meters === undefined ? null : walking!.overNetwork[position] === 1 ? 'network' : 'detour_factor',
      walkingMinutes: meters === undefined ? null : Math.max(1, Math.round(meters / ((walkingSpeedKmh * 1000) / 60))),
      opening,
    };
  });
}

type TermCodes = { accessibility: readonly string[]; targetGroups: readonly string[] };

/**
 * A row's accessibility and target-group codes, in taxonomy order (frozen: results share them).
 * Rows share their `termIds` array between searches, so the answer is kept per array and
 * taxonomy version.
 */
export function createTermCodes(): (cache: TaxonomyCache, termIds: readonly string[]) => TermCodes {
  let memory: { cache: TaxonomyCache; byTerms: WeakMap<readonly string[], TermCodes> } | null = null;
  return (cache, termIds) => {
    if (memory?.cache !== cache) memory = { cache, byTerms: new WeakMap() };
    let known = memory.byTerms.get(termIds);
    if (!known) {
      const terms = termIds
        .map((id) => cache.byId.get(id))
        .filter((term): term is TaxonomyTermRow => term !== undefined)
        .sort((a, b) => a.sortOrder - b.sortOrder);
      const ofKind = (kind: Taxonomy) => Object.freeze(terms.filter((term) => term.taxonomy === kind).map((term) => term.code));
      known = { accessibility: ofKind('accessibility'), targetGroups: ofKind('target_group') };
      memory.byTerms.set(termIds, known);
    }
    return known;
  };
}

export function resultOf(row: SearchRow, fields: RequestFields, codes: TermCodes): SearchResult {
  return {
    id: row.id,
    offerId: row.offerId,
    locationId: row.locationId,
    name: row.name,
    summary: row.summary,
    offerType: { code: row.offerTypeCode, label: { de: row.offerTypeLabelDe, en: row.offerTypeLabelEn } },
    organization: row.organization,
    address: row.address,
    lon: Math.round(row.lon * 1e6) / 1e6,
    lat: Math.round(row.lat * 1e6) / 1e6,
    distanceMeters: fields.distanceMeters,
    walkingDistanceMeters: fields.walkingDistanceMeters,
    walkingDistanceMethod: fields.walkingDistanceMethod,
    walkingMinutes: fields.walkingMinutes,
    opening: fields.opening,
    costKind: row.costKind,
    languages: row.languages,
    accessibility: codes.accessibility,
    targetGroups: codes.targetGroups,
    minAge: row.minAge,
    maxAge: row.maxAge,
  };
}
