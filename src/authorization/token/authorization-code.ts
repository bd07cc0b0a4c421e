import type { BridgeContext } from '../../context.js';
import { clientFingerprint } from '../clients/clients.js';
import type { Client } from '../clients/registration.js';
import { OAuthError } from '../errors.js';
import { single } from '../form.js';
import type { Grant } from '../grant.js';
import { verifyCodeVerifier } from '../pkce.js';
import { redeemCode } from '../tokens.js';
import { checkResourceParameter } from './resource.js';

/** Runs the `authorization_code` grant (RFC 6749 §4.1.3, with PKCE per RFC 7636 §4.6). */
export async function exchangeAuthorizationCode(
  context: BridgeContext,
  client: Client,
  params: URLSearchParams,
): Promise<Grant> {
  const code = single(params, 'code');
  if (code === undefined) {
    throw new OAuthError('invalid_request', 'parameter code is missing');
  }
  const { grant, binding } = await redeemCode(context, code);

  if (grant.client.fingerprint !== clientFingerprint(client.client_id)) {
    throw new OAuthError('invalid_grant', 'authorization code was issued to another client');
  }
  // The authorization request always carries redirect_uri, so RFC 6749 §4.1.3 requires it here.
  const redirectUri = single(params, 'redirect_uri');
  if (redirectUri === undefined) {
    throw new OAuthError('invalid_request', 'parameter redirect_uri is missing');
  }
  if (redirectUri !== binding.redirectUri) {
    throw new OAuthError(
      'invalid_grant',
      'redirect_uri differs from the one of the authorization request',
    );
  }
  checkResourceParameter(context, params);
  verifyCodeVerifier(single(params, 'code_verifier'), binding.codeChallenge);
  context.rechecks.confirmSignIn(grant);
  context.odooKeys.confirm(grant);
  return grant;
}
