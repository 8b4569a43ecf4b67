import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

// Issue 10: every problem `code` the server can answer is documented in docs/errors.md. The codes
// are read from the source: each `new AppError(...)` and subclass call, with the code at the
// argument position its constructor takes it (or the constructor's default when left out).

const root = join(import.meta.dirname, '..', '..');

/** The error classes of server/http/errors.ts: where their code argument stands, and its default. */
const constructors: Record<string, { index: number; fallback?: string }> = {
  AppError: { index: 0 },
  NotFoundError: { index: 1, fallback: 'not_found' },
  ValidationError: { index: 2, fallback: 'validation_failed' },
  UnauthorizedError: { index: 1, fallback: 'unauthenticated' },
  ForbiddenError: { index: 1, fallback: 'forbidden' },
  ConflictError: { index: 1, fallback: 'conflict' },
  PreconditionFailedError: { index: 2, fallback: 'version_mismatch' },
  ServiceUnavailableError: { index: 1, fallback: 'service_unavailable' },
};

/**
 * Files with calls whose code is not a literal, each with the reason; `passedThrough` reads the
 * codes they can pass. A new non-literal code must be added here with a reason.
 */
const dynamicCodes: Record<string, string> = {
  'server/http/localized-validation.ts': "bilingualValidationError passes its caller's code; the calls are read like constructors (bilingualCalls)",
  'server/http/pg-errors.ts': 'a table from PostgreSQL SQLSTATE and system error to code (operationalFailures)',
  'server/offers/offers-bulk.service.ts': 'a refused bulk publish answers with the gravest refusal code (statusOfRefusal)',
};

/** Functions that build an error of the family with the code their caller gives (index) or their default. */
const bilingualCalls: Record<string, { index: number; fallback: string }> = {
  bilingualValidationError: { index: 1, fallback: 'validation_failed' },
};

function sourceFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

interface Found {
  codes: Map<string, string[]>;
  dynamic: Map<string, number>;
  /** Codes of field errors: `{ field, code: '…' }` and the keys of zod custom checks (`params: { key: '…' }`). */
  fieldCodes: Map<string, string[]>;
}

function stringProperty(node: ts.ObjectLiteralExpression, name: string): string | undefined {
  for (const property of node.properties) {
    if (ts.isPropertyAssignment(property) && ts.isIdentifier(property.name) && property.name.text === name && ts.isStringLiteral(property.initializer)) {
      return property.initializer.text;
    }
  }
  return undefined;
}

function hasProperty(node: ts.ObjectLiteralExpression, name: string): boolean {
  return node.properties.some((property) => property.name !== undefined && ts.isIdentifier(property.name) && property.name.text === name);
}

function collectCodes(): Found {
  const found: Found = { codes: new Map(), dynamic: new Map(), fieldCodes: new Map() };
  const add = (code: string, where: string) => found.codes.set(code, [...(found.codes.get(code) ?? []), where]);
  const addField = (code: string, where: string) => found.fieldCodes.set(code, [...(found.fieldCodes.get(code) ?? []), where]);
  for (const file of sourceFiles(join(root, 'server'))) {
    const name = relative(root, file);
    const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
    const visit = (node: ts.Node): void => {
      const built =
        (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && constructors[node.expression.text]) ||
        (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && bilingualCalls[node.expression.text]);
      if (built && (ts.isNewExpression(node) || ts.isCallExpression(node)) && ts.isIdentifier(node.expression)) {
        const { index, fallback } = constructors[node.expression.text] ?? bilingualCalls[node.expression.text]!;
        const argument = node.arguments?.[index];
        const where = `${name}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
        if (argument === undefined) {
          if (fallback) add(fallback, where);
        } else if (ts.isStringLiteral(argument) || ts.isNoSubstitutionTemplateLiteral(argument)) {
          add(argument.text, where);
        } else {
          found.dynamic.set(name, (found.dynamic.get(name) ?? 0) + 1);
        }
      }
      if (ts.isObjectLiteralExpression(node)) {
        const where = `${name}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
        const code = stringProperty(node, 'code');
        if (code !== undefined && hasProperty(node, 'field')) addField(code, where);
        const parent = node.parent;
        const key = stringProperty(node, 'key');
        if (key !== undefined && ts.isPropertyAssignment(parent) && ts.isIdentifier(parent.name) && parent.name.text === 'params') addField(key, where);
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return found;
}

/** The codes the calls of `dynamicCodes` pass: the `code: '…'` of pg-errors' table, the keys of statusOfRefusal. */
function passedThrough(): string[] {
  const pg = /const operationalFailures[^=]*=\s*\{([\s\S]*?)\n\};/.exec(readFileSync(join(root, 'server/http/pg-errors.ts'), 'utf8'))?.[1] ?? '';
  const bulk = readFileSync(join(root, 'server/offers/offers-bulk.service.ts'), 'utf8');
  const refusals = /const statusOfRefusal[^{]*\{([^}]*)\}/.exec(bulk)?.[1] ?? '';
  const codes = [...[...pg.matchAll(/code: '([a-z_]+)'/g)].map((match) => match[1]!), ...[...refusals.matchAll(/([a-z_]+):/g)].map((match) => match[1]!)];
  expect(codes.length).toBeGreaterThan(5);
  return codes;
}

/** Field codes are documented where docs/errors.md names them in backticks. */
function namedCodes(): Set<string> {
  const text = readFileSync(join(root, 'docs/errors.md'), 'utf8');
  return new Set([...text.matchAll(/`([a-z][a-z0-9_]*)`/g)].map((match) => match[1]!));
}

/** A code is documented where docs/errors.md holds its anchor: the problem's `type` links to it. */
function documentedCodes(): Set<string> {
  const text = readFileSync(join(root, 'docs/errors.md'), 'utf8');
  return new Set([...text.matchAll(/<a id="([a-z0-9_]+)"><\/a>/g)].map((match) => match[1]!));
}

describe('docs/errors.md', () => {
  const found = collectCodes();

  it('finds the error codes in the source (the collector works)', () => {
    expect(found.codes.size).toBeGreaterThan(40);
    for (const code of ['validation_failed', 'not_found', 'route_not_found', 'offer_not_found', 'collection_not_found', 'server_busy']) {
      expect([...found.codes.keys()]).toContain(code);
    }
  });

  it('documents every problem code the server can answer', () => {
    const documented = documentedCodes();
    const missing = [...found.codes.entries()]
      .filter(([code]) => !documented.has(code))
      .map(([code, places]) => `${code} (${places.join(', ')})`);
    const missingPassedThrough = passedThrough().filter((code) => !documented.has(code));
    expect(missing, 'add these codes to docs/errors.md, each with <a id="code"></a>').toEqual([]);
    expect(missingPassedThrough, 'add these codes of server/http/pg-errors.ts to docs/errors.md').toEqual([]);
  });

  it('documents every field error code (errors[].code) the server can answer', () => {
    expect(found.fieldCodes.size).toBeGreaterThan(20);
    const named = namedCodes();
    const missing = [...found.fieldCodes.entries()]
      .filter(([code]) => !named.has(code))
      .map(([code, places]) => `${code} (${places.join(', ')})`);
    expect(missing, 'name these field codes in docs/errors.md').toEqual([]);
  });

  it('knows why each error code that is not a literal is computed', () => {
    expect([...found.dynamic.keys()].sort()).toEqual(Object.keys(dynamicCodes).sort());
  });
});
