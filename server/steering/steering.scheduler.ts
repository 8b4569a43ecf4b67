import type { Logger } from 'pino';
import type { SnapshotRun } from './steering.schema.ts';
import type { SteeringService } from './steering.service.ts';

export interface SnapshotScheduler {
  /** Takes the current month's snapshots that are still missing (nothing when all exist). */
  tick(): Promise<SnapshotRun>;
  start(): void;
  stop(): void;
}

/**
 * The server takes the monthly snapshots itself. Every `checkEveryMs` (default one hour) it asks
 * the service for the current month's missing snapshots: on the first of a month that is every
 * adopted goal; a server that was down on the first catches up at its next check, and the
 * snapshot's `takenAt` says when. Taking is idempotent: one snapshot per goal and month.
 */
export function createSnapshotScheduler(deps: { steering: SteeringService; logger: Logger; checkEveryMs?: number }): SnapshotScheduler {
  const every = deps.checkEveryMs ?? 3_600_000;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<SnapshotRun> | undefined;

  async function tick(): Promise<SnapshotRun> {
    // One run at a time: a slow month (many goals) must not overlap with the next check.
    running ??= deps.steering.takeSnapshots('schedule').finally(() => {
      running = undefined;
    });
    return running;
  }

  function schedule(): void {
    timer = setTimeout(() => {
      tick()
        .then((run) => {
          if (run.taken > 0) deps.logger.info(run, 'monthly steering snapshots taken');
        })
        .catch((error: unknown) => deps.logger.error({ err: error }, 'monthly steering snapshots failed; retrying at the next check'))
        .finally(() => {
          if (timer) schedule();
        });
    }, every);
    timer.unref();
  }

  return {
    tick,
    start() {
      if (timer) return;
      schedule();
      // The first check soon after start-up, so that a missed first of the month is caught up.
      setTimeout(() => void tick().catch((error: unknown) => deps.logger.error({ err: error }, 'monthly steering snapshots failed')), 5_000).unref();
    },
    stop() {
      if (timer) clearTimeout(timer);
      timer = undefined;
    },
  };
}
