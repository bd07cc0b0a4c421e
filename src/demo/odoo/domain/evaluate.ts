import {
  type DemoRecord,
  type Env,
  type FieldValue,
  idsOf,
  isEmptyValue,
  type ModelTable,
} from '../orm/database.js';
import { type FieldSpec, isToMany } from '../orm/fields.js';
import { type DomainNode, type LeafNode, parseDomain } from './parse.js';
import { coerceValue, likePattern } from './values.js';

export type RecordPredicate = (record: DemoRecord) => boolean;

const NEGATIVE_LIKE: Record<string, string> = { 'not like': 'like', 'not ilike': 'ilike' };
const LIKE_OPERATORS = new Set(['like', 'ilike', '=like', '=ilike', 'not like', 'not ilike']);

/** Reads a field of a record, computing it at read time for non-stored fields. */
export function readValue(env: Env, field: FieldSpec, record: DemoRecord): FieldValue {
  if (field.compute !== undefined) {
    return field.compute(record, env);
  }
  return record[field.name] ?? false;
}

/** Turns a parsed domain into a predicate on records of its model. */
export function compileDomain(env: Env, node: DomainNode): RecordPredicate {
  switch (node.kind) {
    case 'true':
      return () => true;
    case 'false':
      return () => false;
    case 'not': {
      const child = compileDomain(env, node.child);
      return (record) => !child(record);
    }
    case 'and': {
      const left = compileDomain(env, node.left);
      const right = compileDomain(env, node.right);
      return (record) => left(record) && right(record);
    }
    case 'or': {
      const left = compileDomain(env, node.left);
      const right = compileDomain(env, node.right);
      return (record) => left(record) || right(record);
    }
    case 'leaf':
      return compileLeaf(env, node);
  }
}

function compileLeaf(env: Env, leaf: LeafNode): RecordPredicate {
  let operator = leaf.operator;
  if (operator === '=?') {
    if (isEmptyValue(leaf.value as FieldValue) || leaf.value === undefined) {
      return () => true;
    }
    operator = '=';
  }
  const { field } = leaf;
  if (field.type === 'many2one' || isToMany(field)) {
    const test = relationalTest(env, leaf, operator);
    return (record) => test(relatedIds(field, readValue(env, field, record)));
  }
  if ((operator === 'child_of' || operator === 'parent_of') && field.name === 'id') {
    const ids = hierarchyIds(env, leaf.table, operator, leaf.value);
    return (record) => ids.has(record.id);
  }
  const test = scalarTest(leaf.table.name, field, operator, leaf.value);
  return (record) => test(readValue(env, field, record));
}

function relatedIds(field: FieldSpec, value: FieldValue): number[] {
  if (field.type === 'many2one') {
    return typeof value === 'number' ? [value] : [];
  }
  return idsOf(value);
}

/**
 * Builds the test on the ids in a relational field (one for a many2one). Negative operators
 * mean "none of them", so records with no value match, as in Odoo 17+.
 */
function relationalTest(env: Env, leaf: LeafNode, operator: string): (ids: number[]) => boolean {
  const right = leaf.value;
  const comodel = env.db.require(leaf.field.relation!);
  if ((operator === '=' || operator === '!=') && isEmptyValue(right as FieldValue)) {
    return operator === '=' ? (ids) => ids.length === 0 : (ids) => ids.length > 0;
  }
  const matching = matchingComodelIds(env, leaf, comodel, operator);
  if (matching !== undefined) {
    const includeEmpty = Array.isArray(right) && right.some((item) => item === false);
    const positive = !['!=', 'not in', 'not any', 'not like', 'not ilike'].includes(operator);
    return (ids) => {
      const found = ids.some((id) => matching.has(id)) || (includeEmpty && ids.length === 0);
      return positive ? found : !found;
    };
  }
  const test = scalarTest(leaf.table.name, leaf.field, operator, right);
  return (ids) => ids.some((id) => test(id));
}

function matchingComodelIds(
  env: Env,
  leaf: LeafNode,
  comodel: ModelTable,
  operator: string,
): Set<number> | undefined {
  if (operator === 'any' || operator === 'not any') {
    // NOTE: Odoo also applies the comodel's record rules inside `any`, but the demo does not.
    // It shows only when a dotted path reaches records of a company the caller cannot see.
    const predicate = compileDomain(env, leaf.subdomain!);
    return new Set(
      comodel
        .all()
        .filter(predicate)
        .map((record) => record.id),
    );
  }
  if (operator === 'child_of' || operator === 'parent_of') {
    return hierarchyIds(env, comodel, operator, leaf.value);
  }
  if (LIKE_OPERATORS.has(operator)) {
    return nameMatchIds(env, comodel, NEGATIVE_LIKE[operator] ?? operator, leaf.value);
  }
  if (['=', '!=', 'in', 'not in'].includes(operator)) {
    return idsFromValues(env, comodel, leaf.value);
  }
  return undefined;
}

/**
 * Collects the ids given as numbers and the ids of records whose name matches the strings
 * given: with `=` for many2one leaves, with `ilike` for `child_of` and `parent_of`.
 */
