import type { Context as HonoContext, Hono } from 'hono';
import { passwordMatches } from '../credentials.js';
import { accessDenied, accessError, errorResponse, sessionExpiredResponse } from '../errors.js';
import { asOdooException, jsonAnswer, parseJsonRequest } from '../json-rpc.js';
import { type DemoRecord, Env } from '../orm/database.js';
import { bindArguments } from '../python.js';
import { majorOf } from '../version.js';
import { callKw, unknownModelResponse } from './call-kw.js';
import type { WebContext } from './context.js';
import { readSessionId, sessionCookie } from './cookies.js';
import { serveSignIn } from './oauth-signin.js';
import { sessionInfo } from './session-info.js';
import { newSessionId } from './sessions.js';

/** One call to a web-client JSON route. */
interface JsonCall {
  params: Record<string, unknown>;
  /** The session id the request's cookie carries, if any. */
  sessionId: string | undefined;
  /** The origin the request came to, used as Odoo's `web.base.url`. */
  baseUrl: string;
}

/** A call to a route that needs a signed-in session. */
interface UserCall extends JsonCall {
  sessionId: string;
  user: DemoRecord;
}

/** The result of a web-client JSON route and the session cookies its response sets. */
interface RouteResult {
  result?: unknown;
  cookies?: string[];
}

/**
 * Adds the web client's routes that the bridge uses with `ODOO_AUTH=google`: the Google
 * sign-in, the session routes and `call_kw`, as Odoo 17.0 to 19.0 serve them.
 */
export function addWebRoutes(app: Hono, web: WebContext): void {
  app.get('/auth_oauth/signin', (context) => serveSignIn(web, context.req.raw));
  app.post(
    '/web/session/authenticate',
    publicRoute(web, 'authenticate', (call) => authenticate(web, call)),
  );
  app.post(
    '/web/session/get_session_info',
    userRoute(web, 'get_session_info', (call) => ({
      result: sessionInfo(new Env(web.db, call.user, {}), call.baseUrl),
      // Odoo touches the session here, and a touched session's cookie is sent again.
      cookies: [sessionCookie(call.sessionId, web.sessions.ttlSeconds)],
    })),
  );
  app.post(
    '/web/session/check',
    userRoute(web, 'check', () => ({})),
  );
  app.post(
    '/web/session/destroy',
    userRoute(web, 'destroy', (call) => {
      web.sessions.end(call.sessionId);
      // The logged-out session continues anonymously under a new id.
      return { cookies: [sessionCookie(newSessionId(), web.sessions.ttlSeconds)] };
    }),
  );
  const callKwRoute = userRoute(
    web,
    'call_kw',
    (call) => ({ result: callKw(web.db, call.user, call.params) }),
    (params) => unknownModelResponse(web.db, params),
  );
  app.post('/web/dataset/call_kw', callKwRoute);
  app.post('/web/dataset/call_kw/*', callKwRoute);
}

/**
 * Wraps a route with `auth='user'`. Odoo checks the session before it reads the body, so a
 * missing, unknown, destroyed or expired session gets SessionExpiredException with `"id":
 * null`. `beforeAuthentication` may respond first, with the parsed `params` if the body is JSON.
 */
function userRoute(
  web: WebContext,
  where: string,
  handler: (call: UserCall) => RouteResult,
  beforeAuthentication?: (
    params: Record<string, unknown> | undefined,
  ) => Record<string, unknown> | undefined,
) {
  return async (context: HonoContext): Promise<Response> => {
    const body = await context.req.text();
    const request = parseJsonRequest(body);
    const early = beforeAuthentication?.('invalid' in request ? undefined : request.params);
    if (early !== undefined) {
      return jsonAnswer(early);
    }
    const sessionId = readSessionId(context.req.header('cookie'));
    const user = web.sessions.resume(sessionId);
    if (user === undefined || sessionId === undefined) {
      return jsonAnswer(sessionExpiredResponse(web.db.series));
    }
    return serveJsonCall(web, context, body, where, (call) =>
      handler({ ...call, sessionId, user }),
    );
  };
}

/** Wraps a route with `auth='none'`. */
function publicRoute(web: WebContext, where: string, handler: (call: JsonCall) => RouteResult) {
  return async (context: HonoContext): Promise<Response> =>
    serveJsonCall(web, context, await context.req.text(), where, handler);
}

/** Serves a JSON-RPC request of the web client: envelope, errors and cookies. */
function serveJsonCall(
  web: WebContext,
  context: HonoContext,
  body: string,
  where: string,
  handler: (call: JsonCall) => RouteResult,
): Response {
  const request = parseJsonRequest(body);
  if ('invalid' in request) {
    return context.text(request.invalid, 400);
  }
  const call = {
    params: request.params,
    sessionId: readSessionId(context.req.header('cookie')),
    baseUrl: new URL(context.req.url).origin,
  };
  try {
    const outcome = handler(call);
    // Odoo leaves `result` out when the route returns None: JSON.stringify drops undefined.
    const envelope = { jsonrpc: '2.0', id: request.id, result: outcome.result ?? undefined };
    return jsonAnswer(envelope, 200, outcome.cookies);
  } catch (error) {
    const exception = asOdooException(error, web.logger, where);
    return jsonAnswer(errorResponse(web.db.series, request.id, exception, where));
  }
}

/**
 * Serves `/web/session/authenticate`: a password sign-in that opens a web session. API keys
 * are rejected there, as on any interactive login.
 */
function authenticate(web: WebContext, call: JsonCall): RouteResult {
  const names = ['db', 'login', 'password', 'base_location'];
  const { values } = bindArguments(
    {
      qualifiedName: 'Session.authenticate',
      parameters: [
        { name: 'db' },
        { name: 'login' },
        { name: 'password' },
        { name: 'base_location', default: null },
      ],
    },
    [],
    Object.fromEntries(Object.entries(call.params).filter(([key]) => names.includes(key))),
  );
  if (values.db !== web.db.name) {
    throw accessError('Database not found.');
  }
  const user = web.db
    .require('res.users')
    .all()
    .find((record) => record.login === values.login && record.active === true);
  if (user === undefined || !passwordMatches(web.db, user, values.password, { apiKeys: false })) {
    throw accessDenied();
  }
  const sessionId = web.sessions.open(user, call.sessionId);
  const cookie = sessionCookie(sessionId, web.sessions.ttlSeconds);
  return {
    result: sessionInfo(new Env(web.db, user, {}), call.baseUrl),
    // The recorded 19.0 response sets the same cookie twice.
    cookies: majorOf(web.db.series) >= 19 ? [cookie, cookie] : [cookie],
  };
}
