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
 * The same bytes as `JSON.stringify(response)` in UTF-8 (`results` is the answer's last field).
 * `parts[i]`, where given, are the parts of `response.results[i]`, written by `resultJsonParts`
 * from it or from an equal result; missing ones are written here. The offer's parts are copied as
 * bytes: neither joined into one string nor encoded again.
 */
export function searchResponseBody(response: SearchResponse, parts: ReadonlyArray<ResultJsonParts | undefined>): Buffer {
  const { results, ...rest } = response;
  const start = `${JSON.stringify(rest).slice(0, -1)},"results":[`;
  // Results of one answer share few opening states.
  const openings = new Map<OpeningSummary, string>();
  let size = Buffer.byteLength(start) + 2 + Math.max(0, results.length - 1);
  const own: ResultJsonParts[] = [];
  const middles = results.map((result, index) => {
    let opening = openings.get(result.opening);
    if (opening === undefined) {
      opening = JSON.stringify(result.opening);
      openings.set(result.opening, opening);
    }
    const middle =
      `"distanceMeters":${numberOrNull(result.distanceMeters)}` +
      `,"walkingDistanceMeters":${numberOrNull(result.walkingDistanceMeters)}` +
      `,"walkingDistanceMethod":${result.walkingDistanceMethod === null ? 'null' : JSON.stringify(result.walkingDistanceMethod)}` +
      `,"walkingMinutes":${numberOrNull(result.walkingMinutes)},"opening":${opening}`;
    const known = parts[index] ?? resultJsonParts(result);
    own.push(known);
    size += known.head.length + Buffer.byteLength(middle) + known.tail.length;
    return middle;
  });
  const body = Buffer.allocUnsafe(size);
  let offset = body.write(start, 0);
  middles.forEach((middle, index) => {
    if (index > 0) offset = body.writeUInt8(0x2c, offset); // ","
    body.set(own[index]!.head, offset);
    offset += own[index]!.head.length;
    offset += body.write(middle, offset);
    body.set(own[index]!.tail, offset);
    offset += own[index]!.tail.length;
  });
  offset += body.write(']}', offset);
  if (offset !== size) throw new Error(`search answer: ${offset} bytes written, ${size} expected`);
  return body;
}
