// Numbers and times as people read them, in the city's time zone whatever the device says.
export const cityTimeZone = 'Europe/Berlin';

export function formatDistance(meters: number, language: 'de' | 'en'): string {
  if (meters < 1000) return `${Math.round(meters / 10) * 10} m`;
  const kilometres = meters / 1000;
  return `${new Intl.NumberFormat(language, { maximumFractionDigits: kilometres < 10 ? 1 : 0 }).format(kilometres)} km`;
}

function dayKey(date: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: cityTimeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(date);
}

export type RelativeTime = { kind: 'today' | 'tomorrow' | 'weekday'; time: string; day: string };

/** "heute 17:00", "morgen 9:00", "Montag, 9:00": how far ahead an opening or closing is. */
export function relativeTime(iso: string, now: Date, language: 'de' | 'en'): RelativeTime {
  const date = new Date(iso);
  const time = new Intl.DateTimeFormat(language, { timeZone: cityTimeZone, hour: 'numeric', minute: '2-digit' }).format(date);
  const day = new Intl.DateTimeFormat(language, { timeZone: cityTimeZone, weekday: 'long' }).format(date);
  const tomorrow = new Date(now.getTime() + 86_400_000);
  if (dayKey(date) === dayKey(now)) return { kind: 'today', time, day };
  if (dayKey(date) === dayKey(tomorrow)) return { kind: 'tomorrow', time, day };
  return { kind: 'weekday', time, day };
}
