// The in-memory address index: streets grouped by name, their segments with house-number ranges,
// the places (Stadtteile, Viertel, Stadtbezirke), over the street kernel's network of the same data
// version (server/streets). Built once from the database rows, then only read. Pure: no database, so it is unit-tested with plain arrays.

import type { AreaLevel } from '../areas/areas.schema.ts';
import type { GeocodeKind, GeocodePrecision, GeocodeResult } from './geocoding.schema.ts';
import { parseAddressQuery, type AddressQuery } from './address-query.ts';
import { allowedEdits, boundedEditDistance, letterMask, lettersRuleOut } from './fuzzy.ts';
import {
  makeRange,
  pointAlongLine,
  rangeContains,
  rangeFraction,
  rangeGap,
  type HouseNumberRange,
  type SegmentRanges,
} from './house-numbers.ts';
import type { Position } from '../streets/line-geometry.ts';
import type { StreetNetwork } from '../streets/street-network.ts';
import { displayStreetName, foldName, placeKey, streetKey } from '../shared/street-key.ts';

export interface StreetSegmentInput {
  /** street_segments.id: the street kernel's network knows segments by it. */
  id: number;
  /** Null for unnamed connectors: part of the walking network, never an address. */
  streetName: string | null;
  streetKey: string | null;
  houseFromLeft: number | null;
  houseToLeft: number | null;
  houseFromRight: number | null;
  houseToRight: number | null;
  coordinates: readonly Position[];
  lengthMeters: number;
  /** The Sozialraum (Stadtteil) the segment lies in, by name. */
  areaName: string | null;
}

/** An address point (OSM `addr:*`): a house number with its own position. */
export interface AddressPointInput {
  streetName: string;
  streetKey: string;
  houseNumber: string;
  point: Position;
  /** The Sozialraum it lies in, or the address's own place name (addr:city). */
  areaName: string | null;
}

export interface PlaceInput {
  id: string;
  level: AreaLevel;
  code: string;
  name: string;
  point: Position;
  bbox: [number, number, number, number];
}

export interface StreetLine {
  name: string | null;
  coordinates: readonly Position[];
}

interface IndexedSegment {
  coordinates: readonly Position[];
  ranges: SegmentRanges;
  areaName: string | null;
}

interface AddressPoint {
  houseNumber: string;
  point: Position;
  areaName: string | null;
  areaKey: string | null;
}

interface Street {
  key: string;
  /** Address points by normalized house number ("12a"): preferred over interpolation. */
  addresses: Map<string, AddressPoint[]>;
  displayName: string;
  /** Sozialräume along the street, most segments first. */
  areaNames: string[];
  areaKeys: Set<string>;
  segments: IndexedSegment[];
  center: Position;
  /** Long streets are the likelier meaning of a short prefix ("Venl" → Venloer Straße first). */
  prominence: number;
}

interface Place extends PlaceInput {
  key: string;
  mask: number;
}

interface Candidate<T> {
  item: T;
  /** 0 (exact) … 1; lower is better. */
  penalty: number;
}

const levelLabels: Record<AreaLevel, string> = {
  city: 'Stadt',
  district: 'Stadtbezirk',
  sozialraum: 'Stadtteil',
  quarter: 'Viertel',
};

