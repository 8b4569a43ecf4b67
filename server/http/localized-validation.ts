import type { z } from 'zod';
import { type AppError, ValidationError, type FieldError } from './errors.ts';
import type { InputLocation } from './parse.ts';

export type Language = 'de' | 'en';

/** A message in both languages; `params` fill `{name}` placeholders. */
export interface Message {
  de: string;
  en: string;
}

export type MessageCatalogue = Record<string, Message>;

function isMessage(value: unknown): value is Message {
  return typeof value === 'object' && value !== null && typeof (value as Message).de === 'string' && typeof (value as Message).en === 'string';
}

/** `message` in `language` with its `{name}` placeholders filled; a parameter that is itself a `Message` is taken in the same language. */
export function fillMessage(message: Message, language: Language, params: Record<string, unknown> = {}): string {
  return message[language].replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    if (value === undefined) return whole;
    return isMessage(value) ? value[language] : String(value);
  });
}

const typeNames: Record<string, Message> = {
  string: { de: 'ein Text', en: 'text' },
  number: { de: 'eine Zahl', en: 'a number' },
  int: { de: 'eine ganze Zahl', en: 'a whole number' },
  boolean: { de: 'ja oder nein (true/false)', en: 'true or false' },
  array: { de: 'eine Liste', en: 'a list' },
  object: { de: 'ein Objekt', en: 'an object' },
  date: { de: 'ein Datum', en: 'a date' },
};

const formatNames: Record<string, Message> = {
  email: { de: 'ist keine gültige E-Mail-Adresse (Beispiel: name@beispiel.de)', en: 'is not a valid e-mail address (example: name@example.org)' },
  url: { de: 'ist keine gültige Webadresse; sie muss mit http:// oder https:// beginnen', en: 'is not a valid web address; it must start with http:// or https://' },
  uuid: { de: 'ist keine gültige Kennung (UUID)', en: 'is not a valid identifier (UUID)' },
  datetime: { de: 'ist kein gültiger Zeitpunkt (ISO 8601)', en: 'is not a valid point in time (ISO 8601)' },
  date: { de: 'ist kein gültiges Datum (JJJJ-MM-TT)', en: 'is not a valid date (YYYY-MM-DD)' },
};

const generic: MessageCatalogue = {
  required: { de: 'Dieses Feld ist erforderlich.', en: 'This field is required.' },
  invalid_type: { de: 'Erwartet wird {expected}.', en: 'Expected {expected}.' },
  empty: { de: 'Darf nicht leer sein.', en: 'Must not be empty.' },
  string_too_short: { de: 'Muss mindestens {minimum} Zeichen lang sein.', en: 'Must be at least {minimum} characters long.' },
  string_too_long: { de: 'Darf höchstens {maximum} Zeichen lang sein.', en: 'Must be at most {maximum} characters long.' },
  number_too_small: { de: 'Muss mindestens {minimum} sein.', en: 'Must be at least {minimum}.' },
  number_too_small_exclusive: { de: 'Muss größer als {minimum} sein.', en: 'Must be greater than {minimum}.' },
  number_too_big: { de: 'Darf höchstens {maximum} sein.', en: 'Must be at most {maximum}.' },
  number_too_big_exclusive: { de: 'Muss kleiner als {maximum} sein.', en: 'Must be less than {maximum}.' },
  array_too_small: { de: 'Braucht mindestens {minimum} Einträge.', en: 'Needs at least {minimum} entries.' },
  array_too_big: { de: 'Darf höchstens {maximum} Einträge haben.', en: 'May have at most {maximum} entries.' },
  format: { de: 'Wert {format}.', en: 'The value {format}.' },
  pattern: { de: 'Hat nicht das erwartete Format.', en: 'Does not have the expected format.' },
  invalid_value: { de: 'Muss einer dieser Werte sein: {values}.', en: 'Must be one of: {values}.' },
  unrecognized_keys: { de: 'Unbekanntes Feld: {keys}.', en: 'Unknown field: {keys}.' },
  invalid_union: { de: 'Passt zu keiner der erlaubten Formen.', en: 'Matches none of the allowed shapes.' },
  not_integer: { de: 'Muss eine ganze Zahl sein.', en: 'Must be a whole number.' },
};

/**
 * A zod error map with sentences in German or English. `catalogue` holds the messages named by
 * `params.key` on custom checks and, by the last path segment, the messages for regex formats
 * (`format.phone`), which zod cannot describe itself, and for a field whose rule the generic
 * sentence would not explain (`field.radius`: "a distance in metres between 50 and 50000"); a
 * missing field is always "required", and a custom check's own key wins.
 */
