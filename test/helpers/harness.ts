import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { getRequestListener } from '@hono/node-server';
import type { MetadataDocumentFetcher } from '../../src/authorization/clients/metadata-document.js';
import {
  createBridge,
  publicUrlSettings,
  type Bridge,
  type BridgeOptions,
} from '../../src/bridge.js';
import type { LogLevel } from '../../src/config/env.js';
import {
  startOidcIssuer,
  type IssuerPerson,
  type RunningIssuer,
} from '../../src/demo/issuer/index.js';
import { GOOGLE_PROVIDER_ID } from '../../src/demo/odoo/data/base-data.js';
import { startDemoOdoo } from '../../src/demo/odoo/index.js';
import { createLogger } from '../../src/log/logger.js';
import { generateKeyRing, type KeyRing } from '../../src/seal/keys.js';

export const BRIDGE_CLIENT_ID = 'bridge-at-the-issuer';
export const BRIDGE_CLIENT_SECRET = 'bridge-secret-at-the-issuer';

/** People of the stand-in for Google; their emails match the demo Odoo's users. */
export const PEOPLE: IssuerPerson[] = [
  {
    sub: 'google-alice',
    email: 'alice@example.com',
    email_verified: true,
    name: 'Alice Sales',
    hd: 'example.com',
  },
  {
    sub: 'google-bob',
    email: 'bob@example.com',
    email_verified: true,
    name: 'Bob Manager',
    hd: 'example.com',
  },
  {
    sub: 'google-carol',
    email: 'carol@example.com',
    email_verified: true,
    name: 'Carol Clerk',
    hd: 'example.com',
  },
  {
    sub: 'google-unverified',
    email: 'eve@example.com',
    email_verified: false,
    name: 'Eve Unverified',
    hd: 'example.com',
  },
  {
    sub: 'google-outsider',
    email: 'mallory@elsewhere.test',
    email_verified: true,
    name: 'Mallory Outside',
    hd: 'elsewhere.test',
  },
  { sub: 'google-gmail', email: 'frank@example.com', email_verified: true, name: 'Frank Personal' },
  {
    sub: 'google-pat',
    email: 'pat@example.com',
    email_verified: true,
    name: 'Pat Portal',
    hd: 'example.com',
  },
  {
    sub: 'google-stranger',
    email: 'stranger@example.com',
    email_verified: true,
    name: 'Sam Stranger',
    hd: 'example.com',
  },
];

/** The Google subjects the demo Odoo links its users to in google mode. */
const OAUTH_UIDS: Record<string, string> = {
  'alice@example.com': 'google-alice',
  'bob@example.com': 'google-bob',
  'carol@example.com': 'google-carol',
  'pat@example.com': 'google-pat',
};

export interface HarnessOptions {
  accessTokenTtlSeconds?: number;
  refreshTokenTtlSeconds?: number;
  upstreamRecheckSeconds?: number;
  upstreamAccessTokenTtlSeconds?: number;
  requireHostedDomain?: boolean;
  fetchMetadataDocument?: MetadataDocumentFetcher;
  keys?: KeyRing;
  /** Odoo's own "Sign in with Google" instead of API keys. */
  odooAuth?: 'api_key' | 'google';
  /** Odoo's sign-up scope in google mode: b2c creates a portal user for an unknown account. */
  signupScope?: 'b2b' | 'b2c';
  /** The database the bridge names, to test one the demo Odoo does not serve. */
  odooDb?: string;
  /** The Google provider id the bridge names, to test one the demo Odoo does not have. */
  odooOauthProviderId?: number;
  /** The Odoo the bridge calls in place of the demo Odoo, such as a proxy in front of it. */
  odooUrl?: URL;
  /** The bridge's time limit of one Odoo call, in milliseconds. */
  odooTimeoutMs?: number;
  /** The bridge's log level; `debug` by default. Load tests keep fewer lines in memory. */
  logLevel?: LogLevel;
}

