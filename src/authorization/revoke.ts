import type { BridgeContext } from '../context.js';
import { UpstreamError } from '../upstream/errors.js';
import { clientFingerprint } from './clients/clients.js';
import { OAuthError } from './errors.js';
import { readForm, required, single } from './form.js';
import { isGoogleUser, type Grant } from './grant.js';
import { signOutOfOdoo } from './odoo-google.js';
import { oauthErrorResponse } from './responses.js';
import { presentedClient } from './token/endpoint.js';

/**
 * `POST /revoke` (RFC 7009). A sealed token cannot be withdrawn, so the bridge revokes the
 * upstream grant at the issuer instead: every token derived from it fails its next re-check,
 * and this instance refuses them at once.
 */
export async function handleRevoke(context: BridgeContext, request: Request): Promise<Response> {
  try {
    const params = await readForm(request);
    const token = required(params, 'token');
    const client = await context.clients.authenticate(presentedClient(request, params));
    const grant = await openAnyToken(context, token, single(params, 'token_type_hint'));

    // RFC 7009 §2.2: an invalid token, or one of another client, gets 200 as well.
    if (grant === undefined || grant.client.fingerprint !== clientFingerprint(client.client_id)) {
      return new Response(null, { status: 200 });
    }
    await revokeGrant(context, grant);
    return new Response(null, { status: 200 });
  } catch (error) {
    if (error instanceof OAuthError) {
      return oauthErrorResponse(error, request.headers.has('authorization'));
    }
    throw error;
  }
}

async function revokeGrant(context: BridgeContext, grant: Grant): Promise<void> {
  context.rechecks.markEnded(grant.grantId, 'the grant was revoked; connect again');
  if (isGoogleUser(grant.odoo)) {
    // NOTE: a session that another instance renewed for this grant is unknown here, so it lasts
    // until Odoo's expiry. The grant's tokens still end at their next re-check at the issuer.
    const sessionId = context.odooSessions.get(grant.grantId) ?? grant.odoo.sessionId;
    await signOutOfOdoo(context, sessionId);
  }
  try {
    await context.upstream.revoke(grant.upstream);
  } catch (error) {
    if (error instanceof UpstreamError && error.kind === 'unavailable') {
      throw new OAuthError(
        'temporarily_unavailable',
        'the sign-in provider could not be reached to revoke the grant; try again',
        { cause: error },
      );
    }
    // A grant the issuer has already forgotten cannot be revoked any further there.
    context.logger.warn(
      { event: 'oauth.revoke', grant_id: grant.grantId, email: grant.person.email, error },
      'Upstream revocation failed; the grant is refused on this instance only',
    );
  }
  context.logger.info(
    {
      event: 'oauth.revoke',
      grant_id: grant.grantId,
      email: grant.person.email,
      outcome: 'revoked',
    },
    `Revoked the grant of ${grant.person.email}`,
  );
}

async function openAnyToken(
  context: BridgeContext,
  token: string,
  hint: string | undefined,
): Promise<Grant | undefined> {
  const attempts: Array<['access' | 'refresh', string]> = [
    ['refresh', context.settings.issuer],
    ['access', context.settings.resource],
  ];
  if (hint === 'access_token') {
    attempts.reverse();
  }
  for (const [purpose, audience] of attempts) {
    const opened = await context.sealer.tryOpen<Grant>(purpose, token, audience);
    if (opened !== undefined) {
      return opened.payload;
    }
  }
  return undefined;
}
