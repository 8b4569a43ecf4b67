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

// eslint-disable-next-line max-lines-per-function -- TODO(issue 10): split into read, check and write steps
export async function importOffers(
  context: ImportContext,
  mapping: OffersMapping,
  source: { collection: SourceFeatureCollection } | { table: SourceTable },
): Promise<ImporterResult> {
  const { issues, executor } = context;
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
    const area = await findArea(executor, context.cityId, mapping.onlyInside.level, mapping.onlyInside.code);
    if (!area) {
      issues.error({
        field: 'mapping.onlyInside',
        code: 'area_not_found',
        message: `there is no ${mapping.onlyInside.level} area ${mapping.onlyInside.code} to select the points by: import the areas first.`,
      });
    }
    onlyInsideId = area?.id;
  }
  const records = 'collection' in source ? fromFeatures(source.collection) : fromTable(source.table, mapping, issues);
  if (issues.failed) throw new ImportRejectedError(issues);

  const rows: StagedOfferRow[] = [];
  const firstById = new Map<string, number>();
  const total = records.length;
  const organizationSource = mapping.organization?.source ?? context.source;

  for (const [position, record] of records.entries()) {
    if (position % 1000 === 0) context.progress('validating', position, total);
    const { values, where } = record;
    const at = (field: string) => ({ ...where, field });
    let ok = true;

    const id = mapping.externalId === '@id' ? textValue(record.featureId) : textValue(values[mapping.externalId]);
    const idField = mapping.externalId === '@id' ? 'id' : mapping.externalId;
    if (id === null) {
      issues.error({ ...at(idField), code: 'missing_field', message: 'is missing: every offer needs a stable id so that a new import updates it.' });
      ok = false;
    } else if (id.length > 200) {
      issues.error({ ...at(idField), code: 'too_long', message: 'is longer than 200 characters.' });
      ok = false;
    } else if (firstById.has(id)) {
      const first = firstById.get(id)!;
      issues.error({ ...at(idField), code: 'duplicate_id', message: `the id ${id} is used twice (first ${where.line !== undefined ? 'on line' : 'in feature'} ${first}).` });
      ok = false;
    } else {
      firstById.set(id, record.idx);
    }

    let name = textValue(values[mapping.name]);
    const unnamed = name === null;
    if (name === null && mapping.nameFallback) {
      name = mapping.nameFallback;
      issues.warning({ ...at(mapping.name), code: 'name_fallback', message: `is empty; the offer is called "${mapping.nameFallback}".` });
    }
    if (name === null) {
      issues.error({ ...at(mapping.name), code: 'missing_field', message: 'is missing: every offer needs a name.' });
      ok = false;
    } else if (name.length > 300) {
      issues.error({ ...at(mapping.name), code: 'too_long', message: 'is longer than 300 characters.' });
      ok = false;
    } else {
      const checked = byOfferRule(offerContentShape.name, name);
      if (checked.ok) name = checked.value;
      else {
        issues.error({ ...at(mapping.name), code: 'invalid_value', message: `${checked.reason}.` });
        ok = false;
      }
    }

    let capacity: number | null = null;
    if (mapping.capacity) {
      const raw = textValue(values[mapping.capacity.field]);
      if (raw !== null) {
        const parsed = parseDecimal(raw);
        if (!parsed.ok || parsed.value < 0 || parsed.value >= 1_000_000) {
          issues.error({ ...at(mapping.capacity.field), code: 'invalid_number', message: `"${raw}" is not a capacity (a number from 0 to 999999).` });
          ok = false;
        } else {
          capacity = parsed.value;
        }
      }
    }

    const rawDescription = longReference(values, mapping.description);
    const description =
      rawDescription === null
        ? null
        : (optional(byOfferRule(offerContentShape.description, truncate(rawDescription, 10_000)), () => at(typeof mapping.description === 'string' ? mapping.description : 'description'), issues) ?? null);
    const phone = mapping.phone ? (optional(mendedThenRule(normalizePhone(values[mapping.phone]), offerContentShape.phone), () => at(mapping.phone!), issues) ?? null) : null;
    const website = mapping.website ? (optional(mendedThenRule(normalizeWebsite(values[mapping.website]), offerContentShape.website), () => at(mapping.website!), issues) ?? null) : null;
    let email: string | null = null;
    if (mapping.email) {
      email = optional(byOfferRule(offerContentShape.email, textValue(values[mapping.email])), () => at(mapping.email!), issues) ?? null;
    }

    let street: string | null = null;
    let houseNumber: string | null = null;
    let postalCode: string | null = null;
    let city: string | null = null;
    if (mapping.address) {
      const address = mapping.address;
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
      if (address.postalCode) postalCode = optional(mendedThenRule(normalizePostalCode(values[address.postalCode]), addressSchema.shape.postalCode), () => at(address.postalCode!), issues) ?? null;
      city = reference(values, address.city);
      if (city !== null && city.length > 100) city = truncate(city, 100);
      // The API's address rules (one line each); the lengths are already within them.
      street = addressLine(addressSchema.shape.street, street);
      houseNumber = addressLine(addressSchema.shape.houseNumber, houseNumber);
      city = addressLine(addressSchema.shape.city, city);
    }

    let organizationKey: string | null = null;
    let organizationName: string | null = null;
    let organizationWebsite: string | null = null;
    if (mapping.organization) {
      const organization = mapping.organization;
      organizationName = textValue(values[organization.name]);
      if (organizationName !== null) {
        if (organizationName.length > 300) organizationName = truncate(organizationName, 300);
        const externalKey = organization.externalId ? textValue(values[organization.externalId]) : null;
        organizationKey = externalKey ?? organizationNameKey(organizationName);
        if (organization.website) {
          organizationWebsite = optional(normalizeWebsite(values[organization.website]), () => at(organization.website!), issues);
        }
      }
    }

    const checked = checkGeometry(record.geometry, 'point', context.srid, record.idx, plausibleFor(context));
    if ('issue' in checked) {
      const { feature: _feature, ...issue } = checked.issue;
      issues.error({ ...issue, ...where });
      ok = false;
    }
    if (!ok || !('geometry' in checked)) continue;
    rows.push({
      idx: record.idx,
      external_id: id!,
      name: name!,
      description: description === null ? null : truncate(description, 10_000),
      phone,
      website,
      email,
      capacity,
      capacity_unit: capacity === null ? null : (mapping.capacity?.unit ?? null),
      street,
      house_number: houseNumber,
      postal_code: postalCode,
      city,
      organization_key: organizationKey,
      organization_name: organizationName,
      organization_website: organizationWebsite,
      raw_reason: rawRecordReason({ name: name!, unnamed, street, houseNumber }),
      geometry: JSON.stringify(checked.geometry),
    });
  }
  if (issues.failed) throw new ImportRejectedError(issues);

  await createOfferStage(executor);
  await stageOffers(executor, rows, context.srid, (done) => context.progress('writing', done, rows.length));
  if (context.plausibleBounds) {
    for (const outside of await findStagedOffersOutside(executor, context.plausibleBounds)) {
      issues.error({
        ...('table' in source ? { line: outside.idx } : { feature: outside.idx }),
        field: 'geometry',
        code: 'outside_city',
        message: `lies at ${outside.x.toFixed(5)}, ${outside.y.toFixed(5)}, far outside ${context.cityName ?? 'the city'}: is the CRS (EPSG:${context.srid}) right?`,
      });
    }
  }
  if (issues.failed) throw new ImportRejectedError(issues);

  let rowsSkipped = 0;
  if (onlyInsideId) {
    const outside = new Set(await removeStagedOffersOutsideArea(executor, onlyInsideId));
    rowsSkipped = outside.size;
    const key = (issue: ImportIssue) => issue.feature ?? issue.line;
    issues.dropWarnings((issue) => outside.has(key(issue) ?? -1));
  }
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

  const department = await ensureDepartment(executor, context.cityId, mapping.department);
  const organizations = mapping.organization ? await upsertStagedOrganizations(executor, organizationSource) : undefined;
  const offers = await upsertStagedOffers(
    executor,
    { cityId: context.cityId, source: context.source, departmentId: department.id, offerTypeId: offerTypeId!, organizationSource },
    staged,
  );
  context.progress('linking', 0, staged);
  const terms = await linkStagedOfferTerms(executor, context.source, [...targetGroups.values()]);
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
    rowsRead: total,
    rowsAccepted: staged,
    rowsSkipped,
    tables: {
      ...(department.created ? { departments: { inserted: 1, updated: 0, unchanged: 0 } } : {}),
      ...(organizations ? { organizations } : {}),
      offers,
      offer_terms: { inserted: terms, updated: 0, unchanged: Math.max(0, staged * targetGroups.size - terms) },
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
