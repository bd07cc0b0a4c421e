import type { UpstreamTokens } from '../upstream/issuer.js';

/** The person as the upstream issuer verified them at sign-in. */
export interface Person {
  /** The issuer's subject identifier. */
  sub: string;
  email: string;
  name?: string | undefined;
  /** Google's hosted-domain claim, kept for the allowlist check on every request. */
  hd?: string | undefined;
}

interface OdooUserBase {
  uid: number;
  login: string;
  name?: string | undefined;
}

/** The Odoo user of api_key mode, with the person's own API key. */
export interface ApiKeyOdooUser extends OdooUserBase {
  mode?: 'api_key';
  apiKey: string;
}

/**
 * The Odoo user of google mode: Odoo's own "Sign in with Google" opened a web session for the
 * person's Google access token. A later session is opened the same way when this one expires.
 */
export interface GoogleOdooUser extends OdooUserBase {
  mode: 'google';
  sessionId: string;
}

/** The Odoo user the person acts as, with their own credential. */
export type OdooUser = ApiKeyOdooUser | GoogleOdooUser;

/** Tells whether the grant's Odoo user signed in through Odoo's "Sign in with Google". */
export function isGoogleUser(user: OdooUser): user is GoogleOdooUser {
  return user.mode === 'google';
}

/** The client a grant was made to: a fingerprint of its id, and its name for logs. */
export interface ClientRef {
  fingerprint: string;
  name?: string | undefined;
}

/**
 * Everything one sign-in granted, sealed into the authorization code, the access token and
 * the refresh token, so that no instance needs storage to serve a request.
 */
export interface Grant {
  /** Random id of this sign-in, shared by every token of its refresh chain; for logs and caches. */
  grantId: string;
  person: Person;
  client: ClientRef;
  scope: string;
  odoo: OdooUser;
  upstream: UpstreamTokens;
  /** When the person signed in, seconds since the epoch; the refresh chain ends a fixed time after. */
  authTime: number;
}

/** The only scope: read what the person may read in Odoo. */
export const SCOPE = 'odoo.read';

/** Scopes a client may ask for; anything else is left out of the grant (RFC 6749 §3.3). */
const KNOWN_SCOPES = new Set([SCOPE, 'offline_access']);

/** Narrows a requested scope to what the bridge grants; the grant always includes odoo.read. */
export function grantedScope(requested: string | undefined): string {
  const scopes = new Set((requested ?? '').split(' ').filter((scope) => KNOWN_SCOPES.has(scope)));
  scopes.add(SCOPE);
  return [...scopes].sort().join(' ');
}

/** Current time in whole seconds since the epoch. */
export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}
