import { createHash } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { isJson2, loadRecordings, type Recording } from './recordings.js';
import { startTestServer, type TestServer } from './test-server.js';

/** A recorded JSON-2 exchange; `body_text` is a body sent as is, not as JSON. */
export type Json2Recording = Recording & {
  request: Recording['request'] & { body_text?: string };
};

/** Loads every `json2_*` and `error_json2_*` recording of Odoo 19.0, sorted by file. */
export function loadJson2Recordings(): Json2Recording[] {
  return loadRecordings().filter(isJson2) as Json2Recording[];
}

/** Returns the file name without its folder, such as `json2_context_get_alice.json`. */
export function fileName(recording: Recording): string {
  return recording.file.split('/')[1] ?? recording.file;
}

/**
 * Replaces the secret placeholders with fakes. An API key placeholder becomes 40 hex digits,
 * the form of a real Odoo key, so that the client tells keys from passwords as it would with
 * real ones. A password placeholder becomes a word that is not shaped like a key.
 */
export function fakeSecret(text: string): string {
  return text.replace(/<([a-z0-9-]+)-(api-key|password)>/g, (_placeholder, owner, kind) => {
    if (kind === 'password') {
      return `fake-${owner}-password`;
    }
    return createHash('sha256').update(`fake key of ${owner}`).digest('hex').slice(0, 40);
  });
}

/** Applies `fakeSecret` to every string in a JSON value. */
export function withFakeKeys<T>(value: T): T {
  return JSON.parse(JSON.stringify(value), (_key, item: unknown) =>
    typeof item === 'string' ? fakeSecret(item) : item,
  ) as T;
}

/** Returns a recorded request header, looked up regardless of case. */
export function recordedHeader(recording: Recording, name: string): string | undefined {
  const headers = recording.request.headers ?? {};
  const found = Object.keys(headers).find((key) => key.toLowerCase() === name.toLowerCase());
  return found === undefined ? undefined : headers[found];
}

/** The model and method of a `/json/2/<model>/<method>` path, or undefined for another path. */
export function modelAndMethod(path: string): { model: string; method: string } | undefined {
  const match = /^\/json\/2\/([^/]+)\/([^/]+)$/.exec(path);
  if (match === null) {
    return undefined;
  }
  return { model: match[1] as string, method: match[2] as string };
}

/** Starts a server that sends the recorded response to every request, whatever its path. */
export async function startJson2ReplayServer(recording: Recording): Promise<TestServer> {
  return startTestServer((_request, response) => sendRecorded(recording, response));
}

function sendRecorded(recording: Recording, response: ServerResponse): void {
  const recorded = recording.response;
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(recorded.headers)) {
    if (name !== 'Set-Cookie') {
      headers[name.toLowerCase()] = value;
    }
  }
  const body =
    typeof recorded.body === 'string' && !headers['content-type']?.includes('json')
      ? recorded.body
      : JSON.stringify(withFakeKeys(recorded.body));
  response.writeHead(recorded.status, headers);
  response.end(body);
}
