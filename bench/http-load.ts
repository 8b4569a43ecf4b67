/**
 * What the HTTP benchmarks share: autocannon at 10 connections over a list of paths (p95 from
 * every response time: autocannon's histogram has none), and the Node.js flags of a tree's
 * `npm start`, so that a benchmark's server runs as the real one does.
 */
import fs from 'node:fs';
import path from 'node:path';
import autocannon from 'autocannon';

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export interface LoadResult {
  label: string;
  requests: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  errors: number;
  non2xx: number;
  /** The server's CPU time per request (user + system, from /proc): on a crowded machine a steadier measure than req/s. */
  cpuMicroseconds?: number;
  /**
   * This process's CPU time per request: the load generator, which shares the machine with the
   * server (a 17.6 kB search answer costs it about twice a 1 kB one: bench/answer-size-floor.ts).
   */
  loadGeneratorMicroseconds: number;
}

/** `seconds` of load on `base`, the paths taken in turn. */
export async function load(label: string, base: string, paths: string[], seconds: number): Promise<LoadResult> {
  const times: number[] = [];
  let next = 0;
  const instance = autocannon({
    url: base,
    connections: 10,
    duration: seconds,
    requests: [{ setupRequest: (request) => ({ ...request, path: paths[next++ % paths.length]! }) }],
  });
  instance.on('response', (_client: unknown, _status: number, _bytes: number, responseTime: number) => times.push(responseTime));
  const cpu = process.cpuUsage();
  const result = await instance;
  const used = process.cpuUsage(cpu);
  times.sort((a, b) => a - b);
  return {
    label,
    requests: result.requests.total,
    rps: result.requests.total / seconds,
    p50: percentile(times, 50),
    p95: percentile(times, 95),
    p99: percentile(times, 99),
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    loadGeneratorMicroseconds: (used.user + used.system) / Math.max(1, result.requests.total),
  };
}

/** The Node.js flags the `npm start` of the tree in `root` runs the server with (package.json). */
export function startFlags(root: string): string[] {
  const scripts = (JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts;
  return scripts.start.split(/\s+/).filter((part) => part.startsWith('--'));
}

/** User + system CPU seconds of a process so far (Linux /proc), or null elsewhere. */
export function cpuSecondsOf(pid: number | undefined): number | null {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    // utime and stime are fields 14 and 15 of stat, in clock ticks (100 per second on Linux).
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}
