import { Writable } from 'node:stream';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log/logger.js';
import type { RunningDemoOdoo } from '../../src/demo/odoo/index.js';
import { executeKw, person, send } from './helpers.js';
import {
  aliceSession,
  callKw,
  GOOGLE_PROVIDER,
  GOOGLE_TOKENS,
  recordingValidator,
  rpcBody,
  sessionIdOf,
  signIn,
  signInPath,
  startOAuthDemo,
} from './web-helpers.js';

/** Set-Cookie of a session as Odoo sends it: a year's Expires and a week's Max-Age. */
const SESSION_COOKIE =
  /^session_id=[A-Za-z0-9_-]{84}; Expires=\w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} GMT; Max-Age=604800; HttpOnly; Path=\/$/;

const RUNNING: RunningDemoOdoo[] = [];

async function demo(...args: Parameters<typeof startOAuthDemo>): Promise<RunningDemoOdoo> {
  const running = await startOAuthDemo(...args);
  RUNNING.push(running);
  return running;
}

afterAll(async () => {
  await Promise.all(RUNNING.map((running) => running.close()));
});

async function isSignedIn(running: RunningDemoOdoo, sessionId: string | undefined) {
  const answer = await callKw(running, sessionId, 'res.users', 'context_get', []);
  return rpcBody(answer).result !== undefined;
}

