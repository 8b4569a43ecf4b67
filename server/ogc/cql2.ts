import { wktToGeoJSON } from '@terraformer/wkt';
import { fillMessage } from '../http/localized-validation.ts';
import { cql2Messages, type Cql2MessageKey } from './ogc.messages.ts';

/**
 * CQL2 text (OGC 21-065) as far as OGC API – Features Part 3 "basic CQL2" goes, plus the
 * advanced comparison operators (LIKE, BETWEEN, IN) and S_INTERSECTS: a small recursive-descent
 * parser into a tree that the repository turns into bound SQL. No text of the filter ever
 * reaches SQL: property names are looked up in the collection's queryables, literals are bound.
 */

export type Cql2Literal =
  | { kind: 'string'; value: string }
  | { kind: 'number'; value: number }
  | { kind: 'boolean'; value: boolean }
  | { kind: 'date'; value: string }
  | { kind: 'timestamp'; value: string };

export type Cql2Scalar = Cql2Literal | { kind: 'property'; name: string };

export type ComparisonOperator = '=' | '<>' | '<' | '>' | '<=' | '>=';

export type Cql2Expression =
  | { kind: 'and'; operands: Cql2Expression[] }
  | { kind: 'or'; operands: Cql2Expression[] }
  | { kind: 'not'; operand: Cql2Expression }
  | { kind: 'comparison'; operator: ComparisonOperator; left: Cql2Scalar; right: Cql2Scalar }
  | { kind: 'isNull'; property: string; negated: boolean }
  | { kind: 'like'; property: string; pattern: string; negated: boolean }
  | { kind: 'between'; property: string; low: Cql2Literal; high: Cql2Literal; negated: boolean }
  | { kind: 'in'; property: string; values: Cql2Literal[]; negated: boolean }
  | { kind: 'intersects'; property: string; geometry: GeoJSON.Geometry }
  | { kind: 'literal'; value: boolean };

/**
 * A filter that cannot be read; `position` is the character where reading stopped. `key` and
 * `params` name the reason in cql2Messages (German and English); the message is the English one.
 */
export class Cql2SyntaxError extends Error {
  constructor(
    readonly key: Cql2MessageKey,
    readonly position: number,
    readonly params: Record<string, unknown> = {},
  ) {
    super(fillMessage(cql2Messages[key], 'en', params));
    this.name = 'Cql2SyntaxError';
  }
}

/** A token's text for a message, or "the end" in the message's language. */
function found(token: { text: string }): unknown {
  return token.text || cql2Messages.the_end;
}

type Token =
  | { type: 'word'; text: string; position: number }
  | { type: 'quoted'; text: string; position: number }
  | { type: 'string'; text: string; position: number }
  | { type: 'number'; text: string; position: number }
  | { type: 'symbol'; text: string; position: number }
  | { type: 'end'; text: ''; position: number };

const symbols = ['<=', '>=', '<>', '=', '<', '>', '(', ')', ','];
const maxFilterLength = 10_000;
const maxDepth = 40;

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let index = 0;
  while (index < text.length) {
    const character = text[index]!;
    if (/\s/.test(character)) {
      index += 1;
      continue;
    }
    const start = index;
    if (character === "'") {
      let value = '';
      index += 1;
      for (;;) {
        if (index >= text.length) throw new Cql2SyntaxError('unclosed_text', start);
        if (text[index] === "'") {
          if (text[index + 1] === "'") {
            value += "'";
            index += 2;
            continue;
          }
          index += 1;
          break;
        }
        value += text[index];
        index += 1;
      }
      tokens.push({ type: 'string', text: value, position: start });
      continue;
    }
    if (character === '"') {
      const end = text.indexOf('"', index + 1);
      if (end < 0) throw new Cql2SyntaxError('unclosed_name', start);
      tokens.push({ type: 'quoted', text: text.slice(index + 1, end), position: start });
      index = end + 1;
      continue;
    }
    const number = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?/.exec(text.slice(index));
    const previous = tokens.at(-1);
    const signAllowed = !previous || previous.type === 'symbol' || previous.type === 'word';
    if (number && (/[\d.]/.test(character) || signAllowed)) {
      tokens.push({ type: 'number', text: number[0], position: start });
      index += number[0].length;
      continue;
    }
    const symbol = symbols.find((candidate) => text.startsWith(candidate, index));
    if (symbol) {
      tokens.push({ type: 'symbol', text: symbol, position: start });
      index += symbol.length;
      continue;
    }
    const word = /^[A-Za-z_][A-Za-z0-9_.:]*/.exec(text.slice(index));
    if (word) {
      tokens.push({ type: 'word', text: word[0], position: start });
      index += word[0].length;
      continue;
    }
    throw new Cql2SyntaxError('unexpected_character', start, { character });
  }
  tokens.push({ type: 'end', text: '', position: text.length });
  return tokens;
}

