import { OdooError } from './errors.js';
import type { ApiKeyCredential } from './types.js';

/**
 * Odoo makes an API key of 20 random bytes written as 40 lowercase hex digits
 * (`res.users.apikeys._generate`, Odoo 14 to 19).
 */
const API_KEY_PATTERN = /^[0-9a-f]{40}$/;

/**
 * The steps to a new key. Odoo 18 and 19 require an expiry date on keys of users who are not
 * administrators, capped by their groups: 90 days for a plain internal user.
 */
const NEW_KEY_STEPS =
  'Create a new API key in Odoo (avatar › Preferences or My Profile › Account Security › ' +
  'New API Key). Users who are not administrators must give it an expiry date, of at most ' +
  '90 days for an ordinary internal user. Then connect again with the new key.';

/** Reads the result of `common.authenticate`: the uid, or `false` when Odoo rejects the key. */
export function readJsonRpcUid(result: unknown, login: string, db: string): number {
  if (typeof result === 'number' && Number.isInteger(result) && result > 0) {
    return result;
  }
  if (result === false) {
    throw new OdooError('authentication', rejectedKeyMessage(login, db), {
      method: 'authenticate',
    });
  }
  const message = `Odoo's response to common.authenticate was neither a uid nor false: ${typeof result}.`;
  throw new OdooError('transport', message, { method: 'authenticate' });
}

/**
 * Odoo's `common.authenticate` returns `false` without a reason (recorded on Odoo 17.0 and
 * 18.0), so the message lists every cause that leads to it.
 */
function rejectedKeyMessage(login: string, db: string): string {
  return (
    `Odoo rejected the login "${login}" with this API key on database "${db}". ` +
    'The API key may be wrong, revoked or expired, or it may belong to another person. ' +
    'The Odoo user may also be archived, or the login may not exist. ' +
    'Create a new API key in Odoo (Preferences › Account Security › New API Key) and use it instead.'
  );
}

/** Reads the uid from the result of `res.users.context_get`, such as `{"uid": 7, …}`. */
export function readContextUid(result: unknown): number {
  const uid = (result as { uid?: unknown } | null)?.uid;
  if (typeof uid === 'number' && Number.isInteger(uid) && uid > 0) {
    return uid;
  }
  const message = "Odoo's response to res.users.context_get has no uid.";
  throw new OdooError('transport', message, { model: 'res.users', method: 'context_get' });
}

/**
 * Checks that the user the API key belongs to has the credential's login. JSON-2 identifies
 * the user by the key alone, while `common.authenticate` also requires the login to match,
 * so this keeps a key of another person from being accepted for a login.
 */
export function checkKeyOwner(
  rows: unknown,
  uid: number,
  credential: ApiKeyCredential,
  db: string,
): void {
  const first: unknown = Array.isArray(rows) ? rows[0] : undefined;
  const login = (first as { login?: unknown } | undefined)?.login;
  if (typeof login !== 'string') {
    const message = `Odoo returned no login for uid ${uid}, the user the API key belongs to.`;
    throw new OdooError('transport', message, { model: 'res.users', method: 'read' });
  }
  if (login !== credential.login) {
    const message =
      `The API key belongs to the Odoo user "${login}" on database "${db}", not to ` +
      `"${credential.login}". Use an API key of the user "${credential.login}".`;
    throw new OdooError('authentication', message, { model: 'res.users', method: 'read' });
  }
}

/** Rejects an empty key before it is sent, because Odoo would report a missing header. */
export function checkKeyGiven(credential: ApiKeyCredential): void {
  if (credential.apiKey === '') {
    const message = `No Odoo API key was given for the login "${credential.login}". ${NEW_KEY_STEPS}`;
    throw new OdooError('authentication', message);
  }
}

/**
 * Explains Odoo 19's 401 "Invalid apikey". Odoo sends the same response for a wrong, revoked
 * or expired key, a key whose scope is not "rpc", a key of an archived user and a password, as
 * recorded from 19.0. Only a credential that is not shaped like a key can be distinguished.
 */
export function invalidApiKeyMessage(credential: ApiKeyCredential, db: string): string {
  const start = `Odoo rejected the API key of ${credential.login} on database "${db}" (HTTP 401 "Invalid apikey").`;
  if (!API_KEY_PATTERN.test(credential.apiKey)) {
    return (
      `${start} The credential is not an API key, which is 40 characters of 0-9 and a-f. ` +
      "Odoo's JSON-2 API takes API keys only, not passwords. " +
      NEW_KEY_STEPS
    );
  }
  return (
    `${start} Odoo sends this response when the key is wrong, has expired or was revoked, ` +
    'when its scope is not "rpc", or when the Odoo user is archived. ' +
    NEW_KEY_STEPS
  );
}

/**
 * Explains a 401 whose message means that no credential arrived. The bridge always sends the
 * Authorization header, so something between the bridge and Odoo removed it.
 */
export function missingAuthorizationMessage(odooMessage: string): string {
  return (
    'Odoo received the call without the Authorization header that the bridge sends, and ' +
    `responded "${odooMessage}" (HTTP 401). A proxy between the bridge and Odoo probably ` +
    'removes the header. Configure it to pass the Authorization header on to Odoo.'
  );
}
