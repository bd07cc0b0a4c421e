import { isLoopbackHost } from '../http/loopback.js';
import { KeyRingError, parseKeyRing, type KeyRing } from '../seal/keys.js';

export type OdooAuthMode = 'api_key' | 'google';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Settings read from the environment; the demo fills in what it starts itself. */
export interface Environment {
  demo: boolean;
  port: number;
  publicUrl: URL | undefined;
  odooUrl: URL | undefined;
  odooDb: string | undefined;
  odooAuth: OdooAuthMode;
  odooOauthProviderId: number | undefined;
  oidcIssuer: URL;
  oidcClientId: string | undefined;
  oidcClientSecret: string | undefined;
  allowedEmailDomains: string[];
  allowedEmails: string[];
  tokenKeys: KeyRing | undefined;
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  upstreamRecheckSeconds: number;
  logLevel: LogLevel;
}

/** A configuration error: names the variable, the rule it breaks and an example value. */
export class ConfigError extends Error {
  override name = 'ConfigError';

  constructor(
    readonly variable: string,
    rule: string,
    example: string,
  ) {
    super(`${variable} ${rule}; for example ${variable}=${example}`);
  }
}

type Env = Record<string, string | undefined>;

/** Reads and checks every variable, stopping at the first one that is missing or invalid. */
export function readEnvironment(env: Env): Environment {
  const odooUrl = readOdooUrl(env);
  const demo = odooUrl === undefined;
  const odooAuth = readOdooAuth(env);
  const settings: Environment = {
    demo,
    port: integer(env, 'PORT', 8080, 1, 65535, '8080'),
    publicUrl: readPublicUrl(env),
    odooUrl,
    odooDb: text(env, 'ODOO_DB'),
    odooAuth,
    odooOauthProviderId: optionalInteger(env, 'ODOO_OAUTH_PROVIDER_ID', 1, 2 ** 31 - 1, '3'),
    oidcIssuer: readIssuer(env),
    oidcClientId: text(env, 'OIDC_CLIENT_ID'),
    oidcClientSecret: text(env, 'OIDC_CLIENT_SECRET'),
    allowedEmailDomains: list(env, 'ALLOWED_EMAIL_DOMAINS').map(checkDomain),
    allowedEmails: list(env, 'ALLOWED_EMAILS').map(checkEmail),
    tokenKeys: readTokenKeys(env),
    accessTokenTtlSeconds: integer(env, 'ACCESS_TOKEN_TTL', 3600, 60, 86_400, '3600'),
    refreshTokenTtlSeconds: integer(
      env,
      'REFRESH_TOKEN_TTL',
      2_592_000,
      300,
      31_536_000,
      '2592000',
    ),
    upstreamRecheckSeconds: integer(env, 'UPSTREAM_RECHECK_SECONDS', 300, 0, 86_400, '300'),
    logLevel: readLogLevel(env),
  };
  if (!demo) {
    requireProductionSettings(settings);
  }
  return settings;
}

function requireProductionSettings(settings: Environment): void {
  if (settings.publicUrl === undefined) {
    throw new ConfigError(
      'PUBLIC_URL',
      'is required when ODOO_URL is set',
      'https://odoo-mcp.example.com',
    );
  }
  if (settings.odooDb === undefined) {
    throw new ConfigError('ODOO_DB', 'is required when ODOO_URL is set', 'mycompany');
  }
  if (settings.odooAuth === 'google' && settings.odooOauthProviderId === undefined) {
    throw new ConfigError(
      'ODOO_OAUTH_PROVIDER_ID',
      'is required with ODOO_AUTH=google: the id of the Google provider in Odoo (Settings > Users > OAuth Providers)',
      '3',
    );
  }
  if (settings.oidcClientId === undefined) {
    throw new ConfigError(
      'OIDC_CLIENT_ID',
      'is required when ODOO_URL is set',
      '1234-abc.apps.googleusercontent.com',
    );
  }
  if (settings.oidcClientSecret === undefined) {
    throw new ConfigError('OIDC_CLIENT_SECRET', 'is required when ODOO_URL is set', 'GOCSPX-…');
  }
  if (settings.allowedEmailDomains.length === 0 && settings.allowedEmails.length === 0) {
    throw new ConfigError(
      'ALLOWED_EMAIL_DOMAINS',
      'or ALLOWED_EMAILS is required when ODOO_URL is set, so that only your people can sign in',
      'mycompany.com',
    );
  }
  if (settings.tokenKeys === undefined) {
    throw new ConfigError(
      'TOKEN_KEYS',
      'is required when ODOO_URL is set (generate one with: node dist/cli.js generate-key)',
      'k1:<43 base64url characters>',
    );
  }
}

