import { createAuditService } from '../audit/audit.service.ts';
import { recordImportedOfferVersions } from '../offers/offers.service.ts';
import type { z } from 'zod';
import type { FieldReference, OffersMapping } from '../datasets/datasets.schema.ts';
import { addressSchema, offerContentShape } from '../offers/offers.schema.ts';
import { checkGeometry } from './geometry.ts';
import {
  normalizePhone,
  normalizePostalCode,
  normalizeWebsite,
  organizationNameKey,
  parseDecimal,
  splitStreetAndNumber,
  textValue,
  truncate,
  type Parsed,
} from './field-values.ts';
import { plausibleFor, type ImportContext, type ImporterResult } from './import-context.ts';
import { ImportRejectedError } from './import-issues.ts';
import { ensureDepartment, findArea, findSourceOfOtherCity } from './imports.repo.ts';
import type { ImportIssue } from './imports.schema.ts';
import {
  assignStagedLocationAreas,
  countStagedOffers,
  createOfferStage,
  dropOfferStage,
  findStagedOffersOutside,
  linkStagedOfferLocations,
  linkStagedOfferTerms,
  removeStagedOffersOutsideArea,
  stageOffers,
  upsertStagedLocations,
  upsertStagedOffers,
  findOffersChangedInTransaction,
  upsertStagedOrganizations,
  type StagedOfferRow,
} from './offer-import.repo.ts';
import type { SourceFeatureCollection, SourceTable } from './source-file.ts';

/**
 * A value under the API's rule for the field (offers.schema.ts, which offers.content.ts builds on):
 * an offer from a city-data import is stored as the API would store it (issue 10). The importer's
 * own helpers (field-values.ts) only mend publishers' slips before this rule applies.
 */
function byOfferRule<T>(schema: z.ZodType<T>, value: unknown): Parsed<T> {
  const result = schema.safeParse(value);
  if (result.success) return { ok: true, value: result.data };
  const issue = result.error.issues[0];
  return { ok: false, reason: `"${String(value)}" ${issue?.message ?? 'is not valid'}` };
}

/** Free text as the API keeps it: trimmed, line breaks kept (textValue would flatten them). */
function longText(value: unknown): string | null {
  if (typeof value !== 'string') return textValue(value);
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
}

function longReference(values: Record<string, unknown>, ref: FieldReference | undefined): string | null {
  if (ref === undefined) return null;
  return typeof ref === 'string' ? longText(values[ref]) : ref.value;
}

/** An address line under the API's rule; the importer has shortened it to the allowed length already. */
function addressLine(schema: z.ZodType<string | null | undefined>, value: string | null): string | null {
  const checked = byOfferRule(schema, value);
  return checked.ok ? (checked.value ?? null) : value;
}

/** Mended by the importer, then checked by the API's rule; an unreadable optional value is dropped with a warning. */
function mendedThenRule<T>(mended: Parsed<unknown>, schema: z.ZodType<T>): Parsed<T> {
  if (!mended.ok) return mended;
  const checked = byOfferRule(schema, mended.value);
  return checked.ok && mended.note ? { ...checked, note: mended.note } : checked;
}

/** One source record, whether a GeoJSON feature or a CSV row. */
interface OfferRecord {
  where: Pick<ImportIssue, 'line' | 'feature'>;
  idx: number;
  featureId: string | number | undefined;
  values: Record<string, unknown>;
  geometry: unknown;
}

function fromFeatures(collection: SourceFeatureCollection): OfferRecord[] {
  return collection.features.map((feature) => ({
    where: { feature: feature.index },
    idx: feature.index,
    featureId: feature.id,
    values: feature.properties,
    geometry: feature.geometry,
  }));
}

function fromTable(table: SourceTable, mapping: OffersMapping, issues: ImportContext['issues']): OfferRecord[] {
  const coordinates = mapping.coordinates;
  if (!coordinates) {
    issues.error({ field: 'mapping.coordinates', code: 'invalid_mapping', message: 'a CSV file of offers needs "coordinates": { "x": column, "y": column } in the mapping.' });
    return [];
  }
  for (const column of [coordinates.x, coordinates.y]) {
    if (!table.columns.includes(column)) issues.error({ line: 1, field: column, code: 'missing_field', message: `the column "${column}" is missing from the header.` });
  }
  return table.rows.map((row) => {
    const x = parseDecimal(row.values[coordinates.x]);
    const y = parseDecimal(row.values[coordinates.y]);
    // A row with unreadable coordinates gets a geometry the geometry check refuses with a clear reason.
    const geometry = x.ok && y.ok ? { type: 'Point', coordinates: [x.value, y.value] } : { type: 'Point', coordinates: [row.values[coordinates.x], row.values[coordinates.y]] };
    return { where: { line: row.line }, idx: row.line, featureId: undefined, values: row.values, geometry };
  });
}

