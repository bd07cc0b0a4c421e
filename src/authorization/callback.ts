import type { BridgeContext } from '../context.js';
import { messageResponse } from '../http/pages/message.js';
import { allowlistRefusal } from '../upstream/allowlist.js';
import { UpstreamError } from '../upstream/errors.js';
import type { UpstreamSignIn } from '../upstream/issuer.js';
import { redirectWithError } from './authorize.js';
import { renderConsent } from './consent.js';
import { OAuthError } from './errors.js';
import { nowSeconds, type GoogleOdooUser } from './grant.js';
import { signInToOdooWithGoogle } from './odoo-google.js';
import { OdooPersonRefusal } from './odoo-person.js';
import { openTransaction, sealPendingConsent, type Transaction } from './transaction.js';

/**
 * Handles `GET /callback`, where the upstream issuer sends the browser back. The flow cookie
 * must match the state, the ID token must verify, and the person must have a verified, allowed
 * email. Then the consent page is shown.
 */
export async function handleCallback(context: BridgeContext, request: Request): Promise<Response> {
  const url = new URL(request.url);
  const state = url.searchParams.get('state') ?? '';
  const transaction = state === '' ? undefined : await openTransaction(context, request, state);
  if (transaction === undefined) {
    return messageResponse(
      {
        title: 'This sign-in has expired',
        paragraphs: [
          'The sign-in took longer than 15 minutes, or it was finished in another browser than the one that started it.',
          'Start the connection again from your MCP client.',
        ],
      },
      400,
    );
  }

  const back = { redirectUri: transaction.request.redirectUri, state: transaction.request.state };
  const clearFlow = { 'Set-Cookie': context.cookies.clear(context.cookies.transactionName(state)) };
  const upstreamError = url.searchParams.get('error');
  if (upstreamError !== null) {
    const description = `sign-in at ${context.upstream.issuer.host} ended with ${upstreamError}`;
    return redirectWithError(
      context,
      back,
      new OAuthError('access_denied', description),
      clearFlow,
    );
  }

  let signIn: UpstreamSignIn;
  try {
    // The redirect_uri sent with the code must be the public one, even behind a TLS proxy.
    const publicCallback = new URL(`/callback${url.search}`, context.settings.publicUrl);
    signIn = await context.upstream.finishSignIn(publicCallback, transaction.upstream);
  } catch (error) {
    if (error instanceof UpstreamError) {
      return signInFailed(context, transaction, error);
    }
    throw error;
  }

  const refusal = checkPerson(context, signIn);
  if (refusal !== undefined) {
    logSignIn(context, transaction, signIn, 'refused', refusal);
    return refusedPage(context, transaction, refusal);
  }
  logSignIn(context, transaction, signIn, 'signed_in');
  if (context.settings.odooAuth !== 'google') {
    return showConsent(context, request, transaction, signIn);
  }
  try {
    const odoo = await signInToOdooWithGoogle(context, signIn.tokens.accessToken);
    return showConsent(context, request, transaction, signIn, odoo);
  } catch (error) {
    if (error instanceof OdooPersonRefusal) {
      logSignIn(context, transaction, signIn, 'refused', error.reason);
      return refusedPage(context, transaction, error.message);
    }
    throw error;
  }
}

function checkPerson(context: BridgeContext, signIn: UpstreamSignIn): string | undefined {
  const { identity } = signIn;
  if (!identity.emailVerified) {
    return `The email ${identity.email} is not verified at ${context.upstream.issuer.host}. Verify it there, then connect again.`;
  }
  const refusal = allowlistRefusal(context.allowlist, identity);
  return refusal === undefined ? undefined : `${refusal}. Ask your administrator to add you.`;
}

async function showConsent(
  context: BridgeContext,
  request: Request,
  transaction: Transaction,
  signIn: UpstreamSignIn,
  odoo?: GoogleOdooUser,
): Promise<Response> {
  const { identity } = signIn;
  const consent = await sealPendingConsent(context, {
    state: transaction.upstream.state,
    csrf: transaction.csrf,
    request: transaction.request,
    person: {
      sub: identity.sub,
      email: identity.email,
      name: identity.name,
      hd: identity.hostedDomain,
    },
    upstream: signIn.tokens,
    authTime: nowSeconds(),
    odoo,
  });
  return renderConsent(context, request, consent, { login: identity.email });
}

function signInFailed(
  context: BridgeContext,
  transaction: Transaction,
  error: UpstreamError,
): Promise<Response> {
  context.logger.warn(
    { event: 'oauth.callback', client_name: transaction.request.clientName, error },
    'Upstream sign-in failed',
  );
  const unavailable = error.kind === 'unavailable';
  return messageResponse(
    {
      title: unavailable ? 'The sign-in provider could not be reached' : 'Sign-in failed',
      paragraphs: [
        unavailable
          ? `${context.upstream.issuer.host} did not answer. Try again in a moment.`
          : `${context.upstream.issuer.host} returned an answer the bridge could not verify: ${error.message}.`,
        'Start the connection again from your MCP client.',
      ],
    },
    unavailable ? 503 : 400,
  );
}

function refusedPage(
  context: BridgeContext,
  transaction: Transaction,
  refusal: string,
): Promise<Response> {
  const back = redirectWithError(
    context,
    { redirectUri: transaction.request.redirectUri, state: transaction.request.state },
    new OAuthError('access_denied', 'the person is not allowed to use this server'),
  );
  return messageResponse(
    {
      title: 'You cannot connect to this Odoo',
      paragraphs: [refusal],
      back: {
        label: `Back to ${transaction.request.clientName}`,
        href: back.headers.get('Location') ?? transaction.request.redirectUri,
      },
    },
    403,
  );
}

function logSignIn(
  context: BridgeContext,
  transaction: Transaction,
  signIn: UpstreamSignIn,
  outcome: string,
  reason?: string,
): void {
  context.logger.info(
    {
      event: 'oauth.callback',
      client_name: transaction.request.clientName,
      email: signIn.identity.email,
      outcome,
      reason,
    },
    `Upstream sign-in of ${signIn.identity.email}: ${outcome}`,
  );
}
