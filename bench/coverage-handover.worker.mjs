// Worker of bench/coverage-handover.ts: the coverage task as the app's worker runs it, with the
// worker's own clock readings (performance.timeOrigin + now() is comparable across threads).
import { performance } from 'node:perf_hooks';
import { register } from 'tsx/esm/api';

register();
const { runSerializedCoverageTask } = await import('../server/coverage/coverage.task.ts');

export default function timedCoverageTask(input) {
  const startedAt = performance.timeOrigin + performance.now();
  const result = runSerializedCoverageTask(input);
  const computedAt = performance.timeOrigin + performance.now();
  return { result, startedAt, computedAt };
}
