import type { Knex } from 'knex';
import { cityScope } from '../db/city-scope.ts';
import { postgis } from '../db/postgis.ts';
import { fillMessage } from '../http/localized-validation.ts';
import { whereVisibleOffer } from '../shared/visible-offers.ts';
import type { Cql2Expression, Cql2Literal, Cql2Scalar } from './cql2.ts';
import { cql2Messages, type Cql2MessageKey } from './ogc.messages.ts';
import type { OgcFeature, Queryable } from './ogc.schema.ts';

type Executor = Knex | Knex.Transaction;

/**
 * A queryable as SQL: `expression` is a fixed SQL fragment of this file (never text from a
 * request); a list queryable is tested with an EXISTS over `listQuery`.
 */
interface SqlQueryable extends Queryable {
  expression: string;
  listQuery?: (executor: Executor, values: Knex.QueryCallback) => Knex.QueryBuilder;
}

/**
 * One collection as SQL: the rows (joins and fixed conditions), the id, the geometry, the
 * properties a feature carries, and what a client may filter on.
 */
export interface FeatureSource {
  /** `cityId`: the served city (undefined: the database's default city); computed sources ignore it. */
  rows(executor: Executor, cityId?: string): Knex.QueryBuilder;
  id: string;
  geometry: string;
  orderBy: string;
  properties: Record<string, string>;
  queryables: SqlQueryable[];
  /** The time a `datetime` parameter is compared with (a date or timestamp column). */
  temporal?: string;
}

/** A filter the client asked for, checked against the collection's queryables already. */
export interface FeatureFilter {
  /** The city served (issue 13); the database's default city when left out. */
  cityId?: string | undefined;
  bbox?: { west: number; south: number; east: number; north: number; srid: number };
  datetime?: { start: string | null; end: string | null };
  properties: { name: string; value: string }[];
  cql?: { expression: Cql2Expression; srid: number };
}

/** A client's filter that names a property or compares in a way the collection cannot; the reason is a cql2Messages key. */
export class FilterProblem extends Error {
  constructor(
    readonly field: string,
    readonly key: Cql2MessageKey,
    readonly params: Record<string, unknown> = {},
  ) {
    super(fillMessage(cql2Messages[key], 'en', params));
    this.name = 'FilterProblem';
  }
}

function visibleOfferLocations(executor: Executor, cityId?: string): Knex.QueryBuilder {
  const query = executor('offer_locations as ol')
    .join('offers as o', 'o.id', 'ol.offer_id')
    .join('locations as l', 'l.id', 'ol.location_id')
    .join('taxonomy_terms as t', 't.id', 'o.offer_type_id')
    .join('departments as d', 'd.id', 'o.department_id')
    .leftJoin('organizations as g', 'g.id', 'o.organization_id');
  return cityScope(whereVisibleOffer(query), cityId, 'o');
}

function offerTerms(taxonomy: string) {
  return (executor: Executor, values: Knex.QueryCallback) =>
    executor('offer_terms as ot')
      .join('taxonomy_terms as tt', 'tt.id', 'ot.term_id')
      .whereRaw('ot.offer_id = o.id')
      .where('ot.taxonomy', taxonomy)
      .where(values);
}

// One array of term codes per taxonomy, as the feature's property (GDAL reads it as a string list).
const targetGroupCodes = `array(select tt.code from offer_terms ot join taxonomy_terms tt on tt.id = ot.term_id
  where ot.offer_id = o.id and ot.taxonomy = 'target_group' order by tt.sort_order, tt.code)`;
const fieldOfActionCodes = `array(select tt.code from offer_terms ot join taxonomy_terms tt on tt.id = ot.term_id
  where ot.offer_id = o.id and ot.taxonomy = 'field_of_action' order by tt.sort_order, tt.code)`;
const accessibilityCodes = `array(select tt.code from offer_terms ot join taxonomy_terms tt on tt.id = ot.term_id
  where ot.offer_id = o.id and ot.taxonomy = 'accessibility' order by tt.sort_order, tt.code)`;

