import type { FieldSpec } from '../orm/fields.js';
import { OdooException, valueError } from '../errors.js';
import { pyRepr } from '../python.js';

/** The PostgreSQL column type of a scalar field, as Odoo creates it. */
const SQL_TYPES: Partial<Record<FieldSpec['type'], string>> = {
  integer: 'integer',
  many2one: 'integer',
  one2many: 'integer',
  many2many: 'integer',
  float: 'double precision',
  monetary: 'numeric',
  boolean: 'boolean',
  date: 'date',
  datetime: 'timestamp',
};

const INTEGER = /^\s*[+-]?\d+\s*$/;
const NUMERIC = /^\s*[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?\s*$/i;
const BOOLEAN_TRUE = new Set(['t', 'true', 'y', 'yes', 'on', '1']);
const BOOLEAN_FALSE = new Set(['f', 'false', 'n', 'no', 'off', '0']);
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATETIME = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}(:\d{2})?)(\.\d+)?(Z|[+-]00:?00)?$/;

/**
 * Converts the right-hand value of a leaf to the field's type, as PostgreSQL casts a
 * parameter. A string that is not a valid value raises the error real Odoo raises: Python's
 * conversion error for integer and float fields, else the PostgreSQL error that Odoo lets
 * through from the database.
 */
export function coerceValue(
  model: string,
  field: FieldSpec,
  operator: string,
  value: unknown,
): unknown {
  if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
    return value;
  }
  switch (field.type) {
    case 'integer':
    case 'many2one':
    case 'one2many':
    case 'many2many':
    case 'float':
    case 'monetary':
      return coerceNumber(model, field, operator, value);
    case 'boolean':
      return coerceBoolean(model, field, operator, value);
    case 'date':
      return coerceDate(model, field, operator, value);
    case 'datetime':
      return coerceDatetime(model, field, operator, value);
    default:
      return typeof value === 'number' ? String(value) : value;
  }
}

function coerceNumber(model: string, field: FieldSpec, operator: string, value: unknown): unknown {
  if (typeof value !== 'string') {
    return typeof value === 'boolean' ? Number(value) : value;
  }
  const pattern = field.type === 'float' || field.type === 'monetary' ? NUMERIC : INTEGER;
  if (!pattern.test(value)) {
    throw pythonConversionError(field, operator, value) ?? castError(model, field, operator, value);
  }
  return Number(value);
}

/**
 * Returns the error of Python's `int()` or `float()`, which Odoo 18.0's Integer and Float
 * fields call on a domain value before the query runs, or undefined where the value reaches
 * PostgreSQL unconverted: monetary and relational fields, and `id` with `in`.
 * NOTE: Python's `float()` also takes "inf", "nan" and underscores, which the demo rejects.
 */
function pythonConversionError(
  field: FieldSpec,
  operator: string,
  text: string,
): OdooException | undefined {
  const isIdList = field.name === 'id' && (operator === 'in' || operator === 'not in');
  if (field.type === 'integer' && !isIdList) {
    return valueError(`invalid literal for int() with base 10: ${pyRepr(text)}`);
  }
  if (field.type === 'float') {
    return valueError(`could not convert string to float: ${pyRepr(text)}`);
  }
  return undefined;
}

function coerceBoolean(model: string, field: FieldSpec, operator: string, value: unknown): unknown {
  if (typeof value === 'number') {
    return value !== 0;
  }
  if (typeof value === 'boolean') {
    return value;
  }
  const text = String(value).trim().toLowerCase();
  if (BOOLEAN_TRUE.has(text)) {
    return true;
  }
  if (BOOLEAN_FALSE.has(text)) {
    return false;
  }
  throw castError(model, field, operator, String(value));
}

function coerceDate(model: string, field: FieldSpec, operator: string, value: unknown): unknown {
  if (typeof value !== 'string') {
    return value;
  }
  const datetime = DATETIME.exec(value);
  if (datetime !== null) {
    return datetime[1];
  }
  if (!DATE.test(value)) {
    throw castError(model, field, operator, value);
  }
  return value;
}

/**
 * Normalizes a datetime to "YYYY-MM-DD HH:MM:SS". A bare date becomes the start of the day,
 * or its end for `>` and `<=`, as Odoo's expression module completes it.
 */
