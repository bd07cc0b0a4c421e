import type { BridgeContext } from '../../context.js';
import { parseBasicCredentials, type PresentedClient } from '../clients/clients.js';
import type { Client } from '../clients/registration.js';
import { OAuthError } from '../errors.js';
import { readForm, required, single } from '../form.js';
import type { Grant } from '../grant.js';
import { issueTokens } from '../tokens.js';
import { oauthErrorResponse, oauthJson } from '../responses.js';
import { exchangeAuthorizationCode } from './authorization-code.js';
import { refreshGrant } from './refresh-token.js';

type GrantHandler = (
  context: BridgeContext,
  client: Client,
  params: URLSearchParams,
) => Promise<Grant>;

const GRANTS = new Map<string, GrantHandler>([
  ['authorization_code', exchangeAuthorizationCode],
  ['refresh_token', refreshGrant],
]);

/** `POST /token` (RFC 6749 §3.2): authenticates the client, runs the grant, issues tokens. */
export async function handleToken(context: BridgeContext, request: Request): Promise<Response> {
  const startedMs = Date.now();
  let grantType: string | undefined;
  let client: Client | undefined;
  try {
    const params = await readForm(request);
    grantType = required(params, 'grant_type');
    const handler = GRANTS.get(grantType);
    if (handler === undefined) {
      throw new OAuthError(
        'unsupported_grant_type',
        `grant_type "${grantType}" is not supported; use authorization_code or refresh_token`,
      );
    }
    client = await context.clients.authenticate(presentedClient(request, params));
    const grant = await handler(context, client, params);
    const tokens = await issueTokens(context, grant);
    context.logger.info(
      {
        event: 'oauth.token',
        grant_type: grantType,
        client: grant.client,
        grant_id: grant.grantId,
        email: grant.person.email,
        odoo_uid: grant.odoo.uid,
        outcome: 'issued',
        duration_ms: Date.now() - startedMs,
      },
      `Issued tokens (${grantType}) to ${grant.person.email}`,
    );
    return oauthJson(tokens);
  } catch (error) {
    if (!(error instanceof OAuthError)) {
      throw error;
    }
    context.logger.info(
      {
        event: 'oauth.token',
        grant_type: grantType,
        client: client === undefined ? undefined : { name: client.client_name },
        grant_id: error.grant?.grantId,
        email: error.grant?.email,
        outcome: error.code,
        reason: error.description,
        duration_ms: Date.now() - startedMs,
      },
      `Token request refused: ${error.code}`,
    );
    return oauthErrorResponse(error, request.headers.has('authorization'));
  }
}

/** Client credentials from `Authorization: Basic` or from the body, but not from both. */
export function presentedClient(request: Request, params: URLSearchParams): PresentedClient {
  const basic = parseBasicCredentials(request.headers.get('authorization') ?? undefined);
  const bodyId = single(params, 'client_id');
  const bodySecret = single(params, 'client_secret');
  if (basic !== undefined) {
    if (bodySecret !== undefined) {
      throw new OAuthError('invalid_request', 'send client credentials in one way, not two');
    }
    if (bodyId !== undefined && bodyId !== basic.clientId) {
      throw new OAuthError(
        'invalid_client',
        'client_id in the body differs from Basic credentials',
      );
    }
    return { ...basic, method: 'client_secret_basic' };
  }
  return {
    clientId: bodyId,
    clientSecret: bodySecret,
    method: bodySecret === undefined ? 'none' : 'client_secret_post',
  };
}
