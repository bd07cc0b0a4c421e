import type { BridgeContext } from '../context.js';
import type { SignInChecks, UpstreamTokens } from '../upstream/issuer.js';
import type { GoogleOdooUser, Person } from './grant.js';
import { nowSeconds } from './grant.js';

/** A person has this long from `/authorize` to pressing Allow. */
export const TRANSACTION_TTL_SECONDS = 900;

/** The client's authorization request, as checked at `/authorize`. */
export interface AuthorizationRequest {
  clientId: string;
  clientName: string;
  redirectUri: string;
  state?: string | undefined;
  codeChallenge: string;
  scope: string;
  resource: string;
}

/**
 * One sign-in flow, sealed into a cookie of the browser that started it: the client's request
 * and the bridge's own PKCE verifier, nonce and state at the upstream issuer. The cookie binds
 * the flow to that browser (RFC 9700 §4.7: CSRF protection of the redirect back).
 */
export interface Transaction {
  request: AuthorizationRequest;
  upstream: SignInChecks;
  /** Copied into the consent form, so a form posted from another browser is refused. */
  csrf: string;
}

/** The pending consent, sealed into the form between the callback and the person's decision. */
export interface PendingConsent {
  state: string;
  csrf: string;
  request: AuthorizationRequest;
  person: Person;
  upstream: UpstreamTokens;
  authTime: number;
  /** In google mode, the Odoo user that Odoo's "Sign in with Google" opened a session for. */
  odoo?: GoogleOdooUser | undefined;
}

export async function sealTransaction(
  context: BridgeContext,
  transaction: Transaction,
): Promise<string> {
  return context.sealer.seal('transaction', transaction, {
    audience: context.settings.issuer,
    expiresAt: nowSeconds() + TRANSACTION_TTL_SECONDS,
  });
}

/** Opens the flow cookie of a state; returns undefined when it is missing, expired or forged. */
export async function openTransaction(
  context: BridgeContext,
  request: Request,
  state: string,
): Promise<Transaction | undefined> {
  const sealed = context.cookies.read(request, context.cookies.transactionName(state));
  if (sealed === undefined) {
    return undefined;
  }
  const opened = await context.sealer.tryOpen<Transaction>(
    'transaction',
    sealed,
    context.settings.issuer,
  );
  return opened?.payload.upstream.state === state ? opened.payload : undefined;
}

export async function sealPendingConsent(
  context: BridgeContext,
  pending: PendingConsent,
): Promise<string> {
  return context.sealer.seal('consent', pending, {
    audience: context.settings.issuer,
    expiresAt: nowSeconds() + TRANSACTION_TTL_SECONDS,
  });
}

export async function openPendingConsent(
  context: BridgeContext,
  sealed: string,
): Promise<PendingConsent | undefined> {
  const opened = await context.sealer.tryOpen<PendingConsent>(
    'consent',
    sealed,
    context.settings.issuer,
  );
  return opened?.payload;
}
