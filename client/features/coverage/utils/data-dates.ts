// Data dates as people read them: "31.12.2012" in German, "31 Dec 2012" in English.

/** A date (YYYY-MM-DD or an ISO timestamp) in the page language; other text is returned as it is. */
export function formatDataDate(value: string, language: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(value);
  if (!match) return value;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return new Intl.DateTimeFormat(language === 'en' ? 'en-GB' : 'de-DE', { day: language === 'en' ? 'numeric' : '2-digit', month: language === 'en' ? 'short' : '2-digit', year: 'numeric', timeZone: 'UTC' }).format(date);
}

/** Whole years between the statistics period and the offers' date (0 when either is unknown). */
export function yearsApart(period: string, offersDate: string | null): number {
  const from = Number(period.slice(0, 4));
  const to = offersDate ? Number(offersDate.slice(0, 4)) : NaN;
  return Number.isFinite(from) && Number.isFinite(to) ? Math.max(0, to - from) : 0;
}
