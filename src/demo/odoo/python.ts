import { OdooException } from './errors.js';

/**
 * Formats a JSON value as Python's `repr()` does, because Odoo puts reprs of the caller's values
 * (domain leaves, strings) into its error messages. Arrays print as lists unless `asTuple`.
 */
export function pyRepr(value: unknown, asTuple = false): string {
  if (value === null || value === undefined) {
    return 'None';
  }
  if (typeof value === 'boolean') {
    return value ? 'True' : 'False';
  }
  if (typeof value === 'number') {
    // JSON cannot tell 1.0 from 1, so both print as Python's int repr.
    return String(value);
  }
  if (typeof value === 'string') {
    return pyStringRepr(value);
  }
  if (Array.isArray(value)) {
    const items = value.map((item) => pyRepr(item));
    if (!asTuple) {
      return `[${items.join(', ')}]`;
    }
    return items.length === 1 ? `(${items[0]},)` : `(${items.join(', ')})`;
  }
  const entries = Object.entries(value as Record<string, unknown>);
  return `{${entries.map(([key, item]) => `${pyStringRepr(key)}: ${pyRepr(item)}`).join(', ')}}`;
}

function pyStringRepr(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  let body = '';
  for (const char of text) {
    if (char === '\\') {
      body += '\\\\';
    } else if (char === quote) {
      body += `\\${quote}`;
    } else if (char === '\n') {
      body += '\\n';
    } else if (char === '\r') {
      body += '\\r';
    } else if (char === '\t') {
      body += '\\t';
    } else {
      body += char;
    }
  }
  return `${quote}${body}${quote}`;
}

/** Returns the Python type name of a JSON value, for texts like "'int' object is not iterable". */
export function pyTypeName(value: unknown): string {
  if (value === null || value === undefined) {
    return 'NoneType';
  }
  if (typeof value === 'boolean') {
    return 'bool';
  }
  if (typeof value === 'number') {
    return Number.isInteger(value) ? 'int' : 'float';
  }
  if (typeof value === 'string') {
    return 'str';
  }
  return Array.isArray(value) ? 'list' : 'dict';
}

/** Python's truth value of a JSON value. */
export function pyTruthy(value: unknown): boolean {
  if (Array.isArray(value)) {
    return value.length > 0;
  }
  if (value !== null && typeof value === 'object') {
    return Object.keys(value).length > 0;
  }
  return Boolean(value);
}

/** One parameter of a Python method, after `self`. */
export interface PyParameter {
  name: string;
  /** The default when the caller omits it; a parameter without one is required. */
  default?: unknown;
}

/** The Python signature of a method reachable over RPC, used to bind `args` and `kwargs`. */
export interface PySignature {
  /** The qualified name Python prints in TypeErrors, such as "BaseModel.search". */
  qualifiedName: string;
  parameters: PyParameter[];
  /** Whether the method takes `**kwargs`; extra keywords are then returned in `extra`. */
  varKeywords?: boolean;
}

export interface BoundArguments {
  values: Record<string, unknown>;
  extra: Record<string, unknown>;
}

/**
 * Binds positional and keyword arguments to a signature, raising the TypeError texts that
 * CPython 3.10+ gives for extra, duplicate or missing arguments.
 */
export function bindArguments(
  signature: PySignature,
  args: unknown[],
  kwargs: Record<string, unknown>,
): BoundArguments {
  const { parameters, qualifiedName } = signature;
  if (args.length > parameters.length) {
    throw tooManyPositional(signature, args.length);
  }
  const values: Record<string, unknown> = {};
  args.forEach((arg, index) => {
    values[parameters[index]!.name] = arg;
  });

  const extra: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(kwargs)) {
    if (parameters.some((parameter) => parameter.name === key)) {
      if (key in values) {
        throw typeError(`${qualifiedName}() got multiple values for argument '${key}'`);
      }
      values[key] = value;
    } else if (signature.varKeywords) {
      extra[key] = value;
    } else {
      throw typeError(`${qualifiedName}() got an unexpected keyword argument '${key}'`);
    }
  }

  fillDefaults(signature, values);
  return { values, extra };
}

function fillDefaults(signature: PySignature, values: Record<string, unknown>): void {
  const missing: string[] = [];
  for (const parameter of signature.parameters) {
    if (parameter.name in values) {
      continue;
    }
    if ('default' in parameter) {
      values[parameter.name] = parameter.default;
    } else {
      missing.push(parameter.name);
    }
  }
  if (missing.length > 0) {
    const names = missing.map((name) => `'${name}'`);
    const listed =
      names.length === 1
        ? names[0]
        : names.length === 2
          ? `${names[0]} and ${names[1]}`
          : `${names.slice(0, -1).join(', ')}, and ${names.at(-1)}`;
    const plural = missing.length === 1 ? 'argument' : 'arguments';
    throw typeError(
      `${signature.qualifiedName}() missing ${missing.length} required positional ` +
        `${plural}: ${listed}`,
    );
  }
}

function tooManyPositional(signature: PySignature, given: number): OdooException {
  // Python counts `self` on both sides of the message.
  const required = signature.parameters.filter((parameter) => !('default' in parameter)).length;
  const maximum = signature.parameters.length + 1;
  const minimum = required + 1;
  const takes =
    minimum === maximum
      ? `takes ${maximum} positional argument${maximum === 1 ? '' : 's'}`
      : `takes from ${minimum} to ${maximum} positional arguments`;
  const were = given + 1 === 1 ? 'was' : 'were';
  return typeError(`${signature.qualifiedName}() ${takes} but ${given + 1} ${were} given`);
}

function typeError(message: string): OdooException {
  return new OdooException('builtins.TypeError', message);
}
