// Streaming readers for OpenStreetMap files: `.osm.pbf` (osm-pbf-parser) and `.osm` / `.osm.gz`
// (node:zlib + saxes). Both yield the same plain elements in small batches, so an importer reads a
// file of any size with bounded memory: nothing here keeps more than one PBF block or one XML
// chunk. Every pass over a file opens it anew (osm-extract.ts reads a file up to four times).
// OSM files list all nodes, then all ways, then all relations (the OSM API, osmium and Geofabrik
// write them so): a pass that wants only nodes stops at the first way, and a node after a way is
// refused rather than silently missed.

import fs from 'node:fs';
import { createRequire } from 'node:module';
import { PassThrough, pipeline, type Transform } from 'node:stream';
import zlib from 'node:zlib';
import { SaxesParser } from 'saxes';

export type OsmTags = Record<string, string>;

export interface OsmNode {
  type: 'node';
  id: number;
  lat: number;
  lon: number;
  tags: OsmTags;
}

export interface OsmWay {
  type: 'way';
  id: number;
  refs: number[];
  tags: OsmTags;
}

export interface OsmRelationMember {
  type: 'node' | 'way' | 'relation';
  id: number;
  role: string;
}

export interface OsmRelation {
  type: 'relation';
  id: number;
  members: OsmRelationMember[];
  tags: OsmTags;
}

export type OsmElement = OsmNode | OsmWay | OsmRelation;

/** A file that is not a readable OSM file (truncated, not OSM at all): the import writes nothing. */
export class OsmFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OsmFileError';
  }
}

export type OsmFormat = 'pbf' | 'xml' | 'xml.gz';

export function osmFormatOf(filePath: string): OsmFormat {
  const lower = filePath.toLowerCase();
  if (lower.endsWith('.pbf')) return 'pbf';
  if (lower.endsWith('.osm.gz') || lower.endsWith('.xml.gz')) return 'xml.gz';
  if (lower.endsWith('.osm') || lower.endsWith('.xml')) return 'xml';
  throw new OsmFileError(`${filePath}: an OpenStreetMap file ends in .osm.pbf, .osm or .osm.gz.`);
}

/** Which element types a pass needs: the PBF reader still decodes the others, but they are not handed on. */
export interface OsmReadOptions {
  nodes?: boolean;
  ways?: boolean;
  relations?: boolean;
  /** End the pass at the first way or relation (a nodes-only pass need not decode the rest). */
  stopAfterNodes?: boolean;
}

function unsortedError(filePath: string, nodeId: number): OsmFileError {
  return new OsmFileError(
    `${filePath} lists node ${nodeId} after ways or relations; the importer needs the usual order (nodes, ways, relations). Sort it with "osmium sort".`,
  );
}

/** The elements of one OSM file, in file order (nodes, ways, relations), in batches. */
export function readOsm(filePath: string, wanted: OsmReadOptions = { nodes: true, ways: true, relations: true }): AsyncGenerator<OsmElement[]> {
  const format = osmFormatOf(filePath);
  return format === 'pbf' ? readPbf(filePath, wanted) : readXml(filePath, format === 'xml.gz', wanted);
}

interface PbfItem {
  type: 'node' | 'way' | 'relation';
  id: number;
  lat?: number;
  lon?: number;
  tags: OsmTags;
  refs?: number[];
  members?: Array<{ type: string; id: number; role: string }>;
}

interface BlobParserState extends Transform {
  // osm-pbf-parser's BlobParser keeps the bytes of an unfinished blob here and the bytes it still
  // waits for in `_waiting` (4 between blobs). It has no end-of-stream check of its own: a file cut
  // off inside a blob would end silently with the blocks before the cut.
  _prev: Buffer | null;
  _mode: number;
  _waiting: number;
}

const require = createRequire(import.meta.url);
const osmPbf = require('osm-pbf-parser') as {
  BlobParser: new () => BlobParserState;
  BlobDecompressor: new () => Transform;
  PrimitivesParser: new () => Transform;
};

