import { randomUUID } from 'node:crypto';
import { clientFingerprint } from '../../src/authorization/clients/clients.js';
import { nowSeconds, SCOPE, type Grant } from '../../src/authorization/grant.js';
import { issueCode, issueTokens, type CodeBinding } from '../../src/authorization/tokens.js';
import type { Purpose } from '../../src/seal/seal.js';
import type { Harness } from '../helpers/harness.js';

/**
 * Seals artefacts with the harness's own keys, as the bridge does after a sign-in, without
 * the sign-in, so that a property can have fresh codes and tokens for every run. The upstream
 * tokens are placeholders: a refresh, which checks them at the issuer, fails.
 */

/** Builds a grant of Bob's demo Odoo user, with his real API key, made to `clientId`. */
export function grantFor(harness: Harness, clientId: string): Grant {
  const person = harness.odoo.demo.people.find((p) => p.email === 'bob@example.com')!;
  return {
    grantId: randomUUID(),
    person: { sub: 'google-bob', email: person.email, name: person.name, hd: 'example.com' },
    client: { fingerprint: clientFingerprint(clientId), name: 'Fuzz client' },
    scope: SCOPE,
    odoo: { uid: person.uid, login: person.login, name: person.name, apiKey: person.apiKey },
    upstream: {
      accessToken: `upstream-placeholder-${randomUUID()}`,
      expiresAt: nowSeconds() + 3600,
    },
    authTime: nowSeconds(),
  };
}

/** Seals a fresh authorization code of `clientId`, as the consent endpoint issues it. */
export function codeFor(harness: Harness, clientId: string, binding: CodeBinding): Promise<string> {
  return issueCode(harness.bridge.context, grantFor(harness, clientId), binding);
}

/** Seals an access token and a refresh token of `clientId`, as the token endpoint issues them. */
export async function tokensFor(
  harness: Harness,
  clientId: string,
): Promise<{ access: string; refresh: string }> {
  const tokens = await issueTokens(harness.bridge.context, grantFor(harness, clientId));
  return { access: tokens.access_token, refresh: tokens.refresh_token };
}

/**
 * Seals any payload for any purpose and audience, with an expiry in seconds from now, which
 * is negative for one in the past, to make artefacts the bridge never issues: expired ones
 * and ones for another audience.
 */
export function sealAs(
  harness: Harness,
  purpose: Purpose,
  payload: object,
  options: { audience: string; expiresInSeconds?: number },
): Promise<string> {
  const { audience, expiresInSeconds } = options;
  return harness.bridge.context.sealer.seal(purpose, payload, {
    audience,
    ...(expiresInSeconds === undefined ? {} : { expiresAt: nowSeconds() + expiresInSeconds }),
  });
}

/** Builds the payload of an authorization code, for sealing one by hand. */
export function codePayload(harness: Harness, clientId: string, binding: CodeBinding): object {
  return { ...grantFor(harness, clientId), ...binding, codeId: randomUUID() };
}
