import type { AreaCoverage, CoverageMethod } from '../../../../server/coverage/coverage.schema';

// RFC 4180: quote fields with separators, quotes or line breaks; double the quotes inside.
function csvField(value: unknown): string {
  const text = value === null || value === undefined ? '' : String(value);
  return /[",;\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

const methodColumns = (method: CoverageMethod) => ({
  offer_type: method.offerType?.code ?? '',
  target_group: method.targetGroup.code,
  indicators: method.demand.indicators.map((indicator) => indicator.code).join('+'),
  statistics_period: method.demand.period,
  reach_mode: method.reach.mode,
  reach_m: method.reach.meters,
  measured_on: method.reach.measuredOn,
  detour_factor: method.reach.detourFactor ?? '',
});

/**
 * The exported indicators with their unit in the column name and the precision the data carries:
 * residents and offers are whole numbers, shares percent with one decimal, distances whole metres,
 * rates per 1,000 with two decimals (no 15-digit floats, no fractional residents).
 */
export const csvIndicatorColumns: readonly { key: keyof AreaCoverage; column: string; scale: number; digits: number }[] = [
  { key: 'shareWithinReach', column: 'share_within_reach_percent', scale: 100, digits: 1 },
  { key: 'uncoveredPopulation', column: 'uncovered_population_residents', scale: 1, digits: 0 },
  { key: 'medianDistanceMeters', column: 'median_distance_m', scale: 1, digits: 0 },
  { key: 'e2sfcaPer1000', column: 'e2sfca_per_1000_residents', scale: 1, digits: 2 },
  { key: 'offersPer1000', column: 'offers_per_1000_residents', scale: 1, digits: 2 },
  { key: 'capacityPer1000', column: 'capacity_per_1000_residents', scale: 1, digits: 2 },
  { key: 'offers', column: 'offers_count', scale: 1, digits: 0 },
  { key: 'targetPopulation', column: 'target_population_residents', scale: 1, digits: 0 },
  { key: 'coveredPopulation', column: 'covered_population_residents', scale: 1, digits: 0 },
];

/** A number rounded to `digits` decimals, written with a dot and without trailing zeros; empty for no value. */
export function roundedNumber(value: unknown, scale: number, digits: number): string {
  if (typeof value !== 'number' || !Number.isFinite(value)) return '';
  const factor = 10 ** digits;
  const rounded = Math.round(value * scale * factor) / factor;
  return String(Object.is(rounded, -0) ? 0 : rounded);
}

/** One row per area with every indicator and the method columns, so a copied table keeps its method. */
export function coverageCsv(areas: readonly AreaCoverage[], method: CoverageMethod): string {
  const header = ['area_id', 'code', 'name', 'level', ...csvIndicatorColumns.map((column) => column.column), ...Object.keys(methodColumns(method))];
  const lines = [header.join(',')];
  for (const area of areas) {
    lines.push(
      [
        area.areaId,
        area.code,
        area.name,
        area.level,
        ...csvIndicatorColumns.map((column) => roundedNumber(area[column.key], column.scale, column.digits)),
        ...Object.values(methodColumns(method)),
      ]
        .map(csvField)
        .join(','),
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}

/** The areas' geometry joined with their indicators (RFC 7946), with the method as a foreign member. */
export function coverageGeoJson(
  areas: readonly AreaCoverage[],
  geometries: ReadonlyMap<string, GeoJSON.Geometry>,
  method: CoverageMethod,
): GeoJSON.FeatureCollection & { method: CoverageMethod } {
  return {
    type: 'FeatureCollection',
    method,
    features: areas.flatMap((area) => {
      const geometry = geometries.get(area.areaId);
      return geometry ? [{ type: 'Feature' as const, id: area.areaId, properties: { ...area }, geometry }] : [];
    }),
  };
}

export function downloadBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
