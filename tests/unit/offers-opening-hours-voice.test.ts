import { describe, expect, it } from 'vitest';
import { checkOpeningHours, formalGerman } from '../../server/shared/opening-hours.ts';

describe('opening-hours messages in the formal voice', () => {
  const cologne = { state: 'NW', lon: 6.96, lat: 50.94 };

  it('addresses staff with "Sie", never with "du", in German', () => {
    const checks = ['Montag bis Freitag', 'Mo-Fr 10:00-16:00; PH off;;', 'Mo-Fr 09:00-17:00 Uhr morgen'].map((value) => checkOpeningHours(value, cologne, 'de'));
    const texts = checks.flatMap((check) => (check.valid ? check.warnings : [check.detail]));
    expect(texts.length).toBeGreaterThan(3);
    for (const text of texts) {
      expect(text).not.toMatch(/\b(du|dein\w*|benutze|verwende|entferne|verzichte|füge)\b/);
    }
    expect(texts.join(' ')).toMatch(/Bitte verwenden Sie die englische Abkürzung "Mo"/);
    expect(texts.join(' ')).toMatch(/Bitte verzichten Sie an dieser Stelle auf ein Semikolon/);
  });

  it('turns single imperatives formal and leaves English messages as they are', () => {
    expect(formalGerman('Bitte benutze "Mo"')).toBe('Bitte verwenden Sie "Mo"');
    const english = checkOpeningHours('Montag', cologne, 'en');
    expect(english.valid && english.warnings.join(' ')).toMatch(/Mo/);
  });
});
