import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

// Issue 10: routes parse (parseRequest / parseLocalized, with the request's language); services take
// the typed result and never parse a request's `unknown` themselves. Parsing that is no request
// input — a file's content, a stored snapshot, an id's shape — is allowed where the reason is given.

const root = join(import.meta.dirname, '..', '..');

/** `file: pattern` → why this service parses. */
const allowed: Record<string, string> = {
  'server/offers/offers.service.ts: parseLocalized(': 'restoring an earlier version parses its stored snapshot like a new offer (docs/architecture.md)',
  'server/offers/offers.service.ts: .safeParse(': 'an id that is no UUID is a 404, not a 400 (no database round trip)',
  'server/offers/offers-files.service.ts: .safeParse(': 'each record of an uploaded file is checked like a new offer (file content, not parameters)',
  'server/offers/offers-files.service.ts: localizedErrorMap(': 'the messages of those file records, in the uploader\'s language',
  'server/auth/accounts.service.ts: .safeParse(': 'an id that is no UUID is a 404 (user_not_found, session_not_found)',
  'server/hsds/hsds.service.ts: .safeParse(': 'checks a value it builds itself (a location id) against the offers list schema',
  'server/imports/imports.service.ts: .safeParse(': 'a mapping file read from disk (CLI import), not a request',
  'server/imports/osm-import.service.ts: .safeParse(': 'an OSM mapping file read from disk (CLI import), not a request',
};

const patterns = ['parseRequest(', 'parseLocalized(', 'parseInput(', '.safeParse(', 'localizedErrorMap(', 'Schema.parse('];

function serviceFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return serviceFiles(path);
    return entry.name.endsWith('.service.ts') ? [path] : [];
  });
}

describe('services take typed input', () => {
  const files = serviceFiles(join(root, 'server'));

  it('reads the service files', () => {
    expect(files.length).toBeGreaterThan(20);
  });

  it('parse no request input themselves (beyond the allow-list with reasons)', () => {
    const found: string[] = [];
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      for (const pattern of patterns) {
        if (text.includes(pattern)) found.push(`${relative(root, file)}: ${pattern}`);
      }
    }
    const unexplained = found.filter((entry) => !(entry in allowed));
    expect(unexplained, 'parse in the route (parseRequest) and pass the typed result, or add a reason here').toEqual([]);
    const stale = Object.keys(allowed).filter((entry) => !found.includes(entry));
    expect(stale, 'these allowed entries no longer occur; remove them').toEqual([]);
  });

  it('declare no method that takes a request query or body as unknown', () => {
    const untyped: string[] = [];
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      for (const match of text.matchAll(/\b(query|input|raw|params)\??: unknown\b/g)) {
        untyped.push(`${relative(root, file)}: ${match[0]}`);
      }
    }
    expect(untyped).toEqual([]);
  });
});
