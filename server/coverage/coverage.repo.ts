import type { Knex } from 'knex';
import { cityScope } from '../db/city-scope.ts';
import { postgis } from '../db/postgis.ts';
import { unchangedBoundaryShare } from '../shared/area-versions.ts';
import { whereVisibleOffer } from '../shared/visible-offers.ts';

type Executor = Knex | Knex.Transaction;

export interface SegmentRecord {
  id: number;
  areaId: string | null;
  houseFromLeft: number | null;
  houseToLeft: number | null;
  houseFromRight: number | null;
  houseToRight: number | null;
  lengthMeters: number;
  midLon: number;
  midLat: number;
}

interface SegmentRow {
  id: number;
  area_id: string | null;
  house_from_left: number | null;
  house_to_left: number | null;
  house_from_right: number | null;
  house_to_right: number | null;
  length_m: number;
  mid_lon: number;
  mid_lat: number;
}

function toSegmentRecord(row: SegmentRow): SegmentRecord {
  return {
    id: Number(row.id),
    areaId: row.area_id,
    houseFromLeft: row.house_from_left,
    houseToLeft: row.house_to_left,
    houseFromRight: row.house_from_right,
    houseToRight: row.house_to_right,
    lengthMeters: Number(row.length_m),
    midLon: Number(row.mid_lon),
    midLat: Number(row.mid_lat),
  };
}

/** Every street segment with its house numbers and midpoint (where its residents are placed); the graph is the street kernel's. */
export async function listNetworkSegments(executor: Executor, cityId: string | undefined): Promise<SegmentRecord[]> {
  const result = await executor.raw<{ rows: SegmentRow[] }>(
    `select s.id, s.area_id, s.house_from_left, s.house_to_left, s.house_from_right, s.house_to_right, s.length_m,
            ST_X(m.mid) as mid_lon, ST_Y(m.mid) as mid_lat
       from street_segments s
       cross join lateral (select ST_LineInterpolatePoint(s.geom, 0.5) as mid) m
      where s.city_id = coalesce(?::text, (select id from cities where is_default))
      order by s.id`,
    [cityId ?? null],
  );
  return result.rows.map(toSegmentRecord);
}

export interface CoverageAreaRecord {
  id: string;
  code: string;
  name: string;
  level: 'city' | 'district' | 'sozialraum' | 'area_set';
  parentId: string | null;
  pointLon: number;
  pointLat: number;
  /** An area set's member Sozialräume: listed ones, and those of listed districts (Viertel are not mapped). */
  memberIds: string[];
}

const setMembersColumn = `(select coalesce(json_agg(m.id order by m.code), '[]'::json)
    from area_set_members sm
    join areas m on m.city_id = areas.city_id and m.level = 'sozialraum' and m.valid_to is null
     and ((sm.member_level = 'sozialraum' and m.code = sm.member_code)
       or (sm.member_level = 'district' and m.parent_id in (
             select d.id from areas d where d.city_id = areas.city_id and d.level = 'district' and d.code = sm.member_code and d.valid_to is null)))
   where sm.set_id = areas.id) as member_ids`;

/** City, districts, Sozialräume and area sets with a point inside each (where residents sit when an area has no streets). */
export async function listCoverageAreas(executor: Executor, cityId: string | undefined): Promise<CoverageAreaRecord[]> {
  const rows = (await cityScope(executor('areas'), cityId)
    .select(
      'id',
      'code',
      'name',
      'level',
      'parent_id',
      postgis(executor).x(postgis(executor).pointOnSurface('geom')).as('point_lon'),
      postgis(executor).y(postgis(executor).pointOnSurface('geom')).as('point_lat'),
      executor.raw(setMembersColumn),
    )
    .whereIn('level', ['city', 'district', 'sozialraum', 'area_set'])
    .whereNull('valid_to')
    .orderBy([{ column: 'level' }, { column: 'code' }])) as {
    id: string;
    code: string;
    name: string;
    level: CoverageAreaRecord['level'];
    parent_id: string | null;
    point_lon: number;
    point_lat: number;
    member_ids: string[] | string;
  }[];
  return rows.map((row) => ({
    memberIds: row.level === 'area_set' ? (typeof row.member_ids === 'string' ? (JSON.parse(row.member_ids) as string[]) : row.member_ids) : [],
    id: row.id,
    code: row.code,
    name: row.name,
    level: row.level,
    parentId: row.parent_id,
    pointLon: Number(row.point_lon),
    pointLat: Number(row.point_lat),
  }));
}

export interface StatisticsYear {
  indicatorCode: string;
  year: number;
}

