import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { RunningDemoOdoo } from '../../src/demo/odoo/index.js';
import { executeKw, person, send } from './helpers.js';
import {
  aliceSession,
  callKw,
  passwordSignIn,
  postWithSession,
  rpcBody,
  sessionIdOf,
  signIn,
  startOAuthDemo,
} from './web-helpers.js';

const RUNNING: RunningDemoOdoo[] = [];

async function demo(...args: Parameters<typeof startOAuthDemo>): Promise<RunningDemoOdoo> {
  const running = await startOAuthDemo(...args);
  RUNNING.push(running);
  return running;
}

afterAll(async () => {
  await Promise.all(RUNNING.map((running) => running.close()));
});

afterEach(() => {
  vi.useRealTimers();
});

function expectSessionExpired(body: ReturnType<typeof rpcBody>): void {
  expect(body.id).toBeNull();
  expect(body.error?.code).toBe(100);
  expect(body.error?.message).toBe('Odoo Session Expired');
  expect(body.error?.data.name).toBe('odoo.http.SessionExpiredException');
  expect(body.error?.data.message).toBe('Session expired');
}

async function searchOrders(running: RunningDemoOdoo, sessionId: string | undefined) {
  const answer = await callKw(running, sessionId, 'sale.order', 'search_read', [[]], {
    fields: ['name', 'user_id'],
  });
  return rpcBody(answer);
}

describe('call_kw in a web session', () => {
  let v18: RunningDemoOdoo;

  beforeAll(async () => {
    v18 = await demo('18.0');
  });

  it('shows alice only her orders', async () => {
    const body = await searchOrders(v18, await aliceSession(v18));
    const orders = body.result as { user_id: [number, string] | false }[];
    const alice = person(v18, 'alice@example.com');
    const count = await executeKw<number>(v18, alice, 'sale.order', 'search_count', [[]]);
    expect(orders).toHaveLength(count);
    expect(orders.length).toBeGreaterThan(0);
    // The "Personal Orders" rule also shows orders without a salesperson.
    const salespeople = new Set(
      orders.map((order) => (order.user_id === false ? false : order.user_id[0])),
    );
    expect([...salespeople].filter((uid) => uid !== false)).toEqual([8]);
  });

  it('shows bob the orders of all salespeople', async () => {
    const answer = await passwordSignIn(v18, 'bob@example.com', 'bob-password');
    const orders = (await searchOrders(v18, sessionIdOf(answer))).result as unknown[];
    const bob = person(v18, 'bob@example.com');
    expect(orders).toHaveLength(await executeKw(v18, bob, 'sale.order', 'search_count', [[]]));
  });

  it('applies record rules to read', async () => {
    const bob = person(v18, 'bob@example.com');
    const [bobOrder] = await executeKw<number[]>(v18, bob, 'sale.order', 'search', [
      [['user_id', '=', 9]],
    ]);
    const answer = await callKw(v18, await aliceSession(v18), 'sale.order', 'read', [
      [bobOrder],
      ['name'],
    ]);
    const body = rpcBody(answer);
    expect(body.id).toBe(1);
    expect(body.error?.data.name).toBe('odoo.exceptions.AccessError');
    expect(body.error?.data.message).toContain("Sorry, Alice Sales (id=8) doesn't have 'read'");
  });

  it('uses kwargs.context', async () => {
    const answer = await callKw(
      v18,
      await aliceSession(v18),
      'res.partner',
      'search_count',
      [[['active', '=', false]]],
      { context: { active_test: false } },
    );
    expect(rpcBody(answer).result).toEqual(expect.any(Number));
  });

  it('serves the path without model and method', async () => {
    const answer = await postWithSession(v18, '/web/dataset/call_kw', await aliceSession(v18), {
      model: 'res.users',
      method: 'context_get',
      args: [],
      kwargs: {},
    });
    expect(rpcBody(answer).result).toEqual({ lang: 'en_US', tz: false, uid: 8 });
  });

  it('rejects a private method', async () => {
    const answer = await callKw(v18, await aliceSession(v18), 'sale.order', '_compute_amounts', [
      [],
    ]);
    expect(rpcBody(answer).error?.data.message).toBe(
      'Private methods (such as _compute_amounts) cannot be called remotely.',
    );
  });

  it('names a missing parameter', async () => {
    const answer = await postWithSession(v18, '/web/dataset/call_kw', await aliceSession(v18), {
      model: 'sale.order',
      method: 'search_count',
      args: [[]],
    });
    expect(rpcBody(answer).error?.data).toMatchObject({
      name: 'builtins.TypeError',
      message: "DataSet.call_kw() missing 1 required positional argument: 'kwargs'",
    });
  });

  it('answers 404 for an unknown model from 18.0', async () => {
    const answer = await callKw(v18, undefined, 'x_no.such.model', 'search', [[]]);
    const body = rpcBody(answer);
    expect(body.id).toBeNull();
    expect(body.error?.code).toBe(404);
    expect(body.error?.message).toBe('404: Not Found');
    expect(body.error?.data.name).toBe('werkzeug.exceptions.NotFound');
  });

  it('raises KeyError for an unknown model on 17.0', async () => {
    const v17 = await demo('17.0');
    const answer = await callKw(v17, await aliceSession(v17), 'x_no.such.model', 'search', [[]]);
    expect(rpcBody(answer).error?.data).toMatchObject({
      name: 'builtins.KeyError',
      message: 'x_no.such.model',
    });
  });
});

