import { randomUUID } from 'node:crypto';
import {
  Client,
  StreamableHTTPClientTransport,
  type FetchLike,
} from '@modelcontextprotocol/client';
import { Pool, fetch as undiciFetch, type RequestInit as UndiciRequestInit } from 'undici';
import { nowSeconds, SCOPE, type Grant } from '../../src/authorization/grant.js';
import { issueTokens, type TokenResponse } from '../../src/authorization/tokens.js';
import type { DemoPerson } from '../../src/demo/odoo/index.js';
import type { Harness } from './harness.js';

/**
 * Seals tokens for a demo Odoo person with the harness's own keys, as the token endpoint
 * does after a sign-in, without the sign-in. The upstream tokens are placeholders: the bridge
 * counts the token's issue as the last check at the issuer and in Odoo, so it calls neither
 * again within the re-check interval.
 */
export async function mintTokens(harness: Harness, person: DemoPerson): Promise<TokenResponse> {
  const grant: Grant = {
    grantId: randomUUID(),
    person: { sub: `minted-${person.uid}`, email: person.email, name: person.name },
    client: { fingerprint: 'minted-for-tests', name: 'Minted token' },
    scope: SCOPE,
    odoo: { uid: person.uid, login: person.login, name: person.name, apiKey: person.apiKey },
    upstream: { accessToken: `upstream-placeholder-${person.uid}`, expiresAt: nowSeconds() + 3600 },
    authTime: nowSeconds(),
  };
  return issueTokens(harness.bridge.context, grant);
}

/** An MCP SDK client with a bearer token and an HTTP connection of its own. */
export interface TokenClient {
  client: Client;
  /** Closes the client and its connection. */
  close(): Promise<void>;
}

/**
 * Connects an MCP SDK client that sends a fixed bearer token and never runs OAuth. Each client
 * keeps one connection of its own, as each person's MCP client does. With the shared pool of
 * the global `fetch`, a load test would open new connections while a saturated server accepts
 * them only seconds later.
 */
export async function connectWithToken(
  harness: Harness,
  accessToken: string,
): Promise<TokenClient> {
  const pool = new Pool(harness.url.origin, { connections: 1 });
  const transport = new StreamableHTTPClientTransport(harness.mcpUrl, {
    requestInit: { headers: { authorization: `Bearer ${accessToken}` } },
    // undici's fetch takes the same requests as the global one, with a dispatcher added.
    fetch: ((url: string | URL, init?: UndiciRequestInit) =>
      undiciFetch(url, { ...init, dispatcher: pool })) as unknown as FetchLike,
  });
  const client = new Client({ name: 'odoo-mcp-bridge-hardening', version: '1.0.0' });
  await client.connect(transport);
  return {
    client,
    async close() {
      await client.close();
      await pool.close();
    },
  };
}
