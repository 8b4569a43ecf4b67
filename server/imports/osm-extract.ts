// What the OSM importer takes from a file, read in up to three streamed passes so that the file is
// never held in memory (osm-reader.ts):
//   1. relations: the boundary relations of the wanted admin_level and the ids of their member ways;
//   2. ways: walkable highways, building outlines with an address, offer ways, boundary member ways —
//      their node ids go into one growing typed array;
//   3. nodes: the coordinates of exactly those node ids (sorted, de-duplicated typed arrays, found by
//      binary search), address nodes and offer nodes.
// Pure apart from reading the file: no database. The walking network is split at shared nodes here.

import { readOsm, type OsmTags } from './osm-reader.ts';

export type BoundingBox = [number, number, number, number];

/** The one rule of which highways people may walk on (docs/data-import.md, "OpenStreetMap"). */
const walkableHighways = new Set([
  'footway',
  'path',
  'pedestrian',
  'steps',
  'living_street',
  'residential',
  'service',
  'track',
  'unclassified',
  'road',
  'tertiary',
  'tertiary_link',
  'secondary',
  'secondary_link',
  'primary',
  'primary_link',
  'bridleway',
  'corridor',
  'platform',
]);
const footAllowed = new Set(['yes', 'designated', 'permissive']);
const sidewalkPresent = new Set(['yes', 'both', 'left', 'right', 'separate']);

export function isWalkable(tags: OsmTags): boolean {
  const highway = tags.highway;
  if (!highway) return false;
  const foot = tags.foot ?? '';
  if (foot === 'no' || foot === 'use_sidepath') return false;
  const explicitlyAllowed = footAllowed.has(foot);
  if ((tags.access === 'private' || tags.access === 'no') && !explicitlyAllowed) return false;
  if (highway === 'motorway' || highway === 'motorway_link') return false;
  if (highway === 'trunk' || highway === 'trunk_link') return explicitlyAllowed || sidewalkPresent.has(tags.sidewalk ?? '');
  // A cycleway is for pedestrians only where it says so (in Germany a shared path is tagged foot=designated).
  if (highway === 'cycleway') return explicitlyAllowed;
  return walkableHighways.has(highway);
}

export interface OsmAddress {
  externalId: string;
  street: string;
  houseNumber: string;
  postalCode: string | null;
  city: string | null;
  lon: number;
  lat: number;
}

export interface OsmWalkSegment {
  externalId: string;
  name: string | null;
  highway: string;
  coordinates: Array<[number, number]>;
}

/** One feature for an offer rule: the element's tags and a point (a way's vertex mean). */
export interface OsmPointFeature {
  externalId: string;
  tags: OsmTags;
  lon: number;
  lat: number;
}

export interface OsmBoundary {
  relationId: number;
  tags: OsmTags;
  /** The member ways' lines (outer and inner alike: PostGIS ST_BuildArea tells holes from shells). */
  lines: Array<Array<[number, number]>>;
  /** Member ways missing from the file (a clipped extract): the area is then not closed. */
  missingWays: number;
}

export interface OsmExtractOptions {
  addresses: boolean;
  network: boolean;
  /** Tag filters of the offer rules; an element matching any is kept. */
  offerFilters: ReadonlyArray<(tags: OsmTags) => boolean>;
  /** admin_level of the boundary relations to read as areas, or null. */
  adminLevel: number | null;
  /** Only what lies in this box (the city's, with a margin) is kept; a boundary is kept when any vertex is. */
  bbox: BoundingBox;
  onProgress?: (pass: 'relations' | 'ways' | 'nodes', elements: number) => void;
}

export interface OsmExtract {
  addresses: OsmAddress[];
  segments: OsmWalkSegment[];
  offers: OsmPointFeature[];
  boundaries: OsmBoundary[];
  /** Elements read in all passes together (the benchmark's throughput). */
  elementsRead: number;
  /** Nodes of the file inside the box, and the box of all nodes (to tell a file of another region). */
  nodesInside: number;
  nodesTotal: number;
  fileBounds: BoundingBox | null;
  /** Ways whose nodes are partly missing (clipped at the extract's edge). */
  waysWithMissingNodes: number;
  skippedOutside: { addresses: number; segments: number; offers: number };
}

/** A growing Float64Array: OSM ids exceed 2^32, and doubles hold them exactly. */
class NumberList {
  values = new Float64Array(1024);
  length = 0;
  push(value: number): void {
    if (this.length === this.values.length) {
      const grown = new Float64Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.length] = value;
    this.length += 1;
  }
  view(): Float64Array {
    return this.values.subarray(0, this.length);
  }
}

