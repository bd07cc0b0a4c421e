import { afterEach, describe, expect, it } from 'vitest';
import { createOdooClient, type OdooClient } from '../../src/odoo/client.js';
import { OdooError } from '../../src/odoo/errors.js';
import { readSessionCookie } from '../../src/odoo/web-session/cookie.js';
import {
  OdooSignInError,
  readSessionInfo,
  signInWithGoogle,
  type OdooSignInReason,
  type OdooWebSession,
} from '../../src/odoo/web-session/index.js';
import { recordedError, recordedResult, withoutId, type Recording } from './recordings.js';
import type { ReceivedRequest, TestServer } from './test-server.js';
import {
  baseName,
  decodeSignInQuery,
  FAKE_SESSION_ID,
  loadSessionRecordings,
  paramsOf,
  recordedSetCookies,
  SESSION_PLACEHOLDER,
  sibling,
  startRoutedReplayServer,
  withFakeSession,
  type SignInRecording,
} from './web-session-recordings.js';

/**
 * Replays the recorded OAuth sign-ins and web-session calls of Odoo 17.0 and 18.0 (19.0 has
 * no such recording) through the client's public API, checking the requests it sends and
 * what it makes of the responses.
 */

const recordings = loadSessionRecordings();
const RENEWED_SESSION_ID = 'fake-renewed-session-id-0a1b2c3d4e5f60718293a4b5c6d7e8f9';

/** The outcome of each recorded sign-in: a session, or the reason of the failure. */
const SIGN_IN_OUTCOMES: Readonly<Record<string, OdooSignInReason | 'signed_in'>> = {
  oauth_signin_success_alice: 'signed_in',
  oauth_signin_success_alice_again: 'signed_in',
  oauth_signin_success_no_redirect_in_state: 'signed_in',
  oauth_signin_invalid_token: 'token_refused',
  oauth_signin_unlinked_subject_b2b: 'no_odoo_user',
  oauth_signin_unlinked_subject_b2c: 'not_internal',
  oauth_signin_state_other_db: 'unknown_database',
};

const SESSION_INFO_FILES = ['oauth_session_get_session_info', 'session_get_session_info'];

/** Model calls in a session. The expired ones need the renewal, which expires again here. */
const CALL_KW_FILES = [
  'oauth_session_call_kw_search_read_sale_order',
  'session_call_kw_search_read_sale_order',
  'error_session_call_kw_access_alice_other_order',
  'error_session_expired_after_destroy',
  'error_session_expired_invalid_cookie',
  'error_session_no_cookie',
];

/** Session info returned by `/web/session/authenticate`, read with the same parser. */
const AUTHENTICATE_INFO_FILES = ['session_authenticate_alice'];

/** Recordings of requests that the web-session client never sends, and why. */
const NOT_SENT: Readonly<Record<string, string>> = {
  error_session_authenticate_api_key: 'password sign-in; classify.test.ts checks the error',
  error_session_authenticate_wrong_password: 'password sign-in; classify.test.ts checks the error',
  oauth_token_as_password_session_authenticate: 'password sign-in; classify.test.ts checks it',
  oauth_token_as_password_authenticate: '/jsonrpc, replayed by replay.test.ts',
  oauth_token_as_password_execute_kw: '/jsonrpc, replayed by replay.test.ts',
};

const HANDLED = new Set([
  ...Object.keys(SIGN_IN_OUTCOMES),
  ...SESSION_INFO_FILES,
  ...CALL_KW_FILES,
  ...AUTHENTICATE_INFO_FILES,
  'session_destroy',
  ...Object.keys(NOT_SENT),
]);

function named(names: readonly string[]): Recording[] {
  return recordings.filter((recording) => names.includes(baseName(recording)));
}

function cases(names: readonly string[]) {
  return named(names).map((recording) => [recording.file, recording] as const);
}

let server: TestServer | undefined;
let client: OdooClient | undefined;

afterEach(async () => {
  await client?.close();
  await server?.close();
  client = undefined;
  server = undefined;
});

function clientOf(db: string): OdooClient {
  client = createOdooClient({ url: (server as TestServer).url, db });
  return client;
}

function versionFolder(recording: Recording): string {
  return recording.file.split('/')[0] ?? '';
}

async function outcomeOf<T>(promise: Promise<T>): Promise<{ value?: T; error?: unknown }> {
  try {
    return { value: await promise };
  } catch (error) {
    return { error };
  }
}

function requestAt(index: number): ReceivedRequest {
  const request = server?.requests[index];
  expect(request).toBeDefined();
  return request as ReceivedRequest;
}

