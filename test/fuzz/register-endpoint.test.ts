import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../helpers/harness.js';
import { checkOAuthError, nextClientAddress, oauthReply } from './oauth-replies.js';
import { isAcceptable, jsonGarbage, metadataArbitrary } from './client-metadata.js';

const REGISTER_ERRORS = new Set([
  'invalid_client_metadata',
  'invalid_redirect_uri',
  'invalid_request',
]);

describe('registration endpoint', () => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await startHarness();
  });

  afterAll(async () => {
    await harness.close();
  });

  async function register(body: string, type?: string) {
    const headers: Record<string, string> = { 'x-forwarded-for': nextClientAddress() };
    if (type !== undefined) {
      headers['content-type'] = type;
    }
    // Bytes rather than a string, so that fetch adds no Content-Type of its own.
    const bytes = new TextEncoder().encode(body);
    return oauthReply(
      await fetch(new URL('/register', harness.url), { method: 'POST', headers, body: bytes }),
    );
  }

  it('register only metadata RFC 7591 allows', async () => {
    let registered = 0;
    await fc.assert(
      fc.asyncProperty(metadataArbitrary, async (metadata) => {
        const reply = await register(JSON.stringify(metadata), 'application/json');
        if (!isAcceptable(metadata)) {
          checkOAuthError(reply, REGISTER_ERRORS);
          expect(reply.body).not.toHaveProperty('client_id');
          return;
        }
        expect(reply.status, reply.text.slice(0, 300)).toBe(201);
        registered += 1;
        const clientId = String(reply.body.client_id);
        const client = await harness.bridge.context.clients.find(clientId);
        expect(client.redirect_uris).toEqual(metadata.redirect_uris);
        expect(client.client_name).toBe(metadata.client_name);
        const method =
          (metadata.token_endpoint_auth_method as string | undefined) ?? 'client_secret_basic';
        expect(client.token_endpoint_auth_method).toBe(method);
        expect(typeof reply.body.client_secret).toBe(method === 'none' ? 'undefined' : 'string');
        if (method !== 'none') {
          expect(reply.body.client_secret, 'a secret the client did not choose').not.toBe(
            metadata.client_secret,
          );
        }
      }),
      { numRuns: 300 },
    );
    expect(registered, 'registrations among the runs').toBeGreaterThan(10);
  });

  it('answer any body in RFC 7591 form', async () => {
    const body = fc.oneof(
      jsonGarbage.map((value) => JSON.stringify(value)),
      fc.string({ unit: 'binary', maxLength: 100 }),
      fc.constantFrom('', '{', '{"redirect_uris":', 'null', '[]', '{"__proto__":{"x":1}}'),
      fc.constantFrom('{"redirect_uris":["https://a.example/cb"],"constructor":{"prototype":1}}'),
      fc.integer({ min: 16 * 1024 - 40, max: 17 * 1024 }).map((size) =>
        JSON.stringify({
          redirect_uris: ['https://a.example/cb'],
          client_name: 'n',
          pad: 'x'.repeat(size),
        }),
      ),
      fc
        .integer({ min: 5000, max: 6000 })
        .map((size) =>
          JSON.stringify({ redirect_uris: ['https://a.example/cb'], pad: 'é'.repeat(size) }),
        ),
    );
    const contentType = fc.constantFrom(
      'application/json',
      'application/json; charset=utf-8',
      'APPLICATION/JSON',
      'application/jsonx',
      'text/json',
      'application/x-www-form-urlencoded',
      undefined,
    );
    await fc.assert(
      fc.asyncProperty(body, contentType, async (text, type) => {
        const reply = await register(text, type);
        expect(reply.status, reply.text.slice(0, 300)).not.toBeGreaterThanOrEqual(500);
        if (reply.status === 201) {
          expect(type).toMatch(/^application\/json/i);
          await expect(
            harness.bridge.context.clients.find(String(reply.body.client_id)),
          ).resolves.toBeDefined();
          return;
        }
        checkOAuthError(reply, REGISTER_ERRORS);
      }),
      { numRuns: 200 },
    );
  });
});
