import { GOOGLE_PROVIDER_ID } from '../data/base-data.js';
import type { DemoRecord } from '../orm/database.js';
import { pyTruthy } from '../python.js';
import { majorOf } from '../version.js';
import type { GoogleIdentity, WebContext } from './context.js';
import { anonymousSessionCookies, readSessionId, sessionCookie } from './cookies.js';
import {
  badRequestPage,
  fragmentPage,
  internalErrorPage,
  localLocation,
  pathOf,
  redirectResponse,
  unquotePlus,
} from './pages.js';
import { signUpPortalUser } from './signup.js';

/**
 * The `state` of a sign-in, as auth_oauth's login page writes it: `d` the database, `p` the
 * provider id, `r` the URL-quoted page to land on. `a` (action), `m` (menu), `t` (signup
 * token) and `c` (context) are optional.
 */
type SignInState = Record<string, unknown> & { d: unknown; p: unknown };

/**
 * The `oauth_error` of a failed sign-in: 2 when the token or the sign-up failed unexpectedly
 * (Odoo's generic `except Exception`), 3 when access was denied (no user for the subject, and
 * none may be created).
 */
type SignInError = 2 | 3;

/**
 * Serves `GET /auth_oauth/signin` as auth_oauth's controller does in Odoo 17.0 to 19.0: it
 * checks the token, finds or creates the user with that subject, opens a session and sends
 * a 303 to the landing page, or to `/web/login?oauth_error=<n>` on failure.
 */
export async function serveSignIn(web: WebContext, request: Request): Promise<Response> {
  const params = new URL(request.url).searchParams;
  params.delete('debug');
  if (params.size === 0) {
    return fragmentPage();
  }
  const state = parseState(params.get('state'));
  if (state === undefined) {
    return internalErrorPage();
  }
  if (state.d !== web.db.name) {
    return badRequestPage();
  }

  const cookieHeader = request.headers.get('cookie') ?? undefined;
  const outcome = await signIn(web, state, params.get('access_token') ?? '');
  if (typeof outcome !== 'number') {
    return signedInResponse(web, state, outcome, readSessionId(cookieHeader));
  }
  web.logger?.info({ oauthError: outcome }, 'Demo Odoo rejected a Google sign-in');
  // A request that carries a session id keeps its session, signed in or not.
  const cookies = anonymousSessionCookies(cookieHeader, web.sessions.ttlSeconds);
  return redirectResponse(`/web/login?oauth_error=${outcome}`, cookies);
}

/** Opens the user's session, in place of the one the request carries, and redirects. */
function signedInResponse(
  web: WebContext,
  state: SignInState,
  user: DemoRecord,
  cookieSessionId: string | undefined,
): Response {
  const sessionId = web.sessions.open(user, cookieSessionId);
  web.logger?.info({ uid: user.id }, 'Demo Odoo signed a user in with Google');
  const location = localLocation(landingUrl(web, state));
  const cookies = [sessionCookie(sessionId, web.sessions.ttlSeconds)];
  // Odoo's controller builds the redirect first, then sends users who may not use the web
  // client from /web to / by changing the header only, so the body still names /web.
  if (pathOf(location) === '/web' && user.share === true) {
    return redirectResponse('/', cookies, location);
  }
  return redirectResponse(location, cookies);
}

/**
 * Parses the state as `json.loads` and the key lookups do. A missing or malformed state, or
 * one without `d` or `p`, is a Python exception in Odoo, so the caller sends a 500 page.
 */
function parseState(text: string | null): SignInState | undefined {
  let state: unknown;
  try {
    state = JSON.parse(text ?? '');
  } catch {
    return undefined;
  }
  if (state === null || typeof state !== 'object' || Array.isArray(state)) {
    return undefined;
  }
  return 'd' in state && 'p' in state ? (state as SignInState) : undefined;
}

