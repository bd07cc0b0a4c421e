import { ToolError } from '../errors.js';
import { COUNT_KEY, COUNT_MEASURE, type GroupbyLevel, type Measure } from './specs.js';

/** The target of one order term: a groupby level, a measure or the record count. */
export type GroupOrderTarget =
  | { kind: 'level'; level: GroupbyLevel }
  | { kind: 'measure'; measure: Measure }
  | { kind: 'count' };

/** One term of a group order, such as "amount_total:sum desc". */
export interface GroupOrderTerm {
  target: GroupOrderTarget;
  descending: boolean;
}

const ORDER_TERM = /^(\S+)(?:\s+(asc|desc))?$/i;

/**
 * Parses an `order` of groups: comma-separated groupby specs, measures or `count`, each
 * optionally followed by asc or desc. A groupby level may be named by its field alone
 * ("date_order" for "date_order:month"). Throws an `invalid_order` error for any other term,
 * so nothing but known names reaches Odoo.
 */
export function parseGroupOrder(
  order: string,
  levels: readonly GroupbyLevel[],
  measures: readonly Measure[],
): GroupOrderTerm[] {
  return order.split(',').map((term) => parseTerm(term.trim(), order, levels, measures));
}

function parseTerm(
  term: string,
  order: string,
  levels: readonly GroupbyLevel[],
  measures: readonly Measure[],
): GroupOrderTerm {
  const match = ORDER_TERM.exec(term);
  const name = match?.[1];
  const target = name === undefined ? undefined : findTarget(name, levels, measures);
  if (match === null || target === undefined) {
    throw orderError(order, term, levels, measures);
  }
  return { target, descending: match[2]?.toLowerCase() === 'desc' };
}

function findTarget(
  name: string,
  levels: readonly GroupbyLevel[],
  measures: readonly Measure[],
): GroupOrderTarget | undefined {
  if (name === COUNT_KEY || name === COUNT_MEASURE) {
    return { kind: 'count' };
  }
  const level =
    levels.find((candidate) => candidate.spec === name) ??
    levels.find((candidate) => candidate.field.name === name);
  if (level !== undefined) {
    return { kind: 'level', level };
  }
  const measure = measures.find((candidate) => candidate.spec === name);
  return measure === undefined ? undefined : { kind: 'measure', measure };
}

function orderError(
  order: string,
  term: string,
  levels: readonly GroupbyLevel[],
  measures: readonly Measure[],
): ToolError {
  const names = [...levels.map((level) => level.spec), ...measures.map((m) => m.spec), COUNT_KEY];
  const listed = names.map((name) => `"${name}"`).join(', ');
  return new ToolError(
    'invalid_order',
    `Invalid order ${JSON.stringify(order)}: ${JSON.stringify(term)} is not a groupby spec, ` +
      `a measure or count of this call. Sort by ${listed}, each optionally followed by asc or ` +
      'desc, such as "count desc". To sort by another aggregate, add it to measures.',
  );
}