type WayRole = 'address' | 'offer' | 'boundary';

/** The few ways kept with their tags (buildings with an address, offers, boundary members). */
interface KeptWay {
  id: number;
  role: WayRole;
  /** Refs live in one shared typed array: refStart … refStart + refCount - 1. */
  refStart: number;
  refCount: number;
  tags: OsmTags | null;
}

/**
 * The walkable ways — most of the ways of a regional file — as columns: id, where their refs
 * start, how many, and an index into one list of distinct names and highway values.
 */
class WalkWays {
  ids = new NumberList();
  refStarts = new NumberList();
  refCounts = new NumberList();
  nameIndex = new NumberList();
  highwayIndex = new NumberList();
  readonly strings: string[] = [''];
  private readonly stringIndex = new Map<string, number>([['', 0]]);
  get length(): number {
    return this.ids.length;
  }
  add(id: number, refStart: number, refCount: number, name: string | undefined, highway: string): void {
    this.ids.push(id);
    this.refStarts.push(refStart);
    this.refCounts.push(refCount);
    this.nameIndex.push(this.intern(name ?? ''));
    this.highwayIndex.push(this.intern(highway));
  }
  private intern(text: string): number {
    let index = this.stringIndex.get(text);
    if (index === undefined) {
      const copy = own(text);
      index = this.strings.length;
      this.strings.push(copy);
      this.stringIndex.set(copy, index);
    }
    return index;
  }
}

function sortedUnique(values: Float64Array): Float64Array {
  const sorted = Float64Array.from(values).sort();
  let write = 0;
  for (let read = 0; read < sorted.length; read += 1) {
    if (write === 0 || sorted[read] !== sorted[write - 1]) sorted[write++] = sorted[read]!;
  }
  return sorted.slice(0, write);
}

function indexOfSorted(sorted: Float64Array, value: number): number {
  let low = 0;
  let high = sorted.length - 1;
  while (low <= high) {
    const middle = (low + high) >>> 1;
    const found = sorted[middle]!;
    if (found === value) return middle;
    if (found < value) low = middle + 1;
    else high = middle - 1;
  }
  return -1;
}

/**
 * A copy of a string that holds no reference to the text it was cut from: the XML parser hands out
 * slices of its 64 KB input chunks, and V8 keeps a whole chunk alive for one kept slice — over a
 * regional file that would be the file itself.
 */
function own(text: string): string {
  return Buffer.from(text, 'utf8').toString('utf8');
}

function ownTags(tags: OsmTags): OsmTags {
  const copy: OsmTags = {};
  for (const [key, value] of Object.entries(tags)) copy[own(key)] = own(value);
  return copy;
}

function inside(bbox: BoundingBox, lon: number, lat: number): boolean {
  return lon >= bbox[0] && lon <= bbox[2] && lat >= bbox[1] && lat <= bbox[3];
}

function addressOf(tags: OsmTags): { street: string; houseNumber: string; postalCode: string | null; city: string | null } | null {
  const street = tags['addr:street']?.trim();
  const houseNumber = tags['addr:housenumber']?.trim();
  if (!street || !houseNumber) return null;
  const postalCode = tags['addr:postcode']?.trim();
  const city = tags['addr:city']?.trim();
  return { street: own(street), houseNumber: own(houseNumber), postalCode: postalCode ? own(postalCode) : null, city: city ? own(city) : null };
}

