import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

const repo = pathToFileURL(path.resolve(import.meta.dirname, '../../server/search/search.repo.ts')).href;

// The search index holds a row object per offer location for as long as it is current. Rows made
// by spreading a result row into a new object got nearly a hidden class each once a field's kind
// had changed (a null age, then a number): at 100k offers 100k classes and descriptor arrays
// (≈ 65 MB) for every full collection to mark (docs/benchmarks.md, "Fewer objects per index
// row"). Whether two objects share a class is only visible to V8's natives syntax, so the rows
// are made in a node process of their own that allows it.
const child = `
const { toSearchIndexRow } = await import(${JSON.stringify(repo)});
const record = (index) => ({
  id: 'row-' + index, offer_id: 'offer-' + index, location_id: 'location-' + index, name: 'Angebot ' + index,
  summary: index % 2 ? null : 'Beratung', offer_type_code: 'kita', offer_type_label_de: 'Kita', offer_type_label_en: 'Day care',
  organization_name: index % 3 ? null : 'Caritas', location_name: null, street: 'Neumarkt', house_number: index % 7 ? null : '1',
  postal_code: null, city: 'Köln', lon: 6.9 + index / 1e5, lat: 50.9, distance: null,
  opening_hours: index % 4 ? null : 'Mo 09:00-12:00', cost_kind: index % 2 ? 'free' : null, languages: ['de'], term_ids: [],
  min_age: index % 5 ? null : 3.5 + (index % 7), max_age: index % 6 ? null : 10, matched: 1, offer_type_id: 'type',
  lexemes: index % 2 ? 'beratung\\u001fkita' : null, endings: null, organization_lexemes: null,
});
const rows = Array.from({ length: 500 }, (_, index) => toSearchIndexRow(record(index)));
const sameClass = new Function('a', 'b', 'return %HaveSameMap(a, b)');
process.stdout.write(JSON.stringify({ rows: rows.length, sharingTheLastRowsClass: rows.filter((row) => sameClass(row, rows[rows.length - 1])).length }));
`;

describe('index rows (toSearchIndexRow)', () => {
  it('share one hidden class, whatever their nulls and numbers', () => {
    const output = execFileSync(process.execPath, ['--allow-natives-syntax', '--import', 'tsx', '--input-type=module', '-e', child], {
      cwd: path.resolve(import.meta.dirname, '../..'),
      encoding: 'utf8',
    });
    const { rows, sharingTheLastRowsClass } = JSON.parse(output) as { rows: number; sharingTheLastRowsClass: number };
    expect(rows).toBe(500);
    // Made with a spread, 8 of 2,000 such rows shared the class of the first.
    expect(sharingTheLastRowsClass).toBeGreaterThanOrEqual(490);
  });
});
