import { randomBytes } from 'node:crypto';
import type { BridgeContext } from '../context.js';
import { consentPage } from '../http/pages/consent.js';
import { pageResponse } from '../http/pages/layout.js';
import { messageResponse } from '../http/pages/message.js';
import type { ApiKeyCredential } from '../odoo/types.js';
import { redirectWithError } from './authorize.js';
import { clientFingerprint } from './clients/clients.js';
import { OAuthError } from './errors.js';
import { readForm, single } from './form.js';
import {
  isGoogleUser,
  nowSeconds,
  type ApiKeyOdooUser,
  type Grant,
  type OdooUser,
} from './grant.js';
import { signOutOfOdoo } from './odoo-google.js';
import { checkOdooPerson, OdooPersonRefusal } from './odoo-person.js';
import { issueCode } from './tokens.js';
import { openPendingConsent, openTransaction, type PendingConsent } from './transaction.js';

/** The link cookie: a person's Odoo credential, sealed and bound to their upstream subject. */
interface Link extends ApiKeyOdooUser {
  /** The upstream subject the link belongs to. */
  subject: string;
}

interface RenderOptions {
  login: string;
  error?: string;
  ignoreLink?: boolean;
  status?: number;
  setCookie?: string;
}

/** Renders the consent page for a pending consent, with the key fields unless a link exists. */
export async function renderConsent(
  context: BridgeContext,
  request: Request,
  sealedConsent: string,
  options: RenderOptions,
): Promise<Response> {
  const pending = await openPendingConsent(context, sealedConsent);
  if (pending === undefined) {
    return expiredPage();
  }
  const google = pending.odoo;
  const link =
    options.ignoreLink || google !== undefined
      ? undefined
      : await readLink(context, request, pending.person.sub);
  const redirect = new URL(pending.request.redirectUri);
  const rendered = consentPage({
    clientName: pending.request.clientName,
    redirectHost: redirect.host,
    redirectOrigin: redirect.origin,
    email: pending.person.email,
    issuerHost: context.upstream.isGoogle ? 'Google' : context.upstream.issuer.host,
    odooHost: context.settings.odooServer.url.host,
    odooDb: context.settings.odooServer.db,
    consent: sealedConsent,
    linked: link === undefined ? undefined : { login: link.login, name: link.name },
    googleOdoo: google === undefined ? undefined : { login: google.login, name: google.name },
    loginValue: options.login,
    apiKeyValue: context.demoApiKeyFor?.(pending.person.email),
    error: options.error,
  });
  const headers = options.setCookie === undefined ? undefined : { 'Set-Cookie': options.setCookie };
  return pageResponse(rendered, options.status ?? 200, headers);
}

/**
 * Handles `POST /consent`, the person's decision. The sealed form value must match the flow cookie of
 * this browser (CSRF). On Allow the key must sign in at Odoo, belong to the signed-in person,
 * and not be a portal user.
 */
export async function handleConsent(context: BridgeContext, request: Request): Promise<Response> {
  const form = await readForm(request);
  const sealedConsent = single(form, 'consent') ?? '';
  const pending = await openPendingConsent(context, sealedConsent);
  if (pending === undefined) {
    return expiredPage();
  }
  const transaction = await openTransaction(context, request, pending.state);
  if (transaction === undefined || transaction.csrf !== pending.csrf) {
    return forgedPage();
  }

  const action = single(form, 'action');
  if (action === 'deny') {
    return await deny(context, pending);
  }
  if (action === 'forget') {
    const clear = context.cookies.clear(context.cookies.linkName(pending.person.sub));
    return renderConsent(context, request, sealedConsent, {
      login: pending.person.email,
      ignoreLink: true,
      setCookie: clear,
    });
  }
  return allow(context, request, form, sealedConsent, pending);
}

async function allow(
  context: BridgeContext,
  request: Request,
  form: URLSearchParams,
  sealedConsent: string,
  pending: PendingConsent,
): Promise<Response> {
  // In google mode Odoo signed the person in at the callback: there is no key to check.
  if (pending.odoo !== undefined) {
    return grantAndRedirect(context, pending, pending.odoo);
  }
  const pasted = pastedCredential(form, pending);
  const link =
    pasted === undefined ? await readLink(context, request, pending.person.sub) : undefined;
  const credential = pasted ?? link;
  const login = pasted?.login ?? pending.person.email;
  if (credential === undefined) {
    return renderConsent(context, request, sealedConsent, {
      login,
      error: 'Paste your Odoo API key to continue.',
      status: 400,
    });
  }

  let odoo: OdooUser;
  try {
    odoo = await checkOdooPerson(context, credential, pending.person.email);
  } catch (error) {
    if (!(error instanceof OdooPersonRefusal)) {
      throw error;
    }
    logConsent(context, pending, 'refused', error.reason);
    // An unreachable Odoo does not mean that the saved key is wrong, so the link stays.
    const unreachable = error.reason === 'odoo_unreachable';
    const forgetLink = link !== undefined && !unreachable;
    return renderConsent(context, request, sealedConsent, {
      login,
      error: error.message,
      ignoreLink: forgetLink,
      status: unreachable ? 503 : 400,
      ...(forgetLink
        ? { setCookie: context.cookies.clear(context.cookies.linkName(pending.person.sub)) }
        : {}),
    });
  }
  return grantAndRedirect(context, pending, odoo);
}