export const offersSource: FeatureSource = {
  rows: visibleOfferLocations,
  id: 'ol.id',
  geometry: 'l.geom',
  orderBy: 'ol.id',
  temporal: 'o.updated_at',
  properties: {
    offerId: 'o.id',
    name: 'o.name',
    offerType: 't.code',
    offerTypeLabel: 't.label_de',
    targetGroups: targetGroupCodes,
    fieldsOfAction: fieldOfActionCodes,
    accessibility: accessibilityCodes,
    openingHours: 'o.opening_hours',
    costKind: 'o.cost_kind',
    languages: 'o.languages',
    minAge: 'o.min_age',
    maxAge: 'o.max_age',
    capacity: 'o.capacity',
    capacityUnit: 'o.capacity_unit',
    phone: 'o.phone',
    email: 'o.email',
    website: 'o.website',
    locationName: 'l.name',
    street: 'l.street',
    houseNumber: 'l.house_number',
    postalCode: 'l.postal_code',
    city: 'l.city',
    department: 'd.name',
    organization: 'g.name',
    source: 'o.source',
    updatedAt: 'o.updated_at',
    verifiedAt: 'o.verified_at',
  },
  queryables: [
    { name: 'name', type: 'string', title: 'Name of the offer', expression: 'o.name' },
    { name: 'offerType', type: 'string', title: 'Offer type (code, e.g. kita)', expression: 't.code' },
    { name: 'targetGroup', type: 'string', list: true, title: 'Target group (code, e.g. seniors)', expression: 'tt.code', listQuery: offerTerms('target_group') },
    { name: 'fieldOfAction', type: 'string', list: true, title: 'Field of action (code)', expression: 'tt.code', listQuery: offerTerms('field_of_action') },
    { name: 'accessibility', type: 'string', list: true, title: 'Accessibility feature (code, e.g. step_free)', expression: 'tt.code', listQuery: offerTerms('accessibility') },
    { name: 'costKind', type: 'string', title: 'Costs: free, reduced or paid', expression: 'o.cost_kind' },
    { name: 'postalCode', type: 'string', title: 'Postal code', expression: 'l.postal_code' },
    { name: 'city', type: 'string', title: 'City of the address', expression: 'l.city' },
    { name: 'department', type: 'string', title: 'Owning department (name)', expression: 'd.name' },
    { name: 'capacity', type: 'number', title: 'Capacity (e.g. places)', expression: 'o.capacity' },
    { name: 'minAge', type: 'integer', title: 'Minimum age', expression: 'o.min_age' },
    { name: 'maxAge', type: 'integer', title: 'Maximum age', expression: 'o.max_age' },
    { name: 'updatedAt', type: 'timestamp', title: 'Last changed', expression: 'o.updated_at' },
    { name: 'verifiedAt', type: 'timestamp', title: 'Last verified', expression: 'o.verified_at' },
    { name: 'geometry', type: 'geometry', title: 'Location', expression: 'l.geom' },
  ],
};

/**
 * A collection of areas (areas, statistics, coverage): what they share is added to `source`: the
 * boundary as geometry, the area's code and name (under the names each collection gives them) and
 * level as the first properties, code and name as the first queryables and the boundary as the last.
 */
function areaFeatureSource(
  names: { code: string; name: string },
  source: Omit<FeatureSource, 'geometry'>,
): FeatureSource {
  return {
    ...source,
    geometry: 'a.geom',
    properties: { [names.code]: 'a.code', [names.name]: 'a.name', level: 'a.level', ...source.properties },
    queryables: [
      { name: names.code, type: 'string', title: 'Area code', expression: 'a.code' },
      { name: names.name, type: 'string', title: 'Area name', expression: 'a.name' },
      ...source.queryables,
      { name: 'geometry', type: 'geometry', title: 'Boundary', expression: 'a.geom' },
    ],
  };
}

export function areasSource(level: string): FeatureSource {
  return areaFeatureSource(
    { code: 'code', name: 'name' },
    {
      rows: (executor, cityId) => cityScope(executor('areas as a').leftJoin('areas as p', 'p.id', 'a.parent_id').where('a.level', level).whereNull('a.valid_to'), cityId, 'a'),
      id: 'a.code',
      orderBy: 'a.code',
      properties: { parentCode: 'p.code', parentName: 'p.name', areaKm2: 'round((a.area_m2 / 1000000)::numeric, 2)::float8', source: 'a.source' },
      queryables: [
        { name: 'parentCode', type: 'string', title: 'Code of the area above', expression: 'p.code' },
        { name: 'parentName', type: 'string', title: 'Name of the area above', expression: 'p.name' },
        { name: 'areaKm2', type: 'number', title: 'Area in km²', expression: '(a.area_m2 / 1000000)' },
      ],
    },
  );
}