function round(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

/** "12 a", "12A" → "12a": how house numbers of address points and queries are compared. */
export function houseNumberKey(text: string): string {
  return text.toLowerCase().replace(/\s+/g, '');
}

function streetCenter(segments: IndexedSegment[], addresses: Map<string, AddressPoint[]>): Position {
  if (segments.length === 0) {
    const first = addresses.values().next().value?.[0];
    return first ? first.point : [0, 0];
  }
  // The middle vertex of the middle segment: on the street, unlike a centroid of a bent street.
  const middle = segments[Math.floor(segments.length / 2)]!;
  const coordinates = middle.coordinates;
  return pointAlongLine(coordinates, 0.5, null);
}

export class StreetIndex {
  readonly network: StreetNetwork | null;
  readonly streetCount: number;
  readonly placeCount: number;
  private readonly streetsByKey = new Map<string, Street[]>();
  private readonly sortedStreetKeys: string[];
  private readonly streetKeyMasks: Int32Array;
  private readonly places: Place[];
  private readonly placesByKey = new Map<string, Place[]>();
  private readonly cityNames: string[];
  /** Display names by segment id; null for unnamed connectors. */
  private readonly segmentNames: Map<number, string | null>;

  constructor(
    segments: StreetSegmentInput[],
    places: PlaceInput[],
    cityNames: string[] = [],
    network: StreetNetwork | null = null,
    addressPoints: readonly AddressPointInput[] = [],
  ) {
    this.cityNames = cityNames;
    this.network = network;
    this.segmentNames = new Map(segments.map((segment) => [segment.id, segment.streetName ? displayStreetName(segment.streetName) : null]));
    const byName = new Map<string, { key: string; segments: IndexedSegment[]; addresses: Map<string, AddressPoint[]> }>();
    for (const segment of segments) {
      if (segment.streetName === null || !segment.streetKey) continue;
      const ranges: SegmentRanges = {
        left: makeRange('left', segment.houseFromLeft, segment.houseToLeft),
        right: makeRange('right', segment.houseFromRight, segment.houseToRight),
      };
      const entry = byName.get(segment.streetName) ?? { key: segment.streetKey, segments: [] as IndexedSegment[], addresses: new Map<string, AddressPoint[]>() };
      entry.segments.push({ coordinates: segment.coordinates, ranges, areaName: segment.areaName });
      byName.set(segment.streetName, entry);
    }
    // Address points join the street of the same name; a street known only from its addresses is a street too.
    for (const address of addressPoints) {
      const entry = byName.get(address.streetName) ?? { key: address.streetKey, segments: [], addresses: new Map() };
      const numberKey = houseNumberKey(address.houseNumber);
      const list = entry.addresses.get(numberKey) ?? [];
      list.push({ houseNumber: address.houseNumber, point: address.point, areaName: address.areaName, areaKey: address.areaName ? placeKey(address.areaName) : null });
      entry.addresses.set(numberKey, list);
      byName.set(address.streetName, entry);
    }
    for (const [name, entry] of byName) {
      const areaCounts = new Map<string, number>();
      for (const segment of entry.segments) {
        if (segment.areaName) areaCounts.set(segment.areaName, (areaCounts.get(segment.areaName) ?? 0) + 1);
      }
      for (const list of entry.addresses.values()) {
        for (const address of list) if (address.areaName) areaCounts.set(address.areaName, (areaCounts.get(address.areaName) ?? 0) + 1);
      }
      const areaNames = [...areaCounts.entries()].sort((a, b) => b[1] - a[1]).map(([areaName]) => areaName);
      const street: Street = {
        key: entry.key,
        displayName: displayStreetName(name),
        areaNames,
        // Whole names and their parts: "Esch/Auweiler" answers to "Auweiler" too.
        areaKeys: new Set(areaNames.flatMap((areaName) => [placeKey(areaName), ...foldName(areaName).split(' ')])),
        segments: entry.segments,
        addresses: entry.addresses,
        center: streetCenter(entry.segments, entry.addresses),
        prominence: Math.min(0.04, entry.segments.length / 1000),
      };
      const list = this.streetsByKey.get(street.key);
      if (list) list.push(street);
      else this.streetsByKey.set(street.key, [street]);
    }
    this.sortedStreetKeys = [...this.streetsByKey.keys()].sort();
    this.streetKeyMasks = Int32Array.from(this.sortedStreetKeys, letterMask);
    this.streetCount = byName.size;

    const sozialraumKeys = new Set(places.filter((place) => place.level === 'sozialraum').map((place) => placeKey(place.name)));
    this.places = places
      .filter((place) => place.level !== 'city')
      // A Viertel named like its Stadtteil (e.g. "Flittard") would only repeat it.
      .filter((place) => place.level !== 'quarter' || !sozialraumKeys.has(placeKey(place.name)))
      .map((place) => ({ ...place, key: placeKey(place.name), mask: letterMask(placeKey(place.name)) }));
    for (const place of this.places) {
      const list = this.placesByKey.get(place.key);
      if (list) list.push(place);
      else this.placesByKey.set(place.key, [place]);
    }
    this.placeCount = this.places.length;
  }

  /** The streets in a box, for orientation on a map without a basemap. */
  streetsInBox(bbox: [number, number, number, number], limit: number): StreetLine[] {
    if (!this.network) return [];
    const lines: StreetLine[] = [];
    for (const index of this.network.segmentsInBox(bbox)) {
      if (lines.length >= limit) break;
      lines.push({ name: this.segmentNames.get(this.network.segmentIds[index]!) ?? null, coordinates: this.network.coordinatesOf(index) });
    }
    return lines;
  }

  /** Best matches for a complete query ("Venloer Straße 123", "Ehrenfeld"). */
  geocode(text: string, limit: number): GeocodeResult[] {
    const query = parseAddressQuery(text, this.cityNames);
    let results = this.resolve(query, false, limit);
    if (results.length === 0 && query.houseNumber !== null) {
      // "Straße des 17. Juni": the number may belong to the name.
      results = this.resolve({ ...query, text: text.split(',')[0] ?? text, houseNumber: null, houseNumberSuffix: null }, false, limit);
    }
    return results;
  }

  /** Autocomplete: the typed text may end in the middle of a word. */
  suggest(text: string, limit: number): GeocodeResult[] {
    const query = parseAddressQuery(text, this.cityNames);
    return this.resolve(query, true, limit);
  }

  private resolve(query: AddressQuery, asPrefix: boolean, limit: number): GeocodeResult[] {
    // The same normalization as the stored keys, applied to what was typed.
    const streetQueryKey = streetKey(query.text);
    if (!streetQueryKey) return [];
    const results: GeocodeResult[] = [];
    const streets = this.matchStreets(streetQueryKey, asPrefix);
    const localityKey = query.locality ? placeKey(query.locality) : null;
    for (const { item: street, penalty } of streets) {
      let adjusted = penalty;
      if (localityKey) {
        const matchesLocality = [...street.areaKeys].some(
          (areaKey) => areaKey.startsWith(localityKey) || boundedEditDistance(areaKey, localityKey, allowedEdits(localityKey.length)) <= allowedEdits(localityKey.length),
        );
        adjusted += matchesLocality ? 0 : 0.25;
      }
      results.push(...this.streetResults(street, query, adjusted, localityKey));
    }
    if (query.houseNumber === null) {
      for (const { item: place, penalty } of this.matchPlaces(placeKey(query.text), asPrefix)) {
        results.push(placeResult(place, penalty));
      }
    }
    results.sort(
      (a, b) =>
        b.score - a.score ||
        kindOrder(a.kind) - kindOrder(b.kind) ||
        levelOrder(a.placeLevel) - levelOrder(b.placeLevel) ||
        a.label.localeCompare(b.label, 'de'),
    );
    return results.slice(0, limit);
  }

  private matchStreets(queryKey: string, asPrefix: boolean): Candidate<Street>[] {
    const found = new Map<Street, number>();
    const add = (street: Street, penalty: number): void => {
      const previous = found.get(street);
      if (previous === undefined || penalty < previous) found.set(street, penalty);
    };
    for (const street of this.streetsByKey.get(queryKey) ?? []) add(street, 0);
    if (asPrefix) {
      for (const key of this.keysWithPrefix(queryKey, 40)) {
        if (key === queryKey) continue;
        // Longer completions rank lower, so "Venloer Str" offers "Venloer Straße" before "Venloer Straße-Nord".
        for (const street of this.streetsByKey.get(key) ?? []) add(street, 0.05 + Math.min(0.1, (key.length - queryKey.length) / 200));
      }
    }
    if (found.size === 0) {
      const max = allowedEdits(queryKey.length);
      if (max > 0) {
        const queryMask = letterMask(queryKey);
        this.sortedStreetKeys.forEach((key, position) => {
          if (lettersRuleOut(queryMask, this.streetKeyMasks[position]!, max)) return;
          const distance = boundedEditDistance(queryKey, key, max, asPrefix);
          if (distance > max) return;
          for (const street of this.streetsByKey.get(key) ?? []) add(street, 0.1 + distance * 0.1);
        });
      }
    }
    return [...found.entries()].map(([item, penalty]) => ({ item, penalty: Math.max(0, penalty - item.prominence) }));
  }

  private matchPlaces(queryKey: string, asPrefix: boolean): Candidate<Place>[] {
    if (!queryKey) return [];
    const found: Candidate<Place>[] = [];
    for (const place of this.placesByKey.get(queryKey) ?? []) found.push({ item: place, penalty: 0 });
    const max = allowedEdits(queryKey.length);
    const queryMask = letterMask(queryKey);
    for (const place of this.places) {
      if (place.key === queryKey) continue;
      if (asPrefix && place.key.startsWith(queryKey)) {
        found.push({ item: place, penalty: 0.04 });
        continue;
      }
      if (max === 0 || lettersRuleOut(queryMask, place.mask, max)) continue;
      const distance = boundedEditDistance(queryKey, place.key, max, asPrefix);
      if (distance <= max) found.push({ item: place, penalty: 0.1 + distance * 0.1 });
    }
    return found;
  }

  private keysWithPrefix(prefix: string, limit: number): string[] {
    let low = 0;
    let high = this.sortedStreetKeys.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (this.sortedStreetKeys[middle]! < prefix) low = middle + 1;
      else high = middle;
    }
    const keys: string[] = [];
    for (let index = low; index < this.sortedStreetKeys.length && keys.length < limit; index += 1) {
      const key = this.sortedStreetKeys[index]!;
      if (!key.startsWith(prefix)) break;
      keys.push(key);
    }
    return keys;
  }

  /**
   * An address point with the asked number answers first, at its own position (one result per
   * place where the street name and number occur twice, e.g. two villages' "Hauptstraße 2");
   * otherwise the number is interpolated on the street's segments.
   */
  private streetResults(street: Street, query: AddressQuery, penalty: number, localityKey: string | null): GeocodeResult[] {
    if (query.houseNumber !== null) {
      const houseNumber = `${query.houseNumber}${query.houseNumberSuffix ?? ''}`;
      const points = street.addresses.get(houseNumberKey(houseNumber)) ?? [];
      if (points.length > 0) {
        return points.map((address) => {
          const localityPenalty = localityKey && address.areaKey && !address.areaKey.startsWith(localityKey) ? 0.1 : 0;
          return result({
            kind: 'address',
            label: `${street.displayName} ${address.houseNumber}`,
            context: address.areaName,
            street: street.displayName,
            houseNumber: address.houseNumber,
            place: address.areaName,
            placeLevel: null,
            precision: 'house_number',
            penalty: penalty + localityPenalty,
            point: address.point,
          });
        });
      }
      if (street.segments.length === 0) return [this.nearestAddressPoint(street, query.houseNumber, houseNumber, penalty)];
    }
    return [this.streetResult(street, query, penalty)];
  }

  /** A street known only from address points, asked for a number it does not have: the nearest number on it. */
  private nearestAddressPoint(street: Street, number: number, houseNumber: string, penalty: number): GeocodeResult {
    let best: AddressPoint | null = null;
    let bestGap = Number.POSITIVE_INFINITY;
    for (const list of street.addresses.values()) {
      for (const address of list) {
        const value = Number.parseInt(address.houseNumber, 10);
        const gap = Number.isNaN(value) ? Number.POSITIVE_INFINITY : Math.abs(value - number);
        if (!best || gap < bestGap) {
          best = address;
          bestGap = gap;
        }
      }
    }
    return result({
      kind: 'address',
      label: `${street.displayName} ${houseNumber}`,
      context: best?.areaName ?? null,
      street: street.displayName,
      houseNumber,
      place: best?.areaName ?? null,
      placeLevel: null,
      precision: 'nearest_house_number',
      penalty: penalty + 0.15,
      point: best?.point ?? street.center,
    });
  }

  private streetResult(street: Street, query: AddressQuery, penalty: number): GeocodeResult {
    const context = street.areaNames.length > 0 ? street.areaNames.slice(0, 3).join(', ') + (street.areaNames.length > 3 ? ', …' : '') : null;
    if (query.houseNumber === null) {
      return result({
        kind: 'street',
        label: street.displayName,
        context,
        street: street.displayName,
        houseNumber: null,
        place: street.areaNames[0] ?? null,
        placeLevel: street.areaNames[0] ? 'sozialraum' : null,
        precision: 'street',
        penalty,
        point: street.center,
      });
    }
    const number = query.houseNumber;
    const houseNumber = `${number}${query.houseNumberSuffix ?? ''}`;
    let best: { segment: IndexedSegment; range: HouseNumberRange; gap: number } | null = null;
    for (const segment of street.segments) {
      for (const range of [segment.ranges.left, segment.ranges.right]) {
        if (!range) continue;
        const gap = rangeContains(range, number) ? 0 : rangeGap(range, number);
        if (!best || gap < best.gap) best = { segment, range, gap };
      }
    }
    if (!best) {
      // A street without any numbers in the data: the street itself is the answer, marked as such.
      return result({
        kind: 'street',
        label: street.displayName,
        context,
        street: street.displayName,
        houseNumber,
        place: street.areaNames[0] ?? null,
        placeLevel: street.areaNames[0] ? 'sozialraum' : null,
        precision: 'street',
        penalty: penalty + 0.2,
        point: street.center,
      });
    }
    const exact = best.gap === 0;
    const point = exact
      ? pointAlongLine(best.segment.coordinates, rangeFraction(best.range, number), best.range.side)
      : pointAlongLine(
          best.segment.coordinates,
          // Outside every range: the nearer end of the closest range.
          Math.abs(number - best.range.from) <= Math.abs(number - best.range.to) ? (best.range.from <= best.range.to ? 0 : 1) : best.range.from <= best.range.to ? 1 : 0,
          best.range.side,
        );
    const place = best.segment.areaName;
    return result({
      kind: 'address',
      label: `${street.displayName} ${houseNumber}`,
      context: place,
      street: street.displayName,
      houseNumber,
      place,
      placeLevel: place ? 'sozialraum' : null,
      precision: exact ? 'house_number' : 'nearest_house_number',
      penalty: exact ? penalty : penalty + 0.15,
      point,
    });
  }
}

