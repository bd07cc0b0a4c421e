import { afterEach, describe, expect, it } from 'vitest';
import { createOdooClient, type OdooClient } from '../../src/odoo/client.js';
import { OdooError } from '../../src/odoo/errors.js';
import { EXPECTED_KINDS } from './expected-kinds.js';
import {
  isReplayable,
  loadRecordings,
  recordedError,
  recordedParams,
  recordedResult,
  withFakeSecrets,
  withoutId,
  type Recording,
} from './recordings.js';
import { startReplayServer, type TestServer } from './test-server.js';

const replayable = loadRecordings().filter(isReplayable);

/** Returns the database the recorded request names, or a stand-in where it names none. */
function databaseOf(recording: Recording): string {
  if (recording.request.path !== '/jsonrpc') {
    return recording.file.split('/')[0] ?? 'odoo';
  }
  const params = recordedParams(recording);
  const first = params.args[0];
  return params.service === 'common' && params.method === 'version' ? 'odoo' : String(first);
}

/** Makes the call the recording shows, through the client's public API. */
async function replayCall(client: OdooClient, recording: Recording): Promise<unknown> {
  if (recording.request.path === '/web/webclient/version_info') {
    return client.version();
  }
  const params = withFakeSecrets(recordedParams(recording));
  const args = params.args;
  if (params.service === 'common' && params.method === 'authenticate') {
    return client.authenticate({ login: args[1] as string, apiKey: args[2] as string });
  }
  if (params.service === 'object' && params.method === 'execute_kw') {
    const connection = client.connect(
      { login: 'replayed-user@example.com', apiKey: args[2] as string },
      args[1] as number,
    );
    const kwargs = args[6] as Record<string, unknown>;
    return connection.executeKw(args[3] as string, args[4] as string, args[5] as unknown[], kwargs);
  }
  return client.call(params.service, params.method, args);
}

async function outcomeOf(promise: Promise<unknown>): Promise<{ value?: unknown; error?: unknown }> {
  try {
    return { value: await promise };
  } catch (error) {
    return { error };
  }
}

function asOdooError(error: unknown): OdooError {
  expect(error).toBeInstanceOf(OdooError);
  return error as OdooError;
}

describe('replay of recorded Odoo exchanges', () => {
  let server: TestServer | undefined;
  let client: OdooClient | undefined;

  afterEach(async () => {
    await client?.close();
    await server?.close();
  });

  it('covers all three Odoo versions', () => {
    const versions = new Set(replayable.map((recording) => recording.odoo_version));
    expect([...versions].sort()).toEqual(['17.0', '18.0', '19.0']);
  });

  it.each(replayable.map((recording) => [recording.file, recording] as const))(
    'replays %s',
    async (_file, recording) => {
      server = await startReplayServer(recording);
      client = createOdooClient(
        { url: server.url, db: databaseOf(recording) },
        { protocol: 'jsonrpc' },
      );
      const outcome = await outcomeOf(replayCall(client, recording));

      const sent = server.jsonBodies();
      expect(sent).toHaveLength(1);
      expect(withoutId(sent[0])).toEqual(withoutId(withFakeSecrets(recording.request.body)));
      expect(server.requests[0]?.path).toBe(recording.request.path);

      checkOutcome(recording, outcome);
    },
  );
});

function checkOutcome(recording: Recording, outcome: { value?: unknown; error?: unknown }): void {
  const recordedFailure = recordedError(recording);
  const result = recordedResult(recording);
  if (recordedFailure !== undefined) {
    const error = asOdooError(outcome.error);
    expect(error.kind).toBe(EXPECTED_KINDS[recording.file]);
    expect(error.message).toBe(recordedFailure.data.message);
    expect(error.odooName).toBe(recordedFailure.data.name);
    return;
  }
  if (recording.request.path === '/web/webclient/version_info') {
    const info = result as { server_version: string; server_version_info: unknown[] };
    expect(outcome.value).toEqual({
      serverVersion: info.server_version,
      major: info.server_version_info[0],
      minor: info.server_version_info[1],
      versionInfo: info.server_version_info,
    });
    return;
  }
  if (result === false && recordedParams(recording).method === 'authenticate') {
    expect(asOdooError(outcome.error).kind).toBe('authentication');
    return;
  }
  expect(outcome.error).toBeUndefined();
  expect(outcome.value).toEqual(result);
}
