// Opening hours in OpenStreetMap syntax: one kernel for the offers (checking a value when it is
// written) and the search (evaluating it for "open now" and the detail page).
//
// Evaluation: opening hours are evaluated for the city's wall clock (Europe/Berlin) with
// the state's public holidays, whatever time zone the server process runs in.
//
// The opening_hours library reads local Date fields (getHours, getDay). So an instant is turned
// into a "wall-clock date": a Date whose local fields show the Berlin time; the library's answers
// (also wall-clock dates) are turned back into instants. Only the process's own DST gaps could
// distort this, and servers run in UTC or in Europe/Berlin, where the gaps coincide.

import Holidays from 'date-holidays';
import OpeningHours from 'opening_hours';
import type { opening_hours as OpeningHoursInstance } from 'opening_hours';

/** German states as opening_hours knows them (its holiday tables are keyed by these names). */
export const germanStates: Record<string, string> = {
  BW: 'Baden-Württemberg',
  BY: 'Bayern',
  BE: 'Berlin',
  BB: 'Brandenburg',
  HB: 'Bremen',
  HH: 'Hamburg',
  HE: 'Hessen',
  MV: 'Mecklenburg-Vorpommern',
  NI: 'Niedersachsen',
  NW: 'Nordrhein-Westfalen',
  RP: 'Rheinland-Pfalz',
  SL: 'Saarland',
  SN: 'Sachsen',
  ST: 'Sachsen-Anhalt',
  SH: 'Schleswig-Holstein',
  TH: 'Thüringen',
};

export interface HolidayRegion {
  /** Two-letter state code (HOLIDAY_STATE), e.g. NW. */
  state: string;
  /** Any point in the city; opening_hours uses it for sunrise/sunset rules. */
  lon: number;
  lat: number;
}

export type OpeningHoursCheck = { valid: true; warnings: string[] } | { valid: false; detail: string };

function nominatim(region: HolidayRegion) {
  return {
    lat: region.lat,
    lon: region.lon,
    address: { country_code: 'de', state: germanStates[region.state] ?? germanStates.NW! },
  };
}

// opening_hours speaks German with "du"; the application addresses staff with "Sie". Its imperatives
// are turned formal, and its joking asides (which only exist in the informal voice) are dropped.
const formalImperatives: [RegExp, string][] = [
  [/\bBitte verzichte\b/g, 'Bitte verzichten Sie'],
  [/\bBitte benutze\b/g, 'Bitte verwenden Sie'],
  [/\bBitte verwende\b/g, 'Bitte verwenden Sie'],
  [/\bBitte entferne\b/g, 'Bitte entfernen Sie'],
  [/\bBitte schreibe\b/g, 'Bitte schreiben Sie'],
  [/\bBitte gib\b/g, 'Bitte geben Sie'],
  [/\bBitte füge\b/g, 'Bitte fügen Sie'],
  [/\bBitte ändere\b/g, 'Bitte ändern Sie'],
  [/\bBitte prüfe\b/g, 'Bitte prüfen Sie'],
  [/\bBitte setze\b/g, 'Bitte setzen Sie'],
  [/\bBitte lasse\b/g, 'Bitte lassen Sie'],
  [/\bBitte lass\b/g, 'Bitte lassen Sie'],
  [/\bdu\b/g, 'Sie'],
  [/\bDu\b/g, 'Sie'],
  [/\bdein(e[mnrs]?)?\b/g, 'Ihr$1'],
  [/\bDein(e[mnrs]?)?\b/g, 'Ihr$1'],
];

/** The library's German message in the formal voice of the application. */
export function formalGerman(message: string): string {
  // sentences that only make sense as an informal aside ("Kann es sein, dass du ein Programmierer bist …?")
  let text = message.replace(/\s*Kann es sein, dass du[^?]*\?[^.)]*\.?/g, '');
  for (const [pattern, replacement] of formalImperatives) text = text.replace(pattern, replacement);
  return text;
}

