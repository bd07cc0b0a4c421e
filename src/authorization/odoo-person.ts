import type { BridgeContext } from '../context.js';
import { OdooError } from '../odoo/errors.js';
import { identifyPerson } from '../odoo/identity.js';
import type { ApiKeyCredential } from '../odoo/types.js';
import type { OdooUser } from './grant.js';

/** Why a pasted key was not accepted; the message is shown on the consent page as it is. */
export class OdooPersonRefusal extends Error {
  override name = 'OdooPersonRefusal';
}

/**
 * Signs in to Odoo with the person's login and key, then requires that the Odoo user is the
 * signed-in person (its login or its email equals the verified email, ignoring case) and an
 * internal user, not a portal or public one.
 */
export async function checkOdooPerson(
  context: BridgeContext,
  credential: ApiKeyCredential,
  verifiedEmail: string,
): Promise<OdooUser> {
  let identity;
  try {
    identity = await identifyPerson(context.odoo, credential);
  } catch (error) {
    throw refusalFor(context, credential, error);
  }

  const email = verifiedEmail.toLowerCase();
  const matches =
    identity.login.toLowerCase() === email || (identity.email ?? '').toLowerCase() === email;
  if (!matches) {
    throw new OdooPersonRefusal(
      `This API key belongs to the Odoo user ${identity.login}${identity.email === undefined ? '' : ` (${identity.email})`}, not to ${verifiedEmail}. Paste an API key of your own Odoo user.`,
    );
  }
  if (identity.share) {
    throw new OdooPersonRefusal(
      `The Odoo user ${identity.login} is a portal user. The bridge serves internal Odoo users only; ask your administrator to make you an internal user.`,
    );
  }
  return {
    uid: identity.uid,
    login: identity.login,
    name: identity.name,
    apiKey: credential.apiKey,
  };
}

function refusalFor(context: BridgeContext, credential: ApiKeyCredential, error: unknown): Error {
  if (!(error instanceof OdooError)) {
    return error instanceof Error ? error : new Error(String(error));
  }
  const host = context.settings.odooServer.url.host;
  if (error.kind === 'authentication') {
    return new OdooPersonRefusal(
      `Odoo at ${host} did not accept the login ${credential.login} with this API key. ` +
        'The key may be wrong, revoked or expired, it may belong to another person, ' +
        'the Odoo user may be archived, or your Odoo login may differ from the one above. ' +
        'Create a new key in Odoo (avatar › Preferences or My Profile › Account Security › New API Key) and paste it here.',
    );
  }
  if (error.kind === 'transport' || error.kind === 'timeout') {
    return new OdooPersonRefusal(
      `Odoo at ${host} could not be reached (${error.message}). Try again in a moment.`,
    );
  }
  return new OdooPersonRefusal(`Odoo at ${host} refused the sign-in: ${error.message}`);
}
