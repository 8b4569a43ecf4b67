import { afterEach, describe, expect, it } from 'vitest';
import { createOpeningHoursEvaluator } from '../../server/shared/opening-hours.ts';

const nrw = createOpeningHoursEvaluator({ holidayState: 'NW' });
const weekdays = 'Mo-Fr 09:00-17:00; PH off';
const at = (text: string): Date => new Date(text);

describe('opening state in Europe/Berlin', () => {
  it('is open on a weekday morning and says when it closes', () => {
    expect(nrw.state(weekdays, at('2025-11-03T10:00:00+01:00'))).toEqual({
      status: 'open',
      closesAt: '2025-11-03T17:00:00+01:00',
      opensAt: null,
      comment: null,
      invalid: false,
    });
  });

  it('is closed on a public holiday of the state and says when it opens next', () => {
    // 1 November 2025 (Allerheiligen) is a Saturday; take Fronleichnam, Thursday 19 June 2025.
    expect(nrw.state(weekdays, at('2025-06-19T10:00:00+02:00'))).toMatchObject({
      status: 'closed',
      opensAt: '2025-06-20T09:00:00+02:00',
    });
  });

  it('uses the configured state: Fronleichnam is a working day in Berlin', () => {
    const berlin = createOpeningHoursEvaluator({ holidayState: 'BE' });
    expect(berlin.state(weekdays, at('2025-06-19T10:00:00+02:00')).status).toBe('open');
    // and Reformationstag (31 October) is a holiday in Niedersachsen but not in NRW
    expect(nrw.state(weekdays, at('2025-10-31T10:00:00+01:00')).status).toBe('open');
    expect(createOpeningHoursEvaluator({ holidayState: 'NI' }).state(weekdays, at('2025-10-31T10:00:00+01:00')).status).toBe('closed');
  });

  it('reads the instant on the Berlin wall clock, across the change to summer time', () => {
    const nights = 'Mo-Su 01:00-05:00';
    // 30 March 2025: clocks jump from 02:00 CET to 03:00 CEST
    expect(nrw.state(nights, at('2025-03-30T00:30:00Z'))).toMatchObject({ status: 'open', closesAt: '2025-03-30T05:00:00+02:00' });
    // 07:30 UTC in July is 09:30 in Köln
    expect(nrw.state(weekdays, at('2025-07-01T07:30:00Z')).status).toBe('open');
    expect(nrw.state(weekdays, at('2025-07-01T06:30:00Z')).status).toBe('closed');
  });

  it('says "unknown" without opening hours and for values it cannot read', () => {
    expect(nrw.state(null, new Date()).status).toBe('unknown');
    // A blank value is no rule (not an unreadable one), at whole minutes (remembered) and between.
    expect(nrw.state('   ', at('2025-07-01T07:30:00Z'))).toMatchObject({ status: 'unknown', invalid: false });
    expect(nrw.state('   ', at('2025-07-01T07:30:15Z'))).toMatchObject({ status: 'unknown', invalid: false });
    expect(nrw.state('  Mo-Fr 09:00-17:00  ', at('2025-07-01T07:30:00Z')).status).toBe('open');
    expect(nrw.state('Mo-Fr 25:00-26:00', new Date())).toMatchObject({ status: 'unknown', invalid: true });
  });

  it('passes comments and "unknown" rules on', () => {
    const state = nrw.state('Mo-Fr 09:00-12:00 unknown "nach Vereinbarung"', at('2025-11-03T10:00:00+01:00'));
    expect(state).toMatchObject({ status: 'unknown', comment: 'nach Vereinbarung' });
  });
});

describe('the same answer in any process time zone', () => {
  const original = process.env.TZ;
  afterEach(() => {
    process.env.TZ = original;
  });

  it('evaluates Berlin time while the process runs in New York or Tokyo', () => {
    const moment = at('2025-11-03T16:30:00+01:00');
    const expected = nrw.state(weekdays, moment);
    for (const zone of ['America/New_York', 'Asia/Tokyo', 'UTC']) {
      process.env.TZ = zone;
      expect(createOpeningHoursEvaluator({ holidayState: 'NW' }).state(weekdays, moment), zone).toEqual(expected);
    }
  });
});

describe('week schedule for the detail page', () => {
  it('lists seven days with intervals and names public holidays', () => {
    const week = nrw.week('Mo-Fr 09:00-12:00,14:00-17:00; Sa 10:00-13:00; PH off', at('2025-10-30T12:00:00+01:00'));
    expect(week).toHaveLength(7);
    expect(week?.[0]).toEqual({
      date: '2025-10-30',
      weekday: 4,
      intervals: [
        { from: '09:00', to: '12:00', unknown: false, comment: null },
        { from: '14:00', to: '17:00', unknown: false, comment: null },
      ],
      publicHoliday: null,
    });
    expect(week?.[2]).toMatchObject({ date: '2025-11-01', weekday: 6, intervals: [], publicHoliday: 'Allerheiligen' });
    expect(week?.[3]).toMatchObject({ date: '2025-11-02', weekday: 7, intervals: [] });
  });

  it('ends an interval that runs to midnight at 24:00', () => {
    const week = nrw.week('Sa 20:00-24:00', at('2025-11-01T12:00:00+01:00'), 1);
    expect(week?.[0]?.intervals).toEqual([{ from: '20:00', to: '24:00', unknown: false, comment: null }]);
  });
});

describe('moments', () => {
  it('reads a wall-clock time as Berlin time and an ISO instant as given', () => {
    expect(nrw.parseMoment('2025-11-03T10:00')?.toISOString()).toBe('2025-11-03T09:00:00.000Z');
    expect(nrw.parseMoment('2025-07-03T10:00')?.toISOString()).toBe('2025-07-03T08:00:00.000Z');
    expect(nrw.parseMoment('2025-11-03T10:00:00Z')?.toISOString()).toBe('2025-11-03T10:00:00.000Z');
    expect(nrw.parseMoment('2025-02-30T10:00')).toBeNull();
  });

  it('formats an instant with the Berlin offset', () => {
    expect(nrw.formatInstant(new Date('2025-07-03T08:00:00Z'))).toBe('2025-07-03T10:00:00+02:00');
    expect(nrw.formatInstant(new Date('2025-12-24T23:30:00Z'))).toBe('2025-12-25T00:30:00+01:00');
  });
});
