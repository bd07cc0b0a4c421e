import { errorData, OdooException } from '../errors.js';
import type { OdooSeries } from '../version.js';

/**
 * The responses of Odoo 19.0's JSON-2 route, as recorded: the bare result with status 200, or
 * an error object `{"name", "message", "arguments", "context", "debug"}` whose HTTP status
 * depends on the exception, and three HTML pages for requests that never reach the route.
 */

const JSON_TYPE = 'application/json; charset=utf-8';
const HTML_TYPE = 'text/html; charset=utf-8';

/** The werkzeug HTTP exceptions the route raises. */
export type HttpExceptionName = 'BadRequest' | 'Unauthorized' | 'NotFound' | 'UnprocessableEntity';

/** The status and reason phrase of each werkzeug exception, by Python class. */
const WERKZEUG_STATUS: Readonly<Record<string, readonly [number, string]>> = {
  'werkzeug.exceptions.BadRequest': [400, 'Bad Request'],
  'werkzeug.exceptions.Unauthorized': [401, 'Unauthorized'],
  'werkzeug.exceptions.NotFound': [404, 'Not Found'],
  'werkzeug.exceptions.UnprocessableEntity': [422, 'Unprocessable Entity'],
};

/** The HTTP status of each Odoo exception whose status is not 500. */
const ODOO_STATUS: Readonly<Record<string, number>> = {
  'odoo.exceptions.AccessError': 403,
  'odoo.exceptions.AccessDenied': 403,
  'odoo.exceptions.MissingError': 404,
  'odoo.exceptions.UserError': 422,
  'odoo.exceptions.ValidationError': 422,
};

/** Builds a werkzeug HTTP exception, whose traceback line reads "404 Not Found: <message>". */
export function httpException(name: HttpExceptionName, message: string): OdooException {
  const pythonClass = `werkzeug.exceptions.${name}`;
  const [status, reason] = WERKZEUG_STATUS[pythonClass] as readonly [number, string];
  return new OdooException(pythonClass, message, `${status} ${reason}: ${message}`);
}

/** Returns the bare result, as the route sends a success. */
export function resultAnswer(result: unknown): Response {
  return new Response(JSON.stringify(result), {
    status: 200,
    headers: { 'Content-Type': JSON_TYPE },
  });
}

/**
 * Returns the error object of an exception with its HTTP status. werkzeug exceptions carry
 * `[message, status]` in `arguments`, Odoo's own `[message]`. A 401 adds the
 * `WWW-Authenticate: Bearer ` header that Odoo sends.
 */
export function errorAnswer(series: OdooSeries, exception: OdooException): Response {
  const werkzeug = WERKZEUG_STATUS[exception.pythonClass];
  const status = werkzeug?.[0] ?? ODOO_STATUS[exception.pythonClass] ?? 500;
  const data = errorData(series, exception, 'web_json_2_rpc');
  const body = werkzeug === undefined ? data : { ...data, arguments: [exception.message, status] };
  const headers: Record<string, string> = { 'Content-Type': JSON_TYPE };
  if (status === 401) {
    headers['WWW-Authenticate'] = 'Bearer ';
  }
  return new Response(JSON.stringify(body), { status, headers });
}

/** Returns the 404 page Odoo sends when `X-Odoo-Database` names a database it does not serve. */
export function unknownDatabasePage(): Response {
  const page =
    '<!DOCTYPE html>\n<title>404 Not Found</title>\n<h1>Not Found</h1>\n' +
    '<p>No database is selected and the requested URL was not found in the server-wide ' +
    'controllers.</p>\n<p>Please verify the hostname, <a href=/web/login>login</a> and try ' +
    'again.</p>\n\n<!-- Alternatively, use the X-Odoo-Database header. -->\n';
  return htmlAnswer(404, page);
}

/** Returns Odoo's 415 page for a Content-Type other than JSON, with `Accept: application/json`. */
export function unsupportedMediaTypePage(): Response {
  const page =
    '<!doctype html>\n<html lang=en>\n<title>415 Unsupported Media Type</title>\n' +
    '<h1>Unsupported Media Type</h1>\n<p>Request inferred type is compatible with ' +
    '[&#39;http&#39;] but &#39;/json/2/&lt;__model__&gt;/&lt;__method__&gt;&#39; is ' +
    'type=&#39;json2&#39;.<br><br>Please verify the Content-Type request header and try ' +
    'again.</p>\n';
  return htmlAnswer(415, page, { Accept: 'application/json' });
}

/** Returns the 403 page Odoo sends for a session cookie together with `X-Odoo-Database`. */
export function cookieAndDatabasePage(): Response {
  const page =
    '<!doctype html>\n<html lang=en>\n<title>403 Forbidden</title>\n<h1>Forbidden</h1>\n' +
    '<p>Cannot use both the session_id cookie and the x-odoo-database header.</p>\n';
  return htmlAnswer(403, page);
}

function htmlAnswer(status: number, page: string, headers: Record<string, string> = {}): Response {
  return new Response(page, { status, headers: { 'Content-Type': HTML_TYPE, ...headers } });
}