async function* readPbf(filePath: string, wanted: OsmReadOptions): AsyncGenerator<OsmElement[]> {
  const blobs = new osmPbf.BlobParser();
  const output = new PassThrough({ objectMode: true, highWaterMark: 2 });
  let failure: Error | null = null;
  pipeline(fs.createReadStream(filePath), blobs, new osmPbf.BlobDecompressor(), new osmPbf.PrimitivesParser(), output, (error) => {
    if (error) failure = error instanceof Error ? error : new Error(String(error));
  });
  let blocks = 0;
  let pastNodes = false;
  try {
    for await (const items of output as AsyncIterable<PbfItem[]>) {
      blocks += 1;
      const batch: OsmElement[] = [];
      for (const item of items) {
        if (item.type !== 'node' && !pastNodes) {
          pastNodes = true;
          if (wanted.stopAfterNodes) {
            if (batch.length > 0) yield batch;
            return;
          }
        }
        if (item.type === 'node') {
          if (pastNodes) throw unsortedError(filePath, item.id);
          // OSM stores 7 decimals; the block granularity arithmetic adds float noise beyond them.
          if (wanted.nodes) batch.push({ type: 'node', id: item.id, lat: roundOsm(item.lat!), lon: roundOsm(item.lon!), tags: item.tags });
        } else if (item.type === 'way') {
          if (wanted.ways) batch.push({ type: 'way', id: item.id, refs: item.refs ?? [], tags: item.tags });
        } else if (item.type === 'relation' && wanted.relations) {
          batch.push({
            type: 'relation',
            id: item.id,
            members: (item.members ?? []).map((member) => ({ type: member.type as OsmRelationMember['type'], id: member.id, role: member.role ?? '' })),
            tags: item.tags,
          });
        }
      }
      if (batch.length > 0) yield batch;
    }
  } catch (error) {
    if (error instanceof OsmFileError) throw error;
    throw new OsmFileError(`${filePath} is not a readable OSM PBF file: ${describe(error)}`);
  } finally {
    // A pass that ends early (stopAfterNodes, an error) closes the file.
    if (!output.readableEnded) output.destroy();
  }
  if (failure) throw new OsmFileError(`${filePath} is not a readable OSM PBF file: ${describe(failure)}`);
  const waitingForMore = (blobs._prev !== null && blobs._prev.length > 0) || blobs._waiting !== 4;
  if (waitingForMore) {
    throw new OsmFileError(`${filePath} is truncated: the file ends inside a data block (after ${blocks} complete block(s)). Download it again.`);
  }
  if (blocks === 0) throw new OsmFileError(`${filePath} holds no OSM data blocks.`);
}

function roundOsm(value: number): number {
  return Math.round(value * 1e7) / 1e7;
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

async function* readXml(filePath: string, gzipped: boolean, wanted: OsmReadOptions): AsyncGenerator<OsmElement[]> {
  const parser = new SaxesParser();
  let batch: OsmElement[] = [];
  let current: OsmElement | null = null;
  let sawRoot = false;
  let pastNodes = false;
  let stopped = false;
  parser.on('opentag', (tag) => {
    const attributes = tag.attributes as Record<string, string>;
    if (stopped) return;
    if ((tag.name === 'way' || tag.name === 'relation') && !pastNodes) {
      pastNodes = true;
      if (wanted.stopAfterNodes) {
        stopped = true;
        return;
      }
    }
    switch (tag.name) {
      case 'osm':
        sawRoot = true;
        break;
      case 'node':
        if (pastNodes) throw unsortedError(filePath, Number(attributes.id));
        current = { type: 'node', id: Number(attributes.id), lat: Number(attributes.lat), lon: Number(attributes.lon), tags: {} };
        break;
      case 'way':
        current = { type: 'way', id: Number(attributes.id), refs: [], tags: {} };
        break;
      case 'relation':
        current = { type: 'relation', id: Number(attributes.id), members: [], tags: {} };
        break;
      case 'tag':
        if (current && attributes.k !== undefined) current.tags[attributes.k] = attributes.v ?? '';
        break;
      case 'nd':
        if (current?.type === 'way') current.refs.push(Number(attributes.ref));
        break;
      case 'member':
        if (current?.type === 'relation') {
          current.members.push({ type: attributes.type as OsmRelationMember['type'], id: Number(attributes.ref), role: attributes.role ?? '' });
        }
        break;
      default:
        break;
    }
  });
  parser.on('closetag', (tag) => {
    if (current && tag.name === current.type) {
      const keep = current.type === 'node' ? wanted.nodes : current.type === 'way' ? wanted.ways : wanted.relations;
      if (keep) batch.push(current);
      current = null;
    }
  });
  const input = fs.createReadStream(filePath);
  const stream = gzipped ? input.pipe(zlib.createGunzip()) : input;
  input.on('error', (error) => stream.destroy(error));
  // A multi-byte character may straddle two chunks: the stream's decoder joins it.
  stream.setEncoding('utf8');
  try {
    for await (const chunk of stream as AsyncIterable<string>) {
      parser.write(chunk);
      if (batch.length > 0) {
        const full = batch;
        batch = [];
        yield full;
      }
      if (stopped) return;
    }
    parser.close();
  } catch (error) {
    if (error instanceof OsmFileError) throw error;
    throw new OsmFileError(`${filePath} is not a readable OSM XML file: ${describe(error)}`);
  } finally {
    input.destroy();
  }
  if (!sawRoot) throw new OsmFileError(`${filePath} is not an OSM XML file (no <osm> element).`);
  if (batch.length > 0) yield batch;
}
