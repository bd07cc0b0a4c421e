import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoOdoo } from '../../src/demo/odoo/index.js';
import { createOdooClient, type OdooClient } from '../../src/odoo/client.js';
import {
  auditLines,
  connectClient,
  memoryLogger,
  resultText,
  type ConnectedSession,
} from './helpers.js';

type DemoOdoo = Awaited<ReturnType<typeof startDemoOdoo>>;

/** One `execute_kw` the proxy passed on to the demo Odoo: its model and method. */
interface ForwardedCall {
  model: unknown;
  method: unknown;
}

/**
 * An HTTP proxy on 127.0.0.1 in front of the demo Odoo that records the model and method of
 * every `execute_kw` it forwards, so a test can prove a call never reached Odoo.
 */
async function startCountingProxy(target: URL) {
  const forwarded: ForwardedCall[] = [];
  const server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const body = Buffer.concat(chunks);
      recordCall(incoming.url ?? '/', body, forwarded);
      const upstream = request(
        new URL(incoming.url ?? '/', target),
        { method: incoming.method, headers: incoming.headers },
        (response) => {
          outgoing.writeHead(response.statusCode ?? 502, response.headers);
          response.pipe(outgoing);
        },
      );
      upstream.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
  return { url, forwarded, close: () => closeServer(server) };
}

/** Records the model and method of an Odoo call, from the JSON-2 path or the JSON-RPC body. */
function recordCall(path: string, body: Buffer, forwarded: ForwardedCall[]): void {
  const json2 = /^\/json\/2\/([^/]+)\/([^/?]+)/.exec(path);
  if (json2 !== null) {
    forwarded.push({ model: json2[1], method: json2[2] });
    return;
  }
  const parsed = JSON.parse(body.toString('utf8') || '{}') as {
    params?: { method?: string; args?: unknown[] };
  };
  if (parsed.params?.method === 'execute_kw') {
    const args = parsed.params.args ?? [];
    forwarded.push({ model: args[3], method: args[4] });
  }
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
}

function structured(result: unknown): Record<string, unknown> {
  return (result as { structuredContent: Record<string, unknown> }).structuredContent;
}

/** The demo Odoo behind the counting proxy, and a real client pointed at the proxy. */
interface Stack {
  demo: DemoOdoo;
  proxy: Awaited<ReturnType<typeof startCountingProxy>>;
  odoo: OdooClient;
  /** What the Odoo client logged: one debug line per call. */
  odooLogs: ReturnType<typeof memoryLogger>;
  sessions: ConnectedSession[];
}

async function startStack(version: '17.0' | '18.0' | '19.0'): Promise<Stack> {
  const demo = await startDemoOdoo({ port: 0, version });
  const proxy = await startCountingProxy(demo.url);
  const odooLogs = memoryLogger();
  const odoo = createOdooClient({ url: proxy.url, db: demo.demo.db }, { logger: odooLogs.logger });
  return { demo, proxy, odoo, odooLogs, sessions: [] };
}

async function stopStack(stack: Stack): Promise<void> {
  for (const session of stack.sessions) {
    await session.close();
  }
  await stack.odoo.close();
  await stack.proxy.close();
  await stack.demo.close();
}

/** Connects an MCP client as the demo person with `email`, through the real Odoo client. */
async function sessionAs(stack: Stack, email: string): Promise<ConnectedSession> {
  const person = stack.demo.demo.people.find((candidate) => candidate.email === email);
  if (person === undefined) {
    throw new Error(`The demo Odoo has no person ${email}`);
  }
  const credential = { login: person.login, apiKey: person.apiKey };
  const connection = stack.odoo.connect(credential, person.uid);
  const session = await connectClient(connection, { email, uid: person.uid });
  stack.sessions.push(session);
  return session;
}

