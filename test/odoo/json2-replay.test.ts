import { afterEach, describe, expect, it } from 'vitest';
import { createOdooClient, type OdooClient } from '../../src/odoo/client.js';
import { OdooError } from '../../src/odoo/errors.js';
import { EXPECTED_JSON2_KINDS } from './json2-kinds.js';
import {
  fakeSecret,
  fileName,
  loadJson2Recordings,
  modelAndMethod,
  recordedHeader,
  startJson2ReplayServer,
  withFakeKeys,
  type Json2Recording,
} from './json2-recordings.js';
import type { TestServer } from './test-server.js';

/**
 * Replays every JSON-2 exchange recorded from Odoo 19.0 through the client's public API: the
 * call is made in execute_kw style, so the client must turn it back into the recorded body.
 */

const recordings = loadJson2Recordings();

/**
 * The positional parameters of Odoo 19.0 methods, written out here apart from the client's
 * table, to turn a recorded body back into execute_kw `args`.
 */
const POSITIONAL: Readonly<Record<string, { ids: boolean; names: string[] }>> = {
  search: { ids: false, names: ['domain', 'offset', 'limit', 'order'] },
  search_count: { ids: false, names: ['domain', 'limit'] },
  search_read: { ids: false, names: ['domain', 'fields', 'offset', 'limit', 'order'] },
  read: { ids: true, names: ['fields', 'load'] },
  write: { ids: true, names: ['vals'] },
  create: { ids: false, names: ['vals_list'] },
  unlink: { ids: true, names: [] },
  fields_get: { ids: false, names: ['allfields', 'attributes'] },
  name_search: { ids: false, names: ['name', 'domain', 'operator', 'limit'] },
  read_group: { ids: false, names: ['domain', 'fields', 'groupby', 'offset', 'limit'] },
  formatted_read_group: { ids: false, names: ['domain', 'groupby', 'aggregates', 'having'] },
  web_search_read: { ids: false, names: ['domain', 'specification'] },
  web_read_group: { ids: false, names: ['domain', 'groupby', 'aggregates'] },
  has_access: { ids: true, names: ['operation'] },
  generate: { ids: false, names: ['key', 'scope', 'name', 'expiration_date'] },
  revoke: { ids: false, names: ['key'] },
};

interface ExecuteKwCall {
  model: string;
  method: string;
  args: unknown[];
  kwargs: Record<string, unknown>;
}

/**
 * Moves the leading named arguments of a recorded body into `args`, in signature order, as
 * far as they are present. Other keys stay keyword arguments.
 */
function executeKwCall(model: string, method: string, body: Record<string, unknown>) {
  const rest = { ...body };
  const args: unknown[] = [];
  const signature = POSITIONAL[method];
  if (signature === undefined || (signature.ids && !('ids' in rest))) {
    return { model, method, args, kwargs: rest };
  }
  if (signature.ids) {
    args.push(rest.ids);
    delete rest.ids;
  }
  for (const name of signature.names) {
    if (!(name in rest)) {
      break;
    }
    args.push(rest[name]);
    delete rest[name];
  }
  return { model, method, args, kwargs: rest };
}

/** Builds the call the recording shows, or a stand-in where the client cannot send it. */
function callOf(recording: Json2Recording): ExecuteKwCall {
  const target = modelAndMethod(recording.request.path);
  if (target === undefined) {
    return { model: 'res.partner', method: 'search_count', args: [[]], kwargs: {} };
  }
  const body = withFakeKeys(recording.request.body ?? {}) as Record<string, unknown>;
  return executeKwCall(target.model, target.method, body);
}

/** Tells whether the client sends the very request recorded: POST, JSON, a bearer key. */
function isSendable(recording: Json2Recording): boolean {
  return (
    recording.request.method === 'POST' &&
    modelAndMethod(recording.request.path) !== undefined &&
    recording.request.body !== undefined &&
    recordedHeader(recording, 'Content-Type') === 'application/json' &&
    recordedHeader(recording, 'Authorization') !== undefined &&
    recordedHeader(recording, 'Cookie') === undefined
  );
}

function recordedKey(recording: Json2Recording): string {
  const token = recordedHeader(recording, 'Authorization')?.replace(/^Bearer /, '');
  return fakeSecret(token ?? '<alice-api-key>');
}

async function outcomeOf(promise: Promise<unknown>): Promise<{ value?: unknown; error?: unknown }> {
  try {
    return { value: await promise };
  } catch (error) {
    return { error };
  }
}

