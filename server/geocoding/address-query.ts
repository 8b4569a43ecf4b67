// Splits what a person typed into street, house number and place. Pure; the city name is passed in.

import { foldName } from '../shared/street-key.ts';

export interface AddressQuery {
  /** The street or place part as typed, e.g. "Venloer Straße". */
  text: string;
  houseNumber: number | null;
  /** The letter after the number ("12a" → "a"), kept for the label. */
  houseNumberSuffix: string | null;
  /** A place named after a comma or after the number ("…, Ehrenfeld"), or null. */
  locality: string | null;
  postalCode: string | null;
}

const postalCodePattern = /\b(\d{5})\b/;
// "123", "123a", "123 a", "123-125" (the first number counts), "123/1" — at the end of the text,
// or followed by a place ("Venloer Str. 12 Ehrenfeld").
const numberPart = String.raw`(\d{1,5})\s*([a-zA-Z](?![a-zA-ZäöüÄÖÜß]))?(?:\s*[-–/]\s*\d{1,5}\s*[a-zA-Z]?)?`;
const trailingNumberPattern = new RegExp(String.raw`^(.*?\D)\s*${numberPart}\s*()$`, 'u');
const middleNumberPattern = new RegExp(String.raw`^(.*?\D)\s*${numberPart}\s+(\D.*)$`, 'u');

function dropCityName(part: string, cityNames: readonly string[]): string {
  let result = part;
  for (const city of cityNames) {
    const folded = foldName(city);
    if (!folded) continue;
    const words = result.split(/\s+/);
    // "Köln", "Koeln", "Köln-Ehrenfeld" → "Ehrenfeld"
    const first = words[0] ?? '';
    const firstFolded = foldName(first.split('-')[0] ?? '');
    if (firstFolded === folded) {
      const rest = first.includes('-') ? [first.slice(first.indexOf('-') + 1), ...words.slice(1)] : words.slice(1);
      result = rest.join(' ');
    }
  }
  return result.trim();
}

export function parseAddressQuery(input: string, cityNames: readonly string[] = []): AddressQuery {
  let text = input.normalize('NFC').replace(/\s+/g, ' ').trim();
  let postalCode: string | null = null;
  const postal = postalCodePattern.exec(text);
  if (postal?.[1]) {
    postalCode = postal[1];
    text = `${text.slice(0, postal.index)} ${text.slice(postal.index + postal[0].length)}`.replace(/\s+/g, ' ').trim();
  }
  const parts = text
    .split(',')
    .map((part) => dropCityName(part.trim(), cityNames))
    .filter((part) => part.length > 0);
  let main = parts[0] ?? '';
  let locality: string | null = parts.slice(1).join(' ').trim() || null;
  let houseNumber: number | null = null;
  let houseNumberSuffix: string | null = null;
  const numbered = trailingNumberPattern.exec(` ${main}`) ?? middleNumberPattern.exec(` ${main}`);
  if (numbered?.[1] && numbered[2] && numbered[1].trim().length > 0) {
    houseNumber = Number.parseInt(numbered[2], 10) || null;
    houseNumberSuffix = numbered[3]?.toLowerCase() ?? null;
    const after = (numbered[4] ?? '').trim();
    main = numbered[1].trim();
    if (after) locality = locality ? `${after} ${locality}` : after;
  }
  // A second part that is only a number: "Venloer Straße, 12"
  if (houseNumber === null && locality && /^\d{1,5}\s*[a-zA-Z]?$/.test(locality)) {
    houseNumber = Number.parseInt(locality, 10) || null;
    houseNumberSuffix = /[a-zA-Z]$/.test(locality) ? locality.slice(-1).toLowerCase() : null;
    locality = null;
  }
  return {
    text: main.replace(/[.,;:]+$/, '').trim(),
    houseNumber,
    houseNumberSuffix,
    locality: locality ? dropCityName(locality, cityNames) || null : null,
    postalCode,
  };
}