describe('Google sign-in', () => {
  let v17: RunningDemoOdoo;
  let v18: RunningDemoOdoo;

  beforeAll(async () => {
    [v17, v18] = await Promise.all([demo('17.0'), demo('18.0')]);
  });

  it('signs alice in and lands on r', async () => {
    const answer = await signIn(v18, 'fake-google-token-alice', {
      r: encodeURIComponent('http://127.0.0.1:8018/odoo/sale.order?view_type=list'),
    });
    expect(answer.status).toBe(303);
    expect(answer.headers.get('location')).toBe('/odoo/sale.order?view_type=list');
    expect(answer.headers.getSetCookie()).toHaveLength(1);
    expect(answer.headers.getSetCookie()[0]).toMatch(SESSION_COOKIE);
    const expires = /Expires=([^;]+)/.exec(answer.headers.getSetCookie()[0]!)?.[1] ?? '';
    const daysAhead = (Date.parse(expires) - Date.now()) / 86_400_000;
    expect(daysAhead).toBeGreaterThan(364);
    expect(daysAhead).toBeLessThanOrEqual(365);
    const context = await callKw(v18, sessionIdOf(answer), 'res.users', 'context_get', []);
    expect(rpcBody(context).result).toEqual({ lang: 'en_US', tz: false, uid: 8 });
  });

  it('stores the token on the user', async () => {
    await signIn(v18, 'fake-google-token-alice');
    const [alice] = await executeKw<Record<string, unknown>[]>(
      v18,
      person(v18, 'admin'),
      'res.users',
      'read',
      [[8]],
      { fields: ['oauth_provider_id', 'oauth_uid', 'oauth_access_token'] },
    );
    expect(alice).toEqual({
      id: 8,
      oauth_provider_id: [GOOGLE_PROVIDER, 'Google OAuth2'],
      oauth_uid: '1000001',
      oauth_access_token: 'fake-google-token-alice',
    });
  });

  it('masks the stored token for other readers', async () => {
    await signIn(v18, 'fake-google-token-alice');
    const alice = person(v18, 'alice@example.com');
    const [own] = await executeKw<Record<string, unknown>[]>(
      v18,
      alice,
      'res.users',
      'read',
      [[8]],
      { fields: ['oauth_access_token'] },
    );
    expect(own?.oauth_access_token).toBe('********');
    const [other] = await executeKw<Record<string, unknown>[]>(
      v18,
      alice,
      'res.users',
      'read',
      [[9]],
      { fields: ['oauth_access_token'] },
    );
    expect(other?.oauth_access_token).toBe('********');
  });

  it.each([
    ['17.0', '/web'],
    ['18.0', '/odoo'],
  ])('lands on the %s web client without r', async (version, landing) => {
    const running = version === '17.0' ? v17 : v18;
    const answer = await signIn(running, 'fake-google-token-alice', {});
    expect(answer.status).toBe(303);
    expect(answer.headers.get('location')).toBe(landing);
    expect(answer.body).toContain(`<a href="${landing}">${landing}</a>`);
  });

  it.each([
    ['17.0', { a: 42 }, '/web#action=42'],
    ['18.0', { a: 42 }, '/odoo/action-42'],
    ['18.0', { m: 7 }, '/odoo?menu_id=7'],
    ['18.0', { r: '', m: 7 }, '/odoo?menu_id=7'],
  ])('lands on %s action or menu %j', async (version, state, landing) => {
    const running = version === '17.0' ? v17 : v18;
    const answer = await signIn(running, 'fake-google-token-alice', state);
    expect(answer.headers.get('location')).toBe(landing);
  });

  it.each([
    ['https://evil.example/odoo/sale.order/3', '/odoo/sale.order/3'],
    ['//evil.example/web', '/web'],
    ['web', '/web'],
    ['/web?debug=1#action=5', '/web?debug=1#action=5'],
  ])('keeps only the path of r %s', async (redirect, location) => {
    const answer = await signIn(v18, 'fake-google-token-alice', {
      r: encodeURIComponent(redirect),
    });
    expect(answer.headers.get('location')).toBe(location);
  });

  it('decodes r with plus signs as spaces', async () => {
    const answer = await signIn(v18, 'fake-google-token-alice', { r: '/odoo?search=a+b%21' });
    expect(answer.headers.get('location')).toBe('/odoo?search=a%20b!');
  });

  it('rejects an invalid token with oauth_error=2', async () => {
    const answer = await signIn(v18, 'not-a-valid-token');
    expect(answer.status).toBe(303);
    expect(answer.headers.get('location')).toBe('/web/login?oauth_error=2');
    expect(answer.headers.getSetCookie()[0]).toMatch(SESSION_COOKIE);
    expect(await isSignedIn(v18, sessionIdOf(answer))).toBe(false);
  });

  it('rejects an unknown subject with oauth_error=3 in b2b', async () => {
    const answer = await signIn(v18, 'fake-google-token-stranger');
    expect(answer.headers.get('location')).toBe('/web/login?oauth_error=3');
    expect(answer.headers.getSetCookie()[0]).toMatch(SESSION_COOKIE);
    expect(await isSignedIn(v18, sessionIdOf(answer))).toBe(false);
  });

  it('answers 400 for another database', async () => {
    const path = signInPath('fake-google-token-alice', { d: 'some_other_db', p: 3 });
    const answer = await send(v18, path, undefined, 'GET');
    expect(answer.status).toBe(400);
    expect(answer.contentType).toBe('text/html; charset=utf-8');
    expect(answer.body).toContain('<title>400 Bad Request</title>');
    expect(answer.headers.getSetCookie()).toEqual([]);
  });

  it('answers 500 for a state that is not JSON', async () => {
    const state = encodeURIComponent('{not json');
    const answer = await send(
      v18,
      `/auth_oauth/signin?access_token=x&state=${state}`,
      undefined,
      'GET',
    );
    expect(answer.status).toBe(500);
    expect(answer.body).toContain('Internal Server Error');
  });

  it('answers 500 for a state without a provider', async () => {
    const path = signInPath('fake-google-token-alice', { d: v18.demo.db });
    expect((await send(v18, path, undefined, 'GET')).status).toBe(500);
  });

  it('moves the fragment into the query without parameters', async () => {
    const answer = await send(v18, '/auth_oauth/signin', undefined, 'GET');
    expect(answer.status).toBe(200);
    expect(answer.body).toContain('window.location.hash');
  });

  it('rejects a provider other than Google', async () => {
    const answer = await signIn(v18, 'fake-google-token-alice', { p: 1 });
    expect(answer.headers.get('location')).toBe('/web/login?oauth_error=2');
  });

  it('signs the archived user in nowhere', async () => {
    const dave = person(v18, 'dave@example.com');
    const running = await demo('18.0', {
      googleTokenValidator: recordingValidator({ 'dave-token': { sub: dave.oauthUid } }).validator,
    });
    const answer = await signIn(running, 'dave-token');
    expect(answer.headers.get('location')).toBe('/web/login?oauth_error=3');
  });

  it('keeps an open session when a sign-in fails', async () => {
    const sessionId = await aliceSession(v18);
    const answer = await signIn(v18, 'not-a-valid-token', {}, `session_id=${sessionId}`);
    expect(answer.headers.get('location')).toBe('/web/login?oauth_error=2');
    expect(answer.headers.getSetCookie()).toEqual([]);
    expect(await isSignedIn(v18, sessionId)).toBe(true);
  });

  it('replaces the session the request carries', async () => {
    const first = await aliceSession(v18);
    const answer = await signIn(v18, 'fake-google-token-alice', {}, `session_id=${first}`);
    const second = sessionIdOf(answer);
    expect(second).not.toBe(first);
    expect(await isSignedIn(v18, first)).toBe(false);
    expect(await isSignedIn(v18, second)).toBe(true);
  });
});

