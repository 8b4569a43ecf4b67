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

/**
 * Parses an OpenStreetMap `opening_hours` value with the public holidays (PH) of the state.
 * The library's messages come in German or English; its "<--- " position marker is kept
 * because it shows where the problem is.
 */
export function checkOpeningHours(value: string, region: HolidayRegion, language: Language): OpeningHoursCheck {
  try {
    const parsed = new OpeningHours(value, nominatim(region), { mode: 0, locale: language, tag_key: undefined, map_value: undefined, warnings_severity: 4 });
    return { valid: true, warnings: parsed.getWarnings() };
  } catch (error) {
    const detail = String(error instanceof Error ? error.message : error).trim();
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
