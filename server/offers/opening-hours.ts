import OpeningHours from 'opening_hours';
import type { Language } from '../http/localized-validation.ts';

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
export function checkOpeningHours(value: string, region: HolidayRegion, language: Language): OpeningHoursCheck {
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
