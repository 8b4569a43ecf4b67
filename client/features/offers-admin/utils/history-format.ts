// How the history shows a changed field: a label for its path and readable before/after values
// (labels instead of codes, dates in the page language). Pure: unit-tested.

export const historyFieldLabelKeys = [
  'departmentCode',
  'organizationId',
  'name',
  'alternateName',
  'description',
  'status',
  'publication',
  'archivedAt',
  'offerType',
  'targetGroups',
  'fieldsOfAction',
  'accessibility',
  'minAge',
  'maxAge',
  'cost',
  'costKind',
  'costText',
  'languages',
  'email',
  'phone',
  'website',
  'openingHours',
  'openingHoursNote',
  'reach',
  'reachKind',
  'reachMeters',
  'reachAreaIds',
  'capacity',
  'capacityValue',
  'capacityUnit',
  'locations',
  'verifiedAt',
  'verifiedBy',
  'source',
  'externalId',
] as const;

export type HistoryFieldLabelKey = (typeof historyFieldLabelKeys)[number];

const nestedLabels: Record<string, HistoryFieldLabelKey> = {
  'cost.kind': 'costKind',
  'cost.text': 'costText',
  'reach.kind': 'reachKind',
  'reach.meters': 'reachMeters',
  'reach.areaIds': 'reachAreaIds',
  'capacity.value': 'capacityValue',
  'capacity.unit': 'capacityUnit',
};

export function historyFieldLabelKey(field: string): HistoryFieldLabelKey | null {
  if (nestedLabels[field]) return nestedLabels[field];
  return (historyFieldLabelKeys as readonly string[]).includes(field) ? (field as HistoryFieldLabelKey) : null;
}

export type HistoryFormatContext = {
  none: string;
  termLabel: (taxonomyField: 'offerType' | 'targetGroups' | 'fieldsOfAction' | 'accessibility', code: string) => string;
  statusLabel: (status: string) => string;
  publicationLabel: (publication: string) => string;
  costLabel: (kind: string) => string;
  reachLabel: (kind: string, meters: number | null) => string;
  areaName: (areaId: string) => string;
  formatDate: (iso: string) => string;
  // verifiedBy holds a user id; the entry's actor label is shown when it is the same person.
  userLabel: (userId: string) => string;
};

type LocationSnapshot = {
  name?: string | null;
  address?: { street?: string | null; houseNumber?: string | null; postalCode?: string | null; city?: string | null } | null;
  geometry?: { coordinates?: [number, number] } | null;
};

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function describeLocation(location: LocationSnapshot): string {
  const address = location.address;
  const street = [address?.street, address?.houseNumber].filter(Boolean).join(' ');
  const city = [address?.postalCode, address?.city].filter(Boolean).join(' ');
  const coordinates = location.geometry?.coordinates;
  const point = coordinates ? `(${coordinates[1].toFixed(5)}, ${coordinates[0].toFixed(5)})` : '';
  return [location.name, street, city].filter(Boolean).join(', ') + (point ? ` ${point}` : '');
}

export function formatHistoryValue(field: string, value: unknown, context: HistoryFormatContext): string {
  if (value === null || value === undefined || value === '') return context.none;
  if (Array.isArray(value) && value.length === 0) return context.none;
  switch (field) {
    case 'offerType':
      return context.termLabel('offerType', String(value));
    case 'targetGroups':
    case 'fieldsOfAction':
    case 'accessibility':
      return Array.isArray(value) ? value.map((code) => context.termLabel(field, String(code))).join(', ') : String(value);
    case 'status':
      return context.statusLabel(String(value));
    case 'publication':
      return context.publicationLabel(String(value));
    case 'cost.kind':
      return context.costLabel(String(value));
    case 'reach.kind':
      return context.reachLabel(String(value), null);
    case 'reach.areaIds':
      return Array.isArray(value) ? value.map((id) => context.areaName(String(id))).join(', ') : String(value);
    case 'archivedAt':
    case 'verifiedAt':
      return context.formatDate(String(value));
    case 'verifiedBy':
      return context.userLabel(String(value));
    case 'locations':
      return Array.isArray(value) ? value.map((location) => describeLocation(location as LocationSnapshot)).join('; ') : String(value);
    case 'cost':
      if (isRecord(value)) {
        const kind = context.costLabel(String(value.kind));
        return value.text ? `${kind}: ${String(value.text)}` : kind;
      }
      break;
    case 'reach':
      if (isRecord(value)) {
        if (value.kind === 'area' && Array.isArray(value.areaIds)) {
          return `${context.reachLabel('area', null)}: ${value.areaIds.map((id) => context.areaName(String(id))).join(', ')}`;
        }
        return context.reachLabel(String(value.kind), typeof value.meters === 'number' ? value.meters : null);
      }
      break;
    case 'capacity':
      if (isRecord(value)) return [value.value, value.unit].filter((part) => part !== null && part !== undefined).join(' ');
      break;
    default:
      break;
  }
  if (Array.isArray(value)) return value.map(String).join(', ');
  if (isRecord(value)) return JSON.stringify(value);
  return String(value);
}

function isEmpty(value: unknown): boolean {
  return value === null || value === undefined || value === '' || (Array.isArray(value) && value.length === 0);
}

// The changes of one history entry in the order of the form (name first, not alphabetical); a
// record's creation lists only the fields that were filled in.
export function orderedChanges<C extends { field: string; before: unknown; after: unknown }>(
  changes: readonly C[],
  created: boolean,
): C[] {
  const position = (field: string) => {
    const key = historyFieldLabelKey(field);
    return key === null ? historyFieldLabelKeys.length : historyFieldLabelKeys.indexOf(key);
  };
  return changes
    .filter((change) => !created || !isEmpty(change.after))
    .map((change, index) => ({ change, index }))
    .sort((a, b) => position(a.change.field) - position(b.change.field) || a.index - b.index)
    .map(({ change }) => change);
}
