import { createHash } from 'node:crypto';
import type { StreetSegmentsMapping } from '../datasets/datasets.schema.ts';
import { checkGeometry } from './geometry.ts';
import { streetKey, stripLocalitySuffix } from '../shared/street-key.ts';
import { houseNumberRange, textValue } from './field-values.ts';
import { plausibleFor, type ImportContext, type ImporterResult } from './import-context.ts';
import { ImportRejectedError } from './import-issues.ts';
import { findSourceOfOtherCity } from './imports.repo.ts';
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

// eslint-disable-next-line max-lines-per-function -- TODO(issue 10): split into read, check and write steps
export async function importStreetSegments(
  context: ImportContext,
  mapping: StreetSegmentsMapping,
  collection: SourceFeatureCollection,
): Promise<ImporterResult> {
  const { issues, executor } = context;
  const total = collection.features.length;
  const rows: (StagedStreetSegmentRow & { rawId: string | null; coordinates: GeoJSON.Position[] })[] = [];
  const featuresById = new Map<string, number[]>();

  for (const feature of collection.features) {
    if (feature.index % 2000 === 0) context.progress('validating', feature.index, total);
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
    const ranges = { left: null as { from: number; to: number } | null, right: null as { from: number; to: number } | null };
    if (mapping.houseNumbers) {
      const sides = [
        { side: 'left' as const, from: mapping.houseNumbers.fromLeft, to: mapping.houseNumbers.toLeft },
        { side: 'right' as const, from: mapping.houseNumbers.fromRight, to: mapping.houseNumbers.toRight },
      ];
      for (const { side, from, to } of sides) {
        const range = houseNumberRange(properties[from], properties[to]);
        if (!range.ok) {
          issues.error({ feature: feature.index, field: `${from}/${to}`, code: 'invalid_house_number', message: `${range.reason}.` });
          ok = false;
          continue;
        }
        if (range.note) issues.warning({ feature: feature.index, field: `${from}/${to}`, code: 'house_number_range', message: `${range.note}.` });
        ranges[side] = range.value;
      }
    }
    const checked = checkGeometry(feature.geometry, 'line', context.srid, feature.index, plausibleFor(context));
    if ('issue' in checked) {
      issues.error(checked.issue);
      ok = false;
    }
    if (!ok || !('geometry' in checked)) continue;
    const coordinates = (checked.geometry as GeoJSON.LineString).coordinates;
    const keyName = name === null ? null : mapping.stripLocalitySuffix ? stripLocalitySuffix(name) : name;
    rows.push({
      idx: feature.index,
      external_id: rawId ?? '',
      rawId,
      coordinates,
      street_name: name,
      street_key: keyName === null ? null : streetKey(keyName),
      house_from_left: ranges.left?.from ?? null,
      house_to_left: ranges.left?.to ?? null,
      house_from_right: ranges.right?.from ?? null,
      house_to_right: ranges.right?.to ?? null,
      geometry: JSON.stringify(checked.geometry),
    });
    if (rawId !== null) featuresById.set(rawId, [...(featuresById.get(rawId) ?? []), feature.index]);
  }

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

  if (mapping.duplicateIds === 'disambiguate') {
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

  const staged: StagedStreetSegmentRow[] = rows.map(({ rawId: _rawId, coordinates: _coordinates, ...row }) => row);
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
  return { rowsRead: total, rowsAccepted: staged.length, rowsSkipped: 0, tables: { street_segments: counts } };
}
