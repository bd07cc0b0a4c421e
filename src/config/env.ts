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
  /** The Google Cloud project, which turns trace ids of requests into Cloud Trace links. */
  googleCloudProject: string | undefined;
}

/**
 * A configuration error: names the variable, the rule it breaks and an example value. When
 * several variables are wrong, `problems` has one error per variable and the message one line
 * per problem, so a deploy can be fixed in one go.
 */
export class ConfigError extends Error {
  override name = 'ConfigError';
  readonly problems: ConfigError[];

  constructor(
    readonly variable: string,
    rule: string,
    example: string,
  ) {
    super(`${variable} ${rule}; for example ${variable}=${example}`);
    this.problems = [this];
  }

  /** One error standing for several, the first one's variable first. */
  static combine(problems: ConfigError[]): ConfigError {
    const [first, ...rest] = problems;
    if (first === undefined) {
      throw new Error('ConfigError.combine needs at least one problem');
    }
    if (rest.length === 0) {
      return first;
    }
    const combined = Object.create(ConfigError.prototype) as ConfigError;
    Object.assign(combined, first, {
      problems,
      message: problems.map((p) => p.message).join('\n'),
    });
    combined.stack = first.stack;
    return combined;
  }
}

type Env = Record<string, string | undefined>;

/** Runs readers, keeping every ConfigError, so all bad variables are reported at once. */
class Problems {
  readonly found: ConfigError[] = [];

  read<T>(reader: () => T, fallback: T): T {
    try {
      return reader();
    } catch (error) {
      if (error instanceof ConfigError) {
        this.found.push(error);
        return fallback;
      }
      throw error;
    }
  }
}

/** Reads and checks every variable; raises one ConfigError listing every bad one. */
export function readEnvironment(env: Env): Environment {
  const problems = new Problems();
  const odooUrl = problems.read(() => readOdooUrl(env), undefined);
  const demo = odooUrl === undefined;
  const settings: Environment = {
    demo,
    port: problems.read(() => integer(env, 'PORT', 8080, 1, 65535, '8080'), 8080),
    publicUrl: problems.read(() => readPublicUrl(env), undefined),
    odooUrl,
    odooDb: text(env, 'ODOO_DB'),
    odooAuth: problems.read(() => readOdooAuth(env), 'api_key'),
    odooOauthProviderId: problems.read(
      () => optionalInteger(env, 'ODOO_OAUTH_PROVIDER_ID', 1, 2 ** 31 - 1, '3'),
      undefined,
    ),
    oidcIssuer: problems.read(() => readIssuer(env), new URL('https://accounts.google.com')),
    oidcClientId: text(env, 'OIDC_CLIENT_ID'),
    oidcClientSecret: text(env, 'OIDC_CLIENT_SECRET'),
    allowedEmailDomains: problems.read(
      () => list(env, 'ALLOWED_EMAIL_DOMAINS').map(checkDomain),
      [],
    ),
    allowedEmails: problems.read(() => list(env, 'ALLOWED_EMAILS').map(checkEmail), []),
    tokenKeys: problems.read(() => readTokenKeys(env), undefined),
    accessTokenTtlSeconds: problems.read(
      () => integer(env, 'ACCESS_TOKEN_TTL', 3600, 60, 86_400, '3600'),
      3600,
    ),
    refreshTokenTtlSeconds: problems.read(
      () => integer(env, 'REFRESH_TOKEN_TTL', 2_592_000, 300, 31_536_000, '2592000'),
      2_592_000,
    ),
    upstreamRecheckSeconds: problems.read(
      () => integer(env, 'UPSTREAM_RECHECK_SECONDS', 300, 0, 86_400, '300'),
      300,
    ),
    logLevel: problems.read(() => readLogLevel(env), 'info'),
    googleCloudProject: problems.read(() => readProject(env), undefined),
  };
  if (!demo) {
    const reported = new Set(problems.found.map((problem) => problem.variable));
    problems.found.push(...productionProblems(settings, reported));
  }
  if (problems.found.length > 0) {
    throw ConfigError.combine(problems.found);
  }
  return settings;
}

/**
 * The variables the demo fills in itself and a real deployment must set, or their absence. A
 * variable set to an empty value, or to commas alone, counts as missing, since a secret that
 * was not filled in arrives that way. One already reported as invalid is not reported again.
 */
function productionProblems(settings: Environment, reported: ReadonlySet<string>): ConfigError[] {
  const found: ConfigError[] = [];
  for (const check of PRODUCTION_CHECKS) {
    const problem = check(settings);
    if (problem !== undefined && !reported.has(problem.variable)) {
      found.push(problem);
    }
  }
  return found;
}

type ProductionCheck = (settings: Environment) => ConfigError | undefined;

const PRODUCTION_CHECKS: ProductionCheck[] = [
  (settings) =>
    settings.publicUrl === undefined
      ? new ConfigError(
          'PUBLIC_URL',
          'is required when ODOO_URL is set',
          'https://odoo-mcp.example.com',
        )
      : undefined,
  (settings) =>
    settings.odooDb === undefined
      ? new ConfigError('ODOO_DB', 'is required when ODOO_URL is set', 'mycompany')
      : undefined,
  (settings) =>
    settings.odooAuth === 'google' && settings.odooOauthProviderId === undefined
      ? new ConfigError(
          'ODOO_OAUTH_PROVIDER_ID',
          'is required with ODOO_AUTH=google: the id of the Google provider in Odoo (Settings > Users & Companies > OAuth Providers, the id in the address of its form)',
          '3',
        )
      : undefined,
  (settings) =>
    settings.oidcClientId === undefined
      ? new ConfigError(
          'OIDC_CLIENT_ID',
          'is required when ODOO_URL is set',
          '1234-abc.apps.googleusercontent.com',
        )
      : undefined,
  (settings) =>
    settings.oidcClientSecret === undefined
      ? new ConfigError('OIDC_CLIENT_SECRET', 'is required when ODOO_URL is set', 'GOCSPX-…')
      : undefined,
  (settings) =>
    settings.allowedEmailDomains.length === 0 && settings.allowedEmails.length === 0
      ? new ConfigError(
          'ALLOWED_EMAIL_DOMAINS',
          'or ALLOWED_EMAILS is required when ODOO_URL is set, so that only your people can sign in',
          'mycompany.com',
        )
      : undefined,
  (settings) =>
    settings.tokenKeys === undefined
      ? new ConfigError(
          'TOKEN_KEYS',
          'is required when ODOO_URL is set (generate one with: node dist/cli.js generate-key)',
          'k1:<43 base64url characters>',
        )
      : undefined,
];

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

function readProject(env: Env): string | undefined {
  const value = text(env, 'GOOGLE_CLOUD_PROJECT');
  // Google's rule for project ids: 6 to 30 lowercase letters, digits and hyphens.
  if (value !== undefined && !/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/.test(value)) {
    throw new ConfigError(
      'GOOGLE_CLOUD_PROJECT',
      `must be a project id (6 to 30 lowercase letters, digits and hyphens), not "${value}"`,
      'my-company-erp',
    );
  }
  return value;
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
