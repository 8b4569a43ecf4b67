import type { Knex } from 'knex';
import { insertArea, squarePolygon, uniqueCode } from './factories.ts';

export async function insertStreetSegment(
  knex: Knex,
  input: {
    coordinates: [number, number][];
    areaId?: string | null;
    lengthMeters?: number;
    streetName?: string;
    houses?: { left?: [number, number]; right?: [number, number] };
  },
): Promise<number> {
  const geometry = JSON.stringify({ type: 'LineString', coordinates: input.coordinates });
  const streetName = input.streetName ?? 'Teststraße';
  const [row] = (await knex('street_segments')
    .insert({
      source: 'test',
      external_id: uniqueCode('S'),
      street_name: streetName,
      street_key: streetName.toLowerCase().replaceAll('ß', 'ss'),
      house_from_left: input.houses?.left?.[0] ?? null,
      house_to_left: input.houses?.left?.[1] ?? null,
      house_from_right: input.houses?.right?.[0] ?? null,
      house_to_right: input.houses?.right?.[1] ?? null,
      area_id: input.areaId ?? null,
      geom: knex.raw('ST_SetSRID(ST_GeomFromGeoJSON(?), 4326)', [geometry]),
      length_m:
        input.lengthMeters ?? knex.raw('ST_Length(ST_SetSRID(ST_GeomFromGeoJSON(?), 4326)::geography)', [geometry]),
    })
    .returning('id')) as { id: number }[];
  if (!row) throw new Error('segment insert returned nothing');
  return Number(row.id);
}

export async function insertStatistic(
  knex: Knex,
  input: { areaId: string; indicatorCode: string; year: number; value: number; source?: string },
): Promise<void> {
  const indicator = (await knex('indicators').where('code', input.indicatorCode).first('id')) as { id: string } | undefined;
  if (!indicator) throw new Error(`unknown indicator ${input.indicatorCode}`);
  await knex('area_statistics').insert({
    area_id: input.areaId,
    indicator_id: indicator.id,
    period: `${input.year}-12-31`,
    value: input.value,
    source: input.source ?? 'test-statistics',
  });
}

export async function insertDepartment(knex: Knex): Promise<string> {
  const [row] = (await knex('departments')
    .insert({ code: uniqueCode('D'), name: 'Amt für Tests' })
    .returning('id')) as { id: string }[];
  return row!.id;
}

export interface OfferInput {
  departmentId: string;
  offerType: string;
  lon: number;
  lat: number;
  name?: string;
  capacity?: number | null;
  status?: 'active' | 'inactive' | 'temporarily_closed' | 'defunct';
  publication?: 'draft' | 'published';
  archived?: boolean;
  targetGroups?: string[];
}

/** One offer at one location (HSDS service at location), published and active unless told otherwise. */
export async function insertOffer(knex: Knex, input: OfferInput): Promise<string> {
  const type = (await knex('taxonomy_terms').where({ taxonomy: 'offer_type', code: input.offerType }).first('id')) as
    | { id: string }
    | undefined;
  if (!type) throw new Error(`unknown offer type ${input.offerType}`);
  const [offer] = (await knex('offers')
    .insert({
      department_id: input.departmentId,
      name: input.name ?? `Angebot ${uniqueCode()}`,
      offer_type_id: type.id,
      status: input.status ?? 'active',
      publication: input.publication ?? 'published',
      capacity: input.capacity ?? null,
      archived_at: input.archived ? knex.fn.now() : null,
    })
    .returning('id')) as { id: string }[];
  const [location] = (await knex('locations')
    .insert({ geom: knex.raw('ST_SetSRID(ST_MakePoint(?, ?), 4326)', [input.lon, input.lat]) })
    .returning('id')) as { id: string }[];
  await knex('offer_locations').insert({ offer_id: offer!.id, location_id: location!.id });
  for (const code of input.targetGroups ?? []) {
    const term = (await knex('taxonomy_terms').where({ taxonomy: 'target_group', code }).first('id')) as { id: string };
    await knex('offer_terms').insert({ offer_id: offer!.id, taxonomy: 'target_group', term_id: term.id });
  }
  return offer!.id;
}

/**
 * A hand-checkable city along one east–west street at 50.935° N, every segment recorded as 700 m:
 *
 *   S1 (6.90–6.93): seg1 6.90–6.91 (house numbers 1–9: 5 houses), seg2 6.91–6.92 (1–19: 10), seg3 (none)
 *   S2 (6.93–6.96): seg4 (1–3: 2 houses), seg5 (1–5: 3), seg6 (1–9: 5)
 *   S3 (6.96–6.99): no streets, residents stay at the area
 *
 * Seniors 2012: S1 100 + 50, S2 60 + 30, S3 20 + 10 (2011: everything halved).
 * Districts: D1 = S1 + S2, D2 = S3; one city above both.
 */
