import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// Issue 10 found rules of the server written twice. Each rule now lives in one module; these
// checks read the server's source and fail when a copy comes back (docs/architecture.md,
// "Issue 10: where each finding is done").

const serverRoot = path.resolve(import.meta.dirname, '../../server');

function sourceFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.(ts|mjs)$/.test(entry.name) ? [full] : [];
  });
}

const files = sourceFiles(serverRoot).map((file) => ({
  name: path.relative(serverRoot, file).split(path.sep).join('/'),
  text: readFileSync(file, 'utf8'),
}));

/** The files (other than `allowed`) in which `pattern` occurs. */
function filesMatching(pattern: RegExp, allowed: readonly string[] = []): string[] {
  return files.filter((file) => !allowed.includes(file.name) && pattern.test(file.text)).map((file) => file.name);
}

describe('issue 10: each rule of the server is written once', () => {
  it('reads the whole server', () => {
    expect(files.length).toBeGreaterThan(100);
    expect(files.map((file) => file.name)).toContain('shared/visible-offers.ts');
  });

  it('restates the public-offer rule (published, active, not archived) nowhere but in shared/visible-offers.ts', () => {
    const restating = files
      .filter((file) => file.name !== 'shared/visible-offers.ts')
      .filter((file) =>
        [...file.text.matchAll(/'published'/g)].some((match) => {
          const near = file.text.slice(Math.max(0, match.index - 200), match.index + 200);
          return near.includes("'active'") && near.includes('archived_at');
        }),
      )
      .map((file) => file.name);
    expect(restating).toEqual([]);
  });

  it('has one heap and one Dijkstra, in server/streets', () => {
    expect(filesMatching(/class \w*Heap\b|function dijkstra|priority queue/i, ['streets/min-heap.ts', 'streets/dijkstra.ts'])).toEqual([]);
  });

  it('has one earth distance, in server/streets/geodesic.ts', () => {
    expect(filesMatching(/\b6[_]?371[_]?0{0,3}\b|\b6[_]?378[_]?137\b|haversine|vincenty/i, ['streets/geodesic.ts'])).toEqual([]);
  });

  it('states the default detour factor once (streets/walking.ts; configuration overrides it), never as a literal 1.3 elsewhere', () => {
    expect(filesMatching(/detour\w*\s*[:=?(]+\s*1\.3\b|\*\s*1\.3\b|default\(1\.3\)/i, ['streets/walking.ts'])).toEqual([]);
  });

  it('names an unknown taxonomy code unknown_term only', () => {
    expect(filesMatching(/['"]unknown_code['"]/)).toEqual([]);
  });

  it('states the verification age once (staleAfterMonths), never as a literal interval in SQL', () => {
    expect(filesMatching(/'\d+\s*months?'|interval\s+'\d+\s*(months?|years?)'/i)).toEqual([]);
  });

  it('leaves the verification age out of the UI texts: they say {{months}}, filled from staleAfterMonths', () => {
    const locales = ['de.ts', 'en.ts'].map((name) => readFileSync(path.resolve(serverRoot, '../client/i18n/locales', name), 'utf8'));
    for (const text of locales) {
      expect(text.match(/\d+\s+(Monat\w*|months?)\b/g) ?? []).toEqual([]);
      expect(text).toContain('{{months}}');
    }
  });

  it('builds the street network in server/streets only', () => {
    expect(files.map((file) => file.name).filter((name) => /network-graph|street-network/.test(name))).toEqual(['streets/street-network.ts']);
  });
});
