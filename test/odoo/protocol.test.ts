import type { ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createOdooClient,
  type OdooClient,
  type OdooClientOptions,
} from '../../src/odoo/client.js';
import { createLogger } from '../../src/log/logger.js';
import {
  sendJsonRpcResult,
  startTestServer,
  type ReceivedRequest,
  type TestServer,
} from './test-server.js';
import { failureOf } from '../helpers/odoo-failure.js';

const ALICE_KEY = '0a1b2c3d4e5f60718293a4b5c6d7e8f901234567';
const ALICE = { login: 'alice@example.com', apiKey: ALICE_KEY };
const ALICE_UID = 7;

/** The fake Odoo's behaviour on `/json/2/`: the API, a proxy's 404, or an unknown database. */
type Json2Mode = 'serve' | 'proxy-404' | 'unknown-database';

interface FakeOdoo {
  serverVersion: string;
  versionInfo: Array<number | string>;
  json2?: Json2Mode;
  /** The login `res.users.read` returns for the key's user. */
  login?: string;
  /** Rejects every JSON-2 call with 401 "Invalid apikey". */
  rejectKey?: boolean;
}

let server: TestServer | undefined;
let client: OdooClient | undefined;

afterEach(async () => {
  await client?.close();
  await server?.close();
  client = undefined;
  server = undefined;
});

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  response.end(JSON.stringify(body));
}

function answerJson2(fake: FakeOdoo, request: ReceivedRequest, response: ServerResponse): void {
  if (fake.json2 === 'proxy-404') {
    response.writeHead(404, { 'content-type': 'text/html' });
    response.end('<html><head><title>404 Not Found</title></head><body>nginx</body></html>');
    return;
  }
  if (fake.json2 === 'unknown-database') {
    response.writeHead(404, { 'content-type': 'text/html; charset=utf-8' });
    response.end('<p>No database is selected and the requested URL was not found.</p>');
    return;
  }
  if (fake.rejectKey) {
    const error = { name: 'werkzeug.exceptions.Unauthorized', message: 'Invalid apikey' };
    sendJson(response, 401, { ...error, arguments: ['Invalid apikey', 401], context: {} });
    return;
  }
  const path = request.path;
  if (path.endsWith('/res.users/context_get')) {
    sendJson(response, 200, { lang: 'en_US', tz: false, uid: ALICE_UID });
  } else if (path.endsWith('/res.users/read')) {
    sendJson(response, 200, [{ id: ALICE_UID, login: fake.login ?? ALICE.login }]);
  } else if (path.endsWith('/no_such_method')) {
    const message = "The method 'sale.order.no_such_method' does not exist";
    sendJson(response, 404, { name: 'werkzeug.exceptions.NotFound', message });
  } else {
    sendJson(response, 200, 4);
  }
}

/** A fake Odoo of the given version that speaks JSON-RPC and, as configured, JSON-2. */
async function clientOf(fake: FakeOdoo, options: OdooClientOptions = {}): Promise<OdooClient> {
  server = await startTestServer((request, response) => {
    if (request.path === '/web/webclient/version_info') {
      const info = { server_version: fake.serverVersion, server_version_info: fake.versionInfo };
      sendJsonRpcResult(request, response, info);
    } else if (request.path === '/jsonrpc') {
      const params = (JSON.parse(request.body) as { params: { method: string } }).params;
      sendJsonRpcResult(request, response, params.method === 'authenticate' ? ALICE_UID : 4);
    } else {
      answerJson2(fake, request, response);
    }
  });
  client = createOdooClient({ url: server.url, db: 'odoo' }, options);
  return client;
}

const ODOO_17 = { serverVersion: '17.0', versionInfo: [17, 0, 0, 'final', 0, ''] };
const ODOO_18 = { serverVersion: '18.0', versionInfo: [18, 0, 0, 'final', 0, ''] };
const ODOO_19 = { serverVersion: '19.0', versionInfo: [19, 0, 0, 'final', 0, ''] };
const SAAS_19_1 = { serverVersion: 'saas~19.1', versionInfo: ['saas~19', 1, 0, 'final', 0, ''] };
const SAAS_18_3 = { serverVersion: 'saas~18.3', versionInfo: ['saas~18', 3, 0, 'final', 0, ''] };

function sentPaths(): string[] {
  return (server?.requests ?? []).map((request) => request.path);
}

const countOrders = (odoo: OdooClient) =>
  odoo.connect(ALICE).executeKw('sale.order', 'search_count', [[]]);

