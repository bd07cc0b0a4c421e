import type { ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import type { OdooErrorKind } from '../../src/odoo/errors.js';
import {
  OdooSignInError,
  signInWithGoogle,
  type OdooSignInReason,
} from '../../src/odoo/web-session/index.js';
import {
  freePort,
  sendJsonRpcResult,
  type ReceivedRequest,
  type TestHandler,
} from './test-server.js';
import { useFakeOdoo } from './fake-odoo.js';
import { decodeSignInQuery, pathOf } from './web-session-recordings.js';
import { failureOf } from '../helpers/odoo-failure.js';

/** A token with characters that the query string and percent-encoding change. */
const TOKEN = 'ya29.fake/google+token=alice';
const TOKEN_FORMS = [
  TOKEN,
  encodeURIComponent(TOKEN),
  new URLSearchParams({ t: TOKEN }).toString().slice(2),
];
const SESSION_ID = 'fake-odoo-session-3e1f09c2b7a4d5e6f708192a3b4c5d6e';
const SIGN_IN = { providerId: 3, accessToken: TOKEN };
const SESSION_COOKIE = `session_id=${SESSION_ID}; Expires=Sat, 04 Dec 2027 15:40:09 GMT; Max-Age=604800; HttpOnly; Path=/`;
const ANONYMOUS_COOKIE =
  'session_id=anonymous-session-0123456789; Max-Age=604800; HttpOnly; Path=/';

/** The session info of alice on Odoo 18, cut to the values the client reads. */
const ALICE_INFO = {
  uid: 8,
  db: 'odoo18',
  is_internal_user: true,
  is_public: false,
  username: 'alice@example.com',
  name: 'Alice Sales',
  server_version: '18.0',
  user_context: { lang: 'en_US', tz: 'Europe/Brussels', uid: 8 },
  user_companies: {
    current_company: 1,
    allowed_companies: { '1': { id: 1, name: 'My Company' }, '3': { id: 3, name: 'Branch' } },
  },
};

/** A portal user's session info, which has no `user_companies` (Odoo 18 web/models/ir_http.py). */
const PORTAL_INFO = {
  uid: 12,
  db: 'odoo18',
  is_internal_user: false,
  is_public: false,
  username: 'nobody@example.com',
  name: 'nobody@example.com',
  server_version: '18.0',
  user_context: { lang: 'en_US', tz: false, uid: 12 },
};

type Respond = (request: ReceivedRequest, response: ServerResponse) => void;

/** Redirects with a 303 to `location`, setting `cookie` unless it is null. */
function redirectTo(location: string, cookie: string | null = SESSION_COOKIE): Respond {
  return (_request, response) => {
    const headers: Record<string, string> = {
      'content-type': 'text/html; charset=utf-8',
      location,
    };
    if (cookie !== null) {
      headers['set-cookie'] = cookie;
    }
    response.writeHead(303, headers);
    response.end('<!doctype html><title>Redirecting...</title>');
  };
}

function page(status: number, title: string, headers: Record<string, string> = {}): Respond {
  return (_request, response) => {
    response.writeHead(status, { 'content-type': 'text/html; charset=utf-8', ...headers });
    response.end(`<!doctype html><title>${title}</title><h1>${title}</h1>`);
  };
}

function sessionInfo(result: unknown): Respond {
  return (request, response) => sendJsonRpcResult(request, response, result);
}

const sessionExpired: Respond = (_request, response) => {
  const error = {
    code: 100,
    message: 'Odoo Session Expired',
    data: { name: 'odoo.http.SessionExpiredException', message: 'Session expired', debug: '…' },
  };
  response.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
  response.end(JSON.stringify({ jsonrpc: '2.0', id: null, error }));
};

/** Responds to `/web/session/destroy` as Odoo does: an envelope without `result`. */
const destroyed: Respond = (request, response) => {
  const id = (JSON.parse(request.body) as { id: unknown }).id;
  response.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
  response.end(JSON.stringify({ jsonrpc: '2.0', id }));
};

interface FakeOdoo {
  signIn?: Respond;
  sessionInfo?: Respond;
}

/** Returns a fake Odoo whose sign-in succeeds for alice unless `fake` replaces a route. */
function fakeOdoo(fake: FakeOdoo = {}): TestHandler {
  return (request, response) => {
    const path = pathOf(request);
    if (path.endsWith('/auth_oauth/signin')) {
      (fake.signIn ?? redirectTo('/web'))(request, response);
    } else if (path.endsWith('/web/session/get_session_info')) {
      (fake.sessionInfo ?? sessionInfo(ALICE_INFO))(request, response);
    } else if (path.endsWith('/web/session/destroy')) {
      destroyed(request, response);
    } else {
      page(404, '404 Not Found')(request, response);
    }
  };
}

const fake = useFakeOdoo('odoo18');

function sentPaths(): string[] {
  return (fake.server?.requests ?? []).map(pathOf);
}

describe('signInWithGoogle request', () => {
  it('sends the token and state', async () => {
    const odoo = await fake.start(fakeOdoo());
    await signInWithGoogle(odoo, SIGN_IN);
    const request = fake.server?.requests[0] as ReceivedRequest;
    const query = new URLSearchParams(request.path.split('?')[1]);
    expect(pathOf(request)).toBe('/auth_oauth/signin');
    expect([...query.keys()]).toEqual(['access_token', 'state']);
    expect(query.get('access_token')).toBe(TOKEN);
    expect(query.get('state')).toBe('{"d":"odoo18","p":3,"r":"%2Fweb"}');
    expect(decodeSignInQuery(request.path).state.r).toBe('/web');
  });

  it('sends no cookie with the sign-in', async () => {
    const odoo = await fake.start(fakeOdoo());
    await signInWithGoogle(odoo, SIGN_IN);
    expect(fake.server?.requests[0]?.headers.cookie).toBeUndefined();
  });

  it('reads the session with its cookie', async () => {
    const odoo = await fake.start(fakeOdoo());
    await signInWithGoogle(odoo, SIGN_IN);
    const request = fake.server?.requests[1] as ReceivedRequest;
    expect(pathOf(request)).toBe('/web/session/get_session_info');
    expect(request.headers.cookie).toBe(`session_id=${SESSION_ID}`);
    expect(JSON.parse(request.body)).toMatchObject({ jsonrpc: '2.0', method: 'call', params: {} });
  });

  it('keeps the base URL path', async () => {
    await fake.start(fakeOdoo());
    const odoo = fake.clientAt(new URL('erp/', fake.server?.url));
    await signInWithGoogle(odoo, SIGN_IN);
    expect(sentPaths()).toEqual(['/erp/auth_oauth/signin', '/erp/web/session/get_session_info']);
  });
});

describe('signInWithGoogle success', () => {
  it('returns the web session', async () => {
    const odoo = await fake.start(fakeOdoo());
    const session = await signInWithGoogle(odoo, SIGN_IN);
    expect(session).toEqual({
      sessionId: SESSION_ID,
      db: 'odoo18',
      uid: 8,
      login: 'alice@example.com',
      name: 'Alice Sales',
      internal: true,
      companyId: 1,
      companyIds: [1, 3],
      tz: 'Europe/Brussels',
      lang: 'en_US',
      serverVersion: '18.0',
    });
  });

  it('accepts the /odoo landing page', async () => {
    const odoo = await fake.start(fakeOdoo({ signIn: redirectTo('/odoo') }));
    expect((await signInWithGoogle(odoo, SIGN_IN)).uid).toBe(8);
  });

  it('retries after a dropped connection', async () => {
    let signIns = 0;
    const odoo = await fake.start(
      fakeOdoo({
        signIn: (request, response) => {
          signIns += 1;
          if (signIns === 1) {
            response.socket?.destroy();
            return;
          }
          redirectTo('/web')(request, response);
        },
      }),
    );
    expect((await signInWithGoogle(odoo, SIGN_IN)).sessionId).toBe(SESSION_ID);
    expect(signIns).toBe(2);
  });
});

interface FailureCase {
  name: string;
  fake: FakeOdoo;
  reason: OdooSignInReason;
  kind: OdooErrorKind;
  /** Parts of the message, each checked on its own. */
  messageParts: string[];
}

const FAILURES: FailureCase[] = [
  {
    name: 'oauth_error=2',
    fake: { signIn: redirectTo('/web/login?oauth_error=2', ANONYMOUS_COOKIE) },
    reason: 'token_refused',
    kind: 'authentication',
    messageParts: ['did not accept the Google access token', 'Sign in with Google again', '(3)'],
  },
  {
    name: 'oauth_error=3',
    fake: { signIn: redirectTo('/web/login?oauth_error=3', ANONYMOUS_COOKIE) },
    reason: 'no_odoo_user',
    kind: 'authentication',
    messageParts: ['Odoo has no user linked to this Google account', 'Oauth tab', 'archived'],
  },
  {
    name: 'HTTP 400',
    fake: { signIn: page(400, '400 Bad Request') },
    reason: 'unknown_database',
    kind: 'invalid_request',
    messageParts: ['does not serve the database "odoo18"', 'ODOO_DB'],
  },
  {
    // Odoo 18's response for a database it does not hold, when it has no db_name or dbfilter.
    name: 'HTTP 302 back to the sign-in',
    fake: {
      signIn: page(302, 'Redirecting...', {
        location: '/auth_oauth/signin?access_token=x&state=%7B%22d%22%3A%20%22nodb%22%7D',
        'set-cookie': ANONYMOUS_COOKIE,
      }),
    },
    reason: 'unknown_database',
    kind: 'invalid_request',
    messageParts: ['does not serve the database "odoo18"', 'HTTP 302', 'ODOO_DB'],
  },
  {
    name: 'portal user',
    fake: { signIn: redirectTo('/'), sessionInfo: sessionInfo(PORTAL_INFO) },
    reason: 'not_internal',
    kind: 'access',
    messageParts: ['"nobody@example.com" (uid 12)', 'internal users only', 'Free sign up'],
  },
  {
    name: 'second factor',
    fake: { signIn: redirectTo('/web/login/totp?redirect=%2Fweb') },
    reason: 'two_factor_required',
    kind: 'authentication',
    messageParts: ['second factor', 'ODOO_AUTH=api_key'],
  },
  {
    name: 'oauth_error=1',
    fake: { signIn: redirectTo('/web/login?oauth_error=1', ANONYMOUS_COOKIE) },
    reason: 'unexpected',
    kind: 'transport',
    messageParts: ['HTTP 303 redirecting to /web/login?oauth_error=1', 'auth_signup'],
  },
  {
    name: 'unknown oauth_error',
    fake: { signIn: redirectTo('/web/login?oauth_error=9', ANONYMOUS_COOKIE) },
    reason: 'unexpected',
    kind: 'transport',
    messageParts: ['redirecting to /web/login?oauth_error=9', 'without a known oauth_error'],
  },
  {
    name: 'redirect without cookie',
    fake: { signIn: redirectTo('/web', null) },
    reason: 'unexpected',
    kind: 'transport',
    messageParts: ['HTTP 303 redirecting to /web', 'without setting a session_id cookie'],
  },
  {
    name: 'HTTP 404',
    fake: { signIn: page(404, '404 Not Found') },
    reason: 'unexpected',
    kind: 'transport',
    messageParts: ['HTTP 404', 'auth_oauth module', 'dbfilter'],
  },
  {
    name: 'HTTP 200 page',
    fake: { signIn: page(200, 'Proxy login') },
    reason: 'unexpected',
    kind: 'transport',
    messageParts: ['HTTP 200.', 'ODOO_URL'],
  },
  {
    name: 'HTTP 500',
    fake: { signIn: page(500, '500 Internal Server Error') },
    reason: 'unexpected',
    kind: 'transport',
    messageParts: ['HTTP 500'],
  },
  {
    name: 'redirect quoting the token',
    fake: {
      signIn: page(302, 'Redirecting', {
        location: `/web/proxy-login?${new URLSearchParams({ access_token: TOKEN, state: '{}' })}`,
      }),
    },
    reason: 'unexpected',
    kind: 'transport',
    messageParts: ['HTTP 302 redirecting to /web/proxy-login?access_token=[access token]&state='],
  },
  {
    name: 'session not signed in',
    fake: { sessionInfo: sessionExpired },
    reason: 'unexpected',
    kind: 'transport',
    messageParts: ['HTTP 303 redirecting to /web', 'no signed-in user'],
  },
  {
    name: 'landing page quoting the token',
    fake: {
      signIn: redirectTo(`/web?${new URLSearchParams({ token: TOKEN })}`),
      sessionInfo: sessionExpired,
    },
    reason: 'unexpected',
    kind: 'transport',
    messageParts: ['HTTP 303 redirecting to /web?token=[access token]', 'no signed-in user'],
  },
  {
    name: 'session of another database',
    fake: { sessionInfo: sessionInfo({ ...ALICE_INFO, db: 'other' }) },
    reason: 'unexpected',
    kind: 'transport',
    messageParts: ['database "other", not to "odoo18"'],
  },
];

describe('signInWithGoogle failures', () => {
  it.each(FAILURES.map((failure) => [failure.name, failure] as const))(
    '%s',
    async (_name, failure) => {
      const odoo = await fake.start(fakeOdoo(failure.fake));
      const error = await failureOf(signInWithGoogle(odoo, SIGN_IN));
      expect(error).toBeInstanceOf(OdooSignInError);
      expect((error as OdooSignInError).reason).toBe(failure.reason);
      expect(error.kind).toBe(failure.kind);
      for (const part of failure.messageParts) {
        expect(error.message).toContain(part);
      }
      for (const form of TOKEN_FORMS) {
        expect(error.message).not.toContain(form);
      }
      expect(error.message).not.toContain(SESSION_ID);
    },
  );

  it('signs the portal session out', async () => {
    const odoo = await fake.start(fakeOdoo({ sessionInfo: sessionInfo(PORTAL_INFO) }));
    await failureOf(signInWithGoogle(odoo, SIGN_IN));
    expect(sentPaths()).toEqual([
      '/auth_oauth/signin',
      '/web/session/get_session_info',
      '/web/session/destroy',
    ]);
    expect(fake.server?.requests[2]?.headers.cookie).toBe(`session_id=${SESSION_ID}`);
  });

  it('login page sends no second request', async () => {
    const odoo = await fake.start(fakeOdoo({ signIn: redirectTo('/web/login?oauth_error=2') }));
    await failureOf(signInWithGoogle(odoo, SIGN_IN));
    expect(sentPaths()).toEqual(['/auth_oauth/signin']);
  });

  it('unreachable Odoo is a transport error', async () => {
    const port = await freePort();
    const odoo = fake.clientAt(new URL(`http://127.0.0.1:${port}/`));
    const error = await failureOf(signInWithGoogle(odoo, SIGN_IN));
    expect(error).not.toBeInstanceOf(OdooSignInError);
    expect(error.kind).toBe('transport');
  });
});

describe('signInWithGoogle input checks', () => {
  it.each([0, -3, 1.5, Number.NaN])('rejects provider id %s', async (providerId) => {
    const odoo = await fake.start(fakeOdoo());
    const error = await failureOf(signInWithGoogle(odoo, { providerId, accessToken: TOKEN }));
    expect(error.kind).toBe('invalid_request');
    expect(error.message).toContain('ODOO_OAUTH_PROVIDER_ID');
    expect(fake.server?.requests).toHaveLength(0);
  });

  it('rejects an empty token', async () => {
    const odoo = await fake.start(fakeOdoo());
    const error = await failureOf(signInWithGoogle(odoo, { providerId: 3, accessToken: '' }));
    expect(error.kind).toBe('authentication');
    expect(fake.server?.requests).toHaveLength(0);
  });
});

describe('signInWithGoogle logging', () => {
  const secrets = [...TOKEN_FORMS, SESSION_ID];

  it('logs each call', async () => {
    const lines: string[] = [];
    const odoo = await fake.start(fakeOdoo(), lines);
    await signInWithGoogle(odoo, SIGN_IN);
    const methods = lines.map((line) => (JSON.parse(line) as { odooMethod: string }).odooMethod);
    expect(methods).toEqual(['signin', 'get_session_info']);
  });

  const cases: Array<[string, TestHandler]> = [
    ['success', fakeOdoo()],
    ...FAILURES.map((failure): [string, TestHandler] => [failure.name, fakeOdoo(failure.fake)]),
  ];

  it.each(cases)('%s logs no secret', async (_name, handler) => {
    const lines: string[] = [];
    const odoo = await fake.start(handler, lines);
    await signInWithGoogle(odoo, SIGN_IN).catch(() => undefined);
    expect(lines.length).toBeGreaterThan(0);
    for (const secret of secrets) {
      expect(lines.join('\n')).not.toContain(secret);
    }
  });
});
