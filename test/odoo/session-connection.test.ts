import type { ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { OdooError } from '../../src/odoo/errors.js';
import {
  OdooSignInError,
  type OdooSessionConnection,
  type RenewedSession,
} from '../../src/odoo/web-session/index.js';
import {
  sendJsonRpcError,
  sendJsonRpcResult,
  type ReceivedRequest,
  type TestHandler,
} from './test-server.js';
import { useFakeOdoo } from './fake-odoo.js';
import { paramsOf } from './web-session-recordings.js';
import { failureOf } from '../helpers/odoo-failure.js';

const OLD_SESSION = 'fake-old-session-0f1e2d3c4b5a69788796a5b4c3d2e1f0';
const NEW_SESSION = 'fake-new-session-a1b2c3d4e5f60718293a4b5c6d7e8f90';
const ALICE = { sessionId: OLD_SESSION, uid: 8, login: 'alice@example.com' };

const fake = useFakeOdoo('odoo18');

function cookieSession(request: ReceivedRequest): string | undefined {
  return /(?:^|;\s*)session_id=([^;]*)/.exec(request.headers.cookie ?? '')?.[1];
}

function sendSessionExpired(response: ServerResponse): void {
  const error = {
    code: 100,
    message: 'Odoo Session Expired',
    data: { name: 'odoo.http.SessionExpiredException', message: 'Session expired', debug: '…' },
  };
  response.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
  response.end(JSON.stringify({ jsonrpc: '2.0', id: null, error }));
}

/** Returns a fake Odoo that runs calls in the sessions of `valid` and returns `result`. */
function sessionOdoo(valid: Set<string>, result: unknown = 4): TestHandler {
  return (request, response) => {
    const sessionId = cookieSession(request);
    if (sessionId === undefined || !valid.has(sessionId)) {
      sendSessionExpired(response);
      return;
    }
    sendJsonRpcResult(request, response, result);
  };
}

/** Returns a renewal that returns `renewed` after `delayMs` and counts its calls. */
function countedRenewal(renewed: RenewedSession | (() => Promise<RenewedSession>), delayMs = 0) {
  const counter = {
    calls: 0,
    renew: async (): Promise<RenewedSession> => {
      counter.calls += 1;
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      return typeof renewed === 'function' ? renewed() : renewed;
    },
  };
  return counter;
}

function sentSessions(): Array<string | undefined> {
  return (fake.server?.requests ?? []).map(cookieSession);
}

function countOrders(connection: OdooSessionConnection): Promise<unknown> {
  return connection.executeKw('sale.order', 'search_count', [[]]);
}

describe('session connection calls', () => {
  it('posts call_kw with the cookie', async () => {
    const odoo = await fake.start(sessionOdoo(new Set([OLD_SESSION])));
    const connection = odoo.connectSession(ALICE, countedRenewal(NEW_SESSION).renew);
    const kwargs = { fields: ['name'], limit: 5 };
    await connection.executeKw('res.partner', 'search_read', [[]], kwargs);
    const request = fake.server?.requests[0] as ReceivedRequest;
    expect(request.path).toBe('/web/dataset/call_kw/res.partner/search_read');
    expect(request.headers.cookie).toBe(`session_id=${OLD_SESSION}`);
    expect(JSON.parse(request.body)).toMatchObject({ jsonrpc: '2.0', method: 'call' });
    expect(paramsOf(JSON.parse(request.body))).toEqual({
      model: 'res.partner',
      method: 'search_read',
      args: [[]],
      kwargs,
    });
  });

  it('returns the result', async () => {
    const odoo = await fake.start(sessionOdoo(new Set([OLD_SESSION]), 4));
    const connection = odoo.connectSession(ALICE, countedRenewal(NEW_SESSION).renew);
    expect(await countOrders(connection)).toBe(4);
  });

  it('sends missing kwargs as {}', async () => {
    const odoo = await fake.start(sessionOdoo(new Set([OLD_SESSION])));
    const connection = odoo.connectSession(ALICE, countedRenewal(NEW_SESSION).renew);
    await connection.executeKw('res.users', 'context_get', []);
    expect(paramsOf(fake.server?.jsonBodies()[0]).kwargs).toEqual({});
  });

  it('takes uid and login from the session', async () => {
    const odoo = await fake.start(sessionOdoo(new Set([OLD_SESSION])));
    const connection = odoo.connectSession(ALICE, countedRenewal(NEW_SESSION).renew);
    expect(await connection.uid()).toBe(8);
    expect(connection.login).toBe('alice@example.com');
    expect(connection.currentSessionId()).toBe(OLD_SESSION);
    expect(fake.server?.requests).toHaveLength(0);
  });

  it('reads the version from the client', async () => {
    const odoo = await fake.start((request, response) => {
      const info = { server_version: '18.0', server_version_info: [18, 0, 0, 'final', 0, ''] };
      sendJsonRpcResult(request, response, info);
    });
    const connection = odoo.connectSession(ALICE, countedRenewal(NEW_SESSION).renew);
    expect((await connection.version()).major).toBe(18);
    expect(fake.server?.requests[0]?.path).toBe('/web/webclient/version_info');
  });

  it('classifies errors as JSON-RPC does', async () => {
    const odoo = await fake.start((request, response) => {
      sendJsonRpcError(request, response, 'odoo.exceptions.AccessError', 'Not allowed');
    });
    const renewal = countedRenewal(NEW_SESSION);
    const connection = odoo.connectSession(ALICE, renewal.renew);
    const error = await failureOf(connection.executeKw('sale.order', 'read', [[6]]));
    expect(error.kind).toBe('access');
    expect(error.model).toBe('sale.order');
    expect(error.method).toBe('read');
    expect(renewal.calls).toBe(0);
  });

  it('keeps the session id out of messages', async () => {
    const odoo = await fake.start((request, response) => {
      const message = `invalid input syntax for type integer: "${OLD_SESSION}"`;
      sendJsonRpcError(request, response, 'psycopg2.errors.InvalidTextRepresentation', message);
    });
    const connection = odoo.connectSession(ALICE, countedRenewal(NEW_SESSION).renew);
    const error = await failureOf(connection.executeKw('res.partner', 'read', [[1]]));
    expect(error.message).not.toContain(OLD_SESSION);
    expect(error.message).toContain('[session id]');
  });
});

describe('session connection unknown model', () => {
  it.each([
    ['NotFound from 18.0', 'werkzeug.exceptions.NotFound', '404: Not Found'],
    ['KeyError on 17.0', 'builtins.KeyError', 'no.such.model'],
  ])('reads %s as an unknown model', async (_case, name, message) => {
    const odoo = await fake.start((request, response) => {
      sendJsonRpcError(request, response, name, message);
    });
    const connection = odoo.connectSession(ALICE, countedRenewal(NEW_SESSION).renew);
    const error = await failureOf(connection.executeKw('no.such.model', 'search_count', [[]]));
    expect(error.kind).toBe('invalid_request');
    expect(error.message).toBe("Object no.such.model doesn't exist");
    expect(error.model).toBe('no.such.model');
  });

  it('keeps a KeyError about something else', async () => {
    const odoo = await fake.start((request, response) => {
      sendJsonRpcError(request, response, 'builtins.KeyError', 'partner_id');
    });
    const connection = odoo.connectSession(ALICE, countedRenewal(NEW_SESSION).renew);
    const error = await failureOf(connection.executeKw('res.partner', 'read', [[1]]));
    expect(error.message).toBe('partner_id');
  });
});

describe('session requests of the client', () => {
  it('rejects a session id before sending', async () => {
    const odoo = await fake.start(sessionOdoo(new Set()));
    const infoError = await failureOf(odoo.sessionInfo('a;b'));
    const destroyError = await failureOf(odoo.destroySession(''));
    expect(infoError.kind).toBe('invalid_request');
    expect(destroyError.kind).toBe('invalid_request');
    expect(fake.server?.requests).toHaveLength(0);
  });

  it('session info of an expired session', async () => {
    const odoo = await fake.start(sessionOdoo(new Set()));
    const error = await failureOf(odoo.sessionInfo(OLD_SESSION));
    expect(error.kind).toBe('session_expired');
  });
});

describe('session connection checks', () => {
  it.each(['', 'two words', 'a;b', 'quote"d'])('rejects session id %j', async (sessionId) => {
    const odoo = await fake.start(sessionOdoo(new Set()));
    const renew = countedRenewal(NEW_SESSION).renew;
    expect(() => odoo.connectSession({ ...ALICE, sessionId }, renew)).toThrow(OdooError);
  });

  it.each([0, -1, 2.5])('rejects uid %s', async (uid) => {
    const odoo = await fake.start(sessionOdoo(new Set()));
    const renew = countedRenewal(NEW_SESSION).renew;
    expect(() => odoo.connectSession({ ...ALICE, uid }, renew)).toThrow(OdooError);
  });
});

describe('session renewal', () => {
  it('renews an expired session once', async () => {
    const odoo = await fake.start(sessionOdoo(new Set([NEW_SESSION])));
    const renewal = countedRenewal(NEW_SESSION);
    const connection = odoo.connectSession(ALICE, renewal.renew);
    expect(await countOrders(connection)).toBe(4);
    expect(renewal.calls).toBe(1);
    expect(sentSessions()).toEqual([OLD_SESSION, NEW_SESSION]);
    expect(connection.currentSessionId()).toBe(NEW_SESSION);
  });

  it('later calls use the new session', async () => {
    const odoo = await fake.start(sessionOdoo(new Set([NEW_SESSION])));
    const renewal = countedRenewal(NEW_SESSION);
    const connection = odoo.connectSession(ALICE, renewal.renew);
    await countOrders(connection);
    await countOrders(connection);
    expect(renewal.calls).toBe(1);
    expect(sentSessions()).toEqual([OLD_SESSION, NEW_SESSION, NEW_SESSION]);
  });

  it('accepts a web session from renew', async () => {
    const odoo = await fake.start(sessionOdoo(new Set([NEW_SESSION])));
    const renewed = { sessionId: NEW_SESSION, uid: 8, login: 'alice@example.com' };
    const connection = odoo.connectSession(ALICE, countedRenewal(renewed).renew);
    expect(await countOrders(connection)).toBe(4);
    expect(connection.currentSessionId()).toBe(NEW_SESSION);
  });

  it('resends an expired write', async () => {
    const odoo = await fake.start(sessionOdoo(new Set([NEW_SESSION]), true));
    const renewal = countedRenewal(NEW_SESSION);
    const connection = odoo.connectSession(ALICE, renewal.renew);
    const written = await connection.executeKw('res.partner', 'write', [[7], { name: 'Azure' }]);
    expect(written).toBe(true);
    expect(sentSessions()).toEqual([OLD_SESSION, NEW_SESSION]);
  });

  it('concurrent calls share one renewal', async () => {
    const odoo = await fake.start(sessionOdoo(new Set([NEW_SESSION])));
    const renewal = countedRenewal(NEW_SESSION, 50);
    const connection = odoo.connectSession(ALICE, renewal.renew);
    const results = await Promise.all([
      countOrders(connection),
      countOrders(connection),
      countOrders(connection),
    ]);
    expect(results).toEqual([4, 4, 4]);
    expect(renewal.calls).toBe(1);
    const sessions = sentSessions();
    expect(sessions.filter((id) => id === OLD_SESSION)).toHaveLength(3);
    expect(sessions.filter((id) => id === NEW_SESSION)).toHaveLength(3);
  });

  it('call after a finished renewal skips renew', async () => {
    // The second call started with the old session but failed after the renewal ended.
    let oldAnswers = 0;
    const odoo = await fake.start((request, response) => {
      if (cookieSession(request) === OLD_SESSION) {
        oldAnswers += 1;
        const delayMs = oldAnswers === 1 ? 0 : 100;
        setTimeout(() => sendSessionExpired(response), delayMs);
        return;
      }
      sendJsonRpcResult(request, response, 4);
    });
    const renewal = countedRenewal(NEW_SESSION);
    const connection = odoo.connectSession(ALICE, renewal.renew);
    const results = await Promise.all([countOrders(connection), countOrders(connection)]);
    expect(results).toEqual([4, 4]);
    expect(renewal.calls).toBe(1);
  });
});

describe('session renewal failures', () => {
  it('keeps the sign-in error of renew', async () => {
    const odoo = await fake.start(sessionOdoo(new Set()));
    const signInError = new OdooSignInError('token_refused', 'Odoo did not accept the token.');
    const renewal = countedRenewal(() => Promise.reject(signInError));
    const connection = odoo.connectSession(ALICE, renewal.renew);
    const error = await failureOf(countOrders(connection));
    expect(error).toBe(signInError);
    expect(sentSessions()).toEqual([OLD_SESSION]);
  });

  it('gives every waiting call the error', async () => {
    const odoo = await fake.start(sessionOdoo(new Set()));
    const signInError = new OdooSignInError('token_refused', 'Odoo did not accept the token.');
    const renewal = countedRenewal(() => Promise.reject(signInError), 50);
    const connection = odoo.connectSession(ALICE, renewal.renew);
    const errors = await Promise.all([
      failureOf(countOrders(connection)),
      failureOf(countOrders(connection)),
    ]);
    expect(errors).toEqual([signInError, signInError]);
    expect(renewal.calls).toBe(1);
  });

  it('wraps another error of renew', async () => {
    const odoo = await fake.start(sessionOdoo(new Set()));
    const renewal = countedRenewal(() => Promise.reject(new Error('no Google token is stored')));
    const connection = odoo.connectSession(ALICE, renewal.renew);
    const error = await failureOf(countOrders(connection));
    expect(error.kind).toBe('session_expired');
    expect(error.message).toBe(
      'The Odoo session expired, and opening a new one failed: no Google token is stored',
    );
  });

  it('tries again after a failed renewal', async () => {
    const odoo = await fake.start(sessionOdoo(new Set([NEW_SESSION])));
    let attempts = 0;
    const renewal = countedRenewal(async () => {
      attempts += 1;
      if (attempts === 1) {
        throw new OdooSignInError('token_refused', 'Odoo did not accept the token.');
      }
      return NEW_SESSION;
    });
    const connection = odoo.connectSession(ALICE, renewal.renew);
    await failureOf(countOrders(connection));
    expect(await countOrders(connection)).toBe(4);
    expect(renewal.calls).toBe(2);
  });

  it('fails clearly when the retry expires', async () => {
    const odoo = await fake.start(sessionOdoo(new Set()));
    const renewal = countedRenewal(NEW_SESSION);
    const connection = odoo.connectSession(ALICE, renewal.renew);
    const error = await failureOf(countOrders(connection));
    expect(error.kind).toBe('session_expired');
    expect(error.message).toContain('Odoo ended the new session too');
    expect(error.message).toContain('sale.order.search_count');
    expect(renewal.calls).toBe(1);
    expect(sentSessions()).toEqual([OLD_SESSION, NEW_SESSION]);
  });

  it('rejects a session of another user', async () => {
    const odoo = await fake.start(sessionOdoo(new Set([NEW_SESSION])));
    const renewal = countedRenewal({ sessionId: NEW_SESSION, uid: 9 });
    const connection = odoo.connectSession(ALICE, renewal.renew);
    const error = await failureOf(countOrders(connection));
    expect(error.kind).toBe('authentication');
    expect(error.message).toContain('uid 9');
    expect(error.message).toContain('"alice@example.com" (uid 8)');
    expect(connection.currentSessionId()).toBe(OLD_SESSION);
    expect(sentSessions()).toEqual([OLD_SESSION]);
  });

  it('rejects a renewed id a cookie cannot carry', async () => {
    const odoo = await fake.start(sessionOdoo(new Set()));
    const connection = odoo.connectSession(ALICE, countedRenewal('bad id').renew);
    const error = await failureOf(countOrders(connection));
    expect(error.kind).toBe('invalid_request');
    expect(connection.currentSessionId()).toBe(OLD_SESSION);
  });
});

describe('session connection transport', () => {
  it('retries a read after a dropped connection', async () => {
    const answer = sessionOdoo(new Set([OLD_SESSION]));
    const odoo = await fake.start((request, response, attempt) => {
      if (attempt === 1) {
        response.socket?.destroy();
        return;
      }
      answer(request, response, attempt);
    });
    const renewal = countedRenewal(NEW_SESSION);
    const connection = odoo.connectSession(ALICE, renewal.renew);
    expect(await countOrders(connection)).toBe(4);
    expect(sentSessions()).toEqual([OLD_SESSION, OLD_SESSION]);
    expect(renewal.calls).toBe(0);
  });

  it('sends a write only once', async () => {
    const odoo = await fake.start((_request, response) => {
      response.socket?.destroy();
    });
    const connection = odoo.connectSession(ALICE, countedRenewal(NEW_SESSION).renew);
    const error = await failureOf(connection.executeKw('res.partner', 'write', [[7], {}]));
    expect(error.kind).toBe('transport');
    expect(fake.server?.requests).toHaveLength(1);
  });
});

describe('session connection logging', () => {
  it('logs the renewal without secrets', async () => {
    const lines: string[] = [];
    const odoo = await fake.start(sessionOdoo(new Set([NEW_SESSION])), lines);
    const connection = odoo.connectSession(ALICE, countedRenewal(NEW_SESSION).renew);
    await countOrders(connection);
    const messages = lines.map((line) => (JSON.parse(line) as { message: string }).message);
    expect(messages).toContain('Odoo session expired, opening a new one');
    expect(lines.join('\n')).not.toContain(OLD_SESSION);
    expect(lines.join('\n')).not.toContain(NEW_SESSION);
  });

  it('logs a failed renewal', async () => {
    const lines: string[] = [];
    const odoo = await fake.start(sessionOdoo(new Set()), lines);
    const signInError = new OdooSignInError('token_refused', 'Odoo did not accept the token.');
    const connection = odoo.connectSession(
      ALICE,
      countedRenewal(() => Promise.reject(signInError)).renew,
    );
    await failureOf(countOrders(connection));
    const warning = lines
      .map((line) => JSON.parse(line) as { message: string; errorKind?: string })
      .find((line) => line.message === 'Opening a new Odoo session failed');
    expect(warning?.errorKind).toBe('authentication');
  });
});
