import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';

/** Largest request body any endpoint reads; each endpoint may set a smaller limit of its own. */
export const MAX_BODY_BYTES = 1024 * 1024;

/**
 * Answers 413 to a body larger than `MAX_BODY_BYTES`: at once when `Content-Length` says so,
 * and otherwise as soon as a chunked body grows past it, before the rest is read.
 */
export function limitBodySize(): MiddlewareHandler {
  return bodyLimit({ maxSize: MAX_BODY_BYTES, onError: bodyTooLarge });
}

function bodyTooLarge(c: Context): Response {
  const description = `the request body is larger than ${MAX_BODY_BYTES} bytes (1 MiB)`;
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
