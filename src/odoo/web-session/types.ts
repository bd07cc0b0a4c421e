import type { OdooConnection } from '../types.js';

/** The input of Odoo's "Sign in with Google" (the auth_oauth module): provider and token. */
export interface GoogleSignIn {
  /** The id of the Google provider in Odoo (`auth.oauth.provider`), ODOO_OAUTH_PROVIDER_ID. */
  providerId: number;
  /** The person's Google access token. Odoo checks it with the provider's validation endpoint. */
  accessToken: string;
}

/** An Odoo web session, as `/web/session/get_session_info` describes it. */
export interface OdooWebSession {
  /** The value of the `session_id` cookie. It is a credential, so it never goes into logs. */
  sessionId: string;
  /** The database the session belongs to. */
  db: string;
  uid: number;
  /** The Odoo login (`username` in the session info). */
  login?: string;
  name?: string;
  /** False for portal and public users, which the bridge does not serve. */
  internal: boolean;
  /** The user's current company. Odoo sends companies to internal users only. */
  companyId?: number;
  /** Every company the user may switch to, empty for portal users. */
  companyIds: number[];
  /** IANA time zone, such as "Europe/Brussels". */
  tz?: string;
  /** Language code, such as "en_US". */
  lang?: string;
  /** `server_version`, such as "18.0". */
  serverVersion?: string;
}

/** The web session a connection starts with, as the caller stored it. */
export interface SessionCredential {
  sessionId: string;
  uid: number;
  login: string;
}

/** A new session from `RenewSession`: its id, or the session with the uid it belongs to. */
export type RenewedSession = string | Pick<OdooWebSession, 'sessionId' | 'uid'>;

/**
 * Opens a new web session for the connection's person once Odoo has ended the current one,
 * usually with `signInWithGoogle` and the person's current Google access token.
 */
export type RenewSession = () => Promise<RenewedSession>;

/** A connection whose calls run in an Odoo web session, which it renews when Odoo ends it. */
export interface OdooSessionConnection extends OdooConnection {
  /** The id of the session the next call uses. It changes when the session is renewed. */
  currentSessionId(): string;
}
