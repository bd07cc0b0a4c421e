import { Client, InMemoryTransport } from '@modelcontextprotocol/client';
import { McpServer } from '@modelcontextprotocol/server';
import { afterEach, describe, expect, it } from 'vitest';
import { FieldsCache } from '../../src/mcp/fields.js';
import { ModelListCache } from '../../src/mcp/models.js';
import { PersonContextCache } from '../../src/mcp/person-context.js';
import { registerTool } from '../../src/mcp/tool.js';
import { aggregateRecordsTool } from '../../src/mcp/tools/aggregate-records.js';
import {
  auditLines,
  memoryLogger,
  recordedError,
  recordedResult,
  resultText,
  ScriptedConnection,
  type Answer,
  type ReceivedCall,
  UTC_CONTEXT,
} from './helpers.js';

const BOB = { email: 'bob@example.com', uid: 9 };

let closeOpen: (() => Promise<void>) | undefined;

afterEach(async () => {
  await closeOpen?.();
  closeOpen = undefined;
});

/** Connects an SDK client to a server with aggregate_records only, on a scripted Odoo. */
async function connect(connection: ScriptedConnection) {
  const logs = memoryLogger();
  const session = {
    connection,
    person: { email: BOB.email },
    odooUid: BOB.uid,
    logger: logs.logger,
    odooWebUrl: new URL('https://erp.example.com/'),
  };
  const contextCache = new PersonContextCache();
  const { url, db } = connection.server;
  contextCache.set(`${url.href}\0${db}\0${BOB.uid}`, UTC_CONTEXT);
  const services = {
    fieldsCache: new FieldsCache(),
    modelsCache: new ModelListCache(),
    contextCache,
  };
  const server = new McpServer({ name: 'aggregate-test', version: '1.0.0' });
  registerTool(server, aggregateRecordsTool, session, services);
  const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
  await server.connect(serverTransport);
  const client = new Client({ name: 'test-client', version: '1.0.0' });
  await client.connect(clientTransport);
  closeOpen = async () => {
    await client.close();
    await server.close();
  };
  return { client, logs };
}

function structured(result: unknown): Record<string, unknown> {
  return (result as { structuredContent: Record<string, unknown> }).structuredContent;
}

const saleOrderFields: Answer = () => recordedResult('odoo17', 'fields_get_sale_order');

/** Returns `currencies` for the grouping by currency, and `rows` for any other grouping. */
function readGroupAnswer(rows: unknown, currencies: Array<[number, string]>): Answer {
  return (call: ReceivedCall) => {
    const groupby = call.args[2] as string[];
    if (groupby.length === 1 && groupby[0] === 'currency_id') {
      return currencies.map((currency) => ({ currency_id: currency, __count: 1 }));
    }
    return rows;
  };
}

