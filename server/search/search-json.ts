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

function numberOrNull(value: number | null): string {
  return value === null ? 'null' : JSON.stringify(value);
}

/**
 * The same bytes as `JSON.stringify({ ...envelope, results })` in UTF-8, where each result is its
 * request `fields` between the `parts` written by `resultJsonParts` from it (or from a result equal
 * in everything else). The parts are copied as bytes: neither joined into one string nor encoded
 * again.
 */
export function searchResponseBody(
  envelope: Omit<SearchResponse, 'results'>,
  results: ReadonlyArray<{ fields: RequestFields; parts: ResultJsonParts }>,
): Buffer {
  const start = `${JSON.stringify(envelope).slice(0, -1)},"results":[`;
  // Results of one answer share few opening states.
  const openings = new Map<OpeningSummary, string>();
  let size = Buffer.byteLength(start) + 2 + Math.max(0, results.length - 1);
  const middles = results.map(({ fields, parts }) => {
    let opening = openings.get(fields.opening);
    if (opening === undefined) {
      opening = JSON.stringify(fields.opening);
      openings.set(fields.opening, opening);
    }
    const middle =
      `"distanceMeters":${numberOrNull(fields.distanceMeters)}` +
      `,"walkingDistanceMeters":${numberOrNull(fields.walkingDistanceMeters)}` +
      `,"walkingDistanceMethod":${fields.walkingDistanceMethod === null ? 'null' : JSON.stringify(fields.walkingDistanceMethod)}` +
      `,"walkingMinutes":${numberOrNull(fields.walkingMinutes)},"opening":${opening}`;
    size += parts.head.length + Buffer.byteLength(middle) + parts.tail.length;
    return middle;
  });
  const body = Buffer.allocUnsafe(size);
  let offset = body.write(start, 0);
  results.forEach(({ parts }, index) => {
    if (index > 0) offset = body.writeUInt8(0x2c, offset); // ","
    body.set(parts.head, offset);
    offset += parts.head.length;
    offset += body.write(middles[index]!, offset);
    body.set(parts.tail, offset);
    offset += parts.tail.length;
  });
  offset += body.write(']}', offset);
  if (offset !== size) throw new Error(`search answer: ${offset} bytes written, ${size} expected`);
  return body;
}
