import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log/logger.js';
import {
  createOdooClient,
  type OdooClient,
  type OdooClientOptions,
} from '../../src/odoo/client.js';
import { OdooError } from '../../src/odoo/errors.js';
import {
  sendJsonRpcError,
  sendJsonRpcResult,
  startTestServer,
  type ReceivedRequest,
  type TestHandler,
  type TestServer,
} from './test-server.js';
import { failureOf } from '../helpers/odoo-failure.js';

const ALICE = { login: 'alice@example.com', apiKey: 'fake-alice-api-key-0123456789' };
const ALICE_NEW_KEY = { login: 'alice@example.com', apiKey: 'fake-alice-new-api-key-9876543210' };
const ALICE_UID = 8;

let server: TestServer | undefined;
let client: OdooClient | undefined;

afterEach(async () => {
  await client?.close();
  await server?.close();
  client = undefined;
  server = undefined;
});

interface SentParams {
  service: string;
  method: string;
  args: unknown[];
}

function paramsOf(request: ReceivedRequest): SentParams {
  return (JSON.parse(request.body) as { params: SentParams }).params;
}

/** Returns `uid` for `common.authenticate` and `result` for every `execute_kw`. */
function odooAnswering(uid: number | false, result: unknown = 4): TestHandler {
  return (request, response) => {
    const params = paramsOf(request);
    sendJsonRpcResult(request, response, params.method === 'authenticate' ? uid : result);
  };
}

async function clientFor(handler: TestHandler, options: OdooClientOptions = {}) {
  server = await startTestServer(handler);
  client = createOdooClient({ url: server.url, db: 'odoo17' }, { protocol: 'jsonrpc', ...options });
  return client;
}

function sentMethods(): string[] {
  return (server?.requests ?? []).map((request) => paramsOf(request).method);
}

describe('authenticate', () => {
  it('returns the uid Odoo sends', async () => {
    const odoo = await clientFor(odooAnswering(ALICE_UID));
    expect(await odoo.authenticate(ALICE)).toBe(ALICE_UID);
  });

  it('false names every possible cause', async () => {
    const odoo = await clientFor(odooAnswering(false));
    const error = await failureOf(odoo.authenticate(ALICE));
    expect(error.kind).toBe('authentication');
    expect(error.message).toContain('wrong, revoked or expired');
    expect(error.message).toContain('belong to another person');
    expect(error.message).toContain('archived');
    expect(error.message).toContain('the login may not exist');
    expect(error.message).toContain('Preferences › Account Security › New API Key');
    expect(error.message).toContain('"alice@example.com"');
  });

  it('false message omits the API key', async () => {
    const odoo = await clientFor(odooAnswering(false));
    const error = await failureOf(odoo.authenticate(ALICE));
    expect(error.message).not.toContain(ALICE.apiKey);
  });

  it('non-uid result is a transport error', async () => {
    const odoo = await clientFor(odooAnswering('eight' as unknown as number));
    const error = await failureOf(odoo.authenticate(ALICE));
    expect(error.kind).toBe('transport');
  });
});

