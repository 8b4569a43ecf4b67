/**
 * What the HTTP benchmarks share: autocannon at 10 connections over a list of paths (p95 from
 * every response time: autocannon's histogram has none), and the Node.js flags of a tree's
 * `npm start`, so that a benchmark's server runs as the real one does.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
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

/** Runs a load and, with the server's process id, sets its CPU per request (`cpuMicroseconds`). */
async function withServerCpu(serverPid: number | undefined, run: () => Promise<LoadResult>): Promise<LoadResult> {
  const before = serverPid === undefined ? null : cpuSecondsOf(serverPid);
  const result = await run();
  const after = serverPid === undefined ? null : cpuSecondsOf(serverPid);
  if (before !== null && after !== null && result.requests > 0) result.cpuMicroseconds = ((after - before) * 1e6) / result.requests;
  return result;
}

/** `seconds` of load on `base`, the paths taken in turn; the server's CPU per request too when its process id is given. */
export function load(label: string, base: string, paths: string[], seconds: number, serverPid?: number): Promise<LoadResult> {
  return withServerCpu(serverPid, () => loadWithAutocannon(label, base, paths, seconds));
}

async function loadWithAutocannon(label: string, base: string, paths: string[], seconds: number): Promise<LoadResult> {
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

/** Whether wrk (a load generator written in C: Debian's `wrk`) is on the PATH. */
function hasWrk(): boolean {
  return spawnSync('wrk', ['--version']).error === undefined;
}

export type LoadGenerator = 'autocannon' | 'wrk';

/**
 * The load generators a bench's `--generator` option names: autocannon (the default, as in every
 * earlier run), wrk, or with `both` allowed each in turn. wrk reads an answer for ≈ 20 µs of CPU
 * where autocannon spends 60–140 µs on the cores the server shares (bench/answer-size-floor.ts).
 */
export function loadGeneratorsOf(option: string | undefined, allowBoth: boolean): LoadGenerator[] {
  const name = option ?? 'autocannon';
  const names = allowBoth ? ['autocannon', 'wrk', 'both'] : ['autocannon', 'wrk'];
  if (!names.includes(name)) throw new Error(`--generator: ${names.join(', ')}`);
  const generators: LoadGenerator[] = name === 'both' ? ['autocannon', 'wrk'] : [name as LoadGenerator];
  if (generators.includes('wrk') && !hasWrk()) throw new Error('--generator wrk needs wrk on the PATH (Debian: apt-get install wrk)');
  return generators;
}

/** `load` or `loadWithWrk`. */
export function loadWith(generator: LoadGenerator): typeof load {
  return generator === 'wrk' ? loadWithWrk : load;
}

/** Seconds of a bash `times` line ("0m1.234s 0m0.567s"): user + system. */
function secondsOfTimes(line: string): number {
  return [...line.matchAll(/(\d+)m([\d.]+)s/g)].reduce((sum, match) => sum + Number(match[1]) * 60 + Number(match[2]), 0);
}

/**
 * `load` with wrk instead of autocannon: one thread, 10 connections, the paths taken in turn (a
 * Lua script with every request formatted once). wrk reads an answer for a few µs of CPU where
 * autocannon spends 60–140 µs (bench/answer-size-floor.ts), so less of the shared machine goes to
 * the load generator. Its CPU comes from bash's `times` (the children's user + system time).
 */
export function loadWithWrk(label: string, base: string, paths: string[], seconds: number, serverPid?: number): Promise<LoadResult> {
  return withServerCpu(serverPid, () => wrkRun(label, base, paths, seconds));
}

async function wrkRun(label: string, base: string, paths: string[], seconds: number): Promise<LoadResult> {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'angebotsatlas-wrk-'));
  try {
    const script = path.join(directory, 'paths.lua');
    fs.writeFileSync(
      script,
      `local paths = {${paths.map((item) => JSON.stringify(item)).join(',')}}
local formatted = {}
local position = 0
init = function(args)
  for index, item in ipairs(paths) do formatted[index] = wrk.format("GET", item) end
end
request = function()
  position = position % #formatted + 1
  return formatted[position]
end
-- errors.status counts answers with a status of 400 or more: reported as non-2xx.
done = function(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format('{"requests":%d,"micros":%d,"errors":%d,"non2xx":%d,"p50":%d,"p95":%d,"p99":%d}\\n',
    summary.requests, summary.duration, errors.connect + errors.read + errors.write + errors.timeout, errors.status,
    latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
`,
    );
    const command = `wrk -t1 -c10 -d${seconds}s --timeout 10s -s ${JSON.stringify(script)} ${JSON.stringify(base)} && times`;
    const output = await new Promise<string>((resolve, reject) => {
      const child = spawn('bash', ['-c', command], { stdio: ['ignore', 'pipe', 'inherit'] });
      let text = '';
      child.stdout.on('data', (chunk: Buffer) => {
        text += chunk.toString('utf8');
      });
      child.once('error', reject);
      child.once('exit', (code) => (code === 0 ? resolve(text) : reject(new Error(`wrk exited with ${code}`))));
    });
    const lines = output.trim().split('\n');
    const figures = JSON.parse(lines.find((line) => line.startsWith('{'))!) as { requests: number; micros: number; errors: number; non2xx: number; p50: number; p95: number; p99: number };
    // `times`: the shell's own line, then its children's (wrk).
    const generatorSeconds = secondsOfTimes(lines[lines.length - 1]!);
    return {
      label,
      requests: figures.requests,
      rps: figures.requests / (figures.micros / 1e6),
      p50: figures.p50 / 1000,
      p95: figures.p95 / 1000,
      p99: figures.p99 / 1000,
      errors: figures.errors,
      non2xx: figures.non2xx,
      loadGeneratorMicroseconds: (generatorSeconds * 1e6) / Math.max(1, figures.requests),
    };
  } finally {
    fs.rmSync(directory, { recursive: true, force: true });
  }
}
