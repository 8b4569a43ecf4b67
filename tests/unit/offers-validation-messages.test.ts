import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { localizedErrorMap } from '../../server/http/localized-validation.ts';
import { offerMessages } from '../../server/offers/offers.messages.ts';
import { offerCreateSchema } from '../../server/offers/offers.schema.ts';
import { toPrefixTsquery } from '../../server/offers/offers.service.ts';

function messages(input: unknown, language: 'de' | 'en') {
  const result = offerCreateSchema.safeParse(input, { error: localizedErrorMap(language, offerMessages) });
  return result.success ? [] : result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
}

describe('validation messages', () => {
  const valid = { name: 'Treff', offerType: 'kita', locations: [{ geometry: { type: 'Point', coordinates: [6.95, 50.93] } }] };

  it('speaks German and English', () => {
    expect(messages({ ...valid, email: 'kein-at' }, 'de')).toEqual(['email: Wert ist keine gültige E-Mail-Adresse (Beispiel: name@beispiel.de).']);
    expect(messages({ ...valid, email: 'no-at' }, 'en')).toEqual(['email: The value is not a valid e-mail address (example: name@example.org).']);
  });

  it('describes the regex formats by field', () => {
    expect(messages({ ...valid, phone: 'abc', locations: [{ ...valid.locations[0], address: { postalCode: '123' } }] }, 'de')).toEqual([
      'phone: Ist keine Telefonnummer; erlaubt sind Ziffern, Leerzeichen und + / - ( ), zum Beispiel 0221 123456.',
      'locations.0.address.postalCode: Eine Postleitzahl hat fünf Ziffern.',
    ]);
  });

  it('lists the allowed values of an enumeration', () => {
    expect(messages({ ...valid, status: 'open' }, 'en')).toEqual(['status: Must be one of: active, inactive, temporarily_closed, defunct.']);
  });

  it('treats an empty form field as no value', () => {
    expect(messages({ ...valid, email: '', website: '  ', phone: '' }, 'de')).toEqual([]);
  });

  it('falls back to zod’s own message for issues it has no sentence for', () => {
    const schema = z.number().multipleOf(5);
    const result = schema.safeParse(7, { error: localizedErrorMap('de') });
    expect(result.error?.issues[0]?.message).toBeTruthy();
  });
});

describe('search words to a prefix query', () => {
  it('keeps letters and digits, adds prefix markers and joins with AND', () => {
    expect(toPrefixTsquery('Senioren  Treff!')).toBe('senioren:* & treff:*');
    expect(toPrefixTsquery("a'b | c & d")).toBe('ab:* & c:* & d:*');
    expect(toPrefixTsquery(' !! ')).toBeUndefined();
  });
});
