import { Worker } from 'node:worker_threads';

// Runs in its own thread with its own event loop: when the server's thread is blocked, this clock
// keeps running, so a stalled answer shows its full time (a probe on the blocked thread would not
// even start its next request).
const probeSource = `
const { parentPort, workerData } = require('node:worker_threads');
let running = true;
const samples = [];
parentPort.on('message', () => { running = false; });
(async () => {
  while (running) {
    const started = performance.now();
    let status = 0;
    try {
      const response = await fetch(workerData.url);
      await response.arrayBuffer();
      status = response.status;
    } catch {
      status = -1;
    }
    samples.push({ ms: performance.now() - started, status });
    await new Promise((resolve) => setTimeout(resolve, workerData.intervalMs));
  }
  parentPort.postMessage(samples);
})();
`;

export interface LatencySample {
  ms: number;
  /** HTTP status; -1 when the request failed. */
  status: number;
}

export interface LatencyProbe {
  /** Stops asking and returns every answer's time (the one in flight included). */
  stop(): Promise<LatencySample[]>;
}

/** Asks `url` again and again (one at a time, `intervalMs` apart) from a separate thread. */
export function startLatencyProbe(url: string, intervalMs = 100): LatencyProbe {
  const worker = new Worker(probeSource, { eval: true, workerData: { url, intervalMs } });
  const result = new Promise<LatencySample[]>((resolve, reject) => {
    worker.once('message', (samples: LatencySample[]) => resolve(samples));
    worker.once('error', reject);
  });
  return {
    stop: async () => {
      worker.postMessage('stop');
      const samples = await result;
      await worker.terminate();
      return samples;
    },
  };
}

export function summarizeLatency(samples: readonly LatencySample[]): string {
  if (samples.length === 0) return 'no samples';
  const sorted = samples.map((sample) => sample.ms).sort((left, right) => left - right);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  const failed = samples.filter((sample) => sample.status !== 200).length;
  return `n=${sorted.length} p50 ${at(0.5).toFixed(0)} ms, p95 ${at(0.95).toFixed(0)} ms, max ${sorted[sorted.length - 1]!.toFixed(0)} ms${failed ? `, ${failed} not 200` : ''}`;
}