/**
 * Parses an OpenStreetMap `opening_hours` value with the public holidays (PH) of the state.
 * The library's messages come in German or English; its "<--- " position marker is kept
 * because it shows where the problem is.
 */
export function checkOpeningHours(value: string, region: HolidayRegion, language: 'de' | 'en'): OpeningHoursCheck {
  try {
    const parsed = new OpeningHours(value, nominatim(region), { mode: 0, locale: language, tag_key: undefined, map_value: undefined, warnings_severity: 4 });
    const warnings = parsed.getWarnings();
    return { valid: true, warnings: language === 'de' ? warnings.map(formalGerman) : warnings };
  } catch (error) {
    const raw = String(error instanceof Error ? error.message : error).trim();
    const detail = language === 'de' ? formalGerman(raw) : raw;
    return { valid: false, detail: detail.slice(0, 500) };
  }
}

/** Whether the offer is open at `at` (undefined when the value cannot be read). */
export function isOpenAt(value: string, region: HolidayRegion, at: Date): boolean | undefined {
  try {
    return new OpeningHours(value, nominatim(region), { mode: 0, locale: 'en', tag_key: undefined, map_value: undefined, warnings_severity: 4 }).getState(at);
  } catch {
    return undefined;
  }
}

export type OpeningStatus = 'open' | 'closed' | 'unknown';

export interface OpeningState {
  status: OpeningStatus;
  /** When open: the next closing time (ISO 8601 with offset), if within the look-ahead. */
  closesAt: string | null;
  /** When closed: the next opening time, if within the look-ahead. */
  opensAt: string | null;
  /** A comment of the matching rule ("nach Vereinbarung"). */
  comment: string | null;
  /** The value could not be read; the offer is treated as "unknown". */
  invalid: boolean;
}

export interface DaySchedule {
  /** YYYY-MM-DD in the city's time zone. */
  date: string;
  /** 1 = Monday … 7 = Sunday (ISO). */
  weekday: number;
  intervals: Array<{ from: string; to: string; unknown: boolean; comment: string | null }>;
  publicHoliday: string | null;
}

export interface OpeningHoursEvaluator {
  readonly timeZone: string;
  state(value: string | null | undefined, at: Date): OpeningState;
  /** The opening times of `days` days from the day of `from`, for the detail page ("in words"). */
  week(value: string | null | undefined, from: Date, days?: number): DaySchedule[] | null;
  /** Formats an instant as ISO 8601 with the city's offset, e.g. 2025-11-03T09:00:00+01:00. */
  formatInstant(instant: Date): string;
  /** Reads "2025-11-03T09:00" (city wall clock) or a full ISO instant. */
  parseMoment(value: string): Date | null;
}


export function holidayStateName(code: string): string {
  const name = germanStates[code.toUpperCase()];
  if (!name) throw new Error(`unknown German state code "${code}" (expected e.g. NW, BE)`);
  return name;
}

interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const lookAheadDays = 8;
const dayMilliseconds = 86_400_000;

function pad(value: number, length = 2): string {
  return String(value).padStart(length, '0');
}