/** Which years have Sozialraum statistics for the given indicators. */
export async function listStatisticsYears(executor: Executor, cityId: string | undefined, indicatorCodes: readonly string[]): Promise<StatisticsYear[]> {
  const rows = (await cityScope(executor('area_statistics as s'), cityId, 'a')
    .join('indicators as i', 'i.id', 's.indicator_id')
    .join('areas as a', 'a.id', 's.area_id')
    .where('a.level', 'sozialraum')
    .whereIn('i.code', indicatorCodes)
    .select('i.code', executor.raw('extract(year from s.period)::int as year'))
    .groupBy('i.code', executor.raw('extract(year from s.period)'))) as { code: string; year: number }[];
  return rows.map((row) => ({ indicatorCode: row.code, year: Number(row.year) }));
}

export interface DemandStatistic {
  areaId: string;
  indicatorCode: string;
  period: string;
  value: number;
  source: string | null;
}

/**
 * Sozialraum values of the indicators for one year (the latest period within that year), for
 * today's Sozialräume: a value of the version a current one replaced counts for it when the
 * boundary is unchanged (server/shared/area-versions.ts); after a real change it does not.
 */
export async function listDemandStatistics(
  executor: Executor,
  cityId: string | undefined,
  indicatorCodes: readonly string[],
  year: number,
): Promise<DemandStatistic[]> {
  // The few (current Sozialraum, counted version) pairs first, then their values for the codes and
  // the year's range of periods (indexed): joining every value with every version of its code under
  // an OR took longer per question (docs/benchmarks.md, issue 10 coverage A/B).
  const rows = (await executor
    .with(
      'current_areas',
      executor.raw(
        `select a.id, a.city_id, a.level, a.code, a.predecessor_id, a.boundary_change
           from areas a
          where a.city_id = coalesce(?::text, (select id from cities where is_default)) and a.level = 'sozialraum' and a.valid_to is null`,
        [cityId ?? null],
      ),
    )
    .with(
      'counted',
      executor.raw(
        `select c.id as area_id, c.id as version_id from current_areas c
         union all
         select c.id, v.id
           from current_areas c
           join areas v on v.id = c.predecessor_id and v.city_id = c.city_id and v.level = c.level and v.code = c.code
          where c.boundary_change < ?`,
        [unchangedBoundaryShare],
      ),
    )
    .from('counted')
    .join('area_statistics as s', 's.area_id', 'counted.version_id')
    .join('indicators as i', 'i.id', 's.indicator_id')
    .whereIn('i.code', indicatorCodes)
    .whereRaw('s.period >= make_date(?::integer, 1, 1) and s.period < make_date(?::integer + 1, 1, 1)', [year, year])
    .distinctOn('counted.area_id', 'i.code')
    .select('counted.area_id', 'i.code', executor.raw("to_char(s.period, 'YYYY-MM-DD') as period"), 's.value', 's.source')
    .orderBy([{ column: 'counted.area_id' }, { column: 'i.code' }, { column: 's.period', order: 'desc' }])) as {
    area_id: string;
    code: string;
    period: string;
    value: number;
    source: string | null;
  }[];
  return rows.map((row) => ({
    areaId: row.area_id,
    indicatorCode: row.code,
    period: row.period,
    value: Number(row.value),
    source: row.source,
  }));
}

export async function listIndicatorLabels(
  executor: Executor,
  cityId: string | undefined,
  codes: readonly string[],
): Promise<{ code: string; labelDe: string; labelEn: string }[]> {
  const rows = (await cityScope(executor('indicators'), cityId).select('code', 'label_de', 'label_en').whereIn('code', codes)) as {
    code: string;
    label_de: string;
    label_en: string;
  }[];
  return rows.map((row) => ({ code: row.code, labelDe: row.label_de, labelEn: row.label_en }));
}

export interface SupplyRecord {
  offerId: string;
  locationId: string;
  name: string;
  capacity: number | null;
  lon: number;
  lat: number;
  areaId: string | null;
  updatedAt: string;
  verifiedAt: string | null;
}

/** Binds one value: the city (or null for the default city). */
const sozialraumOfPointColumn = `(select a.id from areas a
    where a.city_id = coalesce(?::text, (select id from cities where is_default)) and a.level = 'sozialraum' and a.valid_to is null and ST_Covers(a.geom, g.geom)
    order by a.code limit 1) as area_id`;

/**
 * Published, active, non-archived offers of the given offer types (and, when given, with one
 * of the target groups), one row per location, with the Sozialraum that holds the location
 * (the street kernel snaps the locations to the network).
 */
