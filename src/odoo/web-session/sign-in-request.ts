import { OdooError } from '../errors.js';
import type { RequestSecret } from '../sender.js';
import type { GoogleSignIn } from './types.js';

/** Odoo's route for "Sign in with Google", under the base URL. */
export const SIGN_IN_ROUTE = 'auth_oauth/signin';

/**
 * The page Odoo is asked to land on. Odoo 18 replaces `/web` with `/` when the user is not
 * internal (auth_oauth controllers/main.py), and 17 and 18 were recorded doing so, which makes
 * the redirect a first hint of a portal user. Without it, 18 lands on `/odoo` for every user.
 */
export const LANDING_PATH = '/web';

/**
 * Returns the route with the query that Odoo's Google login page sends:
 * `access_token` and `state`, a JSON object with the database `d`, the provider id `p` and
 * the landing page `r`. Odoo reads `r` with werkzeug's `url_unquote_plus`, so it is quoted
 * here as Odoo's own login page quotes it.
 */
export function signInRoute(db: string, signIn: GoogleSignIn): string {
  const state = { d: db, p: signIn.providerId, r: encodeURIComponent(LANDING_PATH) };
  const query = new URLSearchParams({
    access_token: signIn.accessToken,
    state: JSON.stringify(state),
  });
  return `${SIGN_IN_ROUTE}?${query.toString()}`;
}

/**
 * Throws an `invalid_request` error for a provider id that is not a positive integer, and an
 * `authentication` error for an empty access token.
 */
export function checkSignIn(signIn: GoogleSignIn): void {
  if (!Number.isInteger(signIn.providerId) || signIn.providerId <= 0) {
    const message =
      `The Odoo OAuth provider id must be a positive integer, got ${signIn.providerId}. ` +
      'Set ODOO_OAUTH_PROVIDER_ID to the id of the Google provider in Odoo.';
    throw new OdooError('invalid_request', message, { method: 'signin' });
  }
  if (signIn.accessToken === '') {
    const message =
      'No Google access token was given for the Odoo sign-in. Sign in with Google again.';
    throw new OdooError('authentication', message, { method: 'signin' });
  }
}

/**
 * Returns the forms in which the access token can appear in a response: as sent in the query
 * string, percent-encoded, and raw. The encoded forms come first, so that each is replaced
 * whole before the raw token inside it would be.
 */
export function accessTokenSecrets(accessToken: string): RequestSecret[] {
  const formEncoded = new URLSearchParams({ t: accessToken }).toString().slice('t='.length);
  const forms = new Set([formEncoded, encodeURIComponent(accessToken), accessToken]);
  return [...forms].map((value) => ({ value, placeholder: '[access token]' }));
}
