import { OdooError, type OdooErrorKind } from './errors.js';

/**
 * The `error` member of an Odoo JSON-RPC response, as Odoo 17.0-19.0 send it:
 * `{"code": 200, "message": "Odoo Server Error", "data": {"name", "message", "arguments",
 * "context", "debug"}}`. Odoo 19 sends `code` 0 in place of 200. Fields are `unknown` because
 * a proxy or another server may send anything.
 */
export interface JsonRpcErrorObject {
  code?: unknown;
  message?: unknown;
  data?: {
    /** The Python exception class, such as `odoo.exceptions.AccessError`. */
    name?: unknown;
    /** Odoo's message for the person, the exception's first argument. */
    message?: unknown;
    /** The Python traceback. It is never copied into an `OdooError`. */
    debug?: unknown;
  };
}

export interface ClassifyContext {
  model?: string;
  method?: string;
  httpStatus?: number;
}

/** Odoo's JSON-RPC error code for "Odoo Session Expired" (odoo/http.py). */
const SESSION_EXPIRED_CODE = 100;

/** Kinds by Python class name, for the classes whose name alone decides the kind. */
const KIND_BY_NAME: ReadonlyMap<string, OdooErrorKind> = new Map<string, OdooErrorKind>([
  // A wrong or expired API key, or an archived user, on execute_kw: the credential is at fault.
  ['odoo.exceptions.AccessDenied', 'authentication'],
  // Access rights, record rules, and private methods called remotely.
  ['odoo.exceptions.AccessError', 'access'],
  // A uid that does not exist also lands here, as MissingError on res.users.
  ['odoo.exceptions.MissingError', 'missing_record'],
  ['odoo.exceptions.ValidationError', 'validation'],
  ['odoo.exceptions.UserError', 'user_error'],
  ['odoo.exceptions.RedirectWarning', 'user_error'],
  ['odoo.http.SessionExpiredException', 'session_expired'],
  // Unknown field, bad domain leaf or operator: the request names something wrong.
  ['builtins.ValueError', 'invalid_request'],
  // Unknown method on a model.
  ['builtins.AttributeError', 'invalid_request'],
  // Unexpected or missing arguments.
  ['builtins.TypeError', 'invalid_request'],
  // Unknown JSON-RPC service: Odoo looks the service name up in a dict.
  ['builtins.KeyError', 'invalid_request'],
  // A domain that is not a list.
  ['builtins.AssertionError', 'invalid_request'],
  // PostgreSQL rejected a value the request put in a domain, such as "five" for an id, or
  // "December 2026" or "2026-13-45" for a date.
  ['psycopg2.errors.InvalidTextRepresentation', 'invalid_request'],
  ['psycopg2.errors.InvalidDatetimeFormat', 'invalid_request'],
  ['psycopg2.errors.DatetimeFieldOverflow', 'invalid_request'],
]);

/**
 * Messages that make a generic class mean a wrong request. Each pattern matches Odoo's
 * message from the class on the left, as recorded from Odoo 17.0, 18.0 and 19.0.
 */
const INVALID_REQUEST_MESSAGES: ReadonlyArray<readonly [string, RegExp]> = [
  // Odoo raises UserError, not a KeyError, for a model name it does not know.
  ['odoo.exceptions.UserError', /^Object \S+ doesn't exist/],
  // An unknown method of the `common` service is a bare Exception.
  ['builtins.Exception', /^Method not found: /],
  // A database the server does not serve fails when Odoo opens it. Asking again will not
  // help, and the fix is the database name in the bridge's settings, so this is not `server`.
  ['psycopg2.OperationalError', /database "[^"]*" does not exist/],
];

/**
 * Decides the kind of an Odoo JSON-RPC error from its code, Python class and message. A class
 * that is not listed (psycopg2 errors, `builtins.Exception`, an add-on's own exception) is a
 * fault of the server, so it maps to `server`.
 */
export function classifyOdooErrorKind(code: unknown, name: string, message: string): OdooErrorKind {
  if (code === SESSION_EXPIRED_CODE) {
    return 'session_expired';
  }
  for (const [className, pattern] of INVALID_REQUEST_MESSAGES) {
    if (name === className && pattern.test(message)) {
      return 'invalid_request';
    }
  }
  return KIND_BY_NAME.get(name) ?? 'server';
}

/**
 * Turns an Odoo JSON-RPC `error` into an `OdooError`. The message is Odoo's `data.message`
 * unchanged (else the top-level `message`), because Odoo writes it for the person who made
 * the call. The traceback in `data.debug` stays out.
 */
export function classifyJsonRpcError(
  error: JsonRpcErrorObject,
  context: ClassifyContext,
): OdooError {
  const name = typeof error.data?.name === 'string' ? error.data.name : '';
  const message = odooMessage(error);
  const kind = classifyOdooErrorKind(error.code, name, message);
  return new OdooError(kind, message, {
    odooName: name === '' ? undefined : name,
    httpStatus: context.httpStatus,
    model: context.model,
    method: context.method,
  });
}

function odooMessage(error: JsonRpcErrorObject): string {
  if (typeof error.data?.message === 'string' && error.data.message !== '') {
    return error.data.message;
  }
  if (typeof error.message === 'string' && error.message !== '') {
    return error.message;
  }
  return 'Odoo returned an error without a message.';
}
