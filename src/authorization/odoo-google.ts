import type { BridgeContext } from '../context.js';
import { OdooError } from '../odoo/errors.js';
import { signInWithGoogle, OdooSignInError } from '../odoo/web-session/index.js';
import type { GoogleOdooUser } from './grant.js';
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
    throw new Error('ODOO_OAUTH_PROVIDER_ID is missing: set it to the id of Odoo\'s Google provider');
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
