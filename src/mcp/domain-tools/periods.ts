import { type LocalDate, resolveFrom, resolveTo, utcBounds } from '../dates.js';
import type { Domain } from '../domain.js';
import { ToolError } from '../errors.js';
import type { PersonContext } from '../person-context.js';

/** A range of days from two optional arguments, both ends included. */
export interface DayRange {
  first?: LocalDate;
  last?: LocalDate;
}

/**
 * Resolves a "from" and a "to" argument in the person's time zone, each to the first or last
 * day of the period it names ("this month" from its first day, to its last). Raises a ToolError
 * when the range is empty.
 */
export function resolveDayRange(
  from: string | undefined,
  to: string | undefined,
  names: { from: string; to: string },
  tz: string,
): DayRange {
  const range: DayRange = {};
  if (from !== undefined) {
    range.first = resolveFrom(from, tz);
  }
  if (to !== undefined) {
    range.last = resolveTo(to, tz);
  }
  if (range.first !== undefined && range.last !== undefined && range.first > range.last) {
    throw new ToolError(
      'invalid_date',
      `${names.from} "${from}" starts on ${range.first}, after ${names.to} "${to}" ends on ` +
        `${range.last}, so no day is in the range. Swap them or widen the range.`,
    );
  }
  return range;
}

/** Builds the leaves for a date field, which Odoo compares with local days as they are. */
export function dateLeaves(field: string, range: DayRange): Domain {
  const leaves: Domain = [];
  if (range.first !== undefined) {
    leaves.push([field, '>=', range.first]);
  }
  if (range.last !== undefined) {
    leaves.push([field, '<=', range.last]);
  }
  return leaves;
}

/**
 * Builds the leaves for a datetime field, which Odoo stores in UTC: from local midnight of the
 * first day, up to but excluding local midnight after the last day.
 */
export function datetimeLeaves(field: string, range: DayRange, tz: string): Domain {
  const leaves: Domain = [];
  if (range.first !== undefined) {
    leaves.push([field, '>=', utcBounds(range.first, range.first, tz).start]);
  }
  if (range.last !== undefined) {
    leaves.push([field, '<', utcBounds(range.last, range.last, tz).end]);
  }
  return leaves;
}

/** Builds the note that shows how a range was read, or undefined when none was given. */
export function rangeNote(
  label: string,
  range: DayRange,
  person: PersonContext,
): string | undefined {
  if (range.first === undefined && range.last === undefined) {
    return undefined;
  }
  const from = range.first === undefined ? '' : ` from ${range.first}`;
  const to = range.last === undefined ? '' : ` to ${range.last}`;
  return `${label}${from}${to}, days in ${zoneText(person)}.`;
}

/** Names the person's time zone for a note, saying why it is UTC when Odoo has none set. */
export function zoneText(person: PersonContext): string {
  return person.tzUnset ? 'UTC, because the person has no time zone set in Odoo' : person.tz;
}
