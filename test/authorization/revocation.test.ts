import { afterEach, describe, expect, it } from 'vitest';
import type { Bridge } from '../../src/bridge.js';
import { PEOPLE, startHarness, type Harness } from '../helpers/harness.js';
import {
  authorize,
  exchangeCode,
  mcpPost,
  registerClient,
  revokeRequest,
  tokenRequest,
} from '../helpers/oauth.js';

const alice = PEOPLE[0]!;
const bob = PEOPLE[1]!;
const LIST_TOOLS = { jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} };

async function signedIn(harness: Harness, person = alice) {
  const client = await registerClient(harness);
  const { code, verifier } = await authorize(harness, client, person);
  const tokens = await exchangeCode(harness, client, code, verifier);
  return {
    client,
    access: String(tokens.body.access_token),
    refresh: String(tokens.body.refresh_token),
  };
}

/** Sends tools/list to another instance of the deployment, as a load balancer might. */
function mcpOn(instance: Bridge, harness: Harness, access: string): Promise<Response> {
  return Promise.resolve(
    instance.app.request(new URL('/mcp', harness.url), {
      method: 'POST',
      headers: {
        host: harness.url.host,
        authorization: `Bearer ${access}`,
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        'mcp-protocol-version': '2025-06-18',
      },
      body: JSON.stringify(LIST_TOOLS),
    }),
  );
}

function revoke(harness: Harness, token: string, clientId: string): Promise<Response> {
  return revokeRequest(harness, { token, client_id: clientId });
}

