import { ToolError } from './errors.js';
import type { FieldInfo, FieldMap } from './fields.js';
import { domainLeaves, fitsType, leafValues, VALUE_FORMS } from './value-types.js';

/** The three logical operators of an Odoo domain, written before their operands. */
export type DomainConnector = '&' | '|' | '!';

/** One condition: `[field path, operator, value]`. Odoo's constant leaves use 1 or 0 as field. */
export type DomainLeaf = [string | number, string, unknown];

export type DomainTerm = DomainConnector | DomainLeaf;

/** An Odoo domain: terms in prefix (Polish) notation, with an implicit "&" between top-level terms. */
export type Domain = DomainTerm[];

/** The operators Odoo 17-19 accept in a leaf, compared in lower case as Odoo does. */
export const DOMAIN_OPERATORS: ReadonlySet<string> = new Set([
  '=',
  '!=',
  '<>',
  '<',
  '>',
  '<=',
  '>=',
  'in',
  'not in',
  'like',
  'not like',
  'ilike',
  'not ilike',
  '=like',
  '=ilike',
  'child_of',
  'parent_of',
  'any',
  'not any',
]);

/** The explanation every domain error ends with, so the model can rewrite the domain. */
export const DOMAIN_FORM =
  'A domain is a JSON list of conditions [field, operator, value]. Conditions in the list must all ' +
  'hold; to combine them otherwise, put "|" (or) or "&" (and) before two conditions, or "!" (not) ' +
  'before one. Example: [["state", "=", "sale"], "|", ["partner_id.name", "ilike", "deco"], ' +
  '["amount_total", ">", 1000]] finds confirmed orders whose customer name contains "deco" or ' +
  'whose total is above 1000. [] matches every record.';

const FIELD_PATH = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;

/** Deepest nesting of sub-domains (`any`, `not any`) and lists accepted; real questions need few. */
const MAX_DOMAIN_DEPTH = 10;
/** Most terms (conditions, connectors and list items) a domain may have in all. */
const MAX_DOMAIN_TERMS = 2000;

/**
 * Parses a domain argument and checks its structure. Accepts a JSON array, or a string that
 * contains one, because models sometimes send the domain as a string. Returns the domain
 * unchanged. Throws a `ToolError` for anything malformed, and never returns a wider domain:
 * a string that is not JSON is an error, not `[]`.
 */
export function parseDomain(input: unknown): Domain {
  const value = typeof input === 'string' ? parseDomainString(input) : input;
  if (!Array.isArray(value)) {
    throw domainError(`the domain must be a JSON list, got ${describeValue(value)}`);
  }
  checkSize(value);
  rejectBareLeaf(value);
  checkTerms(value, 'the domain');
  return value as Domain;
}

/**
 * Bounds the domain's nesting and size before the recursive checks run, walking it with an
 * explicit stack, so a hostile domain cannot exhaust the call stack.
 */
function checkSize(domain: unknown[]): void {
  const pending: Array<{ list: unknown[]; depth: number }> = [{ list: domain, depth: 1 }];
  let terms = 0;
  while (pending.length > 0) {
    const { list, depth } = pending.pop()!;
    if (depth > MAX_DOMAIN_DEPTH) {
      throw domainError(`the domain nests more than ${MAX_DOMAIN_DEPTH} levels deep; simplify it`);
    }
    terms += list.length;
    if (terms > MAX_DOMAIN_TERMS) {
      throw domainError(`the domain has more than ${MAX_DOMAIN_TERMS} terms; split the question`);
    }
    for (const item of list) {
      if (Array.isArray(item)) {
        pending.push({ list: item, depth: depth + 1 });
      }
    }
  }
}

/** Returns the field paths of a domain's top-level leaves, leaving out the constant leaves. */
export function domainFieldPaths(domain: Domain): string[] {
  const paths: string[] = [];
  for (const term of domain) {
    if (Array.isArray(term) && typeof term[0] === 'string') {
      paths.push(term[0]);
    }
  }
  return paths;
}

