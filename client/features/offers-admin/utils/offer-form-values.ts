// The offer form edits text (what people type); this module turns an offer into form values,
// form values into the API body, and merges a person's edits into a newer server version.
// Pure: unit-tested in node.
import {
  listSeparator,
  type CostKind,
  type Offer,
  type OfferCreateInput,
  type OfferStatus,
} from '../../../../server/offers/offers.schema';

export type ReachChoice = 'default' | 'walk' | 'radius' | 'area';

export type LocationFormValues = {
  // React key; the id of an existing location, a made-up one for a new location.
  key: string;
  id: string | null;
  name: string;
  street: string;
  houseNumber: string;
  postalCode: string;
  city: string;
  accessibilityNote: string;
  longitude: string;
  latitude: string;
};

// The provider (Träger) as the form shows it: chosen from the list, so with its name.
export type OrganizationChoice = { id: string; name: string };

export type OfferFormValues = {
  departmentCode: string;
  organization: OrganizationChoice | null;
  name: string;
  alternateName: string;
  description: string;
  status: OfferStatus;
  offerType: string;
  targetGroups: string[];
  fieldsOfAction: string[];
  accessibility: string[];
  minAge: string;
  maxAge: string;
  costKind: CostKind | '';
  costText: string;
  languages: string;
  email: string;
  phone: string;
  website: string;
  openingHours: string;
  openingHoursNote: string;
  reachKind: ReachChoice;
  reachMeters: string;
  reachAreaIds: string[];
  capacityValue: string;
  capacityUnit: string;
  locations: LocationFormValues[];
};

export type OfferFormKey = keyof OfferFormValues;

let newLocationCounter = 0;

export function emptyLocation(defaults: { city?: string } = {}): LocationFormValues {
  newLocationCounter += 1;
  return {
    key: `new-${newLocationCounter}`,
    id: null,
    name: '',
    street: '',
    houseNumber: '',
    postalCode: '',
    city: defaults.city ?? '',
    accessibilityNote: '',
    longitude: '',
    latitude: '',
  };
}

export function emptyOfferFormValues(defaults: { departmentCode?: string; city?: string } = {}): OfferFormValues {
  return {
    departmentCode: defaults.departmentCode ?? '',
    organization: null,
    name: '',
    alternateName: '',
    description: '',
    status: 'active',
    offerType: '',
    targetGroups: [],
    fieldsOfAction: [],
    accessibility: [],
    minAge: '',
    maxAge: '',
    costKind: '',
    costText: '',
    languages: '',
    email: '',
    phone: '',
    website: '',
    openingHours: '',
    openingHoursNote: '',
    reachKind: 'default',
    reachMeters: '',
    reachAreaIds: [],
    capacityValue: '',
    capacityUnit: '',
    locations: [emptyLocation(defaults)],
  };
}

// Six decimals are about 10 cm: more than a map click can mean.
export function formatCoordinate(value: number): string {
  return String(Math.round(value * 1e6) / 1e6);
}

const textOf = (value: string | null | undefined) => value ?? '';
const numberText = (value: number | null | undefined) => (value === null || value === undefined ? '' : String(value));

export function offerToFormValues(offer: Offer): OfferFormValues {
  const reach = offer.reach;
  return {
    departmentCode: offer.department.code,
    organization: offer.organization ? { id: offer.organization.id, name: offer.organization.name } : null,
    name: offer.name,
    alternateName: textOf(offer.alternateName),
    description: textOf(offer.description),
    status: offer.status,
    offerType: offer.offerType,
    targetGroups: [...offer.targetGroups],
    fieldsOfAction: [...offer.fieldsOfAction],
    accessibility: [...offer.accessibility],
    minAge: numberText(offer.minAge),
    maxAge: numberText(offer.maxAge),
    costKind: offer.cost?.kind ?? '',
    costText: textOf(offer.cost?.text),
    // One list separator everywhere: the form shows lists as the import files write them.
    languages: offer.languages.join(listSeparator),
    email: textOf(offer.email),
    phone: textOf(offer.phone),
    website: textOf(offer.website),
    openingHours: textOf(offer.openingHours),
    openingHoursNote: textOf(offer.openingHoursNote),
    reachKind: reach ? reach.kind : 'default',
    reachMeters: reach && reach.kind !== 'area' ? String(reach.meters) : '',
    reachAreaIds: reach && reach.kind === 'area' ? [...reach.areaIds] : [],
    capacityValue: numberText(offer.capacity?.value),
    capacityUnit: textOf(offer.capacity?.unit),
    locations: offer.locations.map((location) => ({
      key: location.id,
      id: location.id,
      name: textOf(location.name),
      street: textOf(location.address.street),
      houseNumber: textOf(location.address.houseNumber),
      postalCode: textOf(location.address.postalCode),
      city: textOf(location.address.city),
      accessibilityNote: textOf(location.accessibilityNote),
      longitude: formatCoordinate(location.geometry.coordinates[0]),
      latitude: formatCoordinate(location.geometry.coordinates[1]),
    })),
  };
}

// A typed number goes as a number; anything else goes as typed, so that the server can say
// what is wrong with it in the person's language (one set of rules, on the server).
export function numberOrText(value: string): number | string | null {
  const trimmed = value.trim();
  if (trimmed === '') return null;
  const normalized = trimmed.replace(',', '.');
  const number = Number(normalized);
  return /^-?\d+(\.\d+)?$/.test(normalized) && Number.isFinite(number) ? number : trimmed;
}

export function parseLanguages(value: string): string[] {
  return value
    .split(/[\s,;]+/)
    .map((part) => part.trim().toLowerCase())
    .filter((part) => part !== '');
}