describe('session lifetime', () => {
  let v18: RunningDemoOdoo;

  beforeAll(async () => {
    v18 = await demo('18.0');
  });

  it('refuses a request without a session', async () => {
    const answer = await callKw(v18, undefined, 'sale.order', 'search', [[]]);
    expect(answer.status).toBe(200);
    expectSessionExpired(rpcBody(answer));
  });

  it('refuses an unknown session id', async () => {
    const unknown = 'A'.repeat(84);
    expectSessionExpired(rpcBody(await callKw(v18, unknown, 'sale.order', 'search', [[]])));
    expectSessionExpired(rpcBody(await callKw(v18, 'short', 'sale.order', 'search', [[]])));
  });

  it('ends every session on expireSessions', async () => {
    const sessionId = await aliceSession(v18);
    expect((await searchOrders(v18, sessionId)).result).toBeDefined();
    v18.demo.expireSessions();
    expectSessionExpired(await searchOrders(v18, sessionId));
    const info = await postWithSession(v18, '/web/session/get_session_info', sessionId);
    expectSessionExpired(rpcBody(info));
  });

  it('ends the session on destroy', async () => {
    const sessionId = await aliceSession(v18);
    const answer = await postWithSession(v18, '/web/session/destroy', sessionId, {}, 95);
    expect(answer.body).toEqual({ jsonrpc: '2.0', id: 95 });
    const next = sessionIdOf(answer);
    expect(next).toMatch(/^[A-Za-z0-9_-]{84}$/);
    expect(next).not.toBe(sessionId);
    expectSessionExpired(await searchOrders(v18, sessionId));
    expectSessionExpired(await searchOrders(v18, next));
  });

  it('answers check without a result', async () => {
    const sessionId = await aliceSession(v18);
    const answer = await postWithSession(v18, '/web/session/check', sessionId, {}, 4);
    expect(answer.body).toEqual({ jsonrpc: '2.0', id: 4 });
    expectSessionExpired(rpcBody(await postWithSession(v18, '/web/session/check', undefined)));
  });

  it('ends a session unused for its lifetime', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const running = await demo('18.0', { sessionTtlSeconds: 60 });
    const sessionId = await aliceSession(running);
    vi.setSystemTime(Date.now() + 59_000);
    expect((await searchOrders(running, sessionId)).result).toBeDefined();
    // Each use starts the lifetime again.
    vi.setSystemTime(Date.now() + 59_000);
    expect((await searchOrders(running, sessionId)).result).toBeDefined();
    vi.setSystemTime(Date.now() + 60_000);
    expectSessionExpired(await searchOrders(running, sessionId));
  });

  it('sets the lifetime as Max-Age', async () => {
    const running = await demo('18.0', { sessionTtlSeconds: 60 });
    const answer = await signIn(running, 'fake-google-token-alice');
    expect(answer.headers.getSetCookie()[0]).toContain('; Max-Age=60; ');
  });

  it('rejects a lifetime that is not a positive whole number', async () => {
    await expect(demo('18.0', { sessionTtlSeconds: 0 })).rejects.toThrow('sessionTtlSeconds');
    await expect(demo('18.0', { sessionTtlSeconds: 1.5 })).rejects.toThrow('sessionTtlSeconds');
  });

  it('keeps sessions when the same token signs in again', async () => {
    const first = await aliceSession(v18);
    await aliceSession(v18);
    expect((await searchOrders(v18, first)).result).toBeDefined();
  });

  it('ends older sessions when a new token signs in', async () => {
    const running = await demo('18.0', {
      googleTokenValidator: (token) => Promise.resolve({ sub: '1000001', email: token }),
    });
    const first = sessionIdOf(await signIn(running, 'token-one'));
    const second = sessionIdOf(await signIn(running, 'token-two'));
    expectSessionExpired(await searchOrders(running, first));
    expect((await searchOrders(running, second)).result).toBeDefined();
  });

  it('refreshes the cookie on get_session_info', async () => {
    const sessionId = await aliceSession(v18);
    const answer = await postWithSession(v18, '/web/session/get_session_info', sessionId);
    expect(sessionIdOf(answer)).toBe(sessionId);
  });
});

