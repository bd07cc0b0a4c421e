import { readValue } from '../domain/evaluate.js';
import { valueError } from '../errors.js';
import {
  type DemoRecord,
  type Env,
  type FieldValue,
  isEmptyValue,
  type ModelTable,
} from '../orm/database.js';
import { defaultAggregator, type FieldSpec, isGroupable, isToMany } from '../orm/fields.js';
import { GRANULARITIES, type Granularity, isKnownZone, type Period, periodOf } from './dates.js';
import { invalidFieldName, recordComparator } from './order.js';
import { displayNameOf } from './search.js';

/** One level of a `groupby`, such as `partner_id` or `date_order:month`. */
export interface GroupbySpec {
  /** The spec as the caller wrote it, which is also the key of the group's value. */
  spec: string;
  field: FieldSpec;
  granularity?: Granularity;
}

/** The value of one groupby level for a group. */
export interface Bucket {
  /** A string that identifies the bucket within its level. */
  key: string;
  /** The stored value: an id, a scalar, or `false` for records without one. */
  value: FieldValue;
  /** The period of a date or datetime bucket. */
  period?: Period;
}

export interface Group {
  buckets: Bucket[];
  records: DemoRecord[];
}

export function parseGroupby(env: Env, table: ModelTable, groupby: unknown): GroupbySpec[] {
  const specs = typeof groupby === 'string' ? [groupby] : Array.isArray(groupby) ? groupby : [];
  return specs.map((spec) => {
    const text = String(spec);
    const [name = '', granularity] = text.split(':');
    const field = table.field(name);
    if (field === undefined) {
      throw invalidFieldName(env.series, table.name, name);
    }
    if (!isGroupable(field)) {
      throw valueError(`Field ${table.name}.${name} is not groupable`);
    }
    if (field.type !== 'date' && field.type !== 'datetime') {
      return { spec: text, field };
    }
    const chosen = granularity ?? 'month';
    if (!GRANULARITIES.has(chosen)) {
      throw valueError(`Invalid granularity ${JSON.stringify(chosen)} for field ${name}`);
    }
    return { spec: text, field, granularity: chosen as Granularity };
  });
}

/** Returns the buckets of a record for one level: several for a many2many, else one. */
function bucketsOf(env: Env, level: GroupbySpec, record: DemoRecord): Bucket[] {
  const value = readValue(env, level.field, record);
  if (isToMany(level.field)) {
    const ids = Array.isArray(value) ? value : [];
    return ids.length === 0 ? [emptyBucket()] : ids.map((id) => ({ key: String(id), value: id }));
  }
  if (isEmptyValue(value) && level.field.type !== 'boolean') {
    return [emptyBucket()];
  }
  if (level.granularity !== undefined) {
    const tz = env.tz !== undefined && isKnownZone(env.tz) ? env.tz : undefined;
    const period = periodOf(String(value), level.field.type === 'datetime', level.granularity, tz);
    return [{ key: period.from, value: period.from, period }];
  }
  return [{ key: JSON.stringify(value), value }];
}

function emptyBucket(): Bucket {
  return { key: 'false', value: false };
}

/** Groups records by all levels at once (non-lazy), a record joining every bucket it has. */
export function groupRecords(env: Env, levels: GroupbySpec[], records: DemoRecord[]): Group[] {
  const groups = new Map<string, Group>();
  for (const record of records) {
    let combinations: Bucket[][] = [[]];
    for (const level of levels) {
      const buckets = bucketsOf(env, level, record);
      combinations = combinations.flatMap((prefix) => buckets.map((bucket) => [...prefix, bucket]));
    }
    for (const buckets of combinations) {
      const key = buckets.map((bucket) => bucket.key).join('\u0000');
      const group = groups.get(key) ?? { buckets, records: [] };
      group.records.push(record);
      groups.set(key, group);
    }
  }
  return [...groups.values()];
}

/** Builds the condition that selects a group's records, one leaf (or range) per level. */
export function groupCondition(levels: GroupbySpec[], buckets: Bucket[]): unknown[][] {
  return levels.map((level, index) => {
    const bucket = buckets[index]!;
    const name = level.field.name;
    if (bucket.period !== undefined) {
      return ['&', [name, '>=', bucket.period.from], [name, '<', bucket.period.to]];
    }
    return [[name, '=', bucket.value]];
  });
}

/** Formats the value of a group for one level in the read_group (17.0, 18.0) shape. */
export function bucketValue(env: Env, level: GroupbySpec, bucket: Bucket): unknown {
  if (bucket.period !== undefined) {
    return bucket.period.label;
  }
  if (level.field.relation !== undefined && typeof bucket.value === 'number') {
    return [bucket.value, displayNameOf(env, level.field.relation, bucket.value)];
  }
  return bucket.value;
}

/** Formats a group value as formatted_read_group (19.0) does: dates as [start, label]. */
export function formattedBucketValue(env: Env, level: GroupbySpec, bucket: Bucket): unknown {
  if (bucket.period !== undefined) {
    return [bucket.period.from, bucket.period.label];
  }
  return bucketValue(env, level, bucket);
}

