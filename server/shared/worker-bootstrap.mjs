// Worker threads start as plain Node: this entry registers tsx so that the TypeScript module
// named in workerData.entry loads the same way under `tsx`, the CLI and Vitest.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);