describe('session info', () => {
  it.each(['17.0', '18.0', '19.0'] as const)('describes alice on %s', async (version) => {
    const running = await demo(version);
    const answer = await postWithSession(
      running,
      '/web/session/get_session_info',
      await aliceSession(running),
    );
    const info = rpcBody(answer).result as Record<string, unknown>;
    expect(info).toMatchObject({
      uid: 8,
      is_system: false,
      is_admin: false,
      is_public: false,
      is_internal_user: true,
      user_context: { lang: 'en_US', tz: false, uid: 8 },
      db: running.demo.db,
      server_version: version,
      name: 'Alice Sales',
      username: 'alice@example.com',
      partner_display_name: 'Alice Sales',
      partner_id: expect.any(Number),
      'web.base.url': running.url.origin,
      user_companies: { current_company: 1, disallowed_ancestor_companies: {} },
    });
    const companies = (info.user_companies as { allowed_companies: Record<string, unknown> })
      .allowed_companies;
    expect(Object.keys(companies)).toEqual(['1', '2']);
    expect(companies['2']).toMatchObject({ id: 2, name: 'My Company (Chicago)' });
  });

  it('gives bob his time zone', async () => {
    const running = await demo('18.0');
    const answer = await passwordSignIn(running, 'bob@example.com', 'bob-password');
    const info = rpcBody(answer).result as { user_context: unknown };
    expect(info.user_context).toEqual({ lang: 'en_US', tz: 'America/Los_Angeles', uid: 9 });
  });

  it('marks the administrator', async () => {
    const running = await demo('18.0');
    const answer = await passwordSignIn(running, 'admin', 'admin');
    expect(rpcBody(answer).result).toMatchObject({ uid: 2, is_system: true, is_admin: true });
  });

  it('leaves the companies out for a portal user', async () => {
    const running = await demo('18.0');
    const answer = await passwordSignIn(running, 'pat@example.com', 'pat-password');
    const info = rpcBody(answer).result as Record<string, unknown>;
    expect(info.is_internal_user).toBe(false);
    expect(info).not.toHaveProperty('user_companies');
    expect(info).not.toHaveProperty('odoobot_initialized');
    expect(info.cache_hashes).not.toHaveProperty('load_menus');
  });
});

describe('password sessions', () => {
  it('opens a session with the password', async () => {
    const running = await demo('18.0');
    const answer = await passwordSignIn(running, 'alice@example.com', 'alice-password');
    expect(rpcBody(answer).result).toMatchObject({ uid: 8 });
    const orders = await searchOrders(running, sessionIdOf(answer));
    expect(orders.result).toBeDefined();
  });

  it.each([
    ['an API key', (running: RunningDemoOdoo) => person(running, 'alice@example.com').apiKey],
    ['a wrong password', () => 'not-the-password'],
  ])('refuses %s', async (_name, password) => {
    const running = await demo('18.0');
    const answer = await passwordSignIn(running, 'alice@example.com', password(running));
    const body = rpcBody(answer);
    expect(body.id).toBe(5);
    expect(body.error?.data).toMatchObject({
      name: 'odoo.exceptions.AccessDenied',
      message: 'Access Denied',
    });
    expect(answer.headers.getSetCookie()).toEqual([]);
  });

  it('refuses the archived user', async () => {
    const running = await demo('18.0');
    const answer = await passwordSignIn(running, 'dave@example.com', 'dave-password');
    expect(rpcBody(answer).error?.data.name).toBe('odoo.exceptions.AccessDenied');
  });

  it('refuses another database', async () => {
    const running = await demo('18.0');
    const answer = await send(running, '/web/session/authenticate', {
      jsonrpc: '2.0',
      method: 'call',
      params: { db: 'other', login: 'admin', password: 'admin' },
      id: 1,
    });
    expect(rpcBody(answer).error?.data).toMatchObject({
      name: 'odoo.exceptions.AccessError',
      message: 'Database not found.',
    });
  });

  it('sets the cookie twice on 19.0, as recorded', async () => {
    const running = await demo('19.0');
    const answer = await passwordSignIn(running, 'alice@example.com', 'alice-password');
    const cookies = answer.headers.getSetCookie();
    expect(cookies).toHaveLength(2);
    expect(cookies[0]).toBe(cookies[1]);
  });
});

describe('Google token as a password', () => {
  async function tokenAsPassword(version: '17.0' | '18.0') {
    const running = await demo(version);
    await aliceSession(running);
    const authenticate = await send(running, '/jsonrpc', {
      jsonrpc: '2.0',
      method: 'call',
      params: {
        service: 'common',
        method: 'authenticate',
        args: [running.demo.db, 'alice@example.com', 'fake-google-token-alice', {}],
      },
      id: 1,
    });
    const session = await passwordSignIn(running, 'alice@example.com', 'fake-google-token-alice');
    return { authenticate: rpcBody(authenticate), session: rpcBody(session) };
  }

  it('works on 17.0', async () => {
    const { authenticate, session } = await tokenAsPassword('17.0');
    expect(authenticate.result).toBe(8);
    expect(session.result).toMatchObject({ uid: 8 });
  });

  it('is refused from 18.0', async () => {
    const { authenticate, session } = await tokenAsPassword('18.0');
    expect(authenticate.result).toBe(false);
    expect(session.error?.data.name).toBe('odoo.exceptions.AccessDenied');
  });
});
