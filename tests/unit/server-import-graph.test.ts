import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

// Issue 10: the server's folders import each other in one direction only. ESLint's import zones
// (eslint.config.js) say which files a folder may import; this test sees what they cannot: a loop
// of folders (a → b → a, or longer), e.g. http ⇄ auth or offers ⇄ hsds.

const serverDir = path.resolve(import.meta.dirname, '../../server');

function serverFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return serverFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

/** The top folder of a server file ("offers"), or undefined for app.ts, main.ts, config.ts, logger.ts. */
function folderOf(file: string): string | undefined {
  const parts = path.relative(serverDir, file).split(path.sep);
  return parts.length > 1 ? parts[0] : undefined;
}

function folderGraph(): Map<string, Map<string, string>> {
  const graph = new Map<string, Map<string, string>>();
  for (const file of serverFiles(serverDir)) {
    const from = folderOf(file);
    if (!from) continue;
    const { importedFiles } = ts.preProcessFile(fs.readFileSync(file, 'utf8'), true, false);
    for (const imported of importedFiles) {
      if (!imported.fileName.startsWith('.')) continue;
      const target = path.resolve(path.dirname(file), imported.fileName);
      if (!target.startsWith(serverDir + path.sep)) continue;
      const to = folderOf(target);
      if (!to || to === from) continue;
      const edges = graph.get(from) ?? new Map<string, string>();
      if (!edges.has(to)) edges.set(to, `${path.relative(serverDir, file)} → ${imported.fileName}`);
      graph.set(from, edges);
    }
  }
  return graph;
}

/** Every folder loop, as the chain of imports that closes it. */
function folderLoops(graph: Map<string, Map<string, string>>): string[][] {
  const loops: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const trail: string[] = [];
  const visit = (folder: string) => {
    state.set(folder, 'open');
    trail.push(folder);
    for (const next of graph.get(folder)?.keys() ?? []) {
      if (state.get(next) === 'open') {
        const cycle = [...trail.slice(trail.indexOf(next)), next];
        loops.push(cycle.slice(0, -1).map((member, index) => graph.get(member)!.get(cycle[index + 1]!)!));
      } else if (!state.has(next)) visit(next);
    }
    trail.pop();
    state.set(folder, 'done');
  };
  for (const folder of [...graph.keys()].sort()) if (!state.has(folder)) visit(folder);
  return loops;
}

describe('server import graph', () => {
  it('reads the imports of the feature folders', () => {
    const graph = folderGraph();
    expect(graph.get('search')?.has('http')).toBe(true);
    expect(graph.get('hsds')?.has('offers')).toBe(true);
  });

  it('has no loop between folders', () => {
    expect(folderLoops(folderGraph())).toEqual([]);
  });
});
