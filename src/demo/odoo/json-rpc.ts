import type { Context as HonoContext } from 'hono';
import type { Logger } from '../../log/logger.js';
import { OdooException } from './errors.js';

const JSON_TYPE = 'application/json; charset=utf-8';

/** A parsed JSON-RPC request, or the plain-text 400 response Odoo sends for a malformed one. */
export type JsonRequest = { id: unknown; params: Record<string, unknown> } | { invalid: string };

export async function readJsonRequest(context: HonoContext): Promise<JsonRequest> {
  return parseJsonRequest(await context.req.text());
}

export function parseJsonRequest(text: string): JsonRequest {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return { invalid: 'Invalid JSON data' };
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    return { invalid: 'Invalid JSON-RPC data' };
  }
  const request = body as Record<string, unknown>;
  const params = request.params;
  const isMapping = params !== null && typeof params === 'object' && !Array.isArray(params);
  return { id: request.id ?? null, params: isMapping ? (params as Record<string, unknown>) : {} };
}

/** Builds a JSON response; each of `cookies` becomes one `Set-Cookie` header. */
export function jsonAnswer(body: unknown, status = 200, cookies: string[] = []): Response {
  const headers = new Headers({ 'Content-Type': JSON_TYPE });
  for (const cookie of cookies) {
    headers.append('Set-Cookie', cookie);
  }
  return new Response(JSON.stringify(body), { status, headers });
}

/**
 * Passes Odoo exceptions through. Any other error is a fault of the demo itself: it is
 * logged and sent as a generic Python Exception so that the caller still gets an envelope.
 */
export function asOdooException(
  error: unknown,
  logger: Logger | undefined,
  where: string,
): OdooException {
  if (error instanceof OdooException) {
    return error;
  }
  logger?.error({ error, where }, 'Demo Odoo failed while serving a JSON-RPC call');
  const message = error instanceof Error ? error.message : String(error);
  return new OdooException('builtins.Exception', `Demo Odoo internal error: ${message}`);
}
