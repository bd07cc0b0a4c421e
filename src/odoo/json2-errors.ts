import { classifyOdooErrorKind } from './classify.js';
import { invalidApiKeyMessage, missingAuthorizationMessage } from './credentials.js';
import { OdooError, type OdooErrorDetails, type OdooErrorKind } from './errors.js';
import type { HttpResponse } from './http.js';
import { describeNonJsonResponse } from './jsonrpc.js';
import type { ApiKeyCredential } from './types.js';

/**
 * Error responses of Odoo's JSON-2 API, as recorded from Odoo 19.0. An error is a JSON object
 * `{"name", "message", "arguments", "context", "debug"}` with a meaningful HTTP status. The
 * exceptions are three HTML pages sent before the request reaches the API. They are 415 for a
 * wrong Content-Type, 404 for an `X-Odoo-Database` the server does not serve, and 403 for a
 * session cookie together with `X-Odoo-Database`.
 */

/** The call an error response belongs to, for the messages. */
export interface Json2ErrorContext {
  model: string;
  method: string;
  /** The path the request was sent to, such as `/json/2/res.partner/search_read`. */
  path: string;
  origin: string;
  db: string;
  credential: ApiKeyCredential;
}

const ACCESS_DENIED = 'odoo.exceptions.AccessDenied';
const MISSING_ERROR = 'odoo.exceptions.MissingError';

/** Odoo's 401 messages when no credential arrived: no header, or a cookie without Sec-Fetch-*. */
const NO_CREDENTIAL_MESSAGES = [/^User not authenticated/, /^Missing "Authorization"/];

const UNKNOWN_DATABASE_PAGE = /No database is selected/;
const SESSION_AND_DATABASE_PAGE = /Cannot use both the session_id cookie and the x-odoo-database/;

/**
 * Decides the kind of a JSON-2 error from its HTTP status, then from its Python class where
 * the status covers several kinds. A 500 is classified as JSON-RPC errors are.
 */
export function json2ErrorKind(status: number, name: string, message: string): OdooErrorKind {
  switch (status) {
    case 400:
      return 'invalid_request';
    case 401:
      return 'authentication';
    case 403:
      return name === ACCESS_DENIED ? 'authentication' : 'access';
    case 404:
      // NotFound for an unknown model or method, MissingError for a missing record.
      return name === MISSING_ERROR ? 'missing_record' : 'invalid_request';
    case 422: {
      // UnprocessableEntity (an unknown or missing argument) is not listed by class, so it
      // would be `server`; UserError and ValidationError keep their own kinds.
      const kind = classifyOdooErrorKind(undefined, name, message);
      return kind === 'server' ? 'invalid_request' : kind;
    }
    default:
      return classifyOdooErrorKind(undefined, name, message);
  }
}

/** Turns a JSON-2 response whose status is not 2xx into an `OdooError`. */
export function readJson2Error(response: HttpResponse, context: Json2ErrorContext): OdooError {
  const body = errorBody(response);
  if (body === undefined) {
    return htmlAnswerError(response, context);
  }
  const details = {
    odooName: body.name,
    httpStatus: response.status,
    model: context.model,
    method: context.method,
  };
  if (response.status === 401) {
    return unauthorizedError(body.message, context, details);
  }
  const kind = json2ErrorKind(response.status, body.name, body.message);
  return new OdooError(kind, body.message, details);
}

/**
 * Tells whether a 404 means the server has no JSON-2 API at all, as behind a proxy that
 * forwards only `/jsonrpc` and `/web`. Odoo's own 404s on `/json/2/` are JSON ("Did you mean
 * POST /json/2/<model>/<method>?", unknown model or method), and its unknown-database page
 * names the database problem.
 */
export function isJson2Missing(response: HttpResponse): boolean {
  return (
    response.status === 404 &&
    errorBody(response) === undefined &&
    !UNKNOWN_DATABASE_PAGE.test(response.body)
  );
}

interface Json2ErrorBody {
  /** The Python class, such as `odoo.exceptions.AccessError`. */
  name: string;
  /** Odoo's message for the person. The traceback in `debug` stays out. */
  message: string;
}

function errorBody(response: HttpResponse): Json2ErrorBody | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(response.body);
  } catch {
    return undefined;
  }
  const record = typeof parsed === 'object' && parsed !== null ? parsed : {};
  const name = (record as { name?: unknown }).name;
  const message = (record as { message?: unknown }).message;
  if (typeof name !== 'string') {
    return undefined;
  }
  if (typeof message !== 'string' || message === '') {
    return { name, message: `Odoo returned HTTP ${response.status} without a message.` };
  }
  return { name, message };
}

function unauthorizedError(
  odooMessage: string,
  context: Json2ErrorContext,
  details: OdooErrorDetails,
): OdooError {
  if (odooMessage === 'Invalid apikey') {
    const message = invalidApiKeyMessage(context.credential, context.db);
    return new OdooError('authentication', message, details);
  }
  if (NO_CREDENTIAL_MESSAGES.some((pattern) => pattern.test(odooMessage))) {
    // Not `authentication`: the key may be fine, and that kind makes the bridge end the
    // person's sign-in. The fault is in the network path, like other `transport` errors.
    return new OdooError('transport', missingAuthorizationMessage(odooMessage), details);
  }
  return new OdooError('authentication', odooMessage, details);
}

function htmlAnswerError(response: HttpResponse, context: Json2ErrorContext): OdooError {
  const details = { httpStatus: response.status, model: context.model, method: context.method };
  if (response.status === 404 && UNKNOWN_DATABASE_PAGE.test(response.body)) {
    const message =
      `Odoo at ${context.origin} does not serve the database "${context.db}": it answered ` +
      `HTTP 404 "No database is selected" for ${context.path}. Set ODOO_DB to the name of a ` +
      "database on that server, and check the spelling and the server's dbfilter.";
    return new OdooError('invalid_request', message, details);
  }
  if (response.status === 415) {
    const message =
      `Odoo rejected the Content-Type of the request to ${context.path} (HTTP 415), although ` +
      'the bridge sends application/json. A proxy between the bridge and Odoo may change it.';
    return new OdooError('transport', message, details);
  }
  if (response.status === 403 && SESSION_AND_DATABASE_PAGE.test(response.body)) {
    const message =
      'Odoo refused a request that carried both a session_id cookie and the X-Odoo-Database ' +
      'header (HTTP 403). The bridge sends no cookie, so a proxy between the bridge and Odoo ' +
      'adds one. Configure it not to.';
    return new OdooError('transport', message, details);
  }
  return new OdooError('transport', describeNonJsonResponse(response), details);
}
