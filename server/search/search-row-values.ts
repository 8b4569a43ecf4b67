import type { SearchIndexRow } from './search.repo.ts';

// The search index holds every visible offer location as a row object for as long as it is
// current (a million at the scale of issue 14). The driver gives every row its own string for
// each text and its own arrays, although most of them repeat: an offer type's code, labels and
// id, an organization, opening hours, a list of languages or terms, a street, a city. Each is an
// object that every full garbage collection marks on the request thread's heap, and together they
// were most of the row's objects (docs/benchmarks.md, "Fewer objects per index row").
// `createRowValues` makes the rows of one index load share one instance of each repeated text and
// list. Shared lists are frozen, so that a change to one row's list cannot reach another row
// unnoticed.

/** Makes rows share their repeated values; one per index load (it holds each distinct value once). */
export function createRowValues(): (row: SearchIndexRow) => void {
  const texts = new Map<string, string>();
  const lists = new Map<string, string[]>();

  function text<T extends string | null>(value: T): T {
    if (value === null) return value;
    const known = texts.get(value);
    if (known !== undefined) return known as T;
    texts.set(value, value);
    return value;
  }

  function list(values: string[]): string[] {
    // The unit separator: no term id or language code holds it.
    const key = values.join('\u001f');
    const known = lists.get(key);
    if (known !== undefined) return known;
    const shared = Object.freeze(values.map(text)) as string[];
    lists.set(key, shared);
    return shared;
  }

  return (row) => {
    row.offerTypeId = text(row.offerTypeId);
    row.offerTypeCode = text(row.offerTypeCode);
    row.offerTypeLabelDe = text(row.offerTypeLabelDe);
    row.offerTypeLabelEn = text(row.offerTypeLabelEn);
    row.organization = text(row.organization);
    row.openingHours = text(row.openingHours);
    row.costKind = text(row.costKind);
    row.languages = list(row.languages);
    row.termIds = list(row.termIds);
    const { address } = row;
    address.name = text(address.name);
    address.street = text(address.street);
    address.houseNumber = text(address.houseNumber);
    address.postalCode = text(address.postalCode);
    address.city = text(address.city);
  };
}