/** A bridge wired to the demo Odoo and to a real OIDC server, each on its own loopback port. */
export interface Harness {
  url: URL;
  mcpUrl: URL;
  bridge: Bridge;
  issuer: RunningIssuer;
  odoo: Awaited<ReturnType<typeof startDemoOdoo>>;
  keys: KeyRing;
  /** Every log line the bridge wrote, parsed. */
  logs: Array<Record<string, unknown>>;
  /** The same lines as written, to search for secrets. */
  rawLogs: string[];
  apiKeyOf(email: string): string;
  /** Every Google access token the demo Odoo was asked to check, to search the logs for. */
  googleTokens: string[];
  /** Another instance of the same deployment: same settings and keys, none of this one's memory. */
  secondInstance(): Bridge;
  close(): Promise<void>;
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  const urls = publicUrlSettings(url);

  // The demo Odoo checks Google tokens at the stand-in for Google, as Odoo calls Google.
  let validate: (token: string) => Promise<{ sub: string } | undefined> = async () => undefined;
  const googleTokens: string[] = [];
  const odoo = await startDemoOdoo({
    port: 0,
    googleTokenValidator: (token) => {
      googleTokens.push(token);
      return validate(token);
    },
    oauthUids: OAUTH_UIDS,
    ...(options.signupScope === undefined ? {} : { signupScope: options.signupScope }),
  });
  const issuer = await startOidcIssuer(() => ({
    people: PEOPLE,
    clients: [
      {
        client_id: BRIDGE_CLIENT_ID,
        client_secret: BRIDGE_CLIENT_SECRET,
        redirect_uris: [`${urls.issuer}/callback`],
      },
    ],
    ...(options.upstreamAccessTokenTtlSeconds === undefined
      ? {}
      : { accessTokenTtlSeconds: options.upstreamAccessTokenTtlSeconds }),
  }));

  validate = (token) => issuer.issuer.validateAccessToken(token);

  const rawLogs: string[] = [];
  const logs: Array<Record<string, unknown>> = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) {
        rawLogs.push(line);
        logs.push(JSON.parse(line) as Record<string, unknown>);
      }
      done();
    },
  });
  const keys = options.keys ?? generateKeyRing();
  const bridgeOptions: BridgeOptions = {
    settings: {
      ...urls,
      demo: false,
      odooServer: { url: options.odooUrl ?? odoo.url, db: options.odooDb ?? odoo.demo.db },
      odooAuth: options.odooAuth ?? 'api_key',
      odooOauthProviderId: options.odooOauthProviderId ?? GOOGLE_PROVIDER_ID,
      accessTokenTtlSeconds: options.accessTokenTtlSeconds ?? 3600,
      refreshTokenTtlSeconds: options.refreshTokenTtlSeconds ?? 2_592_000,
      upstreamRecheckSeconds: options.upstreamRecheckSeconds ?? 300,
    },
    keys,
    upstream: {
      issuer: issuer.url,
      clientId: BRIDGE_CLIENT_ID,
      clientSecret: BRIDGE_CLIENT_SECRET,
    },
    allowlist: {
      emails: [],
      emailDomains: ['example.com'],
      requireHostedDomain: options.requireHostedDomain ?? false,
    },
    logger: createLogger({ level: options.logLevel ?? 'debug', destination }),
    ...(options.odooTimeoutMs === undefined ? {} : { odooTimeoutMs: options.odooTimeoutMs }),
    ...(options.fetchMetadataDocument === undefined
      ? {}
      : { fetchMetadataDocument: options.fetchMetadataDocument }),
  };
  const bridge = createBridge(bridgeOptions);
  const instances: Bridge[] = [];
  server.on('request', getRequestListener(bridge.app.fetch));

  return {
    url,
    mcpUrl: new URL('/mcp', url),
    bridge,
    issuer,
    odoo,
    keys,
    logs,
    rawLogs,
    googleTokens,
    apiKeyOf(email) {
      const person = odoo.demo.people.find((candidate) => candidate.email === email);
      if (person === undefined) {
        throw new Error(`No demo person ${email}`);
      }
      return person.apiKey;
    },
    secondInstance() {
      const instance = createBridge(bridgeOptions);
      instances.push(instance);
      return instance;
    },
    async close() {
      await closeServer(server);
      await bridge.close();
      for (const instance of instances) {
        await instance.close();
      }
      await issuer.close();
      await odoo.close();
    },
  };
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
}