describe('replay of recorded JSON-2 exchanges', () => {
  let server: TestServer | undefined;
  let client: OdooClient | undefined;

  afterEach(async () => {
    await client?.close();
    await server?.close();
  });

  it('covers every JSON-2 recording', () => {
    expect(recordings.length).toBe(77);
    expect(recordings.filter(isSendable).length).toBeGreaterThan(60);
  });

  it.each(recordings.map((recording) => [recording.file, recording] as const))(
    'replays %s',
    async (_file, recording) => {
      server = await startJson2ReplayServer(recording);
      const db = recordedHeader(recording, 'X-Odoo-Database') ?? 'odoo19';
      client = createOdooClient({ url: server.url, db }, { protocol: 'json2' });
      const call = callOf(recording);
      const connection = client.connect(
        { login: 'alice@example.com', apiKey: recordedKey(recording) },
        7,
      );
      const outcome = await outcomeOf(
        connection.executeKw(call.model, call.method, call.args, call.kwargs),
      );

      expect(server.requests).toHaveLength(1);
      const sent = server.requests[0]!;
      expect(sent.headers['content-type']).toBe('application/json');
      expect(sent.headers['x-odoo-database']).toBe(db);
      expect(sent.headers['authorization']).toBe(`Bearer ${recordedKey(recording)}`);
      expect(sent.headers['cookie']).toBeUndefined();
      if (isSendable(recording)) {
        expect(sent.path).toBe(recording.request.path);
        expect(JSON.parse(sent.body)).toEqual(withFakeKeys(recording.request.body));
      }
      checkOutcome(recording, outcome);
    },
  );
});

function checkOutcome(recording: Json2Recording, outcome: { value?: unknown; error?: unknown }) {
  const { status, body } = recording.response;
  if (status === 200) {
    expect(outcome.error).toBeUndefined();
    expect(outcome.value).toEqual(withFakeKeys(body));
    return;
  }
  expect(outcome.error).toBeInstanceOf(OdooError);
  const error = outcome.error as OdooError;
  expect(error.kind).toBe(EXPECTED_JSON2_KINDS[recording.file]);
  expect(error.httpStatus).toBe(status);
  expect(error.message).not.toContain(recordedKey(recording));
  if (typeof body === 'object' && body !== null) {
    const recorded = body as { name: string; message: string };
    expect(error.odooName).toBe(recorded.name);
    if (status !== 401) {
      expect(error.message).toBe(recorded.message);
    }
  }
}

describe('JSON-2 request details', () => {
  let server: TestServer | undefined;
  let client: OdooClient | undefined;

  afterEach(async () => {
    await client?.close();
    await server?.close();
  });

  function find(name: string): Json2Recording {
    const found = recordings.find((recording) => fileName(recording) === name);
    if (found === undefined) {
      throw new Error(`No recording ${name}`);
    }
    return found;
  }

  it('no-argument call sends an empty object', async () => {
    server = await startJson2ReplayServer(find('json2_context_get_no_body.json'));
    client = createOdooClient({ url: server.url, db: 'odoo19' }, { protocol: 'json2' });
    const connection = client.connect({ login: 'alice@example.com', apiKey: 'a'.repeat(40) }, 7);
    const result = await connection.executeKw('res.users', 'context_get', []);
    expect(result).toEqual({ lang: 'en_US', tz: false, uid: 7 });
    expect(server.requests[0]?.body).toBe('{}');
  });

  it('base URL path is kept', async () => {
    server = await startJson2ReplayServer(find('json2_search_count_sale_order_alice.json'));
    const url = new URL('erp/', server.url);
    client = createOdooClient({ url, db: 'odoo19' }, { protocol: 'json2' });
    const connection = client.connect({ login: 'alice@example.com', apiKey: 'a'.repeat(40) }, 7);
    expect(await connection.executeKw('sale.order', 'search_count', [[]])).toBe(4);
    expect(server.requests[0]?.path).toBe('/erp/json/2/sale.order/search_count');
  });

  it('unnamed positional arguments send nothing', async () => {
    server = await startJson2ReplayServer(find('json2_search_count_sale_order_alice.json'));
    client = createOdooClient({ url: server.url, db: 'odoo19' }, { protocol: 'json2' });
    const connection = client.connect({ login: 'alice@example.com', apiKey: 'a'.repeat(40) }, 7);
    const outcome = await outcomeOf(connection.executeKw('sale.order', 'action_confirm', [[4]]));
    expect((outcome.error as OdooError).kind).toBe('invalid_request');
    expect(server.requests).toHaveLength(0);
  });

  it('empty key is rejected before sending', async () => {
    server = await startJson2ReplayServer(find('json2_search_count_sale_order_alice.json'));
    client = createOdooClient({ url: server.url, db: 'odoo19' }, { protocol: 'json2' });
    const connection = client.connect({ login: 'alice@example.com', apiKey: '' }, 7);
    const outcome = await outcomeOf(connection.executeKw('sale.order', 'search_count', [[]]));
    expect((outcome.error as OdooError).kind).toBe('authentication');
    expect((outcome.error as OdooError).message).toContain('No Odoo API key was given');
    expect(server.requests).toHaveLength(0);
  });
});
