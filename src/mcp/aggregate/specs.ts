import { ToolError } from '../errors.js';
import { checkFieldNames, type FieldInfo, type FieldMap } from '../fields.js';

/** The date periods a `groupby` may name after a colon, as in "date_order:month". */
export const GRANULARITIES = ['day', 'week', 'month', 'quarter', 'year'] as const;
export type Granularity = (typeof GRANULARITIES)[number];

/** The aggregate functions a measure may name after a colon, as in "amount_total:sum". */
export const AGGREGATE_FUNCTIONS = ['sum', 'avg', 'min', 'max'] as const;
export type AggregateFunction = (typeof AGGREGATE_FUNCTIONS)[number];

/** The measure that counts records; every group carries the count, so it adds no key. */
export const COUNT_MEASURE = '__count';

/** The key of the record count in a normalized group, which no groupby key may take. */
export const COUNT_KEY = 'count';

/** Field types the measures take: Odoo sums and averages numeric columns only. */
const NUMERIC_TYPES: ReadonlySet<string> = new Set(['integer', 'float', 'monetary']);

/** Field types Odoo cannot group on: they have no column of their own to group by. */
const UNGROUPABLE_TYPES: ReadonlySet<string> = new Set(['one2many', 'binary', 'properties']);

/** One level of the grouping, such as `partner_id` or `date_order:month`. */
export interface GroupbyLevel {
  /** The spec sent to Odoo, which is also the level's key in a normalized group. */
  spec: string;
  field: FieldInfo;
  /** The period of a date or datetime level; undefined for other fields. */
  granularity?: Granularity;
}

/** One aggregate over each group, such as `amount_total:sum`. */
export interface Measure {
  /** The spec as `field:function`, which is also the measure's key in a normalized group. */
  spec: string;
  field: FieldInfo;
  func: AggregateFunction;
}

/** The checked levels, and the date fields given without a period, which default to month. */
export interface ParsedGroupby {
  levels: GroupbyLevel[];
  defaultedToMonth: string[];
}

/** A field name or path, then optionally a colon and a period or function name. */
const FIELD_SPEC = /^([A-Za-z_][A-Za-z0-9_.]*)(?::([A-Za-z_]+))?$/;

/**
 * Checks each `groupby` spec against the model's fields and returns the levels. A date or
 * datetime field without a period is grouped by month, as Odoo's `read_group` does, and
 * `formatted_read_group` requires the period, so it is always sent.
 */
export function parseGroupby(
  specs: readonly string[],
  fields: FieldMap,
  model: string,
): ParsedGroupby {
  const levels: GroupbyLevel[] = [];
  const defaultedToMonth: string[] = [];
  for (const raw of specs) {
    const level = parseGroupbyLevel(raw.trim(), fields, model);
    if (level.granularity !== undefined && !raw.includes(':')) {
      defaultedToMonth.push(level.field.name);
    }
    if (!levels.some((known) => known.spec === level.spec)) {
      levels.push(level);
    }
  }
  return { levels, defaultedToMonth };
}

function parseGroupbyLevel(spec: string, fields: FieldMap, model: string): GroupbyLevel {
  const match = FIELD_SPEC.exec(spec);
  if (match === null || match[1] === undefined) {
    throw invalidSpec(
      `Invalid groupby ${JSON.stringify(spec)}: write a field name, or a date field and a ` +
        `period such as "date_order:month" (periods: ${GRANULARITIES.join(', ')}).`,
    );
  }
  const name = match[1];
  rejectPath(name, model, 'groupby');
  checkFieldNames([name], fields, model, 'groupby');
  const field = fields.get(name)!;
  if (UNGROUPABLE_TYPES.has(field.type)) {
    throw invalidSpec(
      `${model} cannot be grouped by "${name}" ("${field.label}"), which is a ${field.type} ` +
        'field. Group by a field of another type, or aggregate the related model instead.',
    );
  }
  if (name === COUNT_KEY) {
    throw invalidSpec(
      `${model} cannot be grouped by "${name}" here: every group already has a "count" key.`,
    );
  }
  return withGranularity(field, match[2], model);
}

