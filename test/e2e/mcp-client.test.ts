import type { Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PEOPLE, startHarness, type Harness } from '../helpers/harness.js';
import { connectAs, type ScriptedOAuthProvider } from '../helpers/mcp-client.js';
import { callTool, countDirectly } from '../helpers/tools.js';

const [alice, bob, carol] = PEOPLE as [
  (typeof PEOPLE)[number],
  (typeof PEOPLE)[number],
  (typeof PEOPLE)[number],
];

describe('a real MCP client through the whole OAuth flow', () => {
  let harness: Harness;
  const connections: Client[] = [];
  let aliceClient: Client;
  let aliceProvider: ScriptedOAuthProvider;

  beforeAll(async () => {
    harness = await startHarness();
    ({ client: aliceClient, provider: aliceProvider } = await connectAs(harness, alice));
    connections.push(aliceClient);
  });

  afterAll(async () => {
    for (const client of connections) {
      await client.close();
    }
    await harness.close();
  });

  it('discovers, registers, signs in and lists the tools', async () => {
    const { tools } = await aliceClient.listTools();
    const names = tools.map((tool) => tool.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'whoami',
        'search_records',
        'read_records',
        'count_records',
        'describe_model',
      ]),
    );
    for (const tool of tools) {
      expect(tool.annotations?.readOnlyHint).toBe(true);
    }
    expect(aliceProvider.authorizations).toBe(1);
  });

  it('counts sales orders differently for alice and bob', async () => {
    const { client: bobClient } = await connectAs(harness, bob);
    connections.push(bobClient);
    const aliceCount = await callTool(aliceClient, 'count_records', { model: 'sale.order' });
    const bobCount = await callTool(bobClient, 'count_records', { model: 'sale.order' });

    expect(aliceCount.isError).toBeFalsy();
    expect(bobCount.isError).toBeFalsy();
    const aliceOrders = Number(aliceCount.structuredContent?.count);
    const bobOrders = Number(bobCount.structuredContent?.count);
    expect(aliceOrders).toBeGreaterThan(0);
    expect(bobOrders).toBeGreaterThan(aliceOrders);
    expect(aliceOrders).toBe(await countDirectly(harness, alice.email, 'sale.order'));
    expect(bobOrders).toBe(await countDirectly(harness, bob.email, 'sale.order'));
  });

  it('shows carol the access error of Odoo', async () => {
    const { client: carolClient } = await connectAs(harness, carol);
    connections.push(carolClient);
    const answer = await callTool(carolClient, 'search_records', { model: 'sale.order', limit: 1 });

    expect(answer.isError).toBe(true);
    const text = answer.content.map((part) => part.text ?? '').join('\n');
    expect(text).toContain('You are not allowed to access');
  });

  it('serves the 2026-07-28 revision too', async () => {
    const { client } = await connectAs(harness, bob, {
      versionNegotiation: { mode: { pin: '2026-07-28' } },
    });
    connections.push(client);
    expect(client.getNegotiatedProtocolVersion()).toBe('2026-07-28');
    const answer = await callTool(client, 'count_records', { model: 'sale.order' });
    expect(answer.isError).toBeFalsy();
    expect(Number(answer.structuredContent?.count)).toBe(
      await countDirectly(harness, bob.email, 'sale.order'),
    );
  });

  it('tells each person who they are', async () => {
    const answer = await callTool(aliceClient, 'whoami', {});
    expect(answer.structuredContent?.login).toBe('alice@example.com');
    expect(answer.structuredContent?.email).toBe('alice@example.com');
  });

  it('refreshes the token when the access token is refused', async () => {
    aliceProvider.spoilAccessToken();
    const answer = await callTool(aliceClient, 'count_records', { model: 'res.partner' });
    expect(answer.isError).toBeFalsy();
    expect(aliceProvider.tokens()?.access_token).not.toBe('spoiled');
    expect(aliceProvider.authorizations).toBe(1);
  });

  it('audits every tool call', async () => {
    await callTool(aliceClient, 'count_records', { model: 'sale.order' });
    const audit = harness.logs.filter((line) => line.event === 'mcp.tool_call');
    const last = audit.at(-1)!;
    expect(last.tool).toBe('count_records');
    expect(last.email).toBe('alice@example.com');
    expect(last.model).toBe('sale.order');
    expect(last.outcome).toBe('ok');
    expect(typeof last.odoo_uid).toBe('number');
  });
});
