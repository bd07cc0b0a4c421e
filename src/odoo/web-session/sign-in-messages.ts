/**
 * The messages of failed Google sign-ins, for the person and their Odoo administrator. The
 * causes listed for each `oauth_error` follow Odoo 18's auth_oauth module (controllers/main.py
 * and models/res_users.py): error 2 is any exception while checking the token or signing the
 * user up, error 3 is AccessDenied.
 */

/** The server and settings a sign-in used, for the messages. */
export interface SignInSettings {
  /** Scheme, host and port of the Odoo server. */
  origin: string;
  db: string;
  providerId: number;
}

const USER_OAUTH_TAB = 'Settings › Users & Companies › Users › the user › Oauth tab';

export function tokenRefusedMessage(settings: SignInSettings): string {
  return (
    'Odoo did not accept the Google access token: it redirected the sign-in to ' +
    '/web/login?oauth_error=2, which it does when the token is invalid, expired or revoked, or ' +
    'when it cannot check the token with Google. Sign in with Google again. If that does not ' +
    `help, an Odoo administrator should check that ODOO_OAUTH_PROVIDER_ID (${settings.providerId}) ` +
    'is the id of the Google provider in Odoo (Settings › Users & Companies › OAuth Providers, ' +
    'in developer mode) and that the Odoo server can reach its validation endpoint.'
  );
}

export function noOdooUserMessage(): string {
  return (
    'Odoo has no user linked to this Google account: an administrator must link your Odoo user ' +
    `to Google (${USER_OAUTH_TAB}: OAuth Provider and OAuth User ID), or invite you so that you ` +
    'sign in to Odoo with Google once from the invitation. Odoo gives the same answer when the ' +
    'linked user is archived. (Odoo redirected the sign-in to /web/login?oauth_error=3.)'
  );
}

/**
 * Builds the message for a server that does not serve `settings.db`. `evidence` describes Odoo's
 * response: a 400, or on a server without db_name and dbfilter, a redirect back to the sign-in.
 */
export function unknownDatabaseMessage(settings: SignInSettings, evidence: string): string {
  return (
    `Odoo at ${settings.origin} does not serve the database "${settings.db}" (${evidence}). ` +
    'Set ODOO_DB to a database that this server serves. Its db_name and dbfilter settings ' +
    'decide which ones it serves.'
  );
}

export function notInternalMessage(login: string | undefined, uid: number): string {
  const user = login === undefined ? `uid ${uid}` : `"${login}" (uid ${uid})`;
  return (
    `Odoo signed this Google account in as ${user}, a portal or public user, but the bridge ` +
    'serves internal users only. An Odoo administrator must link the Google account to an ' +
    `internal user instead (${USER_OAUTH_TAB}), or make this user internal. Odoo creates a ` +
    'portal user for a Google account it does not know when sign-up is open (Settings › ' +
    'General Settings › Permissions › Customer Account: Free sign up).'
  );
}

export function twoFactorMessage(): string {
  return (
    'Odoo asks this user for a second factor after the Google sign-in (it redirected to ' +
    '/web/login/totp), which the bridge cannot provide. The user or an administrator must ' +
    'turn off two-factor authentication for this user (avatar › Preferences or My Profile › ' +
    'Account Security), or the bridge must use ODOO_AUTH=api_key, whose API keys need no ' +
    'second factor.'
  );
}

/** Describes a response other than Odoo's known outcomes, with its status and location. */
export function unexpectedMessage(
  status: number,
  location: string | undefined,
  explanation: string,
): string {
  const redirect = location === undefined ? '' : ` redirecting to ${location}`;
  return `Odoo answered the Google sign-in with HTTP ${status}${redirect}. ${explanation}`;
}

export function missingRouteExplanation(settings: SignInSettings): string {
  return (
    `Odoo at ${settings.origin} has no /auth_oauth/signin route for this request: either the ` +
    `auth_oauth module is not installed in the database "${settings.db}", or the server serves ` +
    'several databases and picks none for a request without a session. Install auth_oauth, or ' +
    'give the server a dbfilter that selects this database.'
  );
}

/** Explains `oauth_error=1`, which Odoo 18 sends when the auth_signup module is missing. */
export function signUpUnavailableExplanation(): string {
  return (
    'Odoo reports that it cannot sign users up on this database (oauth_error=1), which happens ' +
    'when the auth_signup module is missing. An administrator should install it.'
  );
}

export function genericExplanation(): string {
  return (
    'That is not how Odoo answers a Google sign-in. Check that ODOO_URL points at the Odoo ' +
    'server itself, with no login page of a proxy in between.'
  );
}
