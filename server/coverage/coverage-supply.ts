import type { Knex } from 'knex';
import type { CoverageModel, SupplyPoint } from './coverage-compute.ts';
import { listMatchingSupply, type SupplyRecord } from './coverage.repo.ts';
import { snapToNetwork } from './coverage-model.ts';
import { descendantsOf, type ResolvedTerms, type TermRecord } from './coverage-question.ts';

// Supply: the matching offers, one point per location; an offer with several locations counts
// once, shared among them. Counted by capacity when every matching offer states one.

export interface Supply {
  points: SupplyPoint[];
  rows: SupplyRecord[];
  offers: number;
  capacityKnownFor: number;
  measure: 'capacity' | 'offers';
}

export async function loadSupply(db: Knex, cityId: string | undefined, model: CoverageModel, allTerms: readonly TermRecord[], terms: ResolvedTerms): Promise<Supply> {
  const { offerTypeTerm, targetGroupTerm } = terms;
  const rows = await listMatchingSupply(db, cityId, {
    offerTypeIds: offerTypeTerm ? descendantsOf(allTerms, offerTypeTerm).map((term) => term.id) : null,
    targetGroupIds: targetGroupTerm ? descendantsOf(allTerms, targetGroupTerm).map((term) => term.id) : null,
  });
  const locationsPerOffer = new Map<string, number>();
  for (const row of rows) locationsPerOffer.set(row.offerId, (locationsPerOffer.get(row.offerId) ?? 0) + 1);
  const offers = locationsPerOffer.size;
  const capacityKnownFor = new Set(rows.filter((row) => row.capacity !== null).map((row) => row.offerId)).size;
  const measure: Supply['measure'] = offers > 0 && capacityKnownFor === offers ? 'capacity' : 'offers';
  const areaIndexById = new Map(model.areas.map((area, index) => [area.id, index]));
  const points: SupplyPoint[] = rows.map((row) => {
    const share = 1 / (locationsPerOffer.get(row.offerId) ?? 1);
    return {
      offerId: row.offerId,
      lon: row.lon,
      lat: row.lat,
      area: row.areaId ? (areaIndexById.get(row.areaId) ?? -1) : -1,
      amount: (measure === 'capacity' ? (row.capacity ?? 0) : 1) * share,
      capacity: row.capacity === null ? null : row.capacity * share,
      source: snapToNetwork(model, row.lon, row.lat),
    };
  });
  return { points, rows, offers, capacityKnownFor, measure };
}