describe('protocol choice', () => {
  it.each([
    ['17.0', ODOO_17],
    ['18.0', ODOO_18],
    ['saas~18.3', SAAS_18_3],
  ])('%s uses JSON-RPC', async (_name, fake) => {
    const odoo = await clientOf(fake);
    expect(await countOrders(odoo)).toBe(4);
    expect(sentPaths()).toEqual(['/web/webclient/version_info', '/jsonrpc', '/jsonrpc']);
    expect(await odoo.protocol()).toBe('jsonrpc');
  });

  it.each([
    ['19.0', ODOO_19],
    ['saas~19.1', SAAS_19_1],
  ])('%s uses JSON-2', async (_name, fake) => {
    const odoo = await clientOf(fake);
    expect(await countOrders(odoo)).toBe(4);
    expect(sentPaths()).toEqual([
      '/web/webclient/version_info',
      '/json/2/res.users/context_get',
      '/json/2/res.users/read',
      '/json/2/sale.order/search_count',
    ]);
    expect(await odoo.protocol()).toBe('json2');
  });

  it('JSON-2 call carries key and database', async () => {
    const odoo = await clientOf(ODOO_19);
    await odoo.connect(ALICE, ALICE_UID).executeKw('sale.order', 'search_count', [[]]);
    const sent = server?.requests.at(-1);
    expect(sent?.headers['authorization']).toBe(`Bearer ${ALICE_KEY}`);
    expect(sent?.headers['x-odoo-database']).toBe('odoo');
    expect(JSON.parse(sent?.body ?? '')).toEqual({ domain: [] });
  });

  it('version is asked once', async () => {
    const odoo = await clientOf(ODOO_19);
    const connection = odoo.connect(ALICE, ALICE_UID);
    await connection.executeKw('sale.order', 'search_count', [[]]);
    await connection.executeKw('sale.order', 'search_count', [[]]);
    const versionRequests = sentPaths().filter((path) => path.includes('version_info'));
    expect(versionRequests).toHaveLength(1);
  });

  it('protocol option skips the version', async () => {
    const odoo = await clientOf(ODOO_19, { protocol: 'jsonrpc' });
    await odoo.connect(ALICE, ALICE_UID).executeKw('sale.order', 'search_count', [[]]);
    expect(sentPaths()).toEqual(['/jsonrpc']);
  });

  it('json2 option on an old server', async () => {
    const odoo = await clientOf(ODOO_17, { protocol: 'json2' });
    await odoo.connect(ALICE, ALICE_UID).executeKw('sale.order', 'search_count', [[]]);
    expect(sentPaths()).toEqual(['/json/2/sale.order/search_count']);
  });
});

describe('JSON-RPC fallback on 19', () => {
  it('proxy 404 falls back to JSON-RPC', async () => {
    const lines: string[] = [];
    const logger = createLogger({
      level: 'warn',
      destination: { write: (line) => lines.push(line) },
    });
    const odoo = await clientOf({ ...ODOO_19, json2: 'proxy-404' }, { logger });
    expect(await odoo.authenticate(ALICE)).toBe(ALICE_UID);
    expect(sentPaths()).toEqual([
      '/web/webclient/version_info',
      '/json/2/res.users/context_get',
      '/jsonrpc',
    ]);
    expect(await odoo.protocol()).toBe('jsonrpc');
    expect(lines.join('')).toContain('Odoo has no JSON-2 API');
  });

  it('fallback resends the model call', async () => {
    const odoo = await clientOf({ ...ODOO_19, json2: 'proxy-404' });
    expect(await odoo.connect(ALICE, ALICE_UID).executeKw('sale.order', 'search_count', [[]])).toBe(
      4,
    );
    expect(sentPaths()).toEqual([
      '/web/webclient/version_info',
      '/json/2/sale.order/search_count',
      '/jsonrpc',
    ]);
  });

  it('later calls go straight to JSON-RPC', async () => {
    const odoo = await clientOf({ ...ODOO_19, json2: 'proxy-404' });
    const connection = odoo.connect(ALICE, ALICE_UID);
    await connection.executeKw('sale.order', 'search_count', [[]]);
    const before = sentPaths().length;
    await connection.executeKw('sale.order', 'search_count', [[]]);
    expect(sentPaths().slice(before)).toEqual(['/jsonrpc']);
  });

  it('JSON-2 is tried again after the TTL', async () => {
    let nowMs = 0;
    const fake: FakeOdoo = { ...ODOO_19, json2: 'proxy-404' };
    const odoo = await clientOf(fake, { cacheTtlMs: 1_000, nowMs: () => nowMs });
    const connection = odoo.connect(ALICE, ALICE_UID);
    await connection.executeKw('sale.order', 'search_count', [[]]);
    fake.json2 = 'serve';
    nowMs = 1_001;
    const before = sentPaths().length;
    await connection.executeKw('sale.order', 'search_count', [[]]);
    expect(sentPaths().slice(before)).toEqual([
      '/web/webclient/version_info',
      '/json/2/sale.order/search_count',
    ]);
  });

  it('json2 setting does not fall back', async () => {
    const odoo = await clientOf({ ...ODOO_19, json2: 'proxy-404' }, { protocol: 'json2' });
    const call = odoo.connect(ALICE, ALICE_UID).executeKw('sale.order', 'search_count', [[]]);
    const error = await failureOf(call);
    expect(error.kind).toBe('transport');
    expect(error.message).toContain('has no JSON-2 API under /json/2/');
    expect(error.message).toContain('HTTP 404');
    expect(sentPaths()).toEqual(['/json/2/sale.order/search_count']);
  });

  it("Odoo's own 404 does not fall back", async () => {
    const odoo = await clientOf(ODOO_19);
    const call = odoo.connect(ALICE, ALICE_UID).executeKw('sale.order', 'no_such_method', []);
    const error = await failureOf(call);
    expect(error.kind).toBe('invalid_request');
    expect(error.message).toBe("The method 'sale.order.no_such_method' does not exist");
    expect(sentPaths()).not.toContain('/jsonrpc');
  });

  it('unknown database does not fall back', async () => {
    const odoo = await clientOf({ ...ODOO_19, json2: 'unknown-database' });
    const error = await failureOf(odoo.authenticate(ALICE));
    expect(error.kind).toBe('invalid_request');
    expect(error.message).toContain('does not serve the database "odoo"');
    expect(error.message).toContain('ODOO_DB');
    expect(sentPaths()).not.toContain('/jsonrpc');
  });
});

