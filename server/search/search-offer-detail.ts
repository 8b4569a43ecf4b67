import type { Knex } from 'knex';
import { NotFoundError } from '../http/errors.ts';
import { inBothLanguages } from '../http/localized-validation.ts';
import type { OpeningHoursEvaluator } from '../shared/opening-hours.ts';
import { openingSummary, termRef } from './search-results.ts';
import type { Taxonomy, TaxonomyCache } from './search-taxonomy.ts';
import { findPublicOffer, listOfferLocations } from './search.repo.ts';
import { searchMessages } from './search.messages.ts';
import type { TaxonomyTermRow } from './search-taxonomy.ts';
import type { OfferDetail } from './search.schema.ts';

// The public detail page of one offer: its record, terms with labels, locations, the opening state
// now and the week ahead.

export async function offerDetail(
  deps: { db: Knex; cityId?: string | undefined; openingHours: OpeningHoursEvaluator; taxonomy: () => Promise<TaxonomyCache>; now: () => Date },
  id: string,
): Promise<OfferDetail> {
  const { db, openingHours } = deps;
  const record = await findPublicOffer(db, id, deps.cityId);
  if (!record) throw inBothLanguages(new NotFoundError(searchMessages.offer_not_found!.en, 'offer_not_found'), searchMessages.offer_not_found!);
  const [cache, locations] = await Promise.all([deps.taxonomy(), listOfferLocations(db, id)]);
  const terms = record.termIds
    .map((termId) => cache.byId.get(termId))
    .filter((term): term is TaxonomyTermRow => term !== undefined)
    .sort((a, b) => a.sortOrder - b.sortOrder);
  const ofKind = (kind: Taxonomy) => terms.filter((term) => term.taxonomy === kind).map(termRef);
  const offerType = cache.byId.get(record.offerTypeId);
  if (!offerType) throw new Error(`offer ${id} has an offer type that is not in the taxonomy`);
  const parent = offerType.parentId ? cache.byId.get(offerType.parentId) : undefined;
  const at = deps.now();
  return {
    id: record.id,
    name: record.name,
    alternateName: record.alternateName,
    description: record.description,
    status: record.status,
    offerType: { ...termRef(offerType), parent: parent ? termRef(parent) : null },
    targetGroups: ofKind('target_group'),
    fieldsOfAction: ofKind('field_of_action'),
    accessibility: ofKind('accessibility'),
    minAge: record.minAge,
    maxAge: record.maxAge,
    costKind: record.costKind,
    costText: record.costText,
    languages: record.languages,
    contact: { email: record.email, phone: record.phone, website: record.website },
    openingHours: record.openingHours,
    openingHoursNote: record.openingHoursNote,
    opening: openingSummary(openingHours.state(record.openingHours, at)),
    week: openingHours.week(record.openingHours, at, 7),
    reach: record.reachKind ? { kind: record.reachKind, meters: record.reachMeters } : null,
    capacity: record.capacity === null ? null : { value: record.capacity, unit: record.capacityUnit },
    organization: record.organization,
    department: record.department,
    locations: locations.map((location) => ({
      ...location,
      lon: Math.round(location.lon * 1e6) / 1e6,
      lat: Math.round(location.lat * 1e6) / 1e6,
    })),
    verifiedAt: record.verifiedAt ? record.verifiedAt.toISOString() : null,
    updatedAt: record.updatedAt.toISOString(),
    source: record.source,
    at: openingHours.formatInstant(at),
  };
}
