import type { KoaContextWithOIDC } from 'oidc-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Grant } from '../../src/authorization/grant.js';
import { inputValue, ScriptedBrowser } from '../helpers/browser.js';
import { BRIDGE_CLIENT_SECRET, PEOPLE, startHarness, type Harness } from '../helpers/harness.js';
import {
  authorizeUrl,
  mcpPost,
  pkcePair,
  registerClient,
  revokeRequest,
  signIn,
  submitConsent,
  tokenRequest,
  type RegisteredClient,
} from '../helpers/oauth.js';

const alice = PEOPLE[0]!;

/** A browser that keeps every cookie value it was ever sent, cleared ones included. */
class RecordingBrowser extends ScriptedBrowser {
  readonly cookieValues: string[] = [];

  override async request(
    url: string | URL,
    init: { method?: string; form?: Record<string, string>; origin?: string } = {},
  ): Promise<Response> {
    const response = await super.request(url, init);
    for (const line of response.headers.getSetCookie()) {
      const pair = line.split(';')[0] ?? '';
      this.cookieValues.push(pair.slice(pair.indexOf('=') + 1));
    }
    return response;
  }
}

/**
 * Runs every step a person and a client take, failures included, while the harness keeps
 * every log line (debug level). Then it searches the lines for each secret of the run as
 * sent, URL-encoded, JSON-escaped and base64-encoded.
 */