describe('revocation', () => {
  let harness: Harness | undefined;

  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  it('ends the grant on this instance at once', async () => {
    harness = await startHarness();
    const { client, access, refresh } = await signedIn(harness);
    expect((await mcpPost(harness, access, LIST_TOOLS)).status).toBe(200);

    const response = await revoke(harness, refresh, client.client_id);
    expect(response.status).toBe(200);
    expect((await mcpPost(harness, access, LIST_TOOLS)).status).toBe(401);
  });

  it('revokes the upstream grant at the issuer', async () => {
    harness = await startHarness();
    const { client, refresh } = await signedIn(harness);
    await revoke(harness, refresh, client.client_id);

    // A second instance has never seen the revocation: only the issuer can refuse the refresh.
    const other = harness.secondInstance();
    const response = await other.app.request(new URL('/token', harness.url), {
      method: 'POST',
      headers: { host: harness.url.host, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: refresh,
        client_id: client.client_id,
      }).toString(),
    });
    const body = (await response.json()) as Record<string, unknown>;
    expect(body.error).toBe('invalid_grant');
    expect(body.error_description).toMatch(/sign-in has ended/);
    const refused = harness.logs.find(
      (line) => line.event === 'oauth.token' && line.outcome === 'invalid_grant',
    );
    expect(refused?.email).toBe(alice.email);
    expect(refused?.grant_id).toMatch(/\S/);
  });

  it('answers 200 for an unknown token', async () => {
    harness = await startHarness();
    const client = await registerClient(harness);
    const response = await revoke(harness, 'not-a-token', client.client_id);
    expect(response.status).toBe(200);
  });

  it('ignores a token of another client', async () => {
    harness = await startHarness();
    const { access } = await signedIn(harness);
    const other = await registerClient(harness);
    await revoke(harness, access, other.client_id);
    expect((await mcpPost(harness, access, LIST_TOOLS)).status).toBe(200);
  });

  it('re-checks the person at the issuer on every request with interval 0', async () => {
    harness = await startHarness({ upstreamRecheckSeconds: 0 });
    const { access } = await signedIn(harness, bob);
    expect((await mcpPost(harness, access, LIST_TOOLS)).status).toBe(200);

    harness.issuer.issuer.removePerson(bob.sub);
    const response = await mcpPost(harness, access, LIST_TOOLS);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(/sign-in has ended/);
    const refused = harness.logs.find((line) => line.event === 'mcp.bearer_refused');
    expect(refused?.email).toBe(bob.email);
    expect(String(refused?.reason)).toMatch(/sign-in has ended/);
  });

  it('skips the re-check within the interval', async () => {
    harness = await startHarness({ upstreamRecheckSeconds: 300 });
    const { access } = await signedIn(harness, bob);
    expect((await mcpPost(harness, access, LIST_TOOLS)).status).toBe(200);

    harness.issuer.issuer.removePerson(bob.sub);
    expect((await mcpPost(harness, access, LIST_TOOLS)).status).toBe(200);
  });

  it('counts the token issue as a check on another instance', async () => {
    harness = await startHarness({ upstreamRecheckSeconds: 300 });
    const { access } = await signedIn(harness, bob);
    harness.issuer.issuer.removePerson(bob.sub);

    const response = await mcpOn(harness.secondInstance(), harness, access);
    expect(response.status).toBe(200);
  });

  it('re-checks on another instance once the interval has passed', async () => {
    harness = await startHarness({ upstreamRecheckSeconds: 0 });
    const { access } = await signedIn(harness, bob);
    harness.issuer.issuer.removePerson(bob.sub);

    const response = await mcpOn(harness.secondInstance(), harness, access);
    expect(response.status).toBe(401);
  });

  it('goes on when the issuer is unreachable during a re-check', async () => {
    harness = await startHarness({ upstreamRecheckSeconds: 0 });
    const { access } = await signedIn(harness, bob);
    await harness.issuer.close();

    expect((await mcpPost(harness, access, LIST_TOOLS)).status).toBe(200);
    const warning = harness.logs.find((line) => line.event === 'upstream.recheck');
    expect(warning?.severity).toBe('WARNING');
  });

  it('refuses a refresh while the issuer is unreachable', async () => {
    harness = await startHarness();
    const { client, refresh } = await signedIn(harness, bob);
    await harness.issuer.close();

    const answer = await tokenRequest(harness, {
      grant_type: 'refresh_token',
      refresh_token: refresh,
      client_id: client.client_id,
    });
    expect(answer.status).toBe(503);
    expect(answer.body.error).toBe('temporarily_unavailable');
  });

  it('refuses a refresh after the chain ends', async () => {
    harness = await startHarness({ refreshTokenTtlSeconds: 300 });
    const { client, refresh } = await signedIn(harness);
    const grant = (
      await harness.bridge.context.sealer.open<Record<string, unknown>>(
        'refresh',
        refresh,
        harness.url.origin,
      )
    ).payload;
    const stale = await harness.bridge.context.sealer.seal('refresh', grant, {
      audience: harness.url.origin,
      expiresAt: Math.floor(Date.now() / 1000) - 1,
    });
    const answer = await tokenRequest(harness, {
      grant_type: 'refresh_token',
      refresh_token: stale,
      client_id: client.client_id,
    });
    expect(answer.body.error).toBe('invalid_grant');
    expect(answer.body.error_description).toMatch(/expired/);
  });

  it('ends access once the Odoo key is revoked', async () => {
    harness = await startHarness({ upstreamRecheckSeconds: 0 });
    const { client, access, refresh } = await signedIn(harness, bob);
    expect((await mcpPost(harness, access, LIST_TOOLS)).status).toBe(200);

    harness.odoo.demo.revokeApiKey(bob.email);
    const response = await mcpPost(harness, access, LIST_TOOLS);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(/Odoo no longer accepts the API key/);
    const answer = await tokenRequest(harness, {
      grant_type: 'refresh_token',
      refresh_token: refresh,
      client_id: client.client_id,
    });
    expect(answer.body.error).toBe('invalid_grant');
    expect(answer.body.error_description).toMatch(/no longer accepts your API key/);
  });

  it('rejects an Origin of another site on /mcp', async () => {
    harness = await startHarness();
    const { access } = await signedIn(harness);
    const foreign = await mcpPost(harness, access, LIST_TOOLS, { origin: 'https://evil.example' });
    const own = await mcpPost(harness, access, LIST_TOOLS, { origin: harness.url.origin });
    expect(foreign.status).toBe(403);
    expect(own.status).toBe(200);
  });
});
