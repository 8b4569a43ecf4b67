import type { Knex } from 'knex';
import { commonMessages } from '../http/common-messages.ts';
import { NotFoundError } from '../http/errors.ts';
import { bilingualValidationError, inBothLanguages } from '../http/localized-validation.ts';
import { coverageMessages } from './coverage.messages.ts';
import { ancestorsOf, descendantsOf, type TermRecord } from './coverage-question.ts';
import { continuesPredecessor } from '../shared/area-versions.ts';
import { findArea, listAreaSeries, listAreaVersions, listIndicatorLabels, listOffersInArea, type AreaVersionRecord } from './coverage.repo.ts';
import type { AreaProfile, ProfileQuery } from './coverage.schema.ts';
import { targetGroupForOfferType, type DemandMapping } from './demand.ts';

/** The versions whose values belong to the requested one's series: linked to it by unchanged boundaries. */
function comparableVersions(versions: readonly AreaVersionRecord[], areaId: string): Set<string> {
  const index = versions.findIndex((version) => version.id === areaId);
  const ids = new Set<string>([areaId]);
  for (let before = index; before > 0 && continuesPredecessor(versions[before]!.boundaryChange); before -= 1) ids.add(versions[before - 1]!.id);
  for (let after = index + 1; after < versions.length && continuesPredecessor(versions[after]!.boundaryChange); after += 1) ids.add(versions[after]!.id);
  return ids;
}

/** Population time series of an area against the city, and the offers in it. */
export async function areaProfile(
  db: Knex,
  cityId: string | undefined,
  mapping: DemandMapping,
  coverageTerms: () => Promise<TermRecord[]>,
  areaId: string,
  query: ProfileQuery,
): Promise<AreaProfile> {
  const area = await findArea(db, cityId, areaId);
  if (!area) throw inBothLanguages(new NotFoundError(`There is no area ${areaId}.`, 'area_not_found'), commonMessages.unknown_area!, { id: areaId });
  const terms = await coverageTerms();
  const offerTypeTerm = query.offerType
    ? terms.find((term) => term.taxonomy === 'offer_type' && term.code === query.offerType)
    : undefined;
  if (query.offerType && !offerTypeTerm) {
    throw bilingualValidationError([{ field: 'query.offerType', code: 'unknown_term', message: coverageMessages.unknown_offer_type!, params: { code: query.offerType } }]);
  }
  if (query.targetGroup && !mapping.targetGroups[query.targetGroup]) {
    throw bilingualValidationError([
      { field: 'query.targetGroup', code: 'no_demand_mapping', message: coverageMessages.no_demand_mapping_target_group!, params: { code: query.targetGroup } },
    ]);
  }
  const targetGroup =
    query.targetGroup ??
    (offerTypeTerm ? targetGroupForOfferType(mapping, offerTypeTerm.code, ancestorsOf(terms, offerTypeTerm).map((term) => term.code)) : undefined);
  const codes = ['population_total', ...new Set(targetGroup ? (mapping.targetGroups[targetGroup]?.indicatorSets.flat() ?? []) : [])];
  const versions = await listAreaVersions(db, area.id);
  const comparable = comparableVersions(versions, area.id);
  const [series, labels, offers] = await Promise.all([
    listAreaSeries(db, cityId, versions.map((version) => version.id), codes),
    listIndicatorLabels(db, cityId, codes),
    listOffersInArea(db, cityId, area.id, offerTypeTerm ? descendantsOf(terms, offerTypeTerm).map((term) => term.id) : null),
  ]);
  const own = versions.find((version) => version.id === area.id);
  return {
    area: { ...area, validFrom: own?.validFrom ?? null, validTo: own?.validTo ?? null },
    boundaryChanges: versions.slice(1).map((version) => ({
      date: version.validFrom ?? '',
      share: version.boundaryChange,
      continuous: continuesPredecessor(version.boundaryChange),
    })),
    series: codes
      .map((code) => {
        const otherBoundary = series.area
          .filter((point) => point.indicatorCode === code && !comparable.has(point.areaId!))
          .map(({ period, value }) => ({ period, value }));
        return {
          indicator: { code, label: labels.find((label) => label.code === code)?.labelDe ?? code },
          area: series.area
            .filter((point) => point.indicatorCode === code && comparable.has(point.areaId!))
            .map(({ period, value }) => ({ period, value })),
          // Only where a boundary changed: values under an older boundary, kept apart.
          ...(otherBoundary.length > 0 ? { otherBoundary } : {}),
          city: series.city.filter((point) => point.indicatorCode === code).map(({ period, value }) => ({ period, value })),
        };
      })
      .filter((entry) => entry.area.length > 0 || (entry.otherBoundary?.length ?? 0) > 0),
    offers,
    sources: [...series.sources, 'offers: Angebotsatlas inventory'],
  };
}
