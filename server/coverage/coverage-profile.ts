import type { Knex } from 'knex';
import { NotFoundError, ValidationError } from '../http/errors.ts';
import { ancestorsOf, descendantsOf, type TermRecord } from './coverage-question.ts';
import { findArea, listAreaSeries, listIndicatorLabels, listOffersInArea } from './coverage.repo.ts';
import type { AreaProfile, ProfileQuery } from './coverage.schema.ts';
import { targetGroupForOfferType, type DemandMapping } from './demand.ts';

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
  if (!area) throw new NotFoundError(`There is no area ${areaId}.`, 'area_not_found');
  const terms = await coverageTerms();
  const offerTypeTerm = query.offerType
    ? terms.find((term) => term.taxonomy === 'offer_type' && term.code === query.offerType)
    : undefined;
  if (query.offerType && !offerTypeTerm) {
    throw new ValidationError([{ field: 'query.offerType', code: 'unknown_term', message: `there is no offer type "${query.offerType}"` }]);
  }
  if (query.targetGroup && !mapping.targetGroups[query.targetGroup]) {
    throw new ValidationError([
      { field: 'query.targetGroup', code: 'no_demand_mapping', message: `no residents are mapped to the target group "${query.targetGroup}"` },
    ]);
  }
  const targetGroup =
    query.targetGroup ??
    (offerTypeTerm ? targetGroupForOfferType(mapping, offerTypeTerm.code, ancestorsOf(terms, offerTypeTerm).map((term) => term.code)) : undefined);
  const codes = ['population_total', ...new Set(targetGroup ? (mapping.targetGroups[targetGroup]?.indicatorSets.flat() ?? []) : [])];
  const [series, labels, offers] = await Promise.all([
    listAreaSeries(db, cityId, area.id, codes),
    listIndicatorLabels(db, cityId, codes),
    listOffersInArea(db, cityId, area.id, offerTypeTerm ? descendantsOf(terms, offerTypeTerm).map((term) => term.id) : null),
  ]);
  return {
    area,
    series: codes
      .map((code) => ({
        indicator: { code, label: labels.find((label) => label.code === code)?.labelDe ?? code },
        area: series.area.filter((point) => point.indicatorCode === code).map(({ period, value }) => ({ period, value })),
        city: series.city.filter((point) => point.indicatorCode === code).map(({ period, value }) => ({ period, value })),
      }))
      .filter((entry) => entry.area.length > 0),
    offers,
    sources: [...series.sources, 'offers: Angebotsatlas inventory'],
  };
}