const geometryWords = new Set(['POINT', 'LINESTRING', 'POLYGON', 'MULTIPOINT', 'MULTILINESTRING', 'MULTIPOLYGON', 'GEOMETRYCOLLECTION']);
const comparisonOperators = new Set<string>(['=', '<>', '<', '>', '<=', '>=']);

class Parser {
  private index = 0;
  private depth = 0;

  constructor(
    private readonly tokens: Token[],
    private readonly source: string,
  ) {}

  parse(): Cql2Expression {
    const expression = this.orExpression();
    const next = this.peek();
    if (next.type !== 'end') throw new Cql2SyntaxError('unexpected', next.position, { text: next.text });
    return expression;
  }

  private peek(): Token {
    return this.tokens[this.index]!;
  }

  private next(): Token {
    const token = this.tokens[this.index]!;
    if (token.type !== 'end') this.index += 1;
    return token;
  }

  private isWord(text: string, offset = 0): boolean {
    const token = this.tokens[this.index + offset];
    return token?.type === 'word' && token.text.toUpperCase() === text;
  }

  private expectSymbol(text: string): void {
    const token = this.next();
    if (token.type !== 'symbol' || token.text !== text) {
      throw new Cql2SyntaxError('expected_symbol', token.position, { expected: text, found: found(token) });
    }
  }

  private expectWord(text: string): void {
    const token = this.next();
    if (token.type !== 'word' || token.text.toUpperCase() !== text) {
      throw new Cql2SyntaxError('expected_word', token.position, { expected: text, found: found(token) });
    }
  }

  private orExpression(): Cql2Expression {
    const operands = [this.andExpression()];
    while (this.isWord('OR')) {
      this.next();
      operands.push(this.andExpression());
    }
    return operands.length === 1 ? operands[0]! : { kind: 'or', operands };
  }

  private andExpression(): Cql2Expression {
    const operands = [this.notExpression()];
    while (this.isWord('AND')) {
      this.next();
      operands.push(this.notExpression());
    }
    return operands.length === 1 ? operands[0]! : { kind: 'and', operands };
  }

  private notExpression(): Cql2Expression {
    if (this.isWord('NOT')) {
      this.next();
      return { kind: 'not', operand: this.notExpression() };
    }
    return this.primary();
  }

  private primary(): Cql2Expression {
    const token = this.peek();
    if (token.type === 'symbol' && token.text === '(') {
      this.depth += 1;
      if (this.depth > maxDepth) throw new Cql2SyntaxError('too_deep', token.position, { max: maxDepth });
      this.next();
      const inner = this.orExpression();
      this.expectSymbol(')');
      this.depth -= 1;
      return inner;
    }
    if (token.type === 'word' && token.text.toUpperCase() === 'S_INTERSECTS') return this.intersects();
    if (token.type === 'word' && ['TRUE', 'FALSE'].includes(token.text.toUpperCase()) && this.tokens[this.index + 1]?.type === 'end') {
      this.next();
      return { kind: 'literal', value: token.text.toUpperCase() === 'TRUE' };
    }
    return this.predicate();
  }

  private predicate(): Cql2Expression {
    const left = this.scalar();
    const token = this.peek();
    if (token.type === 'symbol' && comparisonOperators.has(token.text)) {
      this.next();
      const right = this.scalar();
      return { kind: 'comparison', operator: token.text as ComparisonOperator, left, right };
    }
    if (left.kind !== 'property') {
      throw new Cql2SyntaxError('comparison_after_value', token.position, { found: found(token) });
    }
    const property = left.name;
    if (this.isWord('IS')) {
      this.next();
      const negated = this.isWord('NOT');
      if (negated) this.next();
      this.expectWord('NULL');
      return { kind: 'isNull', property, negated };
    }
    const negated = this.isWord('NOT');
    if (negated) this.next();
    if (this.isWord('LIKE')) {
      this.next();
      const pattern = this.literal();
      if (pattern.kind !== 'string') throw new Cql2SyntaxError('like_needs_text', token.position);
      return { kind: 'like', property, pattern: pattern.value, negated };
    }
    if (this.isWord('BETWEEN')) {
      this.next();
      const low = this.literal();
      this.expectWord('AND');
      const high = this.literal();
      return { kind: 'between', property, low, high, negated };
    }
    if (this.isWord('IN')) {
      this.next();
      this.expectSymbol('(');
      const values = [this.literal()];
      while (this.peek().type === 'symbol' && this.peek().text === ',') {
        this.next();
        values.push(this.literal());
      }
      this.expectSymbol(')');
      return { kind: 'in', property, values, negated };
    }
    throw new Cql2SyntaxError('comparison_after_property', this.peek().position, { property });
  }