describe('authenticate over JSON-2', () => {
  it('returns the uid of context_get', async () => {
    const odoo = await clientOf(ODOO_19);
    expect(await odoo.authenticate(ALICE)).toBe(ALICE_UID);
    const read = server?.requests.find((request) => request.path.endsWith('/res.users/read'));
    expect(JSON.parse(read?.body ?? '')).toEqual({ ids: [ALICE_UID], fields: ['login'] });
  });

  it("another person's key is rejected", async () => {
    const odoo = await clientOf({ ...ODOO_19, login: 'bob@example.com' });
    const error = await failureOf(odoo.authenticate(ALICE));
    expect(error.kind).toBe('authentication');
    expect(error.message).toContain('belongs to the Odoo user "bob@example.com"');
    expect(error.message).toContain('not to "alice@example.com"');
  });

  it('invalid key explains the causes', async () => {
    const odoo = await clientOf({ ...ODOO_19, rejectKey: true });
    const error = await failureOf(odoo.authenticate(ALICE));
    expect(error.kind).toBe('authentication');
    expect(error.httpStatus).toBe(401);
    expect(error.message).toContain('has expired');
    expect(error.message).toContain('New API Key');
    expect(error.message).not.toContain(ALICE_KEY);
  });

  it('second uid call sends nothing', async () => {
    const odoo = await clientOf(ODOO_19);
    await odoo.connect(ALICE).uid();
    const before = sentPaths().length;
    expect(await odoo.connect(ALICE).uid()).toBe(ALICE_UID);
    expect(sentPaths().length).toBe(before);
  });

  it('concurrent uid calls share one check', async () => {
    const odoo = await clientOf(ODOO_19);
    await odoo.version();
    await Promise.all([odoo.connect(ALICE).uid(), odoo.connect(ALICE).uid()]);
    const contextGets = sentPaths().filter((path) => path.endsWith('/context_get'));
    expect(contextGets).toHaveLength(1);
  });

  it('rejected key drops the cached uid', async () => {
    const fake: FakeOdoo = { ...ODOO_19 };
    const odoo = await clientOf(fake);
    const connection = odoo.connect(ALICE);
    await connection.executeKw('sale.order', 'search_count', [[]]);
    fake.rejectKey = true;
    await failureOf(connection.executeKw('sale.order', 'search_count', [[]]));
    fake.rejectKey = false;
    const before = sentPaths().length;
    await connection.executeKw('sale.order', 'search_count', [[]]);
    expect(sentPaths().slice(before)).toEqual([
      '/json/2/res.users/context_get',
      '/json/2/res.users/read',
      '/json/2/sale.order/search_count',
    ]);
  });
});

describe('JSON-2 retry after a dropped connection', () => {
  async function droppingFirst(): Promise<OdooClient> {
    server = await startTestServer((_request, response, attempt) => {
      if (attempt === 1) {
        response.socket?.destroy();
        return;
      }
      sendJson(response, 200, 4);
    });
    client = createOdooClient({ url: server.url, db: 'odoo' }, { protocol: 'json2' });
    return client;
  }

  it('read is sent again once', async () => {
    const odoo = await droppingFirst();
    const count = odoo.connect(ALICE, ALICE_UID).executeKw('sale.order', 'search_count', [[]]);
    expect(await count).toBe(4);
    expect(sentPaths()).toHaveLength(2);
  });

  it('write is not sent again', async () => {
    const odoo = await droppingFirst();
    const write = odoo.connect(ALICE, ALICE_UID).executeKw('res.partner', 'write', [[1], {}]);
    const error = await failureOf(write);
    expect(error.kind).toBe('transport');
    expect(sentPaths()).toHaveLength(1);
  });
});
