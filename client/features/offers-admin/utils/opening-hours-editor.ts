// The opening-hours editor's model: a week of time ranges plus public holidays, read from and
// written to OpenStreetMap's `opening_hours` syntax. Only the part of the syntax the editor can
// show is read ("Mo-Fr 09:00-12:00,14:00-17:00; Sa 10:00-12:00; PH off"); anything else (months,
// weeks, sunrise, comments, "24/7", …) returns null and the form keeps the raw text field. The
// server checks every value with the opening_hours library when it is saved. Pure: unit-tested.

export const weekDays = ['Mo', 'Tu', 'We', 'Th', 'Fr', 'Sa', 'Su'] as const;
export type WeekDay = (typeof weekDays)[number];

/** "HH:MM" as an `<input type="time">` gives it; an empty side is a range still being typed. */
export type TimeRange = { from: string; to: string };

export type HolidayRule = { kind: 'unspecified' } | { kind: 'closed' } | { kind: 'open'; ranges: TimeRange[] };

export type WeekSchedule = {
  days: Record<WeekDay, TimeRange[]>;
  holidays: HolidayRule;
};

export function emptySchedule(): WeekSchedule {
  return { days: { Mo: [], Tu: [], We: [], Th: [], Fr: [], Sa: [], Su: [] }, holidays: { kind: 'unspecified' } };
}

const timePattern = /^([01]\d|2[0-3]):([0-5]\d)$/;
const endPattern = /^(([01]\d|2[0-3]):([0-5]\d)|24:00)$/;

function minutes(time: string): number {
  const [hours, mins] = time.split(':').map(Number);
  return hours! * 60 + mins!;
}

/** A range the syntax can hold: both times, the end after the start (or 24:00). */
export function isCompleteRange(range: TimeRange): boolean {
  return timePattern.test(range.from) && endPattern.test(range.to) && minutes(range.to) > minutes(range.from);
}

/** Why a range cannot be written yet, or null: the form says it next to the inputs. */
export function rangeProblem(range: TimeRange): 'incomplete' | 'endBeforeStart' | null {
  if (range.from === '' && range.to === '') return null;
  if (!timePattern.test(range.from) || !endPattern.test(range.to)) return 'incomplete';
  return minutes(range.to) > minutes(range.from) ? null : 'endBeforeStart';
}

function rangesText(ranges: readonly TimeRange[]): string {
  return [...ranges]
    .filter(isCompleteRange)
    .sort((a, b) => minutes(a.from) - minutes(b.from))
    .map((range) => `${range.from}-${range.to}`)
    .join(',');
}

/**
 * The OSM text of a schedule: neighbouring days with the same hours become one rule ("Mo-Fr"),
 * days without hours are left out (closed), holidays come last so that they override the week.
 * Ranges still being typed are left out.
 */
export function scheduleToOpeningHours(schedule: WeekSchedule): string {
  const rules: string[] = [];
  let index = 0;
  while (index < weekDays.length) {
    const text = rangesText(schedule.days[weekDays[index]!]);
    let end = index;
    while (end + 1 < weekDays.length && rangesText(schedule.days[weekDays[end + 1]!]) === text) end++;
    if (text !== '') {
      const days = end === index ? weekDays[index]! : end === index + 1 ? `${weekDays[index]},${weekDays[end]}` : `${weekDays[index]}-${weekDays[end]}`;
      rules.push(`${days} ${text}`);
    }
    index = end + 1;
  }
  if (schedule.holidays.kind === 'closed') rules.push('PH off');
  if (schedule.holidays.kind === 'open') {
    const text = rangesText(schedule.holidays.ranges);
    if (text !== '') rules.push(`PH ${text}`);
  }
  return rules.join('; ');
}

const dayRangePattern = /^(Mo|Tu|We|Th|Fr|Sa|Su)(?:-(Mo|Tu|We|Th|Fr|Sa|Su))?$/;
const rangePattern = /^([01]?\d|2[0-3]):([0-5]\d)-([01]?\d|2[0-4]):([0-5]\d)$/;

function pad(hours: string, mins: string): string {
  return `${hours.padStart(2, '0')}:${mins}`;
}

function readDays(selector: string): WeekDay[] | null {
  const days: WeekDay[] = [];
  for (const part of selector.split(',')) {
    const match = dayRangePattern.exec(part.trim());
    if (!match) return null;
    const from = weekDays.indexOf(match[1] as WeekDay);
    const to = match[2] ? weekDays.indexOf(match[2] as WeekDay) : from;
    // "Fr-Mo" wraps over the weekend, as in OSM.
    for (let step = 0; step <= (to - from + 7) % 7; step++) days.push(weekDays[(from + step) % 7]!);
  }
  return days;
}

function readRanges(text: string): TimeRange[] | null {
  const ranges: TimeRange[] = [];
  for (const part of text.split(',')) {
    const match = rangePattern.exec(part.trim());
    if (!match) return null;
    const range = { from: pad(match[1]!, match[2]!), to: pad(match[3]!, match[4]!) };
    // Past midnight ("22:00-02:00") and "24:30" are valid OSM but not in this editor.
    if (!isCompleteRange(range)) return null;
    ranges.push(range);
  }
  return ranges;
}

/**
 * The schedule of an OSM text, or null when the editor cannot show it faithfully. Like OSM, a
 * later rule replaces the hours of the days it names ("Mo-Fr 09:00-17:00; We 09:00-12:00").
 */
export function openingHoursToSchedule(value: string): WeekSchedule | null {
  const schedule = emptySchedule();
  const text = value.trim();
  if (text === '') return schedule;
  let holidaysSeen = false;
  for (const raw of text.split(';')) {
    const rule = raw.trim();
    if (rule === '') continue;
    const match = /^(\S+)\s+(.+)$/.exec(rule);
    if (!match) return null;
    const [, selector, hours] = match as unknown as [string, string, string];
    const off = hours === 'off' || hours === 'closed';
    if (selector === 'PH') {
      if (holidaysSeen) return null;
      holidaysSeen = true;
      if (off) {
        schedule.holidays = { kind: 'closed' };
        continue;
      }
      const ranges = readRanges(hours);
      if (!ranges) return null;
      schedule.holidays = { kind: 'open', ranges };
      continue;
    }
    // Holidays are written last; a week rule after them would change what they mean.
    if (holidaysSeen) return null;
    const days = readDays(selector);
    if (!days) return null;
    const ranges = off ? [] : readRanges(hours);
    if (!ranges) return null;
    for (const day of days) schedule.days[day] = ranges.map((range) => ({ ...range }));
  }
  return schedule;
}

