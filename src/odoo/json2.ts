import { checkKeyGiven } from './credentials.js';
import { OdooError } from './errors.js';
import type { HttpResponse } from './http.js';
import { namedArguments } from './json2-arguments.js';
import { isJson2Missing, readJson2Error, type Json2ErrorContext } from './json2-errors.js';
import { describeNonJsonResponse } from './jsonrpc.js';
import { routePath, type OdooRequest } from './sender.js';
import type { ApiKeyCredential, OdooServer } from './types.js';

/** One model call in execute_kw style: positional `args`, then `kwargs`. */
export interface ModelCall {
  model: string;
  method: string;
  args: unknown[];
  kwargs: Record<string, unknown>;
}

/** The result of a JSON-2 call, or `missing` with the response when the server has no JSON-2 API. */
export type Json2Outcome =
  { missing: false; value: unknown } | { missing: true; description: string };

/**
 * Builds `POST /json/2/<model>/<method>` for `call`, run as the owner of the credential's API
 * key. The body contains named arguments only (see json2-arguments.ts). Raises an
 * `invalid_request` error for positional arguments that cannot be named, before anything is
 * sent.
 */
export function json2Request(
  server: OdooServer,
  credential: ApiKeyCredential,
  call: ModelCall,
  signal: AbortSignal | undefined,
): OdooRequest<Json2Outcome> {
  checkKeyGiven(credential);
  const { model, method } = call;
  const payload = namedArguments(model, method, call.args, call.kwargs);
  const route = `json/2/${encodeURIComponent(model)}/${encodeURIComponent(method)}`;
  const errorContext: Json2ErrorContext = {
    model,
    method,
    path: routePath(server.url, route),
    origin: server.url.origin,
    db: server.db,
    credential,
  };
  return {
    route,
    payload,
    // The header picks the database; Odoo needs it only when it serves several.
    headers: { authorization: `Bearer ${credential.apiKey}`, 'x-odoo-database': server.db },
    context: { service: 'json2', model, method },
    signal,
    readResponse: (response) => readJson2Response(response, errorContext),
    apiKey: credential.apiKey,
  };
}

/** Returns the bare result of a 2xx response, or throws the `OdooError` of an error. */
function readJson2Response(response: HttpResponse, context: Json2ErrorContext): Json2Outcome {
  if (response.status >= 200 && response.status < 300) {
    return { missing: false, value: parseResult(response, context) };
  }
  if (isJson2Missing(response)) {
    return { missing: true, description: describeNonJsonResponse(response) };
  }
  throw readJson2Error(response, context);
}

function parseResult(response: HttpResponse, context: Json2ErrorContext): unknown {
  try {
    return JSON.parse(response.body) as unknown;
  } catch (error) {
    throw new OdooError('transport', describeNonJsonResponse(response), {
      httpStatus: response.status,
      model: context.model,
      method: context.method,
      cause: error,
    });
  }
}
