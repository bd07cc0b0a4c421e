import { randomBytes } from 'node:crypto';
import { readEnvironment, type Environment } from '../config/env.js';
import { OdooError } from '../odoo/errors.js';
import { createOdooClient, type OdooClient } from '../odoo/client.js';
import { OdooSignInError } from '../odoo/web-session/index.js';
import { formatKeyRing, generateKeyRing } from '../seal/keys.js';
import { UpstreamIssuer } from '../upstream/issuer.js';
import { readOrExit } from './exit.js';

/** The result of one check: what was checked and what was found. */
interface CheckResult {
  ok: boolean;
  text: string;
}

/**
 * Stands in for the variables that the checks do not read, so that `check` runs with only
 * ODOO_URL, ODOO_DB and OIDC_ISSUER set. A variable set to a value is read as the server reads
 * it. An empty one, such as ALLOWED_EMAIL_DOMAINS without a Workspace, gets the placeholder.
 */
function placeholdersFor(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const setValues = Object.entries(env).filter(([, value]) => (value ?? '').trim() !== '');
  return {
    PUBLIC_URL: 'https://odoo-mcp-bridge.invalid',
    OIDC_CLIENT_ID: 'check',
    OIDC_CLIENT_SECRET: 'check',
    ALLOWED_EMAIL_DOMAINS: 'example.com',
    TOKEN_KEYS: formatKeyRing(generateKeyRing('check')),
    ...Object.fromEntries(setValues),
  };
}

/**
 * Checks, before a deploy, that the configured Odoo URL answers as Odoo, that the database
 * exists there, that one person's API key signs in when ODOO_LOGIN and ODOO_API_KEY are set,
 * that the OpenID Connect issuer publishes its discovery document and, in google mode, that
 * Odoo has the "Sign in with Google" route. Prints one line per check and exits 1
 * when one fails.
 */
export async function checkCommand(env: NodeJS.ProcessEnv): Promise<void> {
  const settings = readOrExit(() => readEnvironment(placeholdersFor(env)));
  if (settings.demo) {
    process.stderr.write('ODOO_URL is not set, so there is nothing to check: that is the demo.\n');
    process.exit(2);
  }
  const odoo = createOdooClient(
    { url: settings.odooUrl!, db: settings.odooDb! },
    { protocol: 'jsonrpc', timeoutMs: 15_000 },
  );
  const results: CheckResult[] = [];
  try {
    const version = await checkVersion(odoo, settings);
    results.push(version);
    if (version.ok) {
      results.push(await checkDatabase(odoo, settings));
      const login = env.ODOO_LOGIN?.trim();
      const apiKey = env.ODOO_API_KEY?.trim();
      if (login && apiKey) {
        results.push(await checkApiKey(odoo, login, apiKey));
      }
      if (settings.odooAuth === 'google') {
        results.push(await checkGoogleSignIn(odoo, settings));
      }
    }
    results.push(await checkIssuer(settings));
  } finally {
    await odoo.close();
  }
  for (const result of results) {
    process.stdout.write(`${result.ok ? 'ok    ' : 'FAILED'} ${result.text}\n`);
  }
  if (results.some((result) => !result.ok)) {
    process.exit(1);
  }
}

async function checkVersion(odoo: OdooClient, settings: Environment): Promise<CheckResult> {
  const url = settings.odooUrl!.href;
  try {
    const version = await odoo.version();
    return { ok: true, text: `${url} is Odoo ${version.serverVersion}` };
  } catch (error) {
    const path = settings.odooUrl!.pathname;
    const pathHint =
      path === '/'
        ? ''
        : ` ODOO_URL has the path "${path}": use the server's address alone, such as ${settings.odooUrl!.origin}.`;
    return { ok: false, text: `${url} does not answer as Odoo: ${messageOf(error)}.${pathHint}` };
  }
}

/**
 * Signs in with a login no database has: Odoo answers "no such user" for a database it
 * serves, and an error naming the database for one it does not.
 */
async function checkDatabase(odoo: OdooClient, settings: Environment): Promise<CheckResult> {
  const db = settings.odooDb!;
  const probe = {
    login: `odoo-mcp-bridge-check-${randomBytes(6).toString('hex')}`,
    apiKey: randomBytes(20).toString('hex'),
  };
  try {
    await odoo.authenticate(probe);
    return {
      ok: false,
      text: `the database "${db}" accepted a made-up login, which is unexpected`,
    };
  } catch (error) {
    if (error instanceof OdooError && error.kind === 'authentication') {
      return { ok: true, text: `the database "${db}" exists on that server` };
    }
    return {
      ok: false,
      text:
        `the database "${db}" could not be opened: ${messageOf(error)}. Check ODOO_DB: on Odoo ` +
        'Online and Odoo.sh it is often the subdomain; whoever runs the Odoo server knows it.',
    };
  }
}

/**
 * Signs in with one person's login and API key, as the consent page will. This is the only
 * check that shows whether the server offers the external API at all (on Odoo Online, only
 * the Custom plan does).
 */
async function checkApiKey(odoo: OdooClient, login: string, apiKey: string): Promise<CheckResult> {
  try {
    const uid = await odoo.authenticate({ login, apiKey });
    return { ok: true, text: `the API key of ${login} signs in to Odoo as uid ${uid}` };
  } catch (error) {
    return { ok: false, text: `the API key of ${login} does not sign in: ${messageOf(error)}` };
  }
}

/** Sends a made-up token to `/auth_oauth/signin`: Odoo with auth_oauth refuses it as a token. */
async function checkGoogleSignIn(odoo: OdooClient, settings: Environment): Promise<CheckResult> {
  const providerId = settings.odooOauthProviderId ?? 0;
  try {
    await odoo.requestGoogleSignIn({ providerId, accessToken: 'odoo-mcp-bridge-check' });
    return { ok: false, text: 'Odoo accepted a made-up Google token, which is unexpected' };
  } catch (error) {
    if (error instanceof OdooSignInError && error.reason === 'token_refused') {
      return {
        ok: true,
        text:
          'Odoo serves "Sign in with Google" (auth_oauth). Whether provider ' +
          `${providerId} is Google cannot be checked without a real sign-in.`,
      };
    }
    return { ok: false, text: `Odoo's Google sign-in failed: ${messageOf(error)}` };
  }
}

async function checkIssuer(settings: Environment): Promise<CheckResult> {
  const issuer = new UpstreamIssuer({
    issuer: settings.oidcIssuer,
    clientId: settings.oidcClientId!,
    clientSecret: settings.oidcClientSecret!,
    redirectUri: 'https://odoo-mcp-bridge.invalid/callback',
  });
  try {
    await issuer.checkDiscovery();
    return { ok: true, text: `${settings.oidcIssuer.href} publishes its discovery document` };
  } catch (error) {
    return { ok: false, text: `the issuer ${settings.oidcIssuer.href}: ${messageOf(error)}` };
  }
}

function messageOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.trim().replace(/\.$/, '');
}
