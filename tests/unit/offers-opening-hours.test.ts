import { describe, expect, it } from 'vitest';
import { checkOpeningHours, isOpenAt } from '../../server/shared/opening-hours.ts';

const cologne = { state: 'NW', lon: 6.96, lat: 50.94 };
const berlin = { state: 'BE', lon: 13.4, lat: 52.52 };

describe('opening hours in OpenStreetMap syntax', () => {
  it('accepts valid values and explains invalid ones in the requested language', () => {
    expect(checkOpeningHours('Mo-Fr 09:00-17:00; PH off', cologne, 'de')).toEqual({ valid: true, warnings: [] });
    const invalid = checkOpeningHours('täglich offen', cologne, 'en');
    expect(invalid.valid).toBe(false);
    expect(invalid.valid === false && invalid.detail).toMatch(/<---/);
  });

  it('uses the public holidays of the configured state (All Saints is one in NRW, not in Berlin)', () => {
    const allSaints = new Date('2027-11-01T11:00:00+01:00'); // a Monday
    expect(isOpenAt('Mo-Fr 10:00-12:00; PH off', cologne, allSaints)).toBe(false);
    expect(isOpenAt('Mo-Fr 10:00-12:00; PH off', berlin, allSaints)).toBe(true);
  });
});
