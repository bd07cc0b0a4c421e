import { OdooError } from '../errors.js';
import type { RequestSecret } from '../sender.js';

/** The name of Odoo's session cookie (odoo/http.py, Odoo 17.0 to 19.0). */
const SESSION_COOKIE = 'session_id';

/** RFC 6265 `cookie-octet`: visible ASCII except DQUOTE, comma, semicolon and backslash. */
const COOKIE_VALUE = /^[\x21\x23-\x2B\x2D-\x3A\x3C-\x5B\x5D-\x7E]+$/;

/**
 * Returns the `session_id` value that a response sets, or undefined when it sets none or
 * removes it (`Max-Age=0`). Odoo 19 sends the cookie twice in one response, as recorded from
 * `/web/session/authenticate`, so the last one wins, as in a browser.
 */
export function readSessionCookie(setCookies: readonly string[]): string | undefined {
  let value: string | undefined;
  for (const header of setCookies) {
    const [pair = '', ...attributes] = header.split(';');
    const separator = pair.indexOf('=');
    if (separator < 0 || pair.slice(0, separator).trim() !== SESSION_COOKIE) {
      continue;
    }
    const removed = attributes.some((attribute) => /^\s*max-age\s*=\s*0\s*$/i.test(attribute));
    value = removed ? undefined : pair.slice(separator + 1).trim();
  }
  return value === '' ? undefined : value;
}

/** Throws an `invalid_request` error unless `sessionId` can be sent as the cookie's value. */
export function checkSessionId(sessionId: string): void {
  if (!COOKIE_VALUE.test(sessionId)) {
    // The value stays out of the message, because it is a credential.
    const message =
      'The Odoo session id is empty or contains characters that a cookie cannot carry. ' +
      'Use the value of the session_id cookie that Odoo set.';
    throw new OdooError('invalid_request', message);
  }
}

/** Returns the request headers that send `sessionId` as Odoo's session cookie. */
export function sessionHeaders(sessionId: string): Record<string, string> {
  return { cookie: `${SESSION_COOKIE}=${sessionId}` };
}

/** Returns the secret entry that keeps `sessionId` out of error messages. */
export function sessionSecret(sessionId: string): RequestSecret {
  return { value: sessionId, placeholder: '[session id]' };
}
