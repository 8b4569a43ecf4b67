import { parentPort } from 'node:worker_threads';

// A worker for tests/unit/worker-client.test.ts: answers `echo` with its text, announces itself
// with an event, and throws on `crash` (the thread stops as an unexpected error stops it).
const port = parentPort!;
port.postMessage({ event: { started: true } });
port.on('message', (message: { kind: 'echo' | 'crash' | 'never'; id: number; text?: string }) => {
  if (message.kind === 'crash') throw new Error('asked to crash');
  if (message.kind === 'never') return;
  port.postMessage({ id: message.id, answer: `echo: ${message.text}` });
});
