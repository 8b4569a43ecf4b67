// Which format a chosen file has, judged by its name (the person can still choose another).
// Pure: unit-tested.
import type { FileFormat } from '../../../../server/offers/offers.schema';

export function guessFormat(fileName: string): FileFormat | null {
  const name = fileName.toLowerCase();
  if (name.endsWith('.csv') || name.endsWith('.txt')) return 'csv';
  if (name.endsWith('.geojson')) return 'geojson';
  if (name.endsWith('.hsds.json') || name.endsWith('.hsds')) return 'hsds';
  if (name.endsWith('.json')) return null;
  return null;
}

export function percent(loaded: number, total: number): number {
  if (total <= 0) return 0;
  return Math.min(100, Math.round((loaded / total) * 100));
}

// "1,2 MB" / "1.2 MB": sizes as people read them.
export function formatFileSize(bytes: number, language: string): string {
  const locale = language.startsWith('en') ? 'en-GB' : 'de-DE';
  const units = ['B', 'kB', 'MB', 'GB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return `${new Intl.NumberFormat(locale, { maximumFractionDigits: unit === 0 ? 0 : 1 }).format(value)} ${units[unit]}`;
}
