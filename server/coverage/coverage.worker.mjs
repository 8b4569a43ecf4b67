// Entry of the coverage worker threads (server/coverage/coverage-pool.ts): registers tsx so the
// TypeScript task module loads the same way under `tsx`, the CLI and Vitest.
import { register } from 'tsx/esm/api';

register();
const { runSerializedCoverageTask, runSerializedSuggestTask } = await import('./coverage.task.ts');

export default runSerializedCoverageTask;
export const suggest = runSerializedSuggestTask;
