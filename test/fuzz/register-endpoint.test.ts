import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../helpers/harness.js';
import { checkOAuthError, nextClientAddress, oauthReply } from './oauth-replies.js';
import { isCheckedRedirectUri, redirectUriArbitrary } from './redirect-uris.js';

const REGISTER_ERRORS = new Set([
  'invalid_client_metadata',
  'invalid_redirect_uri',
  'invalid_request',
]);

const AUTH_METHODS = ['none', 'client_secret_post', 'client_secret_basic'];

const jsonGarbage = fc.jsonValue({ maxDepth: 3 });

/** A valid value four times in five, so that many registrations are valid. */
function mostly(valid: fc.Arbitrary<unknown>, ...invalid: Array<fc.Arbitrary<unknown>>) {
  return fc.oneof({ arbitrary: valid, weight: 4 }, { arbitrary: fc.oneof(...invalid), weight: 1 });
}

/** An https URL, or something close to one, for client_uri and logo_uri. */
const httpsUrlArbitrary = mostly(
  fc.webUrl({ validSchemes: ['https'] }),
  fc.constantFrom('http://app.example/', 'javascript:alert(1)', 'https://', '//app.example/'),
  fc.string({ maxLength: 10 }),
  fc.constant(`https://app.example/${'x'.repeat(2000)}`),
  jsonGarbage,
);

/** Client metadata with each field valid, wrong in type or value, or left out. */
const metadataArbitrary = fc.record(
  {
    redirect_uris: fc.oneof(
      { arbitrary: fc.array(redirectUriArbitrary, { minLength: 1, maxLength: 3 }), weight: 6 },
      { arbitrary: fc.array(redirectUriArbitrary, { minLength: 9, maxLength: 12 }), weight: 1 },
      { arbitrary: fc.oneof(fc.constant([]), redirectUriArbitrary, jsonGarbage), weight: 1 },
    ),
    client_name: mostly(
      fc.oneof(
        fc.string({ unit: 'grapheme', maxLength: 30 }),
        fc.constantFrom(
          '<script>alert(1)</script>',
          '"><img src=x onerror=alert(1)>',
          '\u202eevil',
        ),
      ),
      fc.string({ minLength: 199, maxLength: 202 }),
      jsonGarbage,
    ),
    client_uri: httpsUrlArbitrary,
    logo_uri: httpsUrlArbitrary,
    token_endpoint_auth_method: mostly(
      fc.constantFrom(...AUTH_METHODS),
      fc.constantFrom('private_key_jwt', 'NONE', '', 'client_secret_jwt'),
      jsonGarbage,
    ),
    grant_types: mostly(
      fc.subarray(['authorization_code', 'refresh_token']),
      fc.array(fc.constantFrom('authorization_code', 'implicit', 'password', 'client_credentials')),
      jsonGarbage,
    ),
    response_types: mostly(
      fc.subarray(['code']),
      fc.array(fc.constantFrom('code', 'token', 'id_token')),
      jsonGarbage,
    ),
    scope: mostly(fc.constantFrom('odoo.read', 'odoo.read offline_access'), jsonGarbage),
    client_secret: fc.string({ maxLength: 8 }),
    jwks_uri: fc.webUrl(),
    software_statement: fc.string({ maxLength: 20 }),
  },
  { requiredKeys: [] },
);

/**
 * Tells whether metadata meets RFC 7591 as the bridge takes it: https or loopback redirect
 * URIs (1 to 10), known auth method and types, https client and logo URIs, and the lengths.
 * Written apart from the bridge's schema, as the oracle of the property.
 */
function isAcceptable(metadata: Record<string, unknown>): boolean {
  const uris = metadata.redirect_uris;
  if (!Array.isArray(uris) || uris.length < 1 || uris.length > 10) {
    return false;
  }
  if (!uris.every((uri) => typeof uri === 'string' && isCheckedRedirectUri(uri))) {
    return false;
  }
  const optionalString = (name: string, max: number) =>
    !(name in metadata) ||
    (typeof metadata[name] === 'string' && (metadata[name] as string).length <= max);
  if (!optionalString('client_name', 200) || !optionalString('scope', 1000)) {
    return false;
  }
  for (const name of ['client_uri', 'logo_uri']) {
    if (!optionalString(name, 2000)) {
      return false;
    }
    if (name in metadata && !isHttps(metadata[name] as string)) {
      return false;
    }
  }
  if (
    'token_endpoint_auth_method' in metadata &&
    !AUTH_METHODS.includes(metadata.token_endpoint_auth_method as string)
  ) {
    return false;
  }
  const onlyOf = (name: string, allowed: string[]) => {
    if (!(name in metadata)) {
      return true;
    }
    const value = metadata[name];
    return (
      Array.isArray(value) &&
      value.every((item) => typeof item === 'string' && allowed.includes(item))
    );
  };
  return (
    onlyOf('grant_types', ['authorization_code', 'refresh_token']) &&
    onlyOf('response_types', ['code'])
  );
}

function isHttps(value: string): boolean {
  try {
    return new URL(value).protocol === 'https:';
  } catch {
    return false;
  }
}

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

  it('register exactly the metadata RFC 7591 allows', async () => {
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

  it('answer any body with an OAuth error or a registration', async () => {
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
