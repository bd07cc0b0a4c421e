import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateKeyRing } from '../../src/seal/keys.js';
import { Sealer, type Purpose } from '../../src/seal/seal.js';
import { PEOPLE, startHarness, type Harness } from '../helpers/harness.js';
import {
  authorize,
  exchangeCode,
  mcpPost,
  pkcePair,
  registerClient,
  type RegisteredClient,
} from '../helpers/oauth.js';
import { nextClientAddress, oauthReply, type OAuthReply } from './oauth-replies.js';
import { codeFor, codePayload, grantFor, sealAs } from './sealed-artifacts.js';

const bob = PEOPLE[1]!;

const LIST_TOOLS = { jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} };

/** The artefacts a property presents, each sealed for one purpose, audience and expiry. */
const ARTEFACTS = [
  'access',
  'refresh',
  'code',
  'client',
  'link',
  'transaction',
  'consent',
  'access-for-another-resource',
  'access-for-the-issuer',
  'access-of-another-issuer',
  'access-expired',
  'code-expired',
  'code-for-the-resource',
  'refresh-expired',
  'access-of-another-key',
  'access-of-another-key-same-kid',
] as const;

type Artefact = (typeof ARTEFACTS)[number];

/** Where a property presents an artefact. */
const SLOTS = ['bearer', 'code', 'refresh_token', 'client_id'] as const;

type Slot = (typeof SLOTS)[number];

/** The one artefact each slot accepts; every other one must be rejected there. */
const ACCEPTED: Record<Slot, Artefact | undefined> = {
  bearer: 'access',
  code: 'code',
  // A refresh re-checks the person at the issuer and rotates upstream tokens, which the
  // authorization tests cover; here no refresh token is expected to succeed.
  refresh_token: undefined,
  client_id: 'client',
};

