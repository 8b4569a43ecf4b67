import type { AreaCoverage, CoverageMethod } from '../../../../server/coverage/coverage.schema';
import { mappableIndicators } from './indicators';

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
  reach_meters: method.reach.meters,
  measured_on: method.reach.measuredOn,
  detour_factor: method.reach.detourFactor ?? '',
});

/** One row per area with every indicator and the method columns, so a copied table keeps its method. */
export function coverageCsv(areas: readonly AreaCoverage[], method: CoverageMethod): string {
  const header = ['area_id', 'code', 'name', 'level', ...mappableIndicators, 'covered_population', ...Object.keys(methodColumns(method))];
  const lines = [header.join(',')];
  for (const area of areas) {
    lines.push(
      [
        area.areaId,
        area.code,
        area.name,
        area.level,
        ...mappableIndicators.map((key) => area[key]),
        area.coveredPopulation,
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