export function statisticsSource(indicatorCode: string): FeatureSource {
  return areaFeatureSource(
    { code: 'areaCode', name: 'areaName' },
    {
      rows: (executor, cityId) =>
        cityScope(
          executor('area_statistics as s')
            .join('areas as a', 'a.id', 's.area_id')
            .join('indicators as i', 'i.id', 's.indicator_id')
            .where('i.code', indicatorCode),
          cityId,
          'a',
        ),
      id: "a.level || '-' || a.code || '-' || to_char(s.period, 'YYYY-MM-DD')",
      orderBy: 'a.level, a.code, s.period',
      temporal: 's.period',
      properties: { indicator: 'i.code', indicatorLabel: 'i.label_de', period: "to_char(s.period, 'YYYY-MM-DD')", value: 's.value', unit: 'i.unit', source: 's.source' },
      queryables: [
        { name: 'level', type: 'string', title: 'Area level (district, sozialraum, quarter, city)', expression: 'a.level' },
        { name: 'period', type: 'date', title: 'Date the value refers to', expression: 's.period' },
        { name: 'value', type: 'number', title: 'Value', expression: 's.value' },
      ],
    },
  );
}

/**
 * The properties and queryables of a computed collection, each column named once: `output` is
 * what the feature carries (rounded), a queryable filters on the unrounded `column`. A number
 * output is rounded to that many decimals, 'int' to a whole number.
 */
function computedColumns(
  table: string,
  columns: Array<[property: string, column: string, output: 'int' | number | null, queryable?: [type: Queryable['type'], title: string]]>,
): { properties: Record<string, string>; queryables: SqlQueryable[] } {
  const properties: Record<string, string> = {};
  const queryables: SqlQueryable[] = [];
  for (const [property, column, output, queryable] of columns) {
    const expression = `${table}.${column}`;
    properties[property] = output === null ? expression : output === 'int' ? `round(${expression})::int` : `round(${expression}::numeric, ${output})::float8`;
    if (queryable) queryables.push({ name: property, type: queryable[0], title: queryable[1], expression });
  }
  return { properties, queryables };
}

/** Coverage figures per area, computed in memory and joined to the areas as a bound JSON table. */
export interface CoverageRow {
  area_id: string;
  target_population: number;
  covered_population: number;
  uncovered_population: number;
  share_within_reach: number | null;
  offers: number;
  capacity: number | null;
  offers_per_1000: number | null;
  capacity_per_1000: number | null;
  median_distance_meters: number | null;
  e2sfca_per_1000: number | null;
}

export function coverageSource(rows: CoverageRow[]): FeatureSource {
  // In the order of the properties; the queryables come in the order of their first use.
  const coverage = computedColumns('c', [
    ['targetPopulation', 'target_population', 'int', ['number', 'Target population']],
    ['coveredPopulation', 'covered_population', 'int'],
    ['uncoveredPopulation', 'uncovered_population', 'int', ['number', 'Target population out of reach']],
    ['shareWithinReach', 'share_within_reach', 4, ['number', 'Share of the target population within reach (0–1)']],
    ['offers', 'offers', null, ['integer', 'Offers in the area']],
    ['capacity', 'capacity', null],
    ['offersPer1000', 'offers_per_1000', 3, ['number', 'Offers per 1,000 target residents']],
    ['capacityPer1000', 'capacity_per_1000', 3],
    ['medianDistanceMeters', 'median_distance_meters', 'int'],
    ['e2sfcaPer1000', 'e2sfca_per_1000', 3],
  ]);
  return areaFeatureSource(
    { code: 'code', name: 'name' },
    {
      rows: (executor) =>
        executor('areas as a').joinRaw(
          `join jsonb_to_recordset(?::jsonb) as c(area_id uuid, target_population float8, covered_population float8,
             uncovered_population float8, share_within_reach float8, offers int, capacity float8, offers_per_1000 float8,
             capacity_per_1000 float8, median_distance_meters float8, e2sfca_per_1000 float8) on c.area_id = a.id`,
          [JSON.stringify(rows)],
        ),
      id: 'a.code',
      orderBy: 'a.code',
      ...coverage,
    },
  );
}

export interface GapRow {
  id: string;
  rank: number;
  kind: string;
  street_name: string | null;
  area_code: string;
  area_name: string;
  uncovered_residents: number;
  distance_meters: number | null;
  geometry: string;
}

