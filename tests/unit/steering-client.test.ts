import { describe, expect, it } from 'vitest';
import { ApiProblem } from '../../client/lib/api-client';
import { choroplethClasses, noValueColor } from '../../client/features/steering/utils/choropleth';
import { formProblemOf, parseNumber } from '../../client/features/steering/utils/problem-fields';

describe('the goal map classes', () => {
  it('split the range into five equal intervals, the highest value in the last class', () => {
    const classes = choroplethClasses([0, 25, 50, 75, 100]);
    expect(classes.entries.map((entry) => [entry.from, entry.to])).toEqual([
      [0, 20],
      [20, 40],
      [40, 60],
      [60, 80],
      [80, 100],
    ]);
    expect(classes.colorOf(0)).toBe(classes.entries[0]!.color);
    expect(classes.colorOf(19.9)).toBe(classes.entries[0]!.color);
    expect(classes.colorOf(20)).toBe(classes.entries[1]!.color);
    expect(classes.colorOf(100)).toBe(classes.entries[4]!.color);
  });

  it('give one class when every area has the same value, and none without values', () => {
    expect(choroplethClasses([41.7, 41.7]).entries).toHaveLength(1);
    const empty = choroplethClasses([]);
    expect(empty.entries).toEqual([]);
    expect(empty.colorOf(3)).toBe(noValueColor);
  });
});

describe('form problems', () => {
  it('put each problem+json field error at its field, lists also under the list', () => {
    const problem = new ApiProblem(400, {
      type: 'about:blank',
      title: 'Ungültige Eingabe',
      status: 400,
      errors: [
        { field: 'target.deadline', message: 'Die Frist liegt vor dem Ausgangsdatum.' },
        { field: 'areaIds.2', message: 'Unbekanntes Gebiet.' },
      ],
    });
    const read = formProblemOf(problem, 'fallback');
    expect(read.fields.get('target.deadline')).toBe('Die Frist liegt vor dem Ausgangsdatum.');
    expect(read.fields.get('areaIds')).toBe('Unbekanntes Gebiet.');
    expect(read.general).toBeNull();
    expect(read.status).toBe(400);
  });

  it('say a refusal without fields for the whole form, and a network failure with the fallback', () => {
    const refused = formProblemOf(new ApiProblem(403, { type: 'about:blank', title: 'Verboten', status: 403, detail: 'Dieses Ziel gehört einer anderen Dienststelle.' }), 'fallback');
    expect(refused.general).toBe('Dieses Ziel gehört einer anderen Dienststelle.');
    expect(formProblemOf(new Error('offline'), 'fallback')).toMatchObject({ general: 'fallback', status: null });
  });

  it('read numbers with a German decimal comma or a point, and nothing else', () => {
    expect(parseNumber('12,5')).toBe(12.5);
    expect(parseNumber('1.234,5')).toBe(1234.5);
    expect(parseNumber('12.5')).toBe(12.5);
    expect(parseNumber(' 40 ')).toBe(40);
    expect(parseNumber('')).toBeNull();
    expect(parseNumber('viel')).toBeNull();
  });
});
