import { randomBytes } from 'node:crypto';
import type { BridgeContext } from '../context.js';
import { messageResponse } from '../http/pages/message.js';
import { UpstreamError } from '../upstream/errors.js';
import { isRegisteredRedirectUri, type Client } from './clients/registration.js';
import { OAuthError } from './errors.js';
import { required, single } from './form.js';
import { grantedScope } from './grant.js';
import { checkCodeChallenge } from './pkce.js';
import { checkResourceParameter } from './token/resource.js';
import {
  TRANSACTION_TTL_SECONDS,
  sealTransaction,
  type AuthorizationRequest,
  type Transaction,
} from './transaction.js';

/**
 * `GET /authorize` (RFC 6749 §4.1.1 with PKCE). Checks the client's request, then sends the
 * browser to the upstream issuer with the bridge's own PKCE, nonce and state.
 */
export async function handleAuthorize(context: BridgeContext, request: Request): Promise<Response> {
  const params = new URL(request.url).searchParams;
  let client: Client;
  let redirectUri: string;
  try {
    client = await context.clients.find(required(params, 'client_id'));
    redirectUri = resolveRedirectUri(client, single(params, 'redirect_uri'));
  } catch (error) {
    // RFC 6749 §4.1.2.1: without a trusted redirect_uri the error is shown, never redirected.
    if (error instanceof OAuthError) {
      return invalidRequestPage(error, 400);
    }
    throw error;
  }

  try {
    const authorization = checkRequest(context, client, redirectUri, params);
    return await startUpstreamSignIn(context, authorization);
  } catch (error) {
    if (error instanceof OAuthError) {
      logRefusal(context, client, error);
      return error.code === 'temporarily_unavailable'
        ? unavailablePage(error)
        : invalidRequestPage(error, 400);
    }
    throw error;
  }
}

/**
 * Shows an invalid request instead of redirecting it back. Anyone can register a client with
 * any https redirect URI, so redirecting errors before the person has signed in would make
 * /authorize an open redirector (RFC 9700 §4.11.2). Only responses after sign-in redirect.
 */
function invalidRequestPage(error: OAuthError, status: number): Promise<Response> {
  return messageResponse(
    {
      title: 'This connection request is invalid',
      paragraphs: [error.description, 'Start the connection again from your MCP client.'],
    },
    status,
  );
}

/** Shows that the sign-in cannot start now, such as while the upstream issuer is down. */
function unavailablePage(error: OAuthError): Promise<Response> {
  return messageResponse(
    {
      title: 'Sign-in is unavailable right now',
      paragraphs: [error.description, 'Try again in a moment from your MCP client.'],
    },
    503,
  );
}

function resolveRedirectUri(client: Client, requested: string | undefined): string {
  if (requested === undefined) {
    throw new OAuthError('invalid_request', 'redirect_uri is missing');
  }
  if (!isRegisteredRedirectUri(client, requested)) {
    throw new OAuthError(
      'invalid_request',
      `redirect_uri ${requested} is not registered for ${client.client_name ?? 'this client'}`,
    );
  }
  return requested;
}

function checkRequest(
  context: BridgeContext,
  client: Client,
  redirectUri: string,
  params: URLSearchParams,
): AuthorizationRequest {
  const responseType = single(params, 'response_type');
  if (responseType !== 'code') {
    throw new OAuthError(
      'unsupported_response_type',
      `response_type must be code, not ${responseType ?? 'missing'}`,
    );
  }
  const codeChallenge = checkCodeChallenge(
    single(params, 'code_challenge'),
    single(params, 'code_challenge_method'),
  );
  checkResourceParameter(context, params);
  return {
    clientId: client.client_id,
    clientName: client.client_name ?? new URL(redirectUri).host,
    redirectUri,
    state: single(params, 'state'),
    codeChallenge,
    scope: grantedScope(single(params, 'scope')),
    resource: context.settings.resource,
  };
}

async function startUpstreamSignIn(
  context: BridgeContext,
  authorization: AuthorizationRequest,
): Promise<Response> {
  const transaction: Transaction = {
    request: authorization,
    upstream: { state: random(), nonce: random(), codeVerifier: random(48) },
    csrf: random(),
  };
  let location: URL;
  try {
    location = await context.upstream.authorizationUrl(transaction.upstream);
  } catch (error) {
    if (error instanceof UpstreamError) {
      throw new OAuthError(
        'temporarily_unavailable',
        `the sign-in provider ${context.upstream.issuer.host} could not be reached; try again`,
        { cause: error },
      );
    }
    throw error;
  }

  const cookie = context.cookies.set(
    context.cookies.transactionName(transaction.upstream.state),
    await sealTransaction(context, transaction),
    TRANSACTION_TTL_SECONDS,
  );
  return new Response(null, {
    status: 302,
    headers: { Location: location.href, 'Set-Cookie': cookie, 'Cache-Control': 'no-store' },
  });
}

/** Sends the browser back to the client with an error (RFC 6749 §4.1.2.1, RFC 9207 `iss`). */
export function redirectWithError(
  context: BridgeContext,
  target: { redirectUri: string; state?: string | undefined },
  error: OAuthError,
  headers?: Record<string, string>,
): Response {
  const location = new URL(target.redirectUri);
  location.searchParams.set('error', error.code);
  location.searchParams.set('error_description', error.description);
  if (target.state !== undefined) {
    location.searchParams.set('state', target.state);
  }
  location.searchParams.set('iss', context.settings.issuer);
  return new Response(null, {
    status: 302,
    headers: { Location: location.href, 'Cache-Control': 'no-store', ...headers },
  });
}

function logRefusal(context: BridgeContext, client: Client, error: OAuthError): void {
  // An unreachable issuer is the operator's problem; a bad request is the client's.
  const level = error.code === 'temporarily_unavailable' ? 'warn' : 'info';
  context.logger[level](
    {
      event: 'oauth.authorize',
      client_name: client.client_name,
      outcome: error.code,
      reason: error.description,
    },
    `Authorization request refused: ${error.code}`,
  );
}

function random(bytes = 24): string {
  return randomBytes(bytes).toString('base64url');
}
