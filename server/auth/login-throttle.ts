/**
 * Failed sign-ins per account, whatever address they come from, with exponential back-off:
 * the first `freeAttempts` failures cost nothing, then every further one doubles the wait
 * (`baseDelayMs`, 2×, 4×, … up to `maxDelayMs`). A success forgets the account's failures.
 *
 * Keyed by the e-mail address as typed (lower-cased), known or not, so that the answer does not
 * tell which addresses have accounts. Held in memory per process: a restart forgets it, and
 * several instances behind one balancer each count on their own (docs/operations.md).
 */
interface LoginThrottleOptions {
  freeAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Failures older than this (counted from the last one) are forgotten. */
  forgetAfterMs: number;
  /** Bound on memory: the oldest entries give way first. */
  maxEntries?: number;
  now?: () => number;
}

interface Entry {
  failures: number;
  lastFailureAt: number;
  blockedUntil: number;
}

export interface LoginThrottle {
  /** Milliseconds the account must still wait; 0 when a sign-in may be tried now. */
  waitMs(account: string): number;
  /** Records a failure; returns the wait it causes (0 while failures are still free). */
  fail(account: string): number;
  succeed(account: string): void;
}

function normalizeAccountKey(email: string): string {
  return email.trim().toLowerCase().slice(0, 254);
}

export function createLoginThrottle(options: LoginThrottleOptions): LoginThrottle {
  const now = options.now ?? Date.now;
  const maxEntries = options.maxEntries ?? 100_000;
  const entries = new Map<string, Entry>();

  function live(key: string): Entry | undefined {
    const entry = entries.get(key);
    if (!entry) return undefined;
    if (now() - entry.lastFailureAt > options.forgetAfterMs && now() >= entry.blockedUntil) {
      entries.delete(key);
      return undefined;
    }
    return entry;
  }

  return {
    waitMs(account) {
      const entry = live(normalizeAccountKey(account));
      return entry ? Math.max(0, entry.blockedUntil - now()) : 0;
    },
    fail(account) {
      const key = normalizeAccountKey(account);
      const entry = live(key) ?? { failures: 0, lastFailureAt: 0, blockedUntil: 0 };
      entry.failures += 1;
      entry.lastFailureAt = now();
      const beyond = entry.failures - options.freeAttempts;
      const delay = beyond < 0 ? 0 : Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** Math.min(beyond, 30));
      entry.blockedUntil = now() + delay;
      // Re-inserting moves the key to the end: Map order is then the order of last failure.
      entries.delete(key);
      entries.set(key, entry);
      while (entries.size > maxEntries) {
        const oldest = entries.keys().next().value;
        if (oldest === undefined) break;
        entries.delete(oldest);
      }
      return delay;
    },
    succeed(account) {
      entries.delete(normalizeAccountKey(account));
    },
  };
}
