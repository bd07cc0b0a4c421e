import { serve } from '@hono/node-server';
import { Writable } from 'node:stream';
import type { AddressInfo } from 'node:net';
import { Client, InMemoryTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDemoOdoo, type DemoOdoo } from '../../src/demo/odoo/index.js';
import { createLogger } from '../../src/log/logger.js';
import { createMcpServer } from '../../src/mcp/server.js';
import { createOdooClient, type OdooClient } from '../../src/odoo/client.js';
import { TODAY } from './helpers.js';

/**
 * The MCP tools on the demo Odoo in 19.0 mode, through a client left to choose its protocol.
 * The demo app is served behind a counter of request paths, which shows that every model call
 * went over JSON-2 and none over `/jsonrpc`.
 */

interface CountedDemo {
  demo: DemoOdoo;
  url: URL;
  paths: string[];
  close(): Promise<void>;
}

async function serveCountedDemo(): Promise<CountedDemo> {
  const demo = createDemoOdoo({ version: '19.0', today: TODAY });
  const paths: string[] = [];
  const fetch = (request: Request) => {
    paths.push(new URL(request.url).pathname);
    return demo.app.fetch(request);
  };
  const { server, port } = await new Promise<{ server: ReturnType<typeof serve>; port: number }>(
    (resolve) => {
      const started = serve({ fetch, hostname: '127.0.0.1', port: 0 }, (info: AddressInfo) =>
        resolve({ server: started, port: info.port }),
      );
    },
  );
  const close = () =>
    new Promise<void>((resolve) => {
      if ('closeAllConnections' in server) {
        server.closeAllConnections();
      }
      server.close(() => resolve());
    });
  return { demo, url: new URL(`http://127.0.0.1:${port}/`), paths, close };
}

function silentLogger() {
  const destination = new Writable({ write: (_chunk, _encoding, done) => done() });
  return createLogger({ level: 'error', destination });
}

/** Connects an MCP client to a server that runs the tools as the demo person `login`. */
async function mcpClientAs(counted: CountedDemo, odoo: OdooClient, login: string) {
  const person = counted.demo.people.find((candidate) => candidate.login === login);
  if (person === undefined) {
    throw new Error(`The demo has no person ${login}`);
  }
  const connection = odoo.connect({ login: person.login, apiKey: person.apiKey });
  const server = createMcpServer({
    connection,
    person: { email: person.email },
    odooUid: await connection.uid(),
    clientName: 'json2-test',
    logger: silentLogger(),
    odooWebUrl: new URL('https://erp.example.com/'),
  });
  const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
  await server.connect(serverTransport);
  const client = new Client({ name: 'json2-test', version: '1.0.0' });
  await client.connect(clientTransport);
  return { client, uid: person.uid, close: () => client.close() };
}

function structured(result: unknown): Record<string, unknown> {
  return (result as { structuredContent: Record<string, unknown> }).structuredContent;
}

describe('MCP tools over JSON-2 on the demo Odoo 19.0', () => {
  let counted: CountedDemo;
  let odoo: OdooClient;
  const closers: Array<() => Promise<void>> = [];

  beforeAll(async () => {
    counted = await serveCountedDemo();
    odoo = createOdooClient({ url: counted.url, db: counted.demo.db });
  });

  afterAll(async () => {
    for (const close of closers) {
      await close();
    }
    await odoo.close();
    await counted.close();
  });

  async function sessionAs(login: string) {
    const session = await mcpClientAs(counted, odoo, login);
    closers.push(session.close);
    return session;
  }

  it('chooses JSON-2 for 19.0', async () => {
    expect(await odoo.protocol()).toBe('json2');
  });

  it('count_records counts what each person sees', async () => {
    const alice = await sessionAs('alice@example.com');
    const bob = await sessionAs('bob@example.com');
    const countAs = async (session: typeof alice) => {
      const result = await session.client.callTool({
        name: 'count_records',
        arguments: { model: 'sale.order' },
      });
      expect(result.isError).toBeFalsy();
      return structured(result).count as number;
    };
    const aliceCount = await countAs(alice);
    const bobCount = await countAs(bob);
    expect(aliceCount).toBeGreaterThan(0);
    expect(bobCount).toBeGreaterThan(aliceCount);
  });

  it('search_records returns alice her orders', async () => {
    const alice = await sessionAs('alice@example.com');
    const result = await alice.client.callTool({
      name: 'search_records',
      arguments: { model: 'sale.order', fields: ['name', 'user_id'], limit: 3 },
    });
    expect(result.isError).toBeFalsy();
    const records = structured(result).records as Array<{ user_id: unknown }>;
    expect(records.length).toBeGreaterThan(0);
    // Odoo's "own documents only" rule also shows orders without a salesperson.
    const salespersonIds = records.map((record) =>
      Array.isArray(record.user_id) ? record.user_id[0] : record.user_id,
    );
    expect(salespersonIds.filter((id) => id !== false && id !== alice.uid)).toEqual([]);
    expect(salespersonIds).toContain(alice.uid);
  });

  it('search_records reports an access error', async () => {
    const carol = await sessionAs('carol@example.com');
    const result = await carol.client.callTool({
      name: 'search_records',
      arguments: { model: 'sale.order', limit: 1 },
    });
    expect(result.isError).toBe(true);
    const text = (result.content as Array<{ text: string }>)[0]?.text ?? '';
    expect(text).toContain("You are not allowed to access 'Sales Order' (sale.order) records.");
  });

  it('sent model calls to /json/2/ only', () => {
    const json2Calls = counted.paths.filter((path) => path.startsWith('/json/2/'));
    expect(json2Calls).toContain('/json/2/res.users/context_get');
    expect(json2Calls).toContain('/json/2/sale.order/search_count');
    expect(json2Calls).toContain('/json/2/sale.order/web_search_read');
    expect(counted.paths.filter((path) => path === '/jsonrpc')).toEqual([]);
    expect(counted.paths.filter((path) => path === '/web/webclient/version_info')).toHaveLength(1);
  });
});
