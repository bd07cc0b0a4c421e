import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PEOPLE, startHarness, type Harness } from '../helpers/harness.js';
import {
  authorize,
  exchangeCode,
  mcpPost,
  registerClient,
  tokenRequest,
  type RegisteredClient,
} from '../helpers/oauth.js';

const alice = PEOPLE[0]!;

const LIST_TOOLS = { jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} };

/**
 * Two deployments share TOKEN_KEYS but have different PUBLIC_URLs (two loopback ports). What
 * one issues must not open at the other: the issuer and the audience are sealed with it.
 */
describe('bridges with the same keys and another PUBLIC_URL', () => {
  let first: Harness;
  let second: Harness;
  let client: RegisteredClient;
  let tokens: { access_token: string; refresh_token: string };

  beforeAll(async () => {
    first = await startHarness();
    second = await startHarness({ keys: first.keys });
    client = await registerClient(first);
    const { code, verifier } = await authorize(first, client, alice);
    tokens = (await exchangeCode(first, client, code, verifier)).body as typeof tokens;
  });

  afterAll(async () => {
    await first.close();
    await second.close();
  });

  it('serves the access token where it was issued', async () => {
    const response = await mcpPost(first, tokens.access_token, LIST_TOOLS);
    expect(response.status).toBe(200);
  });

  it('rejects the access token at the other URL', async () => {
    expect(second.url.origin).not.toBe(first.url.origin);
    const response = await mcpPost(second, tokens.access_token, LIST_TOOLS);
    expect(response.status).toBe(401);
    const challenge = response.headers.get('www-authenticate') ?? '';
    expect(challenge).toContain('error="invalid_token"');
    expect(challenge).toContain('was issued for another audience');
    expect(challenge).toContain(`resource_metadata="${second.url.origin}/`);
  });

  it('rejects the client id at the other URL', async () => {
    const answer = await tokenRequest(second, {
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token,
      client_id: client.client_id,
    });
    expect(answer.status).toBe(401);
    expect(answer.body.error).toBe('invalid_client');
    expect(answer.body.access_token).toBeUndefined();
  });

  it('rejects the refresh token at the other URL', async () => {
    const local = await registerClient(second);
    const answer = await tokenRequest(second, {
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token,
      client_id: local.client_id,
    });
    expect(answer.status).toBe(400);
    expect(answer.body.error).toBe('invalid_grant');
    expect(answer.body.error_description).toBe('refresh token was issued for another audience');
  });
});
