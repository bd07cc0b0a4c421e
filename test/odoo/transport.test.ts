import { afterEach, describe, expect, it } from 'vitest';
import { createOdooClient, type OdooClient } from '../../src/odoo/client.js';
import {
  freePort,
  sendJsonRpcResult,
  startTestServer,
  type TestHandler,
  type TestServer,
} from './test-server.js';
import { failureOf } from '../helpers/odoo-failure.js';

const ALICE = { login: 'alice@example.com', apiKey: 'fake-alice-api-key-0123456789' };
const ALICE_UID = 8;

let server: TestServer | undefined;
let client: OdooClient | undefined;

afterEach(async () => {
  await client?.close();
  await server?.close();
  client = undefined;
  server = undefined;
});

async function clientFor(handler: TestHandler, timeoutMs = 5_000): Promise<OdooClient> {
  server = await startTestServer(handler);
  client = createOdooClient({ url: server.url, db: 'odoo17' }, { timeoutMs, protocol: 'jsonrpc' });
  return client;
}

function countSaleOrders(odoo: OdooClient): Promise<unknown> {
  return odoo.connect(ALICE, ALICE_UID).executeKw('sale.order', 'search_count', [[]]);
}

const dropFirstAttempt: TestHandler = (request, response, attempt) => {
  if (attempt === 1) {
    response.socket?.destroy();
    return;
  }
  sendJsonRpcResult(request, response, 4);
};

const dropEveryAttempt: TestHandler = (_request, response) => {
  response.socket?.destroy();
};

const hang: TestHandler = () => {};

describe('Odoo transport faults', () => {
  it('refused connection is a transport error', async () => {
    const port = await freePort();
    client = createOdooClient({ url: new URL(`http://127.0.0.1:${port}/`), db: 'odoo17' });
    const error = await failureOf(client.version());
    expect(error.kind).toBe('transport');
    expect(error.message).toContain('connection refused');
  });

  it('hanging server times out', async () => {
    const odoo = await clientFor(hang, 200);
    const startedMs = performance.now();
    const error = await failureOf(countSaleOrders(odoo));
    expect(error.kind).toBe('timeout');
    expect(error.message).toContain('200 ms');
    expect(performance.now() - startedMs).toBeLessThan(2_000);
  });

  it('timed out read is not retried', async () => {
    const odoo = await clientFor(hang, 200);
    await failureOf(countSaleOrders(odoo));
    expect(server?.requests).toHaveLength(1);
  });

  it('HTML 502 page is a transport error', async () => {
    const odoo = await clientFor((_request, response) => {
      response.writeHead(502, { 'content-type': 'text/html' });
      response.end('<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>');
    });
    const error = await failureOf(countSaleOrders(odoo));
    expect(error.kind).toBe('transport');
    expect(error.httpStatus).toBe(502);
    expect(error.message).toContain("Odoo's response was not JSON");
    expect(error.message).toContain('HTTP 502');
    expect(error.message).toContain('"502 Bad Gateway"');
  });

  it('truncated JSON is a transport error', async () => {
    const odoo = await clientFor((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
      response.end('{"jsonrpc": "2.0", "id": 1, "result": [{"id": 1, "name": "S000');
    });
    const error = await failureOf(countSaleOrders(odoo));
    expect(error.kind).toBe('transport');
    expect(error.httpStatus).toBe(200);
    expect(error.message).toContain("Odoo's response was not JSON");
  });

  it('JSON without result is a transport error', async () => {
    const odoo = await clientFor((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end('{"status": "ok"}');
    });
    const error = await failureOf(countSaleOrders(odoo));
    expect(error.kind).toBe('transport');
    expect(error.message).toContain('not a JSON-RPC response');
  });

  it('redirect names its target', async () => {
    const odoo = await clientFor((_request, response) => {
      response.writeHead(303, { 'content-type': 'text/html', location: '/web/login' });
      response.end('<!doctype html><title>Redirecting...</title>');
    });
    const error = await failureOf(odoo.version());
    expect(error.kind).toBe('transport');
    expect(error.httpStatus).toBe(303);
    expect(error.message).toContain('redirects to /web/login');
  });

  it('oversized response is a transport error', async () => {
    server = await startTestServer((request, response) => {
      sendJsonRpcResult(request, response, 'x'.repeat(4_096));
    });
    client = createOdooClient(
      { url: server.url, db: 'odoo17' },
      { maxResponseBytes: 1_024, protocol: 'jsonrpc' },
    );
    const error = await failureOf(countSaleOrders(client));
    expect(error.kind).toBe('transport');
    expect(error.message).toContain('larger than 1024 bytes');
  });

  it('caller abort cancels the call', async () => {
    const odoo = await clientFor(hang);
    const controller = new AbortController();
    const call = odoo
      .connect(ALICE, ALICE_UID)
      .executeKw('sale.order', 'search_count', [[]], {}, { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    const error = await failureOf(call);
    expect(error.kind).toBe('transport');
    expect(error.message).toContain('cancelled');
  });
});

describe('Odoo retry after a dropped connection', () => {
  it('dropped read succeeds on retry', async () => {
    const odoo = await clientFor(dropFirstAttempt);
    expect(await countSaleOrders(odoo)).toBe(4);
    expect(server?.requests).toHaveLength(2);
  });

  it('retry sends the same request', async () => {
    const odoo = await clientFor(dropFirstAttempt);
    await countSaleOrders(odoo);
    expect(server?.requests[1]?.body).toBe(server?.requests[0]?.body);
  });

  it('dropped authenticate is retried', async () => {
    const odoo = await clientFor(dropFirstAttempt);
    expect(await odoo.authenticate(ALICE)).toBe(4);
    expect(server?.requests).toHaveLength(2);
  });

  it('dropped read fails after one retry', async () => {
    const odoo = await clientFor(dropEveryAttempt);
    const error = await failureOf(countSaleOrders(odoo));
    expect(error.kind).toBe('transport');
    expect(server?.requests).toHaveLength(2);
  });

  it('dropped write is not retried', async () => {
    const odoo = await clientFor(dropFirstAttempt);
    const write = odoo
      .connect(ALICE, ALICE_UID)
      .executeKw('res.partner', 'write', [[14], { comment: 'Visited on Monday' }]);
    const error = await failureOf(write);
    expect(error.kind).toBe('transport');
    expect(error.message).toContain('closed before');
    expect(server?.requests).toHaveLength(1);
  });

  it('dropped action is not retried', async () => {
    const odoo = await clientFor(dropFirstAttempt);
    const confirm = odoo.connect(ALICE, ALICE_UID).executeKw('sale.order', 'action_confirm', [[3]]);
    await failureOf(confirm);
    expect(server?.requests).toHaveLength(1);
  });
});