export async function createSyntheticCity(knex: Knex) {
  const lat = 50.935;
  const city = await insertArea(knex, { level: 'city', code: uniqueCode('C'), name: 'Teststadt', geometry: squarePolygon(6.9, 50.92, 0.09) });
  const district1 = await insertArea(knex, {
    level: 'district', code: uniqueCode('D'), name: 'Bezirk 1', parentId: city.id,
    geometry: { type: 'MultiPolygon', coordinates: [[[[6.9, 50.92], [6.96, 50.92], [6.96, 50.95], [6.9, 50.95], [6.9, 50.92]]]] },
  });
  const district2 = await insertArea(knex, {
    level: 'district', code: uniqueCode('D'), name: 'Bezirk 2', parentId: city.id, geometry: squarePolygon(6.96, 50.92, 0.03),
  });
  const s1 = await insertArea(knex, { code: 'S1', name: 'West', parentId: district1.id, geometry: squarePolygon(6.9, 50.92, 0.03) });
  const s2 = await insertArea(knex, { code: 'S2', name: 'Mitte', parentId: district1.id, geometry: squarePolygon(6.93, 50.92, 0.03) });
  const s3 = await insertArea(knex, { code: 'S3', name: 'Ost', parentId: district2.id, geometry: squarePolygon(6.96, 50.92, 0.03) });
  const segment = (from: number, areaId: string, houses?: [number, number]) =>
    insertStreetSegment(knex, {
      coordinates: [[from, lat], [from + 0.01, lat]],
      areaId,
      lengthMeters: 700,
      streetName: 'Lange Straße',
      ...(houses ? { houses: { left: houses } } : {}),
    });
  const segments = [
    await segment(6.9, s1.id, [1, 9]),
    await segment(6.91, s1.id, [1, 19]),
    await segment(6.92, s1.id),
    await segment(6.93, s2.id, [1, 3]),
    await segment(6.94, s2.id, [1, 5]),
    await segment(6.95, s2.id, [1, 9]),
  ];
  const population: [string, number, number][] = [
    [s1.id, 100, 50],
    [s2.id, 60, 30],
    [s3.id, 20, 10],
  ];
  for (const [areaId, young, old] of population) {
    for (const [year, factor] of [[2011, 0.5], [2012, 1]] as const) {
      await insertStatistic(knex, { areaId, indicatorCode: 'population_65_75', year, value: young * factor });
      await insertStatistic(knex, { areaId, indicatorCode: 'population_75_plus', year, value: old * factor });
    }
  }
  const departmentId = await insertDepartment(knex);
  return { lat, city, district1, district2, s1, s2, s3, segments, departmentId };
}

/**
 * The share of the target population within an airline radius, computed independently of the
 * application in one SQL statement with ST_DWithin on geography: house counts, spreading and
 * coverage all in the database. Returns covered residents per Sozialraum and the segments whose
 * residents are out of reach.
 */
export async function independentAirlineCoverage(
  knex: Knex,
  input: { indicatorCodes: string[]; year: number; offerTypeCodes: string[]; radiusMeters: number },
): Promise<{ byArea: Map<string, { target: number; covered: number }>; uncoveredSegments: Set<number> }> {
  const result = await knex.raw<{
    rows: { area_id: string; segment_id: number | null; population: number; covered: boolean }[];
  }>(
    `with population as (
       select st.area_id, sum(st.value) as value
         from area_statistics st
         join indicators i on i.id = st.indicator_id
        where i.code in (select jsonb_array_elements_text(?::jsonb)) and extract(year from st.period) = ?
        group by st.area_id),
     segments as (
       select s.id, s.area_id, s.length_m,
              case when s.house_from_left is null then 0 else floor(abs(s.house_to_left - s.house_from_left) / 2) + 1 end
            + case when s.house_from_right is null then 0 else floor(abs(s.house_to_right - s.house_from_right) / 2) + 1 end as houses,
              ST_LineInterpolatePoint(s.geom, 0.5)::geography as place
         from street_segments s where s.area_id is not null),
     totals as (select area_id, sum(houses) as houses, sum(length_m) as length from segments group by area_id),
     demand as (
       select a.id as area_id, g.id as segment_id, g.place,
              p.value * case when t.houses > 0 then g.houses / t.houses else g.length_m / t.length end as population
         from areas a join population p on p.area_id = a.id join segments g on g.area_id = a.id join totals t on t.area_id = a.id
        where a.level = 'sozialraum'
       union all
       select a.id, null, ST_PointOnSurface(a.geom)::geography, p.value
         from areas a join population p on p.area_id = a.id
        where a.level = 'sozialraum' and not exists (select 1 from segments g where g.area_id = a.id)),
     supply as (
       select l.geog from offers o
         join taxonomy_terms t on t.id = o.offer_type_id
         join offer_locations ol on ol.offer_id = o.id
         join locations l on l.id = ol.location_id
        where t.code in (select jsonb_array_elements_text(?::jsonb))
          and o.status = 'active' and o.publication = 'published' and o.archived_at is null)
     select d.area_id, d.segment_id, d.population,
            exists (select 1 from supply s where ST_DWithin(s.geog, d.place, ?)) as covered
       from demand d`,
    [JSON.stringify(input.indicatorCodes), input.year, JSON.stringify(input.offerTypeCodes), input.radiusMeters],
  );
  const byArea = new Map<string, { target: number; covered: number }>();
  const uncoveredSegments = new Set<number>();
  for (const row of result.rows) {
    const entry = byArea.get(row.area_id) ?? { target: 0, covered: 0 };
    entry.target += Number(row.population);
    if (row.covered) entry.covered += Number(row.population);
    else if (row.segment_id !== null && Number(row.population) > 0) uncoveredSegments.add(Number(row.segment_id));
    byArea.set(row.area_id, entry);
  }
  return { byArea, uncoveredSegments };
}
