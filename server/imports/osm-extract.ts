// What the OSM importer takes from a file, read in up to four streamed passes so that neither the
// file nor the region around the city is held in memory (osm-reader.ts):
//   1. relations: the boundary relations of the wanted admin_level and the ids of their member ways;
//   2. nodes: the ids of the nodes inside the city's box (one sorted typed array, 8 bytes a node),
//      address nodes and offer nodes; the pass ends at the first way;
//   3. ways: walkable highways, building outlines with an address and offer ways that touch a node
//      inside the box, and the boundary member ways — their node ids go into one growing typed array;
//   4. nodes: the coordinates of exactly those node ids (sorted, de-duplicated typed arrays, found by
//      binary search); the pass ends at the first way.
// Memory therefore grows with what lies in the city's box, not with the file: a regional extract
// adds only its reading time. Pure apart from reading the file: no database. The walking network is
// split at shared nodes here.

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
  onProgress?: (pass: 'relations' | 'nodes' | 'ways' | 'coordinates', elements: number) => void;
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


interface BoundaryRelation {
  id: number;
  tags: OsmTags;
  wayIds: number[];
}

type Progress = OsmExtractOptions['onProgress'];

/** Pass 1: the boundary relations of one admin_level and the ids of their member ways. */
async function readBoundaryRelations(filePath: string, adminLevel: number, onProgress: Progress): Promise<{ relations: BoundaryRelation[]; wayIds: Set<number>; seen: number }> {
  const level = String(adminLevel);
  const relations: BoundaryRelation[] = [];
  const wayIds = new Set<number>();
  let seen = 0;
  for await (const batch of readOsm(filePath, { relations: true })) {
    for (const element of batch) {
      if (element.type !== 'relation') continue;
      seen += 1;
      const { tags } = element;
      if (tags.boundary !== 'administrative' || tags.admin_level !== level) continue;
      if (tags.type !== 'boundary' && tags.type !== 'multipolygon') continue;
      const members = element.members.filter((member) => member.type === 'way' && member.role !== 'subarea').map((member) => member.id);
      members.forEach((id) => wayIds.add(id));
      relations.push({ id: element.id, tags, wayIds: members });
    }
    onProgress?.('relations', seen);
  }
  return { relations, wayIds, seen };
}

interface NodesInBox {
  /** Ids of the nodes inside the box, sorted ascending. */
  insideIds: Float64Array;
  addresses: OsmAddress[];
  offers: OsmPointFeature[];
  nodesTotal: number;
  fileBounds: BoundingBox | null;
  skipped: { addresses: number; offers: number };
}

function growBounds(bounds: BoundingBox | null, lon: number, lat: number): BoundingBox {
  if (!bounds) return [lon, lat, lon, lat];
  if (lon < bounds[0]) bounds[0] = lon;
  if (lat < bounds[1]) bounds[1] = lat;
  if (lon > bounds[2]) bounds[2] = lon;
  if (lat > bounds[3]) bounds[3] = lat;
  return bounds;
}

/** Pass 2: which nodes lie in the box (ids only), the address and offer nodes, the file's extent. */
async function readNodesInBox(filePath: string, options: OsmExtractOptions, wantsOffer: (tags: OsmTags) => boolean): Promise<NodesInBox> {
  const insideList = new NumberList();
  const addresses: OsmAddress[] = [];
  const offers: OsmPointFeature[] = [];
  const skipped = { addresses: 0, offers: 0 };
  let nodesTotal = 0;
  let fileBounds: BoundingBox | null = null;
  let sorted = true;
  for await (const batch of readOsm(filePath, { nodes: true, stopAfterNodes: true })) {
    for (const element of batch) {
      if (element.type !== 'node') continue;
      nodesTotal += 1;
      const { lon, lat, tags } = element;
      fileBounds = growBounds(fileBounds, lon, lat);
      const isInside = inside(options.bbox, lon, lat);
      if (isInside) {
        if (insideList.length > 0 && element.id <= insideList.values[insideList.length - 1]!) sorted = false;
        insideList.push(element.id);
      }
      const address = options.addresses ? addressOf(tags) : null;
      if (address) {
        if (isInside) addresses.push({ externalId: `node/${element.id}`, ...address, lon, lat });
        else skipped.addresses += 1;
      }
      if (options.offerFilters.length > 0 && wantsOffer(tags)) {
        if (isInside) offers.push({ externalId: `node/${element.id}`, tags: ownTags(tags), lon, lat });
        else skipped.offers += 1;
      }
    }
    options.onProgress?.('nodes', nodesTotal);
  }
  // Files from osmium and the OSM API are sorted by id; a hand-made one may not be.
  const insideIds = sorted ? insideList.view().slice() : sortedUnique(insideList.view());
  return { insideIds, addresses, offers, nodesTotal, fileBounds, skipped };
}