export function localizedErrorMap(language: Language, catalogue: MessageCatalogue = {}): z.core.$ZodErrorMap {
  const say = (key: string, params: Record<string, unknown> = {}) =>
    fillMessage(catalogue[key] ?? generic[key] ?? generic.pattern!, language, params);
  return (issue) => {
    const lastSegment = [...(issue.path ?? [])].reverse().find((segment) => typeof segment === 'string');
    const fieldKey = lastSegment === undefined ? undefined : `field.${lastSegment}`;
    const keyed = issue.code === 'custom' && typeof issue.params?.key === 'string';
    const missing = issue.code === 'invalid_type' && issue.input === undefined;
    if (fieldKey && catalogue[fieldKey] && !keyed && !missing && issue.code !== 'unrecognized_keys') return say(fieldKey);
    switch (issue.code) {
      case 'invalid_type': {
        if (issue.input === undefined) return say('required');
        const expected = typeNames[issue.expected]?.[language] ?? issue.expected;
        if (issue.expected === 'number' && typeof issue.input === 'number') return say('not_integer');
        return say('invalid_type', { expected });
      }
      case 'too_small': {
        const minimum = Number(issue.minimum);
        if (issue.origin === 'string') return minimum <= 1 ? say('empty') : say('string_too_short', { minimum });
        if (issue.origin === 'array' || issue.origin === 'set') return say('array_too_small', { minimum });
        return say(issue.inclusive === false ? 'number_too_small_exclusive' : 'number_too_small', { minimum });
      }
      case 'too_big': {
        const maximum = Number(issue.maximum);
        if (issue.origin === 'string') return say('string_too_long', { maximum });
        if (issue.origin === 'array' || issue.origin === 'set') return say('array_too_big', { maximum });
        return say(issue.inclusive === false ? 'number_too_big_exclusive' : 'number_too_big', { maximum });
      }
      case 'invalid_format': {
        if (issue.format === 'regex' || issue.format === 'starts_with' || issue.format === 'ends_with') {
          const fieldKey = lastSegment ? `format.${lastSegment}` : undefined;
          return fieldKey && catalogue[fieldKey] ? say(fieldKey) : say('pattern');
        }
        const format = formatNames[issue.format]?.[language] ?? (language === 'de' ? 'hat nicht das erwartete Format' : 'does not have the expected format');
        return say('format', { format });
      }
      case 'invalid_value':
        return say('invalid_value', { values: issue.values.map((value) => String(value)).join(', ') });
      case 'unrecognized_keys':
        return say('unrecognized_keys', { keys: issue.keys.join(', ') });
      case 'invalid_union':
        return say('invalid_union');
      case 'custom': {
        const params = (issue.params ?? {}) as Record<string, unknown>;
        const key = typeof params.key === 'string' ? params.key : undefined;
        if (key && (catalogue[key] || generic[key])) return say(key, params);
        return undefined;
      }
      default:
        return undefined;
    }
  };
}

export function summarizeLocalized(errors: FieldError[], language: Language): string {
  const first = errors[0];
  if (!first) return language === 'de' ? 'Die Anfrage ist ungültig.' : 'The request is invalid.';
  const rest =
    errors.length > 1 ? (language === 'de' ? ` (und ${errors.length - 1} weitere)` : ` (and ${errors.length - 1} more)`) : '';
  return `${first.field}: ${first.message}${rest}`;
}

function fieldName(path: readonly PropertyKey[], location: InputLocation): string {
  const joined = path.map(String).join('.');
  const prefix = location === 'body' || location === 'file' ? '' : location;
  return [prefix, joined].filter((part) => part !== '').join('.') || location;
}

export function localizedValidationError(errors: FieldError[], language: Language): ValidationError {
  return new ValidationError(errors, summarizeLocalized(errors, language));
}

/**
 * The context of a parse with `error`, holding `async: false` already. zod's safeParse copies the
 * context it is given as `{ ...context, async: false }`; in V8 (Node 20) a spread that adds a field
 * makes an object with a map of its own, every time. Each parse then read its context through new
 * shapes and left garbage that outlived the young generation: a search's query took 5.2-6.2 µs to
 * parse this way and 2.0-3.3 µs with the field given (docs/benchmarks.md, "Spread objects and the
 * young generation").
 */
export function parseContext(error: z.core.$ZodErrorMap): z.core.ParseContext<z.core.$ZodIssue> {
  const context: z.core.ParseContextInternal<z.core.$ZodIssue> = { error, async: false };
  return context;
}

/** Validates input at the boundary; a failure names every bad field and why, in `language`. */
export function parseLocalized<Schema extends z.ZodType>(
  schema: Schema,
  input: unknown,
  location: InputLocation,
  language: Language,
  catalogue: MessageCatalogue = {},
): z.output<Schema> {
  const result = schema.safeParse(input, parseContext(localizedErrorMap(language, catalogue)));
  if (result.success) return result.data;
  const errors = result.error.issues.map((issue) => ({
    field: fieldName(issue.path, location),
    code: issue.code === 'custom' && typeof issue.params?.key === 'string' ? issue.params.key : issue.code,
    message: issue.message,
  }));
  throw localizedValidationError(errors, language);
}

/** A field error whose message is a catalogue entry, filled with `params` once the language is known. */
export interface KeyedFieldError {
  field: string;
  code: string;
  message: Message;
  params?: Record<string, unknown>;
}

/**
 * A refusal raised where the request's language is not known (inside a service or a parser): the
 * messages travel in both languages and the problem handler answers in the request's
 * (`AppError.translations`); the error's own texts are English, for logs and the command line.
 */
export function bilingualValidationError(errors: KeyedFieldError[], code = 'validation_failed', detail?: Message): ValidationError {
  const inLanguage = (language: Language): FieldError[] =>
    errors.map((error) => ({ field: error.field, code: error.code, message: fillMessage(error.message, language, error.params) }));
  const detailIn = (language: Language, fieldErrors: FieldError[]) =>
    detail ? fillMessage(detail, language, errors[0]?.params) : summarizeLocalized(fieldErrors, language);
  const [german, english] = [inLanguage('de'), inLanguage('en')];
  const error = new ValidationError(english, detailIn('en', english), code);
  error.translations = { de: { detail: detailIn('de', german), errors: german }, en: { detail: error.detail, errors: english } };
  return error;
}

/**
 * An error of the family with its detail from a catalogue, in both languages; `error` is built
 * with the English sentence (`fillMessage(message, 'en', params)`).
 */
export function inBothLanguages<Raised extends AppError>(error: Raised, message: Message, params: Record<string, unknown> = {}): Raised {
  error.translations = { de: { detail: fillMessage(message, 'de', params) }, en: { detail: fillMessage(message, 'en', params) } };
  return error;
}