function idsFromValues(
  env: Env,
  comodel: ModelTable,
  value: unknown,
  nameOperator: '=' | 'ilike' = '=',
): Set<number> {
  const values = Array.isArray(value) ? value : [value];
  const ids = new Set<number>();
  for (const item of values) {
    if (typeof item === 'number') {
      ids.add(item);
    } else if (typeof item === 'string') {
      nameMatchIds(env, comodel, nameOperator, item).forEach((id) => ids.add(id));
    }
  }
  return ids;
}

/**
 * Finds the ids of the records whose name fields (`_rec_names_search`) match, archived ones
 * included, as Odoo's `_name_search` on the comodel of a many2one leaf finds them.
 */
export function nameMatchIds(
  env: Env,
  table: ModelTable,
  operator: string,
  value: unknown,
): Set<number> {
  const fields = table.spec.nameSearchFields ?? [table.recName];
  const leaves = fields.map((name) => [name, operator, value]);
  const domain = [...leaves.slice(1).map(() => '|'), ...leaves];
  const predicate = compileDomain(env, parseDomain(env.db, table, domain));
  return new Set(
    table
      .all()
      .filter(predicate)
      .map((record) => record.id),
  );
}

/** Finds the records under (`child_of`) or above (`parent_of`) the given ones, and themselves. */
function hierarchyIds(env: Env, table: ModelTable, operator: string, value: unknown): Set<number> {
  const parentName = table.parentField;
  const start = [...idsFromValues(env, table, value, 'ilike')];
  const result = new Set<number>(start);
  if (parentName === undefined) {
    return result;
  }
  const records = table.all();
  if (operator === 'child_of') {
    let frontier = start;
    while (frontier.length > 0) {
      const parents = new Set(frontier);
      const children = records.filter(
        (record) => parents.has(record[parentName] as number) && !result.has(record.id),
      );
      children.forEach((record) => result.add(record.id));
      frontier = children.map((record) => record.id);
    }
    return result;
  }
  for (const id of start) {
    let parent = table.get(id)?.[parentName];
    while (typeof parent === 'number' && !result.has(parent)) {
      result.add(parent);
      parent = table.get(parent)?.[parentName];
    }
  }
  return result;
}

/** Builds the test on a scalar value, with SQL's handling of NULL for each operator. */
export function scalarTest(
  model: string,
  field: FieldSpec,
  operator: string,
  right: unknown,
): (value: FieldValue) => boolean {
  if ((operator === '=' || operator === '!=') && isEmptyValue(right as FieldValue)) {
    return operator === '=' ? (value) => isEmptyValue(value) : (value) => !isEmptyValue(value);
  }
  if (operator === 'in' || operator === 'not in' || operator === 'child_of') {
    return membershipTest(model, field, operator, right);
  }
  if (LIKE_OPERATORS.has(operator)) {
    return likeTest(operator, right);
  }
  const expected = coerceValue(model, field, operator, right);
  if (field.type === 'boolean' && expected === false && (operator === '=' || operator === '!=')) {
    // A boolean column contains NULL or false for "not set", and Odoo matches both.
    return operator === '=' ? (value) => isEmptyValue(value) : (value) => !isEmptyValue(value);
  }
  if (operator === '!=') {
    // SQL's `x != v` is NULL for a NULL x, but Odoo adds `OR x IS NULL`.
    return (value) => isEmptyValue(value) || value !== expected;
  }
  const compare = comparison(operator);
  return (value) => !isEmptyValue(value) && compare(value, expected);
}

function membershipTest(
  model: string,
  field: FieldSpec,
  operator: string,
  right: unknown,
): (value: FieldValue) => boolean {
  const items = Array.isArray(right) ? right : [right];
  const coerced = items.map((item) => coerceValue(model, field, operator, item) as FieldValue);
  const includeEmpty = coerced.some((item) => isEmptyValue(item));
  const allowed = new Set(coerced.filter((item) => !isEmptyValue(item)));
  if (operator !== 'not in') {
    return (value) => (isEmptyValue(value) ? includeEmpty : allowed.has(value));
  }
  if (includeEmpty) {
    return (value) => !isEmptyValue(value) && !allowed.has(value);
  }
  return (value) => isEmptyValue(value) || !allowed.has(value);
}

function likeTest(operator: string, right: unknown): (value: FieldValue) => boolean {
  const text = right === false || right === null ? '' : String(right);
  const exact = operator.startsWith('=');
  const pattern = likePattern(exact ? text : `%${text}%`, operator.includes('ilike'));
  if (operator.startsWith('not ')) {
    return (value) => isEmptyValue(value) || !pattern.test(String(value));
  }
  return (value) => !isEmptyValue(value) && pattern.test(String(value));
}

function comparison(operator: string): (value: FieldValue, expected: unknown) => boolean {
  switch (operator) {
    case '=':
      return (value, expected) => value === expected;
    case '<':
      return (value, expected) => (value as number) < (expected as number);
    case '>':
      return (value, expected) => (value as number) > (expected as number);
    case '<=':
      return (value, expected) => (value as number) <= (expected as number);
    case '>=':
      return (value, expected) => (value as number) >= (expected as number);
    default:
      return () => false;
  }
}
