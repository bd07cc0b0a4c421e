import type { Client } from '@modelcontextprotocol/client';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ScriptedBrowser } from '../helpers/browser.js';
import { PEOPLE, startHarness, type Harness } from '../helpers/harness.js';
import { connectAs } from '../helpers/mcp-client.js';
import {
  authorize,
  exchangeCode,
  openConsent,
  registerClient,
  revokeRequest,
  submitConsent,
  tokenRequest,
} from '../helpers/oauth.js';
import { callTool, countDirectly } from '../helpers/tools.js';

const person = (email: string) => PEOPLE.find((candidate) => candidate.email === email)!;
const alice = person('alice@example.com');
const bob = person('bob@example.com');
const carol = person('carol@example.com');
const stranger = person('stranger@example.com');

describe('google mode: Odoo signs people in with their Google account', () => {
  let harness: Harness;
  const clients: Client[] = [];
  const sessionIds: string[] = [];

  beforeAll(async () => {
    harness = await startHarness({ odooAuth: 'google' });
  });

  afterAll(async () => {
    for (const client of clients) {
      await client.close();
    }
    await harness.close();
  });

  it('asks for no API key on the consent page', async () => {
    const client = await registerClient(harness);
    const { page } = await openConsent(harness, client, alice);
    expect(page.status).toBe(200);
    expect(page.html).not.toContain('Odoo API key');
    expect(page.html).toContain('signed in to Odoo with your Google account');
    expect(page.html).toContain('login alice@example.com');
  });

  it('reads sales orders as each person', async () => {
    const { client: aliceClient } = await connectAs(harness, alice);
    const { client: bobClient } = await connectAs(harness, bob);
    clients.push(aliceClient, bobClient);
    const aliceCount = await callTool(aliceClient, 'count_records', { model: 'sale.order' });
    const bobCount = await callTool(bobClient, 'count_records', { model: 'sale.order' });

    expect(aliceCount.structuredContent?.count).toBe(
      await countDirectly(harness, alice.email, 'sale.order'),
    );
    expect(bobCount.structuredContent?.count).toBe(
      await countDirectly(harness, bob.email, 'sale.order'),
    );
    expect(Number(bobCount.structuredContent?.count)).toBeGreaterThan(
      Number(aliceCount.structuredContent?.count),
    );
  });

  it("shows carol Odoo's access error", async () => {
    const { client } = await connectAs(harness, carol);
    clients.push(client);
    const answer = await callTool(client, 'search_records', { model: 'sale.order', limit: 1 });
    expect(answer.isError).toBe(true);
    expect(answer.content.map((part) => part.text).join('\n')).toContain(
      "You are not allowed to access 'Sales Order' (sale.order) records.",
    );
  });

  it('signs in again once when Odoo ends the session', async () => {
    const { client } = await connectAs(harness, bob);
    clients.push(client);
    expect((await callTool(client, 'count_records', { model: 'res.partner' })).isError).toBeFalsy();
    const grantId = () =>
      String(harness.logs.filter((line) => line.event === 'mcp.tool_call').at(-1)!.grant_id);
    expect(harness.bridge.context.odooSessions.get(grantId())).toBeUndefined();

    harness.odoo.demo.expireSessions();
    const answer = await callTool(client, 'count_records', { model: 'res.partner' });
    expect(answer.isError, answer.content.map((part) => part.text).join('\n')).toBeFalsy();
    const renewed = harness.bridge.context.odooSessions.get(grantId());
    expect(renewed).toMatch(/\S/);
    sessionIds.push(renewed!);
  });

  it('refreshes the Google token and keeps the session', async () => {
    const client = await registerClient(harness);
    const { code, verifier } = await authorize(harness, client, bob);
    const tokens = await exchangeCode(harness, client, code, verifier);
    const signIns = harness.googleTokens.length;
    const refreshed = await tokenRequest(harness, {
      grant_type: 'refresh_token',
      refresh_token: String(tokens.body.refresh_token),
      client_id: client.client_id,
    });
    expect(refreshed.status).toBe(200);
    expect(typeof refreshed.body.access_token).toBe('string');
    expect(harness.googleTokens).toHaveLength(signIns);
  });

  it('ends access when the person is removed at Google', async () => {
    const harnessed = await startHarness({ odooAuth: 'google' });
    try {
      const client = await registerClient(harnessed);
      const { code, verifier } = await authorize(harnessed, client, alice);
      const tokens = await exchangeCode(harnessed, client, code, verifier);
      harnessed.issuer.issuer.removePerson(alice.sub);
      const answer = await tokenRequest(harnessed, {
        grant_type: 'refresh_token',
        refresh_token: String(tokens.body.refresh_token),
        client_id: client.client_id,
      });
      expect(answer.body.error).toBe('invalid_grant');
    } finally {
      await harnessed.close();
    }
  });

  it('logs no Google token and no Odoo session id', () => {
    expect(harness.googleTokens.length).toBeGreaterThan(3);
    expect(sessionIds).toHaveLength(1);
    const logs = harness.rawLogs.join('\n');
    for (const secret of [...harness.googleTokens, ...sessionIds]) {
      expect(logs).not.toContain(secret);
    }
  });

  it('signs out of Odoo when the person denies', async () => {
    const client = await registerClient(harness);
    const browser = new ScriptedBrowser();
    const { page } = await openConsent(harness, client, carol, browser);
    const openBefore = harness.odoo.demo.openSessionCount();
    const answer = await submitConsent(browser, harness, page.html, { action: 'deny' });
    expect(answer.location?.searchParams.get('error')).toBe('access_denied');
    expect(harness.odoo.demo.openSessionCount()).toBe(openBefore - 1);
  });

  it('signs out of Odoo when the client revokes', async () => {
    const client = await registerClient(harness);
    const { code, verifier } = await authorize(harness, client, carol);
    const tokens = await exchangeCode(harness, client, code, verifier);
    const openBefore = harness.odoo.demo.openSessionCount();
    const response = await revokeRequest(harness, {
      token: String(tokens.body.refresh_token),
      client_id: client.client_id,
    });
    expect(response.status).toBe(200);
    expect(harness.odoo.demo.openSessionCount()).toBe(openBefore - 1);
  });

  it('keeps no Odoo credential in a browser cookie', async () => {
    const client = await registerClient(harness);
    const browser = new ScriptedBrowser();
    const { page } = await openConsent(harness, client, bob, browser);
    const answer = await submitConsent(browser, harness, page.html, { action: 'allow' });
    expect(answer.location?.searchParams.get('code')).toBeTruthy();
    expect(browser.cookieNames('127.0.0.1').some((name) => name.includes('omb-link'))).toBe(false);
  });
});

