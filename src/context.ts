import type { ClientDirectory } from './authorization/clients/clients.js';
import type { BridgeCookies } from './authorization/cookies.js';
import type { OdooAuthMode } from './config/env.js';
import type { Logger } from './log/logger.js';
import type { OdooClient } from './odoo/client.js';
import type { OdooServer } from './odoo/types.js';
import type { OdooKeyChecks } from './resource/odoo-key-checks.js';
import type { Sealer } from './seal/seal.js';
import type { Allowlist } from './upstream/allowlist.js';
import type { UpstreamIssuer } from './upstream/issuer.js';
import type { UpstreamRechecks } from './upstream/rechecks.js';
import type { TtlCache } from './util/ttl-cache.js';

/** The settings every part of the bridge reads, resolved once at start. */
export interface BridgeSettings {
  /** `PUBLIC_URL` as an origin, such as https://odoo-mcp.example.com. */
  publicUrl: URL;
  /** The authorization server's issuer identifier: the origin, without a trailing slash. */
  issuer: string;
  /** The protected resource, `<PUBLIC_URL>/mcp`: access tokens carry it as their audience. */
  resource: string;
  demo: boolean;
  odooServer: OdooServer;
  odooAuth: OdooAuthMode;
  /** The `auth.oauth.provider` id of Google in Odoo, in google mode. */
  odooOauthProviderId?: number | undefined;
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  upstreamRecheckSeconds: number;
  /** `GOOGLE_CLOUD_PROJECT`, which makes the trace ids in log lines Cloud Trace resource names. */
  traceProject?: string | undefined;
}

/** The parts an endpoint works with, made once per process and shared by every request. */
export interface BridgeContext {
  settings: BridgeSettings;
  logger: Logger;
  sealer: Sealer;
  cookies: BridgeCookies;
  clients: ClientDirectory;
  upstream: UpstreamIssuer;
  allowlist: Allowlist;
  odoo: OdooClient;
  rechecks: UpstreamRechecks;
  odooKeys: OdooKeyChecks;
  /**
   * The newest Odoo session of each google-mode grant on this instance. A session renewed
   * after expiry cannot be written back into the client's sealed token, so it is kept here.
   */
  odooSessions: TtlCache<string, string>;
  /** Ids of authorization codes redeemed on this instance, kept until the codes expire. */
  redeemedCodes: TtlCache<string, true>;
  /** In the demo, the API key to pre-fill on the consent page for a demo person. */
  demoApiKeyFor?: ((email: string) => string | undefined) | undefined;
}
