import { describe, expect, it } from 'vitest';
import { diffSnapshots } from '../../server/audit/audit.diff.ts';

describe('diffSnapshots', () => {
  it('lists changed fields by path, nested objects key by key', () => {
    const before = { name: 'Treff', cost: { kind: 'free', text: null }, languages: ['de'] };
    const after = { name: 'Treff', cost: { kind: 'paid', text: '2 €' }, languages: ['de', 'tr'] };
    expect(diffSnapshots(before, after)).toEqual([
      { field: 'cost.kind', before: 'free', after: 'paid' },
      { field: 'cost.text', before: null, after: '2 €' },
      { field: 'languages', before: ['de'], after: ['de', 'tr'] },
    ]);
  });

  it('treats a creation as every field going from null to its value', () => {
    expect(diffSnapshots(null, { name: 'Neu', email: null })).toEqual([{ field: 'name', before: null, after: 'Neu' }]);
  });

  it('shows an object that appears or disappears as a whole', () => {
    expect(diffSnapshots({ capacity: null }, { capacity: { value: 10, unit: 'Plätze' } })).toEqual([
      { field: 'capacity', before: null, after: { value: 10, unit: 'Plätze' } },
    ]);
  });

  it('reports nothing for equal snapshots, and undefined equals null', () => {
    expect(diffSnapshots({ a: 1, b: [1, 2], c: null }, { a: 1, b: [1, 2] })).toEqual([]);
  });
});