interface WantedWays {
  refs: NumberList;
  walkWays: WalkWays;
  ways: KeptWay[];
  boundaryWays: Map<number, KeptWay>;
  seen: number;
}

function touchesBox(refs: readonly number[], insideIds: Float64Array): boolean {
  return refs.some((ref) => indexOfSorted(insideIds, ref) >= 0);
}

/**
 * Pass 3: the ways that are wanted, their refs in one typed array. A walkable, address or offer way
 * is kept only when one of its nodes lies in the box, so the ways of the region around the city
 * cost nothing; boundary member ways are kept wherever they run (an area reaches beyond the box).
 */
async function readWantedWays(filePath: string, options: OsmExtractOptions, insideIds: Float64Array, boundaryWayIds: ReadonlySet<number>, wantsOffer: (tags: OsmTags) => boolean): Promise<WantedWays> {
  const result: WantedWays = { refs: new NumberList(), walkWays: new WalkWays(), ways: [], boundaryWays: new Map(), seen: 0 };
  const { refs } = result;
  for await (const batch of readOsm(filePath, { ways: true })) {
    for (const element of batch) {
      if (element.type !== 'way') continue;
      result.seen += 1;
      const { tags } = element;
      const isBoundary = boundaryWayIds.has(element.id);
      let isWalk = options.network && isWalkable(tags);
      let isAddress = !isWalk && options.addresses && tags.building !== undefined && addressOf(tags) !== null;
      let isOffer = wantsOffer(tags);
      if ((isWalk || isAddress || isOffer) && !touchesBox(element.refs, insideIds)) {
        isWalk = false;
        isAddress = false;
        isOffer = false;
      }
      if (!isWalk && !isAddress && !isOffer && !isBoundary) continue;
      const refStart = refs.length;
      for (const ref of element.refs) refs.push(ref);
      const base = { id: element.id, refStart, refCount: element.refs.length };
      if (isWalk) result.walkWays.add(element.id, refStart, element.refs.length, tags.name, tags.highway!);
      if (isAddress) result.ways.push({ ...base, role: 'address', tags: ownTags(tags) });
      // A building may be an address and an offer at once (a Kita with its address on the outline).
      if (isOffer) result.ways.push({ ...base, role: 'offer', tags: ownTags(tags) });
      if (isBoundary) result.boundaryWays.set(element.id, { ...base, role: 'boundary', tags: null });
    }
    options.onProgress?.('ways', result.seen);
  }
  return result;
}

/** The coordinates of the nodes the kept ways use (sorted ids, found by binary search). */
class NodeCoordinates {
  readonly ids: Float64Array;
  private readonly lons: Float64Array;
  private readonly lats: Float64Array;
  constructor(ids: Float64Array) {
    this.ids = ids;
    this.lons = new Float64Array(ids.length).fill(Number.NaN);
    this.lats = new Float64Array(ids.length).fill(Number.NaN);
  }
  position(ref: number): number {
    return indexOfSorted(this.ids, ref);
  }
  set(position: number, lon: number, lat: number): void {
    this.lons[position] = lon;
    this.lats[position] = lat;
  }
  at(ref: number): [number, number] | null {
    const position = this.position(ref);
    if (position < 0) return null;
    const lon = this.lons[position]!;
    return Number.isNaN(lon) ? null : [lon, this.lats[position]!];
  }
}

