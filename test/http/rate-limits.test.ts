import { OAuthError, refreshAuthorization } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { RATE_LIMITS } from '../../src/http/rate-limits.js';
import { PEOPLE, startHarness, type Harness } from '../helpers/harness.js';
import {
  authorize,
  authorizeUrl,
  exchangeCode,
  pkcePair,
  registerClient,
  REDIRECT_URI,
  tokenRequest,
  type RegisteredClient,
} from '../helpers/oauth.js';

const [alice, bob] = PEOPLE as [(typeof PEOPLE)[number], (typeof PEOPLE)[number]];

/** Sends `count` requests, `parallel` at a time, and returns their statuses in order. */
async function statusesOf(count: number, send: (index: number) => Promise<Response>) {
  const statuses: number[] = [];
  const parallel = 8;
  for (let start = 0; start < count; start += parallel) {
    const batch = Array.from({ length: Math.min(parallel, count - start) }, (_, offset) =>
      send(start + offset).then(async (response) => {
        await response.arrayBuffer();
        return response.status;
      }),
    );
    statuses.push(...(await Promise.all(batch)));
  }
  return statuses;
}

/**
 * Fetches and hands back the response as the global `Response`. The bridge's HTTP listener
 * in this process replaces the global `Response` with its own class, and the MCP SDK reads an
 * error body only from an `instanceof Response`.
 */
async function globalResponseFetch(url: string | URL, init?: RequestInit): Promise<Response> {
  const response = await fetch(url, init);
  const body = await response.arrayBuffer();
  return new Response(body, { status: response.status, headers: response.headers });
}

/**
 * Runs `send` with `Date.now` stopped, so that no bucket refills while a test empties it, however
 * long the requests of a burst take.
 */
async function withClockStopped<T>(send: () => Promise<T>): Promise<T> {
  const clock = vi.spyOn(Date, 'now').mockReturnValue(Date.now());
  try {
    return await send();
  } finally {
    clock.mockRestore();
  }
}

