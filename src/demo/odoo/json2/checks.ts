import type { HonoRequest } from 'hono';
import type { DemoDatabase, DemoRecord } from '../orm/database.js';
import {
  cookieAndDatabasePage,
  httpException,
  unknownDatabasePage,
  unsupportedMediaTypePage,
} from './answers.js';

/**
 * The checks Odoo 19.0 makes before a JSON-2 call runs, in its order as the recorded
 * tracebacks show it: database selection and Content-Type while routing, then the bearer key.
 */

const SESSION_COOKIE = /(?:^|;)\s*session_id=/;

/**
 * Returns the HTML page Odoo sends for a request it cannot route to the JSON-2 API, or
 * undefined. `X-Odoo-Database` is optional because the demo serves one database, as Odoo does
 * when its dbfilter leaves one.
 */
export function routingFailure(db: DemoDatabase, request: HonoRequest): Response | undefined {
  const database = request.header('x-odoo-database');
  if (database !== undefined && database !== db.name) {
    return hasSessionCookie(request) ? cookieAndDatabasePage() : unknownDatabasePage();
  }
  if (!isJsonMediaType(request.header('content-type'))) {
    return unsupportedMediaTypePage();
  }
  return undefined;
}

/**
 * Returns the active user whose API key is the bearer token, or raises the 401 Unauthorized
 * Odoo sends. Odoo gives "Invalid apikey" for every token it does not accept, passwords
 * included. The demo's JSON-2 routes do not read web sessions, so a session cookie never
 * signs anyone in there.
 */
export function bearerUser(db: DemoDatabase, request: HonoRequest): DemoRecord {
  const token = bearerToken(request.header('authorization'));
  if (token === undefined) {
    throw httpException('Unauthorized', missingCredentialMessage(request));
  }
  const user = db
    .require('res.users')
    .all()
    .find((record) => record.active === true && db.credentials.get(record.id)?.apiKey === token);
  if (user === undefined) {
    throw httpException('Unauthorized', 'Invalid apikey');
  }
  return user;
}

function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match?.[1];
}

/**
 * Odoo accepts a web session on JSON-2 only with the browser's Sec-Fetch-* headers, and names
 * them when a session cookie comes without them.
 */
function missingCredentialMessage(request: HonoRequest): string {
  if (hasSessionCookie(request) && request.header('sec-fetch-mode') === undefined) {
    return 'Missing "Authorization" or Sec-headers for interactive usage.';
  }
  // NOTE: real Odoo accepts a web session that comes with Sec-Fetch-* headers; the demo's
  // JSON-2 routes ignore web sessions.
  return 'User not authenticated, use an API Key with a Bearer Authorization header.';
}

function hasSessionCookie(request: HonoRequest): boolean {
  return SESSION_COOKIE.test(request.header('cookie') ?? '');
}

function isJsonMediaType(contentType: string | undefined): boolean {
  const mediaType = (contentType ?? '').split(';')[0]?.trim().toLowerCase();
  return mediaType === 'application/json';
}