/** Pass 4: the coordinates of exactly the nodes the kept ways need. */
async function readNeededCoordinates(filePath: string, refs: NumberList, onProgress: Progress): Promise<NodeCoordinates> {
  const coordinates = new NodeCoordinates(sortedUnique(refs.view()));
  if (coordinates.ids.length === 0) return coordinates;
  let seen = 0;
  for await (const batch of readOsm(filePath, { nodes: true, stopAfterNodes: true })) {
    for (const element of batch) {
      if (element.type !== 'node') continue;
      seen += 1;
      const position = coordinates.position(element.id);
      if (position >= 0) coordinates.set(position, element.lon, element.lat);
    }
    onProgress?.('coordinates', seen);
  }
  return coordinates;
}

interface Assembly {
  refs: Float64Array;
  coordinates: NodeCoordinates;
  bbox: BoundingBox;
  skipped: OsmExtract['skippedOutside'];
  waysWithMissingNodes: number;
}

type WayPoint = { ref: number; at: [number, number] | null };

function pointsOf(assembly: Assembly, refStart: number, refCount: number): WayPoint[] {
  const points: WayPoint[] = [];
  for (let index = refStart; index < refStart + refCount; index += 1) {
    const ref = assembly.refs[index]!;
    points.push({ ref, at: assembly.coordinates.at(ref) });
  }
  if (points.some((point) => point.at === null)) assembly.waysWithMissingNodes += 1;
  return points;
}

/**
 * How often walkable ways use each needed node: the network splits where a node is used more than
 * once (crossings, and a way that touches itself), and at every way's ends.
 */
function walkNodeUses(assembly: Assembly, walkWays: WalkWays): Uint8Array {
  const useCount = new Uint8Array(assembly.coordinates.ids.length);
  for (let way = 0; way < walkWays.length; way += 1) {
    const start = walkWays.refStarts.values[way]!;
    for (let index = start; index < start + walkWays.refCounts.values[way]!; index += 1) {
      const position = assembly.coordinates.position(assembly.refs[index]!);
      if (useCount[position]! < 255) useCount[position]! += 1;
    }
  }
  return useCount;
}

/** One walkable way cut into segments at shared nodes and at nodes missing from a clipped extract. */
function splitWay(assembly: Assembly, wayId: number, name: string | null, highway: string, points: WayPoint[], useCount: Uint8Array, segments: OsmWalkSegment[]): void {
  let part = 0;
  let current: Array<[number, number]> = [];
  const flush = () => {
    if (current.length >= 2) {
      if (current.some(([lon, lat]) => inside(assembly.bbox, lon, lat))) {
        segments.push({ externalId: `way/${wayId}/${part}`, name, highway, coordinates: current });
      } else {
        assembly.skipped.segments += 1;
      }
      part += 1;
    }
    current = [];
  };
  points.forEach((point, index) => {
    if (point.at === null) {
      flush();
      return;
    }
    const last = current[current.length - 1];
    if (!last || last[0] !== point.at[0] || last[1] !== point.at[1]) current.push(point.at);
    const isEnd = index === points.length - 1;
    const shared = useCount[assembly.coordinates.position(point.ref)]! > 1;
    if (shared && !isEnd && current.length >= 2) {
      flush();
      current.push(point.at);
    }
  });
  flush();
}

function walkSegments(assembly: Assembly, walkWays: WalkWays): OsmWalkSegment[] {
  const useCount = walkNodeUses(assembly, walkWays);
  const segments: OsmWalkSegment[] = [];
  for (let wayIndex = 0; wayIndex < walkWays.length; wayIndex += 1) {
    const name = walkWays.strings[walkWays.nameIndex.values[wayIndex]!] || null;
    const highway = walkWays.strings[walkWays.highwayIndex.values[wayIndex]!]!;
    const points = pointsOf(assembly, walkWays.refStarts.values[wayIndex]!, walkWays.refCounts.values[wayIndex]!);
    splitWay(assembly, walkWays.ids.values[wayIndex]!, name, highway, points, useCount, segments);
  }
  return segments;
}

