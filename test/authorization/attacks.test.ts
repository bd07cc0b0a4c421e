import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateKeyRing } from '../../src/seal/keys.js';
import { Sealer } from '../../src/seal/seal.js';
import { ScriptedBrowser, inputValue } from '../helpers/browser.js';
import { PEOPLE, startHarness, type Harness } from '../helpers/harness.js';
import {
  authorize,
  authorizeUrl,
  exchangeCode,
  mcpPost,
  pkcePair,
  registerClient,
  openConsent,
  submitConsent,
  tokenRequest,
  type RegisteredClient,
} from '../helpers/oauth.js';

const [alice, bob, carol, unverified, outsider, gmail] = PEOPLE as [
  (typeof PEOPLE)[number],
  (typeof PEOPLE)[number],
  (typeof PEOPLE)[number],
  (typeof PEOPLE)[number],
  (typeof PEOPLE)[number],
  (typeof PEOPLE)[number],
];

const LIST_TOOLS = { jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} };

describe('attacks on the authorization server', () => {
  let harness: Harness;
  let client: RegisteredClient;

  beforeAll(async () => {
    harness = await startHarness({ requireHostedDomain: true });
    client = await registerClient(harness);
  });

  afterAll(async () => {
    await harness.close();
  });

  async function tokensFor(person: { sub: string; email: string }) {
    const { code, verifier } = await authorize(harness, client, person);
    const tokens = await exchangeCode(harness, client, code, verifier);
    return {
      access: String(tokens.body.access_token),
      refresh: String(tokens.body.refresh_token),
      code,
    };
  }

  it('rejects a missing PKCE verifier', async () => {
    const { code } = await authorize(harness, client, alice);
    const answer = await tokenRequest(harness, {
      grant_type: 'authorization_code',
      code,
      redirect_uri: client.redirect_uri,
      client_id: client.client_id,
    });
    expect(answer.status).toBe(400);
    expect(answer.body.error).toBe('invalid_grant');
  });

  it('rejects a wrong PKCE verifier', async () => {
    const { code } = await authorize(harness, client, alice);
    const answer = await exchangeCode(harness, client, code, pkcePair().verifier);
    expect(answer.status).toBe(400);
    expect(answer.body.error).toBe('invalid_grant');
    expect(answer.body.error_description).toMatch(/code_verifier does not match/);
  });

  it('rejects the plain PKCE method', async () => {
    const browser = new ScriptedBrowser();
    const url = authorizeUrl(harness, client, 'a'.repeat(43), { code_challenge_method: 'plain' });
    const response = await browser.request(url);
    expect(response.status).toBe(400);
    expect(response.headers.get('location')).toBeNull();
    expect(await response.text()).toContain('code_challenge_method must be S256');
  });

  it('does not redirect an invalid request', async () => {
    const attacker = await registerClient(harness, {
      redirect_uris: ['https://phish.example/landing'],
    });
    const url = new URL('/authorize', harness.url);
    url.search = new URLSearchParams({
      client_id: attacker.client_id,
      redirect_uri: attacker.redirect_uri,
      state: 'Your account is locked, call this number',
    }).toString();
    const response = await fetch(url, { redirect: 'manual' });
    expect(response.status).toBe(400);
    expect(response.headers.get('location')).toBeNull();
  });

  it('shows an unregistered redirect_uri instead of redirecting', async () => {
    const { challenge } = pkcePair();
    const url = authorizeUrl(
      harness,
      { ...client, redirect_uri: 'https://attacker.example/cb' },
      challenge,
    );
    const response = await fetch(url, { redirect: 'manual' });
    expect(response.status).toBe(400);
    expect(response.headers.get('location')).toBeNull();
    expect(await response.text()).toContain('is not registered');
  });

  it('rejects a resource of another server', async () => {
    const { challenge } = pkcePair();
    const url = authorizeUrl(harness, client, challenge, { resource: 'https://other.example/mcp' });
    const response = await fetch(url, { redirect: 'manual' });
    expect(response.status).toBe(400);
    expect(response.headers.get('location')).toBeNull();
    expect(await response.text()).toContain('is not served here');
  });

  it('rejects a resource mismatch at the token endpoint', async () => {
    const { code, verifier } = await authorize(harness, client, alice);
    const answer = await tokenRequest(harness, {
      grant_type: 'authorization_code',
      code,
      code_verifier: verifier,
      redirect_uri: client.redirect_uri,
      client_id: client.client_id,
      resource: 'https://other.example/mcp',
    });
    expect(answer.body.error).toBe('invalid_target');
  });

  it('rejects an access token for another audience', async () => {
    const grant = await openAccess(harness, (await tokensFor(alice)).access);
    const token = await harness.bridge.context.sealer.seal('access', grant, {
      audience: 'https://other.example/mcp',
      expiresAt: Math.floor(Date.now() / 1000) + 600,
    });
    const response = await mcpPost(harness, token, LIST_TOOLS);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(/error="invalid_token"/);
  });

  it('rejects an expired access token', async () => {
    const grant = await openAccess(harness, (await tokensFor(alice)).access);
    const token = await harness.bridge.context.sealer.seal('access', grant, {
      audience: harness.mcpUrl.href,
      expiresAt: Math.floor(Date.now() / 1000) - 60,
    });
    const response = await mcpPost(harness, token, LIST_TOOLS);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(/expired/);
  });

  it('rejects a token sealed with an unknown key', async () => {
    const grant = await openAccess(harness, (await tokensFor(alice)).access);
    const stranger = new Sealer(generateKeyRing('k1'), harness.url.origin);
    const token = await stranger.seal('access', grant, {
      audience: harness.mcpUrl.href,
      expiresAt: Math.floor(Date.now() / 1000) + 600,
    });
    const response = await mcpPost(harness, token, LIST_TOOLS);
    expect(response.status).toBe(401);
  });

  it('rejects a tampered access token', async () => {
    const { access } = await tokensFor(alice);
    const parts = access.split('.');
    const ciphertext = Buffer.from(parts[3]!, 'base64url');
    ciphertext[5] = ciphertext[5]! ^ 0x20;
    parts[3] = ciphertext.toString('base64url');
    const response = await mcpPost(harness, parts.join('.'), LIST_TOOLS);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(/resource_metadata="/);
  });

  it('rejects a token from another issuer', async () => {
    const grant = await openAccess(harness, (await tokensFor(alice)).access);
    const otherBridge = new Sealer(harness.keys, 'https://other-bridge.example');
    const token = await otherBridge.seal('access', grant, {
      audience: harness.mcpUrl.href,
      expiresAt: Math.floor(Date.now() / 1000) + 600,
    });
    const response = await mcpPost(harness, token, LIST_TOOLS);
    expect(response.status).toBe(401);
  });

  it('refuses an unverified email', async () => {
    const { page } = await openConsent(harness, client, unverified);
    expect(page.status).toBe(403);
    expect(page.html).toContain('is not verified');
  });

  it('refuses an email outside the allowed domains', async () => {
    const { page } = await openConsent(harness, client, outsider);
    expect(page.status).toBe(403);
    expect(page.html).toContain('not on this server');
  });

  it('refuses an account without the allowed hosted domain', async () => {
    const { page } = await openConsent(harness, client, gmail);
    expect(page.status).toBe(403);
    expect(page.html).toContain('hosted domain: none');
  });

  it('refuses the API key of another person', async () => {
    const { browser, page } = await openConsent(harness, client, alice);
    const answer = await submitConsent(browser, harness, page.html, {
      action: 'allow',
      apiKey: harness.apiKeyOf(bob.email),
      login: bob.email,
    });
    expect(answer.status).toBe(400);
    expect(answer.location).toBeUndefined();
    expect(answer.html).toContain('belongs to the Odoo user bob@example.com');
  });

  it('refuses a portal user', async () => {
    const pat = PEOPLE.find((person) => person.email === 'pat@example.com')!;
    const { browser, page } = await openConsent(harness, client, pat);
    const answer = await submitConsent(browser, harness, page.html, {
      action: 'allow',
      apiKey: harness.apiKeyOf(pat.email),
    });
    expect(answer.status).toBe(400);
    expect(answer.location).toBeUndefined();
    expect(answer.html).toContain('is a portal user');
  });

  it('refuses a password pasted as a key', async () => {
    const { browser, page } = await openConsent(harness, client, alice);
    const answer = await submitConsent(browser, harness, page.html, {
      action: 'allow',
      apiKey: 'alice-password',
    });
    expect(answer.status).toBe(400);
    expect(answer.html).toContain('This is not an Odoo API key');
  });

  it('keeps a key pasted as login out of the logs', async () => {
    const { browser, page } = await openConsent(harness, client, alice);
    const key = harness.apiKeyOf(bob.email);
    await submitConsent(browser, harness, page.html, { action: 'allow', apiKey: key, login: key });
    expect(harness.rawLogs.join('\n')).not.toContain(key);
  });

  it('answers 400 for a grant type named like a prototype member', async () => {
    for (const grantType of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
      const answer = await tokenRequest(harness, {
        grant_type: grantType,
        client_id: client.client_id,
      });
      expect(answer.status).toBe(400);
      expect(answer.body.error).toBe('unsupported_grant_type');
    }
  });

  it('names the causes when a key does not sign in', async () => {
    const { browser, page } = await openConsent(harness, client, carol);
    const answer = await submitConsent(browser, harness, page.html, {
      action: 'allow',
      apiKey: 'f'.repeat(40),
    });
    expect(answer.status).toBe(400);
    expect(answer.html).toContain('revoked or expired');
    expect(answer.html).toContain('archived');
  });

  it('refuses a consent POST without the CSRF cookie', async () => {
    const { page } = await openConsent(harness, client, alice);
    const attacker = new ScriptedBrowser();
    const response = await attacker.request(new URL('/consent', harness.url), {
      form: {
        consent: inputValue(page.html, 'consent') ?? '',
        action: 'allow',
        api_key: harness.apiKeyOf(alice.email),
        login: alice.email,
      },
    });
    expect(response.status).toBe(403);
    expect(response.headers.get('location')).toBeNull();
  });

  it('refuses a consent POST from another origin', async () => {
    const { browser, page } = await openConsent(harness, client, alice);
    const response = await browser.request(new URL('/consent', harness.url), {
      form: { consent: inputValue(page.html, 'consent') ?? '', action: 'allow', api_key: 'x' },
      origin: 'https://attacker.example',
    });
    expect(response.status).toBe(403);
  });

  it('refuses a replayed code on the same instance', async () => {
    const { code, verifier } = await authorize(harness, client, alice);
    const first = await exchangeCode(harness, client, code, verifier);
    const second = await exchangeCode(harness, client, code, verifier);
    expect(first.status).toBe(200);
    expect(second.status).toBe(400);
    expect(second.body.error_description).toMatch(/already used/);
  });

  it('refuses a code of another client', async () => {
    const other = await registerClient(harness);
    const { code, verifier } = await authorize(harness, client, alice);
    const answer = await exchangeCode(harness, other, code, verifier);
    expect(answer.body.error).toBe('invalid_grant');
  });

  it('refuses a refresh after revocation at the issuer', async () => {
    const { refresh } = await tokensFor(bob);
    await revokeAllAtIssuer(harness, bob.sub);
    const answer = await tokenRequest(harness, {
      grant_type: 'refresh_token',
      refresh_token: refresh,
      client_id: client.client_id,
    });
    expect(answer.status).toBe(400);
    expect(answer.body.error).toBe('invalid_grant');
  });

  it('refuses an access token as a refresh token', async () => {
    const { access } = await tokensFor(alice);
    const answer = await tokenRequest(harness, {
      grant_type: 'refresh_token',
      refresh_token: access,
      client_id: client.client_id,
    });
    expect(answer.body.error).toBe('invalid_grant');
  });

  it('refuses an access token as a code', async () => {
    const { access } = await tokensFor(alice);
    const answer = await exchangeCode(harness, client, access, pkcePair().verifier);
    expect(answer.body.error).toBe('invalid_grant');
  });

  it('refuses a refresh token as an access token', async () => {
    const { refresh } = await tokensFor(alice);
    const response = await mcpPost(harness, refresh, LIST_TOOLS);
    expect(response.status).toBe(401);
  });

  it('refuses a code as an access token', async () => {
    const { code } = await authorize(harness, client, alice);
    const response = await mcpPost(harness, code, LIST_TOOLS);
    expect(response.status).toBe(401);
  });

  it('refuses a wrong Host', async () => {
    const { access } = await tokensFor(alice);
    const response = await new Promise<number>((resolve, reject) => {
      import('node:http').then(({ request }) => {
        const req = request(
          {
            host: '127.0.0.1',
            port: harness.url.port,
            path: '/mcp',
            method: 'POST',
            headers: {
              host: 'evil.example',
              authorization: `Bearer ${access}`,
              'content-type': 'application/json',
            },
          },
          (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          },
        );
        req.on('error', reject);
        req.end(JSON.stringify(LIST_TOOLS));
      }, reject);
    });
    expect(response).toBe(403);
  });

  it('answers the health check for any Host', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      import('node:http').then(({ get }) => {
        get(
          {
            host: '127.0.0.1',
            port: harness.url.port,
            path: '/healthz',
            headers: { host: 'probe.internal' },
          },
          (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          },
        ).on('error', reject);
      }, reject);
    });
    expect(status).toBe(200);
  });
});

async function openAccess(harness: Harness, token: string): Promise<object> {
  return (await harness.bridge.context.sealer.open<object>('access', token, harness.mcpUrl.href))
    .payload;
}

/** Removes a person at the OIDC server, as deleting or suspending them at Google does. */
async function revokeAllAtIssuer(harness: Harness, sub: string): Promise<void> {
  harness.issuer.issuer.removePerson(sub);
}