describe('Google sign-up in b2c', () => {
  let b2c: RunningDemoOdoo;

  beforeAll(async () => {
    b2c = await demo('18.0', { signupScope: 'b2c' });
  });

  it('creates a portal user and lands on /', async () => {
    const answer = await signIn(b2c, 'fake-google-token-nobody');
    expect(answer.status).toBe(303);
    expect(answer.headers.get('location')).toBe('/');
    // Odoo changes the header after building the page, which still names /web.
    expect(answer.body).toContain('<a href="/web">/web</a>');
    const users = await executeKw<Record<string, unknown>[]>(
      b2c,
      person(b2c, 'admin'),
      'res.users',
      'search_read',
      [[['oauth_uid', '=', '9999999']]],
      { fields: ['login', 'name', 'email', 'share', 'oauth_provider_id', 'oauth_access_token'] },
    );
    expect(users).toEqual([
      {
        id: expect.any(Number),
        login: 'nobody@example.com',
        name: 'Nobody',
        email: 'nobody@example.com',
        share: true,
        oauth_provider_id: [GOOGLE_PROVIDER, 'Google OAuth2'],
        oauth_access_token: 'fake-google-token-nobody',
      },
    ]);
    const context = await callKw(b2c, sessionIdOf(answer), 'res.users', 'context_get', []);
    expect(rpcBody(context).result).toEqual({ lang: 'en_US', tz: false, uid: users[0]!.id });
  });

  it('signs the same portal user in again', async () => {
    const first = await signIn(b2c, 'fake-google-token-nobody', {});
    const second = await signIn(b2c, 'fake-google-token-nobody', {});
    const uidOf = async (sessionId: string | undefined) =>
      (
        rpcBody(await callKw(b2c, sessionId, 'res.users', 'context_get', [])).result as {
          uid: number;
        }
      ).uid;
    expect(await uidOf(sessionIdOf(first))).toBe(await uidOf(sessionIdOf(second)));
    // Without r a portal user lands on /odoo: the /web check does not apply.
    expect(second.headers.get('location')).toBe('/odoo');
  });

  it('names a user without email or name after the provider', async () => {
    const running = await demo('18.0', {
      signupScope: 'b2c',
      googleTokenValidator: recordingValidator({ bare: { sub: 'bare-1' } }).validator,
    });
    expect((await signIn(running, 'bare')).headers.get('location')).toBe('/');
    const [user] = await executeKw<Record<string, unknown>[]>(
      running,
      person(running, 'admin'),
      'res.users',
      'search_read',
      [[['oauth_uid', '=', 'bare-1']]],
      { fields: ['login', 'name'] },
    );
    expect(user).toMatchObject({ login: 'provider_3_user_bare-1', name: 'provider_3_user_bare-1' });
  });

  it('refuses a sign-up whose login is taken', async () => {
    const running = await demo('18.0', {
      signupScope: 'b2c',
      googleTokenValidator: recordingValidator({
        other: { sub: 'other-1', email: 'bob@example.com' },
      }).validator,
    });
    expect((await signIn(running, 'other')).headers.get('location')).toBe(
      '/web/login?oauth_error=3',
    );
  });

  it('refuses a sign-up with a signup token or no_user_creation', async () => {
    for (const state of [{ t: 'invitation' }, { c: { no_user_creation: true } }]) {
      const answer = await signIn(b2c, 'fake-google-token-stranger', state);
      expect(answer.headers.get('location'), JSON.stringify(state)).toBe(
        '/web/login?oauth_error=3',
      );
    }
  });
});