describe('tools on the demo Odoo 17.0', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack('17.0');
  });

  afterAll(async () => {
    await stopStack(stack);
  });

  it('counts only the sales orders alice may see', async () => {
    const alice = await sessionAs(stack, 'alice@example.com');
    const bob = await sessionAs(stack, 'bob@example.com');
    const countAs = async (session: ConnectedSession, domain: unknown[]) =>
      structured(
        await session.client.callTool({
          name: 'count_records',
          arguments: { model: 'sale.order', domain },
        }),
      ).count as number;
    const aliceCount = await countAs(alice, []);
    const bobCount = await countAs(bob, []);
    const aliceUid = alice.session.odooUid;
    expect(aliceCount).toBeGreaterThan(0);
    expect(bobCount).toBeGreaterThan(aliceCount);
    // Odoo's "own documents only" rule also shows orders without a salesperson.
    const aliceRule = ['|', ['user_id', '=', aliceUid], ['user_id', '=', false]];
    expect(await countAs(bob, aliceRule)).toBe(aliceCount);
  });

  it('returns alice her own and unassigned orders', async () => {
    const alice = await sessionAs(stack, 'alice@example.com');
    const result = await alice.client.callTool({
      name: 'search_records',
      arguments: { model: 'sale.order', fields: ['name', 'user_id'], limit: 50 },
    });
    const records = structured(result).records as Array<{ user_id: [number, string] | false }>;
    expect(records.length).toBeGreaterThan(0);
    const salespeople = new Set(records.map((record) => record.user_id && record.user_id[0]));
    expect([...salespeople].sort()).toEqual([alice.session.odooUid, false].sort());
    expect(resultText(result)).toContain('/web#id=');
  });

  it("shows carol Odoo's access error verbatim", async () => {
    const carol = await sessionAs(stack, 'carol@example.com');
    const result = await carol.client.callTool({
      name: 'search_records',
      arguments: { model: 'sale.order' },
    });
    expect(result.isError).toBe(true);
    const text = resultText(result);
    expect(text).toContain("You are not allowed to access 'Sales Order' (sale.order) records.");
    expect(text).toContain(
      "Odoo's access rights do not let carol@example.com read sale.order; ask your Odoo administrator for the right group.",
    );
  });

  it('sends nothing to Odoo for a malformed domain', async () => {
    const bob = await sessionAs(stack, 'bob@example.com');
    const before = stack.proxy.forwarded.length;
    for (const domain of [
      "[('state', '=', 'sale')]",
      [['state', '=']],
      ['|', ['state', '=', 'sale']],
    ]) {
      const result = await bob.client.callTool({
        name: 'search_records',
        arguments: { model: 'sale.order', domain },
      });
      expect(result.isError).toBe(true);
      expect(resultText(result)).toContain('Invalid domain');
    }
    expect(stack.proxy.forwarded.slice(before)).toEqual([]);
  });

  it('reports the ids read_records did not find', async () => {
    const bob = await sessionAs(stack, 'bob@example.com');
    const found = await bob.client.callTool({
      name: 'search_records',
      arguments: { model: 'sale.order', fields: ['name'], limit: 1 },
    });
    const [first] = structured(found).records as Array<{ id: number }>;
    const result = await bob.client.callTool({
      name: 'read_records',
      arguments: { model: 'sale.order', ids: [first?.id ?? 1, 999999], fields: ['name'] },
    });
    expect(structured(result).missing_ids).toEqual([999999]);
    expect(structured(result).records).toHaveLength(1);
  });

  it('returns the login and groups from whoami', async () => {
    const alice = await sessionAs(stack, 'alice@example.com');
    const result = await alice.client.callTool({ name: 'whoami', arguments: {} });
    expect(result.isError).toBeFalsy();
    const output = structured(result);
    expect(output.login).toBe('alice@example.com');
    expect(output.odoo_version).toBe('17.0');
    expect((output.groups as string[]).length).toBeGreaterThan(0);
    expect((output.groups as string[]).some((group) => group.includes('Sales'))).toBe(true);
  });

  it('describes sale.order', async () => {
    const bob = await sessionAs(stack, 'bob@example.com');
    const result = await bob.client.callTool({
      name: 'describe_model',
      arguments: { model: 'sale.order' },
    });
    expect(result.isError).toBeFalsy();
    const fields = structured(result).fields as Array<{ name: string }>;
    expect(fields.map((field) => field.name)).toContain('partner_id');
    expect(structured(result).default_fields).toContain('amount_total');
  });

  it('counts in one company by name', async () => {
    const bob = await sessionAs(stack, 'bob@example.com');
    const countIn = async (company?: string | number) => {
      const args = company === undefined ? {} : { company };
      const result = await bob.client.callTool({
        name: 'count_records',
        arguments: { model: 'sale.order', ...args },
      });
      return structured(result).count as number;
    };
    const all = await countIn();
    const sanFrancisco = await countIn('San Francisco');
    const chicago = await countIn('My Company (Chicago)');
    expect(sanFrancisco + chicago).toBe(all);
    expect(chicago).toBeGreaterThan(0);
    expect(chicago).toBeLessThan(all);
  });

  it('names the companies for an unknown one', async () => {
    const bob = await sessionAs(stack, 'bob@example.com');
    const result = await bob.client.callTool({
      name: 'count_records',
      arguments: { model: 'sale.order', company: 99 },
    });
    expect(result.isError).toBe(true);
    expect(resultText(result)).toContain('My Company (San Francisco) (id 1)');
    expect(resultText(result)).toContain('My Company (Chicago) (id 2)');
  });

  it('keeps API keys out of the logs', async () => {
    const alice = await sessionAs(stack, 'alice@example.com');
    await alice.client.callTool({ name: 'count_records', arguments: { model: 'sale.order' } });
    const apiKey = stack.demo.demo.people.find((p) => p.email === 'alice@example.com')?.apiKey;
    expect(apiKey).toBeTruthy();
    expect(alice.logs.raw.join('\n')).not.toContain(apiKey);
    expect(stack.odooLogs.raw.length).toBeGreaterThan(0);
    expect(stack.odooLogs.raw.join('\n')).not.toContain(apiKey);
    expect(auditLines(alice.logs.lines)).toHaveLength(1);
  });
});

