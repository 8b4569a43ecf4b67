import { AppError } from '../http/errors.ts';
import { fillMessage, inBothLanguages, type Message } from '../http/localized-validation.ts';
import type { BoundedTurns } from '../shared/bounded-turns.ts';

/** Seconds a caller refused a turn is asked to wait (`Retry-After`). */
const retryAfterSeconds = 2;

/**
 * Waits for a turn of `turns`; when the line is full, refuses at once with 503 `server_busy`,
 * `Retry-After` and `busy` as its message in both languages. The caller releases the turn.
 */
export function takeTurn(turns: BoundedTurns, busy: Message): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (turns.enter(resolve)) return;
    reject(busyRefusal(busy));
  });
}

/** The 503 `server_busy` refusal with `Retry-After` and `busy` as its message in both languages. */
export function busyRefusal(busy: Message): AppError {
  const retryAfter = retryAfterSeconds;
  return inBothLanguages(new AppError('server_busy', 503, fillMessage(busy, 'en', { retryAfter }), { retryAfter }), busy, { retryAfter });
}
