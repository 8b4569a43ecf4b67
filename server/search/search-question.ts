import type { GeocodingService } from '../geocoding/geocoding.service.ts';
import { bilingualValidationError, type KeyedFieldError } from '../http/localized-validation.ts';
import type { OpeningHoursEvaluator } from '../shared/opening-hours.ts';
import type { SearchTaxonomy } from './search-taxonomy.ts';
import type { Knex } from 'knex';
import { parseTsquery, type TextWord } from './search-text.ts';
import { describeTextWord, type SearchFilter, type TextQuery } from './search.repo.ts';
import type { SearchOrigin, SearchQuery } from './search.schema.ts';
import { searchMessages } from './search.messages.ts';

// What a search asks, turned into what the index and the SQL understand: the moment, the origin
// (coordinates or a geocoded address) and the filter (codes resolved to term ids, the text query).

/** An address found with a lower score is not trusted as the search origin. */
const minimumAddressScore = 0.6;

/**
 * Operators of websearch syntax ("…" phrases, -exclusion, or) are passed on as typed; plain words
 * become prefix terms, so "Senioren" also finds "Seniorentreff" and typing need not finish a word,
 * and each also matches the end of a compound ("Beratung" finds "Schuldnerberatung").
 */
export function buildTextQuery(text: string): TextQuery | null {
  if (/"|(^|\s)-\S|\s(or|OR)\s/.test(text)) return { kind: 'websearch', text };
  const words = text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  if (words.length === 0) return null;
  // "ae", "oe", "ue" typed for ä, ö, ü: PostgreSQL 18's German stemmer folds them, PostgreSQL 15's
  // does not, so such a word also asks for its umlaut spelling ("Begegnungsstaette").
  const term = (word: string) => {
    const umlauts = word.replace(/ae/g, 'ä').replace(/oe/g, 'ö').replace(/ue/g, 'ü');
    return umlauts === word ? `${word}:*` : `(${word}:* | ${umlauts}:*)`;
  };
  const terms = words.slice(0, 8).map((word) => ({ term: term(word), word }));
  return { kind: 'prefix', text: terms.map((item) => item.term).join(' & '), words: terms };
}

/** The moment opening hours are evaluated at: asked for, or the start of the current minute. */
export function momentOf(query: SearchQuery, openingHours: OpeningHoursEvaluator, now: () => Date): Date {
  // Opening hours resolve to the minute; "now" is the start of the current minute.
  const at = query.at ? openingHours.parseMoment(query.at) : new Date(Math.floor(now().getTime() / 60_000) * 60_000);
  if (!at) {
    throw bilingualValidationError([{ field: 'query.at', code: 'invalid_date', message: searchMessages.invalid_date! }]);
  }
  return at;
}

/** The origin as given or geocoded; the areas it lies in are added by the caller. */
export type ResolvedOrigin = Omit<SearchOrigin, 'areaName' | 'districtName'>;

export async function resolveOrigin(geocoding: GeocodingService, query: SearchQuery): Promise<ResolvedOrigin | null> {
  if (query.lat !== undefined && query.lon !== undefined) {
    return { lon: query.lon, lat: query.lat, label: null, source: 'coordinates', precision: null };
  }
  if (!query.address) return null;
  const [best] = await geocoding.geocode(query.address, 1);
  if (!best || best.score < minimumAddressScore) {
    throw bilingualValidationError(
      [{ field: 'query.address', code: 'address_not_found', message: searchMessages.address_not_found!, params: { address: query.address } }],
      'address_not_found',
      searchMessages.address_not_found_detail,
    );
  }
  return { lon: best.lon, lat: best.lat, label: best.label, source: 'address', precision: best.precision };
}

/** The filter of a search; `openingHoursIn` is filled by the caller once it knows the values. */
export async function buildFilter(taxonomy: SearchTaxonomy, query: SearchQuery, origin: ResolvedOrigin | null, cityId?: string): Promise<SearchFilter> {
  const errors: KeyedFieldError[] = [];
  const [offerTypeIds, targetGroupIds, fieldOfActionIds, accessibilityIds] = [
    await taxonomy.resolveCodes('offer_type', query.type, 'query.type', true, errors),
    await taxonomy.resolveCodes('target_group', query.targetGroup, 'query.targetGroup', true, errors),
    await taxonomy.resolveCodes('field_of_action', query.fieldOfAction, 'query.fieldOfAction', true, errors),
    await taxonomy.resolveCodes('accessibility', query.accessible, 'query.accessible', false, errors),
  ];
  if (errors.length > 0) throw bilingualValidationError(errors);
  // Every field written here, the city and the stemmed words too (filled in later): one shape for
  // every search's filter (search.service.ts on spreads that add a field).
  return {
    cityId,
    origin: origin ? { lon: origin.lon, lat: origin.lat } : null,
    radiusMeters: query.radius,
    offerTypeIds,
    targetGroupIds,
    fieldOfActionIds,
    accessibilityIds: accessibilityIds ?? [],
    languages: query.language ?? null,
    free: query.free === true,
    age: query.age ?? null,
    text: query.q ? buildTextQuery(query.q) : null,
    withOpeningHours: false,
    openingHoursIn: null,
    textWords: null,
  };
}

/** How many distinct words keep their stems (a few hundred bytes each). */
const textWordLimit = 10_000;

/**
 * The words of a prefix query as the database stems them, for the in-memory index: one constant
 * statement per distinct word, kept (the stemmer does not change while the process runs). Null
 * when the index cannot evaluate the query as the SQL does (websearch syntax, phrases): SQL answers.
 */
export function createTextWords(db: Knex): (text: TextQuery) => Promise<TextWord[] | null> {
  const known = new Map<string, Promise<TextWord | null>>();
  const wordOf = (word: { term: string; word: string }): Promise<TextWord | null> => {
    const key = `${word.term}\u0000${word.word}`;
    let found = known.get(key);
    if (!found) {
      found = describeTextWord(db, word).then(({ query, nodes, ending }) => {
        const parsedQuery = nodes === 0 ? null : parseTsquery(query);
        const parsedEnding = ending === null ? null : parseTsquery(ending);
        if (parsedQuery === undefined || parsedEnding === undefined || (nodes > 0 && parsedQuery === null)) return null;
        return { query: parsedQuery, ending: parsedEnding };
      });
      found.catch(() => known.delete(key));
      if (known.size >= textWordLimit) known.delete(known.keys().next().value!);
      known.set(key, found);
    }
    return found;
  };
  return async (text) => {
    if (text.kind !== 'prefix') return null;
    const words = await Promise.all(text.words.map(wordOf));
    return words.every((word) => word !== null) ? words : null;
  };
}