function parseDomainString(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw domainError(
      `the domain string is not valid JSON (${reason}). Write it in JSON: double quotes, ` +
        'lists [ ] rather than tuples ( ), and true, false and null rather than True, False and None',
    );
  }
}

/** Rejects a single condition sent without the outer list, the most common slip, with the fix. */
function rejectBareLeaf(value: unknown[]): void {
  const [field, operator] = value;
  const looksLikeLeaf =
    value.length === 3 &&
    typeof field === 'string' &&
    FIELD_PATH.test(field) &&
    typeof operator === 'string' &&
    DOMAIN_OPERATORS.has(operator.toLowerCase());
  if (looksLikeLeaf) {
    const wrapped = JSON.stringify([value]);
    throw domainError(`the domain is a single condition without the outer list; write ${wrapped}`);
  }
}

/** Checks each term, then the operand count of each connector, reading right to left. */
function checkTerms(terms: unknown[], where: string): void {
  terms.forEach((term, index) => checkTerm(term, index, where));
  let operands = 0;
  for (let index = terms.length - 1; index >= 0; index -= 1) {
    const term = terms[index];
    if (!isConnector(term)) {
      operands += 1;
      continue;
    }
    const needed = term === '!' ? 1 : 2;
    if (operands < needed) {
      const operandText = needed === 1 ? 'one condition' : 'two conditions';
      throw domainError(
        `in ${where}, "${term}" at index ${index} needs ${operandText} after it, but ${operands} follow`,
      );
    }
    operands -= needed - 1;
  }
}

function checkTerm(term: unknown, index: number, where: string): void {
  if (isConnector(term)) {
    return;
  }
  if (typeof term === 'string') {
    throw domainError(
      `in ${where}, index ${index} is the string ${JSON.stringify(term)}; only "&", "|" and "!" ` +
        'stand alone, and a condition is a list [field, operator, value]',
    );
  }
  if (!Array.isArray(term)) {
    throw domainError(
      `in ${where}, index ${index} is ${describeValue(term)}; each item is "&", "|", "!" or a ` +
        'condition [field, operator, value]',
    );
  }
  checkLeaf(term, `the condition at index ${index} of ${where}`);
}

function checkLeaf(leaf: unknown[], where: string): void {
  if (leaf.length !== 3) {
    throw domainError(`${where} has ${leaf.length} items; a condition has exactly three`);
  }
  const [field, operator, value] = leaf;
  if (isConstantLeaf(field, operator, value)) {
    return;
  }
  if (typeof field !== 'string' || !FIELD_PATH.test(field)) {
    throw domainError(
      `${where} starts with ${describeValue(field)}; the field is a name such as "partner_id" ` +
        'or a path such as "partner_id.name"',
    );
  }
  if (typeof operator !== 'string' || !DOMAIN_OPERATORS.has(operator.toLowerCase())) {
    const known = [...DOMAIN_OPERATORS].join(', ');
    throw domainError(`${where} has the unknown operator ${describeValue(operator)}; use ${known}`);
  }
  checkLeafValue(operator.toLowerCase(), value, where);
}

function checkLeafValue(operator: string, value: unknown, where: string): void {
  if (operator === 'in' || operator === 'not in') {
    if (!Array.isArray(value)) {
      throw domainError(
        `${where} uses "${operator}" with ${describeValue(value)}; "${operator}" takes a list, ` +
          'such as ["state", "in", ["draft", "sent"]]',
      );
    }
    return;
  }
  if (operator === 'any' || operator === 'not any') {
    if (!Array.isArray(value)) {
      throw domainError(
        `${where} uses "${operator}" with ${describeValue(value)}; "${operator}" takes a domain ` +
          'on the related model, such as ["order_line", "any", [["product_id.name", "ilike", "desk"]]]',
      );
    }
    checkTerms(value, `the domain inside ${where}`);
    return;
  }
  if (isPlainObject(value)) {
    throw domainError(`${where} has an object as its value; use a string, number, boolean or list`);
  }
}