// eslint-disable-next-line max-lines-per-function -- TODO(issue 10): the three streamed passes (relations, ways, nodes) share typed arrays; split into one function per pass
export async function extractOsm(filePath: string, options: OsmExtractOptions): Promise<OsmExtract> {
  const wantsOffer = (tags: OsmTags) => options.offerFilters.some((filter) => filter(tags));
  let elementsRead = 0;

  // Pass 1: boundary relations and their member ways.
  const boundaryRelations: Array<{ id: number; tags: OsmTags; wayIds: number[] }> = [];
  const boundaryWayIds = new Set<number>();
  if (options.adminLevel !== null) {
    const level = String(options.adminLevel);
    let seen = 0;
    for await (const batch of readOsm(filePath, { relations: true })) {
      for (const element of batch) {
        if (element.type !== 'relation') continue;
        seen += 1;
        const { tags } = element;
        if (tags.boundary !== 'administrative' || tags.admin_level !== level) continue;
        if (tags.type !== 'boundary' && tags.type !== 'multipolygon') continue;
        const wayIds = element.members.filter((member) => member.type === 'way' && member.role !== 'subarea').map((member) => member.id);
        wayIds.forEach((id) => boundaryWayIds.add(id));
        boundaryRelations.push({ id: element.id, tags, wayIds });
      }
      options.onProgress?.('relations', seen);
    }
    elementsRead += seen;
  }

  // Pass 2: the ways that are wanted, their refs in one typed array.
  const refs = new NumberList();
  const walkWays = new WalkWays();
  const ways: KeptWay[] = [];
  const boundaryWays = new Map<number, KeptWay>();
  let waysSeen = 0;
  for await (const batch of readOsm(filePath, { ways: true })) {
    for (const element of batch) {
      if (element.type !== 'way') continue;
      waysSeen += 1;
      const { tags } = element;
      const isWalk = options.network && isWalkable(tags);
      const isAddress = !isWalk && options.addresses && tags.building !== undefined && addressOf(tags) !== null;
      const isOffer = wantsOffer(tags);
      const isBoundary = boundaryWayIds.has(element.id);
      if (!isWalk && !isAddress && !isOffer && !isBoundary) continue;
      const refStart = refs.length;
      for (const ref of element.refs) refs.push(ref);
      const base = { id: element.id, refStart, refCount: element.refs.length };
      if (isWalk) walkWays.add(element.id, refStart, element.refs.length, tags.name, tags.highway!);
      if (isAddress) ways.push({ ...base, role: 'address', tags: ownTags(tags) });
      // A building may be an address and an offer at once (a Kita with its address on the outline).
      if (isOffer) ways.push({ ...base, role: 'offer', tags: ownTags(tags) });
      if (isBoundary) boundaryWays.set(element.id, { ...base, role: 'boundary', tags: null });
    }
    options.onProgress?.('ways', waysSeen);
  }
  elementsRead += waysSeen;

  // Pass 3: coordinates of the needed nodes; address and offer nodes.
  const neededIds = sortedUnique(refs.view());
  const lons = new Float64Array(neededIds.length).fill(Number.NaN);
  const lats = new Float64Array(neededIds.length).fill(Number.NaN);
  const addresses: OsmAddress[] = [];
  const offers: OsmPointFeature[] = [];
  const skippedOutside = { addresses: 0, segments: 0, offers: 0 };
  let nodesSeen = 0;
  let nodesInside = 0;
  let fileBounds: BoundingBox | null = null;
  for await (const batch of readOsm(filePath, { nodes: true })) {
    for (const element of batch) {
      if (element.type !== 'node') continue;
      nodesSeen += 1;
      const { lon, lat } = element;
      if (fileBounds) {
        if (lon < fileBounds[0]) fileBounds[0] = lon;
        if (lat < fileBounds[1]) fileBounds[1] = lat;
        if (lon > fileBounds[2]) fileBounds[2] = lon;
        if (lat > fileBounds[3]) fileBounds[3] = lat;
      } else {
        fileBounds = [lon, lat, lon, lat];
      }
      const isInside = inside(options.bbox, lon, lat);
      if (isInside) nodesInside += 1;
      const position = indexOfSorted(neededIds, element.id);
      if (position >= 0) {
        lons[position] = lon;
        lats[position] = lat;
      }
      const { tags } = element;
      if (options.addresses) {
        const address = addressOf(tags);
        if (address) {
          if (isInside) addresses.push({ externalId: `node/${element.id}`, ...address, lon, lat });
          else skippedOutside.addresses += 1;
        }
      }
      if (options.offerFilters.length > 0 && wantsOffer(tags)) {
        if (isInside) offers.push({ externalId: `node/${element.id}`, tags: ownTags(tags), lon, lat });
        else skippedOutside.offers += 1;
      }
    }
    options.onProgress?.('nodes', nodesSeen);
  }
  elementsRead += nodesSeen;

  const refValues = refs.view();
  const coordinateOf = (ref: number): [number, number] | null => {
    const position = indexOfSorted(neededIds, ref);
    if (position < 0) return null;
    const lon = lons[position]!;
    return Number.isNaN(lon) ? null : [lon, lats[position]!];
  };
  let waysWithMissingNodes = 0;

  // Where the walking network splits: nodes used more than once by walkable ways (crossings, and a
  // way that touches itself), plus every way's ends.
  const useCount = new Uint8Array(neededIds.length);
  for (let way = 0; way < walkWays.length; way += 1) {
    const start = walkWays.refStarts.values[way]!;
    for (let index = start; index < start + walkWays.refCounts.values[way]!; index += 1) {
      const position = indexOfSorted(neededIds, refValues[index]!);
      if (useCount[position]! < 255) useCount[position]! += 1;
    }
  }

  const pointsOf = (refStart: number, refCount: number): Array<{ ref: number; at: [number, number] | null }> => {
    const points: Array<{ ref: number; at: [number, number] | null }> = [];
    for (let index = refStart; index < refStart + refCount; index += 1) {
      const ref = refValues[index]!;
      points.push({ ref, at: coordinateOf(ref) });
    }
    if (points.some((point) => point.at === null)) waysWithMissingNodes += 1;
    return points;
  };

  const segments: OsmWalkSegment[] = [];
  for (let wayIndex = 0; wayIndex < walkWays.length; wayIndex += 1) {
    const wayId = walkWays.ids.values[wayIndex]!;
    const name = walkWays.strings[walkWays.nameIndex.values[wayIndex]!] || null;
    const highway = walkWays.strings[walkWays.highwayIndex.values[wayIndex]!]!;
    const points = pointsOf(walkWays.refStarts.values[wayIndex]!, walkWays.refCounts.values[wayIndex]!);
    let part = 0;
    let current: Array<[number, number]> = [];
    const flush = () => {
      if (current.length >= 2) {
        if (current.some(([lon, lat]) => inside(options.bbox, lon, lat))) {
          segments.push({ externalId: `way/${wayId}/${part}`, name, highway, coordinates: current });
        } else {
          skippedOutside.segments += 1;
        }
        part += 1;
      }
      current = [];
    };
    points.forEach((point, index) => {
      // A node missing from a clipped extract ends the part before it.
      if (point.at === null) {
        flush();
        return;
      }
      const last = current[current.length - 1];
      if (!last || last[0] !== point.at[0] || last[1] !== point.at[1]) current.push(point.at);
      const isEnd = index === points.length - 1;
      const shared = useCount[indexOfSorted(neededIds, point.ref)]! > 1;
      if (shared && !isEnd && current.length >= 2) {
        flush();
        current.push(point.at);
      }
    });
    flush();
  }

  for (const way of ways) {
    const points = pointsOf(way.refStart, way.refCount);
    const known = points.flatMap((point) => (point.at ? [point.at] : []));
    if (known.length === 0) continue;
    // A closed outline repeats its first node; leave it out of the mean.
    const vertices = known.length > 1 && points[0]!.ref === points[points.length - 1]!.ref ? known.slice(0, -1) : known;
    const lon = vertices.reduce((sum, [x]) => sum + x, 0) / vertices.length;
    const lat = vertices.reduce((sum, [, y]) => sum + y, 0) / vertices.length;
    const isInside = inside(options.bbox, lon, lat);
    if (way.role === 'address') {
      const address = addressOf(way.tags ?? {});
      if (!address) continue;
      if (isInside) addresses.push({ externalId: `way/${way.id}`, ...address, lon, lat });
      else skippedOutside.addresses += 1;
    } else if (way.role === 'offer') {
      if (isInside) offers.push({ externalId: `way/${way.id}`, tags: way.tags ?? {}, lon, lat });
      else skippedOutside.offers += 1;
    }
  }

  const boundaries: OsmBoundary[] = [];
  for (const relation of boundaryRelations) {
    const lines: Array<Array<[number, number]>> = [];
    let missingWays = 0;
    for (const wayId of relation.wayIds) {
      const way = boundaryWays.get(wayId);
      if (!way) {
        missingWays += 1;
        continue;
      }
      const line: Array<[number, number]> = [];
      for (let index = way.refStart; index < way.refStart + way.refCount; index += 1) {
        const at = coordinateOf(refValues[index]!);
        if (at) line.push(at);
      }
      if (line.length < way.refCount) missingWays += 1;
      if (line.length >= 2) lines.push(line);
    }
    if (!lines.some((line) => line.some(([lon, lat]) => inside(options.bbox, lon, lat)))) continue;
    boundaries.push({ relationId: relation.id, tags: relation.tags, lines, missingWays });
  }

  return { addresses, segments, offers, boundaries, elementsRead, nodesInside, nodesTotal: nodesSeen, fileBounds, waysWithMissingNodes, skippedOutside };
}
