// Dates and times as people read them, in the city's time zone whatever the device says.
const cityTimeZone = 'Europe/Berlin';

function dayKey(date: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: cityTimeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(date);
}

export function relativeTime(iso: string, now: Date, language: 'de' | 'en'): { kind: 'today' | 'tomorrow' | 'weekday'; time: string; day: string } {
  const date = new Date(iso);
  const time = new Intl.DateTimeFormat(language, { timeZone: cityTimeZone, hour: 'numeric', minute: '2-digit' }).format(date);
  const day = new Intl.DateTimeFormat(language, { timeZone: cityTimeZone, weekday: 'long', day: 'numeric', month: 'long' }).format(date);
  if (dayKey(date) === dayKey(now)) return { kind: 'today', time, day };
  if (dayKey(date) === dayKey(new Date(now.getTime() + 86_400_000))) return { kind: 'tomorrow', time, day };
  return { kind: 'weekday', time, day };
}

/** "2025-11-03" (a calendar day in the city) → "Montag, 3. November". */
export function weekdayAndDate(isoDate: string, language: 'de' | 'en'): string {
  const [year, month, day] = isoDate.split('-').map(Number) as [number, number, number];
  return new Intl.DateTimeFormat(language, { timeZone: 'UTC', weekday: 'long', day: 'numeric', month: 'long' }).format(
    new Date(Date.UTC(year, month - 1, day, 12)),
  );
}

export function formatDate(iso: string, language: 'de' | 'en'): string {
  return new Intl.DateTimeFormat(language, { timeZone: cityTimeZone, day: 'numeric', month: 'long', year: 'numeric' }).format(new Date(iso));
}

export function languageName(code: string, language: 'de' | 'en'): string {
  try {
    return new Intl.DisplayNames([language], { type: 'language' }).of(code) ?? code;
  } catch {
    return code;
  }
}
