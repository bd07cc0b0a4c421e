import type { Domain, DomainLeaf } from './domain.js';
import type { FieldInfo, FieldMap } from './fields.js';

/** How to write a domain value for a field of each type, with an example. */
export const VALUE_FORMS: Readonly<Record<string, string>> = {
  date: 'a date as "YYYY-MM-DD", such as "2026-12-04"',
  datetime:
    'a datetime as "YYYY-MM-DD HH:MM:SS" in UTC, such as "2026-12-04 15:30:00"; a bare ' +
    '"YYYY-MM-DD" means the start of that day, or its end with > and <=',
  integer: 'a whole number without quotes, such as 5',
  float: 'a number without quotes, such as 12.5',
  monetary: 'an amount as a number without quotes, such as 1500 or 12.5',
  many2one:
    'a record id such as 7, or a name with "ilike", such as ["partner_id", "ilike", "deco"]',
  boolean: 'true or false, without quotes',
};

/** The general rule, for a value error whose field the domain does not show. */
const ALL_FORMS =
  'Dates are "YYYY-MM-DD", datetimes "YYYY-MM-DD HH:MM:SS" in UTC, numbers and amounts go ' +
  'without quotes, a many2one takes a record id or a name with "ilike", and booleans are ' +
  'true or false.';

const COMPARISONS: ReadonlySet<string> = new Set(['=', '!=', '<>', '<', '>', '<=', '>=']);
const MEMBERSHIP: ReadonlySet<string> = new Set(['in', 'not in']);

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATETIME = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}(:?\d{2})?)?$/;
const INTEGER = /^\s*[+-]?\d+\s*$/;
const NUMBER = /^\s*[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?\s*$/i;

/** Returns the leaves of a domain, without entering `any` domains. */
export function domainLeaves(domain: Domain): DomainLeaf[] {
  return domain.filter((term): term is DomainLeaf => Array.isArray(term));
}

/** Returns the values a leaf compares its field with, or none for operators not checked here. */
export function leafValues(leaf: DomainLeaf): unknown[] {
  const operator = leaf[1].toLowerCase();
  if (COMPARISONS.has(operator)) {
    return [leaf[2]];
  }
  if (MEMBERSHIP.has(operator) && Array.isArray(leaf[2])) {
    return leaf[2];
  }
  return [];
}

/**
 * Tests whether Odoo can compare the field with the value. Odoo turns a number or `true` into text
 * for a date column, which PostgreSQL then rejects, while `false` means "not set".
 */
export function fitsType(value: unknown, field: FieldInfo): boolean {
  if (value === false || value === null) {
    return true;
  }
  switch (field.type) {
    case 'date':
    case 'datetime':
      return typeof value === 'string' && (DATE.test(value) || DATETIME.test(value));
    case 'integer':
      return typeof value !== 'string' || INTEGER.test(value);
    case 'float':
    case 'monetary':
      return typeof value !== 'string' || NUMBER.test(value);
    default:
      return true;
  }
}

/**
 * Field types by the type names in the errors a value of the wrong type causes: PostgreSQL's
 * "invalid input syntax for type timestamp" and Python's `int()` and `float()` errors, which
 * Odoo 18.0 raises while it converts a value for an integer or float field.
 */
const FIELD_TYPES_BY_ERROR: ReadonlyArray<readonly [RegExp, readonly string[]]> = [
  [/^invalid input syntax for type timestamp/, ['datetime']],
  [/^invalid input syntax for type date/, ['date']],
  [/^date\/time field value out of range/, ['date', 'datetime']],
  [/^invalid input syntax for type (integer|bigint)/, ['integer', 'many2one']],
  [/^invalid literal for int\(\) with base 10/, ['integer']],
  [/^invalid input syntax for type (numeric|double precision)/, ['monetary', 'float']],
  [/^could not convert string to float/, ['float']],
  [/^invalid input syntax for type boolean/, ['boolean']],
];

/** Returns the field types a value error points at, or undefined for another error. */
export function valueErrorFieldTypes(message: string): readonly string[] | undefined {
  return FIELD_TYPES_BY_ERROR.find(([pattern]) => pattern.test(message))?.[1];
}

/**
 * Builds the hint for a value error from Odoo: which fields of the domain have the type the
 * error names and take a string there, and how to write their values.
 */
export function valueErrorHint(
  fieldTypes: readonly string[],
  domain: { domain: Domain; fields: FieldMap } | undefined,
): string {
  const suspects = domain === undefined ? [] : suspectFields(fieldTypes, domain);
  if (suspects.length === 0) {
    return `Odoo could not use a value of the domain as the type its field needs. ${ALL_FORMS}`;
  }
  const lines = suspects.map(
    (field) => `"${field.name}" is a ${field.type} field: write ${VALUE_FORMS[field.type]}.`,
  );
  return `Odoo could not use a value of the domain as the type its field needs. ${lines.join(' ')}`;
}

function suspectFields(
  fieldTypes: readonly string[],
  { domain, fields }: { domain: Domain; fields: FieldMap },
): FieldInfo[] {
  const suspects = new Map<string, FieldInfo>();
  for (const leaf of domainLeaves(domain)) {
    const field = typeof leaf[0] === 'string' ? fields.get(leaf[0]) : undefined;
    const takesString = leafValues(leaf).some((value) => typeof value === 'string');
    if (field !== undefined && fieldTypes.includes(field.type) && takesString) {
      suspects.set(field.name, field);
    }
  }
  return [...suspects.values()];
}
