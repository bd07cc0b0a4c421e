import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { createBridge, publicUrlSettings, type Bridge } from './bridge.js';
import type { Environment } from './config/env.js';
import { isLoopbackHost } from './http/loopback.js';
import type { Logger } from './log/logger.js';
import { isGoogleIssuer } from './upstream/issuer.js';

/**
 * How long requests in flight may take to finish after the server stops listening. Cloud Run
 * kills an instance 10 seconds after SIGTERM, so this leaves time to log and exit.
 */
const DRAIN_MS = 8000;

/** Sizes and time limits of the HTTP server, applied when it is created. */
export interface ServerLimits {
  /** Largest request line plus headers. Node rejects larger ones with 431. */
  maxHeaderBytes: number;
  /** Time from a request's first byte to the end of its headers, after which Node sends 408. */
  headersTimeoutMs: number;
  /**
   * Time from a request's first byte to the end of its body, after which Node sends 408. The
   * response is not part of it, so a slow Odoo call is not cut by this limit.
   */
  requestTimeoutMs: number;
  /** How long an idle connection stays open after a response, for the next request. */
  keepAliveTimeoutMs: number;
  /** How often Node compares the requests in progress with the two timeouts above. */
  connectionsCheckingIntervalMs: number;
}

/**
 * The server's limits outside tests.
 *
 * Each sign-in in progress keeps a cookie of about 1.6 kB for 15 minutes. A person who starts
 * over a few times in a row can thus send more than Node's default 16 KiB of headers, and
 * 32 KiB leaves room for about 18 such cookies. HTTP clients send their headers in one go, so
 * 30 seconds cuts only clients that drip them, and 60 seconds is ample for a body of at most
 * 1 MiB. Google's external Application Load Balancer keeps idle connections to a backend open
 * for a fixed 600 seconds and requires backends to keep them longer, so that it never sends a
 * request on a connection the server is closing.
 */
export const SERVER_LIMITS: ServerLimits = {
  maxHeaderBytes: 32 * 1024,
  headersTimeoutMs: 30_000,
  requestTimeoutMs: 60_000,
  keepAliveTimeoutMs: 620_000,
  connectionsCheckingIntervalMs: 5_000,
};

export interface RunningServer {
  bridge: Bridge;
  server: Server;
  url: URL;
  /**
   * Stops accepting connections, lets requests in flight finish for up to `drainMs`, then cuts
   * the connections left and closes the Odoo client.
   */
  close(drainMs?: number): Promise<void>;
}

/** Starts the bridge against a real Odoo and a real OpenID Connect issuer. */
export async function startProduction(env: Environment, logger: Logger): Promise<RunningServer> {
  // readEnvironment has checked that these are set outside the demo.
  const publicUrl = env.publicUrl!;
  const bridge = createBridge({
    settings: {
      ...publicUrlSettings(publicUrl),
      demo: false,
      odooServer: { url: env.odooUrl!, db: env.odooDb! },
      odooAuth: env.odooAuth,
      odooOauthProviderId: env.odooOauthProviderId,
      accessTokenTtlSeconds: env.accessTokenTtlSeconds,
      refreshTokenTtlSeconds: env.refreshTokenTtlSeconds,
      upstreamRecheckSeconds: env.upstreamRecheckSeconds,
      traceProject: env.googleCloudProject,
    },
    keys: env.tokenKeys!,
    upstream: {
      issuer: env.oidcIssuer,
      clientId: env.oidcClientId!,
      clientSecret: env.oidcClientSecret!,
      hostedDomainHint:
        env.allowedEmailDomains.length === 1 ? env.allowedEmailDomains[0] : undefined,
    },
    allowlist: {
      emails: env.allowedEmails,
      emailDomains: env.allowedEmailDomains,
      requireHostedDomain: isGoogleIssuer(env.oidcIssuer),
    },
    logger,
  });
  // A loopback PUBLIC_URL means a local run: listen on loopback only.
  const host = isLoopbackHost(publicUrl.hostname) ? '127.0.0.1' : '0.0.0.0';
  return listen(bridge, env.port, host);
}

/** Serves a bridge's app on a port and host; port 0 picks a free one. */
export async function listen(
  bridge: Bridge,
  port: number,
  hostname: string,
  limits: ServerLimits = SERVER_LIMITS,
): Promise<RunningServer> {
  const serverOptions = {
    maxHeaderSize: limits.maxHeaderBytes,
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    connectionsCheckingInterval: limits.connectionsCheckingIntervalMs,
  };
  const server = await new Promise<Server>((resolve, reject) => {
    const started = serve({ fetch: bridge.app.fetch, port, hostname, serverOptions }, () =>
      resolve(started as Server),
    );
    (started as Server).once('error', reject);
  });
  const address = server.address() as AddressInfo;
  const url = new URL(`http://${hostname === '0.0.0.0' ? '127.0.0.1' : hostname}:${address.port}`);
  return {
    bridge,
    server,
    url,
    close: async (drainMs = DRAIN_MS) => {
      await new Promise<void>((resolve) => {
        const deadline = setTimeout(() => server.closeAllConnections(), drainMs);
        server.close(() => {
          clearTimeout(deadline);
          resolve();
        });
        server.closeIdleConnections();
      });
      await bridge.close();
    },
  };
}
