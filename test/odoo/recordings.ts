import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** One recorded exchange with a real Odoo server, as described in the recordings' README. */
export interface Recording {
  /** Folder and file name, such as `odoo17/version_info.json`. */
  file: string;
  description: string;
  odoo_version: string;
  request: {
    method: string;
    path: string;
    headers?: Record<string, string>;
    body?: unknown;
  };
  response: {
    status: number;
    headers: Record<string, string>;
    body: unknown;
  };
}

/** The `params` of a recorded `/jsonrpc` request. */
export interface RecordedParams {
  service: string;
  method: string;
  args: unknown[];
}

export interface RecordedError {
  code: number;
  message: string;
  data: { name: string; message: string };
}

const RECORDINGS_DIR = fileURLToPath(new URL('../fixtures/odoo-recordings/', import.meta.url));
const VERSION_FOLDERS = ['odoo17', 'odoo18', 'odoo19'];

/** Reads every recording of Odoo 17.0, 18.0 and 19.0, sorted by file. */
export function loadRecordings(): Recording[] {
  const recordings: Recording[] = [];
  for (const folder of VERSION_FOLDERS) {
    const names = readdirSync(`${RECORDINGS_DIR}${folder}`).filter((name) =>
      name.endsWith('.json'),
    );
    for (const name of names.sort()) {
      const text = readFileSync(`${RECORDINGS_DIR}${folder}/${name}`, 'utf8');
      recordings.push({
        ...(JSON.parse(text) as Omit<Recording, 'file'>),
        file: `${folder}/${name}`,
      });
    }
  }
  return recordings;
}

/** Tells whether a recording uses the JSON-2 API; json2-replay.test.ts replays those. */
export function isJson2(recording: Recording): boolean {
  const name = recording.file.split('/')[1] ?? '';
  return name.startsWith('json2_') || name.startsWith('error_json2_');
}

/** Tells whether the JSON-RPC replay covers a recording: `/jsonrpc` and `/web/webclient/version_info`. */
export function isReplayable(recording: Recording): boolean {
  const path = recording.request.path;
  return !isJson2(recording) && (path === '/jsonrpc' || path === '/web/webclient/version_info');
}

export function recordedParams(recording: Recording): RecordedParams {
  return (recording.request.body as { params: RecordedParams }).params;
}

/** Returns the JSON-RPC `error` of a recorded response, or undefined for a success or JSON-2. */
export function recordedError(recording: Recording): RecordedError | undefined {
  const body = recording.response.body;
  if (isJson2(recording) || typeof body !== 'object' || body === null) {
    return undefined;
  }
  return (body as { error?: RecordedError }).error;
}

export function recordedResult(recording: Recording): unknown {
  return (recording.response.body as { result?: unknown }).result;
}

/**
 * Swaps the recordings' secret placeholders (`<alice-api-key>`, `<admin-password>`, …) for
 * fake values, so the client sends something shaped like a real credential.
 */
export function withFakeSecrets<T>(value: T): T {
  return JSON.parse(JSON.stringify(value), (_key, item: unknown) => {
    if (typeof item !== 'string') {
      return item;
    }
    return item.replace(/^<([a-z0-9-]+-(?:password|api-key))>$/, 'fake-$1-0123456789');
  }) as T;
}

/** Drops the JSON-RPC `id`, which the client numbers on its own. */
export function withoutId(body: unknown): unknown {
  const { id: _id, ...rest } = body as Record<string, unknown>;
  return rest;
}