describe('sealed artefacts', () => {
  let harness: Harness;
  let client: RegisteredClient;
  let real: { access: string; refresh: string; link: string };

  beforeAll(async () => {
    harness = await startHarness();
    client = await registerClient(harness);
    const { code, verifier, browser } = await authorize(harness, client, bob);
    const tokens = await exchangeCode(harness, client, code, verifier);
    const host = harness.url.hostname;
    const linkName = browser.cookieNames(host).find((name) => name.startsWith('omb-link-'));
    real = {
      access: String(tokens.body.access_token),
      refresh: String(tokens.body.refresh_token),
      link: browser.getCookie(host, linkName!)!,
    };
  });

  afterAll(async () => {
    await harness.close();
  });

  /**
   * Seals or fetches the artefact; a code is fresh and bound to `pkce`'s challenge, and an
   * expired artefact expired `ago` seconds ago.
   */
  async function artefact(kind: Artefact, pkce: { challenge: string }, ago: number) {
    const issuer = harness.url.origin;
    const resource = harness.mcpUrl.href;
    const binding = { redirectUri: client.redirect_uri, codeChallenge: pkce.challenge, resource };
    const grant = grantFor(harness, client.client_id);
    const sealWith = (sealer: Sealer, purpose: Purpose, audience: string) =>
      sealer.seal(purpose, grant, { audience, expiresAt: Math.floor(Date.now() / 1000) + 600 });
    switch (kind) {
      case 'access':
      case 'refresh':
      case 'link':
        return real[kind];
      case 'code':
        return codeFor(harness, client.client_id, binding);
      case 'client':
        return client.client_id;
      case 'transaction':
        return sealAs(
          harness,
          'transaction',
          { csrf: 'x' },
          { audience: issuer, expiresInSeconds: 600 },
        );
      case 'consent':
        return sealAs(
          harness,
          'consent',
          { csrf: 'x' },
          { audience: issuer, expiresInSeconds: 600 },
        );
      case 'access-for-another-resource':
        return sealAs(harness, 'access', grant, { audience: 'https://other.example/mcp' });
      case 'access-for-the-issuer':
        return sealAs(harness, 'access', grant, { audience: issuer });
      case 'access-of-another-issuer':
        return sealWith(new Sealer(harness.keys, 'https://other.example'), 'access', resource);
      case 'access-expired':
        return sealAs(harness, 'access', grant, { audience: resource, expiresInSeconds: -ago });
      case 'code-expired':
        return sealAs(harness, 'code', codePayload(harness, client.client_id, binding), {
          audience: issuer,
          expiresInSeconds: -ago,
        });
      case 'code-for-the-resource':
        return sealAs(harness, 'code', codePayload(harness, client.client_id, binding), {
          audience: resource,
        });
      case 'refresh-expired':
        return sealAs(harness, 'refresh', grant, { audience: issuer, expiresInSeconds: -ago });
      case 'access-of-another-key':
        return sealWith(new Sealer(generateKeyRing('k-other'), issuer), 'access', resource);
      case 'access-of-another-key-same-kid':
        return sealWith(
          new Sealer(generateKeyRing(harness.keys.current.kid), issuer),
          'access',
          resource,
        );
    }
  }

  /** Presents `value` in `slot`, with everything else in the request right. */
  async function present(slot: Slot, value: string, verifier: string): Promise<OAuthReply> {
    if (slot === 'bearer') {
      return oauthReply(await mcpPost(harness, value, LIST_TOOLS));
    }
    const form: Record<string, string> = { client_id: client.client_id };
    if (slot === 'refresh_token') {
      Object.assign(form, { grant_type: 'refresh_token', refresh_token: value });
    } else {
      const own = pkcePair();
      const ownCode = slot === 'client_id';
      const code = ownCode
        ? await codeFor(harness, client.client_id, {
            redirectUri: client.redirect_uri,
            codeChallenge: own.challenge,
            resource: harness.mcpUrl.href,
          })
        : value;
      Object.assign(form, {
        grant_type: 'authorization_code',
        code,
        redirect_uri: client.redirect_uri,
        code_verifier: ownCode ? own.verifier : verifier,
      });
      if (ownCode) {
        form.client_id = value;
      }
    }
    const response = await fetch(new URL('/token', harness.url), {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-forwarded-for': nextClientAddress(),
      },
      body: new URLSearchParams(form).toString(),
    });
    return oauthReply(response);
  }

  it('open artefacts only for their purpose', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...ARTEFACTS),
        fc.constantFrom(...SLOTS),
        fc.integer({ min: 1, max: 10 ** 8 }),
        async (kind, slot, ago) => {
          // A successful refresh would rotate the real grant's upstream tokens (see ACCEPTED).
          fc.pre(!(kind === 'refresh' && slot === 'refresh_token'));
          const pkce = pkcePair();
          const value = await artefact(kind, pkce, ago);
          const reply = await present(slot, value, pkce.verifier);
          checkPresented(slot, kind, reply);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('reject a changed access token', async () => {
    await fc.assert(
      fc.asyncProperty(tokenMutation, async (mutation) => {
        const token = mutate(real.access, mutation);
        fc.pre(/^\S+$/.test(token));
        const reply = await oauthReply(await mcpPost(harness, token, LIST_TOOLS));
        if (sameSegments(token, real.access)) {
          // Another spelling of the same bytes, such as unused low bits of the last character.
          expect([200, 401]).toContain(reply.status);
          return;
        }
        expect(reply.status, `${JSON.stringify(mutation)}: ${reply.text.slice(0, 200)}`).toBe(401);
        expect(reply.body.error).toBe('invalid_token');
      }),
      { numRuns: 200 },
    );
  });

  it('reject any other bearer value', async () => {
    const segment = fc.stringMatching(/^[A-Za-z0-9_-]{0,40}$/);
    const bearer = fc.oneof(
      fc.stringMatching(/^[\x21-\x7e]{1,200}$/),
      fc.array(segment, { minLength: 1, maxLength: 7 }).map((parts) => parts.join('.')),
      fc.constantFrom('null', 'undefined', '.', '....', 'Bearer', 'e30.e30.e30.e30.e30'),
    );
    await fc.assert(
      fc.asyncProperty(bearer, async (token) => {
        const reply = await oauthReply(await mcpPost(harness, token, LIST_TOOLS));
        expect(reply.status, reply.text.slice(0, 200)).toBe(401);
        // "Bearer " with nothing after it carries no token: RFC 6750 §3.1 gives no error code.
        expect(reply.body.error).toBe(token === '' ? 'unauthorized' : 'invalid_token');
        expect(reply.headers.get('www-authenticate')).toMatch(/^Bearer resource_metadata=/);
      }),
      { numRuns: 200 },
    );
  });

  function checkPresented(slot: Slot, kind: Artefact, reply: OAuthReply): void {
    const detail = `${kind} in ${slot}: ${reply.status} ${reply.text.slice(0, 200)}`;
    const accepted = ACCEPTED[slot] === kind;
    if (slot === 'bearer') {
      expect(reply.status, detail).toBe(accepted ? 200 : 401);
      if (!accepted) {
        expect(reply.body.error, detail).toBe('invalid_token');
        expect(reply.headers.get('www-authenticate'), detail).toMatch(/^Bearer resource_metadata=/);
      }
      return;
    }
    if (accepted) {
      expect(reply.status, detail).toBe(200);
      expect(typeof reply.body.access_token, detail).toBe('string');
      return;
    }
    expect(reply.body, detail).not.toHaveProperty('access_token');
    if (slot === 'client_id') {
      expect(reply.status, detail).toBe(401);
      expect(reply.body.error, detail).toBe('invalid_client');
      return;
    }
    expect(reply.status, detail).toBe(400);
    expect(reply.body.error, detail).toBe('invalid_grant');
    // The artefact failed to open as what the slot takes, before anything else was checked.
    const label = slot === 'code' ? 'authorization code' : 'refresh token';
    expect(String(reply.body.error_description), detail).toMatch(new RegExp(`^${label} `));
  }
});

