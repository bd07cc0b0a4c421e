import { createHash, randomBytes } from 'node:crypto';
import { createBridge, publicUrlSettings } from '../bridge.js';
import type { Environment } from '../config/env.js';
import type { Logger } from '../log/logger.js';
import type { KeyRing } from '../seal/keys.js';
import { listen, type RunningServer } from '../serve.js';
import { createOidcIssuer, issuerApp, type IssuerPerson, type OidcIssuer } from './issuer/index.js';
import { GOOGLE_PROVIDER_ID } from './odoo/data/base-data.js';
import { createDemoOdoo, type DemoOdoo } from './odoo/index.js';
import { demoBanner } from './banner.js';

const ODOO_PATH = '/demo/odoo';
const ISSUER_PATH = '/demo/issuer';
const DEMO_CLIENT_ID = 'odoo-mcp-bridge-demo';

/**
 * Starts the demo: an embedded Odoo and an embedded sign-in issuer on the bridge's own port,
 * behind the real authorization server. Everything binds 127.0.0.1.
 */
export async function startDemo(env: Environment, logger: Logger): Promise<RunningServer> {
  const publicUrl = env.publicUrl ?? new URL(`http://127.0.0.1:${env.port}`);
  const urls = publicUrlSettings(publicUrl);
  // In google mode the demo Odoo checks Google tokens at the demo issuer, as Odoo calls Google.
  let issuer: OidcIssuer | undefined;
  const odoo = createDemoOdoo({
    googleTokenValidator: async (token) => issuer?.validateAccessToken(token),
  });
  const issuerUrl = new URL(ISSUER_PATH, urls.issuer);
  const clientSecret = randomBytes(24).toString('base64url');
  issuer = await createOidcIssuer({
    issuer: issuerUrl,
    people: issuerPeople(odoo),
    clients: [
      {
        client_id: DEMO_CLIENT_ID,
        client_secret: clientSecret,
        redirect_uris: [`${urls.issuer}/callback`],
      },
    ],
  });
  const keys = new Map(odoo.people.map((person) => [person.email.toLowerCase(), person.apiKey]));

  const bridge = createBridge({
    settings: {
      ...urls,
      demo: true,
      odooServer: { url: new URL(`${ODOO_PATH}/`, urls.issuer), db: odoo.db },
      odooAuth: env.odooAuth,
      odooOauthProviderId: env.odooOauthProviderId ?? GOOGLE_PROVIDER_ID,
      accessTokenTtlSeconds: env.accessTokenTtlSeconds,
      refreshTokenTtlSeconds: env.refreshTokenTtlSeconds,
      upstreamRecheckSeconds: env.upstreamRecheckSeconds,
    },
    keys: env.tokenKeys ?? demoKeyRing(),
    upstream: { issuer: issuerUrl, clientId: DEMO_CLIENT_ID, clientSecret },
    allowlist: { emails: [], emailDomains: ['example.com'], requireHostedDomain: false },
    logger,
    demoApiKeyFor: (email) => keys.get(email.toLowerCase()),
    mounts: [
      { path: ODOO_PATH, fetch: odoo.app.fetch },
      { path: ISSUER_PATH, fetch: issuerApp(issuer).fetch },
    ],
  });
  const running = await listen(bridge, env.port, '127.0.0.1');
  process.stdout.write(demoBanner(urls.resource, odoo, env.odooAuth));
  return running;
}

/**
 * Builds the demo's sealing key, fixed and published in this source, so that client
 * registrations survive a restart of the demo. It protects nothing but the demo's own data; a real
 * deployment must set TOKEN_KEYS, which readEnvironment requires outside the demo.
 */
function demoKeyRing(): KeyRing {
  const key = {
    kid: 'demo',
    secret: new Uint8Array(
      createHash('sha256').update('odoo-mcp-bridge demo sealing key').digest(),
    ),
  };
  return { current: key, byKid: new Map([[key.kid, key]]) };
}

/** Lists the demo people who can sign in: everyone but the archived user. */
function issuerPeople(odoo: DemoOdoo): IssuerPerson[] {
  return odoo.people
    .filter((person) => person.email.endsWith('@example.com') && person.active !== false)
    .map((person) => ({
      sub: `demo-${person.uid}`,
      email: person.email,
      email_verified: true,
      name: person.name,
    }));
}
