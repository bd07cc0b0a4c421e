import type { Logger } from '../../../log/logger.js';
import type { DemoDatabase } from '../orm/database.js';
import { SESSION_LIFETIME_SECONDS, WebSessionStore } from './sessions.js';

/** The identity a Google token validator returns for a token the provider accepts. */
export interface GoogleIdentity {
  /** The subject, which `/auth_oauth/signin` matches against `res.users.oauth_uid`. */
  sub: string;
  email?: string;
  name?: string;
}

/**
 * Checks a Google access token for `/auth_oauth/signin`. It replaces Odoo's calls to the
 * provider's `validation_endpoint` and `data_endpoint`, whose merged responses give the subject.
 * It resolves to undefined for a token the provider rejects, and may reject when the provider
 * cannot be reached; Odoo treats both as an invalid token.
 */
export type GoogleTokenValidator = (accessToken: string) => Promise<GoogleIdentity | undefined>;

/**
 * The `auth_signup.invitation_scope` setting: with `b2b` only invited people may sign up, with
 * `b2c` (the value auth_signup sets on install) a sign-in for an unknown subject creates a
 * portal user.
 */
export type SignupScope = 'b2b' | 'b2c';

/** The state that the web-client routes of one demo share. */
export interface WebContext {
  db: DemoDatabase;
  sessions: WebSessionStore;
  signupScope: SignupScope;
  googleTokenValidator?: GoogleTokenValidator;
  logger?: Logger;
}

/** The settings of a demo's web-client routes; see `DemoOdooOptions` for each. */
export interface WebSettings {
  signupScope?: SignupScope;
  googleTokenValidator?: GoogleTokenValidator;
  sessionTtlSeconds?: number;
  logger?: Logger;
}

/** Creates the web context of a database, with an empty session store. */
export function createWebContext(db: DemoDatabase, settings: WebSettings = {}): WebContext {
  return {
    db,
    sessions: new WebSessionStore(db, sessionTtl(settings.sessionTtlSeconds)),
    signupScope: settings.signupScope ?? 'b2b',
    googleTokenValidator: settings.googleTokenValidator,
    logger: settings.logger,
  };
}

function sessionTtl(seconds: number | undefined): number {
  if (seconds === undefined) {
    return SESSION_LIFETIME_SECONDS;
  }
  if (!Number.isInteger(seconds) || seconds <= 0) {
    throw new Error(`sessionTtlSeconds must be a positive whole number of seconds, not ${seconds}`);
  }
  return seconds;
}
