import type { HttpBindings } from '@hono/node-server';
import { validateHostHeader } from '@modelcontextprotocol/server';
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { cors } from 'hono/cors';
import { handleAuthorize } from '../authorization/authorize.js';
import { handleCallback } from '../authorization/callback.js';
import { handleConsent } from '../authorization/consent.js';
import { OAuthError } from '../authorization/errors.js';
import {
  authorizationServerMetadata,
  protectedResourceMetadata,
} from '../authorization/metadata.js';
import { handleRegister } from '../authorization/register.js';
import { oauthErrorResponse } from '../authorization/responses.js';
import { handleRevoke } from '../authorization/revoke.js';
import { handleToken } from '../authorization/token/endpoint.js';
import type { BridgeContext } from '../context.js';
import { createMcpEndpoint } from '../resource/mcp-endpoint.js';
import { runWithTrace, traceFieldsOf } from '../log/trace.js';
import { limitBodySize, limitJsonShape } from './body-limits.js';
import { isLoopbackHost } from './loopback.js';
import { createRateLimits } from './rate-limits.js';
import { homePage } from './pages/home.js';
import { pageResponse } from './pages/layout.js';

/** A web-standard handler served under a path prefix, which it receives stripped. */
export interface Mount {
  path: string;
  /** Receives the node-server bindings, so a mount can reach the raw Node request. */
  fetch: (request: Request, env: HttpBindings) => Response | Promise<Response>;
}

/** Options for parts that exist only in some deployments, such as the demo's embedded servers. */
export interface AppOptions {
  /** The demo's Odoo and sign-in issuer, served on the bridge's own origin. */
  mounts?: Mount[];
}

/** Builds the bridge's HTTP surface: every endpoint at the origin root. */
export function createApp(context: BridgeContext, options: AppOptions = {}): Hono {
  const app = new Hono();
  const oauthCors = cors({
    origin: '*',
    allowMethods: ['GET', 'POST', 'OPTIONS'],
    allowHeaders: ['Authorization', 'Content-Type', 'MCP-Protocol-Version'],
    exposeHeaders: ['WWW-Authenticate'],
    maxAge: 86_400,
  });
  const mcp = createMcpEndpoint(context);
  const rateLimits = createRateLimits(context);

  app.use('*', traceRequest(context));
  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  const mountPaths = (options.mounts ?? []).map((mount) => mount.path);
  app.use('*', requestLog(context, mountPaths), checkHost(context));
  for (const mount of options.mounts ?? []) {
    app.mount(mount.path, mount.fetch);
  }
  // CORS goes first, so that browser-based clients can read the limits' error responses too.
  // RFC 9700 §2.6 allows CORS on these endpoints and forbids it on /authorize. Their Origin is
  // not checked: they read no cookies, and each request carries its own proof (code and PKCE
  // verifier, refresh token, client secret), so a page of any origin can do nothing there
  // that its own server could not.
  for (const path of ['/.well-known/*', '/token', '/register', '/revoke']) {
    app.use(path, oauthCors);
  }
  app.use('*', limitBodySize());

  const prm = (c: Context) => c.json(protectedResourceMetadata(context.settings));
  app.get('/.well-known/oauth-protected-resource', prm);
  app.get('/.well-known/oauth-protected-resource/mcp', prm);
  app.get('/.well-known/oauth-authorization-server', (c) =>
    c.json(authorizationServerMetadata(context.settings)),
  );

  app.post('/register', rateLimits.register, limitJsonShape('client-metadata'), (c) =>
    handleRegister(context, c.req.raw),
  );
  app.post('/token', rateLimits.token, (c) => handleToken(context, c.req.raw));
  app.post('/revoke', (c) => handleRevoke(context, c.req.raw));
  app.get('/authorize', rateLimits.authorize, (c) => handleAuthorize(context, c.req.raw));
  app.get('/callback', (c) => handleCallback(context, c.req.raw));
  app.post('/consent', checkFormOrigin(context), (c) => handleConsent(context, c.req.raw));

  app.post('/mcp', checkMcpOrigin(context), limitJsonShape('json-rpc'), (c) => mcp(c.req.raw));
  app.on(['GET', 'DELETE'], '/mcp', (c) =>
    c.json(
      {
        jsonrpc: '2.0',
        error: { code: -32000, message: 'Method not allowed; use POST' },
        id: null,
      },
      405,
      {
        Allow: 'POST',
      },
    ),
  );
  app.get('/', () => pageResponse(homePage(context)));

  app.notFound((c) =>
    c.json(
      { error: 'not_found', error_description: `${c.req.path} is not an endpoint of this server` },
      404,
    ),
  );
  app.onError((error, c) => {
    if (error instanceof OAuthError) {
      return oauthErrorResponse(error);
    }
    context.logger.error(
      { event: 'http.error', path: c.req.path, error },
      'Request failed unexpectedly',
    );
    return c.json({ error: 'server_error', error_description: 'internal error' }, 500);
  });
  return app;
}

