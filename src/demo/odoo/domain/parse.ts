import { OdooException, typeError, valueError } from '../errors.js';
import { type FieldSpec, isRelational, isSearchable } from '../orm/fields.js';
import type { DemoDatabase, ModelTable } from '../orm/database.js';
import { pyRepr, pyTypeName } from '../python.js';
import { majorOf, type OdooSeries } from '../version.js';

/** The operators a domain leaf may use, after lower-casing and mapping `<>` to `!=`. */
export const TERM_OPERATORS: ReadonlySet<string> = new Set([
  '=',
  '!=',
  '<=',
  '<',
  '>',
  '>=',
  '=?',
  '=like',
  '=ilike',
  'like',
  'not like',
  'ilike',
  'not ilike',
  'in',
  'not in',
  'child_of',
  'parent_of',
  'any',
  'not any',
]);

const ARITY: Record<string, number> = { '!': 1, '&': 2, '|': 2 };

/** A domain as a tree, each leaf resolved against its model's fields. */
export type DomainNode =
  | { kind: 'true' }
  | { kind: 'false' }
  | { kind: 'not'; child: DomainNode }
  | { kind: 'and' | 'or'; left: DomainNode; right: DomainNode }
  | LeafNode;

export interface LeafNode {
  kind: 'leaf';
  table: ModelTable;
  field: FieldSpec;
  operator: string;
  value: unknown;
  /** For `any` and `not any` (dotted paths become `any`): the condition on the comodel. */
  subdomain?: DomainNode;
}

/**
 * Adds the implicit `&` operators of a domain, as Odoo's `normalize_domain` does, and checks
 * that the domain is a list.
 */
export function normalizeDomain(series: OdooSeries, domain: unknown): unknown[] {
  if (!Array.isArray(domain)) {
    throw notADomain(series, domain);
  }
  const result: unknown[] = [];
  let expected = 1;
  for (const token of domain) {
    if (expected === 0) {
      result.unshift('&');
      expected = 1;
    }
    if (Array.isArray(token)) {
      expected -= 1;
    } else {
      expected += (typeof token === 'string' ? (ARITY[token] ?? 0) : 0) - 1;
    }
    result.push(token);
  }
  if (expected > 0 && domain.length > 0) {
    throw new OdooException(
      'builtins.AssertionError',
      `This domain is syntactically not correct: ${pyRepr(domain)}`,
    );
  }
  return result;
}

function notADomain(series: OdooSeries, domain: unknown): OdooException {
  if (majorOf(series) >= 19) {
    return typeError(`Domain() invalid argument type for domain: ${pyRepr(domain)}`);
  }
  return new OdooException(
    'builtins.AssertionError',
    "Domains to normalize must have a 'domain' form: a list or tuple of domain components",
  );
}

/** Parses a domain for a model into a tree, raising Odoo's errors for invalid leaves. */
export function parseDomain(db: DemoDatabase, table: ModelTable, domain: unknown): DomainNode {
  const tokens = normalizeDomain(db.series, domain);
  if (tokens.length === 0) {
    return { kind: 'true' };
  }
  const parser = new PrefixParser(db, table, tokens);
  return parser.parse();
}

class PrefixParser {
  private index = 0;

  constructor(
    private readonly db: DemoDatabase,
    private readonly table: ModelTable,
    private readonly tokens: unknown[],
  ) {}

  parse(): DomainNode {
    const token = this.tokens[this.index++];
    if (token === '!') {
      return { kind: 'not', child: this.parse() };
    }
    if (token === '&' || token === '|') {
      const left = this.parse();
      const right = this.parse();
      return { kind: token === '&' ? 'and' : 'or', left, right };
    }
    return parseLeaf(this.db, this.table, token);
  }
}

/** Python's `tuple(item)`, which Odoo applies to each leaf before unpacking it. */
function leafItems(item: unknown): unknown[] {
  if (Array.isArray(item)) {
    return item;
  }
  if (typeof item === 'string') {
    return [...item];
  }
  if (item !== null && typeof item === 'object') {
    return Object.keys(item);
  }
  throw typeError(`'${pyTypeName(item)}' object is not iterable`);
}

function parseLeaf(db: DemoDatabase, table: ModelTable, item: unknown): DomainNode {
  const items = leafItems(item);
  if (items.length < 3) {
    throw valueError(`not enough values to unpack (expected 3, got ${items.length})`);
  }
  if (items.length > 3) {
    throw valueError('too many values to unpack (expected 3)');
  }
  const [left, rawOperator, right] = items;
  if (typeof left !== 'string') {
    return constantLeaf(db.series, items);
  }

  const [name, rest] = splitPath(left);
  const field = table.field(name);
  if (field === undefined) {
    throw invalidField(db.series, table.name, name, items);
  }
  const operator = normalizeOperator(db.series, rawOperator, items);
  if (rest !== undefined) {
    return pathLeaf(db, table, field, [rest, rawOperator, right], items);
  }
  if (!isSearchable(field)) {
    throw valueError(`Non-stored field ${table.name}.${field.name} cannot be searched.`);
  }
  if (operator === 'any' || operator === 'not any') {
    return anyLeaf(db, table, field, operator, right, items);
  }
  return { kind: 'leaf', table, field, operator, value: right };
}

