import { PbfWriter } from 'pbf';
import { tileExtent } from './tiles.schema.ts';

// A vector tile (MVT 2.1) of one point layer, written with pbf (the protobuf writer @maplibre/vt-pbf
// itself uses). Offer tiles are all points, and most of their tag values (ids, names) are unique:
// vt-pbf's generic writer keeps its value dictionary in a plain object keyed by `type:value`
// strings, which was the largest share of an uncached offer tile's time in the profile
// (docs/benchmarks.md, "Vector tiles at a million offers"). Here the dictionary is a Map, and the
// feature objects, wrappers and point objects vt-pbf builds per feature are skipped. Area tiles
// (polygons) keep vt-pbf.
//
// Values are shared within a key (a text that is both a name and a type code is stored twice; the
// specification allows repeated values): the in-memory offer index writes its point tiles from
// integer codes per field (tiles-offer-index.ts, `pointTile`), byte for byte as this writer does.

export type PointTags = Record<string, string | number>;

export interface PointFeature {
  /** Position in tile units (0–4096, the buffer beyond). */
  x: number;
  y: number;
  tags: PointTags;
}

interface LayerContext {
  name: string;
  features: readonly PointFeature[];
  keys: Map<string, number>;
  /** Per key: value → its index in `valueList`. */
  values: Map<string, Map<string | number, number>>;
  valueList: Array<string | number>;
  feature: PointFeature | undefined;
}

const zigzag = (value: number) => (value << 1) ^ (value >> 31);

function writeTags(context: LayerContext, pbf: PbfWriter): void {
  const tags = context.feature!.tags;
  for (const key in tags) {
    const value = tags[key]!;
    let keyIndex = context.keys.get(key);
    if (keyIndex === undefined) {
      keyIndex = context.keys.size;
      context.keys.set(key, keyIndex);
    }
    let ofKey = context.values.get(key);
    if (ofKey === undefined) {
      ofKey = new Map();
      context.values.set(key, ofKey);
    }
    let valueIndex = ofKey.get(value);
    if (valueIndex === undefined) {
      valueIndex = context.valueList.length;
      ofKey.set(value, valueIndex);
      context.valueList.push(value);
    }
    pbf.writeVarint(keyIndex);
    pbf.writeVarint(valueIndex);
  }
}

function writePoint(feature: PointFeature, pbf: PbfWriter): void {
  pbf.writeVarint((1 << 3) + 1); // MoveTo, one point
  pbf.writeVarint(zigzag(feature.x));
  pbf.writeVarint(zigzag(feature.y));
}

function writeFeature(context: LayerContext, pbf: PbfWriter): void {
  pbf.writeMessage(2, writeTags, context);
  pbf.writeVarintField(3, 1); // POINT
  pbf.writeMessage(4, writePoint, context.feature!);
}

export function writeValue(value: string | number, pbf: PbfWriter): void {
  if (typeof value === 'string') pbf.writeStringField(1, value);
  else if (Number.isInteger(value) && value >= 0) pbf.writeVarintField(5, value);
  else if (Number.isInteger(value)) pbf.writeSVarintField(6, value);
  else pbf.writeDoubleField(3, value);
}

function writeLayer(context: LayerContext, pbf: PbfWriter): void {
  pbf.writeVarintField(15, 2);
  pbf.writeStringField(1, context.name);
  pbf.writeVarintField(5, tileExtent);
  for (const feature of context.features) {
    context.feature = feature;
    pbf.writeMessage(2, writeFeature, context);
  }
  for (const key of context.keys.keys()) pbf.writeStringField(3, key);
  for (const value of context.valueList) pbf.writeMessage(4, writeValue, value);
}

/** One tile with one layer of points (written even when empty, as vt-pbf writes it). */
export function encodePointTile(name: string, features: readonly PointFeature[]): Buffer {
  const pbf = new PbfWriter();
  pbf.writeMessage(3, writeLayer, { name, features, keys: new Map(), values: new Map(), valueList: [], feature: undefined });
  return Buffer.from(pbf.finish());
}
