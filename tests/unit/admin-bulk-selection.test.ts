import { describe, expect, it } from 'vitest';
import { canBulkPublish, pageSelection, toggleAll, toggleOne } from '../../client/features/offers-admin/utils/bulk-selection';

const departmentA = { id: 'a', code: 'A', name: 'Amt A' };
const departmentB = { id: 'b', code: 'B', name: 'Amt B' };
const editorA = { role: 'editor' as const, department: departmentA };

describe('bulk publishing in the staff list', () => {
  it('offers a checkbox only for drafts the person may change that are not archived', () => {
    expect(canBulkPublish(editorA, { department: departmentA, publication: 'draft', archivedAt: null })).toBe(true);
    expect(canBulkPublish(editorA, { department: departmentA, publication: 'published', archivedAt: null })).toBe(false);
    expect(canBulkPublish(editorA, { department: departmentA, publication: 'draft', archivedAt: '2026-01-01T00:00:00Z' })).toBe(false);
    expect(canBulkPublish(editorA, { department: departmentB, publication: 'draft', archivedAt: null })).toBe(false);
    expect(canBulkPublish({ role: 'planner', department: null }, { department: departmentA, publication: 'draft', archivedAt: null })).toBe(false);
    expect(canBulkPublish({ role: 'admin', department: null }, { department: departmentB, publication: 'draft', archivedAt: null })).toBe(true);
  });

  it('"select all on this page" ticks every selectable row, then clears them, keeping the versions', () => {
    const rows = [
      { id: '1', version: 3 },
      { id: '2', version: 1 },
    ];
    const all = toggleAll(rows, new Map());
    expect([...all]).toEqual([
      ['1', 3],
      ['2', 1],
    ]);
    expect(pageSelection(['1', '2'], all)).toBe('all');
    expect(toggleAll(rows, all).size).toBe(0);
    const one = toggleOne(rows[0]!, new Map());
    expect(pageSelection(['1', '2'], one)).toBe('some');
    expect(toggleAll(rows, one).size).toBe(2);
    expect(pageSelection(['1', '2'], toggleOne(rows[0]!, one))).toBe('none');
  });
});