function reference(values: Record<string, unknown>, ref: FieldReference | undefined): string | null {
  if (ref === undefined) return null;
  return typeof ref === 'string' ? textValue(values[ref]) : ref.value;
}

/** Optional contact fields that cannot be read are left out with a warning rather than failing the file. */
function optional<T>(parsed: Parsed<T | null>, issue: () => Omit<ImportIssue, 'message' | 'code'>, issues: ImportContext['issues']): T | null {
  if (!parsed.ok) {
    issues.warning({ ...issue(), code: 'value_dropped', message: `${parsed.reason}; left empty.` });
    return null;
  }
  if (parsed.note) issues.warning({ ...issue(), code: 'value_mended', message: `${parsed.note}.` });
  return parsed.value;
}

/** What the mapping names besides columns: the offer type, target groups and the area to select by. */
interface OfferMappingTerms {
  offerTypeId: string | undefined;
  targetGroups: Map<string, string>;
  onlyInsideId: string | undefined;
}

/** Resolves the mapping's codes (taxonomy terms, the area to select by); unknown ones are errors of the manifest. */
async function resolveOfferMapping(context: ImportContext, mapping: OffersMapping): Promise<OfferMappingTerms> {
  const { issues } = context;
  const offerTypeId = context.terms.byCode('offer_type', mapping.offerType)?.id;
  if (!offerTypeId) {
    issues.error({ field: 'mapping.offerType', code: 'unknown_term', message: `"${mapping.offerType}" is not an offer type code (see geodata/taxonomies.json).` });
  }
  const targetGroups = new Map<string, string>();
  for (const code of mapping.targetGroups) {
    const term = context.terms.byCode('target_group', code);
    if (term) targetGroups.set(code, term.id);
    else {
      issues.error({ field: 'mapping.targetGroups', code: 'unknown_term', message: `"${code}" is not a target group code (see geodata/taxonomies.json).` });
    }
  }
  let onlyInsideId: string | undefined;
  if (mapping.onlyInside) {
    const area = await findArea(context.executor, context.cityId, mapping.onlyInside.level, mapping.onlyInside.code);
    if (!area) {
      issues.error({
        field: 'mapping.onlyInside',
        code: 'area_not_found',
        message: `there is no ${mapping.onlyInside.level} area ${mapping.onlyInside.code} to select the points by: import the areas first.`,
      });
    }
    onlyInsideId = area?.id;
  }
  return { offerTypeId, targetGroups, onlyInsideId };
}

/** One record being read: where its problems are reported. */
interface RecordReading {
  context: ImportContext;
  mapping: OffersMapping;
  record: OfferRecord;
  at(field: string): Pick<ImportIssue, 'line' | 'feature' | 'field'>;
}

function readingOf(context: ImportContext, mapping: OffersMapping, record: OfferRecord): RecordReading {
  return { context, mapping, record, at: (field) => ({ ...record.where, field }) };
}

/** The record's stable id, or null after reporting a missing, too long or repeated one. */
function readOfferId({ context, mapping, record, at }: RecordReading, firstById: Map<string, number>): string | null {
  const { issues } = context;
  const id = mapping.externalId === '@id' ? textValue(record.featureId) : textValue(record.values[mapping.externalId]);
  const idField = mapping.externalId === '@id' ? 'id' : mapping.externalId;
  if (id === null) {
    issues.error({ ...at(idField), code: 'missing_field', message: 'is missing: every offer needs a stable id so that a new import updates it.' });
    return null;
  }
  if (id.length > 200) {
    issues.error({ ...at(idField), code: 'too_long', message: 'is longer than 200 characters.' });
    return null;
  }
  const first = firstById.get(id);
  if (first !== undefined) {
    issues.error({ ...at(idField), code: 'duplicate_id', message: `the id ${id} is used twice (first ${record.where.line !== undefined ? 'on line' : 'in feature'} ${first}).` });
    return null;
  }
  firstById.set(id, record.idx);
  return id;
}

