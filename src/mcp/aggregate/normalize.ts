import { type RawGroups, readGroupMeasureKeys } from './grouping-methods.js';
import { COUNT_KEY, COUNT_MEASURE, type GroupbyLevel, type Measure } from './specs.js';
import { toLocalMinute } from '../dates.js';

/** The value of one groupby level in a group: what a domain compares, and what people read. */
export interface GroupValue {
  /**
   * A many2one's id, a selection's key, a date period's first day as "YYYY-MM-DD", a
   * boolean, or the field's own value. It is null for records without a value.
   */
  value: string | number | boolean | null;
  /** The record name, selection label or Odoo's period label, such as "October 2026". */
  label: string;
}

/**
 * One group in the same shape whatever method Odoo used: each groupby spec maps to a
 * `GroupValue`, each measure spec to a number (null when no record has a value), and `count`
 * to the number of records.
 */
export type NormalizedGroup = { [COUNT_KEY]: number | null } & Record<
  string,
  GroupValue | number | null
>;

/** The group of the records that have no value for a level, as Odoo's web client labels it. */
const NO_VALUE: GroupValue = { value: null, label: 'None' };

/**
 * Turns the rows of either grouping method into normalized groups. `tz` is the time zone the
 * grouping ran in, which turns the UTC start of a datetime period into its local first day.
 */
export function normalizeGroups(
  raw: RawGroups,
  levels: readonly GroupbyLevel[],
  measures: readonly Measure[],
  tz = 'UTC',
): NormalizedGroup[] {
  return raw.method === 'read_group'
    ? normalizeReadGroupRows(raw.rows, levels, measures, tz)
    : normalizeFormattedRows(raw.rows, levels, measures, tz);
}

/**
 * Normalizes `read_group` rows of Odoo 17.0-19.0. Date levels carry Odoo's label ("October
 * 2026") and their bounds in `__range`. The count is `__count` with `lazy` false, and
 * `<first field>_count` in the default lazy shape.
 */
export function normalizeReadGroupRows(
  rows: ReadonlyArray<Record<string, unknown>>,
  levels: readonly GroupbyLevel[],
  measures: readonly Measure[],
  tz = 'UTC',
): NormalizedGroup[] {
  const keys = readGroupMeasureKeys(levels, measures);
  const lazyCountKey = levels[0] === undefined ? COUNT_MEASURE : `${levels[0].field.name}_count`;
  return rows.map((row) => {
    const group: Record<string, GroupValue | number | null> = {};
    for (const level of levels) {
      group[level.spec] =
        level.granularity === undefined
          ? fieldValue(level, row[level.spec])
          : readGroupPeriod(level, row[level.spec], row.__range, tz);
    }
    for (const measure of measures) {
      group[measure.spec] = numberOrNull(row[keys.get(measure.spec) ?? measure.field.name]);
    }
    return withCount(group, row[COUNT_MEASURE] ?? row[lazyCountKey]);
  });
}

/**
 * Normalizes `formatted_read_group` rows of Odoo 19.0: keys are the groupby and aggregate
 * specs, date levels are `[first instant, label]`, and `__count` is there when asked for.
 */
export function normalizeFormattedRows(
  rows: ReadonlyArray<Record<string, unknown>>,
  levels: readonly GroupbyLevel[],
  measures: readonly Measure[],
  tz = 'UTC',
): NormalizedGroup[] {
  return rows.map((row) => {
    const group: Record<string, GroupValue | number | null> = {};
    for (const level of levels) {
      const raw = row[level.spec];
      group[level.spec] =
        level.granularity === undefined ? fieldValue(level, raw) : formattedPeriod(level, raw, tz);
    }
    for (const measure of measures) {
      group[measure.spec] = numberOrNull(row[measure.spec]);
    }
    return withCount(group, row[COUNT_MEASURE]);
  });
}

/** Reads a date level of `read_group`, whose value is only the label; `__range` has the bounds. */
function readGroupPeriod(
  level: GroupbyLevel,
  raw: unknown,
  range: unknown,
  tz: string,
): GroupValue {
  if (isEmpty(raw)) {
    return NO_VALUE;
  }
  const bounds = isObject(range) ? range[level.spec] : undefined;
  const from = isObject(bounds) ? bounds.from : undefined;
  // Odoo 18.0's read_group sets `__range` on every date group, and the 17.0 and 19.0
  // recordings have it too. Without it, the label is the only value known.
  const value = typeof from === 'string' ? periodFirstDay(level, from, tz) : String(raw);
  return { value, label: String(raw) };
}

function formattedPeriod(level: GroupbyLevel, raw: unknown, tz: string): GroupValue {
  if (isEmpty(raw)) {
    return NO_VALUE;
  }
  if (Array.isArray(raw) && typeof raw[0] === 'string') {
    const label = typeof raw[1] === 'string' ? raw[1] : raw[0];
    return { value: periodFirstDay(level, raw[0], tz), label };
  }
  return { value: String(raw), label: String(raw) };
}

/**
 * Returns the first day of a period as "YYYY-MM-DD". A date field's start is that day. For a
 * datetime field grouped in time zone `tz`, Odoo 18.0 gives the start in `__range` as the UTC
 * instant of local midnight, so it is converted back to the local day.
 * NOTE: no recording shows 19.0's `formatted_read_group` start with a `tz` in the context. A
 * start that is not local midnight in UTC terms is taken to be local already, and its date
 * part is used.
 */
export function periodFirstDay(level: GroupbyLevel, start: string, tz: string): string {
  const day = start.slice(0, 10);
  if (level.field.type !== 'datetime') {
    return day;
  }
  const local = toLocalMinute(start, tz);
  return local?.endsWith(' 00:00') ? local.slice(0, 10) : day;
}

/**
 * Reads a level that is not a date period: a many2one or many2many as `[id, name]`, a
 * selection key with its label from `fields_get`, a boolean as yes or no, or a plain value.
 */
function fieldValue(level: GroupbyLevel, raw: unknown): GroupValue {
  if (level.field.type === 'boolean') {
    return raw === true ? { value: true, label: 'Yes' } : { value: false, label: 'No' };
  }
  if (isEmpty(raw)) {
    return NO_VALUE;
  }
  if (Array.isArray(raw) && typeof raw[0] === 'number') {
    return { value: raw[0], label: typeof raw[1] === 'string' ? raw[1] : String(raw[0]) };
  }
  if (typeof raw === 'string' || typeof raw === 'number') {
    const label = level.field.selection?.find(([key]) => key === raw)?.[1];
    return { value: raw, label: label ?? String(raw) };
  }
  return { value: JSON.stringify(raw), label: JSON.stringify(raw) };
}

function withCount(
  group: Record<string, GroupValue | number | null>,
  count: unknown,
): NormalizedGroup {
  return { ...group, [COUNT_KEY]: typeof count === 'number' ? count : null };
}

function numberOrNull(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/** Odoo sends `false` for a group without a value (SQL NULL). */
function isEmpty(value: unknown): boolean {
  return value === false || value === null || value === undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
