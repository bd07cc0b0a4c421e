import { serve } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import type { Hono } from 'hono';
import type { Logger } from '../../log/logger.js';
import { buildDatabase } from './data/build.js';
import { addSalesperson, type AddedSalesperson } from './data/salespeople.js';
import type { DemoPerson } from './people.js';
import { createRoutes } from './routes.js';
import { DEFAULT_SERIES, type OdooSeries } from './version.js';
import { createWebContext, type GoogleTokenValidator, type SignupScope } from './web/context.js';
import { linkOAuth, linkOAuthSubjects, userWithLogin } from './web/oauth-links.js';

export type { AddedSalesperson } from './data/salespeople.js';
export type { DemoPerson } from './people.js';
export type { OdooSeries } from './version.js';
export type { GoogleIdentity, GoogleTokenValidator, SignupScope } from './web/context.js';

/** The name of the demo database, as `common.authenticate` and `execute_kw` expect it. */
export const DEMO_DATABASE = 'demo';

export interface DemoOdooOptions {
  /** The Odoo series to emulate; 18.0 by default. */
  version?: OdooSeries;
  /** The day all demo dates are relative to; the current date by default. */
  today?: Date;
  /** The logger for failures of the demo itself, not for the Odoo errors it sends on purpose. */
  logger?: Logger;
  /**
   * Checks the Google access tokens that `/auth_oauth/signin` receives, in place of Odoo's
   * calls to Google. Without it every Google sign-in fails with `oauth_error=2`. The demo
   * calls nothing else on the network.
   */
  googleTokenValidator?: GoogleTokenValidator;
  /**
   * `auth_signup.invitation_scope`: with `b2c` an unknown Google subject signs up as a new
   * portal user; with `b2b`, the default, its sign-in fails with `oauth_error=3`.
   */
  signupScope?: SignupScope;
  /**
   * How long an unused web session lives, in seconds, which is also the cookie's `Max-Age`.
   * It is a week by default, as Odoo's `SESSION_LIFETIME`.
   */
  sessionTtlSeconds?: number;
  /**
   * Google subjects (`oauth_uid`) by login, in place of the default `demo-<uid>`, such as the
   * `sub` a test issuer gives alice.
   */
  oauthUids?: Record<string, string>;
}

/**
 * An embedded Odoo: a Hono app that serves Odoo's JSON-RPC, its Google sign-in and web sessions
 * over an in-memory database.
 */
export interface DemoOdoo {
  /** Web-standard app; mount it under a path or serve it alone. */
  app: Hono;
  db: string;
  version: OdooSeries;
  people: DemoPerson[];
  /** Revokes a person's API key, as "Revoke" under Account Security does; their password stays. */
  revokeApiKey(login: string): void;
  /** Ends every web session, as a restart of Odoo with fresh session storage would. */
  expireSessions(): void;
  /** Counts the web sessions that are still signed in. */
  openSessionCount(): number;
  /** Links the user with this login to a Google subject, which must not be another user's. */
  linkOAuth(login: string, sub: string): void;
  /**
   * Archives (false) or restores (true) the user with this login. Archiving ends the user's
   * web sessions, because `active` is one of the fields Odoo's session token covers.
   */
  setUserActive(login: string, active: boolean): void;
  /**
   * Adds a salesperson who sees their own documents only, with their own API key and one
   * quotation of their own, and lists them in `people`.
   */
  addSalesperson(login: string, name: string): AddedSalesperson;
}

/** Creates a demo Odoo with its own copy of the demo data. */
export function createDemoOdoo(options: DemoOdooOptions = {}): DemoOdoo {
  const version = options.version ?? DEFAULT_SERIES;
  const { db, people } = buildDatabase(DEMO_DATABASE, version, options.today ?? new Date());
  const revokeApiKey = (login: string): void => {
    const person = people.find((candidate) => candidate.login === login);
    const credentials = person === undefined ? undefined : db.credentials.get(person.uid);
    if (person === undefined || credentials === undefined) {
      throw new Error(`The demo has no person with the login ${login}`);
    }
    // A revoked key matches no credential: the empty string is never accepted as a password.
    db.credentials.set(person.uid, { ...credentials, apiKey: '' });
  };
  linkOAuthSubjects(db, people, options.oauthUids ?? {});
  const web = createWebContext(db, options);
  return {
    app: createRoutes(db, options.logger, web),
    db: db.name,
    version,
    people,
    revokeApiKey,
    expireSessions: () => web.sessions.endAll(),
    openSessionCount: () => web.sessions.countOpen(),
    linkOAuth: (login, sub) => linkOAuth(db, people, login, sub),
    setUserActive: (login, active) => {
      userWithLogin(db, login).active = active;
    },
    addSalesperson: (login, name) => {
      const added = addSalesperson(db, login, name);
      people.push(added.person);
      return added;
    },
  };
}

export interface RunningDemoOdoo {
  /** The base URL, such as http://127.0.0.1:41234/; `/jsonrpc` resolves against it. */
  url: URL;
  demo: DemoOdoo;
  close(): Promise<void>;
}

/** Serves a demo Odoo on 127.0.0.1; port 0 (the default) picks a free port. */
export async function startDemoOdoo(
  options: DemoOdooOptions & { port?: number } = {},
): Promise<RunningDemoOdoo> {
  const demo = createDemoOdoo(options);
  const { server, port } = await new Promise<{ server: ReturnType<typeof serve>; port: number }>(
    (resolve, reject) => {
      const started = serve(
        { fetch: demo.app.fetch, hostname: '127.0.0.1', port: options.port ?? 0 },
        (info: AddressInfo) => resolve({ server: started, port: info.port }),
      );
      started.once('error', reject);
    },
  );
  return {
    url: new URL(`http://127.0.0.1:${port}/`),
    demo,
    close: () =>
      new Promise<void>((resolve, reject) => {
        if ('closeAllConnections' in server) {
          server.closeAllConnections();
        }
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