export async function listMatchingSupply(
  executor: Executor,
  cityId: string | undefined,
  filter: { offerTypeIds: readonly string[] | null; targetGroupIds: readonly string[] | null },
): Promise<SupplyRecord[]> {
  const query = cityScope(executor('offers as o'), cityId, 'o')
    .join('offer_locations as ol', 'ol.offer_id', 'o.id')
    .join('locations as l', 'l.id', 'ol.location_id')
    .joinRaw('cross join lateral (select l.geom as geom) g')
    .select(
      'o.id as offer_id',
      'l.id as location_id',
      'o.name',
      'o.capacity',
      postgis(executor).x('l.geom').as('lon'),
      postgis(executor).y('l.geom').as('lat'),
      executor.raw(sozialraumOfPointColumn, [cityId ?? null]),
      executor.raw('o.updated_at::text as updated_at'),
      executor.raw('o.verified_at::text as verified_at'),
    )
    .where((visible) => whereVisibleOffer(visible))
    .orderBy([{ column: 'o.id' }, { column: 'l.id' }]);
  if (filter.offerTypeIds) query.whereIn('o.offer_type_id', filter.offerTypeIds);
  if (filter.targetGroupIds) {
    const targetGroupIds = filter.targetGroupIds;
    query.whereExists(function () {
      this.select(executor.raw('1'))
        .from('offer_terms as ot')
        .whereRaw('ot.offer_id = o.id')
        .whereIn('ot.term_id', targetGroupIds);
    });
  }
  const rows = (await query) as {
    offer_id: string;
    location_id: string;
    name: string;
    capacity: number | null;
    lon: number;
    lat: number;
    area_id: string | null;
    updated_at: string;
    verified_at: string | null;
  }[];
  return rows.map((row) => ({
    offerId: row.offer_id,
    locationId: row.location_id,
    name: row.name,
    capacity: row.capacity === null ? null : Number(row.capacity),
    lon: Number(row.lon),
    lat: Number(row.lat),
    areaId: row.area_id,
    updatedAt: row.updated_at,
    verifiedAt: row.verified_at,
  }));
}

export interface PlacedPoint {
  index: number;
  areaId: string | null;
}

/** Hypothetical offer points: their Sozialraum (the street kernel snaps them to the network). */
export async function placePoints(
  executor: Executor,
  cityId: string | undefined,
  points: readonly { lon: number; lat: number }[],
): Promise<PlacedPoint[]> {
  const payload = JSON.stringify(points.map((point, index) => ({ index, lon: point.lon, lat: point.lat })));
  const rows = (await executor
    .select('p.index', executor.raw(sozialraumOfPointColumn, [cityId ?? null]))
    .fromRaw(executor.raw('jsonb_to_recordset(?::jsonb) as p(index int, lon float8, lat float8)', [payload]))
    .joinRaw('cross join lateral (select ST_SetSRID(ST_MakePoint(p.lon, p.lat), 4326) as geom) g')
    .orderBy('p.index')) as {
    index: number;
    area_id: string | null;
  }[];
  return rows.map((row) => ({ index: Number(row.index), areaId: row.area_id }));
}

export async function listSegmentGeometries(
  executor: Executor,
  segmentIds: readonly number[],
): Promise<Map<number, { streetName: string; geometry: GeoJSON.LineString }>> {
  if (segmentIds.length === 0) return new Map();
  const result = await executor.raw<{ rows: { id: number; street_name: string; geometry: string }[] }>(
    `select s.id, s.street_name, ST_AsGeoJSON(s.geom, 6) as geometry
       from street_segments s
      where s.id in (select value::bigint from jsonb_array_elements_text(?::jsonb))`,
    [JSON.stringify(segmentIds)],
  );
  return new Map(
    result.rows.map((row) => [
      Number(row.id),
      { streetName: row.street_name, geometry: JSON.parse(row.geometry) as GeoJSON.LineString },
    ]),
  );
}

export async function listAreaGeometries(
  executor: Executor,
  areaIds: readonly string[],
): Promise<Map<string, GeoJSON.MultiPolygon>> {
  if (areaIds.length === 0) return new Map();
  const rows = (await executor('areas')
    .select('id', postgis(executor).asGeoJSONRounded('geom', 6).as('geometry'))
    .whereIn('id', areaIds)) as { id: string; geometry: string }[];
  return new Map(rows.map((row) => [row.id, JSON.parse(row.geometry) as GeoJSON.MultiPolygon]));
}

export async function listStreetSources(executor: Executor, cityId: string | undefined): Promise<string[]> {
  const rows = (await cityScope(executor('street_segments'), cityId).distinct('source').orderBy('source')) as { source: string }[];
  return rows.map((row) => row.source);
}

export interface SeriesPoint {
  indicatorCode: string;
  period: string;
  value: number;
  /** The boundary version the value belongs to (city points: none). */
  areaId?: string;
}

export interface AreaVersionRecord {
  id: string;
  validFrom: string | null;
  validTo: string | null;
  boundaryChange: number | null;
}

