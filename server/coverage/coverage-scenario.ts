import type { Knex } from 'knex';
import { bilingualValidationError, type KeyedFieldError } from '../http/localized-validation.ts';
import type { CoverageModel, SupplyPoint } from './coverage-compute.ts';
import { snapToNetwork } from './coverage-model.ts';
import type { Supply } from './coverage-supply.ts';
import { coverageMessages } from './coverage.messages.ts';
import { placePoints } from './coverage.repo.ts';
import type { HypotheticalOffer, ScenarioOfferPlacement } from './coverage.schema.ts';

// What-if offers of a scenario: placed in their Sozialraum and on the street network (snapped like
// real offers), refused outside the city or without a capacity where the real ones count by it.

export async function placeHypotheticalOffers(
  db: Knex,
  cityId: string | undefined,
  model: CoverageModel,
  offers: readonly HypotheticalOffer[],
  measure: Supply['measure'],
): Promise<{ hypothetical: SupplyPoint[]; placements: ScenarioOfferPlacement[] }> {
  const placed = await placePoints(db, cityId, offers);
  const capacityMeasure = measure === 'capacity';
  const errors = offers.flatMap((offer, index) => {
    const problems: KeyedFieldError[] = [];
    if (!placed[index]?.areaId) {
      problems.push({ field: `offers.${index}`, code: 'outside_areas', message: coverageMessages.outside_areas! });
    }
    if (capacityMeasure && offer.capacity === undefined) {
      problems.push({ field: `offers.${index}.capacity`, code: 'capacity_required', message: coverageMessages.capacity_required! });
    }
    return problems;
  });
  if (errors.length > 0) throw bilingualValidationError(errors);
  const areaIndexById = new Map(model.areas.map((area, index) => [area.id, index]));
  const snapped = offers.map((offer) => snapToNetwork(model, offer.lon, offer.lat));
  const hypothetical = offers.map((offer, index): SupplyPoint => {
    const areaId = placed[index]!.areaId;
    return {
      offerId: `hypothetical-${index}`,
      lon: offer.lon,
      lat: offer.lat,
      area: areaId ? (areaIndexById.get(areaId) ?? -1) : -1,
      amount: capacityMeasure ? (offer.capacity ?? 0) : 1,
      capacity: offer.capacity ?? null,
      source: snapped[index]!,
    };
  });
  const placements = offers.map((offer, index) => ({
    index,
    lon: offer.lon,
    lat: offer.lat,
    capacity: offer.capacity ?? null,
    name: offer.name ?? null,
    areaId: placed[index]?.areaId ?? null,
    snapOffsetMeters: snapped[index]?.offsetMeters ?? null,
  }));
  return { hypothetical, placements };
}
