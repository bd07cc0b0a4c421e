import { createHash, timingSafeEqual } from 'node:crypto';
import { OAuthError } from './errors.js';

/** RFC 7636 §4.1: 43-128 characters of the unreserved set. */
const VERIFIER_PATTERN = /^[A-Za-z0-9._~-]{43,128}$/;
/** An S256 challenge is a base64url SHA-256 digest: 43 characters. */
const CHALLENGE_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/** Checks the PKCE parameters of an authorization request: S256 only (OAuth 2.1 §4.1.1). */
export function checkCodeChallenge(
  challenge: string | undefined,
  method: string | undefined,
): string {
  if (challenge === undefined) {
    throw new OAuthError(
      'invalid_request',
      'code_challenge is missing; PKCE with S256 is required',
    );
  }
  if (method !== 'S256') {
    throw new OAuthError(
      'invalid_request',
      `code_challenge_method must be S256, not ${method === undefined ? 'missing (which means plain)' : `"${method}"`}`,
    );
  }
  if (!CHALLENGE_PATTERN.test(challenge)) {
    throw new OAuthError('invalid_request', 'code_challenge is not a base64url SHA-256 digest');
  }
  return challenge;
}

/** Checks a code_verifier against the challenge the authorization request carried. */
export function verifyCodeVerifier(verifier: string | undefined, challenge: string): void {
  if (verifier === undefined) {
    throw new OAuthError('invalid_grant', 'code_verifier is missing');
  }
  if (!VERIFIER_PATTERN.test(verifier)) {
    throw new OAuthError('invalid_grant', 'code_verifier must be 43-128 unreserved characters');
  }
  const computed = Buffer.from(createHash('sha256').update(verifier).digest('base64url'));
  const expected = Buffer.from(challenge);
  if (computed.length !== expected.length || !timingSafeEqual(computed, expected)) {
    throw new OAuthError('invalid_grant', 'code_verifier does not match the code_challenge');
  }
}
