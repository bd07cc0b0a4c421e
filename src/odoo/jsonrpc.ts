import { classifyJsonRpcError, type JsonRpcErrorObject } from './classify.js';
import { OdooError } from './errors.js';
import type { CallContext, HttpResponse } from './http.js';

/** The JSON-RPC 2.0 request envelope that Odoo's `/jsonrpc` and `/web/...` routes take. */
export interface JsonRpcRequest {
  jsonrpc: '2.0';
  method: 'call';
  params: Record<string, unknown>;
  id: number;
}

/** Wraps `params` in Odoo's JSON-RPC envelope. */
export function buildJsonRpcRequest(params: Record<string, unknown>, id: number): JsonRpcRequest {
  return { jsonrpc: '2.0', method: 'call', params, id };
}

/**
 * Returns the `result` of an Odoo JSON-RPC response, or throws the `OdooError` its `error`
 * describes. The response `id` is not compared with the request's: Odoo sends `"id": null` on
 * "Odoo Session Expired", and HTTP already pairs each response with its request.
 */
export function readJsonRpcResult(response: HttpResponse, context: CallContext): unknown {
  const envelope = parseJson(response, context);
  if (isRecord(envelope) && isRecord(envelope.error)) {
    const error = envelope.error as JsonRpcErrorObject;
    throw classifyJsonRpcError(error, { ...context, httpStatus: response.status });
  }
  if (isRecord(envelope) && 'result' in envelope) {
    return envelope.result;
  }
  const message =
    `Odoo's response was JSON but not a JSON-RPC response (HTTP ${response.status}). ` +
    'Check that the Odoo URL points at the Odoo server itself.';
  throw new OdooError('transport', message, errorDetails(response, context));
}

function parseJson(response: HttpResponse, context: CallContext): unknown {
  try {
    return JSON.parse(response.body) as unknown;
  } catch (error) {
    const message = describeNonJsonResponse(response);
    throw new OdooError('transport', message, { ...errorDetails(response, context), cause: error });
  }
}

/**
 * Describes a response that is not JSON: a proxy's HTML error page, a login page after a
 * redirect, or JSON cut short. The page title is quoted because it usually names the fault
 * ("502 Bad Gateway"). The body itself is left out of the message.
 */
export function describeNonJsonResponse(response: HttpResponse): string {
  const title = htmlTitle(response.body);
  const parts = [`HTTP ${response.status}`];
  if (response.contentType !== '') {
    parts.push(response.contentType);
  }
  if (title !== undefined) {
    parts.push(`"${title}"`);
  }
  let message = `Odoo's response was not JSON (${parts.join(', ')}).`;
  if (response.location !== undefined && response.status >= 300 && response.status < 400) {
    message += ` It redirects to ${response.location}, so check the scheme and path of the Odoo URL.`;
  } else {
    message += ' Check the Odoo URL and that Odoo is running behind any proxy.';
  }
  return message;
}

const MAX_TITLE_CHARS = 120;

function htmlTitle(body: string): string | undefined {
  const match = /<title[^>]*>([^<]*)<\/title>/i.exec(body);
  if (match === null || match[1] === undefined) {
    return undefined;
  }
  const title = match[1].replace(/\s+/g, ' ').trim();
  return title === '' ? undefined : title.slice(0, MAX_TITLE_CHARS);
}

function errorDetails(response: HttpResponse, context: CallContext) {
  return { httpStatus: response.status, model: context.model, method: context.method };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