/** The offer's name under the API's rule (the manifest's fallback for an empty one), or null after reporting why not. */
function readOfferName({ context, mapping, record, at }: RecordReading): { name: string | null; unnamed: boolean } {
  const { issues } = context;
  let name = textValue(record.values[mapping.name]);
  const unnamed = name === null;
  if (name === null && mapping.nameFallback) {
    name = mapping.nameFallback;
    issues.warning({ ...at(mapping.name), code: 'name_fallback', message: `is empty; the offer is called "${mapping.nameFallback}".` });
  }
  if (name === null) {
    issues.error({ ...at(mapping.name), code: 'missing_field', message: 'is missing: every offer needs a name.' });
    return { name: null, unnamed };
  }
  if (name.length > 300) {
    issues.error({ ...at(mapping.name), code: 'too_long', message: 'is longer than 300 characters.' });
    return { name: null, unnamed };
  }
  const checked = byOfferRule(offerContentShape.name, name);
  if (!checked.ok) {
    issues.error({ ...at(mapping.name), code: 'invalid_value', message: `${checked.reason}.` });
    return { name: null, unnamed };
  }
  return { name: checked.value, unnamed };
}

/** The capacity (null when not mapped or empty); `ok: false` after reporting an unreadable one. */
function readCapacity({ context, mapping, record, at }: RecordReading): { ok: boolean; capacity: number | null } {
  if (!mapping.capacity) return { ok: true, capacity: null };
  const raw = textValue(record.values[mapping.capacity.field]);
  if (raw === null) return { ok: true, capacity: null };
  const parsed = parseDecimal(raw);
  if (!parsed.ok || parsed.value < 0 || parsed.value >= 1_000_000) {
    context.issues.error({ ...at(mapping.capacity.field), code: 'invalid_number', message: `"${raw}" is not a capacity (a number from 0 to 999999).` });
    return { ok: false, capacity: null };
  }
  return { ok: true, capacity: parsed.value };
}

/** Description, phone, website and e-mail: optional, so an unreadable one is left out with a warning. */
function readContact({ context, mapping, record, at }: RecordReading): Pick<StagedOfferRow, 'description' | 'phone' | 'website' | 'email'> {
  const { issues } = context;
  const values = record.values;
  const rawDescription = longReference(values, mapping.description);
  const description =
    rawDescription === null
      ? null
      : (optional(byOfferRule(offerContentShape.description, truncate(rawDescription, 10_000)), () => at(typeof mapping.description === 'string' ? mapping.description : 'description'), issues) ?? null);
  const phone = mapping.phone ? (optional(mendedThenRule(normalizePhone(values[mapping.phone]), offerContentShape.phone), () => at(mapping.phone!), issues) ?? null) : null;
  const website = mapping.website ? (optional(mendedThenRule(normalizeWebsite(values[mapping.website]), offerContentShape.website), () => at(mapping.website!), issues) ?? null) : null;
  const email = mapping.email ? (optional(byOfferRule(offerContentShape.email, textValue(values[mapping.email])), () => at(mapping.email!), issues) ?? null) : null;
  return { description: description === null ? null : truncate(description, 10_000), phone, website, email };
}

type OfferAddress = Pick<StagedOfferRow, 'street' | 'house_number' | 'postal_code' | 'city'>;

/** The address under the API's rules: too long parts are shortened or left out with a warning. */
function readAddress({ context, mapping, record, at }: RecordReading): OfferAddress {
  const { issues } = context;
  const values = record.values;
  const address = mapping.address;
  if (!address) return { street: null, house_number: null, postal_code: null, city: null };
  let street: string | null = null;
  let houseNumber: string | null = null;
  if (address.streetWithNumber) {
    ({ street, houseNumber } = splitStreetAndNumber(values[address.streetWithNumber]));
  }
  if (address.street) street = textValue(values[address.street]);
  if (address.houseNumber) houseNumber = textValue(values[address.houseNumber]);
  if (street !== null && street.length > 200) {
    issues.warning({ ...at(address.street ?? address.streetWithNumber ?? 'street'), code: 'value_shortened', message: 'is longer than 200 characters; shortened.' });
    street = truncate(street, 200);
  }
  if (houseNumber !== null && houseNumber.length > 20) {
    issues.warning({ ...at(address.houseNumber ?? address.streetWithNumber ?? 'houseNumber'), code: 'value_dropped', message: `"${houseNumber}" is longer than 20 characters; left empty.` });
    houseNumber = null;
  }
  const postalCode = address.postalCode
    ? (optional(mendedThenRule(normalizePostalCode(values[address.postalCode]), addressSchema.shape.postalCode), () => at(address.postalCode!), issues) ?? null)
    : null;
  let city = reference(values, address.city);
  if (city !== null && city.length > 100) city = truncate(city, 100);
  // The API's address rules (one line each); the lengths are already within them.
  return {
    street: addressLine(addressSchema.shape.street, street),
    house_number: addressLine(addressSchema.shape.houseNumber, houseNumber),
    postal_code: postalCode,
    city: addressLine(addressSchema.shape.city, city),
  };
}

