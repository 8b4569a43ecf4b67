import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type { FieldError } from '../http/errors.ts';
import { fillMessage, type Language } from '../http/localized-validation.ts';
import type { TermIndex } from '../taxonomies/taxonomies.service.ts';
import type { TaxonomyCode } from '../taxonomies/taxonomies.schema.ts';
import { offerMessages, taxonomyName } from './offers.messages.ts';
import type { OfferWrite } from './offers.repo.ts';
import { offerConsistencyIssues, type Offer, type offerCreateSchema, type OfferPatch, type OfferSnapshot } from './offers.schema.ts';
import { checkOpeningHours, type HolidayRegion } from '../shared/opening-hours.ts';

type ParsedContent = z.output<typeof offerCreateSchema>;

/** The content of an offer with every field present; location ids assigned. */
export type OfferContent = Omit<
  OfferSnapshot,
  'publication' | 'archivedAt' | 'verifiedAt' | 'verifiedBy' | 'departmentCode'
> & { departmentCode: string | null };

export type OfferState = Pick<OfferSnapshot, 'publication' | 'archivedAt' | 'verifiedAt' | 'verifiedBy'>;

export interface References {
  terms: TermIndex;
  departments: Map<string, { id: string; code: string }>;
  organizationIds: Set<string>;
  areaIds: Set<string>;
}

export interface ContentCheckOptions {
  language: Language;
  city: { name: string; bbox: readonly [number, number, number, number] };
  holidays: HolidayRegion;
  /** Parsing opening hours is the slowest check; imports repeat the same values often. */
  openingHoursCache?: Map<string, string | null>;
}

export function normalizeContent(parsed: ParsedContent): OfferContent {
  return {
    departmentCode: parsed.departmentCode ?? null,
    organizationId: parsed.organizationId ?? null,
    name: parsed.name,
    alternateName: parsed.alternateName ?? null,
    description: parsed.description ?? null,
    status: parsed.status ?? 'active',
    offerType: parsed.offerType,
    targetGroups: parsed.targetGroups ?? [],
    fieldsOfAction: parsed.fieldsOfAction ?? [],
    accessibility: parsed.accessibility ?? [],
    minAge: parsed.minAge ?? null,
    maxAge: parsed.maxAge ?? null,
    cost: parsed.cost ? { kind: parsed.cost.kind, text: parsed.cost.text ?? null } : null,
    languages: parsed.languages ?? [],
    email: parsed.email ?? null,
    phone: parsed.phone ?? null,
    website: parsed.website ?? null,
    openingHours: parsed.openingHours ?? null,
    openingHoursNote: parsed.openingHoursNote ?? null,
    reach: parsed.reach ?? null,
    capacity: parsed.capacity ? { value: parsed.capacity.value, unit: parsed.capacity.unit ?? null } : null,
    locations: (parsed.locations ?? []).map((location) => ({
      id: location.id ?? randomUUID(),
      name: location.name ?? null,
      address: {
        street: location.address?.street ?? null,
        houseNumber: location.address?.houseNumber ?? null,
        postalCode: location.address?.postalCode ?? null,
        city: location.address?.city ?? null,
      },
      accessibilityNote: location.accessibilityNote ?? null,
      geometry: { type: 'Point', coordinates: [location.geometry.coordinates[0], location.geometry.coordinates[1]] },
    })),
    source: parsed.source ?? null,
    externalId: parsed.externalId ?? null,
  };
}

/** Drops nulls of fields whose schema does not take null, so stored content parses again. */
function withoutNulls(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== null));
}

/** A stored snapshot as input to the create schema (for restoring an earlier version). */
export function inputFromSnapshot(snapshot: OfferSnapshot): Record<string, unknown> {
  const { publication: _p, archivedAt: _a, verifiedAt: _v, verifiedBy: _b, ...content } = snapshot;
  return withoutNulls(content as unknown as Record<string, unknown>);
}

export function snapshotOf(content: OfferContent & { departmentCode: string }, state: OfferState): OfferSnapshot {
  return { ...content, ...state };
}

export function stateOfOffer(offer: Offer): OfferState {
  return {
    publication: offer.publication,
    archivedAt: offer.archivedAt,
    verifiedAt: offer.verifiedAt,
    verifiedBy: offer.verifiedBy?.id ?? null,
  };
}

