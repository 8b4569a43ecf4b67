import type { AreasMapping } from '../datasets/datasets.schema.ts';
import {
  closeSupersededAreas,
  createAreaStage,
  dropAreaStage,
  findInvalidStagedAreas,
  findStagedAreasOutside,
  findStagedOlderThanCurrent,
  findStagedWithoutParent,
  followReplacedParents,
  repairStagedAreas,
  setStagedParent,
  setStagedParentsByCode,
  setStagedParentsByContainment,
  stageAreas,
  upsertGroupAreas,
  upsertStagedAreas,
  upsertUnionArea,
  type StagedAreaRow,
} from './area-import.repo.ts';
import { checkGeometry } from './geometry.ts';
import { textValue } from './field-values.ts';
import { plausibleFor, type ImportContext, type ImporterResult } from './import-context.ts';
import { ImportRejectedError } from './import-issues.ts';
import { countAreasOfLevel } from './imports.repo.ts';
import type { WriteCounts } from './imports.schema.ts';
import type { SourceFeatureCollection } from './source-file.ts';

const areaCodePattern = /^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$/;

function addCounts(total: WriteCounts, more: WriteCounts): WriteCounts {
  return { inserted: total.inserted + more.inserted, updated: total.updated + more.updated, unchanged: total.unchanged + more.unchanged };
}

/** Checks the mapping itself before any row is read. */
export function checkAreasMapping(mapping: AreasMapping): string[] {
  const problems: string[] = [];
  if (mapping.level === 'city' && (mapping.parent || mapping.derive.length > 0)) {
    problems.push('a city-level area file cannot have a parent or derived areas');
  }
  const levels = [mapping.level, ...mapping.derive.map((derived) => derived.level)];
  if (new Set(levels).size !== levels.length) problems.push('each derived area level must differ from the others and from the file\'s level');
  mapping.derive.forEach((derived, index) => {
    if (derived.level === 'city' && index !== mapping.derive.length - 1) problems.push('a derived city must be the last derived level');
  });
  if (mapping.parent && mapping.parent.level === mapping.level) problems.push('the parent level must differ from the file\'s level');
  return problems;
}

