import { execFile } from 'node:child_process';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatKeyRing, parseKeyRing } from '../../src/seal/keys.js';
import { PEOPLE, startHarness, type Harness } from '../helpers/harness.js';
import { authorize, tokenRequest } from '../helpers/oauth.js';
import { freePort } from '../odoo/test-server.js';

const run = promisify(execFile);
const CLI = 'dist/cli.js';
const CLAUDE_CALLBACK = 'https://claude.ai/api/mcp/auth_callback';

async function cli(args: string[], env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI, ...args], {
      env: { PATH: process.env.PATH ?? '', ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('command line', () => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await startHarness();
  });

  afterAll(async () => {
    await harness.close();
  });

  it('registers a client that signs in with its secret', async () => {
    const result = await cli(
      ['register-client', '--name', 'Claude', '--redirect-uri', CLAUDE_CALLBACK],
      {
        PUBLIC_URL: harness.url.origin,
        TOKEN_KEYS: formatKeyRing(harness.keys),
      },
    );
    expect(result.code).toBe(0);
    const clientId = /^client_id: (\S+)$/m.exec(result.stdout)?.[1];
    const clientSecret = /^client_secret: (\S+)$/m.exec(result.stdout)?.[1];
    expect(clientId).toBeTruthy();
    expect(clientSecret).toBeTruthy();

    const client = {
      client_id: clientId!,
      client_secret: clientSecret!,
      redirect_uri: CLAUDE_CALLBACK,
    };
    const { code, verifier } = await authorize(harness, client, PEOPLE[1]!);
    const tokens = await tokenRequest(harness, {
      grant_type: 'authorization_code',
      code,
      code_verifier: verifier,
      redirect_uri: CLAUDE_CALLBACK,
      client_id: client.client_id,
      client_secret: client.client_secret,
    });
    expect(tokens.status).toBe(200);
  });

  it('explains what register-client needs', async () => {
    const result = await cli([
      'register-client',
      '--name',
      'Claude',
      '--redirect-uri',
      CLAUDE_CALLBACK,
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('needs PUBLIC_URL and TOKEN_KEYS');
  });

  it('rejects an invalid redirect URI', async () => {
    const result = await cli(
      ['register-client', '--name', 'X', '--redirect-uri', 'http://example.com/cb'],
      {
        PUBLIC_URL: harness.url.origin,
        TOKEN_KEYS: formatKeyRing(harness.keys),
      },
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('must use https, or http on a loopback host');
  });

  it('generates a key the configuration accepts', async () => {
    const result = await cli(['generate-key', 'k7']);
    const ring = parseKeyRing(result.stdout.trim());
    expect(ring.current.kid).toBe('k7');
    expect(ring.current.secret).toHaveLength(32);
  });

  it('refuses a key id the configuration would reject', async () => {
    const result = await cli(['generate-key', 'key one']);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('key id "key one" must be 1-64 characters');
  });

  it('stops with one line per bad variable', async () => {
    const result = await cli(['serve'], { ODOO_URL: 'https://odoo.example.com' });
    const lines = result.stderr.trim().split('\n');
    expect(result.code).toBe(1);
    expect(lines).toHaveLength(6);
    expect(lines[0]).toBe(
      'Configuration error: PUBLIC_URL is required when ODOO_URL is set; for example PUBLIC_URL=https://odoo-mcp.example.com',
    );
    for (const line of lines) {
      expect(line).toMatch(/^Configuration error: [A-Z_]+ .*; for example [A-Z_]+=/);
    }
  });

  it('names a port in use in one line', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as AddressInfo).port;
    try {
      const result = await cli(['serve'], { PORT: String(port) });
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`Port ${port} is already in use`);
      expect(result.stderr).not.toContain('    at ');
    } finally {
      await new Promise<void>((resolve) => blocker.close(() => resolve()));
    }
  });

  it('names an unknown command', async () => {
    const result = await cli(['frobnicate']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Unknown command "frobnicate"');
  });
});

describe('check command', () => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await startHarness();
  });

  afterAll(async () => {
    await harness.close();
  });

  const checkWith = (env: Record<string, string>) =>
    cli(['check'], {
      ODOO_URL: harness.odoo.url.href,
      ODOO_DB: harness.odoo.demo.db,
      OIDC_ISSUER: harness.issuer.url.href,
      ...env,
    });

  it('passes with a working Odoo and issuer', async () => {
    const result = await checkWith({});
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines).toEqual([
      `ok     ${harness.odoo.url.href} is Odoo 18.0`,
      `ok     the database "${harness.odoo.demo.db}" exists on that server`,
      `ok     ${harness.issuer.url.href} publishes its discovery document`,
    ]);
  });

  it('names a database the server does not serve', async () => {
    const result = await checkWith({ ODOO_DB: 'no_such_db' });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^FAILED the database "no_such_db" could not be opened: /m);
  });

  it('names a path copied from the browser', async () => {
    const result = await checkWith({ ODOO_URL: new URL('/odoo', harness.odoo.url).href });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`ODOO_URL has the path "/odoo"`);
    expect(result.stdout).toContain(harness.odoo.url.origin);
  });

  it('fails for an issuer that cannot be reached', async () => {
    const result = await checkWith({ OIDC_ISSUER: `http://127.0.0.1:${await freePort()}` });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^FAILED the issuer http:\/\/127\.0\.0\.1:\d+\/: discovery/m);
  });

  it("signs in with a person's API key when given one", async () => {
    const bob = harness.odoo.demo.people.find((person) => person.email === 'bob@example.com')!;
    const good = await checkWith({ ODOO_LOGIN: bob.login, ODOO_API_KEY: bob.apiKey });
    expect(good.code).toBe(0);
    expect(good.stdout).toContain(
      `ok     the API key of ${bob.login} signs in to Odoo as uid ${bob.uid}`,
    );
    const bad = await checkWith({ ODOO_LOGIN: bob.login, ODOO_API_KEY: 'f'.repeat(40) });
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain(`FAILED the API key of ${bob.login} does not sign in: `);
    expect(bad.stdout).not.toContain('f'.repeat(40));
  });

  it("checks Odoo's Google sign-in in google mode", async () => {
    const result = await checkWith({ ODOO_AUTH: 'google', ODOO_OAUTH_PROVIDER_ID: '3' });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('ok     Odoo serves "Sign in with Google" (auth_oauth)');
  });
});
