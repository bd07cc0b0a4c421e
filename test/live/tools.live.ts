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
    expect(tools.map((tool) => tool.name)).toEqual(
      expect.arrayContaining([
        'whoami',
        'search_records',
        'read_records',
        'count_records',
        'describe_model',
      ]),
    );
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
