import type { TFunction } from 'i18next';

export function numberFormat(language: string): Intl.NumberFormat {
  return new Intl.NumberFormat(language === 'en' ? 'en-GB' : 'de-DE', { maximumFractionDigits: 1 });
}

const unitKeys = ['percent', 'per_1000', 'persons', 'count', 'index'] as const;

/** A figure with its unit: "41,7 %", "3,2 je 1.000", "26 Anzahl" → for counts only the number. */
export function formatFigure(value: number | null, unit: string, language: string, t: TFunction): string {
  if (value === null) return t('steering.noValue');
  const number = numberFormat(language).format(value);
  if (unit === 'percent') return `${number} %`;
  if (unit === 'per_1000') return `${number} ${t('steering.units.per_1000')}`;
  if ((unitKeys as readonly string[]).includes(unit)) return number;
  return `${number} ${unit}`;
}

/** "2027-01" → "Jan. 2027" / "Jan 2027". */
export function formatMonth(month: string, language: string): string {
  const date = new Date(`${month}-01T00:00:00Z`);
  return new Intl.DateTimeFormat(language === 'en' ? 'en-GB' : 'de-DE', { month: 'short', year: 'numeric', timeZone: 'UTC' }).format(date);
}

export function formatDate(date: string, language: string): string {
  return new Intl.DateTimeFormat(language === 'en' ? 'en-GB' : 'de-DE', { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(date));
}
