// The one normalization of street and place names. The street-segment importer stores
// `streetKey(name)` in street_segments.street_key and the geocoder applies the same function to
// what people type, so both sides always agree. Pure: no database, no configuration.

/**
 * Cologne's segment file tells apart equal street names in incorporated former villages with a
 * two-letter place code after the name ("Buchenweg Wi", "Schulstr. Pe", "Rilkestr. Im"). No German
 * street name ends in a capitalized two-letter word, so the pattern is safe.
 */
const localitySuffixPattern = /^(.+?)\s+([A-ZÄÖÜ][a-zäöüß])$/u;

/**
 * The name without the place code ("Buchenweg Wi" → "Buchenweg", "Gaußstr. Wß" → "Gaußstr."), so
 * that "Buchenweg" finds all of them; the segment's area tells them apart.
 */
export function stripLocalitySuffix(rawName: string): string {
  const trimmed = rawName.trim().replace(/\s+/g, ' ');
  const match = localitySuffixPattern.exec(trimmed);
  return match?.[1] ?? trimmed;
}

/** Folds case, umlauts (ä → ae), ß → ss and other accents; keeps letters, digits and spaces. */
export function foldName(text: string): string {
  return text
    .normalize('NFC')
    .toLowerCase()
    .replace(/ß/g, 'ss')
    .replace(/ä/g, 'ae')
    .replace(/ö/g, 'oe')
    .replace(/ü/g, 'ue')
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/**
 * Expands the abbreviations of street names on folded text: "str", "str." → "strasse" at the end
 * of a word ("Venloer Str.", "Alpenerstr."), a separate "pl." → "platz", and "st"/"st." before a
 * word → "sankt" ("St.-Georg-Str." → "sankt georg strasse", "An St.Marien" → "an sankt marien").
 */
function expandAbbreviations(folded: string): string {
  return folded
    .replace(/(^| )st (?=[a-z])/g, '$1sankt ')
    .replace(/str(?= |$)/g, 'strasse')
    .replace(/(^| )pl(?= |$)/g, '$1platz');
}

/**
 * The matching key of a street name: folded, abbreviations expanded, and all spaces and hyphens
 * removed, so "Venloer Straße", "venloer str", "Venloer-Strasse" and "Venloerstr." share the key
 * "venloerstrasse". Umlauts fold to ae/oe/ue, so "Muelheimer Str." finds "Mülheimer Str.". A place
 * code is not removed here: importers strip it first where the data carries one.
 */
export function streetKey(name: string): string {
  return expandAbbreviations(foldName(name)).replace(/ /g, '');
}

/** The matching key of a place (Stadtteil, Viertel): folded, spaces and hyphens removed. */
export function placeKey(name: string): string {
  return foldName(name).replace(/ /g, '');
}

/** A street name as people write it: "Venloer Str." → "Venloer Straße", place code dropped. */
export function displayStreetName(rawName: string): string {
  return stripLocalitySuffix(rawName).replace(/Str\.(?=$|[\s-])/g, 'Straße').replace(/str\.(?=$|[\s-])/g, 'straße');
}
