import { Client, InMemoryTransport } from '@modelcontextprotocol/client';
import { McpServer } from '@modelcontextprotocol/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoOdoo } from '../../src/demo/odoo/index.js';
import { FieldsCache } from '../../src/mcp/fields.js';
import { ModelListCache } from '../../src/mcp/models.js';
import { type PersonContext, PersonContextCache } from '../../src/mcp/person-context.js';
import type { ToolSession } from '../../src/mcp/session.js';
import { registerTool, type ToolServices } from '../../src/mcp/tool.js';
import { aggregateRecordsTool } from '../../src/mcp/tools/aggregate-records.js';
import { createOdooClient, type OdooClient } from '../../src/odoo/client.js';
import type { OdooConnection } from '../../src/odoo/types.js';
import { auditLines, memoryLogger, resultText } from './helpers.js';

/** The day the demo data are relative to, so that "this year" has months before it. */
const TODAY = new Date(Date.UTC(2026, 5, 15, 12));
const YEAR_START = '2026-01-01 00:00:00';

type Group = Record<string, unknown> & { count: number };
type DemoStack = Awaited<ReturnType<typeof startDemoOdoo>>;

interface Person {
  email: string;
  connection: OdooConnection;
  client: Client;
  logs: ReturnType<typeof memoryLogger>;
  close(): Promise<void>;
}

/**
 * Connects an SDK client to an MCP server with aggregate_records only, as the demo person.
 * `context` fills the person's cached time zone and language. Without it, the tool calls
 * res.users.context_get.
 */
async function connectAs(
  demo: DemoStack,
  odoo: OdooClient,
  email: string,
  context?: PersonContext,
): Promise<Person> {
  const person = demo.demo.people.find((candidate) => candidate.email === email)!;
  const connection = odoo.connect({ login: person.login, apiKey: person.apiKey }, person.uid);

  const logs = memoryLogger();
  const session: ToolSession = {
    connection,
    person: { email },
    odooUid: person.uid,
    logger: logs.logger,
    odooWebUrl: new URL('https://erp.example.com/'),
  };
  const services: ToolServices = {
    fieldsCache: new FieldsCache(),
    modelsCache: new ModelListCache(),
    contextCache: new PersonContextCache(),
  };
  if (context !== undefined) {
    services.contextCache.set(`${demo.url.href}\0${demo.demo.db}\0${person.uid}`, context);
  }

  const server = new McpServer({ name: 'aggregate-test', version: '1.0.0' });
  registerTool(server, aggregateRecordsTool, session, services);
  const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
  await server.connect(serverTransport);
  const client = new Client({ name: 'test-client', version: '1.0.0' });
  await client.connect(clientTransport);

  return {
    email,
    connection,
    client,
    logs,
    async close() {
      await client.close();
      await server.close();
    },
  };
}

function structured(result: unknown): Record<string, unknown> {
  return (result as { structuredContent: Record<string, unknown> }).structuredContent;
}

/** Returns the day of a UTC Odoo datetime in a time zone, as "YYYY-MM-DD". */
function localDay(utc: string, tz: string): string {
  const instant = new Date(`${utc.replace(' ', 'T')}Z`);
  return new Intl.DateTimeFormat('en-CA', { timeZone: tz }).format(instant);
}

/** Rounds sums to cents, because the demo and the sums made here add floats in another order. */
function cents(value: number): number {
  return Math.round(value * 100);
}

/** Sums `amount_total` of records by a key, as a reference for the grouped totals. */
function sumBy(
  records: Array<Record<string, unknown>>,
  key: (record: Record<string, unknown>) => string | number,
): Map<string | number, { total: number; count: number }> {
  const sums = new Map<string | number, { total: number; count: number }>();
  for (const record of records) {
    const entry = sums.get(key(record)) ?? { total: 0, count: 0 };
    entry.total += record.amount_total as number;
    entry.count += 1;
    sums.set(key(record), entry);
  }
  return sums;
}

