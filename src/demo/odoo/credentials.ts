import type { DemoDatabase, DemoRecord } from './orm/database.js';
import { majorOf } from './version.js';

export interface PasswordCheck {
  /**
   * Whether an API key may stand in for the password. Odoo accepts keys on the external API
   * (`common.authenticate`, `execute_kw`) but not on interactive logins such as
   * `/web/session/authenticate`.
   */
  apiKeys: boolean;
}

/**
 * Checks a password as `res.users._check_credentials` does. The empty string never matches.
 * The recorded Odoo 17.0 also accepts the Google access token that `/auth_oauth/signin`
 * stored on the user (`oauth_access_token`) as a password. 18.0 rejects it, because its
 * auth_oauth override takes only credentials of type `oauth_token`, which only the sign-in sends.
 */
export function passwordMatches(
  db: DemoDatabase,
  user: DemoRecord,
  password: unknown,
  check: PasswordCheck,
): boolean {
  if (typeof password !== 'string' || password === '') {
    return false;
  }
  const credentials = db.credentials.get(user.id);
  if (password === credentials?.password) {
    return true;
  }
  if (check.apiKeys && password === credentials?.apiKey) {
    return true;
  }
  return majorOf(db.series) <= 17 && password === user.oauth_access_token;
}