  private intersects(): Cql2Expression {
    this.next();
    this.expectSymbol('(');
    const first = this.next();
    if (first.type !== 'word' && first.type !== 'quoted') {
      throw new Cql2SyntaxError('intersects_property_first', first.position);
    }
    this.expectSymbol(',');
    const geometry = this.geometryLiteral();
    this.expectSymbol(')');
    return { kind: 'intersects', property: first.text, geometry };
  }

  private geometryLiteral(): GeoJSON.Geometry {
    const start = this.peek();
    if (start.type !== 'word') throw new Cql2SyntaxError('geometry_expected', start.position);
    const word = start.text.toUpperCase();
    if (word === 'BBOX' || word === 'ENVELOPE') {
      this.next();
      this.expectSymbol('(');
      const values: number[] = [];
      for (;;) {
        const token = this.next();
        if (token.type !== 'number') throw new Cql2SyntaxError('bbox_four_numbers', token.position);
        values.push(Number(token.text));
        const separator = this.next();
        if (separator.type === 'symbol' && separator.text === ')') break;
        if (separator.type !== 'symbol' || separator.text !== ',') throw new Cql2SyntaxError('bbox_commas', separator.position);
      }
      if (values.length !== 4) throw new Cql2SyntaxError('bbox_four_numbers', start.position);
      const [west, south, east, north] = values as [number, number, number, number];
      return {
        type: 'Polygon',
        coordinates: [[[west, south], [east, south], [east, north], [west, north], [west, south]]],
      };
    }
    if (!geometryWords.has(word)) throw new Cql2SyntaxError('unknown_geometry', start.position, { name: start.text });
    // The WKT text runs to the parenthesis that closes the geometry.
    let depth = 0;
    let end = start.position;
    this.next();
    for (;;) {
      const token = this.peek();
      if (token.type === 'end') throw new Cql2SyntaxError('geometry_not_closed', token.position);
      if (token.type === 'symbol' && token.text === '(') depth += 1;
      if (token.type === 'symbol' && token.text === ')') {
        if (depth === 0) break;
        depth -= 1;
        if (depth === 0) {
          end = token.position + 1;
          this.next();
          break;
        }
      }
      this.next();
    }
    const wkt = this.source.slice(start.position, end);
    try {
      return wktToGeoJSON(wkt) as GeoJSON.Geometry;
    } catch {
      throw new Cql2SyntaxError('invalid_wkt', start.position, { wkt: wkt.slice(0, 80) });
    }
  }

  private scalar(): Cql2Scalar {
    const token = this.peek();
    if (token.type === 'quoted') {
      this.next();
      return { kind: 'property', name: token.text };
    }
    if (token.type === 'word' && !['TRUE', 'FALSE', 'DATE', 'TIMESTAMP'].includes(token.text.toUpperCase())) {
      this.next();
      return { kind: 'property', name: token.text };
    }
    return this.literal();
  }

  private literal(): Cql2Literal {
    const token = this.next();
    if (token.type === 'string') return { kind: 'string', value: token.text };
    if (token.type === 'number') return { kind: 'number', value: Number(token.text) };
    if (token.type === 'word') {
      const word = token.text.toUpperCase();
      if (word === 'TRUE' || word === 'FALSE') return { kind: 'boolean', value: word === 'TRUE' };
      if (word === 'DATE' || word === 'TIMESTAMP') {
        this.expectSymbol('(');
        const value = this.next();
        if (value.type !== 'string') throw new Cql2SyntaxError('literal_needs_text', value.position, { word });
        this.expectSymbol(')');
        const valid = word === 'DATE' ? /^\d{4}-\d{2}-\d{2}$/.test(value.text) : !Number.isNaN(Date.parse(value.text));
        if (!valid || Number.isNaN(Date.parse(value.text))) {
          throw new Cql2SyntaxError(word === 'DATE' ? 'invalid_date' : 'invalid_timestamp', value.position, { value: value.text });
        }
        return word === 'DATE' ? { kind: 'date', value: value.text } : { kind: 'timestamp', value: new Date(value.text).toISOString() };
      }
    }
    throw new Cql2SyntaxError('value_expected', token.position, { found: found(token) });
  }
}

export function parseCql2Text(text: string): Cql2Expression {
  if (text.length > maxFilterLength) throw new Cql2SyntaxError('too_long', maxFilterLength, { max: maxFilterLength });
  if (text.trim() === '') throw new Cql2SyntaxError('empty', 0);
  return new Parser(tokenize(text), text).parse();
}

/** Every property name the expression refers to, for checking against the queryables. */
export function propertiesOf(expression: Cql2Expression): string[] {
  switch (expression.kind) {
    case 'and':
    case 'or':
      return expression.operands.flatMap(propertiesOf);
    case 'not':
      return propertiesOf(expression.operand);
    case 'comparison':
      return [expression.left, expression.right].flatMap((side) => (side.kind === 'property' ? [side.name] : []));
    case 'literal':
      return [];
    default:
      return [expression.property];
  }
}
