import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inputValue } from '../helpers/browser.js';
import { PEOPLE, startHarness, type Harness } from '../helpers/harness.js';
import {
  authorize,
  authorizeUrl,
  exchangeCode,
  mcpPost,
  pkcePair,
  registerClient,
  openConsent,
  signIn,
  submitConsent,
  tokenRequest,
} from '../helpers/oauth.js';

const alice = PEOPLE[0]!;
const bob = PEOPLE[1]!;

describe('authorization code flow', () => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await startHarness();
  });

  afterAll(async () => {
    await harness.close();
  });

  it('issues tokens for a public client', async () => {
    const client = await registerClient(harness);
    const { code, verifier } = await authorize(harness, client, alice);
    const tokens = await exchangeCode(harness, client, code, verifier);

    expect(tokens.status).toBe(200);
    expect(tokens.body.token_type).toBe('Bearer');
    expect(typeof tokens.body.access_token).toBe('string');
    expect(typeof tokens.body.refresh_token).toBe('string');
    expect(tokens.body.expires_in).toBe(3600);
    expect(tokens.body.scope).toBe('odoo.read');
  });

  it('redirects with state and iss', async () => {
    const client = await registerClient(harness);
    const { browser, page } = await openConsent(harness, client, bob);
    const answer = await submitConsent(browser, harness, page.html, {
      action: 'allow',
      apiKey: harness.apiKeyOf(bob.email),
    });

    expect(answer.status).toBe(302);
    expect(answer.location?.origin + answer.location!.pathname).toBe(client.redirect_uri);
    expect(answer.location?.searchParams.get('state')).toBe('client-state-1');
    expect(answer.location?.searchParams.get('iss')).toBe(harness.url.origin);
  });

  it('shows the client and the person on the consent page', async () => {
    const client = await registerClient(harness, { client_name: 'Inspector of Odoo' });
    const { page } = await openConsent(harness, client, alice);

    expect(page.status).toBe(200);
    expect(page.html).toContain('Inspector of Odoo');
    expect(page.html).toContain('127.0.0.1:33418');
    expect(page.html).toContain('alice@example.com');
    expect(page.html).toContain('Odoo API key');
    expect(page.html).toContain('Odoo login');
    expect(inputValue(page.html, 'login')).toBe('alice@example.com');
    expect(page.html).toContain('>Allow<');
    expect(page.html).toContain('>Deny<');
  });

  it('redirects access_denied on Deny', async () => {
    const client = await registerClient(harness);
    const { browser, page } = await openConsent(harness, client, alice);
    const answer = await submitConsent(browser, harness, page.html, { action: 'deny' });

    expect(answer.location?.searchParams.get('error')).toBe('access_denied');
    expect(answer.location?.searchParams.get('code')).toBeNull();
  });

  it('skips the key field with a link cookie', async () => {
    const client = await registerClient(harness);
    const first = await authorize(harness, client, alice);
    const { challenge } = pkcePair();
    const page = await signIn(
      first.browser,
      harness,
      authorizeUrl(harness, client, challenge),
      alice.sub,
    );

    expect(page.html).not.toContain('name="api_key"');
    expect(page.html).toContain('Use another API key');
    const answer = await submitConsent(first.browser, harness, page.html, { action: 'allow' });
    expect(answer.location?.searchParams.get('code')).toBeTruthy();
  });

  it('rotates refresh tokens with the same absolute end', async () => {
    const client = await registerClient(harness);
    const { code, verifier } = await authorize(harness, client, bob);
    const first = await exchangeCode(harness, client, code, verifier);
    const refreshed = await tokenRequest(harness, {
      grant_type: 'refresh_token',
      refresh_token: String(first.body.refresh_token),
      client_id: client.client_id,
    });

    expect(refreshed.status).toBe(200);
    expect(refreshed.body.refresh_token).not.toBe(first.body.refresh_token);
    const firstEnd = await refreshExpiry(harness, String(first.body.refresh_token));
    const secondEnd = await refreshExpiry(harness, String(refreshed.body.refresh_token));
    expect(secondEnd).toBe(firstEnd);
  });

  it('accepts the old refresh token again', async () => {
    const client = await registerClient(harness);
    const { code, verifier } = await authorize(harness, client, bob);
    const first = await exchangeCode(harness, client, code, verifier);
    const refresh = {
      grant_type: 'refresh_token',
      refresh_token: String(first.body.refresh_token),
      client_id: client.client_id,
    };

    const [one, two] = await Promise.all([
      tokenRequest(harness, refresh),
      tokenRequest(harness, refresh),
    ]);
    expect(one.status).toBe(200);
    expect(two.status).toBe(200);
  });

  it('answers the MCP endpoint with the new token', async () => {
    const client = await registerClient(harness);
    const { code, verifier } = await authorize(harness, client, alice);
    const tokens = await exchangeCode(harness, client, code, verifier);
    const response = await mcpPost(harness, String(tokens.body.access_token), {
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: {
        protocolVersion: '2025-06-18',
        capabilities: {},
        clientInfo: { name: 'test', version: '1' },
      },
    });

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('application/json');
    const body = (await response.json()) as { result?: { serverInfo?: { name?: string } } };
    expect(body.result?.serverInfo?.name).toBe('odoo-mcp-bridge');
  });

  it('logs the OAuth events without secrets', async () => {
    const client = await registerClient(harness);
    const { code, verifier } = await authorize(harness, client, alice);
    const tokens = await exchangeCode(harness, client, code, verifier);
    const events = harness.logs.map((line) => line.event);

    expect(events).toContain('oauth.register');
    expect(events).toContain('oauth.callback');
    expect(events).toContain('oauth.consent');
    expect(events).toContain('oauth.token');
    const all = harness.rawLogs.join('\n');
    expect(all).not.toContain(harness.apiKeyOf(alice.email));
    expect(all).not.toContain(code);
    expect(all).not.toContain(String(tokens.body.access_token));
    expect(all).not.toContain(String(tokens.body.refresh_token));
  });
});

async function refreshExpiry(harness: Harness, token: string): Promise<number | undefined> {
  const opened = await harness.bridge.context.sealer.open('refresh', token, harness.url.origin);
  return opened.expiresAt;
}