async function grantAndRedirect(
  context: BridgeContext,
  pending: PendingConsent,
  odoo: OdooUser,
): Promise<Response> {
  const { request } = pending;
  const grant: Grant = {
    grantId: randomBytes(12).toString('base64url'),
    person: pending.person,
    client: { fingerprint: clientFingerprint(request.clientId), name: request.clientName },
    scope: request.scope,
    odoo,
    upstream: pending.upstream,
    authTime: pending.authTime,
  };
  const code = await issueCode(context, grant, {
    redirectUri: request.redirectUri,
    codeChallenge: request.codeChallenge,
    resource: request.resource,
  });
  logConsent(context, pending, 'allowed', undefined, grant);

  const location = new URL(request.redirectUri);
  location.searchParams.set('code', code);
  if (request.state !== undefined) {
    location.searchParams.set('state', request.state);
  }
  location.searchParams.set('iss', context.settings.issuer);
  const headers = new Headers({ Location: location.href, 'Cache-Control': 'no-store' });
  headers.append(
    'Set-Cookie',
    context.cookies.clear(context.cookies.transactionName(pending.state)),
  );
  if (!isGoogleUser(odoo)) {
    headers.append('Set-Cookie', await linkCookie(context, pending, odoo));
  }
  return new Response(null, { status: 302, headers });
}

async function deny(context: BridgeContext, pending: PendingConsent): Promise<Response> {
  logConsent(context, pending, 'denied');
  if (pending.odoo !== undefined) {
    // The google-mode sign-in at the callback opened an Odoo session that no token will carry.
    await signOutOfOdoo(context, pending.odoo.sessionId);
  }
  return redirectWithError(
    context,
    { redirectUri: pending.request.redirectUri, state: pending.request.state },
    new OAuthError('access_denied', 'the person denied access'),
    { 'Set-Cookie': context.cookies.clear(context.cookies.transactionName(pending.state)) },
  );
}

function pastedCredential(
  form: URLSearchParams,
  pending: PendingConsent,
): ApiKeyCredential | undefined {
  const apiKey = single(form, 'api_key')?.trim();
  if (apiKey === undefined || apiKey === '') {
    return undefined;
  }
  const login = single(form, 'login')?.trim() || pending.person.email;
  return { login, apiKey };
}

async function readLink(
  context: BridgeContext,
  request: Request,
  sub: string,
): Promise<Link | undefined> {
  const sealed = context.cookies.read(request, context.cookies.linkName(sub));
  if (sealed === undefined || sealed === '') {
    return undefined;
  }
  const opened = await context.sealer.tryOpen<Link>('link', sealed, context.settings.issuer);
  return opened?.payload.subject === sub ? opened.payload : undefined;
}

async function linkCookie(
  context: BridgeContext,
  pending: PendingConsent,
  odoo: ApiKeyOdooUser,
): Promise<string> {
  const ttl = context.settings.refreshTokenTtlSeconds;
  const link: Link = { ...odoo, subject: pending.person.sub };
  const sealed = await context.sealer.seal('link', link, {
    audience: context.settings.issuer,
    expiresAt: nowSeconds() + ttl,
  });
  return context.cookies.set(context.cookies.linkName(pending.person.sub), sealed, ttl);
}

function logConsent(
  context: BridgeContext,
  pending: PendingConsent,
  outcome: string,
  reason?: string,
  grant?: Grant,
): void {
  context.logger.info(
    {
      event: 'oauth.consent',
      client_name: pending.request.clientName,
      email: pending.person.email,
      odoo_uid: grant?.odoo.uid,
      grant_id: grant?.grantId,
      outcome,
      reason,
    },
    `Consent of ${pending.person.email}: ${outcome}`,
  );
}

function expiredPage(): Promise<Response> {
  return messageResponse(
    {
      title: 'This consent page has expired',
      paragraphs: ['Start the connection again from your MCP client.'],
    },
    400,
  );
}

function forgedPage(): Promise<Response> {
  return messageResponse(
    {
      title: 'This form could not be confirmed',
      paragraphs: [
        'The answer did not come from the browser that signed in, or the sign-in has expired.',
        'Start the connection again from your MCP client.',
      ],
    },
    403,
  );
}