/** Checks a JSON-RPC request against the recorded one, with the fake session in the cookie. */
function expectRecordedRequest(sent: ReceivedRequest, recording: Recording): void {
  expect(sent.path).toBe(recording.request.path);
  expect(withoutId(JSON.parse(sent.body))).toEqual(withoutId(recording.request.body));
  const cookie = recording.request.headers?.['Cookie'];
  expect(sent.headers.cookie).toBe(withFakeSession(cookie ?? `session_id=${SESSION_PLACEHOLDER}`));
}

/** The session that `readSessionInfo` must make of a recorded session info. */
function expectedSession(result: unknown, sessionId: string): OdooWebSession {
  const info = result as {
    uid: number;
    db: string;
    username: string;
    name: string;
    is_internal_user: boolean;
    server_version: string;
    user_context: { lang: string; tz: string | false };
    user_companies: { current_company: number; allowed_companies: Record<string, { id: number }> };
  };
  return {
    sessionId,
    db: info.db,
    uid: info.uid,
    login: info.username,
    name: info.name,
    internal: info.is_internal_user,
    companyId: info.user_companies.current_company,
    companyIds: Object.values(info.user_companies.allowed_companies).map((company) => company.id),
    tz: info.user_context.tz === false ? undefined : info.user_context.tz,
    lang: info.user_context.lang,
    serverVersion: info.server_version,
  };
}

/**
 * No recording has the session info of a portal user. This one follows Odoo 18's
 * `session_info()` (web/models/ir_http.py), which leaves `user_companies` out for users who
 * are not internal, on top of the recorded info of the same version.
 */
function portalSessionInfo(recording: Recording): Recording {
  const internal = sibling(recording, 'oauth_session_get_session_info');
  const body = structuredClone(internal.response.body) as { result: Record<string, unknown> };
  const { user_companies: _companies, ...result } = body.result;
  body.result = {
    ...result,
    uid: 12,
    is_internal_user: false,
    name: 'nobody@example.com',
    username: 'nobody@example.com',
    user_context: { lang: 'en_US', tz: false, uid: 12 },
  };
  return { ...internal, response: { ...internal.response, body } };
}

describe('web-session recordings', () => {
  it('each one is replayed or explained', () => {
    const names = new Set(recordings.map(baseName));
    expect([...names].sort()).toEqual([...HANDLED].sort());
  });

  it('sign-ins cover both versions', () => {
    const versions = new Set(named(Object.keys(SIGN_IN_OUTCOMES)).map(versionFolder));
    expect([...versions].sort()).toEqual(['odoo17', 'odoo18']);
  });
});

describe('replayed Google sign-in', () => {
  it.each(cases(Object.keys(SIGN_IN_OUTCOMES)))('replays %s', async (_file, recording) => {
    const signIn = recording as SignInRecording;
    const recordedState = JSON.parse(signIn.request.query.state ?? '{}') as {
      d: string;
      p: number;
      r?: string;
    };
    server = await startRoutedReplayServer({
      '/auth_oauth/signin': recording,
      '/web/session/get_session_info':
        baseName(recording) === 'oauth_signin_unlinked_subject_b2c'
          ? portalSessionInfo(recording)
          : sibling(recording, 'oauth_session_get_session_info'),
      '/web/session/destroy': sibling(recording, 'session_destroy'),
    });
    const odoo = clientOf(recordedState.d);
    const accessToken = signIn.request.query.access_token as string;
    const outcome = await outcomeOf(
      signInWithGoogle(odoo, { providerId: recordedState.p, accessToken }),
    );

    const sent = decodeSignInQuery(requestAt(0).path);
    expect(requestAt(0).path.split('?')[0]).toBe('/auth_oauth/signin');
    // Odoo reads only access_token and state. The recordings also carry the token_type,
    // expires_in and scope of Google's redirect, which the bridge has no reason to send.
    expect(sent.names).toEqual(['access_token', 'state']);
    expect(sent.accessToken).toBe(accessToken);
    expect(sent.state.d).toBe(recordedState.d);
    expect(sent.state.p).toBe(recordedState.p);
    expect(sent.state.r).toBe('/web');
    if (recordedState.r !== undefined) {
      expect(new URL(decodeURIComponent(recordedState.r)).pathname).toBe(sent.state.r);
    }
    expect(requestAt(0).headers.cookie).toBeUndefined();

    checkSignInOutcome(recording, outcome, accessToken);
  });
});