function withGranularity(
  field: FieldInfo,
  granularity: string | undefined,
  model: string,
): GroupbyLevel {
  const isDate = field.type === 'date' || field.type === 'datetime';
  if (!isDate) {
    if (granularity !== undefined) {
      throw invalidSpec(
        `Invalid groupby "${field.name}:${granularity}": a period such as ":${granularity}" ` +
          `only goes after a date or datetime field, and ${model} field "${field.name}" ` +
          `("${field.label}") is a ${field.type} field. Write "${field.name}" alone.`,
      );
    }
    return { spec: field.name, field };
  }
  const chosen = granularity ?? 'month';
  if (!isGranularity(chosen)) {
    throw invalidSpec(
      `Invalid period "${chosen}" in groupby "${field.name}:${chosen}": use one of ` +
        `${GRANULARITIES.join(', ')}, such as "${field.name}:month".`,
    );
  }
  return { spec: `${field.name}:${chosen}`, field, granularity: chosen };
}

/**
 * Checks each measure against the model's fields and returns the aggregates, without
 * `__count`: every group has its count anyway.
 */
export function parseMeasures(
  specs: readonly string[],
  fields: FieldMap,
  model: string,
): Measure[] {
  const measures: Measure[] = [];
  for (const raw of specs) {
    const spec = raw.trim();
    if (spec === COUNT_MEASURE) {
      continue;
    }
    const measure = parseMeasure(spec, fields, model);
    if (!measures.some((known) => known.spec === measure.spec)) {
      measures.push(measure);
    }
  }
  return measures;
}

function parseMeasure(spec: string, fields: FieldMap, model: string): Measure {
  const match = FIELD_SPEC.exec(spec);
  const forms = `"field:sum", "field:avg", "field:min", "field:max" or "${COUNT_MEASURE}"`;
  if (match === null || match[1] === undefined) {
    throw invalidSpec(`Invalid measure ${JSON.stringify(spec)}: write ${forms}.`);
  }
  const name = match[1];
  rejectPath(name, model, 'measures');
  checkFieldNames([name], fields, model, 'measures');
  const func = match[2];
  if (func === undefined) {
    throw invalidSpec(
      `Invalid measure "${name}": name the aggregate function too, such as "${name}:sum". ` +
        `Measures are ${forms}.`,
    );
  }
  if (!isAggregateFunction(func)) {
    throw invalidSpec(
      `Invalid measure "${spec}": "${func}" is not one of ${AGGREGATE_FUNCTIONS.join(', ')}.`,
    );
  }
  const field = fields.get(name)!;
  if (!NUMERIC_TYPES.has(field.type)) {
    throw invalidSpec(
      `Invalid measure "${spec}": ${func} takes an integer, float or monetary field, and ` +
        `${model} field "${name}" ("${field.label}") is a ${field.type} field. Group by it ` +
        `instead, or count the records of each group, which every group has as "count".`,
    );
  }
  return { spec: `${name}:${func}`, field, func };
}

/** Odoo groups and aggregates only the model's own fields, so a dotted path is rejected. */
function rejectPath(name: string, model: string, argument: string): void {
  if (!name.includes('.')) {
    return;
  }
  throw invalidSpec(
    `Invalid ${argument} "${name}": Odoo groups and aggregates only fields of ${model} itself, ` +
      'not fields of a related model. Aggregate that model instead, or group by the many2one ' +
      `field "${name.split('.')[0]}".`,
  );
}

function isGranularity(text: string): text is Granularity {
  return (GRANULARITIES as readonly string[]).includes(text);
}

function isAggregateFunction(text: string): text is AggregateFunction {
  return (AGGREGATE_FUNCTIONS as readonly string[]).includes(text);
}

function invalidSpec(message: string): ToolError {
  return new ToolError('invalid_value', message);
}
