import type { BridgeContext } from '../context.js';
import { OdooError } from '../odoo/errors.js';
import { signInWithGoogle, OdooSignInError, type RenewSession } from '../odoo/web-session/index.js';
import { UpstreamError } from '../upstream/errors.js';
import type { Grant, GoogleOdooUser } from './grant.js';
import { OdooPersonRefusal } from './odoo-person.js';

/**
 * Signs the person in to Odoo with Odoo's own "Sign in with Google": Odoo checks the Google
 * access token at Google and maps the Google account to its Odoo user (`oauth_uid`). The
 * session must be an internal user's: with open sign-up, Odoo creates and signs in a portal
 * user for an unknown Google account.
 */
export async function signInToOdooWithGoogle(
  context: BridgeContext,
  accessToken: string,
): Promise<GoogleOdooUser> {
  const providerId = context.settings.odooOauthProviderId;
  if (providerId === undefined) {
    throw new Error(
      "ODOO_OAUTH_PROVIDER_ID is missing: set it to the id of Odoo's Google provider",
    );
  }
  try {
    const session = await signInWithGoogle(context.odoo, { providerId, accessToken });
    return {
      mode: 'google',
      uid: session.uid,
      login: session.login ?? '',
      name: session.name,
      sessionId: session.sessionId,
    };
  } catch (error) {
    throw refusalFor(context, error);
  }
}

function refusalFor(context: BridgeContext, error: unknown): Error {
  const host = context.settings.odooServer.url.host;
  if (error instanceof OdooSignInError) {
    return new OdooPersonRefusal(reasonOf(error), error.message);
  }
  if (error instanceof OdooError && (error.kind === 'transport' || error.kind === 'timeout')) {
    return new OdooPersonRefusal(
      'odoo_unreachable',
      `Odoo at ${host} could not be reached (${error.message}). Try again in a moment.`,
    );
  }
  if (error instanceof OdooError) {
    return new OdooPersonRefusal(
      'odoo_error',
      `Odoo at ${host} refused the sign-in: ${error.message}`,
    );
  }
  return error instanceof Error ? error : new Error(String(error));
}

function reasonOf(error: OdooSignInError): OdooPersonRefusal['reason'] {
  switch (error.reason) {
    case 'not_internal':
      return 'portal_user';
    case 'token_refused':
    case 'no_odoo_user':
    case 'unknown_database':
      return error.reason;
    default:
      return 'sign_in_failed';
  }
}

/**
 * Makes the `renew` of a google-mode session connection: it signs in to Odoo again with the
 * Google access token that `googleAccessToken` gives, and keeps the new session for the grant
 * on this instance. A refused sign-in, an ended Google sign-in or a session of another Odoo
 * user becomes an `authentication` OdooError, and an unreachable Odoo a `transport` one, so
 * the connection passes them on as they are.
 */
export function googleSessionRenewal(
  context: BridgeContext,
  grant: Grant & { odoo: GoogleOdooUser },
  googleAccessToken: () => Promise<string>,
): RenewSession {
  return async () => {
    let renewed: GoogleOdooUser;
    try {
      renewed = await signInToOdooWithGoogle(context, await googleAccessToken());
    } catch (error) {
      throw renewalError(error);
    }
    if (renewed.uid !== grant.odoo.uid) {
      // The session is of a user this grant must never act as: sign it out rather than leave it open.
      await signOutOfOdoo(context, renewed.sessionId);
      throw new OdooError(
        'authentication',
        `Your Google account now signs in to another Odoo user (uid ${renewed.uid}), not to ` +
          `${grant.odoo.login} (uid ${grant.odoo.uid}), the user you connected as.`,
      );
    }
    context.odooSessions.set(grant.grantId, renewed.sessionId);
    return { sessionId: renewed.sessionId, uid: renewed.uid };
  };
}

/**
 * Signs a web session out of Odoo (`/web/session/destroy`) that no token will use again. A
 * failure is left in the log by the Odoo client, and the session then ends at Odoo's own
 * expiry (a week on Odoo 18), so the caller goes on either way.
 */
export async function signOutOfOdoo(context: BridgeContext, sessionId: string): Promise<void> {
  try {
    await context.odoo.destroySession(sessionId);
  } catch {
    // Logged by the Odoo client as a failed call.
  }
}

function renewalError(error: unknown): unknown {
  if (error instanceof OdooPersonRefusal) {
    const kind = error.reason === 'odoo_unreachable' ? 'transport' : 'authentication';
    return new OdooError(
      kind,
      `Odoo ended the session and signing in again failed: ${error.message}`,
    );
  }
  if (error instanceof UpstreamError) {
    return new OdooError(
      'authentication',
      `Odoo ended the session and your Google sign-in has ended too: ${error.message}`,
    );
  }
  return error;
}
