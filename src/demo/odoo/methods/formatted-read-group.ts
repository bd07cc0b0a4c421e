import { andDomains, normalizeDomain } from '../domain/parse.js';
import { valueError } from '../errors.js';
import type { Env, ModelTable } from '../orm/database.js';
import {
  type AggregateSpec,
  formattedBucketValue,
  groupCondition,
  parseAggregate,
  parseGroupby,
} from './grouping.js';
import { type AggregatedGroup, aggregateGroups } from './read-group.js';

export interface FormattedReadGroupParameters {
  domain: unknown;
  groupby: unknown;
  aggregates: unknown;
  having: unknown;
  offset: unknown;
  limit: unknown;
  order: unknown;
}

function parseAggregates(env: Env, table: ModelTable, aggregates: unknown): AggregateSpec[] {
  const specs = Array.isArray(aggregates) ? aggregates : [];
  return specs
    .map((spec) => parseAggregate(env, table, String(spec), 'spec'))
    .filter((spec): spec is AggregateSpec => spec !== undefined);
}

/**
 * `formatted_read_group`, added in 19.0: all levels at once, keys named by the groupby and
 * aggregate specs, `__extra_domain` holding the group's own condition, and date levels as
 * `[start, label]`. `__count` appears only when asked for.
 */
export function formattedReadGroup(
  env: Env,
  table: ModelTable,
  parameters: FormattedReadGroupParameters,
  options: { alwaysCount?: boolean; firstLevelOnly?: boolean } = {},
): { groups: Record<string, unknown>[]; length: number } {
  normalizeDomain(env.series, parameters.domain ?? []);
  const allLevels = parseGroupby(env, table, parameters.groupby);
  const levels = options.firstLevelOnly ? allLevels.slice(0, 1) : allLevels;
  const aggregates = parseAggregates(env, table, parameters.aggregates);
  if (options.alwaysCount && !aggregates.some((spec) => spec.name === '__count')) {
    aggregates.push({ name: '__count', field: undefined, func: 'count' });
  }
  const having = normalizeDomain(env.series, parameters.having ?? []);
  const { groups, length } = aggregateGroups(env, table, parameters.domain, levels, aggregates, {
    order: parameters.order,
    offset: 0,
    limit: undefined,
  });
  const kept = groups.filter((group) => havingMatches(having, group));
  const offset = typeof parameters.offset === 'number' ? parameters.offset : 0;
  const limit = typeof parameters.limit === 'number' ? parameters.limit : undefined;
  const sliced = kept.slice(offset, limit === undefined ? undefined : offset + limit);
  const formatted = sliced.map((aggregated) => {
    const result: Record<string, unknown> = {};
    levels.forEach((level, index) => {
      result[level.spec] = formattedBucketValue(env, level, aggregated.group.buckets[index]!);
    });
    result.__extra_domain = andDomains(groupCondition(levels, aggregated.group.buckets));
    aggregated.values.forEach((value, name) => (result[name] = value));
    return result;
  });
  return { groups: formatted, length: having.length > 0 ? kept.length : length };
}

/**
 * Evaluates a `having` domain on a group's aggregates. Its leaves name aggregate specs
 * (`['amount_total:sum', '>', 1000]`, `['__count', '>=', 2]`) and compare numbers.
 */
function havingMatches(tokens: unknown[], group: AggregatedGroup): boolean {
  if (tokens.length === 0) {
    return true;
  }
  let index = 0;
  const evaluate = (): boolean => {
    const token = tokens[index++];
    if (token === '!') {
      return !evaluate();
    }
    if (token === '&' || token === '|') {
      const left = evaluate();
      const right = evaluate();
      return token === '&' ? left && right : left || right;
    }
    return havingLeaf(token, group);
  };
  return evaluate();
}

function havingLeaf(token: unknown, group: AggregatedGroup): boolean {
  if (!Array.isArray(token) || token.length !== 3) {
    throw valueError(`Invalid having condition ${JSON.stringify(token)}`);
  }
  const [name, operator, expected] = token as [string, string, number];
  const actual = name === '__count' ? group.group.records.length : group.values.get(name);
  if (actual === undefined) {
    throw valueError(
      `Invalid having condition ${JSON.stringify(token)}: ${name} is not aggregated`,
    );
  }
  const value = Number(actual);
  switch (operator) {
    case '=':
      return value === expected;
    case '!=':
      return value !== expected;
    case '<':
      return value < expected;
    case '<=':
      return value <= expected;
    case '>':
      return value > expected;
    case '>=':
      return value >= expected;
    default:
      throw valueError(`Invalid operator in having condition ${JSON.stringify(token)}`);
  }
}