describe('secrets in the log', () => {
  let harness: Harness;
  let client: RegisteredClient & { client_secret: string };
  const secrets = new Map<string, string>();
  const browser = new RecordingBrowser();

  function keep(label: string, value: unknown): void {
    if (typeof value === 'string' && value.length >= 8) {
      secrets.set(`${label} #${secrets.size}`, value);
    }
  }

  beforeAll(async () => {
    harness = await startHarness();
    harness.issuer.issuer.provider.on('grant.success', (ctx: KoaContextWithOIDC) => {
      const body = ctx.body as Record<string, unknown>;
      for (const name of ['access_token', 'refresh_token', 'id_token']) {
        keep(`upstream ${name}`, body[name]);
      }
      keep('upstream code', ctx.oidc.params?.code);
      keep('upstream PKCE verifier', ctx.oidc.params?.code_verifier);
    });
    const registered = await registerClient(harness, {
      token_endpoint_auth_method: 'client_secret_post',
    });
    client = { ...registered, client_secret: registered.client_secret! };
    await runEverything();
  });

  afterAll(async () => {
    await harness.close();
  });

  async function runEverything(): Promise<void> {
    keep('client secret', client.client_secret);
    keep('upstream client secret', BRIDGE_CLIENT_SECRET);
    for (const key of harness.keys.byKid.values()) {
      const secret = Buffer.from(key.secret);
      keep('sealing key', secret.toString('base64url'));
      keep('sealing key', secret.toString('base64'));
      keep('sealing key', secret.toString('hex'));
    }
    for (const person of harness.odoo.demo.people) {
      keep('API key', person.apiKey);
      keep('password', person.password);
    }

    const { verifier, challenge } = pkcePair();
    keep('PKCE verifier', verifier);
    const page = await signIn(
      browser,
      harness,
      authorizeUrl(harness, client, challenge),
      alice.sub,
    );
    keep('sealed consent', inputValue(page.html, 'consent'));
    const consented = await submitConsent(browser, harness, page.html, {
      action: 'allow',
      apiKey: harness.apiKeyOf(alice.email),
    });
    const code = consented.location?.searchParams.get('code');
    keep('authorization code', code);
    for (const visited of browser.visited) {
      for (const [name, value] of new URL(visited).searchParams) {
        if (name === 'code' || name === 'state' || name === 'nonce') {
          keep(`URL ${name}`, value);
        }
      }
    }

    const issued = await tokenRequest(harness, {
      grant_type: 'authorization_code',
      code: code ?? '',
      code_verifier: verifier,
      redirect_uri: client.redirect_uri,
      client_id: client.client_id,
      client_secret: client.client_secret,
    });
    expect(issued.status).toBe(200);
    keepTokens('first', issued.body);
    await keepUpstreamTokens(String(issued.body.access_token));

    await callTools(String(issued.body.access_token));
    await failTokenRequests(code ?? '', verifier);
    const refreshed = await tokenRequest(harness, {
      grant_type: 'refresh_token',
      refresh_token: String(issued.body.refresh_token),
      client_id: client.client_id,
      client_secret: client.client_secret,
    });
    expect(refreshed.status).toBe(200);
    keepTokens('refreshed', refreshed.body);

    const revoked = await revokeRequest(harness, {
      token: String(refreshed.body.refresh_token),
      client_id: client.client_id,
      client_secret: client.client_secret,
    });
    expect(revoked.status).toBe(200);
    const afterRevoke = await mcpPost(harness, String(refreshed.body.access_token), WHOAMI);
    expect(afterRevoke.status).toBe(401);
    for (const value of browser.cookieValues) {
      keep('cookie', value);
    }
  }

  function keepTokens(label: string, body: Record<string, unknown>): void {
    keep(`${label} access token`, body.access_token);
    keep(`${label} refresh token`, body.refresh_token);
  }

  async function keepUpstreamTokens(accessToken: string): Promise<void> {
    const { payload } = await harness.bridge.context.sealer.open<Grant>(
      'access',
      accessToken,
      harness.mcpUrl.href,
    );
    keep('upstream access token in the grant', payload.upstream.accessToken);
    keep('upstream refresh token in the grant', payload.upstream.refreshToken);
  }

  async function callTools(accessToken: string): Promise<void> {
    const whoami = await mcpPost(harness, accessToken, WHOAMI);
    expect(whoami.status).toBe(200);
    const failing = await mcpPost(harness, accessToken, {
      jsonrpc: '2.0',
      id: 2,
      method: 'tools/call',
      params: {
        name: 'search_records',
        arguments: { model: 'sale.order', domain: [['no_such_field', '=', 'x']] },
      },
    });
    const answer = (await failing.json()) as { result?: { isError?: boolean } };
    expect(answer.result?.isError).toBe(true);
    const tampered = `${accessToken.slice(0, -4)}AAAA`;
    keep('tampered access token', tampered);
    expect((await mcpPost(harness, tampered, WHOAMI)).status).toBe(401);
  }

  async function failTokenRequests(code: string, verifier: string): Promise<void> {
    const exchange = {
      grant_type: 'authorization_code',
      code_verifier: verifier,
      redirect_uri: client.redirect_uri,
      client_id: client.client_id,
      client_secret: client.client_secret,
    };
    const badCode = `${code.slice(0, -6)}AAAAAA`;
    keep('bad code', badCode);
    expect((await tokenRequest(harness, { ...exchange, code: badCode })).status).toBe(400);
    expect((await tokenRequest(harness, { ...exchange, code })).status).toBe(400);

    const wrongSecret = 'wrong-client-secret-0123456789';
    keep('wrong client secret', wrongSecret);
    const basic = Buffer.from(`${client.client_id}:${wrongSecret}`).toString('base64');
    keep('basic credentials', basic);
    const refused = await tokenRequest(
      harness,
      { ...exchange, code, client_secret: '' },
      { authorization: `Basic ${basic}` },
    );
    expect(refused.status).toBe(401);
    const refusedPost = await tokenRequest(harness, {
      ...exchange,
      code,
      client_secret: wrongSecret,
    });
    expect(refusedPost.status).toBe(401);
  }

  it('covers every step of the run', () => {
    const events = new Set(harness.logs.map((line) => line.event));
    for (const event of ['oauth.consent', 'mcp.tool_call', 'oauth.revoke', 'http.request']) {
      expect(events, event).toContain(event);
    }
    const tokenStatuses = harness.logs
      .filter((line) => (line.httpRequest as { requestUrl?: string })?.requestUrl === '/token')
      .map((line) => (line.httpRequest as { status: number }).status);
    expect(tokenStatuses).toEqual(expect.arrayContaining([200, 400, 401]));
    expect(secrets.size).toBeGreaterThan(20);
  });

  it('contains no secret in any form', () => {
    const log = harness.rawLogs.join('\n');
    const found: string[] = [];
    for (const [label, value] of secrets) {
      for (const [form, encoded] of encodings(value)) {
        if (log.includes(encoded)) {
          found.push(`${label} (${form})`);
        }
      }
    }
    expect(found).toEqual([]);
  });
});

const WHOAMI = {
  jsonrpc: '2.0',
  id: 1,
  method: 'tools/call',
  params: { name: 'whoami', arguments: {} },
};

/** Lists the forms a secret can take in a log line: as sent, URL-encoded, JSON-escaped, base64. */
function encodings(value: string): Array<[string, string]> {
  const bytes = Buffer.from(value, 'utf8');
  return [
    ['as is', value],
    ['URL-encoded', encodeURIComponent(value)],
    ['base64', bytes.toString('base64').replace(/=+$/, '')],
    ['base64url', bytes.toString('base64url')],
    ['JSON-escaped', JSON.stringify(value).slice(1, -1)],
  ];
}
