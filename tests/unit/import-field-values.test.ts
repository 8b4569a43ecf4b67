import { describe, expect, it } from 'vitest';
import {
  houseNumberRange,
  normalizePhone,
  normalizePostalCode,
  normalizeWebsite,
  parseDecimal,
  parseHouseNumber,
  splitStreetAndNumber,
} from '../../server/imports/field-values.ts';
import { checkGeometry } from '../../server/imports/geometry.ts';
import { decodeUtf8, findInvalidUtf8, parseCsvTable, parseFeatureCollection, sridFromCrsName } from '../../server/imports/source-file.ts';
import { compileAreaRules, resolveAreaCode } from '../../server/imports/statistics.importer.ts';
import { disambiguatedId } from '../../server/imports/street-segments.importer.ts';

describe('house numbers', () => {
  it('reads zero-padded numbers with letter suffixes and treats 0 as none', () => {
    expect(parseHouseNumber('0093')).toEqual({ ok: true, value: 93 });
    expect(parseHouseNumber('0001a')).toEqual({ ok: true, value: 1 });
    expect(parseHouseNumber('0029,')).toEqual({ ok: true, value: 29 });
    expect(parseHouseNumber('0000')).toEqual({ ok: true, value: null });
    expect(parseHouseNumber(null)).toEqual({ ok: true, value: null });
  });

  it('refuses text that is no house number', () => {
    expect(parseHouseNumber('zwölf')).toMatchObject({ ok: false, reason: expect.stringContaining('zwölf') });
  });

  it('makes a one-ended range a single number and an empty range none', () => {
    expect(houseNumberRange('0011', '0015')).toEqual({ ok: true, value: { from: 11, to: 15 } });
    expect(houseNumberRange(null, '0269c')).toMatchObject({ ok: true, value: { from: 269, to: 269 }, note: expect.any(String) });
    expect(houseNumberRange('0000', '0000')).toEqual({ ok: true, value: null });
  });
});

describe('contact fields', () => {
  it.each([
    ['https://www.example.de', 'https://www.example.de'],
    ['www.kita-nazar.de', 'http://www.kita-nazar.de'],
    ['http//www.kinderring-berlin.de', 'http://www.kinderring-berlin.de'],
    ['https:www.berlin.de/ba-steglitz-zehlendorf/', 'https://www.berlin.de/ba-steglitz-zehlendorf/'],
    ['htttp://http://www.sozdia.de/', 'http://www.sozdia.de/'],
    ['https://www.jfe-aalemannufer.de (inaktiv)', 'https://www.jfe-aalemannufer.de'],
  ])('mends the web address %s', (input, output) => {
    expect(normalizeWebsite(input)).toMatchObject({ ok: true, value: output });
  });

  it('refuses text that is no web address', () => {
    expect(normalizeWebsite('nicht vorhanden')).toMatchObject({ ok: false });
  });

  it('keeps the first of several phone numbers when the field is too long', () => {
    expect(normalizePhone('030 - 992811-50/ -52 (Leitung/Verwaltung)')).toMatchObject({ ok: true, value: '030 - 992811-50' });
    expect(normalizePhone('281 64 73')).toEqual({ ok: true, value: '281 64 73' });
  });

  it('pads numeric postal codes and refuses others', () => {
    expect(normalizePostalCode(1067)).toEqual({ ok: true, value: '01067' });
    expect(normalizePostalCode('10117')).toEqual({ ok: true, value: '10117' });
    expect(normalizePostalCode('1011')).toMatchObject({ ok: false });
  });

  it('splits street and house number at the last number', () => {
    expect(splitStreetAndNumber('Hönower Straße 91')).toEqual({ street: 'Hönower Straße', houseNumber: '91' });
    expect(splitStreetAndNumber('Straße des 17. Juni 5')).toEqual({ street: 'Straße des 17. Juni', houseNumber: '5' });
    expect(splitStreetAndNumber('Bennigsenstraße 8 II')).toEqual({ street: 'Bennigsenstraße', houseNumber: '8 II' });
    expect(splitStreetAndNumber('Marktplatz')).toEqual({ street: 'Marktplatz', houseNumber: null });
  });

  it('reads decimals with a dot only', () => {
    expect(parseDecimal('1023101.0')).toEqual({ ok: true, value: 1023101 });
    expect(parseDecimal('-4.83')).toEqual({ ok: true, value: -4.83 });
    expect(parseDecimal('1.234,5')).toMatchObject({ ok: false });
  });
});