type OfferOrganization = Pick<StagedOfferRow, 'organization_key' | 'organization_name' | 'organization_website'>;

/** The providing organization, keyed by its external id or else its name. */
function readOrganization({ context, mapping, record, at }: RecordReading): OfferOrganization {
  const organization = mapping.organization;
  const none = { organization_key: null, organization_name: null, organization_website: null };
  if (!organization) return none;
  let name = textValue(record.values[organization.name]);
  if (name === null) return none;
  if (name.length > 300) name = truncate(name, 300);
  const externalKey = organization.externalId ? textValue(record.values[organization.externalId]) : null;
  const website = organization.website ? optional(normalizeWebsite(record.values[organization.website]), () => at(organization.website!), context.issues) : null;
  return { organization_key: externalKey ?? organizationNameKey(name), organization_name: name, organization_website: website };
}

/** One record as a staged offer, or undefined after reporting its problems. */
function readOffer(reading: RecordReading, firstById: Map<string, number>): StagedOfferRow | undefined {
  const { context, mapping, record } = reading;
  const id = readOfferId(reading, firstById);
  const { name, unnamed } = readOfferName(reading);
  const capacity = readCapacity(reading);
  const contact = readContact(reading);
  const address = readAddress(reading);
  const organization = readOrganization(reading);
  const checked = checkGeometry(record.geometry, 'point', context.srid, record.idx, plausibleFor(context));
  if ('issue' in checked) {
    const { feature: _feature, ...issue } = checked.issue;
    context.issues.error({ ...issue, ...record.where });
  }
  if (id === null || name === null || !capacity.ok || !('geometry' in checked)) return undefined;
  return {
    idx: record.idx,
    external_id: id,
    name,
    ...contact,
    capacity: capacity.capacity,
    capacity_unit: capacity.capacity === null ? null : (mapping.capacity?.unit ?? null),
    ...address,
    ...organization,
    raw_reason: rawRecordReason({ name, unnamed, street: address.street, houseNumber: address.house_number }),
    geometry: JSON.stringify(checked.geometry),
  };
}

/** Reads and checks every record into staged offers; any error rejects the file. */
function readOffers(context: ImportContext, mapping: OffersMapping, records: OfferRecord[]): StagedOfferRow[] {
  const rows: StagedOfferRow[] = [];
  const firstById = new Map<string, number>();
  for (const [position, record] of records.entries()) {
    if (position % 1000 === 0) context.progress('validating', position, records.length);
    const row = readOffer(readingOf(context, mapping, record), firstById);
    if (row) rows.push(row);
  }
  if (context.issues.failed) throw new ImportRejectedError(context.issues);
  return rows;
}

/**
 * Stages the offers and checks their position in PostGIS; with `onlyInside`, leaves out those
 * outside the area (and the warnings about them). Returns how many were left out.
 */
async function stageOffersChecked(context: ImportContext, rows: StagedOfferRow[], fromTable: boolean, onlyInsideId: string | undefined): Promise<number> {
  const { issues, executor } = context;
  await createOfferStage(executor);
  await stageOffers(executor, rows, context.srid, (done) => context.progress('writing', done, rows.length));
  if (context.plausibleBounds) {
    for (const outside of await findStagedOffersOutside(executor, context.plausibleBounds)) {
      issues.error({
        ...(fromTable ? { line: outside.idx } : { feature: outside.idx }),
        field: 'geometry',
        code: 'outside_city',
        message: `lies at ${outside.x.toFixed(5)}, ${outside.y.toFixed(5)}, far outside ${context.cityName ?? 'the city'}: is the CRS (EPSG:${context.srid}) right?`,
      });
    }
  }
  if (issues.failed) throw new ImportRejectedError(issues);
  if (!onlyInsideId) return 0;
  const outside = new Set(await removeStagedOffersOutsideArea(executor, onlyInsideId));
  const key = (issue: ImportIssue) => issue.feature ?? issue.line;
  issues.dropWarnings((issue) => outside.has(key(issue) ?? -1));
  return outside.size;
}