/**
 * Host must be PUBLIC_URL's host (and loopback hosts in the demo), against DNS rebinding.
 * `/healthz` is registered before this check: Cloud Run's probes use another host.
 */
function checkHost(context: BridgeContext): MiddlewareHandler {
  const allowed = [context.settings.publicUrl.hostname];
  if (context.settings.demo) {
    allowed.push('localhost', '127.0.0.1', '[::1]');
  }
  return async (c, next) => {
    const result = validateHostHeader(c.req.header('host'), allowed);
    if (!result.ok) {
      return c.json(
        {
          error: 'invalid_host',
          error_description: `${result.message}; this server serves ${allowed[0]} only`,
        },
        403,
      );
    }
    await next();
  };
}

/** An Origin on `/mcp`, when present, must be PUBLIC_URL's origin (or loopback in the demo). */
function checkMcpOrigin(context: BridgeContext): MiddlewareHandler {
  return async (c, next) => {
    const origin = c.req.header('origin');
    if (origin !== undefined && !isAllowedOrigin(context, origin)) {
      return c.json(
        {
          jsonrpc: '2.0',
          error: { code: -32000, message: `Origin ${origin} is not allowed` },
          id: null,
        },
        403,
      );
    }
    await next();
  };
}

/** Rejects a consent form posted from a page other than the bridge's own. */
function checkFormOrigin(context: BridgeContext): MiddlewareHandler {
  return async (c, next) => {
    const origin = c.req.header('origin');
    if (origin !== undefined && origin !== 'null' && !isAllowedOrigin(context, origin)) {
      return c.json(
        { error: 'invalid_request', error_description: `Origin ${origin} may not post this form` },
        403,
      );
    }
    await next();
  };
}

function isAllowedOrigin(context: BridgeContext, origin: string): boolean {
  if (origin === context.settings.publicUrl.origin) {
    return true;
  }
  if (!context.settings.demo) {
    return false;
  }
  try {
    return isLoopbackHost(new URL(origin).hostname);
  } catch {
    return false;
  }
}

/** Serves each request inside its trace, read from Cloud Run's trace headers. */
function traceRequest(context: BridgeContext): MiddlewareHandler {
  return async (c, next) => {
    const fields = traceFieldsOf(c.req.raw.headers, context.settings.traceProject);
    return fields === undefined ? next() : runWithTrace(fields, next);
  };
}

/**
 * Logs one line per request in Cloud Logging's `httpRequest` shape. Health probes are not
 * logged, and requests to the demo's embedded servers only at debug level.
 */
function requestLog(context: BridgeContext, quietPrefixes: string[]): MiddlewareHandler {
  return async (c, next) => {
    const startedMs = performance.now();
    await next();
    const latencySeconds = (performance.now() - startedMs) / 1000;
    const quiet = quietPrefixes.some((prefix) => c.req.path.startsWith(prefix));
    context.logger[quiet ? 'debug' : 'info'](
      {
        event: 'http.request',
        httpRequest: {
          requestMethod: c.req.method,
          requestUrl: c.req.path,
          status: c.res.status,
          userAgent: c.req.header('user-agent'),
          latency: `${latencySeconds.toFixed(3)}s`,
        },
      },
      `${c.req.method} ${c.req.path} ${c.res.status}`,
    );
  };
}
