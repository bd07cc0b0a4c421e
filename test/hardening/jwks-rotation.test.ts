import { decodeProtectedHeader } from 'jose';
import type { KoaContextWithOIDC } from 'oidc-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PEOPLE, startHarness, type Harness } from '../helpers/harness.js';
import {
  authorize,
  exchangeCode,
  mcpPost,
  registerClient,
  type RegisteredClient,
} from '../helpers/oauth.js';

const [alice, bob] = PEOPLE as [(typeof PEOPLE)[number], (typeof PEOPLE)[number]];

const WHOAMI = {
  jsonrpc: '2.0',
  id: 1,
  method: 'tools/call',
  params: { name: 'whoami', arguments: {} },
};

/**
 * The issuer switches signing keys between two sign-ins. openid-client 6.9 checks the claims
 * of an ID token from the token endpoint (iss, aud, exp, nonce). It verifies the signature
 * only with `enableNonRepudiationChecks`, and then re-fetches a JWKS that lacks the token's
 * `kid` only once its cached copy is 60 s old. Either way a sign-in right after the rotation
 * must work.
 */
describe('issuer signing key rotation', () => {
  let harness: Harness;
  let client: RegisteredClient;
  const idTokenKids: string[] = [];

  beforeAll(async () => {
    harness = await startHarness();
    client = await registerClient(harness);
  });

  afterAll(async () => {
    await harness.close();
  });

  /** Records the `kid` of every ID token the issuer now serving gives out. */
  function watchIdTokens(): void {
    harness.issuer.issuer.provider.on('grant.success', (ctx: KoaContextWithOIDC) => {
      const idToken = (ctx.body as { id_token?: string }).id_token;
      if (idToken !== undefined) {
        idTokenKids.push(String(decodeProtectedHeader(idToken).kid));
      }
    });
  }

  async function publishedKids(): Promise<string[]> {
    const discovery = new URL('/.well-known/openid-configuration', harness.issuer.url);
    const metadata = (await (await fetch(discovery)).json()) as { jwks_uri: string };
    const jwks = (await (await fetch(metadata.jwks_uri)).json()) as { keys: { kid: string }[] };
    return jwks.keys.map((key) => key.kid);
  }

  async function signIn(person: { sub: string; email: string }) {
    const { code, verifier } = await authorize(harness, client, person);
    const tokens = await exchangeCode(harness, client, code, verifier);
    expect(tokens.status).toBe(200);
    return tokens.body as { access_token: string; refresh_token: string };
  }

  async function whoamiEmail(accessToken: string): Promise<unknown> {
    const response = await mcpPost(harness, accessToken, WHOAMI);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { result: { structuredContent: { email: string } } };
    return body.result.structuredContent.email;
  }

  it('accepts an ID token of the new key', async () => {
    watchIdTokens();
    const before = await signIn(alice);
    const oldKids = await publishedKids();
    expect(idTokenKids).toEqual(oldKids);

    await harness.issuer.rotateSigningKey();
    watchIdTokens();
    const newKids = await publishedKids();
    expect(newKids).toHaveLength(1);
    expect(oldKids).not.toContain(newKids[0]);

    const after = await signIn(bob);
    expect(idTokenKids.at(-1)).toBe(newKids[0]);
    expect(await whoamiEmail(after.access_token)).toBe(bob.email);
    expect(await whoamiEmail(before.access_token)).toBe(alice.email);
  });
});