/** For equal names, the Stadtteil is what people mean more often than the Stadtbezirk. */
function levelOrder(level: AreaLevel | null): number {
  return level === 'sozialraum' ? 0 : level === 'quarter' ? 1 : level === 'district' ? 2 : 3;
}

function kindOrder(kind: GeocodeKind): number {
  return kind === 'address' ? 0 : kind === 'place' ? 1 : 2;
}

function placeResult(place: Place, penalty: number): GeocodeResult {
  return result({
    kind: 'place',
    label: place.name,
    context: levelLabels[place.level],
    street: null,
    houseNumber: null,
    place: place.name,
    placeLevel: place.level,
    precision: 'area',
    penalty,
    point: place.point,
    bbox: place.bbox,
    areaId: place.id,
  });
}

function result(input: {
  kind: GeocodeKind;
  label: string;
  context: string | null;
  street: string | null;
  houseNumber: string | null;
  place: string | null;
  placeLevel: AreaLevel | null;
  precision: GeocodePrecision;
  penalty: number;
  point: Position;
  bbox?: [number, number, number, number];
  areaId?: string;
}): GeocodeResult {
  return {
    kind: input.kind,
    label: input.label,
    context: input.context,
    street: input.street,
    houseNumber: input.houseNumber,
    place: input.place,
    placeLevel: input.placeLevel,
    areaId: input.areaId ?? null,
    precision: input.precision,
    score: Math.max(0, Math.round((1 - input.penalty) * 100) / 100),
    lon: round(input.point[0]),
    lat: round(input.point[1]),
    bbox: input.bbox ?? null,
  };
}
