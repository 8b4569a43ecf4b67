import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  emptySchedule,
  openingHoursToSchedule,
  rangeProblem,
  scheduleToOpeningHours,
  weekDays,
  type WeekSchedule,
} from '../../client/features/offers-admin/utils/opening-hours-editor.ts';
import OpeningHours from 'opening_hours';
import { checkOpeningHours } from '../../server/shared/opening-hours.ts';

const cologne = { state: 'NW', lon: 6.96, lat: 50.94 };

/** The open intervals of a week with two public holidays (Christmas 2026 in NRW), by the opening_hours library. */
function week(value: string): string[] {
  const parsed = new OpeningHours(value, { lat: cologne.lat, lon: cologne.lon, address: { country_code: 'de', state: 'Nordrhein-Westfalen' } }, { mode: 0, locale: 'en', tag_key: undefined, map_value: undefined, warnings_severity: 4 });
  // 21 December 2026 is a Monday; 25 and 26 December are holidays.
  return parsed.getOpenIntervals(new Date(2026, 11, 21), new Date(2026, 11, 28)).map(([from, to]) => `${from.toString()} – ${to.toString()}`);
}

describe('opening-hours editor: from the editor to OSM syntax', () => {
  it('groups neighbouring days with the same hours, keeps several ranges a day and puts holidays last', () => {
    const schedule = emptySchedule();
    for (const day of ['Mo', 'Tu', 'We', 'Th', 'Fr'] as const) schedule.days[day] = [{ from: '14:00', to: '17:00' }, { from: '09:00', to: '12:00' }];
    schedule.days.We = [{ from: '09:00', to: '12:00' }];
    schedule.days.Sa = [{ from: '10:00', to: '12:00' }];
    schedule.days.Su = [{ from: '10:00', to: '12:00' }];
    schedule.holidays = { kind: 'closed' };
    const text = scheduleToOpeningHours(schedule);
    expect(text).toBe('Mo,Tu 09:00-12:00,14:00-17:00; We 09:00-12:00; Th,Fr 09:00-12:00,14:00-17:00; Sa,Su 10:00-12:00; PH off');
    expect(checkOpeningHours(text, cologne, 'de')).toEqual({ valid: true, warnings: [] });
  });

  it('writes holidays with their own hours, and nothing for an empty week', () => {
    const schedule = emptySchedule();
    expect(scheduleToOpeningHours(schedule)).toBe('');
    schedule.days.Mo = [{ from: '08:00', to: '24:00' }];
    schedule.holidays = { kind: 'open', ranges: [{ from: '10:00', to: '14:00' }] };
    expect(scheduleToOpeningHours(schedule)).toBe('Mo 08:00-24:00; PH 10:00-14:00');
  });

  it('leaves out ranges still being typed and says what is wrong with them', () => {
    const schedule = emptySchedule();
    schedule.days.Mo = [{ from: '09:00', to: '' }, { from: '13:00', to: '15:00' }];
    schedule.days.Tu = [{ from: '15:00', to: '13:00' }];
    expect(scheduleToOpeningHours(schedule)).toBe('Mo 13:00-15:00');
    expect(rangeProblem({ from: '09:00', to: '' })).toBe('incomplete');
    expect(rangeProblem({ from: '15:00', to: '13:00' })).toBe('endBeforeStart');
    expect(rangeProblem({ from: '', to: '' })).toBeNull();
    expect(rangeProblem({ from: '09:00', to: '12:00' })).toBeNull();
  });
});