export function parsePoint(location: Pick<LocationFormValues, 'longitude' | 'latitude'>): [number, number] | null {
  const longitude = numberOrText(location.longitude);
  const latitude = numberOrText(location.latitude);
  return typeof longitude === 'number' && typeof latitude === 'number' ? [longitude, latitude] : null;
}

function locationBody(location: LocationFormValues) {
  const address = {
    street: location.street.trim(),
    houseNumber: location.houseNumber.trim(),
    postalCode: location.postalCode.trim(),
    city: location.city.trim(),
  };
  const hasAddress = Object.values(address).some((part) => part !== '');
  const longitude = numberOrText(location.longitude);
  const latitude = numberOrText(location.latitude);
  return {
    ...(location.id ? { id: location.id } : {}),
    name: location.name.trim(),
    address: hasAddress ? address : null,
    accessibilityNote: location.accessibilityNote.trim(),
    // Without both coordinates the geometry is left out and the server names the missing point.
    ...(longitude !== null && latitude !== null
      ? { geometry: { type: 'Point' as const, coordinates: [longitude, latitude] } }
      : {}),
  };
}

function reachBody(values: OfferFormValues) {
  switch (values.reachKind) {
    case 'default':
      return null;
    case 'area':
      return { kind: 'area' as const, areaIds: values.reachAreaIds };
    default:
      return { kind: values.reachKind, meters: numberOrText(values.reachMeters) };
  }
}

// The body for POST /api/offers and PATCH /api/offers/:id. The type is loose on purpose: text
// that is not a number is passed on for the server to explain (see numberOrText).
export type OfferBody = Record<string, unknown> & Pick<OfferCreateInput, 'name' | 'offerType'>;

export function formValuesToBody(values: OfferFormValues): OfferBody {
  const capacityValue = numberOrText(values.capacityValue);
  return {
    ...(values.departmentCode.trim() ? { departmentCode: values.departmentCode.trim() } : {}),
    organizationId: values.organization?.id ?? null,
    name: values.name.trim(),
    alternateName: values.alternateName.trim(),
    description: values.description.trim(),
    status: values.status,
    offerType: values.offerType,
    targetGroups: values.targetGroups,
    fieldsOfAction: values.fieldsOfAction,
    accessibility: values.accessibility,
    minAge: numberOrText(values.minAge),
    maxAge: numberOrText(values.maxAge),
    cost: values.costKind ? { kind: values.costKind, text: values.costText.trim() } : null,
    languages: parseLanguages(values.languages),
    email: values.email.trim(),
    phone: values.phone.trim(),
    website: values.website.trim(),
    openingHours: values.openingHours.trim(),
    openingHoursNote: values.openingHoursNote.trim(),
    reach: reachBody(values),
    capacity:
      capacityValue === null && values.capacityUnit.trim() === ''
        ? null
        : { value: capacityValue, unit: values.capacityUnit.trim() },
    locations: values.locations.map(locationBody),
  };
}

function comparable(key: OfferFormKey, values: OfferFormValues): string {
  const value = values[key];
  if (key === 'locations') {
    return JSON.stringify(values.locations.map((location) => ({ ...location, key: undefined })));
  }
  if (Array.isArray(value)) return JSON.stringify([...value].sort());
  return JSON.stringify(typeof value === 'string' ? value.trim() : value);
}

export const offerFormKeys = Object.keys(emptyOfferFormValues()) as OfferFormKey[];

export function sameFormValue(key: OfferFormKey, a: OfferFormValues, b: OfferFormValues): boolean {
  return comparable(key, a) === comparable(key, b);
}

// The fields a person changed compared with what they started from.
export function changedKeys(base: OfferFormValues, current: OfferFormValues): OfferFormKey[] {
  return offerFormKeys.filter((key) => !sameFormValue(key, base, current));
}

export type MergeResult = {
  values: OfferFormValues;
  // Fields both the person and someone else changed, to different values: the person's value
  // is kept and they are asked to look at it.
  conflicts: OfferFormKey[];
  // Fields taken over from the newer server version.
  takenFromServer: OfferFormKey[];
};

// Three-way merge after a 412: what I changed (base → mine) goes onto the newer version (theirs).
export function mergeFormValues(base: OfferFormValues, mine: OfferFormValues, theirs: OfferFormValues): MergeResult {
  const merged = { ...theirs } as Record<OfferFormKey, unknown>;
  const conflicts: OfferFormKey[] = [];
  const takenFromServer: OfferFormKey[] = [];
  for (const key of offerFormKeys) {
    const iChanged = !sameFormValue(key, base, mine);
    const theyChanged = !sameFormValue(key, base, theirs);
    if (iChanged) {
      merged[key] = mine[key];
      if (theyChanged && !sameFormValue(key, mine, theirs)) conflicts.push(key);
    } else if (theyChanged) {
      takenFromServer.push(key);
    }
  }
  return { values: merged as OfferFormValues, conflicts, takenFromServer };
}

// The field of the API body (and of the history) that a form field belongs to: cost kind and
// text are one "cost", and so on. Used to show differences the way the history shows them.
export function bodyFieldOf(key: OfferFormKey): string {
  switch (key) {
    case 'organization':
      return 'organizationId';
    case 'costKind':
    case 'costText':
      return 'cost';
    case 'reachKind':
    case 'reachMeters':
    case 'reachAreaIds':
      return 'reach';
    case 'capacityValue':
    case 'capacityUnit':
      return 'capacity';
    default:
      return key;
  }
}

// Body fields whose values differ between two sets of form values, each once, in form order.
export function differingBodyFields(a: OfferFormValues, b: OfferFormValues): string[] {
  return [...new Set(offerFormKeys.filter((key) => !sameFormValue(key, a, b)).map(bodyFieldOf))];
}
