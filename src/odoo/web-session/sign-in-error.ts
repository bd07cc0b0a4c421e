import { OdooError, type OdooErrorDetails, type OdooErrorKind } from '../errors.js';

/**
 * Why Odoo's "Sign in with Google" did not give the bridge a session it may use:
 *
 * - `token_refused`: Odoo redirected to `/web/login?oauth_error=2`.
 * - `no_odoo_user`: Odoo redirected to `/web/login?oauth_error=3`.
 * - `unknown_database`: HTTP 400, because the server does not serve the database.
 * - `not_internal`: the session belongs to a portal or public user.
 * - `two_factor_required`: Odoo redirected to `/web/login/totp` for a second factor.
 * - `unexpected`: any other response.
 */
export type OdooSignInReason =
  | 'token_refused'
  | 'no_odoo_user'
  | 'unknown_database'
  | 'not_internal'
  | 'two_factor_required'
  | 'unexpected';

const KIND_BY_REASON: Readonly<Record<OdooSignInReason, OdooErrorKind>> = {
  token_refused: 'authentication',
  no_odoo_user: 'authentication',
  // The fix is the database in the bridge's settings, as for an unknown database over JSON-RPC.
  unknown_database: 'invalid_request',
  // The person signed in, but as a user the bridge may not serve.
  not_internal: 'access',
  two_factor_required: 'authentication',
  unexpected: 'transport',
};

/**
 * A Google sign-in that gave no Odoo session the bridge may use. `kind` follows from `reason`.
 * The message never contains the access token or a session id.
 */
export class OdooSignInError extends OdooError {
  override name = 'OdooSignInError';

  constructor(
    readonly reason: OdooSignInReason,
    message: string,
    details: OdooErrorDetails = {},
  ) {
    super(KIND_BY_REASON[reason], message, details);
  }

  override withMessage(message: string): OdooSignInError {
    return new OdooSignInError(this.reason, message, this.details());
  }
}
