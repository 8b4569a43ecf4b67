import { createHash } from 'node:crypto';
import type { Offer } from '../offers/offers.schema.ts';
import type { TaxonomyCode, TaxonomyTerm } from '../taxonomies/taxonomies.schema.ts';

/**
 * Offers as HSDS 3.1 services (Open Referral) and back. HSDS has no place for reach, the
 * owning department, the cost kind or the OpenStreetMap opening hours; they travel in the
 * extension object `x_angebotsatlas` (HSDS allows extra properties) so that an export can be
 * imported again without loss. Everything else uses the standard fields.
 */
export const hsdsVersion = '3.1';
export const extensionKey = 'x_angebotsatlas';

export interface HsdsExtension {
  departmentCode: string;
  offerType: string;
  costKind: 'free' | 'reduced' | 'paid' | null;
  openingHours: string | null;
  openingHoursNote: string | null;
  reach: Offer['reach'];
  publication: Offer['publication'];
  version: number;
  stale: boolean;
}

export type HsdsObject = Record<string, unknown>;

/** What GET /api/hsds/profile says about the HSDS-DE profile (docs/hsds-de-profile.md explains it). */
export const hsdsProfile = {
  name: 'HSDS-DE (Angebotsatlas)',
  hsds_version: hsdsVersion,
  documentation: 'docs/hsds-de-profile.md',
  extension_property: extensionKey,
  taxonomies: ['offer_type', 'target_group', 'field_of_action', 'accessibility'],
  language: 'de',
  country: 'DE',
  currency: 'EUR',
};

/** A name-based UUID (RFC 9562 version 5 layout) so that nested HSDS ids stay the same between exports. */
export function stableUuid(...parts: string[]): string {
  const hash = createHash('sha1').update(`angebotsatlas:${parts.join(':')}`).digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

const statusToHsds: Record<Offer['status'], string> = {
  active: 'active',
  inactive: 'inactive',
  temporarily_closed: 'temporarily closed',
  defunct: 'defunct',
};

export interface HsdsContext {
  term(taxonomy: TaxonomyCode, code: string): TaxonomyTerm | undefined;
  /** Full state name for addresses, e.g. Nordrhein-Westfalen. */
  stateProvince: string;
}

function dropNulls(object: HsdsObject): HsdsObject {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== null && value !== undefined));
}

function attribute(offer: Offer, taxonomy: TaxonomyCode, code: string, context: HsdsContext): HsdsObject {
  const term = context.term(taxonomy, code);
  const termId = term?.id ?? stableUuid('term', taxonomy, code);
  return {
    id: stableUuid('attribute', offer.id, taxonomy, code),
    link_id: offer.id,
    link_type: taxonomy,
    link_entity: 'service',
    taxonomy_term_id: termId,
    label: term?.label.de ?? code,
    taxonomy_term: dropNulls({
      id: termId,
      code,
      name: term?.label.de ?? code,
      description: term?.description.de ?? term?.label.en ?? code,
      taxonomy,
      language: 'de',
    }),
  };
}

function splitStreet(street: string | null, houseNumber: string | null): string | null {
  const line = [street, houseNumber].filter((part) => part !== null && part !== '').join(' ');
  return line === '' ? null : line;
}

