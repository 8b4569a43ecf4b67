// Server field errors name a path in the request body (`cost.kind`, `locations.0.geometry`);
// the form shows them next to the input that a person would correct. Pure: unit-tested.
import type { OfferFormKey } from './offer-form-values';

export type LocationFieldKey =
  | 'name'
  | 'street'
  | 'houseNumber'
  | 'postalCode'
  | 'city'
  | 'accessibilityNote'
  | 'coordinates';

// `form` collects what belongs to no input (it is shown in the error summary only).
export type FormErrorKey = OfferFormKey | `locations.${number}.${LocationFieldKey}` | 'form';

export type FormErrors = Partial<Record<FormErrorKey, string>>;

export type ServerFieldError = { field?: string; message?: string };

const nested: Record<string, OfferFormKey> = {
  organizationId: 'organization',
  cost: 'costKind',
  'cost.kind': 'costKind',
  'cost.text': 'costText',
  reach: 'reachKind',
  'reach.kind': 'reachKind',
  'reach.meters': 'reachMeters',
  'reach.areaIds': 'reachAreaIds',
  capacity: 'capacityValue',
  'capacity.value': 'capacityValue',
  'capacity.unit': 'capacityUnit',
};

const topLevel = new Set<string>([
  'departmentCode',
  'name',
  'alternateName',
  'description',
  'status',
  'offerType',
  'targetGroups',
  'fieldsOfAction',
  'accessibility',
  'minAge',
  'maxAge',
  'languages',
  'email',
  'phone',
  'website',
  'openingHours',
  'openingHoursNote',
  'locations',
]);

const locationParts: Record<string, LocationFieldKey> = {
  name: 'name',
  street: 'street',
  houseNumber: 'houseNumber',
  postalCode: 'postalCode',
  city: 'city',
  accessibilityNote: 'accessibilityNote',
  geometry: 'coordinates',
  id: 'coordinates',
};

export function formErrorKey(field: string | undefined): FormErrorKey {
  if (!field) return 'form';
  const parts = field.split('.');
  const [head, second, third] = parts;
  if (head === 'locations' && second !== undefined && /^\d+$/.test(second)) {
    // locations.0.address.street → the street input of the first location
    const part = third === 'address' ? parts[3] : third;
    const mapped = part === undefined ? 'coordinates' : locationParts[part];
    return mapped ? `locations.${Number(second)}.${mapped}` : 'locations';
  }
  // reach.areaIds.3 → the area choice; languages.1 → the languages input
  const withoutIndex = parts.filter((part) => !/^\d+$/.test(part)).join('.');
  if (nested[withoutIndex]) return nested[withoutIndex];
  if (head && topLevel.has(head) && (parts.length === 1 || /^\d+$/.test(parts[1] ?? ''))) return head as OfferFormKey;
  if (head && nested[head]) return nested[head];
  return 'form';
}

// Several messages for one input are shown together, each once.
export function toFormErrors(errors: readonly ServerFieldError[]): FormErrors {
  const collected = new Map<FormErrorKey, string[]>();
  for (const error of errors) {
    if (!error.message) continue;
    const key = formErrorKey(error.field);
    const messages = collected.get(key) ?? [];
    if (!messages.includes(error.message)) messages.push(error.message);
    collected.set(key, messages);
  }
  return Object.fromEntries([...collected].map(([key, messages]) => [key, messages.join(' ')])) as FormErrors;
}