/** Gaps (uncovered street segments or areas), computed in memory, as a bound JSON table. */
export function gapsSource(rows: GapRow[]): FeatureSource {
  const gap = computedColumns('x', [
    ['rank', 'rank', null, ['integer', 'Rank by uncovered residents']],
    ['kind', 'kind', null, ['string', 'segment or area']],
    ['streetName', 'street_name', null, ['string', 'Street']],
    ['areaCode', 'area_code', null, ['string', 'Code of the Sozialraum']],
    ['areaName', 'area_name', null, ['string', 'Name of the Sozialraum']],
    ['uncoveredResidents', 'uncovered_residents', 'int', ['number', 'Target residents out of reach']],
    ['distanceMeters', 'distance_meters', 'int'],
  ]);
  return {
    rows: (executor) =>
      executor
        .from(
          executor.raw(
            `jsonb_to_recordset(?::jsonb) as x(id text, rank int, kind text, street_name text, area_code text, area_name text,
               uncovered_residents float8, distance_meters float8, geometry text)`,
            [JSON.stringify(rows)],
          ),
        )
        .joinRaw('cross join lateral (select ST_SetSRID(ST_GeomFromGeoJSON(x.geometry), 4326) as geom) as g'),
    id: 'x.id',
    geometry: 'g.geom',
    orderBy: 'x.rank',
    properties: gap.properties,
    queryables: [...gap.queryables, { name: 'geometry', type: 'geometry', title: 'Street or area', expression: 'g.geom' }],
  };
}

const comparisonTemplates: Record<string, string> = {
  '=': '? = ?',
  '<>': '? <> ?',
  '<': '? < ?',
  '>': '? > ?',
  '<=': '? <= ?',
  '>=': '? >= ?',
};

function literalValue(literal: Cql2Literal): string | number | boolean {
  return literal.value;
}

function checkLiteral(queryable: Queryable, literal: Cql2Literal): void {
  const expected: Record<Queryable['type'], Cql2Literal['kind'][]> = {
    string: ['string'],
    number: ['number'],
    integer: ['number'],
    boolean: ['boolean'],
    date: ['date', 'string'],
    timestamp: ['timestamp', 'date', 'string'],
    geometry: [],
  };
  if (!expected[queryable.type].includes(literal.kind)) {
    throw new FilterProblem('filter', 'compared_with', { name: queryable.name, hint: cql2Messages[`hint_${queryable.type}`] });
  }
  if ((literal.kind === 'string' && (queryable.type === 'date' || queryable.type === 'timestamp')) && Number.isNaN(Date.parse(literal.value))) {
    throw new FilterProblem('filter', 'compared_with_date', { name: queryable.name, value: literal.value });
  }
}

class FilterCompiler {
  private readonly byName: Map<string, SqlQueryable>;

  constructor(
    private readonly executor: Executor,
    source: FeatureSource,
    private readonly filterSrid: number,
  ) {
    this.byName = new Map(source.queryables.map((queryable) => [queryable.name, queryable]));
  }

  queryable(name: string): SqlQueryable {
    const queryable = this.byName.get(name);
    if (!queryable) {
      const names = [...this.byName.keys()].join(', ');
      throw new FilterProblem('filter', 'no_queryable', { name, names });
    }
    return queryable;
  }

  apply(builder: Knex.QueryBuilder, expression: Cql2Expression): void {
    switch (expression.kind) {
      case 'and':
        builder.where((group) => {
          for (const operand of expression.operands) group.where((inner) => this.apply(inner, operand));
        });
        return;
      case 'or':
        builder.where((group) => {
          for (const operand of expression.operands) group.orWhere((inner) => this.apply(inner, operand));
        });
        return;
      case 'not':
        builder.whereNot((inner) => this.apply(inner, expression.operand));
        return;
      case 'literal':
        builder.whereRaw(expression.value ? 'true' : 'false');
        return;
      case 'comparison':
        this.comparison(builder, expression.operator, expression.left, expression.right);
        return;
      case 'isNull': {
        const queryable = this.queryable(expression.property);
        if (queryable.list) throw new FilterProblem('filter', 'list_is_null', { name: queryable.name });
        builder.whereRaw(expression.negated ? '? is not null' : '? is null', [this.executor.raw(queryable.expression)]);
        return;
      }
      case 'like':
        this.scalarTest(builder, expression.property, expression.negated, (target, queryable) => {
          if (queryable.type !== 'string') throw new FilterProblem('filter', 'like_not_text', { name: queryable.name });
          target.whereRaw('? like ?', [this.executor.raw(queryable.expression), expression.pattern]);
        });
        return;
      case 'between':
        this.scalarTest(builder, expression.property, expression.negated, (target, queryable) => {
          checkLiteral(queryable, expression.low);
          checkLiteral(queryable, expression.high);
          target.whereRaw('? between ? and ?', [this.executor.raw(queryable.expression), literalValue(expression.low), literalValue(expression.high)]);
        });
        return;
      case 'in':
        this.scalarTest(builder, expression.property, expression.negated, (target, queryable) => {
          for (const value of expression.values) checkLiteral(queryable, value);
          target.whereIn(this.executor.raw(queryable.expression) as unknown as string, expression.values.map(literalValue) as string[]);
        });
        return;
      case 'intersects': {
        const queryable = this.queryable(expression.property);
        if (queryable.type !== 'geometry') throw new FilterProblem('filter', 'intersects_not_geometry', { name: queryable.name });
        builder.whereRaw('ST_Intersects(?, ST_Transform(ST_MakeValid(ST_SetSRID(ST_GeomFromGeoJSON(?), ?::integer)), 4326))', [
          this.executor.raw(queryable.expression),
          JSON.stringify(expression.geometry),
          this.filterSrid,
        ]);
        return;
      }
    }
  }