// eslint-disable-next-line max-lines-per-function -- a field-by-field mapping onto HSDS 3.1, one object literal read side by side with the spec
export function offerToHsdsService(offer: Offer, context: HsdsContext): HsdsObject {
  const extension: HsdsExtension = {
    departmentCode: offer.department.code,
    offerType: offer.offerType,
    costKind: offer.cost?.kind ?? null,
    openingHours: offer.openingHours,
    openingHoursNote: offer.openingHoursNote,
    reach: offer.reach,
    publication: offer.publication,
    version: offer.version,
    stale: offer.stale,
  };
  const attributes = [
    attribute(offer, 'offer_type', offer.offerType, context),
    ...offer.targetGroups.map((code) => attribute(offer, 'target_group', code, context)),
    ...offer.fieldsOfAction.map((code) => attribute(offer, 'field_of_action', code, context)),
    ...offer.accessibility.map((code) => attribute(offer, 'accessibility', code, context)),
  ];
  return dropNulls({
    id: offer.id,
    organization_id: offer.organization?.id ?? null,
    name: offer.name,
    alternate_name: offer.alternateName,
    description: offer.description,
    url: offer.website,
    email: offer.email,
    status: statusToHsds[offer.status],
    fees_description: offer.cost?.text ?? null,
    minimum_age: offer.minAge,
    maximum_age: offer.maxAge,
    assured_date: offer.verifiedAt ? offer.verifiedAt.slice(0, 10) : null,
    // No assurer_email: the checker is a member of staff (personal data); the department answers.
    last_modified: offer.updatedAt,
    organization: offer.organization
      ? { id: offer.organization.id, name: offer.organization.name, description: offer.organization.name }
      : null,
    phones: offer.phone ? [{ id: stableUuid('phone', offer.id), service_id: offer.id, number: offer.phone }] : [],
    languages: offer.languages.map((code) => ({ id: stableUuid('language', offer.id, code), service_id: offer.id, code })),
    schedules:
      offer.openingHours || offer.openingHoursNote
        ? [
            dropNulls({
              id: stableUuid('schedule', offer.id),
              service_id: offer.id,
              description: offer.openingHours,
              notes: offer.openingHoursNote,
            }),
          ]
        : [],
    cost_options: offer.cost
      ? [
          dropNulls({
            id: stableUuid('cost', offer.id),
            service_id: offer.id,
            option: offer.cost.kind,
            currency: 'EUR',
            amount: offer.cost.kind === 'free' ? 0 : null,
            amount_description: offer.cost.text,
          }),
        ]
      : [],
    capacities: offer.capacity
      ? [
          dropNulls({
            id: stableUuid('capacity', offer.id),
            service_id: offer.id,
            unit: { id: stableUuid('unit', offer.capacity.unit ?? 'Plätze'), name: offer.capacity.unit ?? 'Plätze' },
            // Vacancies are not recorded; available and maximum both give the capacity.
            available: offer.capacity.value,
            maximum: offer.capacity.value,
            description: 'Kapazität insgesamt; freie Plätze werden nicht erfasst.',
            updated: offer.updatedAt,
          }),
        ]
      : [],
    service_areas: offer.reachAreas.map((area) => ({
      id: stableUuid('service_area', offer.id, area.id),
      service_id: offer.id,
      name: area.name,
      description: `${area.level} ${area.code}`,
      extent_type: 'area',
      uri: `/api/areas?level=${area.level}#${area.id}`,
    })),
    // A location belongs to the offer that created it, so its id also names the service at that location.
    service_at_locations: offer.locations.map((location) => ({
      id: location.id,
      service_id: offer.id,
      location_id: location.id,
      description: location.sozialraum ? `Sozialraum ${location.sozialraum.name}` : undefined,
      location: dropNulls({
        id: location.id,
        location_type: 'physical',
        name: location.name,
        latitude: location.geometry.coordinates[1],
        longitude: location.geometry.coordinates[0],
        addresses:
          location.address.city && location.address.postalCode && splitStreet(location.address.street, location.address.houseNumber)
            ? [
                {
                  id: stableUuid('address', location.id),
                  location_id: location.id,
                  address_1: splitStreet(location.address.street, location.address.houseNumber),
                  city: location.address.city,
                  state_province: context.stateProvince,
                  postal_code: location.address.postalCode,
                  country: 'DE',
                  address_type: 'physical',
                },
              ]
            : [],
        accessibility: location.accessibilityNote
          ? [{ id: stableUuid('accessibility', location.id), location_id: location.id, description: location.accessibilityNote }]
          : [],
      }),
    })),
    attributes,
    [extensionKey]: extension,
  });
}

const statusFromHsds: Record<string, Offer['status']> = {
  active: 'active',
  inactive: 'inactive',
  'temporarily closed': 'temporarily_closed',
  temporarily_closed: 'temporarily_closed',
  defunct: 'defunct',
};

export interface HsdsImportRecord {
  row: number;
  serviceId: string | undefined;
  input: Record<string, unknown>;
  publication: string | undefined;
  warnings: string[];
  organization: { id: string; name: string; description: string | null } | undefined;
}

function asObject(value: unknown): HsdsObject | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as HsdsObject) : undefined;
}

function asArray(value: unknown): HsdsObject[] {
  return Array.isArray(value) ? value.map(asObject).filter((item): item is HsdsObject => item !== undefined) : [];
}

