import { request } from 'node:http';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listen, SERVER_LIMITS, type RunningServer, type ServerLimits } from '../../src/serve.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { rawExchange, type RawWrite } from './raw-http.js';

/** Limits short enough to watch them act within a test. */
const SHORT_LIMITS: ServerLimits = {
  ...SERVER_LIMITS,
  headersTimeoutMs: 400,
  requestTimeoutMs: 800,
  connectionsCheckingIntervalMs: 100,
};

/** Closes a server of `listen` without closing its bridge, which the harness closes. */
function closeServer(running: RunningServer): Promise<void> {
  return new Promise((resolve) => {
    running.server.closeAllConnections();
    running.server.close(() => resolve());
  });
}

function getKeepAlive(url: URL): Promise<{ status: number; keepAlive: string }> {
  return new Promise((resolve, reject) => {
    const outgoing = request(new URL('/healthz', url), (response) => {
      response.resume();
      response.on('end', () => {
        const header = response.headers['keep-alive'];
        resolve({ status: response.statusCode ?? 0, keepAlive: String(header) });
      });
    });
    outgoing.on('error', reject);
    outgoing.end();
  });
}

describe('HTTP server limits', () => {
  let harness: Harness;
  let running: RunningServer;
  let short: RunningServer;

  beforeAll(async () => {
    harness = await startHarness();
    running = await listen(harness.bridge, 0, '127.0.0.1');
    short = await listen(harness.bridge, 0, '127.0.0.1', SHORT_LIMITS);
  });

  afterAll(async () => {
    await closeServer(running);
    await closeServer(short);
    await harness.close();
  });

  function get(url: URL, path: string, extraHeaders = ''): RawWrite[] {
    return [
      {
        data: `GET ${path} HTTP/1.1\r\nHost: ${url.host}\r\n${extraHeaders}Connection: close\r\n\r\n`,
      },
    ];
  }

  it('sets the production timeouts', () => {
    expect(running.server.headersTimeout).toBe(30_000);
    expect(running.server.requestTimeout).toBe(60_000);
    expect(running.server.keepAliveTimeout).toBe(620_000);
  });

  it('keeps idle connections 620 seconds', async () => {
    const answer = await getKeepAlive(running.url);

    expect(answer.status).toBe(200);
    expect(answer.keepAlive).toBe('timeout=620');
  });

  it('accepts 20 KiB of headers', async () => {
    const filler = `X-Filler: ${'a'.repeat(20 * 1024)}\r\n`;
    const answer = await rawExchange(running.url, get(running.url, '/healthz', filler));

    expect(answer.status).toBe(200);
  });

  it('rejects 33 KiB of headers', async () => {
    const filler = `X-Filler: ${'a'.repeat(33 * 1024)}\r\n`;
    const answer = await rawExchange(running.url, get(running.url, '/healthz', filler));

    expect(answer.status).toBe(431);
  });

  it('cuts a client that drips its headers', async () => {
    const writes: RawWrite[] = [{ data: `GET /healthz HTTP/1.1\r\nHost: ${short.url.host}\r\n` }];
    for (let line = 0; line < 40; line += 1) {
      writes.push({ data: `X-Drip-${line}: a\r\n`, delayMs: 100 });
    }
    const answer = await rawExchange(short.url, writes);

    expect(answer.status).toBe(408);
    expect(answer.sentAll).toBe(false);
    expect(answer.elapsedMs).toBeLessThan(2000);
  });

  it('cuts a client that drips its body', async () => {
    const writes: RawWrite[] = [
      {
        data:
          `POST /token HTTP/1.1\r\nHost: ${short.url.host}\r\n` +
          'Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\n',
      },
    ];
    for (let byte = 0; byte < 100; byte += 1) {
      writes.push({ data: 'a', delayMs: 50 });
    }
    const answer = await rawExchange(short.url, writes);

    expect(answer.status).toBe(408);
    expect(answer.sentAll).toBe(false);
    expect(answer.elapsedMs).toBeLessThan(2500);
  });

  it('reuses a connection idle past headersTimeout', async () => {
    const first = `GET /healthz HTTP/1.1\r\nHost: ${short.url.host}\r\n\r\n`;
    const second = `GET /healthz HTTP/1.1\r\nHost: ${short.url.host}\r\nConnection: close\r\n\r\n`;
    const answer = await rawExchange(short.url, [
      { data: first },
      { data: second, delayMs: SHORT_LIMITS.headersTimeoutMs * 2 },
    ]);

    expect(answer.raw.match(/HTTP\/1\.1 200 OK/g)).toHaveLength(2);
  });

  it('lets responses outlast requestTimeout', async () => {
    const slowMs = SHORT_LIMITS.requestTimeoutMs + 700;
    const app = new Hono();
    app.get('/slow', async (c) => {
      await new Promise((resolve) => setTimeout(resolve, slowMs));
      return c.text('done');
    });
    const slow = await listen({ ...harness.bridge, app }, 0, '127.0.0.1', SHORT_LIMITS);
    try {
      const answer = await rawExchange(slow.url, get(slow.url, '/slow'));

      expect(answer.status).toBe(200);
      expect(answer.body).toBe('done');
      expect(answer.elapsedMs).toBeGreaterThanOrEqual(slowMs - 50);
    } finally {
      await closeServer(slow);
    }
  });
});
