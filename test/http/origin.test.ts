import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { readEnvironment } from '../../src/config/env.js';
import { startDemo } from '../../src/demo/start.js';
import { createLogger } from '../../src/log/logger.js';
import type { RunningServer } from '../../src/serve.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { REDIRECT_URI } from '../helpers/oauth.js';
import { freePort } from '../odoo/test-server.js';

const LIST_TOOLS = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} });
/** The origin of MCP Inspector's page on the developer's machine. */
const INSPECTOR_ORIGIN = 'http://localhost:6274';

function postMcp(url: URL, origin: string | undefined): Promise<Response> {
  return fetch(new URL('/mcp', url), {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      ...(origin === undefined ? {} : { origin }),
    },
    body: LIST_TOOLS,
  });
}

describe('Origin checks outside the demo', () => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await startHarness();
  });

  afterAll(async () => {
    await harness.close();
  });

  it('rejects a foreign Origin', async () => {
    const response = await postMcp(harness.url, 'https://evil.example');
    const body = (await response.json()) as { error: { message: string } };

    expect(response.status).toBe(403);
    expect(body.error.message).toBe('Origin https://evil.example is not allowed');
  });

  it('rejects Origin null on /mcp', async () => {
    expect((await postMcp(harness.url, 'null')).status).toBe(403);
  });

  it('rejects a loopback Origin on /mcp', async () => {
    expect((await postMcp(harness.url, INSPECTOR_ORIGIN)).status).toBe(403);
  });

  it('passes own or absent Origin', async () => {
    expect((await postMcp(harness.url, harness.url.origin)).status).toBe(401);
    expect((await postMcp(harness.url, undefined)).status).toBe(401);
  });

  it('registers clients of any origin', async () => {
    const response = await fetch(new URL('/register', harness.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'https://inspector.example' },
      body: JSON.stringify({ redirect_uris: [REDIRECT_URI], token_endpoint_auth_method: 'none' }),
    });

    expect(response.status).toBe(201);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('serves /token to any origin', async () => {
    const preflight = await fetch(new URL('/token', harness.url), {
      method: 'OPTIONS',
      headers: {
        origin: 'https://inspector.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    });
    const token = await fetch(new URL('/token', harness.url), {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        origin: 'https://inspector.example',
      },
      body: 'grant_type=refresh_token&refresh_token=junk',
    });

    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
    // With `*`, browsers send no cookies and show no response of a credentialed request.
    expect(preflight.headers.get('access-control-allow-credentials')).toBeNull();
    expect(token.status).not.toBe(403);
    expect(((await token.json()) as { error: string }).error).toBe('invalid_client');
    expect(token.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('serves /revoke to any origin', async () => {
    const response = await fetch(new URL('/revoke', harness.url), {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        origin: 'https://inspector.example',
      },
      body: 'token=junk&client_id=junk',
    });

    expect(response.status).not.toBe(403);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('offers no CORS on /authorize', async () => {
    const response = await fetch(new URL('/authorize?client_id=junk', harness.url), {
      headers: { origin: 'https://inspector.example' },
    });

    expect(response.status).toBe(400);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('Origin checks in the demo', () => {
  let running: RunningServer;

  beforeAll(async () => {
    const port = await freePort();
    const quiet = new Writable({ write: (_chunk, _encoding, done) => done() });
    // The demo prints its banner to stdout.
    const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      running = await startDemo(
        readEnvironment({ PORT: String(port) }),
        createLogger({ level: 'info', destination: quiet }),
      );
    } finally {
      write.mockRestore();
    }
  });

  afterAll(async () => {
    await running.close(0);
  });

  it('accepts a loopback Origin', async () => {
    expect((await postMcp(running.url, INSPECTOR_ORIGIN)).status).toBe(401);
    expect((await postMcp(running.url, 'http://127.0.0.1:6274')).status).toBe(401);
  });

  it('rejects a foreign Origin', async () => {
    expect((await postMcp(running.url, 'https://evil.example')).status).toBe(403);
  });
});