describe('rate limits', () => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await startHarness();
  });

  afterAll(async () => {
    await harness.close();
  });

  function limitLines(limit: string): Array<Record<string, unknown>> {
    return harness.logs.filter(
      (line) => line.event === 'http.rate_limited' && line.limit === limit,
    );
  }

  function register(address: string): Promise<Response> {
    return fetch(new URL('/register', harness.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': address },
      body: JSON.stringify({ redirect_uris: [REDIRECT_URI], token_endpoint_auth_method: 'none' }),
    });
  }

  it('throttles registrations per address', async () => {
    const { burst } = RATE_LIMITS.register;
    const rejected = await withClockStopped(async () => {
      const statuses = await statusesOf(burst, () => register('198.51.100.7'));
      expect(statuses.every((status) => status === 201)).toBe(true);
      return register('198.51.100.7');
    });
    const body = (await rejected.json()) as Record<string, string>;
    expect(rejected.status).toBe(429);
    expect(rejected.headers.get('retry-after')).toBe('2');
    expect(body.error).toBe('temporarily_unavailable');
    expect(body.error_description).toContain('try again in 2 seconds');
  });

  it('keys on the right-most address', async () => {
    // Forged entries come first, as the client wrote them, and Google's entry comes last.
    expect((await register('203.0.113.50, 198.51.100.7')).status).toBe(429);
    expect((await register('198.51.100.7, 198.51.100.8')).status).toBe(201);
  });

  it('logs one line per throttled client', async () => {
    await register('198.51.100.7');
    const lines = limitLines('register');

    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      client_address: '198.51.100.7',
      path: '/register',
      severity: 'WARNING',
    });
  });

  it('throttles token requests per address', async () => {
    const { burst } = RATE_LIMITS.token;
    // A body that is not a form is rejected first thing, which keeps the burst quick to send.
    const junk = (address: string) =>
      fetch(new URL('/token', harness.url), {
        method: 'POST',
        headers: { 'content-type': 'text/plain', 'x-forwarded-for': address },
        body: 'junk',
      });
    await withClockStopped(async () => {
      const statuses = await statusesOf(burst, () => junk('192.0.2.33'));
      expect(statuses.every((status) => status === 400)).toBe(true);

      const rejected = await junk('192.0.2.33');
      expect(rejected.status).toBe(429);
      expect(rejected.headers.get('retry-after')).toBe('1');
      expect((await junk('192.0.2.34')).status).toBe(400);
    });
  });

  describe('refreshes of one grant', () => {
    let client: RegisteredClient;
    let refreshToken: string;

    beforeAll(async () => {
      client = await registerClient(harness);
      const { code, verifier } = await authorize(harness, client, alice);
      const tokens = await exchangeCode(harness, client, code, verifier);
      refreshToken = String(tokens.body.refresh_token);
    });

    function refresh(token: string, address = '192.0.2.1') {
      return tokenRequest(
        harness,
        {
          grant_type: 'refresh_token',
          refresh_token: token,
          client_id: client.client_id,
          resource: harness.mcpUrl.href,
        },
        { 'x-forwarded-for': address },
      );
    }

    it('rejects refreshes after the burst', async () => {
      const rejected = await withClockStopped(async () => {
        for (let count = 0; count < RATE_LIMITS.refresh.burst; count += 1) {
          const answer = await refresh(refreshToken);
          expect(answer.status).toBe(200);
          refreshToken = String(answer.body.refresh_token);
        }
        return refresh(refreshToken);
      });
      expect(rejected.status).toBe(429);
      expect(rejected.headers.get('retry-after')).toBe('10');
      expect(rejected.body.error).toBe('temporarily_unavailable');
    });

    it('keeps the grant throttled from another address', async () => {
      expect((await refresh(refreshToken, '192.0.2.99')).status).toBe(429);
    });

    it('surfaces temporarily_unavailable in the SDK', async () => {
      const metadata = await (
        await fetch(new URL('/.well-known/oauth-authorization-server', harness.url))
      ).json();
      const refreshing = refreshAuthorization(harness.url, {
        metadata,
        clientInformation: { client_id: client.client_id },
        refreshToken,
        resource: harness.mcpUrl,
        fetchFn: globalResponseFetch,
      });

      // The SDK starts a new sign-in after server_error, but reports temporarily_unavailable.
      const error = await refreshing.then(
        () => undefined,
        (reason: unknown) => reason,
      );
      expect(error).toBeInstanceOf(OAuthError);
      expect((error as OAuthError).code).toBe('temporarily_unavailable');
    });

    it('leaves other grants alone', async () => {
      const { code, verifier } = await authorize(harness, client, bob);
      const tokens = await exchangeCode(harness, client, code, verifier);
      const answer = await refresh(String(tokens.body.refresh_token));

      expect(answer.status).toBe(200);
      expect(limitLines('refresh')).toHaveLength(1);
      expect(limitLines('refresh')[0]).toHaveProperty('grant_id');
    });
  });

  describe('authorization requests', () => {
    let client: RegisteredClient;

    beforeAll(async () => {
      client = await registerClient(harness);
    });

    function authorizeFrom(address: string, target: RegisteredClient = client) {
      return fetch(authorizeUrl(harness, target, pkcePair().challenge), {
        redirect: 'manual',
        headers: { 'x-forwarded-for': address },
      });
    }

    it('throttles one client per address', async () => {
      const { burst } = RATE_LIMITS.authorizeClient;
      const rejected = await withClockStopped(async () => {
        const statuses = await statusesOf(burst, () => authorizeFrom('192.0.2.200'));
        expect(statuses.every((status) => status === 302)).toBe(true);
        return authorizeFrom('192.0.2.200');
      });
      const page = await rejected.text();
      expect(rejected.status).toBe(429);
      expect(rejected.headers.get('retry-after')).toBe('1');
      expect(rejected.headers.get('content-type')).toMatch(/^text\/html/);
      expect(page).toContain('Too many connection attempts');
      expect(page).toContain('Wait 1 seconds');
    });

    it('admits the client from elsewhere', async () => {
      expect((await authorizeFrom('192.0.2.201')).status).toBe(302);
    });

    it('throttles one address across clients', async () => {
      const { burst } = RATE_LIMITS.authorize;
      // Unknown client ids share the address's bucket but each has its own client bucket.
      const unknown = (index: number) =>
        fetch(new URL(`/authorize?client_id=unknown-${index % 4}`, harness.url), {
          headers: { 'x-forwarded-for': '192.0.2.202' },
        });
      await withClockStopped(async () => {
        const statuses = await statusesOf(burst, unknown);
        expect(statuses.filter((status) => status === 429)).toHaveLength(0);

        expect((await authorizeFrom('192.0.2.202')).status).toBe(429);
      });
    });
  });
});
