import {
  createMcpHandler,
  isLegacyRequest,
  WebStandardStreamableHTTPServerTransport,
  type AuthInfo,
  type McpServer,
} from '@modelcontextprotocol/server';
import { isGoogleUser, type Grant } from '../authorization/grant.js';
import { googleSessionRenewal } from '../authorization/odoo-google.js';
import type { BridgeContext } from '../context.js';
import type { OdooConnection } from '../odoo/types.js';
import { createMcpServer } from '../mcp/server.js';
import type { ToolSession } from '../mcp/session.js';
import { authenticateBearer, type Authenticated } from './bearer.js';

/** Largest JSON-RPC body `/mcp` reads; tool arguments are small. */
const MAX_MCP_BODY_BYTES = 1024 * 1024;

/**
 * `POST /mcp`: Streamable HTTP, stateless, JSON responses. Each request gets a fresh MCP
 * server bound to the person of its access token. Requests of the 2026-07-28 revision go to
 * the SDK's per-request handler; 2025-era requests (what Claude.ai sends today) get a
 * stateless transport with JSON responses, since the SDK's own fallback answers with SSE.
 */
export function createMcpEndpoint(context: BridgeContext) {
  const serverFor = (authInfo: AuthInfo | undefined): McpServer => {
    const authenticated = authInfo?.extra?.authenticated as Authenticated | undefined;
    if (authenticated === undefined) {
      throw new Error('MCP request reached the server without an authenticated grant');
    }
    return createMcpServer(toolSession(context, authenticated));
  };
  const modern = withSdkWarningsLogged(context, () =>
    createMcpHandler((request) => serverFor(request.authInfo), {
      legacy: 'reject',
      responseMode: 'json',
      maxRequestBodySize: MAX_MCP_BODY_BYTES,
      onerror: (error) =>
        context.logger.warn({ event: 'mcp.protocol', error }, 'MCP request rejected'),
    }),
  );

  return async (request: Request): Promise<Response> => {
    const result = await authenticateBearer(context, request);
    if (!result.ok) {
      return result.response;
    }
    const { authenticated } = result;
    const authInfo: AuthInfo = {
      token: '',
      clientId: authenticated.grant.client.fingerprint,
      scopes: authenticated.grant.scope.split(' '),
      expiresAt: authenticated.expiresAt,
      resource: new URL(context.settings.resource),
      extra: { authenticated },
    };
    if (
      request.method === 'POST' &&
      (await isLegacyRequest(request, undefined, { maxRequestBodySize: MAX_MCP_BODY_BYTES }))
    ) {
      return serveLegacy(serverFor(authInfo), request, authInfo);
    }
    return modern.fetch(request, { authInfo });
  };
}

async function serveLegacy(
  server: McpServer,
  request: Request,
  authInfo: AuthInfo,
): Promise<Response> {
  const transport = new WebStandardStreamableHTTPServerTransport({
    sessionIdGenerator: undefined,
    enableJsonResponse: true,
  });
  await server.connect(transport);
  try {
    return await transport.handleRequest(request, { authInfo });
  } finally {
    await transport.close();
    await server.close();
  }
}

function toolSession(context: BridgeContext, authenticated: Authenticated): ToolSession {
  const { grant } = authenticated;
  return {
    connection: odooConnection(context, grant),
    person: { email: grant.person.email, name: grant.person.name },
    odooUid: grant.odoo.uid,
    clientName: grant.client.name,
    grantId: grant.grantId,
    logger: context.logger,
    odooWebUrl: context.settings.odooServer.url,
    odooAuth: context.settings.odooAuth,
  };
}

/** Returns the person's Odoo connection: their API key, or in google mode their web session. */
function odooConnection(context: BridgeContext, grant: Grant): OdooConnection {
  const user = grant.odoo;
  if (!isGoogleUser(user)) {
    return context.odoo.connect({ login: user.login, apiKey: user.apiKey }, user.uid);
  }
  const sessionId = context.odooSessions.get(grant.grantId) ?? user.sessionId;
  // Odoo ended the session (expiry, restart, sign-out): sign in again once with a fresh
  // Google token, and keep the new session for the grant's next requests on this instance.
  const renew = googleSessionRenewal(
    context,
    { ...grant, odoo: user },
    async () => (await context.rechecks.freshTokens(grant)).accessToken,
  );
  return context.odoo.connectSession({ sessionId, uid: user.uid, login: user.login }, renew);
}

/**
 * Runs `create` with `console.warn` sent to the log at debug level. The SDK warns in plain
 * text that JSON responses drop notifications sent during a call. The bridge sends none, and
 * a plain-text line would break the log's one JSON object per line.
 */
function withSdkWarningsLogged<T>(context: BridgeContext, create: () => T): T {
  const warn = console.warn;
  console.warn = (...parts: unknown[]) =>
    context.logger.debug({ event: 'mcp.sdk_warning' }, parts.map(String).join(' '));
  try {
    return create();
  } finally {
    console.warn = warn;
  }
}
