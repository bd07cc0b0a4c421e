import { createServer } from 'node:net';
import { Writable } from 'node:stream';
import type { Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { readEnvironment } from '../../src/config/env.js';
import { startDemo } from '../../src/demo/start.js';
import { createLogger } from '../../src/log/logger.js';
import type { RunningServer } from '../../src/serve.js';
import { connectAs } from '../helpers/mcp-client.js';
import type { BridgeUnderTest } from '../helpers/oauth.js';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return typeof address === 'object' && address !== null ? address.port : 0;
}

interface ToolAnswer {
  isError?: boolean;
  structuredContent?: Record<string, unknown>;
  content: Array<{ type: string; text?: string }>;
}

describe('the demo', () => {
  let running: RunningServer;
  let target: BridgeUnderTest;
  let printed = '';
  const clients: Client[] = [];

  beforeAll(async () => {
    const port = await freePort();
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      printed += String(chunk);
      return true;
    });
    const quiet = new Writable({ write: (_chunk, _encoding, done) => done() });
    try {
      running = await startDemo(
        readEnvironment({ PORT: String(port) }),
        createLogger({ level: 'info', destination: quiet }),
      );
    } finally {
      vi.mocked(process.stdout.write).mockRestore();
    }
    const keys = new Map<string, string>();
    for (const email of ['alice@example.com', 'bob@example.com', 'carol@example.com']) {
      keys.set(email, running.bridge.context.demoApiKeyFor?.(email) ?? '');
    }
    target = {
      url: running.url,
      mcpUrl: new URL('/mcp', running.url),
      apiKeyOf: (email) => keys.get(email) ?? '',
    };
  });

  afterAll(async () => {
    for (const client of clients) {
      await client.close();
    }
    await running.close();
  });

  it('prints the MCP URL and how to connect', () => {
    expect(printed).toContain(`MCP URL: ${target.mcpUrl.href}`);
    expect(printed).toContain('claude mcp add --transport http');
    expect(printed).toContain('npx @modelcontextprotocol/inspector');
    expect(printed).toContain('"ODOO_API_KEY"');
  });

  it('signs in through the embedded issuer and calls tools', async () => {
    const { client } = await connectAs(target, { sub: 'demo-8', email: 'alice@example.com' });
    clients.push(client);
    const { tools } = await client.listTools();
    expect(tools.length).toBeGreaterThanOrEqual(5);

    const answer = (await client.callTool({
      name: 'search_records',
      arguments: { model: 'sale.order', limit: 3 },
    })) as ToolAnswer;
    expect(answer.isError).toBeFalsy();
    const text = answer.content.map((part) => part.text ?? '').join('\n');
    expect(text).toContain('/demo/odoo/odoo/sale.order/');
  });

  it('pre-fills the demo key of the person', () => {
    expect(target.apiKeyOf('bob@example.com')).toMatch(/^[0-9a-f]{40}$/);
  });
});
