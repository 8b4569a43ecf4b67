import { createHash } from 'node:crypto';
import type { StreetSegmentsMapping } from '../datasets/datasets.schema.ts';
import { checkGeometry } from './geometry.ts';
import { streetKey, stripLocalitySuffix } from '../shared/street-key.ts';
import { houseNumberRange, textValue } from './field-values.ts';
import { plausibleFor, type ImportContext, type ImporterResult } from './import-context.ts';
import { ImportRejectedError } from './import-issues.ts';
import { findSourceOfOtherCity } from './imports.repo.ts';
import type { WriteCounts } from './imports.schema.ts';
import type { SourceFeatureCollection } from './source-file.ts';
import {
  assignStagedSegmentAreas,
  createStreetSegmentStage,
  dropStreetSegmentStage,
  findInvalidStagedSegments,
  findStagedSegmentsOutside,
  stageStreetSegments,
  upsertStagedSegments,
  type StagedStreetSegmentRow,
} from './street-segment-import.repo.ts';

/** A stable id for a segment whose published id repeats or is missing: the id plus a hash of its line. */
export function disambiguatedId(id: string | null, coordinates: readonly GeoJSON.Position[]): string {
  const hash = createHash('sha256').update(JSON.stringify(coordinates)).digest('hex').slice(0, 10);
  return `${id ?? 'ohne-nummer'}~${hash}`;
}

type ReadSegment = StagedStreetSegmentRow & { rawId: string | null; coordinates: GeoJSON.Position[] };
type HouseNumberRange = { from: number; to: number } | null;
type SourceFeature = SourceFeatureCollection['features'][number];

/** The segment's id and street name, or undefined after reporting why the feature cannot be kept. */
function readSegmentNames(context: ImportContext, mapping: StreetSegmentsMapping, feature: SourceFeature): { rawId: string | null; name: string | null } | undefined {
  const { issues } = context;
  const properties = feature.properties;
  let ok = true;
  const rawId = textValue(properties[mapping.externalId]);
  if (rawId === null && mapping.duplicateIds === 'error') {
    issues.error({ feature: feature.index, field: mapping.externalId, code: 'missing_field', message: 'is missing: every segment needs an id.' });
    ok = false;
  } else if (rawId !== null && rawId.length > 60) {
    issues.error({ feature: feature.index, field: mapping.externalId, code: 'too_long', message: 'is longer than 60 characters.' });
    ok = false;
  }
  const name = textValue(properties[mapping.streetName]);
  if (name === null && mapping.unnamedSegments === 'error') {
    issues.error({ feature: feature.index, field: mapping.streetName, code: 'missing_field', message: 'is missing: every segment needs a street name.' });
    ok = false;
  } else if (name === null) {
    issues.warning({ feature: feature.index, field: mapping.streetName, code: 'unnamed_segment', message: 'has no street name; kept for the walking network, not geocodable.' });
  } else if (name.length > 200) {
    issues.error({ feature: feature.index, field: mapping.streetName, code: 'too_long', message: 'is longer than 200 characters.' });
    ok = false;
  }
  return ok ? { rawId, name } : undefined;
}

/** The house number ranges on either side, or undefined after reporting an unreadable one. */
function readHouseNumbers(context: ImportContext, mapping: StreetSegmentsMapping, feature: SourceFeature): { left: HouseNumberRange; right: HouseNumberRange } | undefined {
  const ranges = { left: null as HouseNumberRange, right: null as HouseNumberRange };
  if (!mapping.houseNumbers) return ranges;
  const sides = [
    { side: 'left' as const, from: mapping.houseNumbers.fromLeft, to: mapping.houseNumbers.toLeft },
    { side: 'right' as const, from: mapping.houseNumbers.fromRight, to: mapping.houseNumbers.toRight },
  ];
  let ok = true;
  for (const { side, from, to } of sides) {
    const range = houseNumberRange(feature.properties[from], feature.properties[to]);
    if (!range.ok) {
      context.issues.error({ feature: feature.index, field: `${from}/${to}`, code: 'invalid_house_number', message: `${range.reason}.` });
      ok = false;
      continue;
    }
    if (range.note) context.issues.warning({ feature: feature.index, field: `${from}/${to}`, code: 'house_number_range', message: `${range.note}.` });
    ranges[side] = range.value;
  }
  return ok ? ranges : undefined;
}

/** One feature as a staged segment, or undefined after reporting its problems. */
function readSegment(context: ImportContext, mapping: StreetSegmentsMapping, feature: SourceFeature): ReadSegment | undefined {
  const names = readSegmentNames(context, mapping, feature);
  const ranges = readHouseNumbers(context, mapping, feature);
  const checked = checkGeometry(feature.geometry, 'line', context.srid, feature.index, plausibleFor(context));
  if ('issue' in checked) context.issues.error(checked.issue);
  if (!names || !ranges || !('geometry' in checked)) return undefined;
  const { rawId, name } = names;
  const keyName = name === null ? null : mapping.stripLocalitySuffix ? stripLocalitySuffix(name) : name;
  return {
    idx: feature.index,
    external_id: rawId ?? '',
    rawId,
    coordinates: (checked.geometry as GeoJSON.LineString).coordinates,
    street_name: name,
    street_key: keyName === null ? null : streetKey(keyName),
    house_from_left: ranges.left?.from ?? null,
    house_to_left: ranges.left?.to ?? null,
    house_from_right: ranges.right?.from ?? null,
    house_to_right: ranges.right?.to ?? null,
    geometry: JSON.stringify(checked.geometry),
  };
}