export function snapshotOfOffer(offer: Offer): OfferSnapshot {
  return snapshotOf({ ...contentOfOffer(offer), departmentCode: offer.department.code }, stateOfOffer(offer));
}

/**
 * A parsed PATCH laid over the stored offer, domain onto domain: the fields the patch names,
 * normalized as on create; every other field as stored. Nothing is parsed twice.
 */
export function applyPatch(offer: Offer, patch: OfferPatch): OfferContent & { departmentCode: string } {
  // normalizeContent wants a whole offer; the two required fields are filled only to be dropped
  const normalized = normalizeContent({ ...patch, name: patch.name ?? '', offerType: patch.offerType ?? '' });
  const named = (Object.keys(patch) as (keyof OfferPatch)[]).filter((key) => patch[key] !== undefined);
  const changes = Object.fromEntries(named.map((key) => [key, normalized[key]])) as Partial<OfferContent>;
  const content = { ...contentOfOffer(offer), ...changes };
  return { ...content, departmentCode: content.departmentCode ?? offer.department.code };
}

/** The rules between fields (offers.schema.ts) on a whole content, as field errors. */
export function consistencyErrors(content: OfferContent, language: Language): FieldError[] {
  const issues = offerConsistencyIssues({
    ...content,
    source: content.source ?? undefined,
    externalId: content.externalId ?? undefined,
  });
  return issues.map((issue) => ({
    field: issue.path.join('.'),
    code: issue.params.key,
    message: fillMessage(offerMessages[issue.params.key]!, language, issue.params),
  }));
}

function contentOfOffer(offer: Offer): OfferContent {
  return {
    departmentCode: offer.department.code,
    organizationId: offer.organization?.id ?? null,
    name: offer.name,
    alternateName: offer.alternateName,
    description: offer.description,
    status: offer.status,
    offerType: offer.offerType,
    targetGroups: offer.targetGroups,
    fieldsOfAction: offer.fieldsOfAction,
    accessibility: offer.accessibility,
    minAge: offer.minAge,
    maxAge: offer.maxAge,
    cost: offer.cost,
    languages: offer.languages,
    email: offer.email,
    phone: offer.phone,
    website: offer.website,
    openingHours: offer.openingHours,
    openingHoursNote: offer.openingHoursNote,
    reach: offer.reach,
    capacity: offer.capacity,
    locations: offer.locations.map((location) => ({
      id: location.id,
      name: location.name,
      address: location.address,
      accessibilityNote: location.accessibilityNote,
      geometry: location.geometry,
    })),
    source: offer.source,
    externalId: offer.externalId,
  };
}

const termFields: { field: 'targetGroups' | 'fieldsOfAction' | 'accessibility'; taxonomy: Exclude<TaxonomyCode, 'offer_type'> }[] = [
  { field: 'targetGroups', taxonomy: 'target_group' },
  { field: 'fieldsOfAction', taxonomy: 'field_of_action' },
  { field: 'accessibility', taxonomy: 'accessibility' },
];

/**
 * The checks zod cannot make alone: codes and ids that must exist, points inside the city,
 * opening hours in OpenStreetMap syntax. Returns the write model, or the field errors.
 */
export function resolveContent(
  id: string,
  content: OfferContent & { departmentCode: string },
  references: References,
  options: ContentCheckOptions,
): { write: OfferWrite; errors: [] } | { write: undefined; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const say = (field: string, code: string, params: Record<string, unknown> = {}) =>
    errors.push({ field, code, message: fillMessage(offerMessages[code]!, options.language, params) });
  const resolved = resolveReferences(content, references, options.language, say);
  checkPlaceAndTime(content, options, say);
  if (errors.length > 0 || !resolved) return { write: undefined, errors };
  return { errors: [], write: writeOf(id, content, resolved) };
}

type Say = (field: string, code: string, params?: Record<string, unknown>) => void;

interface ResolvedReferences {
  departmentId: string;
  offerTypeId: string;
  terms: OfferWrite['terms'];
}

