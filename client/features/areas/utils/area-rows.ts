import type { AreaCollection } from '../api/get-areas';

export type AreaRow = {
  id: string;
  name: string;
  code: string;
  districtName: string | null;
};

const collator = new Intl.Collator('de', { sensitivity: 'base', numeric: true });

export function toAreaRows(collection: AreaCollection): AreaRow[] {
  return collection.features
    .map((feature) => ({
      id: String(feature.properties.id ?? feature.id),
      name: feature.properties.name,
      code: feature.properties.code,
      districtName: feature.properties.parentName,
    }))
    .sort((a, b) => collator.compare(a.name, b.name) || collator.compare(a.code, b.code));
}

// Case- and accent-insensitive ("koln" finds "Köln"), matching name, code or district.
function fold(text: string): string {
  return text.normalize('NFD').replace(/\p{Diacritic}/gu, '').toLocaleLowerCase('de').replaceAll('ß', 'ss');
}

export function filterAreaRows(rows: readonly AreaRow[], query: string): AreaRow[] {
  const needle = fold(query.trim());
  if (!needle) return [...rows];
  return rows.filter((row) =>
    [row.name, row.code, row.districtName ?? ''].some((value) => fold(value).includes(needle)),
  );
}
