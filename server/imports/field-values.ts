/**
 * Pure helpers that turn the publishers' field values into ours. Each returns either a value
 * or a reason a user understands; the importers decide whether a reason is an error or a
 * warning.
 */

export type Parsed<T> = { ok: true; value: T; note?: string } | { ok: false; reason: string };

/** A trimmed string, or null for missing/empty values; numbers become their decimal text. */
export function textValue(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : null;
  if (typeof value === 'boolean') return String(value);
  if (typeof value !== 'string') return null;
  const trimmed = value.replace(/\s+/g, ' ').trim();
  return trimmed === '' ? null : trimmed;
}

/** A decimal number written with a dot ("1023101.0", "-4.83"); thousands separators are refused. */
export function parseDecimal(value: unknown): Parsed<number> {
  if (typeof value === 'number') return Number.isFinite(value) ? { ok: true, value } : { ok: false, reason: 'is not a finite number' };
  const text = textValue(value);
  if (text === null) return { ok: false, reason: 'is empty' };
  if (!/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(text)) return { ok: false, reason: `"${text}" is not a number` };
  return { ok: true, value: Number(text) };
}

/**
 * A house number from a range field: leading zeros and letter suffixes are dropped ("0001a" → 1,
 * "0029," → 29). 0 means "no number" in Cologne's file.
 */
export function parseHouseNumber(value: unknown): Parsed<number | null> {
  const text = textValue(value);
  if (text === null) return { ok: true, value: null };
  const match = /^0*(\d{1,5})\s*[a-zA-Z]?\s*[,.;]?$/.exec(text);
  if (!match) return { ok: false, reason: `"${text}" is not a house number (digits with an optional letter)` };
  const number = Number(match[1]);
  return { ok: true, value: number === 0 ? null : number };
}

/**
 * A from–to range of one side of a street. When only one end is known the range is that single
 * number; when neither is, there is none.
 */
export function houseNumberRange(fromValue: unknown, toValue: unknown): Parsed<{ from: number; to: number } | null> {
  const from = parseHouseNumber(fromValue);
  if (!from.ok) return from;
  const to = parseHouseNumber(toValue);
  if (!to.ok) return to;
  if (from.value === null && to.value === null) return { ok: true, value: null };
  if (from.value === null || to.value === null) {
    const only = (from.value ?? to.value)!;
    return { ok: true, value: { from: only, to: only }, note: 'only one end of the house-number range is given; the range is that number' };
  }
  return { ok: true, value: { from: from.value, to: to.value } };
}

/**
 * A web address as offers store it (http or https). Typical slips in the Berlin files are
 * mended ("www.x.de", "http//x.de", "https:www.x.de", trailing "(offline)"); anything else
 * is refused.
 */
export function normalizeWebsite(value: unknown): Parsed<string | null> {
  const text = textValue(value);
  if (text === null) return { ok: true, value: null };
  const firstToken = text.split(' ')[0]!;
  let candidate = firstToken.replace(/^(?:h?t+p(s?)(?::+\/*|\/+))+/i, (_match, secure: string) => `http${secure.toLowerCase()}://`);
  if (!/^https?:\/\//i.test(candidate)) candidate = `http://${candidate}`;
  let url: URL;
  try {
    url = new URL(candidate);
  } catch {
    return { ok: false, reason: `"${text}" is not a web address` };
  }
  if (!/^[a-z0-9.-]+\.[a-z]{2,}$/i.test(url.hostname)) return { ok: false, reason: `"${text}" is not a web address` };
  if (candidate.length > 2000) return { ok: false, reason: 'the web address is longer than 2,000 characters' };
  return candidate === text ? { ok: true, value: text } : { ok: true, value: candidate, note: `"${text}" was read as ${candidate}` };
}

/** A phone number of at most 40 characters; a longer field keeps its first number. */
export function normalizePhone(value: unknown): Parsed<string | null> {
  const text = textValue(value);
  if (text === null) return { ok: true, value: null };
  if (text.length <= 40) return { ok: true, value: text };
  const first = text.split(/\s*(?:\/|,|;|\(| o\. | oder )\s*/)[0]!.trim();
  if (first.length >= 3 && first.length <= 40) return { ok: true, value: first, note: `"${text}" is longer than 40 characters; kept "${first}"` };
  return { ok: false, reason: `"${text}" is longer than 40 characters` };
}

/** A German postal code: five digits (numbers are left-padded, "1055" → "01055"). */
export function normalizePostalCode(value: unknown): Parsed<string | null> {
  const text = textValue(value);
  if (text === null) return { ok: true, value: null };
  const padded = typeof value === 'number' && /^\d{4}$/.test(text) ? `0${text}` : text;
  if (!/^\d{5}$/.test(padded)) return { ok: false, reason: `"${text}" is not a five-digit postal code` };
  return { ok: true, value: padded };
}

/** Splits "Hönower Straße 91" or "Straße des 17. Juni 5" at the last number into street and house number. */
export function splitStreetAndNumber(value: unknown): { street: string | null; houseNumber: string | null } {
  const text = textValue(value);
  if (text === null) return { street: null, houseNumber: null };
  const match = /^(.*\S)\s+(\d+\S*(?:\s+[A-Za-z]{1,3})?)$/.exec(text);
  if (!match) return { street: text, houseNumber: null };
  return { street: match[1]!, houseNumber: match[2]!.slice(0, 20) };
}

/** The key that identifies a provider by name when the file gives no provider number. */
export function organizationNameKey(name: string): string {
  return `name:${name.toLowerCase().replace(/ß/g, 'ss').replace(/[^\p{L}\p{N}]+/gu, ' ').trim()}`.slice(0, 200);
}

/** Cuts a text to a maximum length at a word boundary, adding an ellipsis. */
export function truncate(text: string, maximum: number): string {
  if (text.length <= maximum) return text;
  const cut = text.slice(0, maximum - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > maximum / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}