function splitPath(left: string): [string, string | undefined] {
  const dot = left.indexOf('.');
  return dot === -1 ? [left, undefined] : [left.slice(0, dot), left.slice(dot + 1)];
}

/** `(1, '=', 1)` and `(0, '=', 1)`, Odoo's TRUE_LEAF and FALSE_LEAF. */
function constantLeaf(series: OdooSeries, items: unknown[]): DomainNode {
  const [left, operator, right] = items;
  if (operator === '=' && right === 1 && (left === 1 || left === 0)) {
    return { kind: left === 1 ? 'true' : 'false' };
  }
  throw invalidOperator(series, items);
}

function normalizeOperator(series: OdooSeries, operator: unknown, items: unknown[]): string {
  const lowered = typeof operator === 'string' ? operator.toLowerCase() : '';
  const normalized = lowered === '<>' ? '!=' : lowered;
  if (!TERM_OPERATORS.has(normalized)) {
    throw invalidOperator(series, items);
  }
  return normalized;
}

/** Rewrites a dotted path `a.b` as `a any [(b, op, value)]`, as Odoo 17+ does. */
function pathLeaf(
  db: DemoDatabase,
  table: ModelTable,
  field: FieldSpec,
  subItems: unknown[],
  items: unknown[],
): DomainNode {
  const comodel = isRelational(field) ? db.table(field.relation!) : undefined;
  if (comodel === undefined) {
    throw invalidField(db.series, table.name, String(items[0]), items);
  }
  const subdomain = parseLeaf(db, comodel, subItems);
  return { kind: 'leaf', table, field, operator: 'any', value: subItems, subdomain };
}

function anyLeaf(
  db: DemoDatabase,
  table: ModelTable,
  field: FieldSpec,
  operator: string,
  right: unknown,
  items: unknown[],
): DomainNode {
  const comodel = isRelational(field) ? db.table(field.relation!) : undefined;
  if (comodel === undefined) {
    throw invalidOperator(db.series, items);
  }
  const subdomain = parseDomain(db, comodel, right);
  return { kind: 'leaf', table, field, operator, value: right, subdomain };
}

export function invalidField(
  series: OdooSeries,
  model: string,
  name: string,
  items: unknown[],
): OdooException {
  const where = majorOf(series) >= 19 ? 'condition' : 'leaf';
  return valueError(`Invalid field ${model}.${name} in ${where} ${pyRepr(items, true)}`);
}

function invalidOperator(series: OdooSeries, items: unknown[]): OdooException {
  if (majorOf(series) >= 19) {
    return valueError(`Invalid operator in condition ${pyRepr(items, true)}`);
  }
  return valueError(`Invalid leaf ${pyRepr(items, true)}`);
}

/**
 * Tells whether a normalized domain has a top-level leaf on `active`, which turns off Odoo's
 * implicit `active = True` filter.
 */
export function mentionsActive(tokens: unknown[]): boolean {
  return tokens.some((token) => Array.isArray(token) && token[0] === 'active');
}

/** Adds the implicit `&` operators of an already validated domain. */
function explicitAnd(domain: unknown[]): unknown[] {
  const result: unknown[] = [];
  let expected = 1;
  for (const token of domain) {
    if (expected === 0) {
      result.unshift('&');
      expected = 1;
    }
    expected += (typeof token === 'string' ? (ARITY[token] ?? 0) : 0) - 1;
    result.push(token);
  }
  return result;
}

/**
 * Combines domains with `&` or `|` in prefix form, skipping empty ones, as Odoo's
 * `expression.AND` and `expression.OR` build `__domain` and rule domains.
 */
export function combineDomains(operator: '&' | '|', domains: unknown[][]): unknown[] {
  const parts = domains.filter((domain) => domain.length > 0).map(explicitAnd);
  if (parts.length === 0) {
    return [];
  }
  const prefix: unknown[] = Array.from({ length: parts.length - 1 }, () => operator);
  return [...prefix, ...parts.flat()];
}

export function andDomains(domains: unknown[][]): unknown[] {
  return combineDomains('&', domains);
}

export function orDomains(domains: unknown[][]): unknown[] {
  return combineDomains('|', domains);
}
