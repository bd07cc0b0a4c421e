import type { BridgeContext } from '../../context.js';
import { OdooError } from '../../odoo/errors.js';
import { allowlistRefusal } from '../../upstream/allowlist.js';
import { UpstreamError } from '../../upstream/errors.js';
import { clientFingerprint } from '../clients/clients.js';
import type { Client } from '../clients/registration.js';
import { OAuthError } from '../errors.js';
import { required, single } from '../form.js';
import { isGoogleUser, type ApiKeyOdooUser, type Grant, type GoogleOdooUser } from '../grant.js';
import { googleSessionRenewal } from '../odoo-google.js';
import { openRefreshToken } from '../tokens.js';
import { checkResourceParameter } from './resource.js';

/**
 * Runs the `refresh_token` grant (RFC 6749 §6). Every refresh re-checks the person at the
 * upstream issuer and in Odoo, so a refresh is where revocation at either end takes effect.
 */
export async function refreshGrant(
  context: BridgeContext,
  client: Client,
  params: URLSearchParams,
): Promise<Grant> {
  const grant = await openRefreshToken(context, required(params, 'refresh_token'));
  try {
    return await recheckGrant(context, client, params, grant);
  } catch (error) {
    if (error instanceof OAuthError) {
      error.grant = { email: grant.person.email, grantId: grant.grantId };
    }
    throw error;
  }
}

/** Checks a refresh token's grant against the client, the allowlist, the issuer and Odoo. */
async function recheckGrant(
  context: BridgeContext,
  client: Client,
  params: URLSearchParams,
  grant: Grant,
): Promise<Grant> {
  if (grant.client.fingerprint !== clientFingerprint(client.client_id)) {
    throw new OAuthError('invalid_grant', 'refresh token was issued to another client');
  }
  checkResourceParameter(context, params);
  checkScope(grant, single(params, 'scope'));

  const refusal = allowlistRefusal(context.allowlist, {
    email: grant.person.email,
    hostedDomain: grant.person.hd,
  });
  if (refusal !== undefined) {
    throw new OAuthError('invalid_grant', `${refusal}; ask your administrator`);
  }

  // Google first: in google mode the new Odoo session is opened with the new Google token.
  const upstream = await recheckUpstream(context, grant);
  if (isGoogleUser(grant.odoo)) {
    const odoo = await renewGoogleSession(context, grant, grant.odoo, upstream.accessToken);
    return { ...grant, upstream, odoo };
  }
  await recheckOdoo(context, grant, grant.odoo);
  return { ...grant, upstream };
}

/** Checks a requested scope: a refresh may narrow it but not widen it (RFC 6749 §6). */
function checkScope(grant: Grant, requested: string | undefined): void {
  if (requested === undefined) {
    return;
  }
  const granted = new Set(grant.scope.split(' '));
  const extra = requested.split(' ').filter((scope) => scope !== '' && !granted.has(scope));
  if (extra.length > 0) {
    throw new OAuthError('invalid_scope', `scope ${extra.join(' ')} was not granted`);
  }
}

async function recheckUpstream(context: BridgeContext, grant: Grant): Promise<Grant['upstream']> {
  try {
    return await context.rechecks.recheckNow(grant);
  } catch (error) {
    if (!(error instanceof UpstreamError)) {
      throw error;
    }
    if (error.kind === 'unavailable') {
      throw new OAuthError(
        'temporarily_unavailable',
        'the sign-in provider could not be reached to confirm your account; try again shortly',
        { cause: error },
      );
    }
    throw new OAuthError(
      'invalid_grant',
      `your sign-in has ended (${error.message}); connect again`,
      {
        cause: error,
      },
    );
  }
}

/**
 * Confirms that Odoo still accepts the person's API key, so a revoked key ends the grant here
 * and the client asks the person to connect again. When Odoo cannot be reached the refresh
 * goes on: each tool call presents the key to Odoo anyway.
 */
async function recheckOdoo(
  context: BridgeContext,
  grant: Grant,
  user: ApiKeyOdooUser,
): Promise<void> {
  try {
    const uid = await context.odoo.authenticate({ login: user.login, apiKey: user.apiKey });
    if (uid !== user.uid) {
      throw new OAuthError(
        'invalid_grant',
        'the Odoo API key now signs in another user; connect again',
      );
    }
  } catch (error) {
    if (error instanceof OdooError && error.kind === 'authentication') {
      throw new OAuthError(
        'invalid_grant',
        'Odoo no longer accepts your API key (revoked, expired or the user archived); connect again with a new key',
        { cause: error },
      );
    }
    if (error instanceof OdooError) {
      context.logger.warn(
        { event: 'oauth.refresh', grant_id: grant.grantId, email: grant.person.email, error },
        'Odoo could not confirm the API key during refresh; the refresh goes on',
      );
      return;
    }
    throw error;
  }
}

/**
 * Confirms the grant's Odoo session with one cheap call, and opens a new one with the
 * refreshed Google token only if Odoo ended it. Odoo ties its sessions to the token they were
 * opened with, so signing in with each new token would end the person's other sessions (their
 * other clients). When Odoo cannot be reached the old session is kept.
 */
async function renewGoogleSession(
  context: BridgeContext,
  grant: Grant,
  user: GoogleOdooUser,
  accessToken: string,
): Promise<GoogleOdooUser> {
  const sessionId = context.odooSessions.get(grant.grantId) ?? user.sessionId;
  const renew = googleSessionRenewal(context, { ...grant, odoo: user }, async () => accessToken);
  try {
    const connection = context.odoo.connectSession(
      { sessionId, uid: user.uid, login: user.login },
      renew,
    );
    await connection.executeKw('res.users', 'context_get', []);
    return { ...user, sessionId: connection.currentSessionId() };
  } catch (error) {
    // googleSessionRenewal makes a refused sign-in an authentication error.
    if (error instanceof OdooError && error.kind === 'authentication') {
      throw new OAuthError('invalid_grant', `${error.message} Connect again.`, { cause: error });
    }
    context.logger.warn(
      { event: 'oauth.refresh', grant_id: grant.grantId, email: grant.person.email, error },
      'Odoo could not confirm the session during refresh; the refresh goes on',
    );
    return user;
  }
}
