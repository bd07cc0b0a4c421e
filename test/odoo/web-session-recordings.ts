import type { ServerResponse } from 'node:http';
import { loadRecordings, type Recording } from './recordings.js';
import { startTestServer, type ReceivedRequest, type TestServer } from './test-server.js';

/** A recorded `GET /auth_oauth/signin`, with its decoded query and its exact URL. */
export type SignInRecording = Recording & {
  request: Recording['request'] & { query: Record<string, string>; url: string };
};

/** The recordings' placeholder for a session id, in `Cookie` and `Set-Cookie`. */
export const SESSION_PLACEHOLDER = '<session-id>';

/** The session id that replayed responses set in place of the placeholder. */
export const FAKE_SESSION_ID = 'fake-session-id-6f1d2c3b4a5e6f708192a3b4c5d6e7f8';

/** Loads the `oauth_*`, `session_*` and `error_session_*` recordings of every version. */
export function loadSessionRecordings(): Recording[] {
  return loadRecordings().filter((recording) => {
    const name = baseName(recording);
    return /^(oauth_|session_|error_session_)/.test(name);
  });
}

/** Returns the file name without its folder and extension, such as `session_destroy`. */
export function baseName(recording: Recording): string {
  const name = recording.file.split('/')[1] ?? recording.file;
  return name.replace(/\.json$/, '');
}

/** Returns the recording `<name>.json` in the folder of `recording`, of the same Odoo version. */
export function sibling(recording: Recording, name: string): Recording {
  const folder = recording.file.split('/')[0];
  const found = loadRecordings().find((other) => other.file === `${folder}/${name}.json`);
  if (found === undefined) {
    throw new Error(`no recording ${folder}/${name}.json`);
  }
  return found;
}

/** Returns the recorded `Set-Cookie` headers, one or several (Odoo 19 sends two). */
export function recordedSetCookies(recording: Recording): string[] {
  const value: unknown = recording.response.headers['Set-Cookie'];
  if (value === undefined) {
    return [];
  }
  return Array.isArray(value) ? (value as string[]) : [value as string];
}

/** The responses of a replay server, by request path without its query string. */
export type ReplayRoutes = Record<string, Recording>;

/**
 * Starts a server that sends, for each path in `routes`, that recording's response, with
 * `FAKE_SESSION_ID` in place of the session placeholder. Other paths get a 404.
 */
export async function startRoutedReplayServer(routes: ReplayRoutes): Promise<TestServer> {
  return startTestServer((request, response) => {
    const recording = routes[pathOf(request)];
    if (recording === undefined) {
      response.writeHead(404, { 'content-type': 'text/plain' });
      response.end(`no recording for ${pathOf(request)}`);
      return;
    }
    sendWithFakeSession(recording, response);
  });
}

/** Returns the path of a received request without its query string. */
export function pathOf(request: ReceivedRequest): string {
  return request.path.split('?')[0] ?? request.path;
}

/** Writes the recorded status, Content-Type, Location, Set-Cookie and body. */
export function sendWithFakeSession(recording: Recording, response: ServerResponse): void {
  const recorded = recording.response;
  const headers: Record<string, string | string[]> = {
    'content-type': recorded.headers['Content-Type'] ?? '',
  };
  const location = recorded.headers['Location'];
  if (location !== undefined) {
    headers.location = location;
  }
  const cookies = recordedSetCookies(recording).map(withFakeSession);
  if (cookies.length > 0) {
    headers['set-cookie'] = cookies;
  }
  const body = typeof recorded.body === 'string' ? recorded.body : JSON.stringify(recorded.body);
  response.writeHead(recorded.status, headers);
  response.end(body);
}

export function withFakeSession(text: string): string {
  return text.replaceAll(SESSION_PLACEHOLDER, FAKE_SESSION_ID);
}

/** Returns the `params` of a JSON-RPC request body. */
export function paramsOf(body: unknown): Record<string, unknown> {
  return (body as { params: Record<string, unknown> }).params;
}

/**
 * Reads the query of a sign-in request as Odoo does: form-decoded parameters, with `state`
 * parsed as JSON and its `r` url-unquoted (werkzeug's `url_unquote_plus`).
 */
export function decodeSignInQuery(pathWithQuery: string): {
  names: string[];
  accessToken: string | null;
  state: { d?: unknown; p?: unknown; r?: string };
} {
  const query = new URLSearchParams(pathWithQuery.split('?')[1] ?? '');
  const state = JSON.parse(query.get('state') ?? 'null') as {
    d?: unknown;
    p?: unknown;
    r?: string;
  };
  if (typeof state.r === 'string') {
    state.r = decodeURIComponent(state.r.replaceAll('+', ' '));
  }
  return { names: [...query.keys()], accessToken: query.get('access_token'), state };
}
