import { checkModelAccess, recordRuleError, rulePredicate } from '../access/checks.js';
import { andDomains, mentionsActive, normalizeDomain, parseDomain } from '../domain/parse.js';
import { compileDomain, readValue } from '../domain/evaluate.js';
import { errorPositionExcerpt, invalidTextRepresentation, tableName } from '../domain/values.js';
import { missingError, OdooException, typeError } from '../errors.js';
import type { DemoRecord, Env, FieldValue, ModelTable } from '../orm/database.js';
import {
  defaultOrder,
  invalidFieldName,
  type OrderTerm,
  parseOrder,
  sortRecords,
} from './order.js';
import { type FieldSpec, isToMany } from '../orm/fields.js';

/**
 * Returns the records of a model that match a domain and that the user may see: archived records
 * are left out unless the domain names `active` or the context sets `active_test` to false,
 * and the record rules filter silently. Access rights are checked first.
 */
export function visibleRecords(env: Env, table: ModelTable, domain: unknown): DemoRecord[] {
  checkModelAccess(env, table, 'read');
  let effective = normalizeDomain(env.series, domain ?? []);
  if (table.hasActive && env.activeTest && !mentionsActive(effective)) {
    effective = andDomains([[['active', '=', true]], effective]);
  }
  const matches = compileDomain(env, parseDomain(env.db, table, effective));
  const allowed = rulePredicate(env, table);
  return table.all().filter((record) => matches(record) && allowed(record));
}

export interface SearchOptions {
  offset?: unknown;
  limit?: unknown;
  order?: unknown;
}

/** Runs a search as `BaseModel.search` does: filter, sort, then apply offset and limit. */
export function searchRecords(
  env: Env,
  table: ModelTable,
  domain: unknown,
  options: SearchOptions = {},
): DemoRecord[] {
  const records = visibleRecords(env, table, domain);
  const sorted = sortRecords(env, table, records, options.order);
  const terms = orderTermsFor(env, table, options.order);
  const limit = sqlRowCount(table, terms, 'LIMIT', options.limit, undefined);
  const offset = sqlRowCount(table, terms, 'OFFSET', options.offset, options.limit) ?? 0;
  return sorted.slice(offset, limit === undefined ? undefined : offset + limit);
}

function orderTermsFor(env: Env, table: ModelTable, order: unknown): OrderTerm[] {
  if (typeof order === 'string' && order.trim() !== '') {
    return parseOrder(env.series, table, order);
  }
  return defaultOrder(env.series, table);
}

/**
 * Validates `limit` or `offset` as PostgreSQL does once Odoo has put it in the query: a
 * numeric string is cast, other strings raise InvalidTextRepresentation. Falsy values mean
 * no limit (or no offset), as Odoo leaves the clause out.
 */
function sqlRowCount(
  table: ModelTable,
  terms: OrderTerm[],
  clause: 'LIMIT' | 'OFFSET',
  value: unknown,
  limit: unknown,
): number | undefined {
  if (value === undefined || value === null || value === false || value === 0 || value === '') {
    return undefined;
  }
  const limitClause = clause === 'OFFSET' && limit ? `LIMIT ${String(limit)} ` : '';
  const before = `${selectClause(table, terms)} ${limitClause}${clause} `;
  if (typeof value === 'boolean' || typeof value === 'object') {
    const sqlType = typeof value === 'boolean' ? 'boolean' : 'integer[]';
    const query = `${before}${typeof value === 'boolean' ? String(value) : 'ARRAY[]'}`;
    throw new OdooException(
      'psycopg2.errors.DatatypeMismatch',
      `argument of ${clause} must be type bigint, not type ${sqlType}\n` +
        errorPositionExcerpt(query, before.length),
    );
  }
  const number = typeof value === 'number' ? value : Number(value);
  if (typeof value === 'string' && !/^\s*[+-]?\d+\s*$/.test(value)) {
    throw invalidTextRepresentation('bigint', value, before);
  }
  if (number < 0) {
    const errorClass =
      clause === 'LIMIT' ? 'InvalidRowCountInLimitClause' : 'InvalidRowCountInResultOffsetClause';
    throw new OdooException(`psycopg2.errors.${errorClass}`, `${clause} must not be negative\n`);
  }
  return Math.round(number);
}

