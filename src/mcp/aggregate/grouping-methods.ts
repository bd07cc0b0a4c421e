import type { OdooVersion } from '../../odoo/types.js';
import type { Domain } from '../domain.js';
import type { ToolCall } from '../tool.js';
import { isMissingMethodError } from './missing-method.js';
import type { GroupOrderTerm } from './order.js';
import { COUNT_MEASURE, type GroupbyLevel, type Measure } from './specs.js';

/** The two Odoo methods that group records. */
export type GroupingMethod = 'read_group' | 'formatted_read_group';

/** A checked grouping, ready to send with either method. */
export interface GroupingQuery {
  model: string;
  domain: Domain;
  levels: GroupbyLevel[];
  measures: Measure[];
  order: GroupOrderTerm[];
  /** Maximum of groups Odoo returns, or undefined for all of them. */
  limit: number | undefined;
  context: Record<string, unknown>;
}

/** The groups as Odoo returned them, and the method that returned them. */
export interface RawGroups {
  method: GroupingMethod;
  rows: Array<Record<string, unknown>>;
}

/**
 * Picks the method to try first. Odoo 19.0 added `formatted_read_group` and deprecated
 * `read_group`, and 17.0 and 18.0 have only `read_group` (recorded on each).
 * NOTE: which SaaS release between 18.0 and 19.0 added `formatted_read_group` is not recorded,
 * so those releases start with `read_group`, and the fallback in `readGroups` covers either case.
 */
export function preferredGroupingMethod(version: OdooVersion): GroupingMethod {
  return version.major >= 19 ? 'formatted_read_group' : 'read_group';
}

/**
 * Runs the grouping with the method the server version suggests, and once more with the
 * other method when Odoo reports the first one missing.
 */
export async function readGroups(call: ToolCall, query: GroupingQuery): Promise<RawGroups> {
  const first = preferredGroupingMethod(await call.odoo.version());
  try {
    return await readGroupsWith(call, query, first);
  } catch (error) {
    if (!isMissingMethodError(error, first)) {
      throw error;
    }
    const second = first === 'read_group' ? 'formatted_read_group' : 'read_group';
    return readGroupsWith(call, query, second);
  }
}

/** Sends the grouping with one method. */
export async function readGroupsWith(
  call: ToolCall,
  query: GroupingQuery,
  method: GroupingMethod,
): Promise<RawGroups> {
  const request =
    method === 'read_group' ? readGroupRequest(query) : formattedReadGroupRequest(query);
  const result = await call.odoo.executeKw<unknown>(
    query.model,
    method,
    request.args,
    request.kwargs,
  );
  return { method, rows: Array.isArray(result) ? result.filter(isRow) : [] };
}

interface MethodRequest {
  args: unknown[];
  kwargs: Record<string, unknown>;
}

/**
 * Builds `read_group(domain, fields, groupby, offset, limit, orderby, lazy)` as Odoo 17.0 and
 * 18.0 take it. `lazy` is false so that every level is grouped at once and the count is
 * `__count`.
 */
export function readGroupRequest(query: GroupingQuery): MethodRequest {
  const keys = readGroupMeasureKeys(query.levels, query.measures);
  const fields = query.measures.map((measure) => readGroupFieldSpec(measure, keys));
  const kwargs: Record<string, unknown> = { lazy: false, context: query.context };
  if (query.limit !== undefined) {
    kwargs.limit = query.limit;
  }
  if (query.order.length > 0) {
    const measureKey = (measure: Measure) => keys.get(measure.spec) ?? measure.field.name;
    kwargs.orderby = query.order.map((term) => orderTermText(term, measureKey)).join(', ');
  }
  // With no aggregate asked for, Odoo skips "__count" and counts the records anyway.
  const fieldList = fields.length > 0 ? fields : [COUNT_MEASURE];
  return { args: [query.domain, fieldList, query.levels.map((level) => level.spec)], kwargs };
}

/**
 * Builds `formatted_read_group(domain, groupby, aggregates, having, offset, limit, order)` as
 * Odoo 19.0 takes it. It returns `__count` only when asked for, so it always is.
 */
export function formattedReadGroupRequest(query: GroupingQuery): MethodRequest {
  const aggregates = [...query.measures.map((measure) => measure.spec), COUNT_MEASURE];
  const kwargs: Record<string, unknown> = { context: query.context };
  if (query.limit !== undefined) {
    kwargs.limit = query.limit;
  }
  if (query.order.length > 0) {
    kwargs.order = query.order.map((term) => orderTermText(term, (m) => m.spec)).join(', ');
  }
  return { args: [query.domain, query.levels.map((level) => level.spec), aggregates], kwargs };
}

/**
 * Returns the key of each measure in a `read_group` row. Odoo names an aggregate "field:sum"
 * after the field alone, so two measures of one field, or a measure of a grouped field, would
 * share a key. Those get an alias, sent as "alias:function(field)".
 */
export function readGroupMeasureKeys(
  levels: readonly GroupbyLevel[],
  measures: readonly Measure[],
): Map<string, string> {
  const taken = new Set(levels.flatMap((level) => [level.spec, level.field.name]));
  const keys = new Map<string, string>();
  for (const measure of measures) {
    const name = measure.field.name;
    const shared = measures.filter((other) => other.field.name === name).length > 1;
    const key = shared || taken.has(name) ? `${name}_${measure.func}` : name;
    keys.set(measure.spec, key);
  }
  return keys;
}

function readGroupFieldSpec(measure: Measure, keys: Map<string, string>): string {
  const key = keys.get(measure.spec) ?? measure.field.name;
  return key === measure.field.name
    ? measure.spec
    : `${key}:${measure.func}(${measure.field.name})`;
}

/**
 * Writes one order term. A level is named by its spec, which both methods accept. A measure is
 * named by its key: `read_group` maps an `orderby` term that starts with an aggregate key to
 * the aggregate's spec, and `formatted_read_group` takes the spec itself.
 */
function orderTermText(term: GroupOrderTerm, measureName: (measure: Measure) => string): string {
  const direction = term.descending ? 'desc' : 'asc';
  switch (term.target.kind) {
    case 'level':
      return `${term.target.level.spec} ${direction}`;
    case 'measure':
      return `${measureName(term.target.measure)} ${direction}`;
    case 'count':
      return `${COUNT_MEASURE} ${direction}`;
  }
}

function isRow(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
