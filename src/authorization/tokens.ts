import { randomBytes } from 'node:crypto';
import type { BridgeContext } from '../context.js';
import { SealError } from '../seal/seal.js';
import { OAuthError } from './errors.js';
import { nowSeconds, type Grant } from './grant.js';

/** An authorization code lives at most this long (RFC 6749 §4.1.2 recommends ≤ 10 minutes). */
export const CODE_TTL_SECONDS = 60;

/** The request details a code binds besides the grant, checked when it is redeemed. */
export interface CodeBinding {
  redirectUri: string;
  codeChallenge: string;
  resource: string;
}

interface CodePayload extends Grant, CodeBinding {
  codeId: string;
}

/** The token response of RFC 6749 §5.1. */
export interface TokenResponse {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  refresh_token: string;
  scope: string;
}

/** Seals a one-minute authorization code for the grant. */
export async function issueCode(
  context: BridgeContext,
  grant: Grant,
  binding: CodeBinding,
): Promise<string> {
  const payload: CodePayload = {
    ...grant,
    ...binding,
    codeId: randomBytes(16).toString('base64url'),
  };
  return context.sealer.seal('code', payload, {
    audience: context.settings.issuer,
    expiresAt: nowSeconds() + CODE_TTL_SECONDS,
  });
}

/**
 * Opens a code and marks it redeemed on this instance. A replay on another instance is
 * useless without the PKCE verifier, and the code expires within a minute anyway.
 */
export async function redeemCode(
  context: BridgeContext,
  code: string,
): Promise<{ grant: Grant; binding: CodeBinding }> {
  const payload = await openOrInvalidGrant<CodePayload>(
    context,
    'code',
    code,
    'authorization code',
  );
  if (context.redeemedCodes.has(payload.codeId)) {
    throw new OAuthError('invalid_grant', 'authorization code was already used');
  }
  context.redeemedCodes.set(payload.codeId, true, (CODE_TTL_SECONDS + 5) * 1000);

  const { codeId, redirectUri, codeChallenge, resource, ...grant } = payload;
  void codeId;
  return { grant, binding: { redirectUri, codeChallenge, resource } };
}

/** Opens a refresh token; its expiry is the absolute end of the refresh chain. */
export async function openRefreshToken(context: BridgeContext, token: string): Promise<Grant> {
  return openOrInvalidGrant<Grant>(context, 'refresh', token, 'refresh token');
}

/**
 * Issues an access token for the resource and a refresh token that ends a fixed time after the
 * sign-in, not after this refresh, so that rotation cannot extend a grant forever.
 */
export async function issueTokens(context: BridgeContext, grant: Grant): Promise<TokenResponse> {
  const { settings, sealer } = context;
  const now = nowSeconds();
  const chainEnd = grant.authTime + settings.refreshTokenTtlSeconds;
  const accessExpiresAt = Math.min(now + settings.accessTokenTtlSeconds, chainEnd);
  const accessToken = await sealer.seal('access', grant, {
    audience: settings.resource,
    expiresAt: accessExpiresAt,
  });
  const refreshToken = await sealer.seal('refresh', grant, {
    audience: settings.issuer,
    expiresAt: chainEnd,
  });
  return {
    access_token: accessToken,
    token_type: 'Bearer',
    expires_in: accessExpiresAt - now,
    refresh_token: refreshToken,
    scope: grant.scope,
  };
}

async function openOrInvalidGrant<T>(
  context: BridgeContext,
  purpose: 'code' | 'refresh',
  token: string,
  label: string,
): Promise<T> {
  try {
    const opened = await context.sealer.open<T>(purpose, token, context.settings.issuer);
    return opened.payload;
  } catch (error) {
    if (error instanceof SealError) {
      throw new OAuthError('invalid_grant', `${label} ${error.message}`);
    }
    throw error;
  }
}
