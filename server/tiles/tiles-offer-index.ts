import KDBush from 'kdbush';
import { PbfWriter } from 'pbf';
import { encodePointTile, writeValue } from './tiles-point-encoding.ts';
import type { OfferClusterRow, OfferIndexRow, OfferPointRow, OfferTileFilter, TileFrame } from './tiles.repo.ts';
import { tileBuffer, tileExtent } from './tiles.schema.ts';

// Every public offer location in Web Mercator, held in memory per data version, so that an offer
// tile — clusters below zoom 14, single points from it, with or without the citizens' filters — is
// read from typed arrays instead of SQL. Positions sit in a static KD-tree (kdbush, the index
// MapLibre and supercluster use); the filter fields are interned to small integers and kept as
// typed arrays (CSR lists for terms and languages). The answers are the SQL path's
// (tiles.repo.ts listOfferClusters, listOfferPoints): the same buffered frame (bounds inclusive, as
// `&&`), the same rounding (half away from zero, as PostgreSQL's round), the same 128-unit cells,
// the same means, points in the same order (location id) and the same cap.

export interface OfferIndex {
  /** The data version the points were read at. */
  readonly version: string;
  readonly size: number;
  clusters(frame: TileFrame, cellUnits: number, filter: OfferTileFilter): OfferClusterRow[];
  points(frame: TileFrame, filter: OfferTileFilter, limit: number): OfferPointRow[];
  /**
   * The point tile itself (layer `offers`), written from integer codes without a string per point:
   * byte for byte what encodePointTile writes from `points()` (tags count, id, offerId, name,
   * offerType), at a fraction of the cost.
   */
  pointTile(frame: TileFrame, filter: OfferTileFilter, limit: number): { body: Buffer; features: number };
}

/** PostgreSQL's round(): halves away from zero. */
function roundHalfAway(value: number): number {
  return value < 0 ? -Math.round(-value) : Math.round(value);
}

/** Strings to small integers, once each. */
function createInterner() {
  const codes = new Map<string, number>();
  const values: string[] = [];
  return {
    values,
    intern(value: string): number {
      let code = codes.get(value);
      if (code === undefined) {
        code = values.length;
        codes.set(value, code);
        values.push(value);
      }
      return code;
    },
    find(value: string): number | undefined {
      return codes.get(value);
    },
  };
}

/** A list per point in two typed arrays (compressed sparse rows), grown while rows arrive. */
function createListColumn() {
  let starts = new Uint32Array(1024);
  let items = new Uint32Array(4096);
  let count = 0;
  let length = 0;
  return {
    push(values: number[]): void {
      if (count + 2 > starts.length) {
        const grown = new Uint32Array(starts.length * 2);
        grown.set(starts);
        starts = grown;
      }
      while (length + values.length > items.length) {
        const grown = new Uint32Array(items.length * 2);
        grown.set(items);
        items = grown;
      }
      for (const value of values) items[length++] = value;
      count += 1;
      starts[count] = length;
    },
    finish(): { starts: Uint32Array; items: Uint32Array } {
      return { starts: starts.slice(0, count + 1), items: items.slice(0, length) };
    },
  };
}

function splitList(value: string | null): string[] {
  return value ? value.split(',') : [];
}

/** 16 bytes per UUID instead of a 36-character string: a million locations hold two each. */
function packUuid(target: Buffer, index: number, uuid: string): void {
  target.write(uuid.replaceAll('-', ''), index * 16, 16, 'hex');
}

