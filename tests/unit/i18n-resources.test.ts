import { describe, expect, it } from 'vitest';
import { initialLanguage, isSupportedLanguage, resolveLanguage } from '../../client/i18n/language.ts';
import { de } from '../../client/i18n/locales/de.ts';
import { en } from '../../client/i18n/locales/en.ts';

function flatten(resource: object, prefix = ''): Map<string, string> {
  const entries = new Map<string, string>();
  for (const [key, value] of Object.entries(resource)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') entries.set(path, value);
    else if (value && typeof value === 'object') for (const entry of flatten(value, path)) entries.set(...entry);
    else throw new Error(`${path} is neither text nor a group`);
  }
  return entries;
}

const placeholders = (text: string) => [...text.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((match) => match[1]).sort();

describe('translation resources', () => {
  const german = flatten(de);
  const english = flatten(en);

  it('has every German key in English', () => {
    expect([...german.keys()].filter((key) => !english.has(key))).toEqual([]);
  });

  it('has no English key that German lacks', () => {
    expect([...english.keys()].filter((key) => !german.has(key))).toEqual([]);
  });

  it('has no empty texts', () => {
    const empty = [...german, ...english].filter(([, text]) => text.trim() === '').map(([key]) => key);
    expect(empty).toEqual([]);
  });

  it('uses the same placeholders in both languages', () => {
    const mismatched = [...german].filter(([key, text]) => {
      const other = english.get(key) ?? '';
      return placeholders(text).join() !== placeholders(other).join();
    });
    expect(mismatched.map(([key]) => key)).toEqual([]);
  });
});

describe('language choice', () => {
  it('defaults to German for unknown or missing values', () => {
    expect(resolveLanguage(null)).toBe('de');
    expect(resolveLanguage(undefined)).toBe('de');
    expect(resolveLanguage('fr')).toBe('de');
    expect(resolveLanguage('en-GB')).toBe('de');
  });

  it('keeps a supported stored language', () => {
    expect(resolveLanguage('en')).toBe('en');
    expect(isSupportedLanguage('de')).toBe(true);
    expect(isSupportedLanguage(42)).toBe(false);
  });
});

describe('language of the first page view', () => {
  it('follows the browser until the person chooses', () => {
    expect(initialLanguage(null, ['en-GB', 'de'])).toBe('en');
    expect(initialLanguage(undefined, ['fr-FR', 'EN-us'])).toBe('en');
    expect(initialLanguage(null, ['de-AT', 'en'])).toBe('de');
  });

  it('keeps a stored choice over the browser', () => {
    expect(initialLanguage('de', ['en-US'])).toBe('de');
    expect(initialLanguage('en', ['de-DE'])).toBe('en');
  });

  it('falls back to German when the browser names no language the UI speaks', () => {
    expect(initialLanguage(null, ['fr-FR', 'tr'])).toBe('de');
    expect(initialLanguage('xx', [])).toBe('de');
    expect(initialLanguage(null, undefined)).toBe('de');
  });
});
