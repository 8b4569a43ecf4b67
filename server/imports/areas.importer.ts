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

type SourceFeature = SourceFeatureCollection['features'][number];
type GroupDerivation = Extract<AreasMapping['derive'][number], { groupBy: string }>;

/** The area's code, or null after reporting a missing, malformed or repeated one. */
function readAreaCode(context: ImportContext, mapping: AreasMapping, feature: SourceFeature, firstFeatureByCode: Map<string, number>): string | null {
  const { issues } = context;
  const code = textValue(feature.properties[mapping.code]);
  if (code === null) {
    issues.error({ feature: feature.index, field: mapping.code, code: 'missing_field', message: 'is missing: every area needs a code.' });
    return null;
  }
  if (!areaCodePattern.test(code)) {
    issues.error({
      feature: feature.index,
      field: mapping.code,
      code: 'invalid_code',
      message: `"${code}" is not an area code (letters, digits, ".", "_" or "-", at most 40 characters).`,
    });
    return null;
  }
  if (firstFeatureByCode.has(code)) {
    issues.error({
      feature: feature.index,
      field: mapping.code,
      code: 'duplicate_id',
      message: `the code ${code} is used twice (first in feature ${firstFeatureByCode.get(code)}).`,
    });
    return null;
  }
  firstFeatureByCode.set(code, feature.index);
  return code;
}

/** The area's name, or null after reporting a missing or too long one. */
function readAreaName(context: ImportContext, mapping: AreasMapping, feature: SourceFeature): string | null {
  const name = textValue(feature.properties[mapping.name]);
  if (name === null) {
    context.issues.error({ feature: feature.index, field: mapping.name, code: 'missing_field', message: 'is missing: every area needs a name.' });
    return null;
  }
  if (name.length > 200) {
    context.issues.error({ feature: feature.index, field: mapping.name, code: 'too_long', message: 'is longer than 200 characters.' });
    return null;
  }
  return name;
}

/**
 * The parent's code as the mapping reads it (a prefix of the code, or a field; null for
 * containment or no parent); `ok: false` after reporting why it cannot be read. The raw code is
 * passed even when it failed its own checks, as before: a prefix is still taken from it.
 */
function readParentCode(context: ImportContext, mapping: AreasMapping, feature: SourceFeature, rawCode: string | null): { ok: boolean; parentCode: string | null } {
  const parent = mapping.parent;
  if (parent?.by === 'codePrefix' && rawCode !== null) {
    if (rawCode.length <= parent.length) {
      context.issues.error({
        feature: feature.index,
        field: mapping.code,
        code: 'invalid_code',
        message: `"${rawCode}" is too short to name its parent (the first ${parent.length} characters are the ${parent.level} code).`,
      });
      return { ok: false, parentCode: null };
    }
    return { ok: true, parentCode: rawCode.slice(0, parent.length) };
  }
  if (parent?.by === 'field') {
    const parentCode = textValue(feature.properties[parent.field]);
    if (parentCode === null) {
      context.issues.error({ feature: feature.index, field: parent.field, code: 'missing_field', message: `is missing: it names the parent ${parent.level}.` });
      return { ok: false, parentCode: null };
    }
    return { ok: true, parentCode };
  }
  return { ok: true, parentCode: null };
}

/** The group a feature belongs to (a derived level with `groupBy`); `ok: false` after reporting a missing or unnamed group. */
function readGroupKey(context: ImportContext, groupField: GroupDerivation | undefined, feature: SourceFeature): { ok: boolean; groupKey: string | null } {
  if (!groupField) return { ok: true, groupKey: null };
  const groupKey = textValue(feature.properties[groupField.groupBy]);
  if (groupKey === null) {
    context.issues.error({ feature: feature.index, field: groupField.groupBy, code: 'missing_field', message: `is missing: it names the ${groupField.level} the area belongs to.` });
    return { ok: false, groupKey };
  }
  if (groupField.names[groupKey] === undefined) {
    context.issues.error({
      feature: feature.index,
      field: groupField.groupBy,
      code: 'unknown_group',
      message: `"${groupKey}" has no ${groupField.level} name in the manifest (mapping.derive.names).`,
    });
    return { ok: false, groupKey };
  }
  return { ok: true, groupKey };
}

/** Reads and checks every feature into staged rows; any error rejects the file. */
function readAreas(context: ImportContext, mapping: AreasMapping, collection: SourceFeatureCollection): StagedAreaRow[] {
  const rows: StagedAreaRow[] = [];
  const firstFeatureByCode = new Map<string, number>();
  const groupField = mapping.derive.find((derived): derived is GroupDerivation => 'groupBy' in derived);
  for (const feature of collection.features) {
    if (feature.index % 500 === 0) context.progress('validating', feature.index, collection.features.length);
    const rawCode = textValue(feature.properties[mapping.code]);
    const code = readAreaCode(context, mapping, feature, firstFeatureByCode);
    const name = readAreaName(context, mapping, feature);
    const parent = readParentCode(context, mapping, feature, rawCode);
    const group = readGroupKey(context, groupField, feature);
    const checked = checkGeometry(feature.geometry, 'areal', context.srid, feature.index, plausibleFor(context));
    if ('issue' in checked) context.issues.error(checked.issue);
    if (code !== null && name !== null && parent.ok && group.ok && 'geometry' in checked) {
      rows.push({ idx: feature.index, code, name, parent_code: parent.parentCode, group_key: group.groupKey, geometry: JSON.stringify(checked.geometry) });
    }
  }
  if (context.issues.failed) throw new ImportRejectedError(context.issues);
  return rows;
}

/** Stages the areas; PostGIS repairs invalid polygons (a warning) and refuses those it cannot or that lie far away. */
async function stageAreasChecked(context: ImportContext, rows: StagedAreaRow[]): Promise<void> {
  const { issues, executor } = context;
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
}