/** Odoo's TRUE_LEAF `[1, "=", 1]` and FALSE_LEAF `[0, "=", 1]`. */
function isConstantLeaf(field: unknown, operator: unknown, value: unknown): boolean {
  return (field === 1 || field === 0) && operator === '=' && value === 1;
}

function isConnector(term: unknown): term is DomainConnector {
  return term === '&' || term === '|' || term === '!';
}

function isPlainObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describeValue(value: unknown): string {
  if (value === null) {
    return 'null';
  }
  if (Array.isArray(value)) {
    return 'a list';
  }
  if (typeof value === 'object') {
    return 'an object';
  }
  if (typeof value === 'string') {
    return `the string ${JSON.stringify(value)}`;
  }
  return `${typeof value} ${String(value)}`;
}

function domainError(problem: string): ToolError {
  return new ToolError('invalid_domain', `Invalid domain: ${problem}.\n\n${DOMAIN_FORM}`);
}

/**
 * Rejects a domain value that its field's type cannot take, before the search is sent to Odoo.
 * A date or datetime field takes only a date string or false, and a numeric field no string
 * but a number. Only leaves on the model's own fields are checked, because dotted paths and
 * `any` domains name fields of other models. The leaf is never dropped: the call fails.
 */
export function checkDomainValues(domain: Domain, fields: FieldMap, model: string): void {
  for (const leaf of domainLeaves(domain)) {
    const field = typeof leaf[0] === 'string' ? fields.get(leaf[0]) : undefined;
    if (field === undefined) {
      continue;
    }
    const values = leafValues(leaf);
    const wrong = values.find((value) => !fitsType(value, field));
    if (wrong !== undefined) {
      throw valueTypeError(model, field, wrong);
    }
    checkSelectionValues(values, field, model);
    checkSelfReference(values, field);
  }
}

/**
 * Rejects a selection value the field does not have. Odoo would match no record, and the
 * model would read "none" as an answer; a label given instead of its key gets the key.
 */
function checkSelectionValues(values: unknown[], field: FieldInfo, model: string): void {
  if (field.type !== 'selection' || field.selection === undefined || field.selection.length === 0) {
    return;
  }
  const keys = field.selection.map(([key]) => key);
  for (const value of values) {
    if (value === false || keys.includes(value as string | number)) {
      continue;
    }
    const byLabel = field.selection.find(
      ([, label]) => typeof value === 'string' && label.toLowerCase() === value.toLowerCase(),
    );
    const known = field.selection.map(([key, label]) => `"${key}" (${label})`).join(', ');
    const hint =
      byLabel === undefined ? '' : ` "${String(value)}" is the label of "${byLabel[0]}".`;
    throw new ToolError(
      'invalid_value',
      `${model} field "${field.name}" has no value ${JSON.stringify(value)}.${hint} Its values are ${known}. ` +
        'The search was not sent to Odoo.',
    );
  }
}

/** Rejects "me" for a user field: a domain takes the user's id, which whoami gives. */
function checkSelfReference(values: unknown[], field: FieldInfo): void {
  if (field.type !== 'many2one' || field.relation !== 'res.users') {
    return;
  }
  if (values.some((value) => typeof value === 'string' && value.trim().toLowerCase() === 'me')) {
    throw new ToolError(
      'invalid_value',
      `"${field.name}" takes a user id, not "me": use the uid that whoami returns, such as ` +
        `["${field.name}", "=", 8]. The search was not sent to Odoo.`,
    );
  }
}

function valueTypeError(model: string, field: FieldInfo, value: unknown): ToolError {
  return new ToolError(
    'invalid_value',
    `Invalid domain value ${JSON.stringify(value)} for ${model} field "${field.name}" ` +
      `("${field.label}"), which is a ${field.type} field: write ${VALUE_FORMS[field.type]}. ` +
      'The search was not sent to Odoo.',
  );
}