/** Runs auth_oauth's `auth_oauth`: returns the signed-in user or the `oauth_error`. */
async function signIn(
  web: WebContext,
  state: SignInState,
  accessToken: string,
): Promise<DemoRecord | SignInError> {
  const identity = await validateToken(web, state.p, accessToken);
  if (identity === undefined) {
    return 2;
  }
  if (typeof identity.sub !== 'string' || identity.sub === '') {
    // auth_oauth raises AccessDenied("Missing subject identity").
    return 3;
  }
  const providerId = state.p as number;
  const user = web.db
    .require('res.users')
    .all()
    .find(
      (candidate) =>
        candidate.active === true &&
        candidate.oauth_provider_id === providerId &&
        candidate.oauth_uid === identity.sub,
    );
  if (user !== undefined) {
    user.oauth_access_token = accessToken;
    return user;
  }
  return signUp(web, state, providerId, identity, accessToken);
}

/** The demos that already logged that they have no validator, so that they log it once. */
const warnedWithoutValidator = new WeakSet<WebContext>();

/**
 * Asks the validator about the token, for the Google provider only. Odoo raises a plain
 * Exception for a token the provider rejects and a MissingError for an unknown provider id,
 * and the sign-in reports both as `oauth_error=2`.
 * NOTE: Odoo would ask the Odoo.com or Facebook provider about their tokens. The demo can
 * check Google tokens only, so it treats the other providers' tokens as rejected.
 */
async function validateToken(
  web: WebContext,
  providerId: unknown,
  accessToken: string,
): Promise<GoogleIdentity | undefined> {
  if (providerId !== GOOGLE_PROVIDER_ID || accessToken === '') {
    return undefined;
  }
  const validator = web.googleTokenValidator;
  if (validator === undefined) {
    if (!warnedWithoutValidator.has(web)) {
      warnedWithoutValidator.add(web);
      web.logger?.warn('Demo Odoo has no Google token validator, so every Google sign-in fails');
    }
    return undefined;
  }
  try {
    return await validator(accessToken);
  } catch (error) {
    const reason = (error instanceof Error ? error.message : String(error)).replaceAll(
      accessToken,
      '[access token]',
    );
    web.logger?.warn({ reason }, 'Demo Odoo could not check a Google access token');
    return undefined;
  }
}

/**
 * Signs up a user for an unknown subject as auth_signup does, or returns the `oauth_error`.
 * The demo has no signup tokens (invitations), so a state with `t` fails as an invalid one.
 */
function signUp(
  web: WebContext,
  state: SignInState,
  providerId: number,
  identity: GoogleIdentity,
  accessToken: string,
): DemoRecord | SignInError {
  const context = state.c;
  const noUserCreation =
    context !== null &&
    typeof context === 'object' &&
    pyTruthy((context as Record<string, unknown>).no_user_creation);
  if (noUserCreation || pyTruthy(state.t) || web.signupScope !== 'b2c') {
    return 3;
  }
  const email = identity.email ?? `provider_${providerId}_user_${identity.sub}`;
  const name = identity.name ?? email;
  if (email === '' || name === '') {
    // auth_signup raises ValueError ("no login given", "no name or partner given").
    return 2;
  }
  const user = signUpPortalUser(web.db, {
    name,
    login: email,
    email,
    providerId,
    oauthUid: identity.sub,
    accessToken,
  });
  return user ?? 3;
}

/**
 * Returns where a signed-in user lands: the state's `r`, else its action or menu, else the
 * web client (`/web` up to 17.0, `/odoo` from 18.0 as recorded).
 * NOTE: the 17.0 forms `/web#action=…` and `/web#menu_id=…` were not recorded.
 */
function landingUrl(web: WebContext, state: SignInState): string {
  const modern = majorOf(web.db.series) >= 18;
  if (pyTruthy(state.r)) {
    return unquotePlus(String(state.r));
  }
  if (pyTruthy(state.a)) {
    return modern ? `/odoo/action-${String(state.a)}` : `/web#action=${String(state.a)}`;
  }
  if (pyTruthy(state.m)) {
    return modern ? `/odoo?menu_id=${String(state.m)}` : `/web#menu_id=${String(state.m)}`;
  }
  return modern ? '/odoo' : '/web';
}