describe('source files', () => {
  it('finds the line of the first byte that is not UTF-8', () => {
    const latin1 = Buffer.from('id,name\n1,K\xf6ln\n', 'latin1');
    expect(findInvalidUtf8(latin1)).toBe(11);
    expect(() => decodeUtf8(latin1, 'x.csv')).toThrow(/line 2 contains the byte 0xF6/);
    expect(decodeUtf8(Buffer.from('\ufeffid\n', 'utf8'), 'x.csv')).toBe('id\n');
  });

  it('refuses an empty file', () => {
    expect(() => decodeUtf8(new Uint8Array(), 'x.csv')).toThrow(/is empty/);
  });

  it('reads the EPSG code of a GeoJSON crs member', () => {
    expect(sridFromCrsName('urn:ogc:def:crs:EPSG::25833')).toBe(25833);
    expect(sridFromCrsName('urn:ogc:def:crs:OGC:1.3:CRS84')).toBe(4326);
    expect(sridFromCrsName('EPSG:4326')).toBe(4326);
    expect(sridFromCrsName('LOCAL_CS["foo"]')).toBeUndefined();
  });

  it('refuses a GeoJSON file without features', () => {
    expect(() => parseFeatureCollection('{"type":"FeatureCollection","features":[]}', 'x.geojson')).toThrow(/no features/);
    expect(() => parseFeatureCollection('{"type":"Feature"}', 'x.geojson')).toThrow(/FeatureCollection/);
  });

  it('numbers CSV rows by their line in the file and refuses ragged rows', () => {
    const table = parseCsvTable('a,b\n1,2\n\n3,4\n', 'x.csv');
    expect(table.rows.map((row) => row.line)).toEqual([2, 4]);
    expect(() => parseCsvTable('a,b\n1,2,3\n', 'x.csv')).toThrow(/column/);
  });
});

describe('geometry checks', () => {
  it('refuses an unclosed ring, naming where', () => {
    const result = checkGeometry({ type: 'Polygon', coordinates: [[[6.9, 50.9], [7, 50.9], [7, 51], [6.95, 51]]] }, 'areal', 4326, 3);
    expect(result).toMatchObject({ issue: { feature: 3, code: 'invalid_geometry', message: expect.stringContaining('not closed') } });
  });

  it('refuses projected coordinates that claim to be EPSG:4326', () => {
    const result = checkGeometry({ type: 'Point', coordinates: [396096.8, 5821513.1] }, 'point', 4326, 0);
    expect(result).toMatchObject({ issue: { code: 'coordinates_out_of_range', message: expect.stringContaining('projected CRS') } });
  });

  it('refuses the wrong geometry type', () => {
    expect(checkGeometry({ type: 'Point', coordinates: [7, 51] }, 'areal', 4326, 0)).toMatchObject({ issue: { code: 'wrong_geometry_type' } });
  });
});

describe('statistics area rules', () => {
  const { compiled } = compileAreaRules([
    { match: '^000$', level: 'city', code: 'koeln' },
    { match: '^00([1-9])$', level: 'district', code: '$1' },
    { match: '^[1-9][0-9]{2}$', level: 'sozialraum' },
  ]);

  it('maps Cologne raum_ids to city, district and Stadtteil', () => {
    expect(resolveAreaCode('000', compiled)).toEqual({ level: 'city', code: 'koeln' });
    expect(resolveAreaCode('006', compiled)).toEqual({ level: 'district', code: '6' });
    expect(resolveAreaCode('609', compiled)).toEqual({ level: 'sozialraum', code: '609' });
    expect(resolveAreaCode('6090', compiled)).toBeUndefined();
  });
});

describe('disambiguatedId', () => {
  it('is stable for the same line and differs between lines', () => {
    const line = [[6.9, 50.9], [6.91, 50.91]];
    expect(disambiguatedId('04519010', line)).toBe(disambiguatedId('04519010', line));
    expect(disambiguatedId('04519010', line)).not.toBe(disambiguatedId('04519010', [[6.9, 50.9], [6.92, 50.91]]));
    expect(disambiguatedId(null, line)).toMatch(/^ohne-nummer~[0-9a-f]{10}$/);
  });
});