for (const version of ['18.0', '19.0'] as const) {
  describe(`aggregate_records on the demo Odoo ${version}`, () => {
    let demo: DemoStack;
    let odoo: OdooClient;
    const people: Person[] = [];

    beforeAll(async () => {
      demo = await startDemoOdoo({ port: 0, version, today: TODAY });
      odoo = createOdooClient({ url: demo.url, db: demo.demo.db });
    });

    afterAll(async () => {
      for (const person of people) {
        await person.close();
      }
      await odoo.close();
      await demo.close();
    });

    async function personFor(email: string, context?: PersonContext): Promise<Person> {
      const person = await connectAs(demo, odoo, email, context);
      people.push(person);
      return person;
    }

    it('totals bob’s sales per month this year', async () => {
      const bob = await personFor('bob@example.com');
      const domain = [
        ['state', '=', 'sale'],
        ['date_order', '>=', YEAR_START],
      ];
      const result = await bob.client.callTool({
        name: 'aggregate_records',
        arguments: {
          model: 'sale.order',
          groupby: ['date_order:month'],
          measures: ['amount_total:sum'],
          domain,
        },
      });
      expect(result.isError).toBeFalsy();

      const groups = structured(result).groups as Group[];
      const orders = await bob.connection.executeKw<Array<Record<string, unknown>>>(
        'sale.order',
        'search_read',
        [domain],
        { fields: ['date_order', 'amount_total'] },
      );
      const byMonth = sumBy(orders, (order) => `${String(order.date_order).slice(0, 7)}-01`);
      expect(groups.map((group) => (group['date_order:month'] as { value: string }).value)).toEqual(
        [...byMonth.keys()].sort(),
      );
      for (const group of groups) {
        const month = group['date_order:month'] as { value: string; label: string };
        const expected = byMonth.get(month.value)!;
        expect(cents(group['amount_total:sum'] as number), month.value).toBe(cents(expected.total));
        expect(group.count, month.value).toBe(expected.count);
      }
      expect(groups.length).toBeGreaterThan(3);

      const text = resultText(result);
      expect(text).toContain(`groups of sale.order by date_order:month:`);
      expect(text).toMatch(/^January 2026 — count \d+, amount_total [\d,]+\.\d\d USD$/m);
      expect(text).toContain('Amounts of amount_total:sum are in USD.');
      const expectedMethod = version === '19.0' ? 'formatted_read_group' : 'read_group';
      expect(auditLines(bob.logs.lines)[0]?.method).toContain(expectedMethod);
    });

    it('totals only the orders alice may see per customer', async () => {
      const alice = await personFor('alice@example.com');
      const result = await alice.client.callTool({
        name: 'aggregate_records',
        arguments: {
          model: 'sale.order',
          groupby: ['partner_id'],
          measures: ['amount_total:sum'],
          order: 'amount_total:sum desc',
        },
      });
      expect(result.isError).toBeFalsy();

      const groups = structured(result).groups as Group[];
      const orders = await alice.connection.executeKw<Array<Record<string, unknown>>>(
        'sale.order',
        'search_read',
        [[]],
        { fields: ['partner_id', 'amount_total'] },
      );
      const byPartner = sumBy(orders, (order) => (order.partner_id as [number, string])[0]);
      expect(groups).toHaveLength(byPartner.size);
      for (const group of groups) {
        const partner = group.partner_id as { value: number; label: string };
        const expected = byPartner.get(partner.value)!;
        expect(cents(group['amount_total:sum'] as number), partner.label).toBe(
          cents(expected.total),
        );
        expect(group.count, partner.label).toBe(expected.count);
      }
      const totals = groups.map((group) => group['amount_total:sum'] as number);
      expect(totals).toEqual([...totals].sort((a, b) => b - a));

      const bob = await personFor('bob@example.com');
      const bobResult = await bob.client.callTool({
        name: 'aggregate_records',
        arguments: { model: 'sale.order', groupby: ['partner_id'], measures: ['__count'] },
      });
      const bobCount = (structured(bobResult).groups as Group[]).reduce((n, g) => n + g.count, 0);
      expect(bobCount).toBeGreaterThan(orders.length);
    });

    it("shows carol Odoo's access error verbatim", async () => {
      const carol = await personFor('carol@example.com');
      const result = await carol.client.callTool({
        name: 'aggregate_records',
        arguments: { model: 'sale.order', groupby: ['state'], measures: ['amount_total:sum'] },
      });
      expect(result.isError).toBe(true);
      const text = resultText(result);
      expect(text).toContain("You are not allowed to access 'Sales Order' (sale.order) records.");
      expect(text).toContain(
        "Odoo's access rights do not let carol@example.com read sale.order; ask your Odoo administrator for the right group.",
      );
    });

    it('labels selection groups and counts without measures', async () => {
      const bob = await personFor('bob@example.com');
      const result = await bob.client.callTool({
        name: 'aggregate_records',
        arguments: { model: 'sale.order', groupby: ['state'], order: 'count desc', limit: 2 },
      });
      expect(result.isError).toBeFalsy();
      const groups = structured(result).groups as Group[];
      expect(groups).toHaveLength(2);
      expect(groups[0]!.count).toBeGreaterThanOrEqual(groups[1]!.count);
      expect(groups.find((group) => (group.state as { value: string }).value === 'sale')).toEqual(
        expect.objectContaining({ state: { value: 'sale', label: 'Sales Order' } }),
      );
      expect(structured(result).notes).toContainEqual(expect.stringContaining('More than 2'));
    });

    it('groups by two levels with several measures of one field', async () => {
      const bob = await personFor('bob@example.com');
      const result = await bob.client.callTool({
        name: 'aggregate_records',
        arguments: {
          model: 'sale.order',
          groupby: ['user_id', 'date_order:quarter'],
          measures: ['amount_total:sum', 'amount_total:max', 'amount_untaxed:avg'],
          domain: [['date_order', '>=', YEAR_START]],
        },
      });
      expect(result.isError).toBeFalsy();
      const groups = structured(result).groups as Group[];
      expect(groups.length).toBeGreaterThan(1);
      for (const group of groups) {
        expect(group['amount_total:max'] as number).toBeLessThanOrEqual(
          group['amount_total:sum'] as number,
        );
        expect(typeof group['amount_untaxed:avg']).toBe('number');
        expect((group['date_order:quarter'] as { value: string }).value).toMatch(
          /^2026-(01|04)-01$/,
        );
      }
      expect(groups.some((group) => (group.user_id as { value: unknown }).value === null)).toBe(
        true,
      );
      expect(resultText(result)).toMatch(/ · Q[12] 2026 — count \d+, amount_total /);
      expect(resultText(result)).toContain('amount_total (max)');
    });

    it('groups datetimes by the person’s own days', async () => {
      const tz = 'Asia/Tokyo';
      const bob = await personFor('bob@example.com', { tz, tzUnset: false, lang: 'en_US' });
      const domain = [['date_order', '>=', '2026-05-01 00:00:00']];
      const result = await bob.client.callTool({
        name: 'aggregate_records',
        arguments: {
          model: 'sale.order',
          groupby: ['date_order:day'],
          measures: ['amount_total:sum'],
          domain,
        },
      });
      expect(result.isError).toBeFalsy();

      const orders = await bob.connection.executeKw<Array<Record<string, unknown>>>(
        'sale.order',
        'search_read',
        [domain],
        { fields: ['date_order', 'amount_total'] },
      );

      const byDay = sumBy(orders, (order) => localDay(String(order.date_order), tz));
      const utcDays = new Set(orders.map((order) => String(order.date_order).slice(0, 10)));
      const groups = structured(result).groups as Group[];
      const days = groups.map((group) => (group['date_order:day'] as { value: string }).value);
      expect(days).toEqual([...byDay.keys()].sort());
      // Demo orders are placed from 15:00 to 23:59 UTC, which is the next day in Tokyo (UTC+9).
      expect(new Set(days)).not.toEqual(utcDays);
      for (const group of groups) {
        const day = (group['date_order:day'] as { value: string }).value;
        expect(group.count, day).toBe(byDay.get(day)!.count);
      }
      expect(structured(result).notes).toContain(
        "Periods of date_order start and end at midnight in the person's time zone, Asia/Tokyo.",
      );
    });
  });
}
