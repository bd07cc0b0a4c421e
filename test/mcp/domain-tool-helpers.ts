import { Client, InMemoryTransport } from '@modelcontextprotocol/client';
import { McpServer } from '@modelcontextprotocol/server';
import { startDemoOdoo } from '../../src/demo/odoo/index.js';
import { FieldsCache } from '../../src/mcp/fields.js';
import { ModelListCache } from '../../src/mcp/models.js';
import { type PersonContext, PersonContextCache } from '../../src/mcp/person-context.js';
import type { ToolSession } from '../../src/mcp/session.js';
import { registerTool } from '../../src/mcp/tool.js';
import { checkStockTool } from '../../src/mcp/tools/check-stock.js';
import { findContactsTool } from '../../src/mcp/tools/find-contacts.js';
import { findInvoicesTool } from '../../src/mcp/tools/find-invoices.js';
import { findSalesOrdersTool } from '../../src/mcp/tools/find-sales-orders.js';
import { createOdooClient, type OdooClient } from '../../src/odoo/client.js';
import type { OdooConnection } from '../../src/odoo/types.js';
import { type ConnectedSession, memoryLogger, UTC_CONTEXT } from './helpers.js';

/**
 * Connects an MCP client to a server with the four domain tools, which server.ts does not
 * register yet. `context` is cached as the person's time zone and language; null leaves the
 * cache empty, so the tools ask Odoo with `context_get`.
 */
export async function connectDomainTools(
  connection: OdooConnection,
  person: { email: string; uid: number },
  context: PersonContext | null = UTC_CONTEXT,
): Promise<ConnectedSession> {
  const logs = memoryLogger();
  const session: ToolSession = {
    connection,
    person: { email: person.email },
    odooUid: person.uid,
    clientName: 'test-client',
    grantId: 'grant-1',
    logger: logs.logger,
    odooWebUrl: new URL('https://erp.example.com/'),
  };

  const contextCache = new PersonContextCache();
  if (context !== null) {
    const { url, db } = connection.server;
    contextCache.set(`${url.href}\0${db}\0${person.uid}`, context);
  }
  const services = {
    fieldsCache: new FieldsCache(),
    modelsCache: new ModelListCache(),
    contextCache,
  };

  const server = new McpServer({ name: 'domain-tools-test', version: '0.0.0' });
  registerTool(server, findSalesOrdersTool, session, services);
  registerTool(server, findInvoicesTool, session, services);
  registerTool(server, findContactsTool, session, services);
  registerTool(server, checkStockTool, session, services);

  const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
  await server.connect(serverTransport);
  const client = new Client({ name: 'test-client', version: '1.0.0' });
  await client.connect(clientTransport);
  return {
    client,
    session,
    logs,
    async close() {
      await client.close();
      await server.close();
    },
  };
}

/** Returns the structured result of a tool call. */
export function structured<T = Record<string, unknown>>(result: unknown): T {
  return (result as { structuredContent: T }).structuredContent;
}

/** The demo Odoo of one series and a real Odoo client pointed at it. */
export interface DemoStack {
  demo: Awaited<ReturnType<typeof startDemoOdoo>>;
  odoo: OdooClient;
  sessions: ConnectedSession[];
}

export async function startDemoStack(version: '17.0' | '18.0' | '19.0'): Promise<DemoStack> {
  const demo = await startDemoOdoo({ port: 0, version });
  const odoo = createOdooClient({ url: demo.url, db: demo.demo.db });
  return { demo, odoo, sessions: [] };
}

export async function stopDemoStack(stack: DemoStack): Promise<void> {
  for (const session of stack.sessions) {
    await session.close();
  }
  await stack.odoo.close();
  await stack.demo.close();
}

/** One demo person's MCP session and their own Odoo connection, for direct comparisons. */
export interface DemoSession extends ConnectedSession {
  connection: OdooConnection;
}

/**
 * Connects as the demo person with `email`. The tools read the person's time zone from the
 * demo with `context_get`, as they do in production.
 */
export async function demoSession(stack: DemoStack, email: string): Promise<DemoSession> {
  const person = stack.demo.demo.people.find((candidate) => candidate.email === email);
  if (person === undefined) {
    throw new Error(`The demo Odoo has no person ${email}`);
  }
  const connection = stack.odoo.connect({ login: person.login, apiKey: person.apiKey }, person.uid);
  const session = await connectDomainTools(connection, { email, uid: person.uid }, null);
  stack.sessions.push(session);
  return { ...session, connection };
}
