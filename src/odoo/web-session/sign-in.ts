import type { OdooClient } from '../client.js';
import { OdooError } from '../errors.js';
import type { CallOptions } from '../types.js';
import { OdooSignInError } from './sign-in-error.js';
import { notInternalMessage, unexpectedMessage } from './sign-in-messages.js';
import { SEE_OTHER, type SignInRedirect } from './sign-in-response.js';
import type { GoogleSignIn, OdooWebSession } from './types.js';

/**
 * Signs the person in to Odoo with their Google access token, through Odoo's own "Sign in with
 * Google", and returns the web session. Odoo decides which Odoo user the Google account is.
 *
 * Throws an `OdooSignInError` whose `reason` names the outcome when Odoo gives no session the
 * bridge may use, such as the session of a portal or public user (`not_internal`). Throws an
 * `OdooError` of kind `transport` or `timeout` when Odoo cannot be reached. Before sending
 * anything, it throws one of kind `invalid_request` for a provider id that is not a positive
 * integer, and one of kind `authentication` for an empty access token.
 */
export async function signInWithGoogle(
  client: OdooClient,
  signIn: GoogleSignIn,
  options: CallOptions = {},
): Promise<OdooWebSession> {
  const redirect = await client.requestGoogleSignIn(signIn, options);
  const session = await sessionAfterSignIn(client, redirect, options);
  if (session.db !== client.server.db) {
    const explanation =
      `The new session belongs to the database "${session.db}", not to ` +
      `"${client.server.db}". Check ODOO_DB and the server's dbfilter.`;
    throw signInFailure(redirect, explanation);
  }
  if (!session.internal) {
    await destroyQuietly(client, session.sessionId);
    throw new OdooSignInError('not_internal', notInternalMessage(session.login, session.uid), {
      method: 'get_session_info',
    });
  }
  return session;
}

/**
 * Reads the session that the sign-in opened. For a session whose sign-in Odoo did not finish,
 * `get_session_info` returns "Odoo Session Expired", because the route requires a signed-in
 * user.
 */
async function sessionAfterSignIn(
  client: OdooClient,
  redirect: SignInRedirect,
  options: CallOptions,
): Promise<OdooWebSession> {
  try {
    return await client.sessionInfo(redirect.sessionId, options);
  } catch (error) {
    if (error instanceof OdooError && error.kind === 'session_expired') {
      const explanation =
        'That redirect follows a successful sign-in, but the new session has no signed-in ' +
        'user: get_session_info returned "Odoo Session Expired". Sign in again.';
      throw signInFailure(redirect, explanation);
    }
    throw error;
  }
}

function signInFailure(redirect: SignInRedirect, explanation: string): OdooSignInError {
  const message = unexpectedMessage(SEE_OTHER, redirect.location, explanation);
  return new OdooSignInError('unexpected', message, { method: 'get_session_info' });
}

/**
 * Signs out a session the bridge rejects, so that it does not stay valid unused for Odoo's
 * session lifetime (`SESSION_LIFETIME`, one week in Odoo 18). If that fails, the session
 * expires on its own. The client's logger records the failed call, and the caller needs to
 * see the rejection rather than this failure.
 */
async function destroyQuietly(client: OdooClient, sessionId: string): Promise<void> {
  try {
    await client.destroySession(sessionId);
  } catch {
    // Already logged by the client as a failed call.
  }
}
