import { andDomains, normalizeDomain } from '../domain/parse.js';
import { valueError } from '../errors.js';
import type { Env, ModelTable } from '../orm/database.js';
import {
  type AggregateSpec,
  bucketValue,
  computeAggregate,
  type Group,
  type GroupbySpec,
  groupComparator,
  groupCondition,
  groupRecords,
  parseAggregate,
  parseGroupby,
} from './grouping.js';
import { visibleRecords } from './search.js';

/** A group with its aggregates computed, before it is formatted for one API or the other. */
export interface AggregatedGroup {
  group: Group;
  values: Map<string, unknown>;
}

/**
 * Groups the visible records of a model and computes the aggregates, sorted by `order` (or by
 * the groupby levels), then sliced by `offset` and `limit`. Returns the total number of groups
 * too, which web_read_group reports as `length`.
 */
export function aggregateGroups(
  env: Env,
  table: ModelTable,
  domain: unknown,
  levels: GroupbySpec[],
  aggregates: AggregateSpec[],
  options: { order: unknown; offset: unknown; limit: unknown },
): { groups: AggregatedGroup[]; length: number } {
  const records = visibleRecords(env, table, domain);
  const grouped =
    levels.length === 0 ? [{ buckets: [], records }] : groupRecords(env, levels, records);
  const aggregated = grouped.map((group) => ({
    group,
    values: new Map(
      aggregates.map((spec) => [spec.name, computeAggregate(env, spec, group.records)]),
    ),
  }));
  aggregated.sort(groupOrder(env, table, levels, options.order));
  const offset = typeof options.offset === 'number' ? options.offset : 0;
  const limit = typeof options.limit === 'number' && options.limit > 0 ? options.limit : undefined;
  const sliced = aggregated.slice(offset, limit === undefined ? undefined : offset + limit);
  return { groups: sliced, length: aggregated.length };
}

/**
 * Builds the comparator for an `orderby` of groups, such as "amount_total desc, partner_id". Terms
 * may name a groupby level, an aggregate or `__count`. Groups then fall back to level order.
 */
function groupOrder(
  env: Env,
  table: ModelTable,
  levels: GroupbySpec[],
  order: unknown,
): (a: AggregatedGroup, b: AggregatedGroup) => number {
  const natural = groupComparator(env, table, levels);
  const terms = typeof order === 'string' && order.trim() !== '' ? order.split(',') : [];
  const comparators = terms.map((term) => groupTermComparator(env, table, levels, term.trim()));
  return (a, b) => {
    for (const compare of comparators) {
      const result = compare(a, b);
      if (result !== 0) {
        return result;
      }
    }
    return natural(a.group, b.group);
  };
}

function groupTermComparator(
  env: Env,
  table: ModelTable,
  levels: GroupbySpec[],
  term: string,
): (a: AggregatedGroup, b: AggregatedGroup) => number {
  const [name = '', direction = 'asc'] = term.split(/\s+/);
  const sign = direction.toLowerCase() === 'desc' ? -1 : 1;
  const levelIndex = levels.findIndex((level) => level.spec === name || level.field.name === name);
  if (levelIndex !== -1) {
    const level = levels[levelIndex]!;
    const byLevel = groupComparator(env, table, [level]);
    return (a, b) =>
      sign *
      byLevel(
        { ...a.group, buckets: [a.group.buckets[levelIndex]!] },
        {
          ...b.group,
          buckets: [b.group.buckets[levelIndex]!],
        },
      );
  }
  const isCount = name === '__count' || name.endsWith('_count');
  return (a, b) => {
    const left = isCount ? a.group.records.length : a.values.get(name);
    const right = isCount ? b.group.records.length : b.values.get(name);
    if (left === undefined || right === undefined) {
      throw valueError(`Invalid field ${JSON.stringify(name)} in read_group orderby`);
    }
    return sign * (Number(left) - Number(right));
  };
}

/** Parses the aggregates of `read_group`'s `fields`, except groupby fields and `__count`. */
function readGroupAggregates(
  env: Env,
  table: ModelTable,
  fields: unknown,
  levels: GroupbySpec[],
): AggregateSpec[] {
  let specs: unknown[] = [];
  if (Array.isArray(fields)) {
    specs = fields;
  } else if (typeof fields === 'string') {
    specs = [fields];
  }
  const grouped = new Set(levels.map((level) => level.field.name));
  const result: AggregateSpec[] = [];
  for (const spec of specs) {
    const text = String(spec);
    if (text === '__count' || grouped.has(text)) {
      continue;
    }
    const aggregate = parseAggregate(env, table, text, 'field');
    if (aggregate !== undefined && !grouped.has(aggregate.name)) {
      result.push(aggregate);
    }
  }
  return result;
}

export interface ReadGroupParameters {
  domain: unknown;
  fields: unknown;
  groupby: unknown;
  offset: unknown;
  limit: unknown;
  orderby: unknown;
  lazy: unknown;
}

/**
 * `read_group` in the shape it has had since 17.0: lazy groups carry `<field>_count` and a
 * `__context` with the remaining levels, non-lazy ones `__count`. Each group has a `__domain`
 * (the call's domain AND the group's condition) and date levels add `__range`.
 */
export function readGroup(
  env: Env,
  table: ModelTable,
  parameters: ReadGroupParameters,
): { groups: Record<string, unknown>[]; length: number } {
  const allLevels = parseGroupby(env, table, parameters.groupby);
  const lazy = parameters.lazy !== false && allLevels.length > 0;
  const levels = lazy ? allLevels.slice(0, 1) : allLevels;
  const aggregates = readGroupAggregates(env, table, parameters.fields, allLevels);
  const { groups, length } = aggregateGroups(env, table, parameters.domain, levels, aggregates, {
    order: parameters.orderby,
    offset: parameters.offset,
    limit: parameters.limit,
  });
  const domain = normalizeDomain(env.series, parameters.domain ?? []);
  const countKey = lazy ? `${levels[0]!.field.name}_count` : '__count';
  const formatted = groups.map((aggregated) => {
    const result: Record<string, unknown> = {};
    levels.forEach((level, index) => {
      result[level.spec] = bucketValue(env, level, aggregated.group.buckets[index]!);
    });
    result[countKey] = aggregated.group.records.length;
    aggregated.values.forEach((value, name) => (result[name] = value));
    const condition = andDomains(groupCondition(levels, aggregated.group.buckets));
    result.__domain = andDomains([domain, condition]);
    addRange(result, levels, aggregated.group);
    if (lazy && allLevels.length > 1) {
      result.__context = { group_by: allLevels.slice(1).map((level) => level.spec) };
    }
    return result;
  });
  return { groups: formatted, length };
}

function addRange(result: Record<string, unknown>, levels: GroupbySpec[], group: Group): void {
  const range: Record<string, unknown> = {};
  levels.forEach((level, index) => {
    if (level.granularity !== undefined) {
      const period = group.buckets[index]!.period;
      range[level.spec] = period === undefined ? false : { from: period.from, to: period.to };
    }
  });
  if (Object.keys(range).length > 0) {
    result.__range = range;
  }
}
