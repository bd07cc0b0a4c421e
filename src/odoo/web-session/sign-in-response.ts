import type { HttpResponse } from '../http.js';
import { readSessionCookie } from './cookie.js';
import { OdooSignInError, type OdooSignInReason } from './sign-in-error.js';
import {
  genericExplanation,
  missingRouteExplanation,
  noOdooUserMessage,
  signUpUnavailableExplanation,
  tokenRefusedMessage,
  twoFactorMessage,
  unexpectedMessage,
  unknownDatabaseMessage,
  type SignInSettings,
} from './sign-in-messages.js';

/** A sign-in that Odoo accepted: the new session's cookie and the page Odoo redirects to. */
export interface SignInRedirect {
  sessionId: string;
  location: string;
}

/** Odoo redirects with 303 after every sign-in it processed (auth_oauth controllers/main.py). */
export const SEE_OTHER = 303;

/** Odoo's BadRequest when the server does not serve the state's database. */
const BAD_REQUEST = 400;

const NOT_FOUND = 404;

/**
 * Reads the response to `GET /auth_oauth/signin`. Odoo also sets a `session_id` cookie on a
 * failed sign-in, for an anonymous session, so the cookie counts only with a redirect away
 * from `/web/login`. Even then the session may not be signed in, which only
 * `get_session_info` shows. Throws an `OdooSignInError` for every other response.
 */
export function readSignInResponse(
  response: HttpResponse,
  settings: SignInSettings,
): SignInRedirect {
  if (response.status === BAD_REQUEST) {
    const message = unknownDatabaseMessage(settings, 'HTTP 400 from /auth_oauth/signin');
    throw signInError('unknown_database', message, response);
  }
  if (redirectsToSignIn(response, settings)) {
    // Seen on Odoo 18 without db_name or dbfilter, for a database it does not hold: ensure_db
    // stores the state's database in a new session and redirects to the same URL. For its own
    // database the sign-in returns its 303 at once.
    const evidence = `HTTP ${response.status} from /auth_oauth/signin back to itself`;
    throw signInError('unknown_database', unknownDatabaseMessage(settings, evidence), response);
  }
  const location = redirectTarget(response, settings);
  if (location === undefined) {
    throw unexpected(response, explanationFor(response, settings));
  }
  if (location.pathname.endsWith('/web/login')) {
    throw loginPageError(location.searchParams.get('oauth_error'), response, settings);
  }
  if (location.pathname.endsWith('/web/login/totp')) {
    throw signInError('two_factor_required', twoFactorMessage(), response);
  }
  const sessionId = readSessionCookie(response.setCookies);
  if (sessionId === undefined) {
    const explanation =
      'Odoo redirected without setting a session_id cookie. ' + genericExplanation();
    throw unexpected(response, explanation);
  }
  return { sessionId, location: response.location ?? '' };
}

/** Tells whether the response redirects to `/auth_oauth/signin` itself. */
function redirectsToSignIn(response: HttpResponse, settings: SignInSettings): boolean {
  if (response.status < 300 || response.status > 399 || response.location === undefined) {
    return false;
  }
  try {
    return new URL(response.location, settings.origin).pathname.endsWith('/auth_oauth/signin');
  } catch {
    return false;
  }
}

/** Returns the target of a 303 redirect, resolved against the server, or undefined. */
function redirectTarget(response: HttpResponse, settings: SignInSettings): URL | undefined {
  if (response.status !== SEE_OTHER || response.location === undefined) {
    return undefined;
  }
  try {
    return new URL(response.location, settings.origin);
  } catch {
    return undefined;
  }
}

function loginPageError(
  oauthError: string | null,
  response: HttpResponse,
  settings: SignInSettings,
): OdooSignInError {
  if (oauthError === '2') {
    return signInError('token_refused', tokenRefusedMessage(settings), response);
  }
  if (oauthError === '3') {
    return signInError('no_odoo_user', noOdooUserMessage(), response);
  }
  if (oauthError === '1') {
    return unexpected(response, signUpUnavailableExplanation());
  }
  return unexpected(
    response,
    'Odoo sent its login page without a known oauth_error. ' + genericExplanation(),
  );
}

function explanationFor(response: HttpResponse, settings: SignInSettings): string {
  if (response.status === NOT_FOUND) {
    return missingRouteExplanation(settings);
  }
  return genericExplanation();
}

function signInError(
  reason: OdooSignInReason,
  message: string,
  response: HttpResponse,
): OdooSignInError {
  return new OdooSignInError(reason, message, { httpStatus: response.status, method: 'signin' });
}

function unexpected(response: HttpResponse, explanation: string): OdooSignInError {
  const message = unexpectedMessage(response.status, response.location, explanation);
  return signInError('unexpected', message, response);
}
