import { majorOf, type OdooSeries } from './version.js';

/**
 * A Python exception as Odoo would raise it. `pythonClass` is the dotted class name that
 * Odoo sends as `error.data.name`, such as `odoo.exceptions.AccessError` or
 * `builtins.ValueError`.
 */
export class OdooException extends Error {
  override name = 'OdooException';

  constructor(
    readonly pythonClass: string,
    message: string,
    /** The text after the class name on the traceback's last line, if not `message`. */
    readonly tracebackText: string = message,
  ) {
    super(message);
  }
}

export function accessError(message: string): OdooException {
  return new OdooException('odoo.exceptions.AccessError', message);
}

export function accessDenied(): OdooException {
  return new OdooException('odoo.exceptions.AccessDenied', 'Access Denied');
}

export function userError(message: string): OdooException {
  return new OdooException('odoo.exceptions.UserError', message);
}

export function valueError(message: string): OdooException {
  return new OdooException('builtins.ValueError', message);
}

export function typeError(message: string): OdooException {
  return new OdooException('builtins.TypeError', message);
}

/** MissingError with Odoo's text, which names the records as `model(id1, id2,)`. */
export function missingError(model: string, ids: number[], uid: number): OdooException {
  const records = `${model}(${ids.join(', ')},)`;
  return new OdooException(
    'odoo.exceptions.MissingError',
    `Record does not exist or has been deleted.\n(Record: ${records}, User: ${uid})`,
  );
}

/** AttributeError for a method the model does not have, as `odoo.api.call_kw` raises it. */
export function methodNotFound(model: string, method: string): OdooException {
  return new OdooException(
    'builtins.AttributeError',
    `The method '${method}' does not exist on the model '${model}'`,
  );
}

/** KeyError, whose message is the key but whose traceback line shows its repr. */
export function keyError(key: string): OdooException {
  return new OdooException('builtins.KeyError', key, `'${key}'`);
}

/** Builds the error Odoo reports when the database named in a call does not exist. */
export function unknownDatabase(db: string): OdooException {
  const message =
    `connection to server at "127.0.0.1", port 5432 failed: FATAL:  database ` +
    `"${db}" does not exist\n`;
  return new OdooException('psycopg2.OperationalError', message);
}

/** JSON-RPC `error.code` for ordinary server errors: 200 up to 18.0, 0 from 19.0. */
export function serverErrorCode(series: OdooSeries): number {
  return majorOf(series) >= 19 ? 0 : 200;
}

/**
 * Writes a short stand-in for the Python traceback that Odoo sends in `error.data.debug`. Its last
 * line has the same form as Odoo's (`ValueError: …`, `odoo.exceptions.AccessError: …`).
 */
export function fakeTraceback(exception: OdooException, where: string): string {
  const shortClass = exception.pythonClass.replace(/^builtins\./, '');
  return (
    'Traceback (most recent call last):\n' +
    `  File "odoo/service/model.py", line 1, in ${where}\n` +
    '    (raised by the embedded demo Odoo, which runs no Python)\n' +
    `${shortClass}: ${exception.tracebackText}\n`
  );
}

/** Builds the `error.data` object of a JSON-RPC error, keys in the series' own order. */
export function errorData(
  series: OdooSeries,
  exception: OdooException,
  where: string,
): Record<string, unknown> {
  const name = exception.pythonClass;
  const message = exception.message;
  const debug = fakeTraceback(exception, where);
  const args = [message];
  if (majorOf(series) >= 19) {
    return { name, message, arguments: args, context: {}, debug };
  }
  return { name, debug, message, arguments: args, context: {} };
}

/** Builds the JSON-RPC error response body for an exception raised while serving a call. */
export function errorResponse(
  series: OdooSeries,
  id: unknown,
  exception: OdooException,
  where: string,
): Record<string, unknown> {
  return {
    jsonrpc: '2.0',
    id: id ?? null,
    error: {
      code: serverErrorCode(series),
      message: 'Odoo Server Error',
      data: errorData(series, exception, where),
    },
  };
}

/**
 * Builds the session-expired error of the web-client routes. Odoo sends code 100 and does not echo
 * the request id there.
 */
export function sessionExpiredResponse(series: OdooSeries): Record<string, unknown> {
  const exception = new OdooException('odoo.http.SessionExpiredException', 'Session expired');
  return {
    jsonrpc: '2.0',
    id: null,
    error: {
      code: 100,
      message: 'Odoo Session Expired',
      data: errorData(series, exception, '_auth_method_user'),
    },
  };
}
