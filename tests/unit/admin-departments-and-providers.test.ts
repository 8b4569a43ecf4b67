import { describe, expect, it } from 'vitest';
import type { Offer } from '../../server/offers/offers.schema.ts';
import { departmentChoices, departmentLabel } from '../../client/features/offers-admin/utils/department-choices.ts';
import { formErrorKey, toFormErrors } from '../../client/features/offers-admin/utils/field-errors.ts';
import { nextActiveOption } from '../../client/features/offers-admin/utils/listbox-navigation.ts';
import {
  bodyFieldOf,
  changedKeys,
  differingBodyFields,
  emptyOfferFormValues,
  formValuesToBody,
  mergeFormValues,
  offerToFormValues,
} from '../../client/features/offers-admin/utils/offer-form-values.ts';

const departments = [
  { code: '50', name: 'Amt für Soziales, Arbeit und Senioren' },
  { code: '51', name: 'Amt für Kinder, Jugend und Familie' },
];

describe('department choices', () => {
  it('labels a department with its code and name', () => {
    expect(departmentLabel(departments[0]!)).toBe('50 – Amt für Soziales, Arbeit und Senioren');
  });

  it('offers every department to choose from, in the order of the list', () => {
    expect(departmentChoices(departments, { current: '' })).toEqual([
      { code: '50', label: '50 – Amt für Soziales, Arbeit und Senioren' },
      { code: '51', label: '51 – Amt für Kinder, Jugend und Familie' },
    ]);
  });

  it('keeps the current code as a choice when the list lacks it (not loaded, old link)', () => {
    expect(departmentChoices([], { current: '37' })).toEqual([{ code: '37', label: '37' }]);
    expect(departmentChoices(departments, { current: 'X9' }).map((choice) => choice.code)).toEqual(['X9', '50', '51']);
  });

  it('offers an editor their own department only', () => {
    expect(departmentChoices(departments, { current: '51', lockedTo: { code: '51', name: 'Jugendamt' } })).toEqual([
      { code: '51', label: '51 – Amt für Kinder, Jugend und Familie' },
    ]);
    // before the list has loaded, the name from the session stands in
    expect(departmentChoices([], { current: '51', lockedTo: { code: '51', name: 'Jugendamt' } })).toEqual([
      { code: '51', label: '51 – Jugendamt' },
    ]);
  });
});

describe('combobox list navigation', () => {
  it('moves down and wraps to the first option', () => {
    expect(nextActiveOption(-1, 3, 'ArrowDown')).toBe(0);
    expect(nextActiveOption(1, 3, 'ArrowDown')).toBe(2);
    expect(nextActiveOption(2, 3, 'ArrowDown')).toBe(0);
  });

  it('moves up and wraps to the last option', () => {
    expect(nextActiveOption(-1, 3, 'ArrowUp')).toBe(2);
    expect(nextActiveOption(0, 3, 'ArrowUp')).toBe(2);
    expect(nextActiveOption(2, 3, 'ArrowUp')).toBe(1);
  });

  it('has no active option in an empty list', () => {
    expect(nextActiveOption(0, 0, 'ArrowDown')).toBe(-1);
    expect(nextActiveOption(-1, 0, 'ArrowUp')).toBe(-1);
  });
});

describe('the provider in the offer form', () => {
  const provider = { id: '22222222-2222-4222-8222-222222222222', name: 'Caritasverband Köln' };
  function formOf(organization: Offer['organization']) {
    return { ...emptyOfferFormValues(), departmentCode: '50', name: 'Treff', offerType: 'kita', organization };
  }

  it('sends the chosen provider as organizationId, and null when none is chosen', () => {
    expect(formValuesToBody(formOf(provider)).organizationId).toBe(provider.id);
    expect(formValuesToBody(formOf(null)).organizationId).toBeNull();
  });

  it('reads the provider of an offer with its name', () => {
    expect(offerToFormValues(makeOffer({ organization: provider })).organization).toEqual(provider);
    expect(offerToFormValues(makeOffer()).organization).toBeNull();
  });

  it('counts a different provider as a change of organizationId', () => {
    const base = formOf(null);
    const mine = formOf(provider);
    expect(changedKeys(base, mine)).toEqual(['organization']);
    expect(bodyFieldOf('organization')).toBe('organizationId');
    expect(differingBodyFields(base, mine)).toEqual(['organizationId']);
  });

  it('takes over a provider someone else chose, and keeps the one I chose', () => {
    const other = { id: '33333333-3333-4333-8333-333333333333', name: 'Diakonie Michaelshoven' };
    expect(mergeFormValues(formOf(null), formOf(null), formOf(other)).values.organization).toEqual(other);
    const merged = mergeFormValues(formOf(null), formOf(provider), formOf(other));
    expect(merged.values.organization).toEqual(provider);
    expect(merged.conflicts).toEqual(['organization']);
  });

  it('shows a server error about organizationId at the provider field', () => {
    expect(formErrorKey('organizationId')).toBe('organization');
    expect(toFormErrors([{ field: 'organizationId', message: 'Es gibt keinen Träger mit dieser Kennung.' }])).toEqual({
      organization: 'Es gibt keinen Träger mit dieser Kennung.',
    });
  });
});

function makeOffer(overrides: Partial<Offer> = {}): Offer {
  return {
    id: '11111111-1111-4111-8111-111111111111',
    version: 1,
    department: { id: 'dep-a', code: '50', name: 'Amt für Soziales' },
    organization: null,
    name: 'Treff',
    alternateName: null,
    description: null,
    status: 'active',
    publication: 'draft',
    archivedAt: null,
    offerType: 'kita',
    targetGroups: [],
    fieldsOfAction: [],
    accessibility: [],
    minAge: null,
    maxAge: null,
    cost: null,
    languages: [],
    email: null,
    phone: null,
    website: null,
    openingHours: null,
    openingHoursNote: null,
    reach: null,
    reachAreas: [],
    effectiveReach: null,
    capacity: null,
    locations: [],
    verifiedAt: null,
    verifiedBy: null,
    stale: false,
    source: null,
    externalId: null,
    createdAt: '2026-01-01T00:00:00Z',
    updatedAt: '2026-01-01T00:00:00Z',
    createdBy: null,
    updatedBy: null,
    ...overrides,
  };
}