// eslint-disable-next-line max-lines-per-function -- TODO(issue 10): split into read, check and write steps
export async function importAreas(context: ImportContext, mapping: AreasMapping, collection: SourceFeatureCollection): Promise<ImporterResult> {
  const { issues, executor } = context;
  const rows: StagedAreaRow[] = [];
  const firstFeatureByCode = new Map<string, number>();
  const groupField = mapping.derive.find((derived) => 'groupBy' in derived);
  const total = collection.features.length;

  for (const feature of collection.features) {
    if (feature.index % 500 === 0) context.progress('validating', feature.index, total);
    const properties = feature.properties;
    let ok = true;
    const code = textValue(properties[mapping.code]);
    if (code === null) {
      issues.error({ feature: feature.index, field: mapping.code, code: 'missing_field', message: 'is missing: every area needs a code.' });
      ok = false;
    } else if (!areaCodePattern.test(code)) {
      issues.error({
        feature: feature.index,
        field: mapping.code,
        code: 'invalid_code',
        message: `"${code}" is not an area code (letters, digits, ".", "_" or "-", at most 40 characters).`,
      });
      ok = false;
    } else if (firstFeatureByCode.has(code)) {
      issues.error({
        feature: feature.index,
        field: mapping.code,
        code: 'duplicate_id',
        message: `the code ${code} is used twice (first in feature ${firstFeatureByCode.get(code)}).`,
      });
      ok = false;
    } else {
      firstFeatureByCode.set(code, feature.index);
    }
    const name = textValue(properties[mapping.name]);
    if (name === null) {
      issues.error({ feature: feature.index, field: mapping.name, code: 'missing_field', message: 'is missing: every area needs a name.' });
      ok = false;
    } else if (name.length > 200) {
      issues.error({ feature: feature.index, field: mapping.name, code: 'too_long', message: 'is longer than 200 characters.' });
      ok = false;
    }
    let parentCode: string | null = null;
    if (mapping.parent?.by === 'codePrefix' && code !== null) {
      if (code.length <= mapping.parent.length) {
        issues.error({
          feature: feature.index,
          field: mapping.code,
          code: 'invalid_code',
          message: `"${code}" is too short to name its parent (the first ${mapping.parent.length} characters are the ${mapping.parent.level} code).`,
        });
        ok = false;
      } else {
        parentCode = code.slice(0, mapping.parent.length);
      }
    } else if (mapping.parent?.by === 'field') {
      parentCode = textValue(properties[mapping.parent.field]);
      if (parentCode === null) {
        issues.error({ feature: feature.index, field: mapping.parent.field, code: 'missing_field', message: `is missing: it names the parent ${mapping.parent.level}.` });
        ok = false;
      }
    }
    let groupKey: string | null = null;
    if (groupField && 'groupBy' in groupField) {
      groupKey = textValue(properties[groupField.groupBy]);
      if (groupKey === null) {
        issues.error({ feature: feature.index, field: groupField.groupBy, code: 'missing_field', message: `is missing: it names the ${groupField.level} the area belongs to.` });
        ok = false;
      } else if (groupField.names[groupKey] === undefined) {
        issues.error({
          feature: feature.index,
          field: groupField.groupBy,
          code: 'unknown_group',
          message: `"${groupKey}" has no ${groupField.level} name in the manifest (mapping.derive.names).`,
        });
        ok = false;
      }
    }
    const checked = checkGeometry(feature.geometry, 'areal', context.srid, feature.index, plausibleFor(context));
    if ('issue' in checked) {
      issues.error(checked.issue);
      ok = false;
    }
    if (ok && 'geometry' in checked) {
      rows.push({ idx: feature.index, code: code!, name: name!, parent_code: parentCode, group_key: groupKey, geometry: JSON.stringify(checked.geometry) });
    }
  }
  if (issues.failed) throw new ImportRejectedError(issues);

  await createAreaStage(executor);
  await stageAreas(executor, rows, context.srid, (done) => context.progress('writing', done, rows.length));

  for (const invalid of await findInvalidStagedAreas(executor)) {
    issues.warning({ feature: invalid.idx, field: 'geometry', code: 'geometry_repaired', message: `invalid polygon repaired with ST_MakeValid (${invalid.reason}).` });
  }
  for (const broken of await repairStagedAreas(executor)) {
    issues.error({ feature: broken.idx, field: 'geometry', code: 'invalid_geometry', message: 'the polygon is invalid and ST_MakeValid leaves no area: fix it in the source.' });
  }
  if (context.plausibleBounds) {
    for (const outside of await findStagedAreasOutside(executor, context.plausibleBounds)) {
      issues.error({
        feature: outside.idx,
        field: 'geometry',
        code: 'outside_city',
        message: `lies at ${outside.x.toFixed(4)}, ${outside.y.toFixed(4)}, far outside ${context.cityName ?? 'the city'}: is the CRS (EPSG:${context.srid}) right?`,
      });
    }
  }
  if (issues.failed) throw new ImportRejectedError(issues);

  let counts: WriteCounts = { inserted: 0, updated: 0, unchanged: 0 };
  // Coarsest derived level first, so that each finer one can name it as parent.
  let derivedParentId: string | null = null;
  let firstDerivedLevel: { level: AreasMapping['level']; grouped: boolean } | undefined;
  for (const derived of [...mapping.derive].reverse()) {
    if ('groupBy' in derived) {
      const groupCounts = await upsertGroupAreas(executor, { cityId: context.cityId, level: derived.level, names: derived.names, source: context.source, parentId: derivedParentId });
      counts = addCounts(counts, groupCounts);
      firstDerivedLevel = { level: derived.level, grouped: true };
      derivedParentId = null;
    } else {
      const union = await upsertUnionArea(executor, { cityId: context.cityId, level: derived.level, code: derived.code, name: derived.name, source: context.source, parentId: derivedParentId });
      counts = addCounts(counts, union.counts);
      firstDerivedLevel = { level: derived.level, grouped: false };
      derivedParentId = union.id;
    }
  }

  if (mapping.parent?.by === 'containment') {
    await setStagedParentsByContainment(executor, context.cityId, mapping.parent.level);
  } else if (mapping.parent) {
    await setStagedParentsByCode(executor, context.cityId, mapping.parent.level, 'parent_code');
  } else if (firstDerivedLevel?.grouped) {
    await setStagedParentsByCode(executor, context.cityId, firstDerivedLevel.level, 'group_key');
  } else if (derivedParentId !== null) {
    await setStagedParent(executor, derivedParentId);
  }
  if (mapping.parent) {
    const parentLevel = mapping.parent.level;
    for (const orphan of await findStagedWithoutParent(executor)) {
      issues.error({
        feature: orphan.idx,
        field: mapping.parent.by === 'codePrefix' ? mapping.code : mapping.parent.by === 'field' ? mapping.parent.field : 'geometry',
        code: 'parent_not_found',
        message:
          mapping.parent.by === 'containment'
            ? `lies in no ${parentLevel} area: import the ${parentLevel} areas first.`
            : `there is no ${parentLevel} area with the code ${orphan.parent_code}: import the ${parentLevel} areas first.`,
      });
    }
    if (issues.failed) throw new ImportRejectedError(issues);
  }

  const validFrom = mapping.validFrom ?? null;
  let closed: { replaced: number; retired: number } | undefined;
  // The first boundaries of a level hold since ever: statistics of earlier years must find them.
  const firstOfLevel = validFrom !== null && (await countAreasOfLevel(executor, context.cityId, mapping.level)) === 0;
  if (validFrom !== null && !firstOfLevel) {
    for (const newer of await findStagedOlderThanCurrent(executor, context.cityId, mapping.level, validFrom)) {
      issues.error({
        feature: newer.idx,
        field: 'validFrom',
        code: 'older_version',
        message: `the ${mapping.level} ${newer.code} already has boundaries valid from ${newer.valid_from}, later than this file's ${validFrom}: import boundary versions in the order of time.`,
      });
    }
    if (issues.failed) throw new ImportRejectedError(issues);
    closed = await closeSupersededAreas(executor, context.cityId, mapping.level, validFrom);
    if (closed.retired > 0) {
      issues.warning({
        field: 'validFrom',
        code: 'areas_retired',
        message: `${closed.retired} ${mapping.level} area(s) are not in this file; their boundaries were closed on ${validFrom} and stay with their statistics as an earlier version.`,
      });
    }
  }
  counts = addCounts(counts, await upsertStagedAreas(executor, context.cityId, mapping.level, context.source, rows.length, firstOfLevel ? null : validFrom));
  if (closed) await followReplacedParents(executor);
  await dropAreaStage(executor);
  return {
    rowsRead: total,
    rowsAccepted: rows.length,
    rowsSkipped: 0,
    // Closed versions are counted as changed rows of their own: they are kept, not replaced.
    tables: { areas: counts, ...(closed ? { areas_closed: { inserted: 0, updated: closed.replaced + closed.retired, unchanged: 0 } } : {}) },
  };
}
