import { describe, expect, it } from 'vitest';
import { displayStreetName, foldName, placeKey, streetKey, stripLocalitySuffix } from '../../server/shared/street-key.ts';

describe('streetKey', () => {
  it('gives every spelling of a street the same key', () => {
    const spellings = ['Venloer Straße', 'Venloer Str.', 'venloer str', 'VENLOER STRASSE', 'Venloer-Strasse', 'Venloerstr.'];
    expect(new Set(spellings.map(streetKey))).toEqual(new Set(['venloerstrasse']));
  });

  it('folds umlauts to ae/oe/ue and ß to ss', () => {
    expect(streetKey('Mülheimer Str.')).toBe(streetKey('Muelheimer Strasse'));
    expect(streetKey('Gaußstr.')).toBe('gaussstrasse');
    expect(streetKey('Königsforststraße')).toBe('koenigsforststrasse');
  });

  it('expands "St." before a name to "Sankt" and keeps "Straße des 17. Juni" intact', () => {
    expect(streetKey('St.-Georg-Str.')).toBe(streetKey('Sankt-Georg-Straße'));
    expect(streetKey('An St.Marien')).toBe('ansanktmarien');
    expect(streetKey('Straße des 17. Juni')).toBe('strassedes17juni');
  });

  it('keeps a place code (importers strip it first)', () => {
    expect(streetKey('Buchenweg Wi')).toBe('buchenwegwi');
  });
});

describe('stripLocalitySuffix', () => {
  it('drops the two-letter place code of incorporated villages', () => {
    expect(stripLocalitySuffix('Buchenweg Wi')).toBe('Buchenweg');
    expect(stripLocalitySuffix('Gaußstr. Wß')).toBe('Gaußstr.');
    expect(stripLocalitySuffix('Rilkestr. Im')).toBe('Rilkestr.');
  });

  it('leaves names without a code alone', () => {
    expect(stripLocalitySuffix('Am Hof')).toBe('Am Hof');
    expect(stripLocalitySuffix('BAB 1')).toBe('BAB 1');
    expect(stripLocalitySuffix('Venloer Str.')).toBe('Venloer Str.');
  });
});

describe('display and place names', () => {
  it('writes the abbreviation out for people', () => {
    expect(displayStreetName('Venloer Str.')).toBe('Venloer Straße');
    expect(displayStreetName('Alpenerstr.')).toBe('Alpenerstraße');
    expect(displayStreetName('St.-Georg-Str.')).toBe('St.-Georg-Straße');
    expect(displayStreetName('Schulstr. Pe')).toBe('Schulstraße');
  });

  it('matches place names regardless of slashes, hyphens and umlauts', () => {
    expect(placeKey('Altstadt/Nord')).toBe('altstadtnord');
    expect(placeKey('Bocklemünd/Mengenich')).toBe(placeKey('bocklemuend mengenich'));
    expect(foldName('Esch/Auweiler')).toBe('esch auweiler');
  });
});
