import { OAuthError } from './errors.js';

const NO_STORE = { 'Cache-Control': 'no-store', Pragma: 'no-cache' };

/** A JSON response from an OAuth endpoint; tokens and secrets must never be cached (RFC 6749 §5.1). */
export function oauthJson(body: unknown, status = 200): Response {
  return Response.json(body, { status, headers: NO_STORE });
}

/**
 * Builds the JSON error response of RFC 6749 §5.2. A client that authenticated with Basic and failed
 * gets 401 with a Basic challenge, as that section requires.
 */
export function oauthErrorResponse(error: OAuthError, usedAuthorizationHeader = false): Response {
  const headers: Record<string, string> = { ...NO_STORE };
  if (error.code === 'invalid_client' && usedAuthorizationHeader) {
    headers['WWW-Authenticate'] = 'Basic realm="odoo-mcp-bridge"';
  }
  return Response.json(error.toJSON(), { status: error.status, headers });
}
