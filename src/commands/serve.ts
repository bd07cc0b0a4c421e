import type { AddressInfo } from 'node:net';
import { readEnvironment } from '../config/env.js';
import { exitOnListenError, readOrExit } from './exit.js';
import { createLogger } from '../log/logger.js';
import { startProduction } from '../serve.js';
import { BRIDGE_VERSION } from '../version.js';

/** Runs the HTTP server: the demo when ODOO_URL is unset, the real bridge otherwise. */
export async function serveCommand(env: NodeJS.ProcessEnv): Promise<void> {
  const settings = readOrExit(() => readEnvironment(env));

  const logger = createLogger({ level: settings.logLevel });
  const start = settings.demo
    ? (await import('../demo/start.js')).startDemo(settings, logger)
    : startProduction(settings, logger);
  const running = await start.catch((error: unknown) => exitOnListenError(error, settings.port));
  const { settings: bridgeSettings, upstream } = running.bridge.context;
  // The address bound, such as 0.0.0.0:8080 on Cloud Run, not the URL tests connect to.
  const address = running.server.address() as AddressInfo;
  const bound = `${address.address}:${address.port}`;
  // Every value here is configuration a deployer may read: no secret, and no allowed email.
  logger.info(
    {
      event: 'server.start',
      version: BRIDGE_VERSION,
      node: process.version,
      mode: settings.demo ? 'demo' : 'production',
      odoo_auth: settings.odooAuth,
      public_url: bridgeSettings.issuer,
      odoo_url: bridgeSettings.odooServer.url.href,
      odoo_db: bridgeSettings.odooServer.db,
      oidc_issuer: upstream.issuer.href,
      allowed_email_domains: settings.allowedEmailDomains,
      allowed_emails_count: settings.allowedEmails.length,
      token_key_ids:
        settings.tokenKeys === undefined ? undefined : [...settings.tokenKeys.byKid.keys()],
      access_token_ttl_seconds: bridgeSettings.accessTokenTtlSeconds,
      refresh_token_ttl_seconds: bridgeSettings.refreshTokenTtlSeconds,
      upstream_recheck_seconds: bridgeSettings.upstreamRecheckSeconds,
      google_cloud_project: settings.googleCloudProject,
      log_level: settings.logLevel,
      listen: bound,
    },
    `odoo-mcp-bridge ${BRIDGE_VERSION} listening on ${bound}`,
  );

  if (settings.odooAuth === 'google') {
    const providerId = running.bridge.context.settings.odooOauthProviderId;
    logger.info(
      { event: 'server.google_mode', odoo_oauth_provider_id: providerId },
      `Google mode: people sign in to Odoo with Google, no API key. Odoo must have the auth_oauth ` +
        `module, an OAuth provider for Google with id ${providerId} (Settings > Users & Companies > ` +
        `OAuth Providers), and each person's Odoo user linked to their Google account.`,
    );
  }

  const stop = (signal: string) => {
    logger.info(
      { event: 'server.stop', signal },
      `Received ${signal}; finishing requests in flight`,
    );
    running.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}
