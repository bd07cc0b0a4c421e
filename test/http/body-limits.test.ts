import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_BODY_BYTES } from '../../src/http/body-limits.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { chunkedBody, rawExchange, type RawWrite } from './raw-http.js';

const ENDPOINTS = [
  { path: '/mcp', type: 'application/json' },
  { path: '/token', type: 'application/x-www-form-urlencoded' },
  { path: '/register', type: 'application/json' },
  { path: '/consent', type: 'application/x-www-form-urlencoded' },
  { path: '/revoke', type: 'application/x-www-form-urlencoded' },
];

describe('request body size limit', () => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await startHarness();
  });

  afterAll(async () => {
    await harness.close();
  });

  function head(path: string, type: string, framing: string): string {
    return (
      `POST ${path} HTTP/1.1\r\nHost: ${harness.url.host}\r\nContent-Type: ${type}\r\n` +
      `Accept: application/json, text/event-stream\r\nOrigin: https://inspector.example\r\n` +
      `${framing}\r\n`
    );
  }

  function errorText(path: string, body: string): string {
    const parsed = JSON.parse(body) as {
      error: string | { message: string };
      error_description?: string;
    };
    if (path === '/mcp') {
      return (parsed.error as { message: string }).message;
    }
    expect(parsed.error).toBe('invalid_request');
    return String(parsed.error_description);
  }

  for (const { path, type } of ENDPOINTS) {
    it(`rejects a declared length on ${path}`, async () => {
      const framing = `Content-Length: ${MAX_BODY_BYTES + 1}\r\n`;
      // The headers alone must be enough: the server does not wait for the body.
      const answer = await rawExchange(harness.url, [{ data: head(path, type, framing) }], {
        untilResponse: true,
      });

      expect(answer.status).toBe(413);
      expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
      expect(errorText(path, answer.body)).toContain('larger than 1048576 bytes');
    });

    it(`rejects a chunked body on ${path}`, async () => {
      const chunks = chunkedBody(Buffer.alloc(2 * MAX_BODY_BYTES, 'a'));
      const writes: RawWrite[] = [
        { data: head(path, type, 'Transfer-Encoding: chunked\r\n') },
        ...chunks.map((chunk) => ({ ...chunk, delayMs: 5 })),
      ];
      const answer = await rawExchange(harness.url, writes, { untilResponse: true });

      expect(answer.status).toBe(413);
      expect(errorText(path, answer.body)).toContain('larger than 1048576 bytes');
      // The server responds once the limit is crossed, not after the whole upload.
      expect(answer.sentAll).toBe(false);
    });
  }

  it('passes a 1 MiB body through', async () => {
    const body = `grant_type=${'a'.repeat(MAX_BODY_BYTES - 'grant_type='.length)}`;
    const answer = await rawExchange(
      harness.url,
      [
        {
          data: head(
            '/token',
            'application/x-www-form-urlencoded',
            `Content-Length: ${body.length}\r\n`,
          ),
        },
        { data: body },
      ],
      { untilResponse: true },
    );

    // The token endpoint's own, smaller limit rejects it instead.
    expect(answer.status).toBe(400);
    expect(errorText('/token', answer.body)).toContain('larger than 65536 bytes');
  });

  it('closes the connection after a 413', async () => {
    const big = await fetch(new URL('/token', harness.url), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'a'.repeat(MAX_BODY_BYTES + 10),
    });
    expect(big.status).toBe(413);
    expect(big.headers.get('connection')).toBe('close');
    await big.text();

    // The next request must not land on the connection whose body was left unread.
    const next = await fetch(new URL('/token', harness.url), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=authorization_code',
    });
    expect(next.status).toBe(401);
  });

  it('counts bytes, not characters, against the form limit', async () => {
    const body = `grant_type=${'é'.repeat(40 * 1024)}`;
    const response = await fetch(new URL('/token', harness.url), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body,
    });
    const error = (await response.json()) as { error_description?: string };
    expect(response.status).toBe(400);
    expect(error.error_description).toContain('larger than 65536 bytes');
  });

  it('sends CORS headers with 413', async () => {
    const framing = `Content-Length: ${MAX_BODY_BYTES + 1}\r\n`;
    const answer = await rawExchange(
      harness.url,
      [{ data: head('/token', 'application/x-www-form-urlencoded', framing) }],
      { untilResponse: true },
    );

    expect(answer.status).toBe(413);
    expect(answer.headers.get('access-control-allow-origin')).toBe('*');
  });
});
