import { Writable } from 'node:stream';
import { Client, InMemoryTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log/logger.js';
import { createMcpServer } from '../../src/mcp/server.js';
import { createOdooClient, type OdooClient } from '../../src/odoo/client.js';
import type { OdooConnection } from '../../src/odoo/types.js';

/**
 * The tool scenarios against a real Odoo named by the environment:
 * LIVE_ODOO_URL, LIVE_ODOO_DB, and LIVE_ODOO_LOGIN_A / LIVE_ODOO_KEY_A and
 * LIVE_ODOO_LOGIN_B / LIVE_ODOO_KEY_B for two people (A with fewer rights than B, such as a
 * salesperson and a sales manager). LIVE_ODOO_LOGIN_C / LIVE_ODOO_KEY_C (someone without sales
 * rights) and LIVE_ODOO_EXPIRED_KEY_A are optional. Without them the suite is skipped.
 */
const env = process.env;
const configured = [
  'LIVE_ODOO_URL',
  'LIVE_ODOO_DB',
  'LIVE_ODOO_LOGIN_A',
  'LIVE_ODOO_KEY_A',
  'LIVE_ODOO_LOGIN_B',
  'LIVE_ODOO_KEY_B',
].every((name) => (env[name] ?? '') !== '');

interface Answer {
  isError?: boolean;
  structuredContent?: Record<string, unknown>;
  content: Array<{ type: string; text?: string }>;
}

interface Person {
  login: string;
  apiKey: string;
  connection: OdooConnection;
  client: Client;
  uid: number;
}

function textOf(answer: Answer): string {
  return answer.content.map((part) => part.text ?? '').join('\n');
}

describe.skipIf(!configured)('tools against a live Odoo', () => {
  let odoo: OdooClient;
  const people: Record<string, Person> = {};
  const quiet = createLogger({
    level: 'silent',
    destination: new Writable({ write: (_c, _e, done) => done() }),
  });

  async function connect(login: string, apiKey: string): Promise<Person> {
    const uid = await odoo.authenticate({ login, apiKey });
    const connection = odoo.connect({ login, apiKey }, uid);
    const server = createMcpServer({
      connection,
      person: { email: login },
      odooUid: uid,
      clientName: 'live-test',
      logger: quiet,
      odooWebUrl: new URL(env.LIVE_ODOO_URL!),
    });
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    await server.connect(serverSide);
    const client = new Client({ name: 'live-test', version: '1.0.0' });
    await client.connect(clientSide);
    return { login, apiKey, connection, client, uid };
  }

  async function call(
    person: Person,
    name: string,
    args: Record<string, unknown>,
  ): Promise<Answer> {
    return (await person.client.callTool({ name, arguments: args })) as Answer;
  }

  beforeAll(async () => {
    odoo = createOdooClient({ url: new URL(env.LIVE_ODOO_URL!), db: env.LIVE_ODOO_DB! });
    people.a = await connect(env.LIVE_ODOO_LOGIN_A!, env.LIVE_ODOO_KEY_A!);
    people.b = await connect(env.LIVE_ODOO_LOGIN_B!, env.LIVE_ODOO_KEY_B!);
    if ((env.LIVE_ODOO_LOGIN_C ?? '') !== '' && (env.LIVE_ODOO_KEY_C ?? '') !== '') {
      people.c = await connect(env.LIVE_ODOO_LOGIN_C!, env.LIVE_ODOO_KEY_C!);
    }
  });

  afterAll(async () => {
    for (const person of Object.values(people)) {
      await person.client.close();
    }
    await odoo?.close();
  });

  it('lists every tool', async () => {
    const { tools } = await people.a!.client.listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual([
      'aggregate_records',
      'check_stock',
      'count_records',
      'describe_model',
      'find_by_name',
      'find_contacts',
      'find_invoices',
      'find_sales_orders',
      'list_models',
      'read_records',
      'search_records',
      'whoami',
    ]);
  });

  it('finds my sales orders as Odoo counts them', async () => {
    const person = people.a!;
    const domain = [['user_id', '=', person.uid]];
    const direct = await person.connection.executeKw<number>('sale.order', 'search_count', [
      domain,
    ]);
    const answer = await call(person, 'find_sales_orders', { salesperson: 'me' });
    expect(answer.isError, textOf(answer)).toBeFalsy();
    expect(answer.structuredContent?.total).toBe(direct);
  });

  it('finds customer invoices as Odoo counts them', async () => {
    const person = people.b!;
    const domain = [['move_type', '=', 'out_invoice']];
    const direct = await person.connection.executeKw<number>('account.move', 'search_count', [
      domain,
    ]);
    const answer = await call(person, 'find_invoices', { kind: 'customer_invoice' });
    expect(answer.isError, textOf(answer)).toBeFalsy();
    expect(answer.structuredContent?.total).toBe(direct);
    expect(Array.isArray(answer.structuredContent?.amount_due_total)).toBe(true);
  });

  it('finds companies as Odoo counts them', async () => {
    const person = people.b!;
    const domain = [['is_company', '=', true]];
    const direct = await person.connection.executeKw<number>('res.partner', 'search_count', [
      domain,
    ]);
    const answer = await call(person, 'find_contacts', { is_company: true });
    expect(answer.isError, textOf(answer)).toBeFalsy();
    expect(answer.structuredContent?.total).toBe(direct);
  });

  it('checks stock for someone with inventory rights', async () => {
    const answer = await call(people.b!, 'check_stock', { limit: 5 });
    expect(answer.isError, textOf(answer)).toBeFalsy();
    expect(Array.isArray(answer.structuredContent?.products)).toBe(true);
  });

  it('groups orders by state with counts that add up', async () => {
    const person = people.b!;
    const direct = await person.connection.executeKw<number>('sale.order', 'search_count', [[]]);
    const answer = await call(person, 'aggregate_records', {
      model: 'sale.order',
      groupby: ['state'],
    });
    expect(answer.isError, textOf(answer)).toBeFalsy();
    const groups = (answer.structuredContent?.groups ?? []) as Array<{ count: number | null }>;
    expect(groups.reduce((sum, group) => sum + (group.count ?? 0), 0)).toBe(direct);
  });

  it('lists the sales model among readable models', async () => {
    const answer = await call(people.b!, 'list_models', { search: 'sale' });
    expect(answer.isError, textOf(answer)).toBeFalsy();
    const models = (answer.structuredContent?.models ?? []) as Array<{ model: string }>;
    expect(models.map((entry) => entry.model)).toContain('sale.order');
  });

  it('finds a partner by name', async () => {
    const person = people.b!;
    const companies = await person.connection.executeKw<Array<{ id: number; name: string }>>(
      'res.partner',
      'search_read',
      [[['is_company', '=', true]]],
      { fields: ['name'], limit: 1 },
    );
    const first = companies[0]!;
    const answer = await call(person, 'find_by_name', { model: 'res.partner', name: first.name });
    expect(answer.isError, textOf(answer)).toBeFalsy();
    const matches = (answer.structuredContent?.matches ?? []) as Array<{ id: number }>;
    expect(matches.map((match) => match.id)).toContain(first.id);
  });

  it('uses JSON-2 from Odoo 19 on', async () => {
    const version = await odoo.version();
    expect(await odoo.protocol()).toBe(version.major >= 19 ? 'json2' : 'jsonrpc');
  });

  it('tells each person who they are', async () => {
    for (const person of [people.a!, people.b!]) {
      const answer = await call(person, 'whoami', {});
      expect(answer.isError).toBeFalsy();
      expect(answer.structuredContent?.login).toBe(person.login);
      expect(answer.structuredContent?.uid).toBe(person.uid);
    }
  });

  it('counts what Odoo counts for each person', async () => {
    for (const model of ['sale.order', 'account.move', 'res.partner']) {
      for (const person of [people.a!, people.b!]) {
        const direct = await person.connection.executeKw<number>(model, 'search_count', [[]]);
        const answer = await call(person, 'count_records', { model });
        expect(answer.structuredContent?.count, `${person.login} ${model}`).toBe(direct);
      }
    }
  });

  it('searches orders within the person rights', async () => {
    const answer = await call(people.a!, 'search_records', { model: 'sale.order', limit: 5 });
    expect(answer.isError).toBeFalsy();
    const total = await people.a!.connection.executeKw<number>('sale.order', 'search_count', [[]]);
    expect(answer.structuredContent?.total).toBe(total);
    expect(textOf(answer)).toMatch(/\/odoo\/sale\.order\/\d+|\/web#id=\d+/);
  });

  it('reports records the rules hide from a person', async () => {
    const visible = await people.a!.connection.executeKw<number[]>('sale.order', 'search', [[]]);
    const all = await people.b!.connection.executeKw<number[]>('sale.order', 'search', [[]]);
    const hidden = all.find((id) => !visible.includes(id));
    if (visible.length === 0 || hidden === undefined) {
      return;
    }
    const answer = await call(people.a!, 'read_records', {
      model: 'sale.order',
      ids: [visible[0], hidden],
      fields: ['name'],
    });
    expect(answer.isError, textOf(answer)).toBeFalsy();
    expect(answer.structuredContent?.hidden_ids).toEqual([hidden]);
    const records = (answer.structuredContent?.records ?? []) as Array<{ id: number }>;
    expect(records.map((record) => record.id)).toEqual([visible[0]]);
  });

  it('rejects a malformed domain before Odoo', async () => {
    const answer = await call(people.a!, 'count_records', {
      model: 'sale.order',
      domain: [['state', 'sale']],
    });
    expect(answer.isError).toBe(true);
    expect(textOf(answer)).toContain('exactly three');
  });

  it('describes a model with labels', async () => {
    const answer = await call(people.b!, 'describe_model', {
      model: 'sale.order',
      fields: ['state', 'partner_id'],
    });
    expect(answer.isError).toBeFalsy();
    expect(JSON.stringify(answer.structuredContent?.fields)).toContain('partner_id');
  });

  it("shows Odoo's access error to someone without sales rights", async () => {
    if (people.c === undefined) {
      return;
    }
    const answer = await call(people.c, 'search_records', { model: 'sale.order', limit: 1 });
    expect(answer.isError).toBe(true);
    expect(textOf(answer)).toMatch(/not allowed to access|access/i);
  });

  it('explains an expired key', async () => {
    if ((env.LIVE_ODOO_EXPIRED_KEY_A ?? '') === '') {
      return;
    }
    await expect(
      odoo.authenticate({ login: env.LIVE_ODOO_LOGIN_A!, apiKey: env.LIVE_ODOO_EXPIRED_KEY_A! }),
    ).rejects.toThrow(/expired|New API Key/i);
  });
});