// eslint-disable-next-line max-lines-per-function -- an evaluator factory: a closure over its caches; each method is counted on its own
export function createOpeningHoursEvaluator(options: {
  holidayState: string;
  timeZone?: string;
  cacheSize?: number;
  /** A point in the city; the library uses it for sunrise/sunset ("sunrise-sunset"). */
  center?: [number, number];
}): OpeningHoursEvaluator {
  const timeZone = options.timeZone ?? 'Europe/Berlin';
  const cacheSize = options.cacheSize ?? 5000;
  holidayStateName(options.holidayState); // an unknown state stops here with a sentence naming it
  const [lon, lat] = options.center ?? [6.958, 50.941];
  const place = nominatim({ state: options.holidayState.toUpperCase(), lon, lat });
  const holidays = new Holidays('DE', options.holidayState.toUpperCase());
  const holidaysByYear = new Map<number, Map<string, string>>();
  const parsed = new Map<string, OpeningHoursInstance | null>();
  const formatter = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });

  function wallClock(instant: Date): WallClock {
    const parts: Record<string, number> = {};
    for (const part of formatter.formatToParts(instant)) {
      if (part.type !== 'literal') parts[part.type] = Number(part.value);
    }
    return {
      year: parts.year!,
      month: parts.month!,
      day: parts.day!,
      hour: parts.hour! % 24,
      minute: parts.minute!,
      second: parts.second!,
    };
  }

  function offsetMilliseconds(instantMs: number): number {
    const wall = wallClock(new Date(instantMs));
    const asUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);
    return asUtc - Math.floor(instantMs / 1000) * 1000;
  }

  function instantFromWall(wall: WallClock): Date {
    const asUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);
    let instant = asUtc - offsetMilliseconds(asUtc);
    const corrected = asUtc - offsetMilliseconds(instant);
    if (corrected !== instant) instant = corrected;
    return new Date(instant);
  }

  function toWallDate(instant: Date): Date {
    const wall = wallClock(instant);
    return new Date(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);
  }

  function fromWallDate(wallDate: Date): Date {
    return instantFromWall({
      year: wallDate.getFullYear(),
      month: wallDate.getMonth() + 1,
      day: wallDate.getDate(),
      hour: wallDate.getHours(),
      minute: wallDate.getMinutes(),
      second: wallDate.getSeconds(),
    });
  }

  // Every search formats the moment it asked about, mostly the same minute: the last answer is kept
  // (Intl's formatToParts is the slow part).
  let lastFormatted = { ms: Number.NaN, text: '' };

  function formatInstant(instant: Date): string {
    if (instant.getTime() === lastFormatted.ms) return lastFormatted.text;
    const text = formatInstantNow(instant);
    lastFormatted = { ms: instant.getTime(), text };
    return text;
  }

  function formatInstantNow(instant: Date): string {
    const wall = wallClock(instant);
    const offsetMinutes = Math.round(offsetMilliseconds(instant.getTime()) / 60_000);
    const sign = offsetMinutes >= 0 ? '+' : '-';
    const absolute = Math.abs(offsetMinutes);
    return `${wall.year}-${pad(wall.month)}-${pad(wall.day)}T${pad(wall.hour)}:${pad(wall.minute)}:${pad(wall.second)}${sign}${pad(Math.floor(absolute / 60))}:${pad(absolute % 60)}`;
  }

  function parse(value: string): OpeningHoursInstance | null {
    if (parsed.has(value)) {
      const cached = parsed.get(value)!;
      // Refresh its place in the insertion order: the Map doubles as an LRU list.
      parsed.delete(value);
      parsed.set(value, cached);
      return cached;
    }
    let instance: OpeningHoursInstance | null;
    try {
      instance = new OpeningHours(value, place);
    } catch {
      instance = null;
    }
    parsed.set(value, instance);
    if (parsed.size > cacheSize) {
      const oldest = parsed.keys().next().value;
      if (oldest !== undefined) parsed.delete(oldest);
    }
    return instance;
  }

  function holidayName(year: number, date: string): string | null {
    let byDate = holidaysByYear.get(year);
    if (!byDate) {
      byDate = new Map();
      for (const holiday of holidays.getHolidays(year, 'de')) {
        if (holiday.type === 'public') byDate.set(holiday.date.slice(0, 10), holiday.name);
      }
      holidaysByYear.set(year, byDate);
    }
    return byDate.get(date) ?? null;
  }

  const unknownState: OpeningState = { status: 'unknown', closesAt: null, opensAt: null, comment: null, invalid: false };
  // Opening hours resolve to the minute: within one minute a value has one state. Search results
  // repeat the same few values, so the states of the current minute are kept.
  let memoMinute = Number.NaN;
  const memo = new Map<string, OpeningState>();

  /** The state of one value at `at`; a blank value is no rule. */
  function evaluate(value: string, at: Date): OpeningState {
    const rule = value.trim();
    if (!rule) return unknownState;
    const instance = parse(rule);
    if (!instance) return { ...unknownState, invalid: true };
    const wallAt = toWallDate(at);
    const limit = new Date(wallAt.getTime() + lookAheadDays * dayMilliseconds);
    const unknown = instance.getUnknown(wallAt);
    const open = instance.getState(wallAt);
    const next = instance.getNextChange(wallAt, limit);
    const comment = instance.getComment(wallAt) ?? null;
    const nextInstant = next ? formatInstant(fromWallDate(next)) : null;
    if (unknown) return { status: 'unknown', closesAt: null, opensAt: null, comment, invalid: false };
    if (open) return { status: 'open', closesAt: nextInstant, opensAt: null, comment, invalid: false };
    // Closed: the next change may be an "unknown" range ("Mo 10:00-12:00 open "by appointment""),
    // which still counts as the next time to go there.
    return { status: 'closed', closesAt: null, opensAt: nextInstant, comment, invalid: false };
  }

  return {
    timeZone,
    formatInstant,
    parseMoment(value) {
      const local = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(value);
      if (local) {
        const [year, month, day, hour, minute, second] = local.slice(1).map((part) => Number(part ?? 0)) as number[];
        const wall = { year: year!, month: month!, day: day!, hour: hour!, minute: minute!, second: second ?? 0 };
        const check = new Date(Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second));
        if (check.getUTCMonth() !== wall.month - 1 || check.getUTCDate() !== wall.day || wall.hour > 23) return null;
        return instantFromWall(wall);
      }
      const instant = new Date(value);
      return Number.isNaN(instant.getTime()) ? null : instant;
    },
    state(value, at) {
      if (!value) return unknownState;
      // Only whole minutes are shared (the search asks at the start of the current minute).
      if (at.getTime() % 60_000 !== 0) return evaluate(value, at);
      const minute = at.getTime() / 60_000;
      if (minute !== memoMinute) {
        memoMinute = minute;
        memo.clear();
      }
      let state = memo.get(value);
      if (!state) {
        state = evaluate(value, at);
        if (memo.size < cacheSize) memo.set(value, state);
      }
      return state;
    },
    week(value, from, days = 7) {
      if (!value || !value.trim()) return null;
      const instance = parse(value.trim());
      if (!instance) return null;
      const start = toWallDate(from);
      start.setHours(0, 0, 0, 0);
      const schedule: DaySchedule[] = [];
      for (let offset = 0; offset < days; offset += 1) {
        const dayStart = new Date(start.getFullYear(), start.getMonth(), start.getDate() + offset);
        const dayEnd = new Date(start.getFullYear(), start.getMonth(), start.getDate() + offset + 1);
        const date = `${dayStart.getFullYear()}-${pad(dayStart.getMonth() + 1)}-${pad(dayStart.getDate())}`;
        const intervals = instance.getOpenIntervals(dayStart, dayEnd).map(([intervalFrom, intervalTo, unknown, comment]) => {
          const endsAtMidnight = intervalTo.getTime() >= dayEnd.getTime();
          return {
            from: `${pad(intervalFrom.getHours())}:${pad(intervalFrom.getMinutes())}`,
            to: endsAtMidnight ? '24:00' : `${pad(intervalTo.getHours())}:${pad(intervalTo.getMinutes())}`,
            unknown,
            comment: comment ?? null,
          };
        });
        schedule.push({
          date,
          weekday: ((dayStart.getDay() + 6) % 7) + 1,
          intervals,
          publicHoliday: holidayName(dayStart.getFullYear(), date),
        });
      }
      return schedule;
    },
  };
}
