import type {
  DemoOdooOptions,
  GoogleIdentity,
  OdooSeries,
  RunningDemoOdoo,
} from '../../src/demo/odoo/index.js';
import { startDemoOdoo } from '../../src/demo/odoo/index.js';
import { type HttpAnswer, send, TODAY } from './helpers.js';

/** The Google provider of the demo data and of the recordings. */
export const GOOGLE_PROVIDER = 3;

/**
 * The tokens of the recordings' stand-in for Google, by access token. alice's subject is the
 * one the recorded database linked her to; the other two subjects belong to no user.
 */
export const GOOGLE_TOKENS: Record<string, GoogleIdentity> = {
  'fake-google-token-alice': { sub: '1000001', email: 'alice@example.com', name: 'Alice Sales' },
  'fake-google-token-stranger': {
    sub: '8888888',
    email: 'stranger@example.com',
    name: 'Stranger',
  },
  'fake-google-token-nobody': { sub: '9999999', email: 'nobody@example.com', name: 'Nobody' },
};

/** Returns a validator that accepts the recorded tokens and lists the tokens it checked. */
export function recordingValidator(tokens: Record<string, GoogleIdentity> = GOOGLE_TOKENS) {
  const checked: string[] = [];
  const validator = (accessToken: string): Promise<GoogleIdentity | undefined> => {
    checked.push(accessToken);
    return Promise.resolve(tokens[accessToken]);
  };
  return { validator, checked };
}

/** Starts a demo whose alice is linked to the recorded subject 1000001. */
export function startOAuthDemo(
  version: OdooSeries = '18.0',
  options: DemoOdooOptions = {},
): Promise<RunningDemoOdoo> {
  return startDemoOdoo({
    version,
    today: TODAY,
    port: 0,
    googleTokenValidator: recordingValidator().validator,
    oauthUids: { 'alice@example.com': '1000001' },
    ...options,
  });
}

/** Builds the sign-in path as Google's redirect to auth_oauth makes it. */
export function signInPath(accessToken: string, state: Record<string, unknown>): string {
  const query = new URLSearchParams({
    access_token: accessToken,
    state: JSON.stringify(state),
    token_type: 'Bearer',
    expires_in: '3599',
    scope: 'openid email profile',
  });
  return `/auth_oauth/signin?${query.toString()}`;
}

/**
 * Sends a Google sign-in for the demo's database and the Google provider, with the other keys
 * of `state`. By default `r` is the recorded `http://127.0.0.1:8018/web`.
 */
export function signIn(
  running: RunningDemoOdoo,
  accessToken: string,
  state: Record<string, unknown> = { r: encodeURIComponent('http://127.0.0.1:8018/web') },
  cookie?: string,
): Promise<HttpAnswer> {
  const fullState = { d: running.demo.db, p: GOOGLE_PROVIDER, ...state };
  const headers: Record<string, string> = cookie === undefined ? {} : { Cookie: cookie };
  return send(running, signInPath(accessToken, fullState), undefined, 'GET', headers);
}

/** Returns the session id a response sets, or undefined. */
export function sessionIdOf(answer: HttpAnswer): string | undefined {
  const cookies = answer.headers.getSetCookie();
  const value = /^session_id=([^;]*)/.exec(cookies.at(-1) ?? '')?.[1];
  return value === undefined || value === '' ? undefined : value;
}

/** Signs alice in with her recorded token and returns the session id. */
export async function aliceSession(running: RunningDemoOdoo): Promise<string> {
  const sessionId = sessionIdOf(await signIn(running, 'fake-google-token-alice'));
  if (sessionId === undefined) {
    throw new Error('The sign-in of alice set no session cookie');
  }
  return sessionId;
}

/** Sends `/web/session/authenticate`, the password sign-in that opens a web session. */
export function passwordSignIn(
  running: RunningDemoOdoo,
  login: string,
  password: string,
): Promise<HttpAnswer> {
  const params = { db: running.demo.db, login, password };
  return send(running, '/web/session/authenticate', {
    jsonrpc: '2.0',
    method: 'call',
    params,
    id: 5,
  });
}

/** Posts a JSON-RPC call to a web-client route with the session cookie. */
export function postWithSession(
  running: RunningDemoOdoo,
  path: string,
  sessionId: string | undefined,
  params: Record<string, unknown> = {},
  id = 1,
): Promise<HttpAnswer> {
  const headers: Record<string, string> =
    sessionId === undefined ? {} : { Cookie: `session_id=${sessionId}` };
  return send(running, path, { jsonrpc: '2.0', method: 'call', params, id }, 'POST', headers);
}

/** Calls `/web/dataset/call_kw/<model>/<method>` in a session. */
export function callKw(
  running: RunningDemoOdoo,
  sessionId: string | undefined,
  model: string,
  method: string,
  args: unknown[],
  kwargs: Record<string, unknown> = {},
): Promise<HttpAnswer> {
  const path = `/web/dataset/call_kw/${model}/${method}`;
  return postWithSession(running, path, sessionId, { model, method, args, kwargs });
}

/** The JSON-RPC body of a web-client response. */
export interface RpcBody {
  jsonrpc: string;
  id: unknown;
  result?: unknown;
  error?: { code: number; message: string; data: { name: string; message: string } };
}

export function rpcBody(answer: HttpAnswer): RpcBody {
  return answer.body as RpcBody;
}
