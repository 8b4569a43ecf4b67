import { describe, expect, it } from 'vitest';
import { createLoginThrottle } from '../../server/auth/login-throttle.ts';

function throttleAt(clock: { now: number }, overrides: { maxEntries?: number } = {}) {
  return createLoginThrottle({ freeAttempts: 3, baseDelayMs: 1000, maxDelayMs: 8000, forgetAfterMs: 60_000, now: () => clock.now, ...overrides });
}

describe('login throttle per account', () => {
  it('lets the free failures pass, then doubles the wait up to the ceiling', () => {
    const clock = { now: 0 };
    const throttle = throttleAt(clock);
    expect([throttle.fail('a@example.org'), throttle.fail('a@example.org')]).toEqual([0, 0]);
    const waits = [];
    for (let index = 0; index < 6; index += 1) {
      waits.push(throttle.fail('a@example.org'));
      clock.now += 10_000;
    }
    expect(waits).toEqual([1000, 2000, 4000, 8000, 8000, 8000]);
  });

  it('counts an address however it is written, and forgets after a success or a quiet spell', () => {
    const clock = { now: 0 };
    const throttle = throttleAt(clock);
    for (let index = 0; index < 3; index += 1) throttle.fail(' A@Example.org ');
    expect(throttle.waitMs('a@example.org')).toBe(1000);
    clock.now += 400;
    expect(throttle.waitMs('a@example.org')).toBe(600);
    throttle.succeed('a@example.org');
    expect(throttle.waitMs('a@example.org')).toBe(0);
    for (let index = 0; index < 3; index += 1) throttle.fail('b@example.org');
    clock.now += 61_000;
    expect(throttle.fail('b@example.org')).toBe(0);
  });

  it('keeps at most maxEntries accounts, dropping the longest quiet first', () => {
    const clock = { now: 0 };
    const throttle = throttleAt(clock, { maxEntries: 2 });
    for (const account of ['a', 'b', 'c']) for (let index = 0; index < 3; index += 1) throttle.fail(account);
    expect([throttle.waitMs('a'), throttle.waitMs('b'), throttle.waitMs('c')]).toEqual([0, 1000, 1000]);
  });
});
