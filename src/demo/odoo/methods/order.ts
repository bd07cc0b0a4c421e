import { type OdooException, userError, valueError } from '../errors.js';
import { readValue } from '../domain/evaluate.js';
import {
  type DemoRecord,
  type Env,
  type FieldValue,
  isEmptyValue,
  type ModelTable,
} from '../orm/database.js';
import { type FieldSpec, isSortable } from '../orm/fields.js';
import { majorOf, type OdooSeries } from '../version.js';

/** One key of an `order` specification. */
export interface OrderTerm {
  field: FieldSpec;
  descending: boolean;
  /** PostgreSQL puts NULLs last in ascending order and first in descending order by default. */
  nullsFirst: boolean;
}

// Odoo's `regex_order`: comma-separated names with an optional direction and NULLS clause.
const ORDER_NAME = String.raw`([a-z0-9:_]+|"[a-z0-9:_]+")(\.id)?`;
const ORDER_TERM = String.raw`\s*${ORDER_NAME}(\s+(desc|asc))?(\s+nulls\s+(first|last))?\s*`;
const ORDER_SPEC = new RegExp(`^(${ORDER_TERM}(,|$))+(?<!,)$`, 'i');

const COLLATOR = new Intl.Collator('en-US');

/** Builds the ValueError for a field name the model does not have, in the series' wording. */
export function invalidFieldName(series: OdooSeries, model: string, name: string): OdooException {
  const on = majorOf(series) >= 19 ? `'${model}'` : `model '${model}'`;
  return valueError(`Invalid field '${name}' on ${on}`);
}

/**
 * Parses an `order` string. Unknown fields raise; fields that cannot be sorted (not stored,
 * x2many) are skipped, as Odoo skips them with a warning in its log.
 */
export function parseOrder(series: OdooSeries, table: ModelTable, order: string): OrderTerm[] {
  if (!ORDER_SPEC.test(order)) {
    throw userError(
      `Invalid "order" specified (${order}). A valid "order" specification is a ` +
        'comma-separated list of valid field names (optionally followed by asc/desc for the ' +
        'direction)',
    );
  }
  const terms: OrderTerm[] = [];
  for (const part of order.split(',')) {
    const words = part.trim().split(/\s+/);
    const name = words[0]!.replaceAll('"', '').replace(/\.id$/, '');
    const field = table.field(name);
    if (field === undefined) {
      throw invalidFieldName(series, table.name, name);
    }
    if (!isSortable(field)) {
      continue;
    }
    const descending = words[1]?.toLowerCase() === 'desc';
    const nulls = words.slice(-1)[0]?.toLowerCase();
    const nullsFirst = words.length > 2 ? nulls === 'first' : descending;
    terms.push({ field, descending, nullsFirst });
  }
  return terms;
}

/** Parses the model's default order (`_order`). */
export function defaultOrder(series: OdooSeries, table: ModelTable): OrderTerm[] {
  return parseOrder(series, table, table.spec.order);
}

/**
 * Builds a comparator for records of a model: the given terms, then the model's default order and
 * the id, so that equal keys still come out in a stable order.
 */
export function recordComparator(
  env: Env,
  table: ModelTable,
  terms: OrderTerm[],
): (a: DemoRecord, b: DemoRecord) => number {
  const all = [...terms, ...defaultOrder(env.series, table)];
  const keys = all.map((term) => sortKeyFunction(env, term.field, 0));
  return (a, b) => {
    for (let index = 0; index < all.length; index += 1) {
      const term = all[index]!;
      const key = keys[index]!;
      const result = compareKeys(key(a), key(b), term);
      if (result !== 0) {
        return result;
      }
    }
    return a.id - b.id;
  };
}

type SortKey = string | number | boolean | null;

/**
 * Returns the sort key of a field. A many2one sorts by its target's rank in the comodel's own
 * order, as Odoo joins the comodel and orders by its `_order`.
 */
function sortKeyFunction(
  env: Env,
  field: FieldSpec,
  depth: number,
): (record: DemoRecord) => SortKey {
  if (field.type === 'many2one') {
    const ranks = comodelRanks(env, field.relation!, depth);
    return (record) => {
      const value = readValue(env, field, record);
      return typeof value === 'number' ? (ranks.get(value) ?? value) : null;
    };
  }
  return (record) => scalarKey(field, readValue(env, field, record));
}

function scalarKey(field: FieldSpec, value: FieldValue): SortKey {
  if (field.type === 'boolean') {
    return value === true;
  }
  if (isEmptyValue(value)) {
    return null;
  }
  return Array.isArray(value) ? null : value;
}

function comodelRanks(env: Env, model: string, depth: number): Map<number, number> {
  const comodel = env.db.table(model);
  const ranks = new Map<number, number>();
  if (comodel === undefined) {
    return ranks;
  }
  const records = comodel.all();
  if (depth < 2) {
    const terms = defaultOrder(env.series, comodel);
    const keys = terms.map((term) => sortKeyFunction(env, term.field, depth + 1));
    records.sort((a, b) => {
      for (let index = 0; index < terms.length; index += 1) {
        const result = compareKeys(keys[index]!(a), keys[index]!(b), terms[index]!);
        if (result !== 0) {
          return result;
        }
      }
      return a.id - b.id;
    });
  }
  records.forEach((record, index) => ranks.set(record.id, index));
  return ranks;
}

function compareKeys(a: SortKey, b: SortKey, term: OrderTerm): number {
  if (a === null || b === null) {
    if (a === b) {
      return 0;
    }
    return (a === null) === term.nullsFirst ? -1 : 1;
  }
  let result: number;
  if (typeof a === 'string' && typeof b === 'string') {
    result = isCollated(term.field) ? COLLATOR.compare(a, b) : compareCodePoints(a, b);
  } else {
    result = Number(a) - Number(b);
  }
  return term.descending ? -result : result;
}

function compareCodePoints(a: string, b: string): number {
  if (a === b) {
    return 0;
  }
  return a < b ? -1 : 1;
}

function isCollated(field: FieldSpec): boolean {
  return field.type === 'char' || field.type === 'text' || field.type === 'html';
}

/** Sorts records by an `order` string, or by the model's default order when it is empty. */
export function sortRecords(
  env: Env,
  table: ModelTable,
  records: DemoRecord[],
  order: unknown,
): DemoRecord[] {
  const terms =
    typeof order === 'string' && order.trim() !== '' ? parseOrder(env.series, table, order) : [];
  return [...records].sort(recordComparator(env, table, terms));
}