  /** A test on one property; on a list property it means "some entry of the list passes". */
  private scalarTest(
    builder: Knex.QueryBuilder,
    name: string,
    negated: boolean,
    test: (target: Knex.QueryBuilder, queryable: SqlQueryable) => void,
  ): void {
    const queryable = this.queryable(name);
    if (queryable.type === 'geometry') throw new FilterProblem('filter', 'geometry_compared', { name });
    const positive = (target: Knex.QueryBuilder) => {
      if (queryable.listQuery) target.whereExists(queryable.listQuery(this.executor, (inner) => test(inner, queryable)));
      else test(target, queryable);
    };
    if (negated) builder.whereNot(positive);
    else builder.where(positive);
  }

  private comparison(builder: Knex.QueryBuilder, operator: string, left: Cql2Scalar, right: Cql2Scalar): void {
    if (left.kind !== 'property' && right.kind === 'property') {
      const mirrored: Record<string, string> = { '<': '>', '>': '<', '<=': '>=', '>=': '<=', '=': '=', '<>': '<>' };
      this.comparison(builder, mirrored[operator]!, right, left);
      return;
    }
    const template = comparisonTemplates[operator]!;
    if (left.kind !== 'property') {
      builder.whereRaw(template, [literalValue(left), literalValue(right as Cql2Literal)]);
      return;
    }
    const queryable = this.queryable(left.name);
    if (queryable.type === 'geometry') throw new FilterProblem('filter', 'geometry_compared', { name: left.name });
    if (right.kind === 'property') {
      const other = this.queryable(right.name);
      if (queryable.list || other.list) throw new FilterProblem('filter', 'list_compared');
      builder.whereRaw(template, [this.executor.raw(queryable.expression), this.executor.raw(other.expression)]);
      return;
    }
    checkLiteral(queryable, right);
    if (queryable.listQuery) {
      if (operator !== '=' && operator !== '<>') throw new FilterProblem('filter', 'list_operator', { name: queryable.name });
      const contains = queryable.listQuery(this.executor, (inner) => inner.whereRaw('? = ?', [this.executor.raw(queryable.expression), literalValue(right)]));
      if (operator === '=') builder.whereExists(contains);
      else builder.whereNotExists(contains);
      return;
    }
    builder.whereRaw(template, [this.executor.raw(queryable.expression), literalValue(right)]);
  }
}

function applyFilter(executor: Executor, source: FeatureSource, builder: Knex.QueryBuilder, filter: FeatureFilter): void {
  if (filter.bbox) {
    const { west, south, east, north, srid } = filter.bbox;
    const st = postgis(executor);
    builder.where(st.intersects(executor.raw(source.geometry), st.transform(st.makeEnvelope(west, south, east, north, srid), 4326)));
  }
  if (filter.datetime && source.temporal) {
    if (filter.datetime.start) builder.whereRaw('? >= ?', [executor.raw(source.temporal), filter.datetime.start]);
    if (filter.datetime.end) builder.whereRaw('? <= ?', [executor.raw(source.temporal), filter.datetime.end]);
  }
  const compiler = new FilterCompiler(executor, source, filter.cql?.srid ?? 4326);
  for (const property of filter.properties) {
    compiler.apply(builder, { kind: 'comparison', operator: '=', left: { kind: 'property', name: property.name }, right: propertyLiteral(compiler.queryable(property.name), property) });
  }
  if (filter.cql) compiler.apply(builder, filter.cql.expression);
}

