/**
 * Coverage A/B in one command: two checkouts (A, e.g. the commit before issue 10, and B, this
 * tree) each load Cologne once into their own fresh database, then answer the same coverage
 * questions in alternated rounds (A B A B …). Prints a table of the medians per side, B / A, and
 * the load average at the start and after every round.
 *
 *   git archive 3cb8d26 | (mkdir -p /tmp/abA && tar -x -C /tmp/abA) && cp -al node_modules /tmp/abA/
 *   GEODATA_DIR=/work/shared/geodata-sources npx tsx bench/coverage-ab.ts /tmp/abA .
 *   BENCH_ROUNDS=3 BENCH_REPETITIONS=5 …   (the defaults; DATABASE_URL is not supported: two databases)
 *   BENCH_ONLY=HTTP …   only the questions whose label contains the text (here: the HTTP rows)
 *
 * Each cell is the median over the rounds of each round's median (of BENCH_REPETITIONS; "all
 * types": of half as many). Not a test: no limits enforced.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { loadavg } from 'node:os';
import path from 'node:path';
import { createInterface, type Interface } from 'node:readline';

interface Side {
  name: 'A' | 'B';
  checkout: string;
  child: ChildProcessWithoutNullStreams;
  lines: AsyncIterator<string>;
  setupMs: number;
  firstMs: number;
  rounds: Record<string, number>[];
  cpu: Record<string, number>[];
}

const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const runner = new URL('./coverage-ab-runner.ts', import.meta.url).pathname;

function load(): string {
  return loadavg()
    .map((value) => value.toFixed(2))
    .join(' ');
}

function median(values: number[]): number {
  const sorted = [...values].sort((left, right) => left - right);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** The next JSON line of a side (lines that are not JSON, e.g. a library's notice, are shown and skipped). */
async function next(side: Side): Promise<Record<string, unknown>> {
  for (;;) {
    const line = await side.lines.next();
    if (line.done) throw new Error(`side ${side.name} (${side.checkout}) stopped; see its stderr above`);
    try {
      return JSON.parse(line.value) as Record<string, unknown>;
    } catch {
      console.log(`  [${side.name}] ${line.value}`);
    }
  }
}

function start(name: Side['name'], checkout: string): Side {
  // Started in the checkout, so that its tsx and its node_modules load its code.
  const child = spawn(process.execPath, ['--import', 'tsx', runner, checkout], {
    cwd: checkout,
    env: { ...process.env, LOG_LEVEL: 'silent' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  child.stderr.on('data', (chunk: Buffer) => process.stderr.write(`[${name}] ${chunk.toString()}`));
  const reader: Interface = createInterface({ input: child.stdout });
  return { name, checkout, child, lines: reader[Symbol.asyncIterator](), setupMs: 0, firstMs: 0, rounds: [], cpu: [] };
}

function row(label: string, a: number, b: number, details: string): string {
  return `| ${label} | ${a.toFixed(0)} ms | ${b.toFixed(0)} ms | ${(b / a).toFixed(2)} | ${details} |`;
}

async function main(): Promise<void> {
  const [checkoutA, checkoutB] = process.argv.slice(2).map((argument) => path.resolve(argument));
  if (!checkoutA || !checkoutB) throw new Error('usage: npx tsx bench/coverage-ab.ts <checkout A> <checkout B>');
  console.log(`A = ${checkoutA}\nB = ${checkoutB}\nload average at start: ${load()}`);
  // One after the other: the two set-ups would otherwise compete for the cores (and 2 GB of PGlite at once is enough).
  const sides: Side[] = [];
  for (const [name, checkout] of [['A', checkoutA], ['B', checkoutB]] as const) {
    const side = start(name, checkout);
    const ready = await next(side);
    side.setupMs = Number(ready.setupMs);
    side.firstMs = Number(ready.firstMs);
    console.log(`${name}: set-up ${(side.setupMs / 1000).toFixed(1)} s, first question ${side.firstMs.toFixed(0)} ms (load ${load()})`);
    sides.push(side);
  }
  for (let round = 1; round <= rounds; round++) {
    for (const side of sides) {
      side.child.stdin.write('round\n');
      const answer = await next(side);
      side.rounds.push(answer.round as Record<string, number>);
      side.cpu.push(answer.cpu as Record<string, number>);
      console.log(`round ${round} ${side.name} done (load ${load()})`);
    }
  }
  for (const side of sides) side.child.stdin.end();
  await Promise.all(sides.map((side) => once(side.child, 'exit')));

  const [a, b] = sides as [Side, Side];
  for (const [title, of] of [
    ['wall time', (side: Side) => side.rounds],
    ['CPU time of the process, all threads', (side: Side) => side.cpu],
  ] as const) {
    console.log(`\n${title}\n| question (median of ${rounds} round medians) | A | B | B / A | round medians A ; B |`);
    console.log('|---|---|---|---|---|');
    for (const label of Object.keys(of(a)[0] ?? {})) {
      const valuesA = of(a).map((medians) => medians[label]!);
      const valuesB = of(b).map((medians) => medians[label] ?? Number.NaN);
      const details = `${valuesA.map((value) => value.toFixed(0)).join(', ')} ; ${valuesB.map((value) => value.toFixed(0)).join(', ')}`;
      console.log(row(label, median(valuesA), median(valuesB), details));
    }
  }
  console.log(row('first question (model built), wall', a.firstMs, b.firstMs, 'once'));
  console.log(`set-up (migrate, seed, import Cologne): A ${(a.setupMs / 1000).toFixed(1)} s, B ${(b.setupMs / 1000).toFixed(1)} s`);
  console.log(`\nload average at end: ${load()} (uptime: 1, 5, 15 minutes)`);
}

await main();
