/**
 * What zod's copy of the parse context costs (server/http/localized-validation.ts `parseContext`):
 * the search's query parsed 100,000 times with the error map alone (`{ error }`, which zod copies as
 * `{ ...context, async: false }`: in V8 a new map per parse) against the context that has
 * `async: false` already. Each variant in a process of its own (the first variant's shapes would
 * make zod's inline caches megamorphic for the second), alternated over the rounds; prints µs per
 * parse and the collectors' pauses per parse.
 *
 *   npx tsx bench/parse-context.ts [--rounds 3]
 */
import { spawnSync } from 'node:child_process';
import { PerformanceObserver } from 'node:perf_hooks';
import { localizedErrorMap, parseContext } from '../server/http/localized-validation.ts';
import { searchQuerySchema } from '../server/search/search.schema.ts';
import { benchOption } from './generate-offers.ts';

const variant = process.argv[2];
if (variant === 'error-map' || variant === 'context') {
  const origins = Array.from({ length: 400 }, (_, index) => ({ lat: String(50.9 + index * 0.0001), lon: String(6.88 + index * 0.0002) }));
  let paused = 0;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) paused += entry.duration;
  }).observe({ entryTypes: ['gc'] });
  let checksum = 0;
  const run = (count: number) => {
    for (let index = 0; index < count; index += 1) {
      const input = { lat: origins[index % 400]!.lat, lon: origins[index % 400]!.lon, radius: '5000', q: 'Kita' };
      const errorMap = localizedErrorMap('de', {});
      const result = searchQuerySchema.safeParse(input, variant === 'context' ? parseContext(errorMap) : { error: errorMap });
      if (result.success) checksum += result.data.radius;
    }
  };
  run(20_000);
  await new Promise((resolve) => setTimeout(resolve, 100));
  const pausedBefore = paused;
  const started = performance.now();
  run(100_000);
  const micros = ((performance.now() - started) * 1000) / 100_000;
  await new Promise((resolve) => setTimeout(resolve, 100)); // the observer's entries arrive after the loop
  console.log(JSON.stringify({ micros, gcMicros: ((paused - pausedBefore) * 1000) / 100_000, checksum }));
} else {
  const rounds = Number(benchOption('rounds') ?? 3);
  const figures: Record<string, { micros: number[]; gc: number[] }> = { 'error-map': { micros: [], gc: [] }, context: { micros: [], gc: [] } };
  for (let round = 0; round < rounds; round += 1) {
    for (const name of round % 2 === 0 ? ['error-map', 'context'] : ['context', 'error-map']) {
      const child = spawnSync(process.execPath, ['--import', 'tsx', import.meta.filename, name], { encoding: 'utf8' });
      if (child.status !== 0) throw new Error(`${name}: ${child.stderr}`);
      const { micros, gcMicros } = JSON.parse(child.stdout) as { micros: number; gcMicros: number };
      console.log(`  round ${round + 1} ${name.padEnd(9)} ${micros.toFixed(2)} µs per parse, GC pause ${gcMicros.toFixed(2)} µs`);
      figures[name]!.micros.push(micros);
      figures[name]!.gc.push(gcMicros);
    }
  }
  const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
  for (const [name, { micros, gc }] of Object.entries(figures)) console.log(`${name.padEnd(9)} ${mean(micros).toFixed(2)} µs per parse, GC pause ${mean(gc).toFixed(2)} µs (mean of ${rounds})`);
}
