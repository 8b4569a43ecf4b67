import { describe, expect, it } from 'vitest';
import { findNulCharacter } from '../../server/http/input-guard.ts';

// The input guard names where a NUL character sits (query.x, body.a.0.b); clean input, every
// request's, must come through without a path built per key.

describe('findNulCharacter', () => {
  it('names the keys to the first NUL in strings, arrays and keys, after the given path', () => {
    expect(findNulCharacter({ lat: '50.9', lon: '6.9', q: 'Tre\u0000ff' }, ['query'])).toEqual(['query', 'q']);
    expect(findNulCharacter({ a: [{ b: 'ok' }, { b: 'x', c: ['', 'y\u0000'] }] }, [])).toEqual(['a', '1', 'c', '1']);
    expect(findNulCharacter({ a: { 'we\u0000ird': 'fine' } }, ['body'])).toEqual(['body', 'a', 'we\\u0000ird']);
    expect(findNulCharacter('\u0000', [])).toEqual([]);
    // The first in key order, as Object.entries gives the keys.
    expect(findNulCharacter({ z: '\u0000', a: '\u0000' }, [])).toEqual(['z']);
  });

  it('finds nothing in clean input, buffers, numbers, inherited keys and beyond 64 levels', () => {
    expect(findNulCharacter({ lat: '50.9', tags: ['a', 'b'], n: 3, flag: true, none: null }, ['query'])).toBeUndefined();
    expect(findNulCharacter(Buffer.from([0]), [])).toBeUndefined();
    const inherited = Object.create({ hidden: '\u0000' }) as Record<string, unknown>;
    inherited.own = 'clean';
    expect(findNulCharacter(inherited, [])).toBeUndefined();
    const noPrototype = Object.assign(Object.create(null) as Record<string, unknown>, { q: 'a\u0000' });
    expect(findNulCharacter(noPrototype, ['query'])).toEqual(['query', 'q']);
    let deep: unknown = '\u0000';
    for (let level = 0; level < 70; level += 1) deep = { next: deep };
    expect(findNulCharacter(deep, [])).toBeUndefined();
    let shallow: unknown = '\u0000';
    for (let level = 0; level < 60; level += 1) shallow = { next: shallow };
    expect(findNulCharacter(shallow, [])).toHaveLength(60);
  });
});
