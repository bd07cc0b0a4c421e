import { expect } from 'vitest';

/** A response of an OAuth endpoint, read once: its status, headers and JSON body. */
export interface OAuthReply {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
  text: string;
}

/** Reads a response; a body that is not JSON becomes `{}`, which `checkOAuthError` rejects. */
export async function oauthReply(response: Response): Promise<OAuthReply> {
  const text = await response.text();
  let body: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) {
      body = parsed as Record<string, unknown>;
    }
  } catch {
    body = {};
  }
  return { status: response.status, headers: response.headers, body, text };
}

/**
 * Expects an error response of RFC 6749 §5.2 (or RFC 7591 §3.2.2): a 4xx status and a JSON
 * body whose `error` is one of `codes` and whose `error_description` is a string. The 413
 * for a body over the server's size limit carries `invalid_request`.
 */
export function checkOAuthError(reply: OAuthReply, codes: ReadonlySet<string>): void {
  const detail = `${reply.status} ${reply.text.slice(0, 300)}`;
  expect(reply.status, detail).toBeGreaterThanOrEqual(400);
  expect(reply.status, detail).toBeLessThan(500);
  expect(reply.headers.get('content-type'), detail).toMatch(/^application\/json/);
  expect(codes.has(String(reply.body.error)), detail).toBe(true);
  expect(typeof reply.body.error_description, detail).toBe('string');
  let expectedStatus = 400;
  if (reply.body.error === 'invalid_client') {
    expectedStatus = 401;
  } else if (reply.status === 413) {
    expectedStatus = 413;
  }
  expect(reply.status, detail).toBe(expectedStatus);
}

let addressCount = 0;

/**
 * Returns a new client address for `X-Forwarded-For`, from the benchmarking range
 * 198.18.0.0/15 (RFC 2544), so that each fuzzed request counts against a rate limit of its
 * own address rather than all against the loopback address's.
 */
export function nextClientAddress(): string {
  addressCount = (addressCount + 1) % 131_072;
  return `198.${18 + (addressCount >> 16)}.${(addressCount >> 8) & 255}.${addressCount & 255}`;
}