const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** A change to a token: at a position given as a fraction of its length. */
type Mutation =
  | { kind: 'replace'; at: number; with: string }
  | { kind: 'truncate'; at: number }
  | { kind: 'insert'; at: number; text: string }
  | { kind: 'drop-segment'; segment: number }
  | { kind: 'swap-segments'; first: number; second: number }
  | { kind: 'header'; header: string };

const fraction = fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true });

const tokenMutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({
    kind: fc.constant('replace' as const),
    at: fraction,
    with: fc.constantFrom(...BASE64URL, '.', '='),
  }),
  fc.record({ kind: fc.constant('truncate' as const), at: fraction }),
  fc.record({
    kind: fc.constant('insert' as const),
    at: fraction,
    text: fc.stringMatching(/^[A-Za-z0-9_.=-]{1,4}$/),
  }),
  fc.record({ kind: fc.constant('drop-segment' as const), segment: fc.nat(4) }),
  fc.record({
    kind: fc.constant('swap-segments' as const),
    first: fc.nat(4),
    second: fc.nat(4),
  }),
  fc.record({
    kind: fc.constant('header' as const),
    header: fc.constantFrom(
      '{"alg":"none"}',
      '{"alg":"dir","enc":"A256GCM"}',
      '{"alg":"dir","enc":"A128GCM","kid":"k1"}',
      '{"alg":"RSA-OAEP","enc":"A256GCM","kid":"k1"}',
      '{"alg":"dir","enc":"A256GCM","kid":"k1","typ":"odoo-mcp-bridge-access+jwt","zip":"DEF"}',
      '{"alg":"dir","enc":"A256GCM","kid":"k1","typ":"odoo-mcp-bridge-code+jwt"}',
    ),
  }),
);

function mutate(token: string, mutation: Mutation): string {
  const at = (position: number) => Math.floor(position * token.length);
  const segments = token.split('.');
  switch (mutation.kind) {
    case 'replace':
      return token.slice(0, at(mutation.at)) + mutation.with + token.slice(at(mutation.at) + 1);
    case 'truncate':
      return token.slice(0, at(mutation.at));
    case 'insert':
      return token.slice(0, at(mutation.at)) + mutation.text + token.slice(at(mutation.at));
    case 'drop-segment':
      return segments.filter((_, index) => index !== mutation.segment).join('.');
    case 'swap-segments': {
      const swapped = [...segments];
      swapped[mutation.first] = segments[mutation.second]!;
      swapped[mutation.second] = segments[mutation.first]!;
      return swapped.join('.');
    }
    case 'header':
      return [Buffer.from(mutation.header).toString('base64url'), ...segments.slice(1)].join('.');
  }
}

/**
 * Tells whether two compact JWEs carry the same bytes: the same protected header text, which
 * is the AES-GCM additional data, and the same decoded key, IV, ciphertext and tag.
 */
function sameSegments(a: string, b: string): boolean {
  const left = a.split('.');
  const right = b.split('.');
  if (left.length !== 5 || right.length !== 5 || left[0] !== right[0]) {
    return false;
  }
  return left.every((segment, index) => {
    const other = right[index]!;
    return Buffer.from(segment, 'base64url').equals(Buffer.from(other, 'base64url'));
  });
}
