import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { jsonShapeViolation } from './json-shape.js';

/** Largest request body any endpoint reads. Each endpoint may set a smaller limit of its own. */
export const MAX_BODY_BYTES = 1024 * 1024;

/**
 * Rejects a body larger than `MAX_BODY_BYTES` with 413: at once when `Content-Length` is
 * larger, and otherwise as soon as a chunked body grows past it, before the rest is read.
 */
export function limitBodySize(): MiddlewareHandler {
  return bodyLimit({ maxSize: MAX_BODY_BYTES, onError: bodyTooLarge });
}

function bodyTooLarge(c: Context): Response {
  const description = `the request body is larger than ${MAX_BODY_BYTES} bytes (1 MiB)`;
  // The rest of the body is never read, so the connection cannot carry another request.
  c.header('Connection', 'close');
  if (c.req.path === '/mcp') {
    return c.json(
      {
        jsonrpc: '2.0',
        error: { code: -32000, message: `Payload too large: ${description}` },
        id: null,
      },
      413,
    );
  }
  return c.json({ error: 'invalid_request', error_description: description }, 413);
}

/** The error format of an endpoint: JSON-RPC for `/mcp`, RFC 7591 for `/register`. */
export type JsonErrorStyle = 'json-rpc' | 'client-metadata';

/**
 * Rejects a JSON body that nests or spreads beyond `CLIENT_JSON_LIMITS` with 400, before any
 * parser or schema reads it. Bodies of other types pass unchecked, since the endpoints reject
 * them without parsing them.
 */
export function limitJsonShape(style: JsonErrorStyle): MiddlewareHandler {
  return async (c, next) => {
    if (!/json/i.test(c.req.header('content-type') ?? '')) {
      return next();
    }
    const body = await bufferBody(c);
    const violation = jsonShapeViolation(new TextDecoder().decode(body));
    if (violation !== undefined) {
      return jsonTooComplex(c, style, violation);
    }
    await next();
  };
}

/**
 * Reads the request body for a middleware, and replaces the request with one that carries the
 * same bytes, so that the endpoint can read the body again.
 */
export async function bufferBody(c: Context): Promise<ArrayBuffer> {
  const body = await c.req.raw.arrayBuffer();
  c.req.raw = new Request(c.req.raw, { body });
  return body;
}

function jsonTooComplex(c: Context, style: JsonErrorStyle, violation: string): Response {
  const description = `the request body is too complex: ${violation}`;
  if (style === 'json-rpc') {
    return c.json(
      {
        jsonrpc: '2.0',
        error: { code: -32600, message: `Invalid Request: ${description}` },
        id: null,
      },
      400,
    );
  }
  return c.json({ error: 'invalid_client_metadata', error_description: description }, 400);
}
