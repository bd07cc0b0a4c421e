import type { HttpBindings } from '@hono/node-server';
import type { Context, MiddlewareHandler, Next } from 'hono';
import { clientFingerprint } from '../authorization/clients/clients.js';
import { OAuthError } from '../authorization/errors.js';
import { MAX_FORM_BYTES } from '../authorization/form.js';
import { openRefreshToken } from '../authorization/tokens.js';
import type { BridgeContext } from '../context.js';
import { bufferBody } from './body-limits.js';
import { clientAddress } from './client-address.js';
import { messageResponse } from './pages/message.js';
import { admit, TokenBuckets, type BucketCheck, type BucketRule } from './token-buckets.js';

/**
 * Token buckets of the OAuth endpoints, kept per instance. Claude.ai sends the requests of
 * every person of a company from a few addresses, and people in an office share one, so the
 * limits per address hold a whole company's traffic. The tight limit is the one per grant,
 * whose key the client cannot choose: each refresh re-checks the person at the issuer and in
 * Odoo, so it bounds what one stolen refresh token can make the bridge send them.
 */
export const RATE_LIMITS = {
  /** Client registrations per client address. */
  register: { burst: 100, refillPerSecond: 0.5 },
  /** Authorization requests per client address. */
  authorize: { burst: 600, refillPerSecond: 10 },
  /** Authorization requests per client id and client address. */
  authorizeClient: { burst: 300, refillPerSecond: 5 },
  /** Token requests per client address. */
  token: { burst: 1000, refillPerSecond: 50 },
  /** Refresh token requests per grant, which is one person's connection of one client. */
  refresh: { burst: 30, refillPerSecond: 0.1 },
} satisfies Record<string, BucketRule>;

type LimitName = keyof typeof RATE_LIMITS;

/**
 * Keys each limit remembers at most, so that memory stays bounded under any load. By estimate
 * a key takes about 200 bytes, so all five limits take at most about 10 MB.
 */
const MAX_TRACKED_KEYS = 10_000;

/** Middleware that responds with 429 to a client over its limit, one per limited endpoint. */
export interface RateLimits {
  register: MiddlewareHandler;
  authorize: MiddlewareHandler;
  token: MiddlewareHandler;
}

/** A bucket to take a token from, with the fields that the log line records about its key. */
interface LimitCheck extends BucketCheck {
  subject: Record<string, string>;
}

/** Creates the rate limits of one app, which keeps its own buckets. */
export function createRateLimits(context: BridgeContext): RateLimits {
  const buckets = (name: LimitName) => new TokenBuckets(name, RATE_LIMITS[name], MAX_TRACKED_KEYS);
  const register = buckets('register');
  const authorize = buckets('authorize');
  const authorizeClient = buckets('authorizeClient');
  const token = buckets('token');
  const refresh = buckets('refresh');

  return {
    register: async (c, next) => {
      const address = addressOf(c);
      const checks: LimitCheck[] = [
        { buckets: register, key: address, subject: { client_address: address } },
      ];
      return guard(context, c, next, checks, oauthRejection);
    },
    authorize: async (c, next) => {
      const address = addressOf(c);
      const clientId = c.req.query('client_id');
      const client = clientId === undefined ? '-' : clientFingerprint(clientId);
      const checks: LimitCheck[] = [
        { buckets: authorize, key: address, subject: { client_address: address } },
        {
          buckets: authorizeClient,
          key: `${client} ${address}`,
          subject: { client_fingerprint: client, client_address: address },
        },
      ];
      return guard(context, c, next, checks, authorizePageRejection);
    },
    token: async (c, next) => {
      const address = addressOf(c);
      const checks: LimitCheck[] = [
        { buckets: token, key: address, subject: { client_address: address } },
      ];
      const grantId = await refreshGrantId(context, c);
      if (grantId !== undefined) {
        checks.push({ buckets: refresh, key: grantId, subject: { grant_id: grantId } });
      }
      return guard(context, c, next, checks, oauthRejection);
    },
  };
}

type Reject = (c: Context, retryAfterSeconds: number) => Response | Promise<Response>;

async function guard(
  context: BridgeContext,
  c: Context,
  next: Next,
  checks: LimitCheck[],
  reject: Reject,
): Promise<Response | void> {
  const admission = admit(checks);
  if (admission.allowed) {
    return next();
  }
  for (const check of admission.firstRejections) {
    context.logger.warn(
      {
        event: 'http.rate_limited',
        limit: check.buckets.name,
        path: c.req.path,
        ...check.subject,
        retry_after_seconds: admission.retryAfterSeconds,
      },
      `Rate limit ${check.buckets.name} reached, so the client gets 429 until it slows down`,
    );
  }
  return reject(c, admission.retryAfterSeconds);
}

function addressOf(c: Context): string {
  const bindings = c.env as Partial<HttpBindings> | undefined;
  return clientAddress(c.req.header('x-forwarded-for'), bindings?.incoming?.socket.remoteAddress);
}

/**
 * Returns the grant of a refresh token request, or undefined for any other request and for a
 * token that does not open, which the token endpoint rejects without calling anyone.
 */
async function refreshGrantId(context: BridgeContext, c: Context): Promise<string | undefined> {
  if (!/^application\/x-www-form-urlencoded/i.test(c.req.header('content-type') ?? '')) {
    return undefined;
  }
  const body = await bufferBody(c);
  if (body.byteLength > MAX_FORM_BYTES) {
    return undefined;
  }
  const params = new URLSearchParams(new TextDecoder().decode(body));
  const refreshToken = params.get('refresh_token');
  if (params.get('grant_type') !== 'refresh_token' || refreshToken === null) {
    return undefined;
  }
  try {
    return (await openRefreshToken(context, refreshToken)).grantId;
  } catch (error) {
    if (error instanceof OAuthError) {
      return undefined;
    }
    throw error;
  }
}

/**
 * Returns an RFC 6749 §5.2 error of code `temporarily_unavailable`, which RFC 6749
 * §4.1.2.1 defines for a server overloaded for a while. The MCP SDK's client (2.4) keeps its
 * tokens and reports this code, while after `server_error`, or a body it cannot parse, it
 * drops the refresh and starts a new sign-in.
 */
function oauthRejection(c: Context, retryAfterSeconds: number): Response {
  return c.json(
    {
      error: 'temporarily_unavailable',
      error_description: `too many requests to ${c.req.path} from this client; try again in ${retryAfterSeconds} seconds`,
    },
    429,
    { 'Retry-After': String(retryAfterSeconds), 'Cache-Control': 'no-store' },
  );
}

/** Shows a person, who follows the authorization request in a browser, what to do. */
async function authorizePageRejection(c: Context, retryAfterSeconds: number): Promise<Response> {
  const response = await messageResponse(
    {
      title: 'Too many connection attempts',
      paragraphs: [
        'This server received too many connection requests from your network in a short time.',
        `Wait ${retryAfterSeconds} seconds, then start the connection again from your MCP client.`,
      ],
    },
    429,
  );
  response.headers.set('Retry-After', String(retryAfterSeconds));
  return response;
}