function text(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

function list(env: Env, name: string): string[] {
  const value = text(env, name);
  if (value === undefined) {
    return [];
  }
  return value
    .split(',')
    .map((item) => item.trim().toLowerCase())
    .filter((item) => item !== '');
}

function integer(
  env: Env,
  name: string,
  fallback: number,
  min: number,
  max: number,
  example: string,
): number {
  return optionalInteger(env, name, min, max, example) ?? fallback;
}

function optionalInteger(
  env: Env,
  name: string,
  min: number,
  max: number,
  example: string,
): number | undefined {
  const value = text(env, name);
  if (value === undefined) {
    return undefined;
  }
  const parsed = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(parsed) || parsed < min || parsed > max) {
    throw new ConfigError(
      name,
      `must be a whole number from ${min} to ${max}, not "${value}"`,
      example,
    );
  }
  return parsed;
}

function optionalUrl(env: Env, name: string, example: string): URL | undefined {
  const value = text(env, name);
  if (value === undefined) {
    return undefined;
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(name, `must be an absolute URL, not "${value}"`, example);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ConfigError(name, `must use https (or http), not "${url.protocol}"`, example);
  }
  if (url.username !== '' || url.password !== '') {
    throw new ConfigError(name, 'must not contain a user name or password', example);
  }
  return url;
}

/** Odoo receives each person's API key on every call, so it is reached over https only. */
function readOdooUrl(env: Env): URL | undefined {
  const example = 'https://mycompany.odoo.com';
  const url = optionalUrl(env, 'ODOO_URL', example);
  if (url !== undefined && url.protocol !== 'https:' && !isLoopbackHost(url.hostname)) {
    throw new ConfigError(
      'ODOO_URL',
      'must use https unless its host is loopback, because every call carries an API key',
      example,
    );
  }
  return url;
}

function readPublicUrl(env: Env): URL | undefined {
  const example = 'https://odoo-mcp.example.com';
  const url = optionalUrl(env, 'PUBLIC_URL', example);
  if (url === undefined) {
    return undefined;
  }
  if (url.protocol !== 'https:' && !isLoopbackHost(url.hostname)) {
    throw new ConfigError('PUBLIC_URL', 'must use https unless its host is loopback', example);
  }
  if (url.pathname !== '/' || url.search !== '' || url.hash !== '') {
    throw new ConfigError(
      'PUBLIC_URL',
      `must be an origin without a path, query or fragment (MCP clients call /authorize and /token at the root), not "${url.href}"`,
      example,
    );
  }
  return url;
}

function readIssuer(env: Env): URL {
  const example = 'https://accounts.google.com';
  const url = optionalUrl(env, 'OIDC_ISSUER', example) ?? new URL(example);
  if (url.protocol !== 'https:' && !isLoopbackHost(url.hostname)) {
    throw new ConfigError('OIDC_ISSUER', 'must use https unless its host is loopback', example);
  }
  return url;
}

function readOdooAuth(env: Env): OdooAuthMode {
  const value = text(env, 'ODOO_AUTH') ?? 'api_key';
  if (value !== 'api_key' && value !== 'google') {
    throw new ConfigError('ODOO_AUTH', `must be api_key or google, not "${value}"`, 'api_key');
  }
  return value;
}

function readTokenKeys(env: Env): KeyRing | undefined {
  const value = text(env, 'TOKEN_KEYS');
  if (value === undefined) {
    return undefined;
  }
  try {
    return parseKeyRing(value);
  } catch (error) {
    if (error instanceof KeyRingError) {
      throw new ConfigError(
        'TOKEN_KEYS',
        `${error.message} (expected kid:base64url(32 bytes), comma-separated, the first one sealing)`,
        'k2:<43 base64url characters>,k1:<43 base64url characters>',
      );
    }
    throw error;
  }
}

function readLogLevel(env: Env): LogLevel {
  const value = text(env, 'LOG_LEVEL') ?? 'info';
  const level = LOG_LEVELS.find((candidate) => candidate === value);
  if (level === undefined) {
    throw new ConfigError(
      'LOG_LEVEL',
      `must be one of ${LOG_LEVELS.join(', ')}, not "${value}"`,
      'info',
    );
  }
  return level;
}

function checkDomain(domain: string): string {
  if (!/^[a-z0-9.-]+\.[a-z]{2,}$/.test(domain)) {
    throw new ConfigError(
      'ALLOWED_EMAIL_DOMAINS',
      `holds "${domain}", which is not a domain name`,
      'mycompany.com,mycompany.de',
    );
  }
  return domain;
}

function checkEmail(email: string): string {
  if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) {
    throw new ConfigError(
      'ALLOWED_EMAILS',
      `holds "${email}", which is not an email address`,
      'alice@mycompany.com,bob@partner.com',
    );
  }
  return email;
}