function unpackUuid(source: Buffer, index: number): string {
  const hex = source.toString('hex', index * 16, index * 16 + 16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * The offers once each (a code per offer id) with their names once each (a code per name, and the
 * name as pbf writes a string, so that a point tile copies its bytes). Per offer: its name's code
 * and the first point that named it (whose packed ids hold the offer's id).
 */
function createOfferTable() {
  const offers = createInterner();
  const names = createInterner();
  const nameOfOffer: number[] = [];
  const offerFirstPoint: number[] = [];
  const nameText = new PbfWriter();
  const nameStarts: number[] = [0];
  return {
    add(offerId: string, name: string, point: number): number {
      const offer = offers.intern(offerId);
      if (nameOfOffer[offer] === undefined) {
        offerFirstPoint[offer] = point;
        const known = names.values.length;
        const code = names.intern(name);
        if (code === known) {
          nameText.writeString(name);
          nameStarts.push(nameText.pos);
        }
        nameOfOffer[offer] = code;
      }
      return offer;
    },
    finish() {
      return {
        nameOfOffer: Uint32Array.from(nameOfOffer),
        offerFirstPoint: Uint32Array.from(offerFirstPoint),
        names: names.values,
        nameText: Buffer.from(nameText.buf.subarray(0, nameText.pos)),
        nameStarts: Uint32Array.from(nameStarts),
        offerCount: offers.values.length,
      };
    },
  };
}

/** Builds the index from rows that arrive in pages (ordered by location id, as the SQL path orders points). */
export interface OfferIndexBuilder {
  add(rows: readonly OfferIndexRow[]): void;
  finish(version: string): OfferIndex;
}

export function createOfferIndexBuilder(expectedSize: number): OfferIndexBuilder {
  const capacity = Math.max(1, expectedSize);
  let xs = new Float64Array(capacity);
  let ys = new Float64Array(capacity);
  let types = new Uint32Array(capacity);
  let free = new Uint8Array(capacity);
  let ids = Buffer.alloc(capacity * 32);
  let offerOf = new Uint32Array(capacity);
  const offers = createOfferTable();
  const typeIds = createInterner();
  const typeCodes: string[] = [];
  const terms = createInterner();
  const languages = createInterner();
  const termLists = createListColumn();
  const languageLists = createListColumn();
  let size = 0;

  function grow(): void {
    const next = xs.length * 2;
    const copy = <T extends Float64Array | Uint32Array | Uint8Array>(array: T, make: (length: number) => T): T => {
      const grown = make(next);
      grown.set(array);
      return grown;
    };
    xs = copy(xs, (length) => new Float64Array(length));
    ys = copy(ys, (length) => new Float64Array(length));
    types = copy(types, (length) => new Uint32Array(length));
    free = copy(free, (length) => new Uint8Array(length));
    offerOf = copy(offerOf, (length) => new Uint32Array(length));
    const grownIds = Buffer.alloc(next * 32);
    ids.copy(grownIds);
    ids = grownIds;
  }

  return {
    add(rows) {
      for (const row of rows) {
        if (size === xs.length) grow();
        xs[size] = Number(row.x);
        ys[size] = Number(row.y);
        const type = typeIds.intern(row.offer_type_id);
        typeCodes[type] = row.offer_type;
        types[size] = type;
        free[size] = row.cost_kind === 'free' ? 1 : 0;
        packUuid(ids, size * 2, row.id);
        packUuid(ids, size * 2 + 1, row.offer_id);
        offerOf[size] = offers.add(row.offer_id, row.name, size);
        termLists.push(splitList(row.term_ids).map((id) => terms.intern(id)));
        languageLists.push(splitList(row.languages).map((code) => languages.intern(code)));
        size += 1;
      }
    },
    finish(version) {
      const tree = new KDBush(size, 64, Float64Array);
      for (let index = 0; index < size; index++) tree.add(xs[index]!, ys[index]!);
      tree.finish();
      return createOfferIndex({
        version,
        size,
        xs,
        ys,
        types,
        free,
        ids,
        offerOf: offerOf.slice(0, size),
        ...offers.finish(),
        typeIds,
        typeCodes,
        terms,
        languages,
        termLists: termLists.finish(),
        languageLists: languageLists.finish(),
        tree,
      });
    },
  };
}

interface OfferIndexData {
  version: string;
  size: number;
  xs: Float64Array;
  ys: Float64Array;
  types: Uint32Array;
  free: Uint8Array;
  ids: Buffer;
  /** Per point: its offer's code; per offer code: its name's code. */
  offerOf: Uint32Array;
  nameOfOffer: Uint32Array;
  offerFirstPoint: Uint32Array;
  names: string[];
  /** Every name once, as pbf writes a string (length, UTF-8), from nameStarts[code] to nameStarts[code + 1]. */
  nameText: Buffer;
  nameStarts: Uint32Array;
  offerCount: number;
  typeIds: ReturnType<typeof createInterner>;
  typeCodes: string[];
  terms: ReturnType<typeof createInterner>;
  languages: ReturnType<typeof createInterner>;
  termLists: { starts: Uint32Array; items: Uint32Array };
  languageLists: { starts: Uint32Array; items: Uint32Array };
  tree: KDBush;
}

/** One flag per interned value: true where the value is one of the wanted. */
function flagsOf(wanted: readonly string[], interner: ReturnType<typeof createInterner>): Uint8Array {
  const flags = new Uint8Array(interner.values.length);
  for (const value of wanted) {
    const code = interner.find(value);
    if (code !== undefined) flags[code] = 1;
  }
  return flags;
}

function anyFlagged(list: { starts: Uint32Array; items: Uint32Array }, index: number, flags: Uint8Array): boolean {
  for (let position = list.starts[index]!; position < list.starts[index + 1]!; position++) if (flags[list.items[position]!] === 1) return true;
  return false;
}

/** The filter as a test on a point's index, or null when every point passes. */
function compileFilter(data: OfferIndexData, filter: OfferTileFilter): ((index: number) => boolean) | null {
  const tests: Array<(index: number) => boolean> = [];
  if (filter.offerTypeIds) {
    const flags = flagsOf(filter.offerTypeIds, data.typeIds);
    tests.push((index) => flags[data.types[index]!] === 1);
  }
  // Target groups and each accessibility feature: the offer carries one term of each set.
  const termSets = [...(filter.targetGroupIds ? [filter.targetGroupIds] : []), ...(filter.accessibilitySets ?? [])];
  for (const set of termSets) {
    const flags = flagsOf(set, data.terms);
    tests.push((index) => anyFlagged(data.termLists, index, flags));
  }
  if (filter.free) tests.push((index) => data.free[index] === 1);
  if (filter.languages) {
    const flags = flagsOf(filter.languages, data.languages);
    tests.push((index) => anyFlagged(data.languageLists, index, flags));
  }
  if (tests.length === 0) return null;
  return (index) => tests.every((test) => test(index));
}

function bufferedRange(data: OfferIndexData, frame: TileFrame, filter: OfferTileFilter): number[] {
  const buffer = (frame.size / tileExtent) * tileBuffer;
  const found = data.tree.range(frame.xmin - buffer, frame.ymin - buffer, frame.xmax + buffer, frame.ymax + buffer);
  const test = compileFilter(data, filter);
  // kdbush answers its own ids: the order points were added in, i.e. the location ids' order.
  return test ? found.filter((id) => test(id)) : found;
}

const hexDigits = Buffer.from('0123456789abcdef');
/** Field 4 of a layer (a value) with field 1 (a string) inside: tag bytes as pbf writes them. */
const valueTag = (4 << 3) | 2;
const stringTag = (1 << 3) | 2;
const pointTagKeys = ['count', 'id', 'offerId', 'name', 'offerType'];

/** A packed UUID as the value message `{ string_value: "xxxxxxxx-xxxx-…" }`, hex written straight into the buffer. */
function writeUuidValue(pbf: PbfWriter, source: Buffer, slot: number): void {
  pbf.writeVarint(valueTag);
  pbf.writeVarint(38);
  pbf.writeVarint(stringTag);
  pbf.writeVarint(36);
  pbf.realloc(36);
  const buf = pbf.buf;
  let pos = pbf.pos;
  const base = slot * 16;
  for (let byte = 0; byte < 16; byte++) {
    if (byte === 4 || byte === 6 || byte === 8 || byte === 10) buf[pos++] = 45; // '-'
    const value = source[base + byte]!;
    buf[pos++] = hexDigits[value >> 4]!;
    buf[pos++] = hexDigits[value & 15]!;
  }
  pbf.pos = pos;
}

/** What one point feature is written from: its position and its five value indexes. */
interface FeatureCursor {
  x: number;
  y: number;
  tags: number[];
}

function writeCodedTags(cursor: FeatureCursor, pbf: PbfWriter): void {
  for (let key = 0; key < 5; key++) {
    pbf.writeVarint(key);
    pbf.writeVarint(cursor.tags[key]!);
  }
}

function writeCodedPoint(cursor: FeatureCursor, pbf: PbfWriter): void {
  pbf.writeVarint((1 << 3) + 1);
  pbf.writeVarint((cursor.x << 1) ^ (cursor.x >> 31));
  pbf.writeVarint((cursor.y << 1) ^ (cursor.y >> 31));
}

function writeCodedFeature(cursor: FeatureCursor, pbf: PbfWriter): void {
  pbf.writeMessage(2, writeCodedTags, cursor);
  pbf.writeVarintField(3, 1);
  pbf.writeMessage(4, writeCodedPoint, cursor);
}

/** Value kinds of a coded point tile, in the order tiles-point-encoding.ts would meet them. */
const enum ValueKind {
  Count,
  LocationId,
  OfferId,
  Name,
  OfferType,
}

// eslint-disable-next-line max-lines-per-function -- one closure over the index's arrays; each method is counted on its own
function createOfferIndex(data: OfferIndexData): OfferIndex {
  const { xs, ys } = data;
  // Per tile: which offers, names and types already have a value (stamped with the tile's number).
  // Tiles are written synchronously, so one set of stamps serves every request.
  let stamp = 0;
  const offerStamp = new Int32Array(data.offerCount);
  const offerValue = new Int32Array(data.offerCount);
  const nameStamp = new Int32Array(data.names.length);
  const nameValue = new Int32Array(data.names.length);
  const typeStamp = new Int32Array(data.typeCodes.length);
  const typeValue = new Int32Array(data.typeCodes.length);

  function writeCodedLayer(context: { points: ArrayLike<number> & Iterable<number>; frame: TileFrame }, pbf: PbfWriter): void {
    const { points, frame } = context;
    const scale = tileExtent / frame.size;
    stamp = stamp === 0x7fffffff ? 1 : stamp + 1;
    if (stamp === 1) {
      offerStamp.fill(0);
      nameStamp.fill(0);
      typeStamp.fill(0);
    }
    pbf.writeVarintField(15, 2);
    pbf.writeStringField(1, 'offers');
    pbf.writeVarintField(5, tileExtent);
    // Values in first-seen order, as kind and reference (point, offer, name or type code).
    const kinds: number[] = [ValueKind.Count];
    const refs: number[] = [0];
    const cursor: FeatureCursor = { x: 0, y: 0, tags: [0, 0, 0, 0, 0] };
    for (const id of points) {
      const offer = data.offerOf[id]!;
      const name = data.nameOfOffer[offer]!;
      const type = data.types[id]!;
      cursor.x = roundHalfAway((xs[id]! - frame.xmin) * scale);
      cursor.y = roundHalfAway((frame.ymax - ys[id]!) * scale);
      cursor.tags[1] = kinds.length;
      kinds.push(ValueKind.LocationId);
      refs.push(id);
      if (offerStamp[offer] !== stamp) {
        offerStamp[offer] = stamp;
        offerValue[offer] = kinds.length;
        kinds.push(ValueKind.OfferId);
        refs.push(offer);
      }
      cursor.tags[2] = offerValue[offer]!;
      if (nameStamp[name] !== stamp) {
        nameStamp[name] = stamp;
        nameValue[name] = kinds.length;
        kinds.push(ValueKind.Name);
        refs.push(name);
      }
      cursor.tags[3] = nameValue[name]!;
      if (typeStamp[type] !== stamp) {
        typeStamp[type] = stamp;
        typeValue[type] = kinds.length;
        kinds.push(ValueKind.OfferType);
        refs.push(type);
      }
      cursor.tags[4] = typeValue[type]!;
      pbf.writeMessage(2, writeCodedFeature, cursor);
    }
    for (const key of pointTagKeys) pbf.writeStringField(3, key);
    for (let value = 0; value < kinds.length; value++) {
      const ref = refs[value]!;
      switch (kinds[value]) {
        case ValueKind.Count:
          pbf.writeMessage(4, writeValue, 1);
          break;
        case ValueKind.LocationId:
          writeUuidValue(pbf, data.ids, ref * 2);
          break;
        case ValueKind.OfferId:
          // The offer's id sits beside the id of the first location that named it.
          writeUuidValue(pbf, data.ids, data.offerFirstPoint[ref]! * 2 + 1);
          break;
        case ValueKind.Name: {
          const start = data.nameStarts[ref]!;
          const end = data.nameStarts[ref + 1]!;
          pbf.writeVarint(valueTag);
          pbf.writeVarint(1 + end - start);
          pbf.writeVarint(stringTag);
          pbf.realloc(end - start);
          pbf.buf.set(data.nameText.subarray(start, end), pbf.pos);
          pbf.pos += end - start;
          break;
        }
        default:
          pbf.writeMessage(4, writeValue, data.typeCodes[ref]!);
      }
    }
  }

  return {
    version: data.version,
    size: data.size,
    clusters(frame, cellUnits, filter) {
      const scale = tileExtent / frame.size;
      // Cells of the tile with its buffer, in one flat grid: from cell -offset to cells + offset.
      const offset = Math.ceil(tileBuffer / cellUnits) + 1;
      const side = Math.ceil(tileExtent / cellUnits) + 2 * offset;
      const counts = new Uint32Array(side * side);
      const sumX = new Float64Array(side * side);
      const sumY = new Float64Array(side * side);
      const first = new Uint32Array(side * side);
      const used: number[] = [];
      for (const id of bufferedRange(data, frame, filter)) {
        const tx = roundHalfAway((xs[id]! - frame.xmin) * scale);
        const ty = roundHalfAway((frame.ymax - ys[id]!) * scale);
        const cell = (Math.floor(tx / cellUnits) + offset) * side + (Math.floor(ty / cellUnits) + offset);
        if (counts[cell] === 0) {
          used.push(cell);
          first[cell] = id;
        }
        counts[cell]! += 1;
        sumX[cell]! += tx;
        sumY[cell]! += ty;
      }
      return used.map((cell) => {
        const count = counts[cell]!;
        const single = count === 1 ? first[cell]! : -1;
        return {
          count,
          tx: roundHalfAway(sumX[cell]! / count),
          ty: roundHalfAway(sumY[cell]! / count),
          offer_id: single >= 0 ? unpackUuid(data.ids, single * 2 + 1) : null,
          name: single >= 0 ? data.names[data.nameOfOffer[data.offerOf[single]!]!]! : null,
          offer_type: single >= 0 ? data.typeCodes[data.types[single]!]! : null,
        };
      });
    },
    points(frame, filter, limit) {
      const scale = tileExtent / frame.size;
      const found = bufferedRange(data, frame, filter).sort((a, b) => a - b);
      return found.slice(0, limit).map((id) => ({
        id: unpackUuid(data.ids, id * 2),
        offer_id: unpackUuid(data.ids, id * 2 + 1),
        name: data.names[data.nameOfOffer[data.offerOf[id]!]!]!,
        offer_type: data.typeCodes[data.types[id]!]!,
        tx: roundHalfAway((xs[id]! - frame.xmin) * scale),
        ty: roundHalfAway((frame.ymax - ys[id]!) * scale),
      }));
    },
    pointTile(frame, filter, limit) {
      // A typed array sorts numbers without a comparator call per pair (worth its allocation from a few dozen).
      const found = bufferedRange(data, frame, filter);
      const points = found.length > 32 ? Uint32Array.from(found).sort().subarray(0, limit) : found.sort((a, b) => a - b).slice(0, limit);
      if (points.length === 0) return { body: encodePointTile('offers', []), features: 0 };
      const pbf = new PbfWriter();
      pbf.writeMessage(3, writeCodedLayer, { points, frame });
      return { body: Buffer.from(pbf.finish()), features: points.length };
    },
  };
}
