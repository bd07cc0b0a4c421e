import { readValue } from '../domain/evaluate.js';
import { andDomains, normalizeDomain } from '../domain/parse.js';
import { valueError } from '../errors.js';
import type { DemoRecord, Env, ModelTable } from '../orm/database.js';
import { describeField, type FieldSpec, isToMany } from '../orm/fields.js';
import { pyTruthy } from '../python.js';
import { invalidFieldName, sortRecords } from './order.js';
import { formatValue, searchRecords, visibleRecords } from './search.js';

type Specification = Record<string, { fields?: unknown; limit?: unknown; order?: unknown }>;

function asSpecification(value: unknown): Specification {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw valueError(`Invalid specification ${JSON.stringify(value)}: expected a dictionary`);
  }
  return value as Specification;
}

/**
 * Reads records along a web-client `specification`: a relational field with a nested
 * `fields` becomes an object (many2one) or a list of objects (x2many), without it an id or
 * a list of ids. Every record starts with its `id`.
 */
export function readSpecification(
  env: Env,
  table: ModelTable,
  records: DemoRecord[],
  specification: unknown,
): Record<string, unknown>[] {
  const spec = asSpecification(specification);
  const fields = Object.keys(spec).map((name) => {
    const definition = table.field(name);
    if (definition === undefined) {
      throw invalidFieldName(env.series, table.name, name);
    }
    return definition;
  });
  return records.map((record) => {
    const result: Record<string, unknown> = { id: record.id };
    for (const definition of fields) {
      if (definition.name !== 'id') {
        result[definition.name] = specifiedValue(
          env,
          definition,
          record,
          spec[definition.name] ?? {},
        );
      }
    }
    return result;
  });
}

function specifiedValue(
  env: Env,
  definition: FieldSpec,
  record: DemoRecord,
  subspec: { fields?: unknown; limit?: unknown; order?: unknown },
): unknown {
  const value = readValue(env, definition, record);
  const nested = subspec.fields;
  if (definition.type === 'many2one') {
    if (typeof value !== 'number') {
      return false;
    }
    if (nested === undefined) {
      return value;
    }
    return relatedRecords(env, definition, [value], nested, {})[0] ?? false;
  }
  if (isToMany(definition)) {
    const ids = Array.isArray(value) ? value : [];
    return nested === undefined ? [...ids] : relatedRecords(env, definition, ids, nested, subspec);
  }
  return formatValue(env, definition, value);
}

function relatedRecords(
  env: Env,
  definition: FieldSpec,
  ids: number[],
  nested: unknown,
  options: { limit?: unknown; order?: unknown },
): Record<string, unknown>[] {
  const comodel = env.db.require(definition.relation!);
  let records = ids.map((id) => comodel.get(id)).filter((record) => record !== undefined);
  if (typeof options.order === 'string' && options.order !== '') {
    records = sortRecords(env, comodel, records, options.order);
  }
  if (typeof options.limit === 'number') {
    records = records.slice(0, options.limit);
  }
  return readSpecification(env, comodel, records, nested);
}

export interface WebSearchReadParameters {
  domain: unknown;
  specification: unknown;
  offset: unknown;
  limit: unknown;
  order: unknown;
  count_limit: unknown;
}

/**
 * `web_search_read`: the records as `readSpecification` shapes them, and `length`, the
 * number of matches. Like Odoo, it counts only when the page is full.
 */
export function webSearchRead(
  env: Env,
  table: ModelTable,
  parameters: WebSearchReadParameters,
): { length: number; records: Record<string, unknown>[] } {
  const records = searchRecords(env, table, parameters.domain, parameters);
  const values = readSpecification(env, table, records, parameters.specification);
  const offset = typeof parameters.offset === 'number' ? parameters.offset : 0;
  if (values.length === 0) {
    return { length: 0, records: [] };
  }
  let length = values.length + offset;
  if (pyTruthy(parameters.limit) && values.length === parameters.limit) {
    length = visibleRecords(env, table, parameters.domain).length;
    if (typeof parameters.count_limit === 'number') {
      length = Math.min(length, parameters.count_limit);
    }
  }
  return { length, records: values };
}

/**
 * `fields_get`: the descriptions of the fields in `allfields` (all when empty), reduced to
 * `attributes` when given. Unknown names in `allfields` are ignored, as Odoo ignores them.
 */
export function fieldsGet(
  env: Env,
  table: ModelTable,
  allfields: unknown,
  attributes: unknown,
): Record<string, Record<string, unknown>> {
  const wanted = Array.isArray(allfields) && allfields.length > 0 ? new Set(allfields) : undefined;
  const keep = Array.isArray(attributes) && attributes.length > 0 ? new Set(attributes) : undefined;
  const result: Record<string, Record<string, unknown>> = {};
  for (const definition of table.fields.values()) {
    if (wanted !== undefined && !wanted.has(definition.name)) {
      continue;
    }
    const description = describeField(definition, env.series);
    if (keep !== undefined) {
      for (const key of Object.keys(description)) {
        if (!keep.has(key)) {
          delete description[key];
        }
      }
    }
    result[definition.name] = description;
  }
  return result;
}

export interface NameSearchParameters {
  name: unknown;
  domain: unknown;
  operator: unknown;
  limit: unknown;
}

/**
 * `name_search`: `[id, display_name]` pairs of the visible records whose name fields match.
 * A positive operator matches any name field, a negative one must hold for all of them.
 */
export function nameSearch(
  env: Env,
  table: ModelTable,
  parameters: NameSearchParameters,
): [number, unknown][] {
  const operator = typeof parameters.operator === 'string' ? parameters.operator : 'ilike';
  const fields = table.spec.nameSearchFields ?? [table.recName];
  const negative = operator.startsWith('not ') || operator === '!=';
  let nameDomain: unknown[] = [];
  if (pyTruthy(parameters.name) || negative) {
    const leaves = fields.map((name) => [[name, operator, parameters.name ?? '']]);
    nameDomain = negative ? andDomains(leaves) : orLeaves(leaves);
  }
  const extra = normalizeDomain(env.series, parameters.domain ?? []);
  const limit = parameters.limit === null ? undefined : parameters.limit;
  const records = searchRecords(env, table, andDomains([extra, nameDomain]), { limit });
  return records.map((record) => [record.id, record.display_name]);
}

function orLeaves(leaves: unknown[][]): unknown[] {
  const prefix = Array.from({ length: leaves.length - 1 }, () => '|');
  return [...prefix, ...leaves.flat()];
}
