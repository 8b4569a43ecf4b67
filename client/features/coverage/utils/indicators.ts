import type { AreaCoverage, CoverageIndicators } from '../../../../server/coverage/coverage.schema';

export type IndicatorKey = keyof CoverageIndicators;

// The indicators a planner can map; shares are shown in percent.
export const mappableIndicators: readonly IndicatorKey[] = [
  'shareWithinReach',
  'uncoveredPopulation',
  'medianDistanceMeters',
  'e2sfcaPer1000',
  'offersPer1000',
  'capacityPer1000',
  'offers',
  'targetPopulation',
];

export function isIndicatorKey(value: string | null): value is IndicatorKey {
  return value !== null && (mappableIndicators as readonly string[]).includes(value);
}

export function indicatorValue(area: AreaCoverage, key: IndicatorKey): number | null {
  const value = area[key];
  if (value === null || value === undefined) return null;
  return key === 'shareWithinReach' ? value * 100 : value;
}

export function formatIndicator(value: number | null, key: IndicatorKey, language: string): string {
  if (value === null || !Number.isFinite(value)) return '–';
  const locale = language === 'en' ? 'en-GB' : 'de-DE';
  const digits = key === 'shareWithinReach' || key.endsWith('Per1000') ? 1 : 0;
  const text = new Intl.NumberFormat(locale, { maximumFractionDigits: digits, minimumFractionDigits: digits }).format(value);
  if (key === 'shareWithinReach') return `${text} %`;
  if (key === 'medianDistanceMeters') return `${text} m`;
  return text;
}
