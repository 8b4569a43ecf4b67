import { describe, expect, it } from 'vitest';
import { allowedEdits, boundedEditDistance, letterMask, lettersRuleOut } from '../../server/geocoding/fuzzy.ts';

describe('boundedEditDistance', () => {
  it('counts insertions, deletions, substitutions and adjacent transpositions as one edit each', () => {
    expect(boundedEditDistance('venloerstrasse', 'venloerstrasse', 2)).toBe(0);
    expect(boundedEditDistance('venlerstrasse', 'venloerstrasse', 2)).toBe(1);
    expect(boundedEditDistance('venloerstrassee', 'venloerstrasse', 2)).toBe(1);
    expect(boundedEditDistance('venlaerstrasse', 'venloerstrasse', 2)).toBe(1);
    expect(boundedEditDistance('venleorstrasse', 'venloerstrasse', 2)).toBe(1);
    expect(boundedEditDistance('venlroestrasse', 'venloerstrasse', 2)).toBe(2);
    expect(boundedEditDistance('vnelorestrasse', 'venloerstrasse', 2)).toBe(2);
  });

  it('stops at max + 1', () => {
    expect(boundedEditDistance('aachenerstrasse', 'venloerstrasse', 2)).toBe(3);
    expect(boundedEditDistance('a', 'abcdef', 2)).toBe(3);
  });

  it('measures against the closest prefix for autocomplete', () => {
    expect(boundedEditDistance('venlo', 'venloerstrasse', 1, true)).toBe(0);
    expect(boundedEditDistance('vnelo', 'venloerstrasse', 1, true)).toBe(1);
    expect(boundedEditDistance('zuelpisch', 'zuelpicherstrasse', 1, true)).toBe(1);
    expect(boundedEditDistance('xyz', 'venloerstrasse', 1, true)).toBe(2);
  });
});

describe('allowedEdits and the letter filter', () => {
  it('allows no typo in short keys, one in medium and two in long ones', () => {
    expect(allowedEdits(4)).toBe(0);
    expect(allowedEdits(7)).toBe(1);
    expect(allowedEdits(14)).toBe(2);
  });

  it('rules out keys that lack more letters than edits are allowed', () => {
    expect(lettersRuleOut(letterMask('venloer'), letterMask('aachener'), 1)).toBe(true);
    expect(lettersRuleOut(letterMask('venlor'), letterMask('venloer'), 0)).toBe(false);
    expect(lettersRuleOut(letterMask('venlxr'), letterMask('venloer'), 1)).toBe(false);
  });
});