/** Reads every feature; the features of each published id, to find the repeated ones. */
function readSegments(context: ImportContext, mapping: StreetSegmentsMapping, collection: SourceFeatureCollection): { rows: ReadSegment[]; featuresById: Map<string, number[]> } {
  const rows: ReadSegment[] = [];
  const featuresById = new Map<string, number[]>();
  for (const feature of collection.features) {
    if (feature.index % 2000 === 0) context.progress('validating', feature.index, collection.features.length);
    const row = readSegment(context, mapping, feature);
    if (!row) continue;
    rows.push(row);
    if (row.rawId !== null) featuresById.set(row.rawId, [...(featuresById.get(row.rawId) ?? []), feature.index]);
  }
  return { rows, featuresById };
}

/** Repeated ids: errors, or (with `duplicateIds: "disambiguate"`) a warning and ids made unique by a hash of the line. */
function checkSegmentIds(context: ImportContext, mapping: StreetSegmentsMapping, rows: ReadSegment[], featuresById: Map<string, number[]>): void {
  const { issues } = context;
  for (const [id, features] of featuresById) {
    if (features.length < 2) continue;
    if (mapping.duplicateIds === 'error') {
      for (const index of features.slice(1)) {
        issues.error({ feature: index, field: mapping.externalId, code: 'duplicate_id', message: `the id ${id} is used twice (first in feature ${features[0]}).` });
      }
    } else {
      issues.warning({
        feature: features[0]!,
        field: mapping.externalId,
        code: 'duplicate_id',
        message: `the id ${id} is used by features ${features.join(', ')}; each gets the id plus a hash of its line.`,
      });
    }
  }
  if (issues.failed) throw new ImportRejectedError(issues);
  if (mapping.duplicateIds !== 'disambiguate') return;
  const seen = new Set<string>();
  for (const row of rows) {
    const repeated = row.rawId === null || (featuresById.get(row.rawId)?.length ?? 0) > 1;
    if (row.rawId === null) {
      issues.warning({ feature: row.idx, field: mapping.externalId, code: 'missing_id', message: 'is missing; the segment is identified by a hash of its line.' });
    }
    row.external_id = repeated ? disambiguatedId(row.rawId, row.coordinates) : row.rawId!;
    if (seen.has(row.external_id)) {
      issues.error({ feature: row.idx, field: mapping.externalId, code: 'duplicate_id', message: 'repeats another segment exactly (same id and same line).' });
    }
    seen.add(row.external_id);
  }
  if (issues.failed) throw new ImportRejectedError(issues);
}

/** Stages the segments and lets PostGIS check their lines and position. */
async function stageSegments(context: ImportContext, staged: StagedStreetSegmentRow[]): Promise<void> {
  const { issues, executor } = context;
  await createStreetSegmentStage(executor);
  await stageStreetSegments(executor, staged, context.srid, (done) => context.progress('writing', done, staged.length));
  for (const invalid of await findInvalidStagedSegments(executor)) {
    issues.error({ feature: invalid.idx, field: 'geometry', code: 'invalid_geometry', message: `the line is not valid (${invalid.reason}).` });
  }
  if (context.plausibleBounds) {
    for (const outside of await findStagedSegmentsOutside(executor, context.plausibleBounds)) {
      issues.error({
        feature: outside.idx,
        field: 'geometry',
        code: 'outside_city',
        message: `starts at ${outside.x.toFixed(4)}, ${outside.y.toFixed(4)}, far outside ${context.cityName ?? 'the city'}: is the CRS (EPSG:${context.srid}) right?`,
      });
    }
  }
  if (issues.failed) throw new ImportRejectedError(issues);
}

/** Links the staged segments to their areas and writes them. */
async function writeSegments(context: ImportContext, mapping: StreetSegmentsMapping, staged: StagedStreetSegmentRow[]): Promise<WriteCounts> {
  const { issues, executor } = context;
  const otherCity = await findSourceOfOtherCity(executor, 'street_segments', context.cityId, context.source);
  if (otherCity) {
    issues.error({
      field: 'source',
      code: 'source_of_other_city',
      message: `the source "${context.source}" already holds street segments of the city "${otherCity}"; give the dataset another id (or "source") in its manifest.`,
    });
    throw new ImportRejectedError(issues);
  }
  context.progress('linking', 0, staged.length);
  const withoutArea = await assignStagedSegmentAreas(executor, context.cityId, mapping.areaLevel);
  if (withoutArea > 0) {
    issues.warning({
      code: 'no_area',
      message: `${withoutArea} segment(s) have their midpoint in no ${mapping.areaLevel} area (outside the imported areas); their area stays empty.`,
    });
  }
  const counts = await upsertStagedSegments(executor, context.cityId, context.source, staged.length);
  await dropStreetSegmentStage(executor);
  return counts;
}

/** Imports street segments: read the features, check their ids, stage and check in PostGIS, write. */
export async function importStreetSegments(
  context: ImportContext,
  mapping: StreetSegmentsMapping,
  collection: SourceFeatureCollection,
): Promise<ImporterResult> {
  const { rows, featuresById } = readSegments(context, mapping, collection);
  checkSegmentIds(context, mapping, rows, featuresById);
  const staged: StagedStreetSegmentRow[] = rows.map(({ rawId: _rawId, coordinates: _coordinates, ...row }) => row);
  await stageSegments(context, staged);
  const counts = await writeSegments(context, mapping, staged);
  return { rowsRead: collection.features.length, rowsAccepted: staged.length, rowsSkipped: 0, tables: { street_segments: counts } };
}