/** A property filter from the query string (`?offerType=kita`) as the literal its type expects. */
function propertyLiteral(queryable: Queryable, property: { name: string; value: string }): Cql2Literal {
  if (queryable.type === 'number' || queryable.type === 'integer') {
    const value = Number(property.value);
    if (property.value.trim() === '' || !Number.isFinite(value)) throw new FilterProblem(property.name, 'property_number');
    return { kind: 'number', value };
  }
  if (queryable.type === 'boolean') {
    if (!['true', 'false'].includes(property.value)) throw new FilterProblem(property.name, 'property_boolean');
    return { kind: 'boolean', value: property.value === 'true' };
  }
  if ((queryable.type === 'date' || queryable.type === 'timestamp') && Number.isNaN(Date.parse(property.value))) {
    throw new FilterProblem(property.name, 'property_date');
  }
  return { kind: 'string', value: property.value };
}

export async function countFeatures(executor: Executor, source: FeatureSource, filter: FeatureFilter): Promise<number> {
  const builder = source.rows(executor, filter.cityId);
  applyFilter(executor, source, builder, filter);
  const [row] = (await builder.clearSelect().count({ count: '*' })) as { count: string | number }[];
  return Number(row?.count ?? 0);
}

interface FeatureRow {
  feature_id: string;
  feature_geometry: string | null;
  [property: string]: unknown;
}

export async function listFeatures(
  executor: Executor,
  source: FeatureSource,
  filter: FeatureFilter,
  page: { limit: number; offset: number; srid: number; id?: string },
): Promise<OgcFeature[]> {
  const builder = source.rows(executor, filter.cityId);
  applyFilter(executor, source, builder, filter);
  if (page.id !== undefined) builder.whereRaw('(?)::text = ?', [executor.raw(source.id), page.id]);
  // Metric coordinates need two decimals (centimetres); degrees seven (about a centimetre).
  const decimals = page.srid === 4326 ? 7 : 2;
  builder
    .select(
      executor.raw('(?)::text as feature_id', [executor.raw(source.id)]),
      postgis(executor).asGeoJSONRounded(postgis(executor).transform(executor.raw(source.geometry), page.srid), decimals).as('feature_geometry'),
      ...Object.entries(source.properties).map(([name, expression]) => executor.raw('? as ??', [executor.raw(expression), name])),
    )
    .orderByRaw(source.orderBy)
    .limit(page.limit)
    .offset(page.offset);
  const rows = (await builder) as FeatureRow[];
  return rows.map((row) => {
    const properties: Record<string, unknown> = {};
    for (const name of Object.keys(source.properties)) {
      const value = row[name];
      properties[name] = value instanceof Date ? value.toISOString() : value;
    }
    return {
      type: 'Feature',
      id: row.feature_id,
      geometry: row.feature_geometry ? (JSON.parse(row.feature_geometry) as GeoJSON.Geometry) : null,
      properties,
    };
  });
}

/** Which area levels hold areas, which indicators hold values (with their periods). */
export async function listCollectionFacts(executor: Executor): Promise<{
  levels: string[];
  indicators: { code: string; labelDe: string; labelEn: string; unit: string; first: string; last: string }[];
}> {
  const levels = (await executor('areas').distinct('level').orderBy('level')) as { level: string }[];
  const indicators = (await executor('indicators as i')
    .join('area_statistics as s', 's.indicator_id', 'i.id')
    .groupBy('i.id', 'i.code', 'i.label_de', 'i.label_en', 'i.unit', 'i.sort_order')
    .select(
      'i.code',
      'i.label_de',
      'i.label_en',
      'i.unit',
      executor.raw("to_char(min(s.period), 'YYYY-MM-DD') as first"),
      executor.raw("to_char(max(s.period), 'YYYY-MM-DD') as last"),
    )
    .orderBy([{ column: 'i.sort_order' }, { column: 'i.code' }])) as { code: string; label_de: string; label_en: string; unit: string; first: string; last: string }[];
  return {
    levels: levels.map((row) => row.level),
    indicators: indicators.map((row) => ({ code: row.code, labelDe: row.label_de, labelEn: row.label_en, unit: row.unit, first: row.first, last: row.last })),
  };
}
