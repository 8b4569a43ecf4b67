import { describe, expect, it } from 'vitest';
import type { Offer } from '../../server/offers/offers.schema.ts';
import { formErrorKey, toFormErrors } from '../../client/features/offers-admin/utils/field-errors.ts';
import {
  changedKeys,
  differingBodyFields,
  emptyOfferFormValues,
  formValuesToBody,
  mergeFormValues,
  numberOrText,
  offerToFormValues,
  parseLanguages,
  parsePoint,
} from '../../client/features/offers-admin/utils/offer-form-values.ts';
import { canChooseDepartment, canCreateOffers, canEditOffer } from '../../client/features/offers-admin/utils/permissions.ts';
import { safeNextPath } from '../../client/features/auth/utils/next-path.ts';

function makeOffer(overrides: Partial<Offer> = {}): Offer {
  return {
    id: '11111111-1111-4111-8111-111111111111',
    version: 3,
    department: { id: 'dep-a', code: '50', name: 'Amt für Soziales' },
    organization: null,
    name: 'Seniorentreff am Park',
    alternateName: null,
    description: 'Offener Treff',
    status: 'active',
    publication: 'draft',
    archivedAt: null,
    offerType: 'senior_meeting_place',
    targetGroups: ['seniors'],
    fieldsOfAction: [],
    accessibility: ['step_free_entrance'],
    minAge: 60,
    maxAge: null,
    cost: { kind: 'reduced', text: '2 €' },
    languages: ['de', 'tr'],
    email: 'treff@example.org',
    phone: null,
    website: null,
    openingHours: 'Mo-Fr 09:00-17:00',
    openingHoursNote: null,
    reach: { kind: 'walk', meters: 500 },
    reachAreas: [],
    effectiveReach: { source: 'offer', kind: 'walk', meters: 500 },
    capacity: { value: 30, unit: 'Plätze' },
    locations: [
      {
        id: 'loc-1',
        name: 'Bürgerhaus',
        address: { street: 'Parkstraße', houseNumber: '1', postalCode: '50667', city: 'Köln' },
        accessibilityNote: null,
        geometry: { type: 'Point', coordinates: [6.9551234567, 50.935] },
        areas: [],
        sozialraum: null,
      },
    ],
    verifiedAt: null,
    verifiedBy: null,
    stale: true,
    source: null,
    externalId: null,
    createdAt: '2026-01-01T00:00:00Z',
    updatedAt: '2026-01-02T00:00:00Z',
    createdBy: null,
    updatedBy: null,
    ...overrides,
  };
}

describe('offer form values', () => {
  it('round-trips an offer into the body the API takes', () => {
    const body = formValuesToBody(offerToFormValues(makeOffer()));
    expect(body).toMatchObject({
      departmentCode: '50',
      name: 'Seniorentreff am Park',
      alternateName: '',
      status: 'active',
      offerType: 'senior_meeting_place',
      targetGroups: ['seniors'],
      minAge: 60,
      maxAge: null,
      cost: { kind: 'reduced', text: '2 €' },
      languages: ['de', 'tr'],
      reach: { kind: 'walk', meters: 500 },
      capacity: { value: 30, unit: 'Plätze' },
    });
    expect(body.locations).toEqual([
      {
        id: 'loc-1',
        name: 'Bürgerhaus',
        address: { street: 'Parkstraße', houseNumber: '1', postalCode: '50667', city: 'Köln' },
        accessibilityNote: '',
        // six decimals: a map click means no more
        geometry: { type: 'Point', coordinates: [6.955123, 50.935] },
      },
    ]);
  });

  it('sends empty choices as null and leaves out a point without both coordinates', () => {
    const values = { ...emptyOfferFormValues({ city: 'Köln' }), name: ' Treff ', offerType: 'kita' };
    const body = formValuesToBody(values);
    expect(body).toMatchObject({ name: 'Treff', cost: null, reach: null, capacity: null, minAge: null });
    expect(body.departmentCode).toBeUndefined();
    expect(body.locations).toEqual([{ name: '', address: { street: '', houseNumber: '', postalCode: '', city: 'Köln' }, accessibilityNote: '' }]);
  });

  it('passes text that is not a number on, so that the server explains it', () => {
    expect(numberOrText('12')).toBe(12);
    expect(numberOrText(' 6,95 ')).toBe(6.95);
    expect(numberOrText('zwölf')).toBe('zwölf');
    expect(numberOrText('')).toBeNull();
    const body = formValuesToBody({ ...emptyOfferFormValues(), minAge: 'zwölf', reachKind: 'radius', reachMeters: '1.000' });
    expect(body.minAge).toBe('zwölf');
    expect(body.reach).toEqual({ kind: 'radius', meters: 1 });
  });

  it('shows languages with the one list separator of the import files', () => {
    expect(offerToFormValues(makeOffer()).languages).toBe('de; tr');
  });

  it('reads languages however they are separated', () => {
    expect(parseLanguages('DE, tr;  ar en')).toEqual(['de', 'tr', 'ar', 'en']);
    expect(parseLanguages('  ')).toEqual([]);
  });

  it('reads a point only from two numbers', () => {
    expect(parsePoint({ longitude: '6.95', latitude: '50.93' })).toEqual([6.95, 50.93]);
    expect(parsePoint({ longitude: '6.95', latitude: '' })).toBeNull();
    expect(parsePoint({ longitude: 'x', latitude: '50' })).toBeNull();
  });
});

