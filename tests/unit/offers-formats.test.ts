import { describe, expect, it } from 'vitest';
import { csvHeaderLine, csvLine, groupFlatRecords, parseCsv, parseGeoJson } from '../../server/offers/offers.formats.ts';

describe('offer CSV and GeoJSON records', () => {
  it('quotes what needs quoting and reads it back unchanged', () => {
    const description = 'Mit "Anführungszeichen", Komma; Semikolon\nund Zeilenumbruch';
    const text = csvHeaderLine + csvLine({ name: 'Treff', description, phone: '+49 221 1234', min_age: 60 });
    const [record] = parseCsv(text);
    expect(record!.values).toMatchObject({ name: 'Treff', description, phone: '+49 221 1234', min_age: '60' });
    expect(record!.row).toBe(2);
  });

  it('defuses spreadsheet formulas on export and restores the text on import', () => {
    const line = csvLine({ name: '=HYPERLINK("http://evil")', cost_text: '-5 € Rabatt' });
    expect(line).toContain(`"'=HYPERLINK(""http://evil"")"`);
    const [record] = parseCsv(csvHeaderLine + line);
    expect(record!.values.name).toBe('=HYPERLINK("http://evil")');
    expect(record!.values.cost_text).toBe('-5 € Rabatt');
  });

  it('groups rows of one offer (same source and external id) into one offer with several locations', () => {
    const text = [
      'source,external_id,name,offer_type,location_name,longitude,latitude,target_groups,min_age',
      'amt,1,Beratung,counselling,Nord,6.95,50.95,seniors;migrants,12',
      'amt,1,Beratung,counselling,Süd,6.96,50.90,seniors;migrants,12',
      ',,Ohne Schlüssel,counselling,,6.97,50.91,,',
      ',,Ohne Schlüssel,counselling,,6.98,50.92,,',
    ].join('\n');
    const groups = groupFlatRecords(parseCsv(text));
    expect(groups).toHaveLength(3);
    expect(groups[0]).toMatchObject({ row: 2, rows: [2, 3] });
    expect(groups[0]!.input).toMatchObject({
      name: 'Beratung',
      targetGroups: ['seniors', 'migrants'],
      minAge: 12,
      locations: [
        { name: 'Nord', geometry: { type: 'Point', coordinates: [6.95, 50.95] } },
        { name: 'Süd', geometry: { type: 'Point', coordinates: [6.96, 50.9] } },
      ],
    });
    expect(groups[1]!.rows).toEqual([4]);
  });

  it('keeps text where a number is expected, so that validation can name the field', () => {
    const [group] = groupFlatRecords(parseCsv('name,min_age,capacity\nTreff,zehn,"12,5"\n'));
    expect(group!.input).toMatchObject({ minAge: 'zehn', capacity: { value: 12.5 } });
  });

  it('reports unknown columns', () => {
    const [group] = groupFlatRecords(parseCsv('name,farbe\nTreff,blau\n'));
    expect(group!.unknownColumns).toEqual(['farbe']);
  });

  it('reads GeoJSON point features and numbers them from 1', () => {
    const records = parseGeoJson({
      type: 'FeatureCollection',
      features: [{ type: 'Feature', geometry: { type: 'Point', coordinates: [6.9, 50.9] }, properties: { name: 'A' } }],
    });
    expect(records).toEqual([{ row: 1, values: { name: 'A', longitude: 6.9, latitude: 50.9 } }]);
    expect(() => parseGeoJson({ type: 'Feature' })).toThrow(/FeatureCollection/);
  });
});