function coerceDatetime(
  model: string,
  field: FieldSpec,
  operator: string,
  value: unknown,
): unknown {
  if (typeof value !== 'string' || operator.includes('like')) {
    return value;
  }
  if (DATE.test(value)) {
    return operator === '>' || operator === '<=' ? `${value} 23:59:59` : `${value} 00:00:00`;
  }
  const datetime = DATETIME.exec(value);
  if (datetime === null) {
    throw castError(model, field, operator, value);
  }
  const time = datetime[3] === undefined ? `${datetime[2]}:00` : datetime[2];
  return `${datetime[1]} ${time}`;
}

function castError(model: string, field: FieldSpec, operator: string, text: string): Error {
  const table = tableName(model);
  const sqlOperator =
    operator === 'in' || operator === 'not in' ? operator.toUpperCase() : operator;
  const column = `"${table}"."${field.name}"`;
  const before = `SELECT "${table}"."id" FROM "${table}" WHERE (${column} ${sqlOperator} `;
  const error = invalidTextRepresentation(SQL_TYPES[field.type] ?? 'text', text, before, ')');
  if (field.type !== 'date' && field.type !== 'datetime') {
    return error;
  }
  // PostgreSQL reports a malformed date or timestamp with SQLSTATE 22007, not 22P02.
  // NOTE: from PostgreSQL's datetime parser, not from a recording.
  return new OdooException('psycopg2.errors.InvalidDatetimeFormat', error.message);
}

/** Converts a LIKE pattern to a regular expression: `%` is any run, `_` one character. */
export function likePattern(pattern: string, caseInsensitive: boolean): RegExp {
  let source = '';
  for (let index = 0; index < pattern.length; index += 1) {
    const char = pattern[index]!;
    if (char === '\\' && index + 1 < pattern.length) {
      index += 1;
      source += escapeRegExp(pattern[index]!);
    } else if (char === '%') {
      source += '[\\s\\S]*';
    } else if (char === '_') {
      source += '[\\s\\S]';
    } else {
      source += escapeRegExp(char);
    }
  }
  return new RegExp(`^${source}$`, caseInsensitive ? 'iu' : 'u');
}

function escapeRegExp(char: string): string {
  return /[.*+?^${}()|[\]\\/]/.test(char) ? `\\${char}` : char;
}

// PostgreSQL's client library shows at most 60 characters of the query line around the error
// position and keeps 10 of them after it, which reproduces the recorded "LIMIT 'five'" excerpt.
const DISPLAY_SIZE = 60;
const MIN_RIGHT_CUT = 10;

/**
 * Formats the "LINE 1: …" excerpt and caret that PostgreSQL's client library appends to an
 * error message, truncating a long query line the way libpq does.
 */
export function errorPositionExcerpt(query: string, cursor: number): string {
  let begin = 0;
  let end = query.length;
  let cutBegin = false;
  let cutEnd = false;
  if (end - begin > DISPLAY_SIZE) {
    if (cursor + MIN_RIGHT_CUT < DISPLAY_SIZE) {
      end = DISPLAY_SIZE;
      cutEnd = true;
    } else {
      if (cursor + MIN_RIGHT_CUT < end) {
        end = cursor + MIN_RIGHT_CUT;
        cutEnd = true;
      }
      while (end - begin > DISPLAY_SIZE) {
        begin += 1;
        cutBegin = true;
      }
    }
  }
  const prefix = 'LINE 1: ';
  const shown = `${cutBegin ? '...' : ''}${query.slice(begin, end)}${cutEnd ? '...' : ''}`;
  const caretColumn = prefix.length + (cutBegin ? 3 : 0) + (cursor - begin);
  return `${prefix}${shown}\n${' '.repeat(caretColumn)}^\n`;
}

/** Quotes a string as psycopg2 sends a Python string to the database. */
export function sqlLiteral(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

/**
 * Builds the InvalidTextRepresentation error PostgreSQL raises when a string parameter is not
 * a valid value of the column's type. `before` is the SQL up to the literal, `after` the rest.
 */
export function invalidTextRepresentation(
  sqlType: string,
  text: string,
  before: string,
  after = '',
): OdooException {
  const query = `${before}${sqlLiteral(text)}${after}`;
  const excerpt = errorPositionExcerpt(query, before.length);
  return new OdooException(
    'psycopg2.errors.InvalidTextRepresentation',
    `invalid input syntax for type ${sqlType}: "${text}"\n${excerpt}`,
  );
}

/** Returns the SQL table name of a model, as Odoo derives it. */
export function tableName(model: string): string {
  return model.replaceAll('.', '_');
}