describe('opening-hours editor: reading OSM syntax back', () => {
  it('reads day lists, day ranges, several ranges and holidays', () => {
    const schedule = openingHoursToSchedule('Mo-Fr 09:00-12:00,14:00-17:00; We 9:00-12:00; Sa 10:00-12:00; PH off')!;
    expect(schedule.days.Mo).toEqual([{ from: '09:00', to: '12:00' }, { from: '14:00', to: '17:00' }]);
    expect(schedule.days.We).toEqual([{ from: '09:00', to: '12:00' }]);
    expect(schedule.days.Sa).toEqual([{ from: '10:00', to: '12:00' }]);
    expect(schedule.days.Su).toEqual([]);
    expect(schedule.holidays).toEqual({ kind: 'closed' });
    expect(openingHoursToSchedule('Fr-Mo 10:00-18:00')!.days).toMatchObject({ Fr: [{}], Sa: [{}], Su: [{}], Mo: [{}], Tu: [], Th: [] });
    expect(openingHoursToSchedule('Mo-Su 08:00-20:00; Su off')!.days.Su).toEqual([]);
    expect(openingHoursToSchedule('PH 10:00-14:00')!.holidays).toEqual({ kind: 'open', ranges: [{ from: '10:00', to: '14:00' }] });
    expect(openingHoursToSchedule('')).toEqual(emptySchedule());
  });

  it('refuses what it cannot show, so that the raw text field keeps it', () => {
    for (const value of [
      '24/7',
      'Mo-Fr 09:00-17:00 "nach Vereinbarung"',
      'Jan-Mar Mo-Fr 09:00-17:00',
      'Mo-Fr 22:00-02:00',
      'Mo-Fr sunrise-sunset',
      'Mo[1] 10:00-12:00',
      'PH off; Mo-Fr 09:00-17:00',
      'Mo-Fr,PH 09:00-17:00',
      'SH off',
      'Mo-Fr 09:00+',
      'Mo-Fr 09:00-17:00 || "auf Anfrage"',
    ]) {
      expect(openingHoursToSchedule(value), value).toBeNull();
    }
  });

  it('round trip: a text the editor reads is written back with the same opening times (opening_hours library)', () => {
    for (const value of [
      'Mo-Fr 09:00-17:00; PH off',
      'Mo,We,Fr 10:00-12:00,15:00-18:00; Sa 10:00-13:00',
      'Mo-Su 08:00-20:00; Su off; PH 10:00-14:00',
      'Tu-Th 14:00-16:30',
      'Fr-Mo 10:00-18:00; PH off',
    ]) {
      const written = scheduleToOpeningHours(openingHoursToSchedule(value)!);
      expect(checkOpeningHours(written, cologne, 'en')).toMatchObject({ valid: true });
      const intervals = week(value);
      expect(intervals.length).toBeGreaterThan(0);
      expect(week(written), `${value} → ${written}`).toEqual(intervals);
    }
  }, 60_000);

  it('round trip: any schedule of the editor comes back unchanged from its text', () => {
    const time = fc.integer({ min: 0, max: 23 * 4 }).map((quarter) => quarter * 15);
    const text = (total: number) => `${String(Math.floor(total / 60)).padStart(2, '0')}:${String(total % 60).padStart(2, '0')}`;
    // Disjoint, sorted ranges per day, as the syntax writes them.
    const dayRanges = fc.uniqueArray(time, { minLength: 0, maxLength: 6 }).map((points) => {
      const sorted = [...points].sort((a, b) => a - b);
      const ranges = [];
      for (let index = 0; index + 1 < sorted.length; index += 2) ranges.push({ from: text(sorted[index]!), to: text(sorted[index + 1]!) });
      return ranges;
    });
    const holidays = fc.oneof(
      fc.constant({ kind: 'unspecified' as const }),
      fc.constant({ kind: 'closed' as const }),
      dayRanges.filter((ranges) => ranges.length > 0).map((ranges) => ({ kind: 'open' as const, ranges })),
    );
    const schedules = fc.record({ days: fc.tuple(...weekDays.map(() => dayRanges)), holidays }).map(
      ({ days, holidays: rule }): WeekSchedule => ({ days: Object.fromEntries(weekDays.map((day, index) => [day, days[index]!])) as WeekSchedule['days'], holidays: rule }),
    );
    fc.assert(
      fc.property(schedules, (schedule) => {
        const written = scheduleToOpeningHours(schedule);
        expect(openingHoursToSchedule(written)).toEqual(schedule);
        if (written !== '') expect(checkOpeningHours(written, cologne, 'en')).toMatchObject({ valid: true });
      }),
      { numRuns: 200 },
    );
    // the library's check takes a few milliseconds a run; a loaded machine needs room
  }, 60_000);
});
