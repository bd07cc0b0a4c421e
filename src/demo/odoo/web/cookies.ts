import { isSessionId, newSessionId } from './sessions.js';

const SESSION_COOKIE = 'session_id';

/** Odoo's `Response.set_cookie` default for `Expires` (odoo/http.py): a year ahead. */
const COOKIE_EXPIRY_MS = 365 * 24 * 60 * 60 * 1000;

/** Returns the value of the first `session_id` cookie of a `Cookie` header, as werkzeug does. */
export function readSessionId(cookieHeader: string | undefined): string | undefined {
  for (const pair of (cookieHeader ?? '').split(';')) {
    const separator = pair.indexOf('=');
    if (separator >= 0 && pair.slice(0, separator).trim() === SESSION_COOKIE) {
      return pair.slice(separator + 1).trim();
    }
  }
  return undefined;
}

/**
 * Builds the `Set-Cookie` value Odoo sends for a session, as recorded from 17.0 to 19.0:
 * `Expires` a year ahead, while `Max-Age` is the session lifetime and takes precedence.
 */
export function sessionCookie(sessionId: string, maxAgeSeconds: number, now = Date.now()): string {
  const expires = new Date(now + COOKIE_EXPIRY_MS).toUTCString();
  return (
    `${SESSION_COOKIE}=${sessionId}; Expires=${expires}; Max-Age=${maxAgeSeconds}; ` +
    'HttpOnly; Path=/'
  );
}

/**
 * Returns the cookie of the new anonymous session Odoo starts for a request without a session
 * id, or nothing when the request carries a well-formed one. Odoo saves the session of every
 * route but `/jsonrpc` (`save_session=False`), and a new session's id goes out as a cookie.
 */
export function anonymousSessionCookies(
  cookieHeader: string | undefined,
  maxAgeSeconds: number,
): string[] {
  if (isSessionId(readSessionId(cookieHeader))) {
    return [];
  }
  return [sessionCookie(newSessionId(), maxAgeSeconds)];
}