describe('google mode refusals', () => {
  let harness: Harness | undefined;

  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  async function consentPageFor(options: Parameters<typeof startHarness>[0], sub: { sub: string }) {
    harness = await startHarness({ odooAuth: 'google', ...options });
    const client = await registerClient(harness);
    return (await openConsent(harness, client, sub)).page;
  }

  it('explains a Google account no Odoo user is linked to', async () => {
    const page = await consentPageFor({}, stranger);
    expect(page.status).toBe(403);
    expect(page.html).toMatch(/no (Odoo )?user/i);
  });

  it('refuses the portal user Odoo signs up for an unknown account', async () => {
    const page = await consentPageFor({ signupScope: 'b2c' }, stranger);
    expect(page.status).toBe(403);
    expect(page.html).toMatch(/portal/i);
  });

  it('names a database the Odoo server does not serve', async () => {
    const page = await consentPageFor({ odooDb: 'no_such_db' }, alice);
    expect(page.status).toBe(403);
    expect(page.html).toContain('no_such_db');
  });

  it('explains a token Odoo refuses, naming the provider setting', async () => {
    const page = await consentPageFor({ odooOauthProviderId: 99 }, alice);
    expect(page.status).toBe(403);
    expect(page.html).toContain('ODOO_OAUTH_PROVIDER_ID');
  });
});

describe('google mode after a change in Odoo', () => {
  let harness: Harness;

  beforeEach(async () => {
    harness = await startHarness({ odooAuth: 'google' });
  });

  afterEach(async () => {
    await harness.close();
  });

  /** Connects alice and returns her MCP client and the tokens of a second grant of hers. */
  async function connectAlice() {
    const { client } = await connectAs(harness, alice);
    const registered = await registerClient(harness);
    const { code, verifier } = await authorize(harness, registered, alice);
    const tokens = await exchangeCode(harness, registered, code, verifier);
    const refresh = () =>
      tokenRequest(harness, {
        grant_type: 'refresh_token',
        refresh_token: String(tokens.body.refresh_token),
        client_id: registered.client_id,
      });
    return { client, refresh };
  }

  it('ends access of an archived user', async () => {
    const { client, refresh } = await connectAlice();
    harness.odoo.demo.setUserActive(alice.email, false);

    const answer = await callTool(client, 'count_records', { model: 'sale.order' });
    const text = answer.content.map((part) => part.text).join('\n');
    expect(answer.isError).toBe(true);
    expect(text).toContain('Odoo no longer signs in alice@example.com with Google');
    expect(text).toContain('Reconnect the Odoo connector');
    expect(text).not.toContain('API key');
    const refreshed = await refresh();
    expect(refreshed.status).toBe(400);
    expect(refreshed.body.error).toBe('invalid_grant');
    await client.close();
  });

  it('never acts as the user an account is relinked to', async () => {
    const { client, refresh } = await connectAlice();
    harness.odoo.demo.linkOAuth(alice.email, 'parked-subject');
    harness.odoo.demo.linkOAuth(carol.email, alice.sub);
    harness.odoo.demo.expireSessions();

    const answer = await callTool(client, 'count_records', { model: 'res.partner' });
    const text = answer.content.map((part) => part.text).join('\n');
    expect(answer.isError).toBe(true);
    expect(text).toContain('now signs in to another Odoo user');
    const signOut = harness.logs.find(
      (line) => line.odooService === 'web' && line.odooMethod === 'destroy',
    );
    expect(signOut?.outcome).toBe('ok');
    const audit = harness.logs.filter((line) => line.event === 'mcp.tool_call').at(-1);
    expect(audit?.outcome).toBe('tool_error');
    expect(audit?.record_count).toBeUndefined();
    const refreshed = await refresh();
    expect(refreshed.body.error).toBe('invalid_grant');
    expect(String(refreshed.body.error_description)).toContain('another Odoo user');
    await client.close();
  });

  it('names an unknown model as such', async () => {
    const { client } = await connectAlice();
    const answer = await callTool(client, 'count_records', { model: 'no.such.model' });
    const text = answer.content.map((part) => part.text).join('\n');
    expect(answer.isError).toBe(true);
    expect(text).toContain('it has no model named "no.such.model"');
    expect(text).not.toContain('Try again later');
    await client.close();
  });
});
