import { describe, expect, it } from 'vitest';
import { atRiskTolerance, trackStatus, type StatusInput } from '../../server/steering/steering.status.ts';

// Baseline 40 % on 2026-01-01, target 60 % by 2027-01-01 (365 days): the plan line rises 20 points a year.
const plan = { baseline: { value: 40, date: '2026-01-01' }, target: { value: 60, deadline: '2027-01-01' } };
const halfway = '2026-07-02'; // 182 of 365 days: the plan expects 49.86 %
const expectedAtHalfway = 40 + 20 * (182 / 365);

function judge(values: StatusInput['values'], asOf = halfway) {
  return trackStatus({ ...plan, values, asOf });
}

describe('the status rule', () => {
  it('says "no data" when no value was measured, also when months exist without values', () => {
    expect(judge([]).status).toBe('no_data');
    expect(judge([{ month: '2026-06', value: null }, { month: '2026-07', value: null }]).status).toBe('no_data');
  });

  it('is on track exactly on the plan line, and at risk just below it', () => {
    expect(judge([{ month: '2026-07', value: expectedAtHalfway }]).status).toBe('on_track');
    expect(judge([{ month: '2026-07', value: expectedAtHalfway - 0.01 }]).status).toBe('at_risk');
  });

  it('is at risk down to 10 % of the way behind the plan, off track below', () => {
    const edge = expectedAtHalfway - atRiskTolerance * 20;
    expect(judge([{ month: '2026-07', value: edge }]).status).toBe('at_risk');
    expect(judge([{ month: '2026-07', value: edge - 0.01 }]).status).toBe('off_track');
  });

  it('counts a trend that reaches the target by the deadline as at risk, not off track', () => {
    // Far behind the line (42 % at half time) but rising 3 points a month: projected 60 % well before the deadline.
    const rising = [
      { month: '2026-05', value: 36 },
      { month: '2026-06', value: 39 },
      { month: '2026-07', value: 42 },
    ];
    const result = judge(rising);
    expect(result.projected).toBeGreaterThan(1);
    expect(result.status).toBe('at_risk');
    const flat = rising.map((entry) => ({ ...entry, value: 42 }));
    expect(judge(flat).status).toBe('off_track');
  });

  it('skips missing months in the trend instead of reading them as zero', () => {
    const withGap = [
      { month: '2026-05', value: 30 },
      { month: '2026-06', value: null },
      { month: '2026-07', value: 38 },
      { month: '2026-08', value: 42 },
    ];
    expect(judge(withGap, '2026-08-01').status).toBe('at_risk');
    expect(judge(withGap, '2026-08-01')).toEqual(judge(withGap.filter((entry) => entry.value !== null), '2026-08-01'));
    // the latest month missing: judged on the last measured value, not on zero
    expect(judge([...withGap, { month: '2026-09', value: null }], '2026-09-01').progress).toBeCloseTo(0.1, 9);
  });

  it('is on track once the target is reached, and off track after the deadline if not', () => {
    expect(judge([{ month: '2026-03', value: 60 }], '2026-03-01').status).toBe('on_track');
    expect(judge([{ month: '2027-02', value: 59.99 }], '2027-02-01').status).toBe('off_track');
    expect(judge([{ month: '2027-02', value: 60 }], '2027-02-01').status).toBe('on_track');
  });

  it('works the same for a goal that lowers a figure (e.g. an SGB II rate from 20 % to 15 %)', () => {
    const lowering = { baseline: { value: 20, date: '2026-01-01' }, target: { value: 15, deadline: '2027-01-01' } };
    const expected = 20 - 5 * (182 / 365);
    expect(trackStatus({ ...lowering, values: [{ month: '2026-07', value: expected }], asOf: halfway }).status).toBe('on_track');
    expect(trackStatus({ ...lowering, values: [{ month: '2026-07', value: expected + 0.01 }], asOf: halfway }).status).toBe('at_risk');
    expect(trackStatus({ ...lowering, values: [{ month: '2026-07', value: expected + 0.5 + 0.01 }], asOf: halfway }).status).toBe('off_track');
  });
});