/** All boundary versions of the area's level and code, oldest first. */
export async function listAreaVersions(executor: Executor, areaId: string): Promise<AreaVersionRecord[]> {
  const rows = (await executor('areas as v')
    .join('areas as a', (join) => join.on('a.city_id', 'v.city_id').andOn('a.level', 'v.level').andOn('a.code', 'v.code'))
    .where('a.id', areaId)
    .select(
      'v.id',
      executor.raw("to_char(v.valid_from, 'YYYY-MM-DD') as valid_from"),
      executor.raw("to_char(v.valid_to, 'YYYY-MM-DD') as valid_to"),
      'v.boundary_change',
    )
    .orderByRaw('v.valid_from nulls first')) as { id: string; valid_from: string | null; valid_to: string | null; boundary_change: number | null }[];
  return rows.map((row) => ({
    id: row.id,
    validFrom: row.valid_from,
    validTo: row.valid_to,
    boundaryChange: row.boundary_change === null ? null : Number(row.boundary_change),
  }));
}

/**
 * Time series of indicators for the given boundary versions of one area, and the sum over all
 * Sozialräume for comparison with the city.
 */
export async function listAreaSeries(
  executor: Executor,
  cityId: string | undefined,
  areaIds: readonly string[],
  indicatorCodes: readonly string[],
): Promise<{ area: SeriesPoint[]; city: SeriesPoint[]; sources: string[] }> {
  const base = () =>
    executor('area_statistics as s')
      .join('indicators as i', 'i.id', 's.indicator_id')
      .whereIn('i.code', indicatorCodes);
  const areaRows = (await base()
    .whereIn('s.area_id', areaIds)
    .select('i.code', 's.area_id', executor.raw("to_char(s.period, 'YYYY-MM-DD') as period"), 's.value', 's.source')
    .orderBy([{ column: 'i.code' }, { column: 's.period' }])) as { code: string; area_id: string; period: string; value: number; source: string | null }[];
  const cityRows = (await cityScope(base(), cityId, 'a')
    .join('areas as a', 'a.id', 's.area_id')
    .where('a.level', 'sozialraum')
    .groupBy('i.code', 's.period')
    .select('i.code', executor.raw("to_char(s.period, 'YYYY-MM-DD') as period"), executor.raw('sum(s.value) as value'))
    .orderBy([{ column: 'i.code' }, { column: 's.period' }])) as { code: string; period: string; value: number }[];
  const toPoint = (row: { code: string; period: string; value: number }): SeriesPoint => ({
    indicatorCode: row.code,
    period: row.period,
    value: Number(row.value),
  });
  const sources = [...new Set(areaRows.flatMap((row) => (row.source ? [row.source] : [])))].sort();
  return { area: areaRows.map((row) => ({ ...toPoint(row), areaId: row.area_id })), city: cityRows.map(toPoint), sources };
}

export async function findArea(
  executor: Executor,
  cityId: string | undefined,
  areaId: string,
): Promise<{ id: string; code: string; name: string; level: string; parentId: string | null } | undefined> {
  const row = (await cityScope(executor('areas'), cityId).where('id', areaId).first('id', 'code', 'name', 'level', 'parent_id')) as
    | { id: string; code: string; name: string; level: string; parent_id: string | null }
    | undefined;
  return row ? { id: row.id, code: row.code, name: row.name, level: row.level, parentId: row.parent_id } : undefined;
}

export interface AreaOfferRecord {
  offerId: string;
  name: string;
  offerType: string;
  capacity: number | null;
  lon: number;
  lat: number;
}

/** Published, active offers with a location inside the area (optionally of some offer types). */
export async function listOffersInArea(
  executor: Executor,
  cityId: string | undefined,
  areaId: string,
  offerTypeIds: readonly string[] | null,
): Promise<AreaOfferRecord[]> {
  const query = cityScope(executor('offers as o'), cityId, 'o')
    .join('taxonomy_terms as t', 't.id', 'o.offer_type_id')
    .join('offer_locations as ol', 'ol.offer_id', 'o.id')
    .join('locations as l', 'l.id', 'ol.location_id')
    .joinRaw('join areas a on ST_Covers(a.geom, l.geom)')
    .where('a.id', areaId)
    .where((visible) => whereVisibleOffer(visible))
    .select('o.id', 'o.name', 't.code', 'o.capacity', postgis(executor).x('l.geom').as('lon'), postgis(executor).y('l.geom').as('lat'))
    .orderBy([{ column: 'o.name' }, { column: 'o.id' }])
    .limit(1000);
  if (offerTypeIds) query.whereIn('o.offer_type_id', offerTypeIds);
  const rows = (await query) as { id: string; name: string; code: string; capacity: number | null; lon: number; lat: number }[];
  return rows.map((row) => ({
    offerId: row.id,
    name: row.name,
    offerType: row.code,
    capacity: row.capacity === null ? null : Number(row.capacity),
    lon: Number(row.lon),
    lat: Number(row.lat),
  }));
}
