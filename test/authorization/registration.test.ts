import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PEOPLE, startHarness, type Harness } from '../helpers/harness.js';
import {
  authorize,
  mcpPost,
  REDIRECT_URI,
  registerClient,
  tokenRequest,
} from '../helpers/oauth.js';

const alice = PEOPLE[0]!;

async function register(harness: Harness, body: unknown, contentType = 'application/json') {
  const response = await fetch(new URL('/register', harness.url), {
    method: 'POST',
    headers: { 'content-type': contentType },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return {
    status: response.status,
    body: (await response.json()) as Record<string, unknown>,
    headers: response.headers,
  };
}

describe('metadata and registration', () => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await startHarness();
  });

  afterAll(async () => {
    await harness.close();
  });

  it('serves protected resource metadata at both paths', async () => {
    for (const path of [
      '/.well-known/oauth-protected-resource',
      '/.well-known/oauth-protected-resource/mcp',
    ]) {
      const response = await fetch(new URL(path, harness.url));
      const body = (await response.json()) as Record<string, unknown>;
      expect(response.status).toBe(200);
      expect(body.resource).toBe(harness.mcpUrl.href);
      expect(body.authorization_servers).toEqual([harness.url.origin]);
      expect(response.headers.get('access-control-allow-origin')).toBe('*');
    }
  });

  it('serves authorization server metadata', async () => {
    const response = await fetch(new URL('/.well-known/oauth-authorization-server', harness.url));
    const body = (await response.json()) as Record<string, unknown>;
    expect(body.issuer).toBe(harness.url.origin);
    expect(body.authorization_endpoint).toBe(`${harness.url.origin}/authorize`);
    expect(body.token_endpoint).toBe(`${harness.url.origin}/token`);
    expect(body.registration_endpoint).toBe(`${harness.url.origin}/register`);
    expect(body.code_challenge_methods_supported).toEqual(['S256']);
    expect(body.token_endpoint_auth_methods_supported).toEqual([
      'none',
      'client_secret_post',
      'client_secret_basic',
    ]);
    expect(body.client_id_metadata_document_supported).toBe(true);
    expect(body.scopes_supported).toEqual(['odoo.read']);
  });

  it('answers a preflight on the token endpoint', async () => {
    const response = await fetch(new URL('/token', harness.url), {
      method: 'OPTIONS',
      headers: { origin: 'http://localhost:6274', 'access-control-request-method': 'POST' },
    });
    expect(response.status).toBeLessThan(300);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('challenges a request without a token', async () => {
    const response = await mcpPost(harness, undefined, {
      jsonrpc: '2.0',
      id: 1,
      method: 'tools/list',
    });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe(
      `Bearer resource_metadata="${harness.url.origin}/.well-known/oauth-protected-resource/mcp", scope="odoo.read"`,
    );
  });

  it('answers GET and DELETE on /mcp with 405', async () => {
    for (const method of ['GET', 'DELETE']) {
      const response = await fetch(harness.mcpUrl, { method });
      expect(response.status).toBe(405);
    }
  });

  it('registers a public client without a secret', async () => {
    const answer = await register(harness, {
      redirect_uris: [REDIRECT_URI],
      token_endpoint_auth_method: 'none',
      client_name: 'CLI',
    });
    expect(answer.status).toBe(201);
    expect(typeof answer.body.client_id).toBe('string');
    expect(answer.body.client_secret).toBeUndefined();
    expect(answer.headers.get('cache-control')).toBe('no-store');
  });

  it('registers a confidential client with a derived secret', async () => {
    const answer = await register(harness, {
      redirect_uris: ['https://claude.ai/api/mcp/auth_callback'],
      token_endpoint_auth_method: 'client_secret_post',
      client_name: 'Claude',
    });
    expect(answer.status).toBe(201);
    expect(typeof answer.body.client_secret).toBe('string');
    expect(answer.body.client_secret_expires_at).toBe(0);
  });

  it('rejects an http redirect_uri on a public host', async () => {
    const answer = await register(harness, { redirect_uris: ['http://example.com/cb'] });
    expect(answer.status).toBe(400);
    expect(answer.body.error).toBe('invalid_redirect_uri');
    expect(answer.body.error_description).toContain('http://example.com/cb');
  });

  it('rejects a redirect_uri with a fragment', async () => {
    const answer = await register(harness, { redirect_uris: ['https://app.example/cb#x'] });
    expect(answer.body.error).toBe('invalid_redirect_uri');
  });

  it('rejects a redirect_uri with an empty fragment', async () => {
    const answer = await register(harness, { redirect_uris: ['https://app.example/cb#'] });
    expect(answer.status).toBe(400);
    expect(answer.body.error).toBe('invalid_redirect_uri');
    expect(answer.body.error_description).toContain('must not have a fragment');
  });

  it('rejects an unsupported grant type', async () => {
    const answer = await register(harness, {
      redirect_uris: [REDIRECT_URI],
      grant_types: ['client_credentials'],
    });
    expect(answer.body.error).toBe('invalid_client_metadata');
    expect(answer.body.error_description).toContain('client_credentials');
  });

  it('rejects a body that is not JSON', async () => {
    const answer = await register(harness, '{not json');
    expect(answer.status).toBe(400);
    expect(answer.body.error).toBe('invalid_client_metadata');
  });

  it('accepts a loopback redirect on any port', async () => {
    const client = await registerClient(harness, { redirect_uris: ['http://127.0.0.1/callback'] });
    const response = await fetch(
      new URL(
        `/authorize?${new URLSearchParams({
          response_type: 'code',
          client_id: client.client_id,
          redirect_uri: 'http://127.0.0.1:51234/callback',
          code_challenge: 'a'.repeat(43),
          code_challenge_method: 'S256',
        })}`,
        harness.url,
      ),
      { redirect: 'manual' },
    );
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toContain(harness.issuer.url.host);
  });

  it('authenticates a confidential client by its derived secret', async () => {
    const registered = await register(harness, {
      redirect_uris: [REDIRECT_URI],
      token_endpoint_auth_method: 'client_secret_post',
    });
    const client = {
      client_id: String(registered.body.client_id),
      client_secret: String(registered.body.client_secret),
      redirect_uri: REDIRECT_URI,
    };
    const { code, verifier } = await authorize(harness, client, alice);
    const form = {
      grant_type: 'authorization_code',
      code,
      code_verifier: verifier,
      redirect_uri: REDIRECT_URI,
    };

    const wrong = await tokenRequest(harness, {
      ...form,
      client_id: client.client_id,
      client_secret: 'nope',
    });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error).toBe('invalid_client');

    const basic = Buffer.from(
      `${encodeURIComponent(client.client_id)}:${encodeURIComponent(client.client_secret)}`,
    ).toString('base64');
    const right = await tokenRequest(harness, form, { authorization: `Basic ${basic}` });
    expect(right.status).toBe(200);
  });

  it('refuses malformed Basic credentials', async () => {
    const client = await registerClient(harness);
    const { code, verifier } = await authorize(harness, client, alice);
    const form = {
      grant_type: 'authorization_code',
      code,
      code_verifier: verifier,
      redirect_uri: client.redirect_uri,
      client_id: client.client_id,
    };
    const answer = await tokenRequest(harness, form, { authorization: 'Basic !!not base64!!' });
    expect(answer.status).toBe(401);
    expect(answer.body.error).toBe('invalid_client');
    expect(answer.body.error_description).toMatch(/not base64/);
    expect(answer.headers.get('www-authenticate')).toMatch(/^Basic /);
  });

  it('refuses a confidential client without its secret', async () => {
    const registered = await register(harness, {
      redirect_uris: [REDIRECT_URI],
      token_endpoint_auth_method: 'client_secret_basic',
    });
    const answer = await tokenRequest(harness, {
      grant_type: 'refresh_token',
      refresh_token: 'x',
      client_id: String(registered.body.client_id),
    });
    expect(answer.status).toBe(401);
    expect(answer.body.error_description).toMatch(/client_secret is missing/);
  });

  it('answers an unknown grant type', async () => {
    const client = await registerClient(harness);
    const answer = await tokenRequest(harness, {
      grant_type: 'password',
      client_id: client.client_id,
    });
    expect(answer.body.error).toBe('unsupported_grant_type');
  });

  it('refuses a form body of the wrong type', async () => {
    const response = await fetch(new URL('/token', harness.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"grant_type":"authorization_code"}',
    });
    const body = (await response.json()) as Record<string, unknown>;
    expect(response.status).toBe(400);
    expect(body.error).toBe('invalid_request');
  });

  it('refuses a repeated parameter', async () => {
    const response = await fetch(new URL('/token', harness.url), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=refresh_token&grant_type=authorization_code',
    });
    const body = (await response.json()) as Record<string, unknown>;
    expect(body.error).toBe('invalid_request');
    expect(body.error_description).toMatch(/more than once/);
  });
});
