import { describe, expect, it } from 'vitest';
import { ConfigError, readEnvironment } from '../../src/config/env.js';

const KEY = `k1:${Buffer.alloc(32, 7).toString('base64url')}`;

const PRODUCTION = {
  PUBLIC_URL: 'https://odoo-mcp.example.com',
  ODOO_URL: 'https://mycompany.odoo.com',
  ODOO_DB: 'mycompany',
  OIDC_CLIENT_ID: 'client.apps.googleusercontent.com',
  OIDC_CLIENT_SECRET: 'secret',
  ALLOWED_EMAIL_DOMAINS: 'example.com',
  TOKEN_KEYS: KEY,
};

function failure(env: Record<string, string | undefined>): ConfigError {
  try {
    readEnvironment(env);
  } catch (error) {
    if (error instanceof ConfigError) {
      return error;
    }
    throw error;
  }
  throw new Error('the environment was accepted');
}

describe('readEnvironment', () => {
  it('reads the Google Cloud project for trace links', () => {
    const settings = readEnvironment({ ...PRODUCTION, GOOGLE_CLOUD_PROJECT: 'my-company-erp' });
    expect(settings.googleCloudProject).toBe('my-company-erp');
    expect(readEnvironment(PRODUCTION).googleCloudProject).toBeUndefined();
  });

  it('starts the demo without ODOO_URL', () => {
    const settings = readEnvironment({});
    expect(settings.demo).toBe(true);
    expect(settings.port).toBe(8080);
    expect(settings.oidcIssuer.href).toBe('https://accounts.google.com/');
    expect(settings.accessTokenTtlSeconds).toBe(3600);
    expect(settings.refreshTokenTtlSeconds).toBe(2_592_000);
    expect(settings.upstreamRecheckSeconds).toBe(300);
  });

  it('reads a complete production environment', () => {
    const settings = readEnvironment(PRODUCTION);
    expect(settings.demo).toBe(false);
    expect(settings.allowedEmailDomains).toEqual(['example.com']);
    expect(settings.tokenKeys?.current.kid).toBe('k1');
  });

  it.each([
    ['PUBLIC_URL', { PUBLIC_URL: undefined }, /PUBLIC_URL is required/],
    ['ODOO_DB', { ODOO_DB: undefined }, /ODOO_DB is required/],
    ['OIDC_CLIENT_ID', { OIDC_CLIENT_ID: undefined }, /OIDC_CLIENT_ID is required/],
    ['OIDC_CLIENT_SECRET', { OIDC_CLIENT_SECRET: '' }, /OIDC_CLIENT_SECRET is required/],
    [
      'ALLOWED_EMAIL_DOMAINS',
      { ALLOWED_EMAIL_DOMAINS: undefined },
      /or ALLOWED_EMAILS is required/,
    ],
    ['TOKEN_KEYS', { TOKEN_KEYS: undefined }, /TOKEN_KEYS is required/],
    ['TOKEN_KEYS', { TOKEN_KEYS: 'k1:short' }, /TOKEN_KEYS key "k1" decodes to 3 bytes/],
    [
      'PUBLIC_URL',
      { PUBLIC_URL: 'http://odoo-mcp.example.com' },
      /must use https unless its host is loopback/,
    ],
    ['PUBLIC_URL', { PUBLIC_URL: 'https://odoo-mcp.example.com/bridge' }, /without a path/],
    ['ODOO_URL', { ODOO_URL: 'http://odoo.example.com' }, /carries an API key/],
    ['ODOO_URL', { ODOO_URL: 'ftp://odoo.example.com' }, /must use https/],
    ['ODOO_AUTH', { ODOO_AUTH: 'password' }, /must be api_key or google, not "password"/],
    [
      'ODOO_OAUTH_PROVIDER_ID',
      { ODOO_AUTH: 'google' },
      /ODOO_OAUTH_PROVIDER_ID is required with ODOO_AUTH=google/,
    ],
    ['OIDC_ISSUER', { OIDC_ISSUER: 'http://issuer.example.com' }, /OIDC_ISSUER must use https/],
    ['PORT', { PORT: '80000' }, /PORT must be a whole number from 1 to 65535, not "80000"/],
    ['ACCESS_TOKEN_TTL', { ACCESS_TOKEN_TTL: '1h' }, /ACCESS_TOKEN_TTL must be a whole number/],
    ['LOG_LEVEL', { LOG_LEVEL: 'verbose' }, /LOG_LEVEL must be one of/],
    [
      'GOOGLE_CLOUD_PROJECT',
      { GOOGLE_CLOUD_PROJECT: 'My Project' },
      /GOOGLE_CLOUD_PROJECT must be a project id .*not "My Project"/,
    ],
    [
      'ALLOWED_EMAILS',
      { ALLOWED_EMAILS: 'not-an-email' },
      /holds "not-an-email", which is not an email address/,
    ],
  ])('rejects a bad %s', (variable, change, message) => {
    const error = failure({ ...PRODUCTION, ...change });
    expect(error.variable).toBe(variable);
    expect(error.message).toMatch(message);
    expect(error.message).toContain(`for example ${variable}=`);
  });

  it('lists every bad variable at once', () => {
    const error = failure({ ODOO_URL: 'https://mycompany.odoo.com', PORT: 'x' });
    const variables = error.problems.map((problem) => problem.variable);
    expect(variables).toEqual([
      'PORT',
      'PUBLIC_URL',
      'ODOO_DB',
      'OIDC_CLIENT_ID',
      'OIDC_CLIENT_SECRET',
      'ALLOWED_EMAIL_DOMAINS',
      'TOKEN_KEYS',
    ]);
    expect(error.message.split('\n')).toHaveLength(7);
  });

  it.each([
    ['PUBLIC_URL', ''],
    ['OIDC_CLIENT_SECRET', '  '],
    ['TOKEN_KEYS', ''],
    ['TOKEN_KEYS', ','],
    ['ALLOWED_EMAIL_DOMAINS', ''],
    ['ALLOWED_EMAIL_DOMAINS', ' , '],
  ])('takes an empty %s as missing', (variable, value) => {
    const error = failure({ ...PRODUCTION, [variable]: value });
    expect(error.problems.map((problem) => problem.variable)).toEqual([variable]);
    expect(error.message).toContain(`${variable} `);
  });

  it('reports a bad PUBLIC_URL once', () => {
    const error = failure({ ...PRODUCTION, PUBLIC_URL: 'not a url' });
    expect(error.problems.map((problem) => problem.variable)).toEqual(['PUBLIC_URL']);
  });

  it('rejects TOKEN_KEYS with an empty entry', () => {
    const error = failure({ ...PRODUCTION, TOKEN_KEYS: `${KEY},` });
    expect(error.variable).toBe('TOKEN_KEYS');
    expect(error.message).toContain('empty entry at position 2 of 2');
    expect(error.message).not.toContain(KEY.split(':')[1]!);
  });

  it('accepts http for a loopback Odoo', () => {
    const settings = readEnvironment({ ...PRODUCTION, ODOO_URL: 'http://127.0.0.1:8069' });
    expect(settings.odooUrl?.href).toBe('http://127.0.0.1:8069/');
  });

  it('never prints a rejected key', () => {
    const secret = Buffer.alloc(20, 9).toString('base64url');
    const error = failure({ ...PRODUCTION, TOKEN_KEYS: secret });
    expect(error.message).not.toContain(secret);
  });
});