/** Writes the staged offers with their department, organizations, terms, locations and areas, and records their versions. */
async function writeOffers(context: ImportContext, mapping: OffersMapping, terms: OfferMappingTerms): Promise<{ staged: number; tables: ImporterResult['tables'] }> {
  const { issues, executor } = context;
  const staged = await countStagedOffers(executor);
  const otherCity = await findSourceOfOtherCity(executor, 'offers', context.cityId, context.source);
  if (otherCity) {
    issues.error({
      field: 'source',
      code: 'source_of_other_city',
      message: `the source "${context.source}" already holds offers of the city "${otherCity}"; give the dataset another id (or "source") in its manifest.`,
    });
    throw new ImportRejectedError(issues);
  }
  const organizationSource = mapping.organization?.source ?? context.source;
  const department = await ensureDepartment(executor, context.cityId, mapping.department);
  const organizations = mapping.organization ? await upsertStagedOrganizations(executor, organizationSource) : undefined;
  const offers = await upsertStagedOffers(
    executor,
    { cityId: context.cityId, source: context.source, departmentId: department.id, offerTypeId: terms.offerTypeId!, organizationSource },
    staged,
  );
  context.progress('linking', 0, staged);
  const offerTerms = await linkStagedOfferTerms(executor, context.source, [...terms.targetGroups.values()]);
  const locations = await upsertStagedLocations(executor, context.source, staged);
  const offerLocations = await linkStagedOfferLocations(executor, context.source);
  const areaLinks = await assignStagedLocationAreas(executor, context.cityId, context.source);
  if (areaLinks.withoutArea > 0) {
    issues.warning({ code: 'no_area', message: `${areaLinks.withoutArea} location(s) lie in no imported area.` });
  }
  await dropOfferStage(executor);
  const changed = await findOffersChangedInTransaction(executor, context.source);
  await recordImportedOfferVersions(executor, createAuditService({ db: executor }), changed, { id: null, label: `import ${context.datasetId}` }, {
    dataset: context.datasetId,
    file: context.fileName,
  });
  context.progress('linking', staged, staged);
  return {
    staged,
    tables: {
      ...(department.created ? { departments: { inserted: 1, updated: 0, unchanged: 0 } } : {}),
      ...(organizations ? { organizations } : {}),
      offers,
      offer_terms: { inserted: offerTerms, updated: 0, unchanged: Math.max(0, staged * terms.targetGroups.size - offerTerms) },
      locations,
      offer_locations: { inserted: offerLocations, updated: 0, unchanged: Math.max(0, staged - offerLocations) },
      location_areas: {
        inserted: areaLinks.added,
        updated: 0,
        unchanged: Math.max(0, areaLinks.total - areaLinks.added),
        deleted: areaLinks.removed,
      },
    },
  };
}

/** Imports offers from GeoJSON features or CSV rows: resolve the mapping, read the records, stage and check them, write. */
export async function importOffers(
  context: ImportContext,
  mapping: OffersMapping,
  source: { collection: SourceFeatureCollection } | { table: SourceTable },
): Promise<ImporterResult> {
  const terms = await resolveOfferMapping(context, mapping);
  const records = 'collection' in source ? fromFeatures(source.collection) : fromTable(source.table, mapping, context.issues);
  if (context.issues.failed) throw new ImportRejectedError(context.issues);
  const rows = readOffers(context, mapping, records);
  const rowsSkipped = await stageOffersChecked(context, rows, 'table' in source, terms.onlyInsideId);
  const { staged, tables } = await writeOffers(context, mapping, terms);
  return { rowsRead: records.length, rowsAccepted: staged, rowsSkipped, tables };
}

/**
 * Why an imported record is not fit to show citizens as it is: no name in the source (the
 * manifest's fallback stands in), a name that does not start with a letter or digit ("- Apotheke"),
 * or a name that is only its street address. Such records stay published for staff and planners;
 * the citizens' search leaves them out until a department edits (adopts) them.
 */
export function rawRecordReason(record: { name: string; unnamed: boolean; street: string | null; houseNumber: string | null }): 'unnamed' | 'raw_name' | 'name_is_address' | null {
  if (record.unnamed) return 'unnamed';
  const name = record.name.trim();
  if (!/^[\p{L}\p{N}]/u.test(name)) return 'raw_name';
  const key = (text: string) => text.toLocaleLowerCase('de').replace(/str\.|strasse/g, 'straße').replace(/[^\p{L}\p{N}]/gu, '');
  if (record.street) {
    const address = key([record.street, record.houseNumber].filter(Boolean).join(' '));
    if (key(name) === address || key(name) === key(record.street)) return 'name_is_address';
  }
  return null;
}