describe('uid cache', () => {
  it('second uid call sends nothing', async () => {
    const odoo = await clientFor(odooAnswering(ALICE_UID));
    const connection = odoo.connect(ALICE);
    expect(await connection.uid()).toBe(ALICE_UID);
    expect(await connection.uid()).toBe(ALICE_UID);
    expect(server?.requests).toHaveLength(1);
  });

  it('new connection reuses the uid', async () => {
    const odoo = await clientFor(odooAnswering(ALICE_UID));
    await odoo.connect(ALICE).uid();
    await odoo.connect(ALICE).uid();
    expect(server?.requests).toHaveLength(1);
  });

  it('new key for same login re-authenticates', async () => {
    const odoo = await clientFor(odooAnswering(ALICE_UID));
    await odoo.connect(ALICE).uid();
    await odoo.connect(ALICE_NEW_KEY).uid();
    expect(sentMethods()).toEqual(['authenticate', 'authenticate']);
    expect(paramsOf(server?.requests[1] as ReceivedRequest).args[2]).toBe(ALICE_NEW_KEY.apiKey);
  });

  it('uid expires after the TTL', async () => {
    let nowMs = 1_000_000;
    const odoo = await clientFor(odooAnswering(ALICE_UID), {
      cacheTtlMs: 60_000,
      nowMs: () => nowMs,
    });
    await odoo.connect(ALICE).uid();
    nowMs += 60_001;
    await odoo.connect(ALICE).uid();
    expect(server?.requests).toHaveLength(2);
  });

  it('concurrent uid calls share one authentication', async () => {
    const odoo = await clientFor(odooAnswering(ALICE_UID));
    const connection = odoo.connect(ALICE);
    const uids = await Promise.all([connection.uid(), connection.uid(), connection.uid()]);
    expect(uids).toEqual([ALICE_UID, ALICE_UID, ALICE_UID]);
    expect(server?.requests).toHaveLength(1);
  });

  it('known uid skips authenticate', async () => {
    const odoo = await clientFor(odooAnswering(ALICE_UID));
    await odoo.connect(ALICE, ALICE_UID).executeKw('sale.order', 'search_count', [[]]);
    expect(sentMethods()).toEqual(['execute_kw']);
  });

  it('rejected key drops the cached uid', async () => {
    const odoo = await clientFor((request, response) => {
      if (paramsOf(request).method === 'authenticate') {
        sendJsonRpcResult(request, response, ALICE_UID);
        return;
      }
      sendJsonRpcError(request, response, 'odoo.exceptions.AccessDenied', 'Access Denied');
    });
    const connection = odoo.connect(ALICE);
    const error = await failureOf(connection.executeKw('sale.order', 'search_count', [[]]));
    await connection.uid();
    expect(error.kind).toBe('authentication');
    expect(sentMethods()).toEqual(['authenticate', 'execute_kw', 'authenticate']);
  });

  it('invalid known uid is rejected', async () => {
    const odoo = await clientFor(odooAnswering(ALICE_UID));
    expect(() => odoo.connect(ALICE, 0)).toThrow(OdooError);
  });
});

describe('executeKw', () => {
  it('authenticates before the first call', async () => {
    const odoo = await clientFor(odooAnswering(ALICE_UID, 4));
    const count = await odoo.connect(ALICE).executeKw('sale.order', 'search_count', [[]]);
    expect(count).toBe(4);
    expect(sentMethods()).toEqual(['authenticate', 'execute_kw']);
  });

  it('sends db, uid, key and call', async () => {
    const odoo = await clientFor(odooAnswering(ALICE_UID));
    const kwargs = { fields: ['name'], limit: 5 };
    await odoo.connect(ALICE, ALICE_UID).executeKw('res.partner', 'search_read', [[]], kwargs);
    const params = paramsOf(server?.requests[0] as ReceivedRequest);
    expect(params.service).toBe('object');
    expect(params.args).toEqual([
      'odoo17',
      8,
      ALICE.apiKey,
      'res.partner',
      'search_read',
      [[]],
      kwargs,
    ]);
  });

  it('missing kwargs are sent as an empty object', async () => {
    const odoo = await clientFor(odooAnswering(ALICE_UID));
    await odoo.connect(ALICE, ALICE_UID).executeKw('res.users', 'context_get', []);
    expect(paramsOf(server?.requests[0] as ReceivedRequest).args[6]).toEqual({});
  });

  it('request ids increase', async () => {
    const odoo = await clientFor(odooAnswering(ALICE_UID));
    const connection = odoo.connect(ALICE, ALICE_UID);
    await connection.executeKw('sale.order', 'search_count', [[]]);
    await connection.executeKw('sale.order', 'search_count', [[]]);
    const ids = server?.jsonBodies().map((body) => (body as { id: number }).id);
    expect(ids).toEqual([1, 2]);
  });

  it('base URL path is kept', async () => {
    server = await startTestServer(odooAnswering(ALICE_UID));
    const url = new URL('erp', server.url);
    client = createOdooClient({ url, db: 'odoo17' }, { protocol: 'jsonrpc' });
    await client.connect(ALICE, ALICE_UID).executeKw('sale.order', 'search_count', [[]]);
    expect(server.requests[0]?.path).toBe('/erp/jsonrpc');
  });

  it('error message never contains the key', async () => {
    const odoo = await clientFor((request, response) => {
      const message = `invalid input syntax for type integer: "${ALICE.apiKey}"`;
      sendJsonRpcError(request, response, 'psycopg2.errors.InvalidTextRepresentation', message);
    });
    const error = await failureOf(
      odoo.connect(ALICE, ALICE_UID).executeKw('res.partner', 'read', [[1]]),
    );
    expect(error.message).not.toContain(ALICE.apiKey);
    expect(error.message).toContain('[API key]');
    expect(error.kind).toBe('invalid_request');
  });

  it('errors carry model and method', async () => {
    const odoo = await clientFor((request, response) => {
      sendJsonRpcError(request, response, 'odoo.exceptions.AccessError', 'Not allowed');
    });
    const call = odoo.connect(ALICE, ALICE_UID).executeKw('sale.order', 'read', [[6]]);
    const error = await failureOf(call);
    expect(error.model).toBe('sale.order');
    expect(error.method).toBe('read');
  });
});

