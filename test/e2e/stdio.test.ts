import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoOdoo } from '../../src/demo/odoo/index.js';

const CLI = 'dist/cli.js';

describe('stdio mode', () => {
  let odoo: Awaited<ReturnType<typeof startDemoOdoo>>;
  let env: Record<string, string>;

  beforeAll(async () => {
    odoo = await startDemoOdoo({ port: 0 });
    const bob = odoo.demo.people.find((person) => person.email === 'bob@example.com')!;
    env = {
      PATH: process.env.PATH ?? '',
      ODOO_URL: odoo.url.href,
      ODOO_DB: odoo.demo.db,
      ODOO_LOGIN: bob.login,
      ODOO_API_KEY: bob.apiKey,
    };
  });

  afterAll(async () => {
    await odoo.close();
  });

  it('serves the tools to an MCP client', async () => {
    const client = new Client({ name: 'stdio-test', version: '1.0.0' });
    await client.connect(
      new StdioClientTransport({
        command: process.execPath,
        args: [CLI, 'stdio'],
        env,
        stderr: 'pipe',
      }),
    );
    try {
      const whoami = (await client.callTool({ name: 'whoami', arguments: {} })) as {
        structuredContent?: Record<string, unknown>;
      };
      expect(whoami.structuredContent?.login).toBe('bob@example.com');
      const count = (await client.callTool({
        name: 'count_records',
        arguments: { model: 'sale.order' },
      })) as {
        structuredContent?: Record<string, unknown>;
      };
      expect(Number(count.structuredContent?.count)).toBeGreaterThan(0);
    } finally {
      await client.close();
    }
  });

  it('writes nothing but JSON-RPC to stdout', async () => {
    const child = spawn(process.execPath, [CLI, 'stdio'], { env: { ...env, LOG_LEVEL: 'debug' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const send = (message: object) => child.stdin.write(`${JSON.stringify(message)}\n`);

    send({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: {
        protocolVersion: '2025-06-18',
        capabilities: {},
        clientInfo: { name: 't', version: '1' },
      },
    });
    send({ jsonrpc: '2.0', method: 'notifications/initialized' });
    send({
      jsonrpc: '2.0',
      id: 2,
      method: 'tools/call',
      params: { name: 'count_records', arguments: { model: 'res.partner' } },
    });
    await waitFor(() => stdout.includes('"id":2'));
    child.stdin.end();
    child.kill();
    await once(child, 'exit');

    const lines = stdout.split('\n').filter((line) => line.trim() !== '');
    expect(lines.length).toBeGreaterThanOrEqual(2);
    for (const line of lines) {
      expect(JSON.parse(line)).toHaveProperty('jsonrpc', '2.0');
    }
    expect(stderr).toContain('mcp.tool_call');
    expect(stderr).not.toContain(env.ODOO_API_KEY);
  });

  it('stops with the variable named when one is missing', async () => {
    const child = spawn(process.execPath, [CLI, 'stdio'], { env: { ...env, ODOO_API_KEY: '' } });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const [code] = (await once(child, 'exit')) as [number];
    expect(code).toBe(1);
    expect(stderr).toContain('ODOO_API_KEY is required in stdio mode');
  });

  it('refuses a portal user', async () => {
    const pat = odoo.demo.people.find((person) => person.login === 'pat@example.com')!;
    const child = spawn(process.execPath, [CLI, 'stdio'], {
      env: { ...env, ODOO_LOGIN: pat.login, ODOO_API_KEY: pat.apiKey },
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const [code] = (await once(child, 'exit')) as [number];
    expect(code).toBe(1);
    expect(stderr).toContain('is a portal user');
  });

  it('stops with the causes when the key does not sign in', async () => {
    const child = spawn(process.execPath, [CLI, 'stdio'], {
      env: { ...env, ODOO_API_KEY: 'f'.repeat(40) },
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const [code] = (await once(child, 'exit')) as [number];
    expect(code).toBe(1);
    expect(stderr).toContain('Odoo sign-in failed for bob@example.com');
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) {
      throw new Error('timed out waiting for the stdio server');
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
