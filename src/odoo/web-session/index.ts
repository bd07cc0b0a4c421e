/**
 * Google mode (`ODOO_AUTH=google`): the bridge signs the person in through Odoo's own "Sign in
 * with Google" and then works in the resulting Odoo web session.
 */
export { readSessionInfo } from './session-info.js';
export { signInWithGoogle } from './sign-in.js';
export { OdooSignInError, type OdooSignInReason } from './sign-in-error.js';
export type { SignInRedirect } from './sign-in-response.js';
export type {
  GoogleSignIn,
  OdooSessionConnection,
  OdooWebSession,
  RenewedSession,
  RenewSession,
  SessionCredential,
} from './types.js';