interface DerivedAreas {
  counts: WriteCounts;
  /** The single derived area the file's areas belong to (a union), if the finest derived level is one. */
  parentId: string | null;
  /** The finest derived level, and whether it groups the file's areas. */
  finest: { level: AreasMapping['level']; grouped: boolean } | undefined;
}

/** Writes the derived areas (groups and unions of the staged ones), coarsest first, so that each finer one can name it as parent. */
async function writeDerivedAreas(context: ImportContext, mapping: AreasMapping): Promise<DerivedAreas> {
  const { executor } = context;
  const derivedAreas: DerivedAreas = { counts: { inserted: 0, updated: 0, unchanged: 0 }, parentId: null, finest: undefined };
  for (const derived of [...mapping.derive].reverse()) {
    if ('groupBy' in derived) {
      const groupCounts = await upsertGroupAreas(executor, { cityId: context.cityId, level: derived.level, names: derived.names, source: context.source, parentId: derivedAreas.parentId });
      derivedAreas.counts = addCounts(derivedAreas.counts, groupCounts);
      derivedAreas.finest = { level: derived.level, grouped: true };
      derivedAreas.parentId = null;
    } else {
      const union = await upsertUnionArea(executor, { cityId: context.cityId, level: derived.level, code: derived.code, name: derived.name, source: context.source, parentId: derivedAreas.parentId });
      derivedAreas.counts = addCounts(derivedAreas.counts, union.counts);
      derivedAreas.finest = { level: derived.level, grouped: false };
      derivedAreas.parentId = union.id;
    }
  }
  return derivedAreas;
}

/** Sets each staged area's parent (by the mapping's parent, else the finest derived level); a parent that is not there rejects the file. */
async function linkAreaParents(context: ImportContext, mapping: AreasMapping, derived: DerivedAreas): Promise<void> {
  const { issues, executor } = context;
  if (mapping.parent?.by === 'containment') {
    await setStagedParentsByContainment(executor, context.cityId, mapping.parent.level);
  } else if (mapping.parent) {
    await setStagedParentsByCode(executor, context.cityId, mapping.parent.level, 'parent_code');
  } else if (derived.finest?.grouped) {
    await setStagedParentsByCode(executor, context.cityId, derived.finest.level, 'group_key');
  } else if (derived.parentId !== null) {
    await setStagedParent(executor, derived.parentId);
  }
  if (!mapping.parent) return;
  const parent = mapping.parent;
  for (const orphan of await findStagedWithoutParent(executor)) {
    issues.error({
      feature: orphan.idx,
      field: parent.by === 'codePrefix' ? mapping.code : parent.by === 'field' ? parent.field : 'geometry',
      code: 'parent_not_found',
      message:
        parent.by === 'containment'
          ? `lies in no ${parent.level} area: import the ${parent.level} areas first.`
          : `there is no ${parent.level} area with the code ${orphan.parent_code}: import the ${parent.level} areas first.`,
    });
  }
  if (issues.failed) throw new ImportRejectedError(issues);
}

/**
 * A file with `validFrom` for a level that has areas already: closes the boundaries it replaces
 * (or retires those it leaves out). The first boundaries of a level hold since ever (valid from
 * null): statistics of earlier years must find them.
 */
async function closeEarlierBoundaries(context: ImportContext, mapping: AreasMapping): Promise<{ validFrom: string | null; closed: { replaced: number; retired: number } | undefined }> {
  const { issues, executor } = context;
  const validFrom = mapping.validFrom ?? null;
  if (validFrom === null) return { validFrom, closed: undefined };
  if ((await countAreasOfLevel(executor, context.cityId, mapping.level)) === 0) return { validFrom: null, closed: undefined };
  for (const newer of await findStagedOlderThanCurrent(executor, context.cityId, mapping.level, validFrom)) {
    issues.error({
      feature: newer.idx,
      field: 'validFrom',
      code: 'older_version',
      message: `the ${mapping.level} ${newer.code} already has boundaries valid from ${newer.valid_from}, later than this file's ${validFrom}: import boundary versions in the order of time.`,
    });
  }
  if (issues.failed) throw new ImportRejectedError(issues);
  const closed = await closeSupersededAreas(executor, context.cityId, mapping.level, validFrom);
  if (closed.retired > 0) {
    issues.warning({
      field: 'validFrom',
      code: 'areas_retired',
      message: `${closed.retired} ${mapping.level} area(s) are not in this file; their boundaries were closed on ${validFrom} and stay with their statistics as an earlier version.`,
    });
  }
  return { validFrom, closed };
}

/** Imports areas: read the features, stage and check them in PostGIS, write derived areas, parents, versions and the areas. */
export async function importAreas(context: ImportContext, mapping: AreasMapping, collection: SourceFeatureCollection): Promise<ImporterResult> {
  const { executor } = context;
  const rows = readAreas(context, mapping, collection);
  await stageAreasChecked(context, rows);
  const derived = await writeDerivedAreas(context, mapping);
  await linkAreaParents(context, mapping, derived);
  const { validFrom, closed } = await closeEarlierBoundaries(context, mapping);
  const counts = addCounts(derived.counts, await upsertStagedAreas(executor, context.cityId, mapping.level, context.source, rows.length, validFrom));
  if (closed) await followReplacedParents(executor);
  await dropAreaStage(executor);
  return {
    rowsRead: collection.features.length,
    rowsAccepted: rows.length,
    rowsSkipped: 0,
    // Closed versions are counted as changed rows of their own: they are kept, not replaced.
    tables: { areas: counts, ...(closed ? { areas_closed: { inserted: 0, updated: closed.replaced + closed.retired, unchanged: 0 } } : {}) },
  };
}
