import type { OpeningSummary, SearchResponse, SearchResult } from './search.schema.ts';

// The JSON of a search answer, written from parts that are kept between requests.
//
// A search answer is ≈ 18 kB for 20 results, and `JSON.stringify` of it cost as much CPU as the
// index query and the walking distances together (docs/benchmarks.md). Most of a result does not
// depend on the request: name, summary, address, type, costs, languages and terms are the offer's,
// only the distances and the opening state are the request's. So the offer's parts are serialized
// once per index row (as search engines return a stored source) and joined with the request's
// parts per answer. The objects stay the truth: every part is written by `JSON.stringify` from the
// result object itself, and tests compare the bytes with `JSON.stringify(response)`.

/** The result fields that depend on the request, in the order `SearchResult` declares them. */
const requestFields = ['distanceMeters', 'walkingDistanceMeters', 'walkingDistanceMethod', 'walkingMinutes', 'opening'] as const;
export type RequestFields = Pick<SearchResult, (typeof requestFields)[number]>;

/** UTF-8 JSON of a result before and after its request fields. */
export interface ResultJsonParts {
  /** `{"id":…,"lat":…,` — the fields before `distanceMeters` with the comma after them. */
  head: Buffer;
  /** `,"costKind":…}` — the comma and the fields after `opening`. */
  tail: Buffer;
}

/** The parts of a result object: fields before the request fields go to the head, after to the tail. */
export function resultJsonParts(result: SearchResult): ResultJsonParts {
  const head: Record<string, unknown> = {};
  const tail: Record<string, unknown> = {};
  let target = head;
  for (const [key, value] of Object.entries(result)) {
    if ((requestFields as readonly string[]).includes(key)) {
      target = tail;
      continue;
    }
    target[key] = value;
  }
  const headText = JSON.stringify(head);
  const tailText = JSON.stringify(tail);
  return {
    head: Buffer.from(headText === '{}' ? '{' : `${headText.slice(0, -1)},`, 'utf8'),
    tail: Buffer.from(tailText === '{}' ? '}' : `,${tailText.slice(1)}`, 'utf8'),
  };
}

const ascii = (text: string) => Buffer.from(text, 'latin1');
// The request's fields between the parts, in the order of `requestFields`.
const distanceKey = ascii('"distanceMeters":');
const walkingKey = ascii(',"walkingDistanceMeters":');
const methodKey = ascii(',"walkingDistanceMethod":');
const minutesKey = ascii(',"walkingMinutes":');
const openingKey = ascii(',"opening":');
const keysLength = distanceKey.length + walkingKey.length + methodKey.length + minutesKey.length + openingKey.length;
const nullText = ascii('null');

/** Bytes of a number's JSON: a whole number ≥ 0 by its digits, anything else as JSON.stringify. */
function numberLength(value: number | null): number {
  if (value === null) return nullText.length;
  if (!Number.isSafeInteger(value) || value < 0) return Buffer.byteLength(JSON.stringify(value));
  let digits = 1;
  for (let rest = value; rest >= 10; rest = Math.floor(rest / 10)) digits += 1;
  return digits;
}

/** Writes a number's JSON at `offset` without making a string for it; returns the new offset. */
function writeNumber(body: Buffer, offset: number, value: number | null): number {
  if (value === null) {
    body.set(nullText, offset);
    return offset + nullText.length;
  }
  if (!Number.isSafeInteger(value) || value < 0) return offset + body.write(JSON.stringify(value), offset);
  const end = offset + numberLength(value);
  let rest = value;
  for (let position = end - 1; position >= offset; position -= 1) {
    body[position] = 0x30 + (rest % 10);
    rest = Math.floor(rest / 10);
  }
  return end;
}

/** JSON of each walking-distance method (a handful of values). */
const methodJson = new Map<string | null, Buffer>();
function methodBytes(method: RequestFields['walkingDistanceMethod']): Buffer {
  let bytes = methodJson.get(method);
  if (!bytes) {
    bytes = Buffer.from(JSON.stringify(method), 'utf8');
    methodJson.set(method, bytes);
  }
  return bytes;
}

/**
 * The same bytes as `JSON.stringify({ ...envelope, results })` in UTF-8, where each result is its
 * request `fields` between the `parts` written by `resultJsonParts` from it (or from a result equal
 * in everything else). The parts are copied as bytes, the request's numbers written as digits: no
 * string is made per result, and nothing is encoded twice.
 */
export function searchResponseBody(
  envelope: Omit<SearchResponse, 'results'>,
  results: ReadonlyArray<{ fields: RequestFields; parts: ResultJsonParts }>,
): Buffer {
  const start = Buffer.from(`${JSON.stringify(envelope).slice(0, -1)},"results":[`, 'utf8');
  // Results of one answer share few opening states.
  const openings = new Map<OpeningSummary, Buffer>();
  let size = start.length + 2 + Math.max(0, results.length - 1);
  for (const { fields, parts } of results) {
    let opening = openings.get(fields.opening);
    if (opening === undefined) {
      opening = Buffer.from(JSON.stringify(fields.opening), 'utf8');
      openings.set(fields.opening, opening);
    }
    size +=
      parts.head.length +
      keysLength +
      numberLength(fields.distanceMeters) +
      numberLength(fields.walkingDistanceMeters) +
      methodBytes(fields.walkingDistanceMethod).length +
      numberLength(fields.walkingMinutes) +
      opening.length +
      parts.tail.length;
  }
  const body = Buffer.allocUnsafe(size);
  const put = (bytes: Uint8Array, offset: number): number => {
    body.set(bytes, offset);
    return offset + bytes.length;
  };
  let offset = put(start, 0);
  results.forEach(({ fields, parts }, index) => {
    if (index > 0) offset = body.writeUInt8(0x2c, offset); // ","
    offset = put(parts.head, offset);
    offset = writeNumber(body, put(distanceKey, offset), fields.distanceMeters);
    offset = writeNumber(body, put(walkingKey, offset), fields.walkingDistanceMeters);
    offset = put(methodBytes(fields.walkingDistanceMethod), put(methodKey, offset));
    offset = writeNumber(body, put(minutesKey, offset), fields.walkingMinutes);
    offset = put(openings.get(fields.opening)!, put(openingKey, offset));
    offset = put(parts.tail, offset);
  });
  offset += body.write(']}', offset);
  if (offset !== size) throw new Error(`search answer: ${offset} bytes written, ${size} expected`);
  return body;
}