describe('version', () => {
  const versionInfo = {
    server_version: 'saas~17.2',
    server_version_info: ['saas~17', 2, 0, 'final', 0, ''],
  };

  it('parses a saas version', async () => {
    const odoo = await clientFor((request, response) => {
      sendJsonRpcResult(request, response, versionInfo);
    });
    const version = await odoo.version();
    expect(version.major).toBe(17);
    expect(version.minor).toBe(2);
    expect(version.serverVersion).toBe('saas~17.2');
  });

  it('second version call sends nothing', async () => {
    const odoo = await clientFor((request, response) => {
      sendJsonRpcResult(request, response, versionInfo);
    });
    await odoo.version();
    await odoo.connect(ALICE, ALICE_UID).version();
    expect(server?.requests).toHaveLength(1);
  });

  it('posts an empty-params envelope', async () => {
    const odoo = await clientFor((request, response) => {
      sendJsonRpcResult(request, response, versionInfo);
    });
    await odoo.version();
    expect(server?.requests[0]?.path).toBe('/web/webclient/version_info');
    expect(server?.jsonBodies()[0]).toEqual({ jsonrpc: '2.0', method: 'call', params: {}, id: 1 });
  });
});

describe('Odoo call logging', () => {
  async function logLinesOf(run: (odoo: OdooClient) => Promise<unknown>): Promise<string[]> {
    const lines: string[] = [];
    const logger = createLogger({
      level: 'debug',
      destination: { write: (line) => lines.push(line) },
    });
    let attempts = 0;
    const odoo = await clientFor(
      (request, response) => {
        attempts += 1;
        if (attempts === 2) {
          response.socket?.destroy();
          return;
        }
        odooAnswering(ALICE_UID)(request, response, attempts);
      },
      { logger },
    );
    await run(odoo);
    return lines;
  }

  const searchAsAlice = (odoo: OdooClient) =>
    odoo.connect(ALICE).executeKw('res.partner', 'search_count', [[['name', 'ilike', 'Azure']]]);

  it('logs one line per call', async () => {
    const lines = await logLinesOf(searchAsAlice);
    const calls = lines.filter((line) => line.includes('Odoo call succeeded'));
    expect(calls).toHaveLength(2);
  });

  it('logs the model, method and duration', async () => {
    const lines = await logLinesOf(searchAsAlice);
    const last = JSON.parse(lines.at(-1) as string) as Record<string, unknown>;
    expect(last.odooModel).toBe('res.partner');
    expect(last.odooMethod).toBe('search_count');
    expect(typeof last.durationMs).toBe('number');
    expect(last.outcome).toBe('ok');
  });

  it('logs the retry as a warning', async () => {
    const lines = await logLinesOf(searchAsAlice);
    const warnings = lines.filter((line) => line.includes('"severity":"WARNING"'));
    expect(warnings).toHaveLength(1);
  });

  it('rejected key logs the error kind', async () => {
    const lines: string[] = [];
    const logger = createLogger({
      level: 'debug',
      destination: { write: (line) => lines.push(line) },
    });
    const odoo = await clientFor(odooAnswering(false), { logger });
    await failureOf(odoo.authenticate(ALICE));
    const line = JSON.parse(lines[0] as string) as Record<string, unknown>;
    expect(line.outcome).toBe('error');
    expect(line.errorKind).toBe('authentication');
  });

  it('never logs the key or arguments', async () => {
    const lines = await logLinesOf(searchAsAlice);
    expect(lines.join('')).not.toContain(ALICE.apiKey);
    expect(lines.join('')).not.toContain('Azure');
  });
});