describe('aggregate_records on a scripted Odoo 17.0', () => {
  it('sends one non-lazy read_group and renders the months', async () => {
    const rows = recordedResult('odoo17', 'read_group_sale_order_by_month_bob');
    const connection = new ScriptedConnection('bob@example.com', {
      'sale.order.fields_get': saleOrderFields,
      'sale.order.read_group': readGroupAnswer(rows, [[1, 'USD']]),
    });
    const { client, logs } = await connect(connection);
    const result = await client.callTool({
      name: 'aggregate_records',
      arguments: {
        model: 'sale.order',
        groupby: ['date_order:month'],
        measures: ['amount_total:sum'],
        domain: [['state', '=', 'sale']],
      },
    });
    expect(result.isError).toBeFalsy();

    const grouping = connection.calls[1]!;
    expect(grouping.args).toEqual([
      [['state', '=', 'sale']],
      ['amount_total:sum'],
      ['date_order:month'],
    ]);
    expect(grouping.kwargs).toEqual({
      lazy: false,
      limit: 101,
      context: { lang: 'en_US', tz: 'UTC' },
    });
    expect(connection.calls[2]?.args).toEqual([
      [['state', '=', 'sale']],
      ['__count'],
      ['currency_id'],
    ]);

    const text = resultText(result);
    expect(text).toContain('3 groups of sale.order by date_order:month:');
    expect(text).toContain('October 2026 — count 1, amount_total 955.65 USD');
    expect(text).toContain('November 2026 — count 9, amount_total 16,126.48 USD');
    const groups = structured(result).groups as Array<Record<string, unknown>>;
    expect(groups[2]).toEqual({
      'date_order:month': { value: '2026-12-01', label: 'December 2026' },
      'amount_total:sum': 23018.99,
      count: 14,
    });

    expect(auditLines(logs.lines)[0]).toMatchObject({
      tool: 'aggregate_records',
      model: 'sale.order',
      method: ['fields_get', 'read_group'],
      record_count: 24,
    });
  });

  it('names several currencies instead of adding one', async () => {
    const rows = recordedResult('odoo17', 'read_group_sale_order_by_partner_bob');
    const connection = new ScriptedConnection('bob@example.com', {
      'sale.order.fields_get': saleOrderFields,
      'sale.order.read_group': readGroupAnswer(rows, [
        [1, 'USD'],
        [2, 'EUR'],
      ]),
    });
    const { client } = await connect(connection);
    const result = await client.callTool({
      name: 'aggregate_records',
      arguments: { model: 'sale.order', groupby: ['partner_id'], measures: ['amount_total:sum'] },
    });
    const text = resultText(result);
    expect(text).toContain('Gemini Furniture — count 17, amount_total 27,557.48\n');
    expect(text).toContain(
      'amount_total:sum add up amounts in several currencies (USD, EUR). Add "currency_id" to groupby',
    );
  });

  it('asks for no currency without records', async () => {
    const connection = new ScriptedConnection('bob@example.com', {
      'sale.order.fields_get': saleOrderFields,
      'sale.order.read_group': () => [],
    });
    const { client } = await connect(connection);
    const result = await client.callTool({
      name: 'aggregate_records',
      arguments: { model: 'sale.order', groupby: ['state'], measures: ['amount_total:sum'] },
    });
    expect(resultText(result)).toBe('No sale.order record matches, so there are no groups.');
    expect(structured(result).groups).toEqual([]);
    expect(connection.calls.map((call) => call.method)).toEqual(['fields_get', 'read_group']);
  });

  it('reports more groups than the limit', async () => {
    const rows = recordedResult('odoo17', 'read_group_sale_order_by_partner_bob');
    const connection = new ScriptedConnection('bob@example.com', {
      'sale.order.fields_get': saleOrderFields,
      'sale.order.read_group': readGroupAnswer(rows, [[1, 'USD']]),
    });
    const { client } = await connect(connection);
    const result = await client.callTool({
      name: 'aggregate_records',
      arguments: {
        model: 'sale.order',
        groupby: ['partner_id'],
        measures: ['amount_total:sum'],
        limit: 4,
      },
    });
    expect(connection.calls[1]?.kwargs.limit).toBe(5);
    expect(structured(result).groups).toHaveLength(4);
    expect(resultText(result)).toContain('More than 4 groups match, so the list stops there.');
  });

  it("passes Odoo's access error on", async () => {
    const connection = new ScriptedConnection('carol@example.com', {
      'sale.order.fields_get': saleOrderFields,
      'sale.order.read_group': () => {
        throw recordedError('odoo17', 'error_access_carol_sale_order');
      },
    });
    const { client } = await connect(connection);
    const result = await client.callTool({
      name: 'aggregate_records',
      arguments: { model: 'sale.order', groupby: ['state'] },
    });
    expect(result.isError).toBe(true);
    expect(resultText(result)).toContain(
      "You are not allowed to access 'Sales Order' (sale.order) records.",
    );
  });
});

describe('aggregate_records lone specs', () => {
  it('takes one groupby and measure as strings', async () => {
    const rows = recordedResult('odoo17', 'read_group_sale_order_by_month_bob');
    const connection = new ScriptedConnection('bob@example.com', {
      'sale.order.fields_get': saleOrderFields,
      'sale.order.read_group': readGroupAnswer(rows, [[1, 'USD']]),
    });
    const { client } = await connect(connection);
    const result = await client.callTool({
      name: 'aggregate_records',
      arguments: { model: 'sale.order', groupby: 'date_order:month', measures: 'amount_total:sum' },
    });
    expect(result.isError).toBeFalsy();
    const grouping = connection.calls[1]!;
    expect(grouping.args[1]).toEqual(['amount_total:sum']);
    expect(grouping.args[2]).toEqual(['date_order:month']);
  });
});

describe('aggregate_records validation', () => {
  const cases: Array<[string, Record<string, unknown>, string]> = [
    ['unknown groupby field', { groupby: ['partnr_id'] }, 'Did you mean "id", "partner_id"?'],
    ['sum of a char field', { groupby: ['state'], measures: ['name:sum'] }, 'is a char field'],
    ['period on a selection', { groupby: ['state:month'] }, 'is a selection field'],
    ['unknown order term', { groupby: ['state'], order: 'amount_total desc' }, 'Invalid order'],
    [
      'unknown domain field',
      { groupby: ['state'], domain: [['stat', '=', 'sale']] },
      'has no field "stat" (in domain)',
    ],
  ];

  for (const [name, args, message] of cases) {
    it(`rejects ${name} before grouping`, async () => {
      const connection = new ScriptedConnection('bob@example.com', {
        'sale.order.fields_get': saleOrderFields,
      });
      const { client } = await connect(connection);
      const result = await client.callTool({
        name: 'aggregate_records',
        arguments: { model: 'sale.order', ...args },
      });
      expect(result.isError, name).toBe(true);
      expect(resultText(result), name).toContain(message);
      expect(
        connection.calls.map((call) => call.method),
        name,
      ).toEqual(['fields_get']);
    });
  }

  it('rejects a malformed domain without calling Odoo', async () => {
    const connection = new ScriptedConnection('bob@example.com', {});
    const { client } = await connect(connection);
    const result = await client.callTool({
      name: 'aggregate_records',
      arguments: { model: 'sale.order', groupby: ['state'], domain: "[('state', '=', 'sale')]" },
    });
    expect(result.isError).toBe(true);
    expect(resultText(result)).toContain('Invalid domain');
    expect(connection.calls).toEqual([]);
  });
});
