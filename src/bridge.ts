import type { Hono } from 'hono';
import { ClientDirectory } from './authorization/clients/clients.js';
import { createDocumentFetcher } from './authorization/clients/document-fetcher.js';
import {
  MetadataDocumentClients,
  type MetadataDocumentFetcher,
} from './authorization/clients/metadata-document.js';
import { SealedClients } from './authorization/clients/sealed-clients.js';
import { BridgeCookies } from './authorization/cookies.js';
import type { BridgeContext, BridgeSettings } from './context.js';
import { createApp, type Mount } from './http/app.js';
import type { Logger } from './log/logger.js';
import { createOdooClient } from './odoo/client.js';
import { OdooKeyChecks } from './resource/odoo-key-checks.js';
import type { KeyRing } from './seal/keys.js';
import { Sealer } from './seal/seal.js';
import type { Allowlist } from './upstream/allowlist.js';
import { UpstreamIssuer, type UpstreamSettings } from './upstream/issuer.js';
import { UpstreamRechecks } from './upstream/rechecks.js';
import { TtlCache } from './util/ttl-cache.js';

const MAX_REDEEMED_CODES = 100_000;
const MAX_ODOO_SESSIONS = 10_000;
/** Odoo keeps a web session for a week unless it is used or ended before. */
const ODOO_SESSION_MEMORY_MS = 7 * 24 * 3600 * 1000;

export interface BridgeOptions {
  settings: BridgeSettings;
  keys: KeyRing;
  upstream: Omit<UpstreamSettings, 'redirectUri'>;
  allowlist: Allowlist;
  logger: Logger;
  /** Fetches client ID metadata documents; the default refuses private addresses. */
  fetchMetadataDocument?: MetadataDocumentFetcher;
  /** Time limit of each Odoo call. */
  odooTimeoutMs?: number;
  demoApiKeyFor?: (email: string) => string | undefined;
  mounts?: Mount[];
}

export interface Bridge {
  app: Hono;
  context: BridgeContext;
  close(): Promise<void>;
}

/** Wires the authorization server, the resource server and the Odoo client into one app. */
export function createBridge(options: BridgeOptions): Bridge {
  const { settings, logger } = options;
  const sealer = new Sealer(options.keys, settings.issuer);
  const upstream = new UpstreamIssuer({
    ...options.upstream,
    redirectUri: `${settings.issuer}/callback`,
  });
  const odoo = createOdooClient(settings.odooServer, {
    logger,
    ...(options.odooTimeoutMs === undefined ? {} : { timeoutMs: options.odooTimeoutMs }),
  });
  const context: BridgeContext = {
    settings,
    logger,
    sealer,
    cookies: new BridgeCookies(settings),
    clients: new ClientDirectory(
      new SealedClients(sealer),
      new MetadataDocumentClients(options.fetchMetadataDocument ?? createDocumentFetcher(), logger),
    ),
    upstream,
    allowlist: options.allowlist,
    odoo,
    rechecks: new UpstreamRechecks(upstream, settings.upstreamRecheckSeconds, logger),
    odooKeys: new OdooKeyChecks(odoo, settings.upstreamRecheckSeconds, logger),
    redeemedCodes: new TtlCache(MAX_REDEEMED_CODES),
    odooSessions: new TtlCache(MAX_ODOO_SESSIONS, ODOO_SESSION_MEMORY_MS),
    demoApiKeyFor: options.demoApiKeyFor,
  };
  const app = createApp(context, { mounts: options.mounts ?? [] });
  return { app, context, close: () => odoo.close() };
}

/** Derives issuer and resource from `PUBLIC_URL`: the resource is exactly `<PUBLIC_URL>/mcp`. */
export function publicUrlSettings(
  publicUrl: URL,
): Pick<BridgeSettings, 'publicUrl' | 'issuer' | 'resource'> {
  const issuer = publicUrl.origin;
  return { publicUrl: new URL(issuer), issuer, resource: `${issuer}/mcp` };
}