describe('tools on the demo Odoo 19.0', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack('19.0');
  });

  afterAll(async () => {
    await stopStack(stack);
  });

  it('reads groups through group_ids', async () => {
    const alice = await sessionAs(stack, 'alice@example.com');
    const result = await alice.client.callTool({ name: 'whoami', arguments: {} });
    expect(result.isError).toBeFalsy();
    expect((structured(result).groups as string[]).length).toBeGreaterThan(0);
    const calls = stack.proxy.forwarded.filter((call) => call.model === 'res.users');
    expect(calls.length).toBeGreaterThan(0);
  });

  it('links records with the /odoo URLs', async () => {
    const bob = await sessionAs(stack, 'bob@example.com');
    const result = await bob.client.callTool({
      name: 'search_records',
      arguments: { model: 'sale.order', limit: 1 },
    });
    expect(resultText(result)).toContain('https://erp.example.com/odoo/sale.order/');
  });
});

describe('answers on the demo Odoo 18.0', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack('18.0');
  });

  afterAll(async () => {
    await stopStack(stack);
  });

  /** Returns the ids of the first two sale orders that match `domain` and that bob may read. */
  async function orderIds(domain: unknown[]): Promise<number[]> {
    const bob = await sessionAs(stack, 'bob@example.com');
    const result = await bob.client.callTool({
      name: 'search_records',
      arguments: { model: 'sale.order', domain, fields: ['name'], limit: 2, order: 'id' },
    });
    return (structured(result).records as Array<{ id: number }>).map((record) => record.id);
  }

  it('shows the currency of prices asked for by name', async () => {
    const bob = await sessionAs(stack, 'bob@example.com');
    const result = await bob.client.callTool({
      name: 'search_records',
      arguments: { model: 'sale.order.line', fields: ['price_unit', 'price_subtotal'], limit: 3 },
    });
    expect(result.isError).toBeFalsy();
    const text = resultText(result);
    expect(text).toMatch(/price_unit: [\d.]+ USD/);
    expect(text).toMatch(/price_subtotal: [\d,.]+ USD/);
    expect(structured(result).fields).toEqual([
      'price_unit',
      'price_subtotal',
      'currency_id',
      'display_name',
    ]);
    expect(text).not.toContain('sale.order.line record ·');
  });

  it('shows the currency of a product price', async () => {
    const bob = await sessionAs(stack, 'bob@example.com');
    const result = await bob.client.callTool({
      name: 'search_records',
      arguments: { model: 'product.product', fields: ['list_price'], limit: 2 },
    });
    expect(resultText(result)).toMatch(/list_price: [\d.]+ USD/);
  });

  it('titles records with display_name when name is left out', async () => {
    const bob = await sessionAs(stack, 'bob@example.com');
    const result = await bob.client.callTool({
      name: 'search_records',
      arguments: { model: 'sale.order', fields: ['amount_total'], limit: 1 },
    });
    const [record] = structured(result).records as Array<{ display_name: string }>;
    expect(record?.display_name).toMatch(/^S\d{5}$/);
    expect(resultText(result)).toContain(`- ${record?.display_name} · id `);
  });

  it('reads the visible records and names the hidden ones', async () => {
    const alice = await sessionAs(stack, 'alice@example.com');
    const aliceUid = alice.session.odooUid;
    const [own] = await orderIds([['user_id', '=', aliceUid]]);
    const others = await orderIds([['user_id', 'not in', [aliceUid, false]]]);
    const ids = [own!, ...others, 999999];
    const result = await alice.client.callTool({
      name: 'read_records',
      arguments: { model: 'sale.order', ids, fields: ['name', 'user_id'] },
    });
    expect(result.isError).toBeFalsy();
    const output = structured(result);
    expect((output.records as Array<{ id: number }>).map((record) => record.id)).toEqual([own]);
    expect(output.hidden_ids).toEqual(others);
    expect(output.missing_ids).toEqual([999999]);
    const text = resultText(result);
    expect(text).toContain(
      `Odoo's record rules hide the sale.order records with ids ${others.join(', ')} from alice@example.com: they belong to someone else.`,
    );
    expect(text).toContain('No record has id 999999');
  });

  it("keeps Odoo's message when every record is hidden", async () => {
    const alice = await sessionAs(stack, 'alice@example.com');
    const others = await orderIds([['user_id', 'not in', [alice.session.odooUid, false]]]);
    const result = await alice.client.callTool({
      name: 'read_records',
      arguments: { model: 'sale.order', ids: others, fields: ['name'] },
    });
    expect(result.isError).toBe(true);
    const text = resultText(result);
    expect(text).toContain("Sorry, Alice Sales (id=8) doesn't have 'read' access to:");
    expect(text).toContain("Odoo's record rules hide these sale.order records");
  });

  it('suggests close model names for a typo', async () => {
    const bob = await sessionAs(stack, 'bob@example.com');
    for (const name of ['read_records', 'describe_model', 'search_records'] as const) {
      const args =
        name === 'read_records' ? { model: 'sale.ordr', ids: [1] } : { model: 'sale.ordr' };
      const result = await bob.client.callTool({ name, arguments: args });
      expect(result.isError, name).toBe(true);
      const text = resultText(result);
      expect(text, name).toContain("Object sale.ordr doesn't exist");
      expect(text, name).toContain('"sale.order" (Sales Order)');
      expect(text, name).not.toContain('describe_model');
      expect(text, name).not.toContain('domain');
    }
    const listCalls = stack.proxy.forwarded.filter(
      (call) => call.method === 'get_available_models',
    );
    expect(listCalls).toHaveLength(1);
  });

  it('suggests nothing to a portal user', async () => {
    const pat = await sessionAs(stack, 'pat@example.com');
    const result = await pat.client.callTool({
      name: 'count_records',
      arguments: { model: 'res.partnr' },
    });
    const text = resultText(result);
    expect(text).toContain("Object res.partnr doesn't exist");
    expect(text).toContain('Tools take a model\'s technical name, such as "sale.order"');
  });

  it('rejects a date in words before searching', async () => {
    const bob = await sessionAs(stack, 'bob@example.com');
    const before = stack.proxy.forwarded.length;
    const result = await bob.client.callTool({
      name: 'count_records',
      arguments: { model: 'sale.order', domain: [['date_order', '>=', 'last week']] },
    });
    expect(result.isError).toBe(true);
    expect(resultText(result)).toContain('for sale.order field "date_order"');
    const sent = stack.proxy.forwarded.slice(before).map((call) => call.method);
    expect(sent).not.toContain('search_count');
  });

  it("explains Odoo's error for a bad value on a related field", async () => {
    const bob = await sessionAs(stack, 'bob@example.com');
    const result = await bob.client.callTool({
      name: 'search_records',
      arguments: { model: 'sale.order', domain: [['partner_id.create_date', '>', 'yesterday']] },
    });
    expect(result.isError).toBe(true);
    const text = resultText(result);
    expect(text).toContain('invalid input syntax for type timestamp: "yesterday"');
    expect(text).toContain('datetimes "YYYY-MM-DD HH:MM:SS" in UTC');
    expect(text).not.toContain('Odoo failed with an error of its own');
  });

  it('describes a model with an unknown field among the fields', async () => {
    const bob = await sessionAs(stack, 'bob@example.com');
    const result = await bob.client.callTool({
      name: 'describe_model',
      arguments: { model: 'sale.order', fields: ['state', 'stat', 'reference'] },
    });
    expect(result.isError).toBeFalsy();
    const output = structured(result);
    expect((output.fields as Array<{ name: string }>).map((field) => field.name)).toEqual([
      'state',
      'reference',
    ]);
    expect(output.label).toBe('Sales Order');
    const text = resultText(result);
    expect(text).toContain('not fields of sale.order: "stat" (did you mean "state"');
    expect(text).toContain('- reference (char): Payment Ref.\n');
    expect(text).not.toContain('Payment Ref..');
    expect(text).not.toContain('no label');
  });

  it('rejects describe_model when no field is known', async () => {
    const bob = await sessionAs(stack, 'bob@example.com');
    const result = await bob.client.callTool({
      name: 'describe_model',
      arguments: { model: 'sale.order', fields: ['stat'] },
    });
    expect(result.isError).toBe(true);
    expect(resultText(result)).toContain('sale.order has no field "stat" (in fields)');
  });

  it('opens record links on the demo Odoo', async () => {
    const bob = stack.demo.demo.people.find((candidate) => candidate.login === 'bob@example.com')!;
    const connection = stack.odoo.connect({ login: bob.login, apiKey: bob.apiKey }, bob.uid);
    const session = await connectClient(connection, bob, stack.demo.url);
    stack.sessions.push(session);
    const result = await session.client.callTool({
      name: 'search_records',
      arguments: { model: 'sale.order', fields: ['name'], limit: 1 },
    });
    const [record] = structured(result).records as Array<{ id: number; name: string }>;
    const link = /(http:\/\/127\.0\.0\.1:\d+\/odoo\/sale\.order\/\d+)/.exec(resultText(result));
    expect(link?.[1]).toBe(new URL(`odoo/sale.order/${record!.id}`, stack.demo.url).href);
    const page = await fetch(link![1]!);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(`<h1>${record!.name}</h1>`);
  });
});