describe('merging my edits into a newer version (after 412)', () => {
  const base = offerToFormValues(makeOffer());

  it('keeps my changes and takes what only the other person changed', () => {
    const mine = { ...base, name: 'Neuer Name' };
    const theirs = { ...base, description: 'Von jemand anderem', openingHours: 'Mo 10:00-12:00' };
    const merged = mergeFormValues(base, mine, theirs);
    expect(merged.values).toMatchObject({ name: 'Neuer Name', description: 'Von jemand anderem', openingHours: 'Mo 10:00-12:00' });
    expect(merged.conflicts).toEqual([]);
    expect(merged.takenFromServer).toEqual(['description', 'openingHours']);
  });

  it('names fields both changed differently and keeps my value there', () => {
    const merged = mergeFormValues(base, { ...base, name: 'Meiner' }, { ...base, name: 'Deiner' });
    expect(merged.values.name).toBe('Meiner');
    expect(merged.conflicts).toEqual(['name']);
  });

  it('does not call the same change by both a conflict', () => {
    const merged = mergeFormValues(base, { ...base, name: 'Gleich' }, { ...base, name: 'Gleich' });
    expect(merged.conflicts).toEqual([]);
  });

  it('compares lists as sets and ignores surrounding spaces', () => {
    const mine = { ...base, targetGroups: ['families', 'seniors'], name: `${base.name}  ` };
    const theirs = { ...base, targetGroups: ['seniors', 'families'] };
    expect(changedKeys(mine, theirs)).toEqual([]);
  });

  it('lists differing body fields once (cost kind and text are one "cost")', () => {
    const other = { ...base, costKind: 'free' as const, costText: '', name: 'X' };
    expect(differingBodyFields(base, other)).toEqual(['name', 'cost']);
  });
});

describe('server field errors next to their inputs', () => {
  it('maps body paths to form inputs', () => {
    expect(formErrorKey('name')).toBe('name');
    expect(formErrorKey('cost.kind')).toBe('costKind');
    expect(formErrorKey('cost')).toBe('costKind');
    expect(formErrorKey('reach.meters')).toBe('reachMeters');
    expect(formErrorKey('reach.areaIds.2')).toBe('reachAreaIds');
    expect(formErrorKey('capacity.value')).toBe('capacityValue');
    expect(formErrorKey('languages.1')).toBe('languages');
    expect(formErrorKey('targetGroups.0')).toBe('targetGroups');
    expect(formErrorKey('locations')).toBe('locations');
    expect(formErrorKey('locations.0.geometry')).toBe('locations.0.coordinates');
    expect(formErrorKey('locations.1.geometry.coordinates.0')).toBe('locations.1.coordinates');
    expect(formErrorKey('locations.0.address.postalCode')).toBe('locations.0.postalCode');
    expect(formErrorKey('locations.2.name')).toBe('locations.2.name');
  });

  it('puts what belongs to no input under "form"', () => {
    expect(formErrorKey(undefined)).toBe('form');
    expect(formErrorKey('header.If-Match')).toBe('form');
    expect(formErrorKey('body')).toBe('form');
    expect(formErrorKey('unknownField')).toBe('form');
  });

  it('joins several messages for one input, each once', () => {
    expect(
      toFormErrors([
        { field: 'languages.0', message: 'Falsches Kürzel.' },
        { field: 'languages.2', message: 'Falsches Kürzel.' },
        { field: 'languages', message: 'Doppelt.' },
        { field: 'email', message: 'Keine E-Mail-Adresse.' },
        { field: 'name' },
      ]),
    ).toEqual({ languages: 'Falsches Kürzel. Doppelt.', email: 'Keine E-Mail-Adresse.' });
  });
});

describe('who may do what (mirrors the server)', () => {
  const department = { id: 'dep-a', code: '50', name: 'Amt' };
  const offer = makeOffer();

  it('lets admins do everything and editors work on their own department only', () => {
    expect(canEditOffer({ role: 'admin', department: null }, offer)).toBe(true);
    expect(canEditOffer({ role: 'editor', department }, offer)).toBe(true);
    expect(canEditOffer({ role: 'editor', department: { ...department, id: 'dep-b' } }, offer)).toBe(false);
    expect(canEditOffer({ role: 'planner', department }, offer)).toBe(false);
  });

  it('lets only admins choose the department, and planners create nothing', () => {
    expect(canChooseDepartment({ role: 'admin' })).toBe(true);
    expect(canChooseDepartment({ role: 'editor' })).toBe(false);
    expect(canCreateOffers({ role: 'planner', department })).toBe(false);
    expect(canCreateOffers({ role: 'editor', department: null })).toBe(false);
    expect(canCreateOffers({ role: 'editor', department })).toBe(true);
  });
});

describe('return address after sign-in', () => {
  it('follows paths inside the app only', () => {
    expect(safeNextPath('/verwaltung/angebote?stale=true', '/x')).toBe('/verwaltung/angebote?stale=true');
    expect(safeNextPath('https://evil.example/', '/x')).toBe('/x');
    expect(safeNextPath('//evil.example/', '/x')).toBe('/x');
    expect(safeNextPath('/\\evil.example', '/x')).toBe('/x');
    expect(safeNextPath('/a\nb', '/x')).toBe('/x');
    expect(safeNextPath(null, '/x')).toBe('/x');
  });
});