/** Compares two groups level by level, each in its field's natural order. */
export function groupComparator(
  env: Env,
  table: ModelTable,
  levels: GroupbySpec[],
): (a: Group, b: Group) => number {
  const rankers = levels.map((level) => bucketRanker(env, table, level));
  return (a, b) => {
    for (let index = 0; index < levels.length; index += 1) {
      const result = rankers[index]!(a.buckets[index]!, b.buckets[index]!);
      if (result !== 0) {
        return result;
      }
    }
    return 0;
  };
}

function bucketRanker(
  env: Env,
  table: ModelTable,
  level: GroupbySpec,
): (a: Bucket, b: Bucket) => number {
  const ranks =
    level.field.relation !== undefined ? relatedRanks(env, level.field.relation) : undefined;
  return (a, b) => {
    if (isEmptyValue(a.value) || isEmptyValue(b.value)) {
      if (level.field.type !== 'boolean') {
        return Number(isEmptyValue(a.value)) - Number(isEmptyValue(b.value));
      }
    }
    if (ranks !== undefined) {
      return (ranks.get(a.value as number) ?? 0) - (ranks.get(b.value as number) ?? 0);
    }
    if (typeof a.value === 'number' && typeof b.value === 'number') {
      return a.value - b.value;
    }
    return a.value === b.value ? 0 : String(a.value) < String(b.value) ? -1 : 1;
  };
}

function relatedRanks(env: Env, model: string): Map<number, number> {
  const comodel = env.db.require(model);
  const sorted = comodel.all().sort(recordComparator(env, comodel, []));
  return new Map(sorted.map((record, index) => [record.id, index]));
}

/** One aggregate to compute, such as `amount_total:sum` or `total:sum(amount_total)`. */
export interface AggregateSpec {
  /** The key of the result: the alias, or the field name (17.0, 18.0) or spec (19.0). */
  name: string;
  field: FieldSpec | undefined;
  func: string;
}

const AGGREGATE_FUNCTIONS = new Set([
  'sum',
  'avg',
  'min',
  'max',
  'count',
  'count_distinct',
  'bool_and',
  'bool_or',
  'array_agg',
]);

/**
 * Parses an aggregate spec. `keyStyle` 'field' names results by field or alias, as
 * read_group does; 'spec' names them by the spec itself, as formatted_read_group does.
 */
export function parseAggregate(
  env: Env,
  table: ModelTable,
  spec: string,
  keyStyle: 'field' | 'spec',
): AggregateSpec | undefined {
  if (spec === '__count') {
    return { name: '__count', field: undefined, func: 'count' };
  }
  const match = /^(\w+)(?::(\w+)(?:\((\w+)\))?)?$/.exec(spec);
  if (match === null) {
    throw valueError(`Invalid aggregate specification ${JSON.stringify(spec)}`);
  }
  const [, first = '', func, argument] = match;
  const fieldName = argument ?? first;
  const field = table.field(fieldName);
  if (field === undefined) {
    throw invalidFieldName(env.series, table.name, fieldName);
  }
  const chosen = func ?? defaultAggregator(field);
  if (chosen === undefined) {
    return undefined;
  }
  if (!AGGREGATE_FUNCTIONS.has(chosen)) {
    throw valueError(`Invalid aggregation function ${JSON.stringify(chosen)}.`);
  }
  return { name: keyStyle === 'spec' ? spec : first, field, func: chosen };
}

/** Computes an aggregate over a group's records, as PostgreSQL's aggregate functions do. */
export function computeAggregate(
  env: Env,
  aggregate: AggregateSpec,
  records: DemoRecord[],
): unknown {
  if (aggregate.field === undefined) {
    return records.length;
  }
  const field = aggregate.field;
  const values = records
    .map((record) => readValue(env, field, record))
    .filter((value) => field.type === 'boolean' || !isEmptyValue(value));
  switch (aggregate.func) {
    case 'count':
      return values.length;
    case 'count_distinct':
      return new Set(values.map((value) => JSON.stringify(value))).size;
    case 'array_agg':
      return values;
    case 'bool_and':
      return values.length === 0 ? false : values.every(Boolean);
    case 'bool_or':
      return values.some(Boolean);
    default:
      return numericAggregate(aggregate.func, values);
  }
}

function compareValues(a: FieldValue, b: FieldValue): number {
  if (a === b) {
    return 0;
  }
  return a! < b! ? -1 : 1;
}

function numericAggregate(func: string, values: FieldValue[]): unknown {
  if (values.length === 0) {
    return false;
  }
  if (func === 'min' || func === 'max') {
    const sorted = [...values].sort(compareValues);
    return func === 'min' ? sorted[0] : sorted.at(-1);
  }
  const total = values.reduce<number>((sum, value) => sum + Number(value), 0);
  const result = func === 'avg' ? total / values.length : total;
  // Removes binary floating-point noise, since PostgreSQL sums numeric columns exactly.
  return Number(result.toPrecision(15));
}