/** Writes the start of the SELECT that Odoo would run, up to its ORDER BY clause. */
function selectClause(table: ModelTable, terms: OrderTerm[]): string {
  const sqlTable = tableName(table.name);
  const orderBy = terms
    .map((term) => `"${sqlTable}"."${term.field.name}" ${term.descending ? 'DESC' : 'ASC'} `)
    .join(', ');
  return `SELECT "${sqlTable}"."id" FROM "${sqlTable}" ORDER BY ${orderBy}`;
}

/** Reads record ids as `browse(ids)` takes them: one id or a list of ids. */
export function idList(ids: unknown): number[] {
  if (ids === false || ids === null || ids === undefined) {
    return [];
  }
  const list = Array.isArray(ids) ? ids : [ids];
  return list.filter((id): id is number => typeof id === 'number');
}

/**
 * Returns the existing records among `ids`, in the order given. Missing ids are left out, as `read`
 * leaves them out. Raises the record-rule AccessError if the rules hide any of them.
 */
export function browseReadable(env: Env, table: ModelTable, ids: unknown): DemoRecord[] {
  checkModelAccess(env, table, 'read');
  const records = idList(ids)
    .map((id) => table.get(id))
    .filter((record): record is DemoRecord => record !== undefined);
  const allowed = rulePredicate(env, table);
  if (records.some((record) => !allowed(record))) {
    throw recordRuleError(env, table, 'read');
  }
  return records;
}

/**
 * Returns the records of `ids`, raising MissingError for a missing one, as writes and access
 * checks do. It checks neither access rights nor record rules.
 */
export function browseExisting(env: Env, table: ModelTable, ids: unknown): DemoRecord[] {
  const list = idList(ids);
  const missing = list.filter((id) => table.get(id) === undefined);
  if (missing.length > 0) {
    throw missingError(table.name, missing, env.uid);
  }
  return list.map((id) => table.get(id)!);
}

/**
 * Resolves the fields to read: all of them when `fields` is empty or omitted, as Odoo reads every
 * field then. An unknown name raises Odoo's ValueError.
 */
export function resolveFields(env: Env, table: ModelTable, fields: unknown): FieldSpec[] {
  if (fields === null || fields === undefined || fields === false) {
    return [...table.fields.values()];
  }
  // Python iterates a string given as `fields`, so each character is taken for a field name.
  const names = typeof fields === 'string' ? [...fields] : Array.isArray(fields) ? fields : [];
  if (names.length === 0) {
    return [...table.fields.values()];
  }
  const resolved: FieldSpec[] = [];
  for (const name of names) {
    const definition = typeof name === 'string' ? table.field(name) : undefined;
    if (definition === undefined) {
      throw invalidFieldName(env.series, table.name, String(name));
    }
    if (!resolved.includes(definition)) {
      resolved.push(definition);
    }
  }
  return resolved;
}

/**
 * A record as `read` returns it: `id` first, then the fields in the order asked. With the
 * default `load`, a many2one is `[id, display_name]`; with any other `load` it is the id.
 */
export function formatRecord(
  env: Env,
  record: DemoRecord,
  fields: FieldSpec[],
  load: unknown = '_classic_read',
): Record<string, unknown> {
  const result: Record<string, unknown> = { id: record.id };
  for (const definition of fields) {
    if (definition.name !== 'id') {
      result[definition.name] = formatValue(
        env,
        definition,
        readValue(env, definition, record),
        load,
      );
    }
  }
  return result;
}

export function formatValue(
  env: Env,
  definition: FieldSpec,
  value: FieldValue,
  load: unknown = '_classic_read',
): unknown {
  if (definition.type === 'many2one') {
    if (typeof value !== 'number') {
      return false;
    }
    return load === '_classic_read'
      ? [value, displayNameOf(env, definition.relation!, value)]
      : value;
  }
  if (isToMany(definition)) {
    return Array.isArray(value) ? [...value] : [];
  }
  return value ?? false;
}

/** Returns the display name of a record, as many2one values and `name_search` show it. */
export function displayNameOf(env: Env, model: string, id: number): string {
  const record = env.db.table(model)?.get(id);
  const name = record?.display_name;
  return typeof name === 'string' ? name : `${model},${id}`;
}

/** Checks the keyword arguments that `search_read` passes on to `_read_format`. */
export function checkReadKeywords(extra: Record<string, unknown>): unknown {
  for (const key of Object.keys(extra)) {
    if (key !== 'load') {
      throw typeError(`BaseModel._read_format() got an unexpected keyword argument '${key}'`);
    }
  }
  return 'load' in extra ? extra.load : '_classic_read';
}
