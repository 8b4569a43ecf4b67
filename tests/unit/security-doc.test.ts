import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// docs/security.md maps each defect of issue 11 to the tests that prove it fixed. A renamed or
// deleted test must not leave the table pointing at nothing.

const root = path.resolve(import.meta.dirname, '../..');
const securityDoc = fs.readFileSync(path.join(root, 'docs/security.md'), 'utf8');

/** The rows of the defect table: number and the cell that names the tests. */
function defectRows(): Array<{ number: number; proof: string }> {
  const section = securityDoc.split('## Issue 11: each defect')[1]?.split('\n## ')[0] ?? '';
  return section
    .split('\n')
    .map((line) => /^\| (\d+) \| .+? \| (.+) \|$/.exec(line))
    .filter((match): match is RegExpExecArray => match !== null)
    .map((match) => ({ number: Number(match[1]), proof: match[2]! }));
}

/** Each named test as file and name: `tests/x.test.ts › "name", › "other"; tests/y.test.ts …`. */
function namedTests(proof: string): Array<{ file: string; name: string }> {
  const named: Array<{ file: string; name: string }> = [];
  let file: string | undefined;
  for (const match of proof.matchAll(/(tests\/[\w/.-]+\.test\.ts)|› "((?:\\"|[^"])*)"/g)) {
    if (match[1]) file = match[1];
    else if (file) named.push({ file, name: match[2]!.replaceAll('\\"', '"') });
  }
  return named;
}

describe('docs/security.md: issue 11 defects and their tests', () => {
  it('has a row for each of the eleven defects, each naming at least one test', () => {
    const rows = defectRows();
    expect(rows.map((row) => row.number)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    for (const row of rows) expect(namedTests(row.proof).length, `defect ${row.number}`).toBeGreaterThan(0);
  });

  it('names only tests that exist, in the files it names', () => {
    for (const row of defectRows()) {
      for (const { file, name } of namedTests(row.proof)) {
        const source = fs.readFileSync(path.join(root, file), 'utf8').replaceAll("\\'", "'");
        expect(source.includes(`'${name}'`) || source.includes(`"${name}"`) || source.includes(`\`${name}\``), `defect ${row.number}: ${file} › ${name}`).toBe(true);
      }
    }
  });
});
