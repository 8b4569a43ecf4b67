/**
 * Turns for expensive work: at most `concurrency` hold one, at most `maxWaiting` wait in line, and a
 * further caller is told at once (the work queue in front of expensive routes, the full-text rank
 * statements of the search).
 */
export interface BoundedTurns {
  /** Calls `start` now or when a turn is free; false (and `start` never called) when the line is full. */
  enter(start: () => void): boolean;
  /** Leaves the line before `start` was called (a client that went away); nothing if not waiting. */
  leave(start: () => void): void;
  /** Gives back a turn `start` was called for: the next in line starts. */
  release(): void;
  stats(): { running: number; queued: number };
}

export function createBoundedTurns(concurrency: number, maxWaiting: number): BoundedTurns {
  let running = 0;
  const waiting: Array<() => void> = [];
  return {
    enter(start) {
      if (running < concurrency) {
        running += 1;
        start();
        return true;
      }
      if (waiting.length >= maxWaiting) return false;
      waiting.push(start);
      return true;
    },
    leave(start) {
      const index = waiting.indexOf(start);
      if (index >= 0) waiting.splice(index, 1);
    },
    release() {
      const next = waiting.shift();
      if (next) next();
      else running -= 1;
    },
    stats: () => ({ running, queued: waiting.length }),
  };
}
