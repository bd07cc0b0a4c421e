import type { BridgeContext } from '../context.js';
import { OdooError } from '../odoo/errors.js';
import { identifyPerson, type OdooIdentity } from '../odoo/identity.js';
import type { ApiKeyCredential } from '../odoo/types.js';
import type { ApiKeyOdooUser } from './grant.js';

/** The reason code of a refused key, for logs; the message is for the page. */
export type RefusalReason =
  | 'not_an_api_key'
  | 'sign_in_failed'
  | 'another_person'
  | 'portal_user'
  | 'token_refused'
  | 'no_odoo_user'
  | 'unknown_database'
  | 'odoo_unreachable'
  | 'odoo_error';

/** A pasted key that was not accepted. The message is shown on the consent page, never logged. */
export class OdooPersonRefusal extends Error {
  override name = 'OdooPersonRefusal';

  constructor(
    readonly reason: RefusalReason,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Odoo makes an API key of 20 random bytes written as 40 lowercase hex digits (Odoo 14 to 19,
 * `res.users.apikeys._generate`). Anything else is most likely the person's password, which
 * /jsonrpc would accept too but which must not travel inside tokens.
 */
const API_KEY_PATTERN = /^[0-9a-f]{40}$/;

const KEY_HELP =
  'Create a new key in Odoo (avatar › Preferences or My Profile › Account Security › New API Key) and paste it here.';

/**
 * Signs in to Odoo with the person's login and key, then checks the Odoo user. Its login or
 * its email must equal the verified email, ignoring case, and it must be an internal user,
 * not a portal or public one.
 */
export async function checkOdooPerson(
  context: BridgeContext,
  credential: ApiKeyCredential,
  verifiedEmail: string,
): Promise<ApiKeyOdooUser> {
  if (!API_KEY_PATTERN.test(credential.apiKey)) {
    throw new OdooPersonRefusal(
      'not_an_api_key',
      `This is not an Odoo API key: a key is 40 characters of 0-9 and a-f. Do not paste your password. ${KEY_HELP}`,
    );
  }
  let identity: OdooIdentity;
  try {
    identity = await identifyPerson(context.odoo, credential);
  } catch (error) {
    throw refusalFor(context, credential, error);
  }
  checkIsPerson(identity, verifiedEmail);
  return {
    uid: identity.uid,
    login: identity.login,
    name: identity.name,
    apiKey: credential.apiKey,
  };
}

function checkIsPerson(identity: OdooIdentity, verifiedEmail: string): void {
  const email = verifiedEmail.toLowerCase();
  const login = identity.login.toLowerCase();
  const matches = login === email || (identity.email ?? '').toLowerCase() === email;
  if (!matches) {
    const owner =
      identity.email === undefined || identity.email.toLowerCase() === login
        ? identity.login
        : `${identity.login} (${identity.email})`;
    throw new OdooPersonRefusal(
      'another_person',
      `This API key belongs to the Odoo user ${owner}, not to ${verifiedEmail}. Paste an API key of your own Odoo user.`,
    );
  }
  if (identity.share) {
    throw new OdooPersonRefusal(
      'portal_user',
      `The Odoo user ${identity.login} is a portal user. The bridge serves internal Odoo users only; ask your administrator to make you an internal user.`,
    );
  }
}

function refusalFor(context: BridgeContext, credential: ApiKeyCredential, error: unknown): Error {
  if (!(error instanceof OdooError)) {
    return error instanceof Error ? error : new Error(String(error));
  }
  const host = context.settings.odooServer.url.host;
  if (error.kind === 'authentication') {
    return new OdooPersonRefusal(
      'sign_in_failed',
      `Odoo at ${host} did not accept the login ${credential.login} with this API key. ` +
        'The key may be wrong, revoked or expired, it may belong to another person, ' +
        'the Odoo user may be archived, or your Odoo login may differ from the one above. ' +
        KEY_HELP,
    );
  }
  if (error.kind === 'transport' || error.kind === 'timeout') {
    return new OdooPersonRefusal(
      'odoo_unreachable',
      `Odoo at ${host} could not be reached (${error.message}). Try again in a moment.`,
    );
  }
  return new OdooPersonRefusal(
    'odoo_error',
    `Odoo at ${host} refused the sign-in: ${error.message}`,
  );
}
