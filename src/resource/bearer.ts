import type { Grant } from '../authorization/grant.js';
import type { BridgeContext } from '../context.js';
import { OdooError } from '../odoo/errors.js';
import { SealError } from '../seal/seal.js';
import { allowlistRefusal } from '../upstream/allowlist.js';
import { UpstreamError } from '../upstream/errors.js';

/** A request the bearer check let through: the grant its access token carries. */
export interface Authenticated {
  grant: Grant;
  /** Seconds since the epoch. */
  expiresAt: number;
  /** When the access token was issued, seconds since the epoch: the grant's last check. */
  issuedAt: number;
}

/** The outcome of the bearer check: the grant, or the 401 challenge to send. */
export type BearerResult =
  { ok: true; authenticated: Authenticated } | { ok: false; response: Response };

/** Returns the URL of the protected resource metadata for `/mcp` (RFC 9728 §3.1). */
export function resourceMetadataUrl(context: BridgeContext): string {
  return `${context.settings.issuer}/.well-known/oauth-protected-resource/mcp`;
}

/**
 * Checks the bearer token of a request to `/mcp` (RFC 6750). It must open as an access token
 * for this resource and be unexpired, and its person must still be allowed. The upstream grant
 * and the Odoo API key must have been confirmed within the re-check interval. Anything else
 * is a 401 challenge.
 */
export async function authenticateBearer(
  context: BridgeContext,
  request: Request,
): Promise<BearerResult> {
  const token = bearerToken(request.headers.get('authorization'));
  if (token === undefined) {
    return { ok: false, response: challenge(context) };
  }

  let authenticated: Authenticated;
  try {
    const opened = await context.sealer.open<Grant>('access', token, context.settings.resource);
    authenticated = {
      grant: opened.payload,
      expiresAt: opened.expiresAt ?? 0,
      issuedAt: opened.issuedAt,
    };
  } catch (error) {
    if (error instanceof SealError) {
      return { ok: false, response: challenge(context, `the access token ${error.message}`) };
    }
    throw error;
  }

  const { grant } = authenticated;
  const refusal = allowlistRefusal(context.allowlist, {
    email: grant.person.email,
    hostedDomain: grant.person.hd,
  });
  if (refusal !== undefined) {
    return refuseGrant(context, grant, refusal);
  }
  try {
    await context.rechecks.ensureFresh(grant, authenticated.issuedAt);
    await context.odooKeys.ensureValid(grant, authenticated.issuedAt);
  } catch (error) {
    if (error instanceof UpstreamError) {
      return refuseGrant(context, grant, `the sign-in has ended: ${error.message}`);
    }
    if (error instanceof OdooError) {
      const reason = `Odoo no longer accepts the API key (${error.message}); connect again with a new key`;
      return refuseGrant(context, grant, reason);
    }
    throw error;
  }
  return { ok: true, authenticated };
}

/**
 * Refuses a token that opened but whose grant no longer holds, and logs who was refused, so
 * that an operator can confirm that taking a person's access away worked.
 */
function refuseGrant(context: BridgeContext, grant: Grant, reason: string): BearerResult {
  context.logger.info(
    { event: 'mcp.bearer_refused', email: grant.person.email, grant_id: grant.grantId, reason },
    `Refused the access token of ${grant.person.email}`,
  );
  return { ok: false, response: challenge(context, reason) };
}

function bearerToken(header: string | null): string | undefined {
  const match = header === null ? null : /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}

/**
 * Builds a 401 with `WWW-Authenticate: Bearer resource_metadata=…`, which MCP clients follow to
 * discover the authorization server; an invalid token adds `error="invalid_token"`.
 */
function challenge(context: BridgeContext, description?: string): Response {
  const parts = [`resource_metadata="${resourceMetadataUrl(context)}"`, 'scope="odoo.read"'];
  if (description !== undefined) {
    parts.push('error="invalid_token"', `error_description="${quotable(description)}"`);
  }
  return Response.json(
    {
      error: description === undefined ? 'unauthorized' : 'invalid_token',
      error_description: description ?? 'a bearer token is required; sign in through OAuth',
    },
    {
      status: 401,
      headers: { 'WWW-Authenticate': `Bearer ${parts.join(', ')}`, 'Cache-Control': 'no-store' },
    },
  );
}

/** RFC 6750 §3: error_description is printable ASCII without `"` and `\`. */
function quotable(text: string): string {
  return text.replace(/[^\x20-\x21\x23-\x5b\x5d-\x7e]/g, ' ');
}