describe('Google subjects', () => {
  it('links people to demo-<uid> by default', async () => {
    const running = await demo('18.0', {
      oauthUids: {},
      googleTokenValidator: recordingValidator({ bob: { sub: 'demo-9' } }).validator,
    });
    expect(person(running, 'bob@example.com').oauthUid).toBe('demo-9');
    const answer = await signIn(running, 'bob', {});
    const context = await callKw(running, sessionIdOf(answer), 'res.users', 'context_get', []);
    expect(rpcBody(context).result).toMatchObject({ uid: 9 });
  });

  it('replaces the default subject with oauthUids', async () => {
    const running = await demo('18.0', {
      oauthUids: { 'alice@example.com': 'issuer-alice' },
      googleTokenValidator: recordingValidator({
        current: { sub: 'issuer-alice' },
        former: { sub: 'demo-8' },
      }).validator,
    });
    expect(person(running, 'alice@example.com').oauthUid).toBe('issuer-alice');
    expect((await signIn(running, 'current', {})).headers.get('location')).toBe('/odoo');
    expect((await signIn(running, 'former', {})).headers.get('location')).toBe(
      '/web/login?oauth_error=3',
    );
  });

  it('lets two people swap subjects', async () => {
    const running = await demo('18.0', {
      oauthUids: { 'alice@example.com': 'demo-9', 'bob@example.com': 'demo-8' },
    });
    expect(person(running, 'alice@example.com').oauthUid).toBe('demo-9');
    expect(person(running, 'bob@example.com').oauthUid).toBe('demo-8');
  });

  it('rejects a subject another user has', async () => {
    await expect(demo('18.0', { oauthUids: { 'alice@example.com': 'demo-9' } })).rejects.toThrow(
      'OAuth UID must be unique per provider',
    );
    const running = await demo('18.0');
    expect(() => running.demo.linkOAuth('carol@example.com', '1000001')).toThrow(
      'already linked to alice@example.com',
    );
    expect(() => running.demo.linkOAuth('nobody@example.com', 'x')).toThrow(
      'no user with the login',
    );
  });

  it('signs in as the user linkOAuth names', async () => {
    const running = await demo('18.0', {
      googleTokenValidator: recordingValidator({ carol: { sub: 'carol-sub' } }).validator,
    });
    running.demo.linkOAuth('carol@example.com', 'carol-sub');
    const answer = await signIn(running, 'carol', {});
    const context = await callKw(running, sessionIdOf(answer), 'res.users', 'context_get', []);
    expect(rpcBody(context).result).toMatchObject({ uid: 10 });
  });
});

describe('sign-in logging', () => {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString('utf8'));
      done();
    },
  });

  afterEach(() => {
    lines.length = 0;
  });

  it('never logs the token or the session id', async () => {
    const token = 'secret-google-token-123';
    const failing = 'failing-google-token-456';
    const running = await demo('18.0', {
      logger: createLogger({ level: 'debug', destination }),
      googleTokenValidator: (accessToken) => {
        if (accessToken === failing) {
          return Promise.reject(new Error(`tokeninfo refused ${accessToken}`));
        }
        return Promise.resolve(
          accessToken === token ? GOOGLE_TOKENS['fake-google-token-alice'] : undefined,
        );
      },
    });
    const success = await signIn(running, token);
    await signIn(running, failing);
    await signIn(running, 'unknown-token');
    const log = lines.join('');
    expect(log).toContain('Demo Odoo could not check a Google access token');
    expect(log).toContain('[access token]');
    expect(log).toContain('Demo Odoo signed a user in with Google');
    expect(log).not.toContain(token);
    expect(log).not.toContain(failing);
    expect(log).not.toContain('unknown-token');
    expect(log).not.toContain(sessionIdOf(success));
  });

  it('logs a missing validator once', async () => {
    const running = await demo('18.0', {
      logger: createLogger({ level: 'debug', destination }),
      googleTokenValidator: undefined,
    });
    for (let attempt = 0; attempt < 3; attempt++) {
      const answer = await signIn(running, 'fake-google-token-alice');
      expect(answer.headers.get('location')).toBe('/web/login?oauth_error=2');
    }
    const warnings = lines.filter((line) => line.includes('no Google token validator'));
    expect(warnings).toHaveLength(1);
  });
});