function checkSignInOutcome(
  recording: Recording,
  outcome: { value?: OdooWebSession; error?: unknown },
  accessToken: string,
): void {
  const expected = SIGN_IN_OUTCOMES[baseName(recording)];
  if (expected === 'signed_in') {
    const info = sibling(recording, 'oauth_session_get_session_info');
    expect(outcome.error).toBeUndefined();
    expect(outcome.value).toEqual(expectedSession(recordedResult(info), FAKE_SESSION_ID));
    expectRecordedRequest(requestAt(1), info);
    expect(server?.requests).toHaveLength(2);
    return;
  }
  expect(outcome.error).toBeInstanceOf(OdooSignInError);
  const error = outcome.error as OdooSignInError;
  expect(error.reason).toBe(expected);
  expect(error.message).not.toContain(accessToken);
  expect(error.message).not.toContain(FAKE_SESSION_ID);
  if (expected === 'not_internal') {
    // The portal session is signed out, so it does not stay open unused.
    expect(server?.requests.map((request) => request.path)).toEqual([
      requestAt(0).path,
      '/web/session/get_session_info',
      '/web/session/destroy',
    ]);
    expectRecordedRequest(requestAt(2), sibling(recording, 'session_destroy'));
    return;
  }
  expect(server?.requests).toHaveLength(1);
}

describe('replayed session info', () => {
  it.each(cases(SESSION_INFO_FILES))('replays %s', async (_file, recording) => {
    server = await startRoutedReplayServer({ '/web/session/get_session_info': recording });
    const odoo = clientOf(versionFolder(recording));
    const session = await odoo.sessionInfo(FAKE_SESSION_ID);
    expectRecordedRequest(requestAt(0), recording);
    expect(session).toEqual(expectedSession(recordedResult(recording), FAKE_SESSION_ID));
  });

  it.each(cases(AUTHENTICATE_INFO_FILES))('reads the info of %s', (_file, recording) => {
    const session = readSessionInfo(recordedResult(recording), 'some-session');
    expect(session).toEqual(expectedSession(recordedResult(recording), 'some-session'));
  });

  it.each(cases(AUTHENTICATE_INFO_FILES))('reads the cookie of %s', (_file, recording) => {
    expect(readSessionCookie(recordedSetCookies(recording))).toBe(SESSION_PLACEHOLDER);
  });
});

describe('replayed session calls', () => {
  it.each(cases(CALL_KW_FILES))('replays %s', async (_file, recording) => {
    server = await startRoutedReplayServer({ [recording.request.path]: recording });
    const odoo = clientOf(versionFolder(recording));
    let renewals = 0;
    const renew = async () => {
      renewals += 1;
      return RENEWED_SESSION_ID;
    };
    const session = { sessionId: FAKE_SESSION_ID, uid: 8, login: 'alice@example.com' };
    const connection = odoo.connectSession(session, renew);
    const params = paramsOf(recording.request.body);
    const outcome = await outcomeOf(
      connection.executeKw(
        params.model as string,
        params.method as string,
        params.args as unknown[],
        params.kwargs as Record<string, unknown>,
      ),
    );

    expect(requestAt(0).path).toBe(recording.request.path);
    expect(withoutId(JSON.parse(requestAt(0).body))).toEqual(withoutId(recording.request.body));
    // The client always sends its session. The no-cookie recording shows that Odoo returns the
    // same error for a request without a session cookie as for an expired session.
    expect(requestAt(0).headers.cookie).toBe(`session_id=${FAKE_SESSION_ID}`);
    checkCallOutcome(recording, outcome, renewals);
  });
});

function checkCallOutcome(
  recording: Recording,
  outcome: { value?: unknown; error?: unknown },
  renewals: number,
): void {
  const failure = recordedError(recording);
  if (failure === undefined) {
    expect(outcome.error).toBeUndefined();
    expect(outcome.value).toEqual(recordedResult(recording));
    expect(renewals).toBe(0);
    return;
  }
  expect(outcome.error).toBeInstanceOf(OdooError);
  const error = outcome.error as OdooError;
  if (failure.code !== 100) {
    expect(error.kind).toBe('access');
    expect(error.message).toBe(failure.data.message);
    expect(renewals).toBe(0);
    return;
  }
  // The replay server sends the same expiry for the renewed session as for the first one.
  expect(error.kind).toBe('session_expired');
  expect(error.message).toContain('Odoo ended the new session too');
  expect(renewals).toBe(1);
  expect(server?.requests).toHaveLength(2);
  expect(requestAt(1).headers.cookie).toBe(`session_id=${RENEWED_SESSION_ID}`);
}

describe('replayed session destroy', () => {
  it.each(cases(['session_destroy']))('replays %s', async (_file, recording) => {
    server = await startRoutedReplayServer({ '/web/session/destroy': recording });
    const odoo = clientOf(versionFolder(recording));
    await expect(odoo.destroySession(FAKE_SESSION_ID)).resolves.toBeUndefined();
    expectRecordedRequest(requestAt(0), recording);
  });
});
