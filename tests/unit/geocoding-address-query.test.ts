import { describe, expect, it } from 'vitest';
import { parseAddressQuery } from '../../server/geocoding/address-query.ts';

const cities = ['Köln', 'Cologne'];

describe('parseAddressQuery', () => {
  it('splits street and house number', () => {
    expect(parseAddressQuery('Venloer Straße 123', cities)).toMatchObject({ text: 'Venloer Straße', houseNumber: 123, houseNumberSuffix: null });
  });

  it('keeps a letter suffix and takes the first number of a range', () => {
    expect(parseAddressQuery('Venloer Str. 123a', cities)).toMatchObject({ text: 'Venloer Str', houseNumber: 123, houseNumberSuffix: 'a' });
    expect(parseAddressQuery('Venloer Straße 123-125', cities)).toMatchObject({ houseNumber: 123 });
  });

  it('drops postcode and city, also before the street', () => {
    expect(parseAddressQuery('Venloer Str 1, 50823 Köln', cities)).toMatchObject({ text: 'Venloer Str', houseNumber: 1, postalCode: '50823', locality: null });
    expect(parseAddressQuery('50823 Köln, Venloer Str 1', cities)).toMatchObject({ text: 'Venloer Str', houseNumber: 1 });
    expect(parseAddressQuery('Köln-Ehrenfeld', cities)).toMatchObject({ text: 'Ehrenfeld', houseNumber: null });
  });

  it('reads a place after a comma or after the number', () => {
    expect(parseAddressQuery('Buchenweg 5, Widdersdorf', cities)).toMatchObject({ text: 'Buchenweg', houseNumber: 5, locality: 'Widdersdorf' });
    expect(parseAddressQuery('venloer str 12 Ehrenfeld', cities)).toMatchObject({ text: 'venloer str', houseNumber: 12, locality: 'Ehrenfeld' });
    expect(parseAddressQuery('Buchenweg 5, Köln-Widdersdorf', cities)).toMatchObject({ locality: 'Widdersdorf' });
  });

  it('takes a trailing number as the house number even when the name holds one', () => {
    expect(parseAddressQuery('Straße des 17. Juni 5', cities)).toMatchObject({ text: 'Straße des 17. Juni', houseNumber: 5 });
  });

  it('reads a number written after a comma and no number at all', () => {
    expect(parseAddressQuery('Venloer Straße, 12', cities)).toMatchObject({ text: 'Venloer Straße', houseNumber: 12 });
    expect(parseAddressQuery('Neumarkt', cities)).toMatchObject({ text: 'Neumarkt', houseNumber: null, locality: null });
  });
});
