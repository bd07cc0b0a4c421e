import type { CallContext, HttpResponse } from '../http.js';
import type { ModelCall } from '../json2.js';
import { OdooError } from '../errors.js';
import { buildJsonRpcRequest, readJsonRpcResult } from '../jsonrpc.js';
import { redactSecrets, type OdooSender } from '../sender.js';
import type { OdooServer } from '../types.js';
import { checkSessionId, sessionHeaders, sessionSecret } from './cookie.js';
import { readSessionInfo } from './session-info.js';
import { accessTokenSecrets, checkSignIn, signInRoute } from './sign-in-request.js';
import { readSignInResponse, type SignInRedirect } from './sign-in-response.js';
import type { GoogleSignIn, OdooWebSession } from './types.js';

/** The requests of Odoo's web client that Google mode uses, sent through the client's sender. */
export class WebSessionRequests {
  constructor(
    private readonly server: OdooServer,
    private readonly sender: OdooSender,
    private readonly nextRequestId: () => number,
  ) {}

  /** Sends `GET /auth_oauth/signin` and returns the redirect of a sign-in that Odoo accepted. */
  async signIn(signIn: GoogleSignIn, signal: AbortSignal | undefined): Promise<SignInRedirect> {
    checkSignIn(signIn);
    const settings = {
      origin: this.server.url.origin,
      db: this.server.db,
      providerId: signIn.providerId,
    };
    const secrets = accessTokenSecrets(signIn.accessToken);
    const redirect = await this.sender.send({
      route: signInRoute(this.server.db, signIn),
      httpMethod: 'GET',
      context: { service: 'web', method: 'signin' },
      signal,
      readResponse: (response) => readSignInResponse(response, settings),
      // A sign-in sent twice opens two sessions and the first one expires unused, so a second
      // attempt is as harmless as one of `authenticate`.
      retryOnDroppedConnection: true,
      secrets,
    });
    // The location goes into later error messages, which the sender does not redact.
    return { ...redirect, location: redactSecrets(redirect.location, secrets) };
  }

  /** Sends `POST /web/session/get_session_info` in the session. */
  async sessionInfo(sessionId: string, signal: AbortSignal | undefined): Promise<OdooWebSession> {
    checkSessionId(sessionId);
    const context = { service: 'web', method: 'get_session_info' };
    return this.sender.send({
      route: 'web/session/get_session_info',
      payload: buildJsonRpcRequest({}, this.nextRequestId()),
      headers: sessionHeaders(sessionId),
      context,
      signal,
      readResponse: (response) => readSessionInfo(readJsonRpcResult(response, context), sessionId),
      // Odoo 18 declares the route read-only (web/controllers/session.py).
      retryOnDroppedConnection: true,
      secrets: [sessionSecret(sessionId)],
    });
  }

  /** Runs `model.method(*args, **kwargs)` in the session, over `/web/dataset/call_kw`. */
  async callKw(
    sessionId: string,
    call: ModelCall,
    signal: AbortSignal | undefined,
  ): Promise<unknown> {
    const { model, method, args, kwargs } = call;
    const context = { service: 'web', model, method };
    return this.sender.send({
      route: `web/dataset/call_kw/${encodeURIComponent(model)}/${encodeURIComponent(method)}`,
      payload: buildJsonRpcRequest({ model, method, args, kwargs }, this.nextRequestId()),
      headers: sessionHeaders(sessionId),
      context,
      signal,
      readResponse: (response) => {
        try {
          return readJsonRpcResult(response, context);
        } catch (error) {
          throw unknownModelError(error, call) ?? error;
        }
      },
      secrets: [sessionSecret(sessionId)],
    });
  }

  /** Sends `POST /web/session/destroy`, which signs the session out. */
  async destroy(sessionId: string, signal: AbortSignal | undefined): Promise<void> {
    checkSessionId(sessionId);
    const context = { service: 'web', method: 'destroy' };
    await this.sender.send({
      route: 'web/session/destroy',
      payload: buildJsonRpcRequest({}, this.nextRequestId()),
      headers: sessionHeaders(sessionId),
      context,
      signal,
      readResponse: (response) => readResultless(response, context),
      secrets: [sessionSecret(sessionId)],
    });
  }
}

/**
 * Checks the response of a route that returns nothing. Odoo then leaves `result` out of the
 * envelope, as recorded from `/web/session/destroy` on 17.0 and 18.0, so any JSON-RPC envelope
 * without an `error` succeeds.
 */
function readResultless(response: HttpResponse, context: CallContext): void {
  if (!isSuccessEnvelope(response.body)) {
    readJsonRpcResult(response, context);
  }
}

function isSuccessEnvelope(body: string): boolean {
  let envelope: unknown;
  try {
    envelope = JSON.parse(body);
  } catch {
    return false;
  }
  if (typeof envelope !== 'object' || envelope === null) {
    return false;
  }
  return (envelope as { jsonrpc?: unknown }).jsonrpc === '2.0' && !('error' in envelope);
}

/**
 * Returns the error `/jsonrpc` gives for a model name Odoo does not know, when `error` is how
 * `call_kw` reports it: werkzeug's NotFound from Odoo 18.0 on (the route looks the model up
 * first), a KeyError naming the model on 17.0. Returns undefined for any other error.
 */
function unknownModelError(error: unknown, call: ModelCall): OdooError | undefined {
  if (!(error instanceof OdooError)) {
    return undefined;
  }
  const notFound = error.odooName === 'werkzeug.exceptions.NotFound';
  const keyError =
    error.odooName === 'builtins.KeyError' &&
    (error.message === call.model || error.message === `'${call.model}'`);
  if (!notFound && !keyError) {
    return undefined;
  }
  return new OdooError('invalid_request', `Object ${call.model} doesn't exist`, {
    odooName: error.odooName,
    model: call.model,
    method: call.method,
  });
}