function asText(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** Reads services from an HSDS page ({ contents: [...] }), a list, or one service object. */
export function readHsdsServices(json: unknown): HsdsObject[] {
  const page = asObject(json);
  if (page && Array.isArray(page.contents)) return asArray(page.contents);
  if (Array.isArray(json)) return asArray(json);
  if (page && page.name !== undefined) return [page];
  return [];
}

const houseNumberAtEnd = /^(.*\S)\s+(\d+\s*[a-zA-Z]?(?:\s*[-/]\s*\d+\s*[a-zA-Z]?)?)$/;

/** An HSDS service as input for the offer create schema. The source is `hsds`, the external id the service id. */
// eslint-disable-next-line max-lines-per-function -- a field-by-field mapping from HSDS 3.1, one object literal read side by side with the spec
export function hsdsServiceToInput(service: HsdsObject, row: number, defaults: { departmentCode?: string | undefined; source: string }): HsdsImportRecord {
  const warnings: string[] = [];
  const extension = asObject(service[extensionKey]) as Partial<HsdsExtension> | undefined;
  const attributes = asArray(service.attributes);
  const codes = (taxonomy: TaxonomyCode) =>
    attributes
      .map((item) => asObject(item.taxonomy_term))
      .filter((term) => term && asText(term.taxonomy) === taxonomy)
      .map((term) => asText(term!.code))
      .filter((code): code is string => code !== undefined);

  const locations = asArray(service.service_at_locations).flatMap((serviceAtLocation) => {
    const location = asObject(serviceAtLocation.location);
    if (!location) return [];
    const address = asArray(location.addresses)[0];
    const line = asText(address?.address_1);
    const split = line ? houseNumberAtEnd.exec(line) : null;
    return [
      {
        name: asText(location.name),
        address: {
          street: split ? split[1] : line,
          houseNumber: split ? split[2] : undefined,
          postalCode: asText(address?.postal_code),
          city: asText(address?.city),
        },
        accessibilityNote: asText(asArray(location.accessibility)[0]?.description),
        geometry: { type: 'Point', coordinates: [location.longitude, location.latitude] },
      },
    ];
  });

  const costOption = asArray(service.cost_options)[0];
  const costKindFromOption =
    asText(costOption?.option) === 'free' || asText(costOption?.option) === 'reduced' || asText(costOption?.option) === 'paid'
      ? (asText(costOption?.option) as 'free' | 'reduced' | 'paid')
      : typeof costOption?.amount === 'number'
        ? costOption.amount === 0
          ? 'free'
          : 'paid'
        : undefined;
  const costKind = extension?.costKind ?? costKindFromOption;
  const fees = asText(service.fees_description);
  if (!costKind && fees) warnings.push('fees_description without a cost kind (free, reduced, paid) was not imported');

  const schedule = asArray(service.schedules)[0];
  const openingHours = extension?.openingHours ?? asText(schedule?.description);
  const capacity = asArray(service.capacities)[0];
  const capacityValue = typeof capacity?.maximum === 'number' ? capacity.maximum : capacity?.available;
  const organization = asObject(service.organization);
  const organizationId = asText(service.organization_id) ?? asText(organization?.id);
  const serviceId = asText(service.id);
  const status = asText(service.status);

  const input: Record<string, unknown> = {
    departmentCode: extension?.departmentCode ?? defaults.departmentCode,
    organizationId,
    name: service.name,
    alternateName: asText(service.alternate_name),
    description: asText(service.description),
    status: status === undefined ? undefined : (statusFromHsds[status] ?? status),
    offerType: extension?.offerType ?? codes('offer_type')[0],
    targetGroups: codes('target_group'),
    fieldsOfAction: codes('field_of_action'),
    accessibility: codes('accessibility'),
    minAge: service.minimum_age ?? undefined,
    maxAge: service.maximum_age ?? undefined,
    cost: costKind ? { kind: costKind, text: fees } : undefined,
    languages: asArray(service.languages)
      .map((language) => asText(language.code)?.toLowerCase())
      .filter((code) => code !== undefined),
    email: asText(service.email),
    phone: asText(asArray(service.phones)[0]?.number),
    website: asText(service.url),
    openingHours,
    openingHoursNote: extension?.openingHoursNote ?? asText(schedule?.notes),
    reach: extension?.reach ?? undefined,
    capacity: capacityValue === undefined ? undefined : { value: capacityValue, unit: asText(asObject(capacity?.unit)?.name) },
    locations,
    ...(serviceId ? { source: defaults.source, externalId: serviceId } : {}),
  };
  return {
    row,
    serviceId,
    input: Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined)),
    publication: extension?.publication,
    warnings,
    organization:
      organization && organizationId && asText(organization.name)
        ? { id: organizationId, name: asText(organization.name)!, description: asText(organization.description) ?? null }
        : undefined,
  };
}

/** The provider fields HSDS organizations carry (the organizations feature's public record). */
export interface HsdsOrganizationSource {
  id: string;
  name: string;
  description: string | null;
  website: string | null;
  email: string | null;
  phone: string | null;
  legalStatus: string | null;
  parentId: string | null;
}

/**
 * A provider (Träger) as an HSDS organization. HSDS requires a description; a provider without
 * one is described by its name. Its telephone number is the provider's, not a person's.
 */
export function organizationToHsds(organization: HsdsOrganizationSource): HsdsObject {
  return dropNulls({
    id: organization.id,
    name: organization.name,
    description: organization.description ?? organization.name,
    website: organization.website,
    email: organization.email,
    legal_status: organization.legalStatus,
    parent_organization_id: organization.parentId,
    phones: organization.phone ? [{ id: stableUuid('organization_phone', organization.id), organization_id: organization.id, number: organization.phone }] : [],
  });
}