/** Codes and ids that must exist: department, terms, provider, areas of the reach. */
function resolveReferences(
  content: OfferContent & { departmentCode: string },
  references: References,
  language: Language,
  say: Say,
): ResolvedReferences | undefined {
  const department = references.departments.get(content.departmentCode);
  if (!department) say('departmentCode', 'unknown_department', { code: content.departmentCode });

  const offerType = references.terms.byCode('offer_type', content.offerType);
  if (!offerType) say('offerType', 'unknown_term', { code: content.offerType, taxonomy: taxonomyName('offer_type', language) });

  const terms: OfferWrite['terms'] = [];
  for (const { field, taxonomy } of termFields) {
    const seen = new Set<string>();
    content[field].forEach((code, index) => {
      const term = references.terms.byCode(taxonomy, code);
      if (!term) say(`${field}.${index}`, 'unknown_term', { code, taxonomy: taxonomyName(taxonomy, language) });
      else if (!seen.has(term.id)) {
        seen.add(term.id);
        terms.push({ taxonomy, termId: term.id });
      }
    });
  }

  if (content.organizationId && !references.organizationIds.has(content.organizationId)) say('organizationId', 'unknown_organization');

  if (content.reach?.kind === 'area') {
    content.reach.areaIds.forEach((areaId, index) => {
      if (!references.areaIds.has(areaId)) say(`reach.areaIds.${index}`, 'unknown_area', { id: areaId });
    });
  }
  return department && offerType ? { departmentId: department.id, offerTypeId: offerType.id, terms } : undefined;
}

/** Points inside the city, opening hours in OpenStreetMap syntax. */
function checkPlaceAndTime(content: OfferContent, options: ContentCheckOptions, say: Say): void {
  const [west, south, east, north] = options.city.bbox;
  content.locations.forEach((location, index) => {
    const [lon, lat] = location.geometry.coordinates;
    if (lon < west || lon > east || lat < south || lat > north) {
      say(`locations.${index}.geometry.coordinates`, 'outside_city', { city: options.city.name, west, east, south, north });
    }
  });

  if (content.openingHours) {
    let problem = options.openingHoursCache?.get(content.openingHours);
    if (problem === undefined) {
      const check = checkOpeningHours(content.openingHours, options.holidays, options.language);
      problem = check.valid ? null : check.detail;
      options.openingHoursCache?.set(content.openingHours, problem);
    }
    if (problem !== null) say('openingHours', 'opening_hours_syntax', { detail: problem });
  }
}

function writeOf(id: string, content: OfferContent, resolved: ResolvedReferences): OfferWrite {
  return {
    id,
    departmentId: resolved.departmentId,
    organizationId: content.organizationId,
    name: content.name,
    alternateName: content.alternateName,
    description: content.description,
    status: content.status,
    offerTypeId: resolved.offerTypeId,
    minAge: content.minAge,
    maxAge: content.maxAge,
    costKind: content.cost?.kind ?? null,
    costText: content.cost?.text ?? null,
    languages: content.languages,
    email: content.email,
    phone: content.phone,
    website: content.website,
    openingHours: content.openingHours,
    openingHoursNote: content.openingHoursNote,
    reachKind: content.reach?.kind ?? null,
    reachMeters: content.reach && content.reach.kind !== 'area' ? content.reach.meters : null,
    capacity: content.capacity?.value ?? null,
    capacityUnit: content.capacity?.unit ?? null,
    source: content.source,
    externalId: content.externalId,
    terms: resolved.terms,
    reachAreaIds: content.reach?.kind === 'area' ? content.reach.areaIds : [],
    locations: content.locations.map((location) => ({
      id: location.id,
      name: location.name,
      street: location.address.street,
      houseNumber: location.address.houseNumber,
      postalCode: location.address.postalCode,
      city: location.address.city,
      accessibilityNote: location.accessibilityNote,
      lon: location.geometry.coordinates[0],
      lat: location.geometry.coordinates[1],
    })),
  };
}

/** Location ids in the input that are neither new nor this offer's own. */
export function foreignLocationErrors(
  parsed: Pick<ParsedContent, 'locations'>,
  existingLocationIds: ReadonlySet<string>,
  language: Language,
): FieldError[] {
  return (parsed.locations ?? []).flatMap((location, index) =>
    location.id && !existingLocationIds.has(location.id)
      ? [{ field: `locations.${index}.id`, code: 'unknown_location', message: fillMessage(offerMessages.unknown_location!, language) }]
      : [],
  );
}
