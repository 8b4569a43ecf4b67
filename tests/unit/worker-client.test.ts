import { describe, expect, it } from 'vitest';
import { createWorkerClient } from '../../server/shared/worker-client.ts';

// The search's threads (server/shared/worker-client.ts): a request gets its answer; a thread that
// stops answers every waiting request with null (the caller does the work itself), tells its owner
// (who forgets what the thread held), logs it, and starts again only after `restartAfterMs`; after
// close nothing starts and every request gets null.

type Request = { kind: 'echo' | 'crash' | 'never'; id: number; text?: string };

function echoClient(restartAfterMs: number) {
  const log: Array<{ thread: string; message: string }> = [];
  const seen = { events: 0, stops: 0 };
  const client = createWorkerClient<Request, string, { started: boolean }>({
    entry: new URL('../helpers/echo.worker.ts', import.meta.url),
    data: {},
    name: 'echo thread',
    restartAfterMs,
    logger: {
      warn: (...args: unknown[]) => {
        log.push({ thread: (args[0] as { thread: string }).thread, message: String(args[1]) });
      },
    },
    onEvent: () => {
      seen.events += 1;
    },
    onStopped: () => {
      seen.stops += 1;
    },
  });
  return { client, log, seen };
}

describe('the worker client of the search threads', () => {
  it('answers requests by id, and events reach the owner', async () => {
    const { client, seen } = echoClient(10_000);
    expect(client.start()).toBe(true);
    const answers = await Promise.all(['a', 'b', 'c'].map((text) => client.request({ kind: 'echo', id: 0, text })));
    expect(answers).toEqual(['echo: a', 'echo: b', 'echo: c']);
    expect(seen.events).toBe(1);
    await client.close();
  });

  it('answers waiting requests with null when the thread stops, logs it, and starts again only once the pause after the stop has passed', async () => {
    const { client, log, seen } = echoClient(300);
    client.start();
    const waiting = client.request({ kind: 'never', id: 0 });
    const crashing = client.request({ kind: 'crash', id: 0 });
    expect(await crashing).toBeNull();
    expect(await waiting).toBeNull();
    expect(client.running).toBe(false);
    expect(seen.stops).toBe(1);
    expect(log).toEqual([{ thread: 'echo thread', message: 'worker thread stopped; its work runs on the request thread' }]);
    // Not running: requests get null at once, and a start within the pause does nothing.
    expect(await client.request({ kind: 'echo', id: 0, text: 'x' })).toBeNull();
    expect(client.start()).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 350));
    expect(client.start()).toBe(true);
    expect(await client.request({ kind: 'echo', id: 0, text: 'again' })).toBe('echo: again');
    await client.close();
  });

  it('ends the thread on interrupt as a failure would, and tells how long until it may start again', async () => {
    const { client, log, seen } = echoClient(400);
    expect(client.restartableIn()).toBe(0);
    client.start();
    const waiting = client.request({ kind: 'never', id: 0 });
    await client.interrupt();
    expect(await waiting).toBeNull();
    expect(client.running).toBe(false);
    expect(seen.stops).toBe(1);
    expect(log.map((entry) => entry.message)).toEqual(['worker thread stopped; its work runs on the request thread']);
    const left = client.restartableIn();
    expect(left).toBeGreaterThan(300);
    expect(left).toBeLessThanOrEqual(400);
    expect(client.start()).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, left + 20));
    expect(client.restartableIn()).toBe(0);
    expect(client.start()).toBe(true);
    expect(await client.request({ kind: 'echo', id: 0, text: 'back' })).toBe('echo: back');
    await client.close();
  });

  it('starts nothing after close, and answers every request with null', async () => {
    const { client, log } = echoClient(0);
    client.start();
    const waiting = client.request({ kind: 'never', id: 0 });
    await client.close();
    expect(await waiting).toBeNull();
    expect(client.start()).toBe(false);
    expect(await client.request({ kind: 'echo', id: 0, text: 'x' })).toBeNull();
    // A close is not a failure: nothing is logged.
    expect(log).toEqual([]);
  });
});
