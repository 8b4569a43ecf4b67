import { describe, expect, it } from 'vitest';
import { rawRecordReason } from '../../server/imports/offers.importer.ts';

const record = (name: string, extra: Partial<{ unnamed: boolean; street: string | null; houseNumber: string | null }> = {}) => ({
  name,
  unnamed: false,
  street: null,
  houseNumber: null,
  ...extra,
});

describe('raw imported records', () => {
  it('marks a record whose name is the manifest fallback as unnamed', () => {
    expect(rawRecordReason(record('Arztpraxis (ohne Namen in OpenStreetMap)', { unnamed: true }))).toBe('unnamed');
  });

  it('marks a name that does not start with a letter or digit', () => {
    expect(rawRecordReason(record('- Apotheke'))).toBe('raw_name');
    expect(rawRecordReason(record('· Treff'))).toBe('raw_name');
  });

  it('marks a name that is only the street address', () => {
    expect(rawRecordReason(record('Venloer Str. 12', { street: 'Venloer Straße', houseNumber: '12' }))).toBe('name_is_address');
    expect(rawRecordReason(record('Venloer Straße', { street: 'Venloer Straße', houseNumber: '12' }))).toBe('name_is_address');
  });

  it('keeps real names, also short ones and those that contain the street', () => {
    expect(rawRecordReason(record('Rochus-Apotheke'))).toBeNull();
    expect(rawRecordReason(record('Engel'))).toBeNull();
    expect(rawRecordReason(record('3. Etage Jugendtreff'))).toBeNull();
    expect(rawRecordReason(record('Apotheke an der Venloer Straße', { street: 'Venloer Straße', houseNumber: '12' }))).toBeNull();
  });
});