/** Address and offer ways become points at their vertex mean. */
function wayPoints(assembly: Assembly, ways: readonly KeptWay[], addresses: OsmAddress[], offers: OsmPointFeature[]): void {
  for (const way of ways) {
    const points = pointsOf(assembly, way.refStart, way.refCount);
    const known = points.flatMap((point) => (point.at ? [point.at] : []));
    if (known.length === 0) continue;
    // A closed outline repeats its first node; leave it out of the mean.
    const vertices = known.length > 1 && points[0]!.ref === points[points.length - 1]!.ref ? known.slice(0, -1) : known;
    const lon = vertices.reduce((sum, [x]) => sum + x, 0) / vertices.length;
    const lat = vertices.reduce((sum, [, y]) => sum + y, 0) / vertices.length;
    const isInside = inside(assembly.bbox, lon, lat);
    if (way.role === 'address') {
      const address = addressOf(way.tags ?? {});
      if (!address) continue;
      if (isInside) addresses.push({ externalId: `way/${way.id}`, ...address, lon, lat });
      else assembly.skipped.addresses += 1;
    } else if (way.role === 'offer') {
      if (isInside) offers.push({ externalId: `way/${way.id}`, tags: way.tags ?? {}, lon, lat });
      else assembly.skipped.offers += 1;
    }
  }
}

function boundaryLines(assembly: Assembly, relations: readonly BoundaryRelation[], boundaryWays: ReadonlyMap<number, KeptWay>): OsmBoundary[] {
  const boundaries: OsmBoundary[] = [];
  for (const relation of relations) {
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
        const at = assembly.coordinates.at(assembly.refs[index]!);
        if (at) line.push(at);
      }
      if (line.length < way.refCount) missingWays += 1;
      if (line.length >= 2) lines.push(line);
    }
    if (!lines.some((line) => line.some(([lon, lat]) => inside(assembly.bbox, lon, lat)))) continue;
    boundaries.push({ relationId: relation.id, tags: relation.tags, lines, missingWays });
  }
  return boundaries;
}

/** What the import takes from one OSM file (the passes are described at the top of this file). */
export async function extractOsm(filePath: string, options: OsmExtractOptions): Promise<OsmExtract> {
  const wantsOffer = (tags: OsmTags) => options.offerFilters.some((filter) => filter(tags));
  const boundary = options.adminLevel === null ? { relations: [], wayIds: new Set<number>(), seen: 0 } : await readBoundaryRelations(filePath, options.adminLevel, options.onProgress);
  const nodes = await readNodesInBox(filePath, options, wantsOffer);
  const nodesInside = nodes.insideIds.length;
  const skipped = { addresses: nodes.skipped.addresses, segments: 0, offers: nodes.skipped.offers };
  const base = { elementsRead: boundary.seen + nodes.nodesTotal, nodesInside, nodesTotal: nodes.nodesTotal, fileBounds: nodes.fileBounds, skippedOutside: skipped };
  // A file of another region: nothing to read further (the caller reports it).
  if (nodesInside === 0) return { ...base, addresses: [], segments: [], offers: [], boundaries: [], waysWithMissingNodes: 0 };

  const wanted = await readWantedWays(filePath, options, nodes.insideIds, boundary.wayIds, wantsOffer);
  // The ids inside the box are not needed any more: let them go before the last pass.
  nodes.insideIds = new Float64Array(0);
  const coordinates = await readNeededCoordinates(filePath, wanted.refs, options.onProgress);
  const assembly: Assembly = { refs: wanted.refs.view(), coordinates, bbox: options.bbox, skipped, waysWithMissingNodes: 0 };
  const segments = walkSegments(assembly, wanted.walkWays);
  const addresses = nodes.addresses;
  const offers = nodes.offers;
  wayPoints(assembly, wanted.ways, addresses, offers);
  const boundaries = boundaryLines(assembly, boundary.relations, wanted.boundaryWays);
  return { ...base, elementsRead: base.elementsRead + wanted.seen, addresses, segments, offers, boundaries, waysWithMissingNodes: assembly.waysWithMissingNodes };
}
