import { afterEach, describe, expect, it } from 'vitest';
import { parseFieldsGet } from '../../src/mcp/fields.js';
import { fromWebRecord } from '../../src/mcp/search-page.js';
import { SERVER_NAME, TOOL_NAMES } from '../../src/mcp/server.js';
import { OdooError } from '../../src/odoo/errors.js';
import {
  auditLines,
  connectClient,
  pageReadCall,
  recordedError,
  recordedResult,
  resultText,
  ScriptedConnection,
  type Answer,
  type ConnectedSession,
} from './helpers.js';

const ALICE = { email: 'alice@example.com', uid: 8 };
const BOB = { email: 'bob@example.com', uid: 9 };
const CAROL = { email: 'carol@example.com', uid: 10 };

const saleOrderFields: Answer = () => recordedResult('odoo17', 'fields_get_sale_order');

let open: ConnectedSession | undefined;

afterEach(async () => {
  await open?.close();
  open = undefined;
});

async function connect(
  connection: ScriptedConnection,
  person: { email: string; uid: number },
): Promise<ConnectedSession> {
  open = await connectClient(connection, person);
  return open;
}

function structured(result: unknown): Record<string, unknown> {
  return (result as { structuredContent: Record<string, unknown> }).structuredContent;
}

describe('tools/list', () => {
  it('lists every tool', async () => {
    const { client } = await connect(new ScriptedConnection('alice@example.com', {}), ALICE);
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name)).toEqual(TOOL_NAMES);
    expect(TOOL_NAMES).toEqual([
      'whoami',
      'find_sales_orders',
      'find_invoices',
      'find_contacts',
      'check_stock',
      'search_records',
      'read_records',
      'count_records',
      'aggregate_records',
      'describe_model',
      'list_models',
      'find_by_name',
    ]);
  });

  it('marks every tool read-only and closed-world', async () => {
    const { client } = await connect(new ScriptedConnection('alice@example.com', {}), ALICE);
    for (const tool of (await client.listTools()).tools) {
      expect(tool.annotations?.readOnlyHint, tool.name).toBe(true);
      expect(tool.annotations?.openWorldHint, tool.name).toBe(false);
    }
  });

  it('gives every tool an output schema and a title', async () => {
    const { client } = await connect(new ScriptedConnection('alice@example.com', {}), ALICE);
    for (const tool of (await client.listTools()).tools) {
      expect(tool.outputSchema?.type, tool.name).toBe('object');
      expect(tool.title, tool.name).toBeTruthy();
    }
  });

  it('describes every argument', async () => {
    const { client } = await connect(new ScriptedConnection('alice@example.com', {}), ALICE);
    for (const tool of (await client.listTools()).tools) {
      const properties = (tool.inputSchema.properties ?? {}) as Record<
        string,
        { description?: string }
      >;
      for (const [name, property] of Object.entries(properties)) {
        expect(property.description, `${tool.name}.${name}`).toBeTruthy();
      }
    }
  });

  it('gives examples in tool descriptions', async () => {
    const { client } = await connect(new ScriptedConnection('alice@example.com', {}), ALICE);
    for (const tool of (await client.listTools()).tools) {
      if (tool.name !== 'whoami') {
        expect(tool.description, tool.name).toContain('Example');
      }
    }
  });

  it('names the server and gives instructions', async () => {
    const { client } = await connect(new ScriptedConnection('alice@example.com', {}), ALICE);
    expect(client.getServerVersion()?.name).toBe(SERVER_NAME);
    expect(client.getInstructions()).toContain('what they may see in Odoo');
  });
});

describe('whoami', () => {
  const userAnswers = (groupsField: string): Record<string, Answer> => ({
    'res.users.read': () => [
      {
        id: 8,
        login: 'alice@example.com',
        name: 'Alice Sales',
        company_id: [1, 'My Company (San Francisco)'],
        company_ids: [1],
        tz: false,
        lang: 'en_US',
        [groupsField]: [26, 1],
      },
    ],
    'res.company.read': () => [{ id: 1, name: 'My Company (San Francisco)' }],
    'res.groups.read': () => [
      { id: 26, full_name: 'Sales / User: Own Documents Only' },
      { id: 1, full_name: 'User types / Internal User' },
    ],
  });

  it('returns the login, companies and groups on 17.0', async () => {
    const connection = new ScriptedConnection('alice@example.com', userAnswers('groups_id'));
    const { client } = await connect(connection, ALICE);
    const result = await client.callTool({ name: 'whoami', arguments: {} });
    expect(result.isError).toBeFalsy();
    expect(structured(result)).toEqual({
      email: 'alice@example.com',
      uid: 8,
      login: 'alice@example.com',
      name: 'Alice Sales',
      company: { id: 1, name: 'My Company (San Francisco)' },
      companies: [{ id: 1, name: 'My Company (San Francisco)' }],
      tz: null,
      lang: 'en_US',
      odoo_version: '17.0',
      groups: ['Sales / User: Own Documents Only', 'User types / Internal User'],
      notes: [],
    });
    expect(connection.calls[0]?.kwargs.fields).toContain('groups_id');
    expect(resultText(result)).toContain('Groups: Sales / User: Own Documents Only');
  });

  it('reads group_ids on 19.0', async () => {
    const connection = new ScriptedConnection(
      'alice@example.com',
      userAnswers('group_ids'),
      '19.0',
    );
    const { client } = await connect(connection, ALICE);
    const result = await client.callTool({ name: 'whoami', arguments: {} });
    expect(connection.calls[0]?.kwargs.fields).toContain('group_ids');
    expect(connection.calls[0]?.kwargs.fields).not.toContain('groups_id');
    expect(structured(result).groups).toHaveLength(2);
  });

  it('falls back to display_name when full_name is unknown', async () => {
    const answers = userAnswers('groups_id');
    answers['res.groups.read'] = (call) => {
      if ((call.kwargs.fields as string[]).includes('full_name')) {
        throw recordedError('odoo17', 'error_unknown_field_in_fields');
      }
      return [{ id: 26, display_name: 'Sales / User' }];
    };
    const { client } = await connect(new ScriptedConnection('alice@example.com', answers), ALICE);
    const result = await client.callTool({ name: 'whoami', arguments: {} });
    expect(structured(result).groups).toEqual(['Sales / User']);
  });

  it('omits groups when res.groups is unreadable', async () => {
    const answers = userAnswers('groups_id');
    answers['res.groups.read'] = () => {
      throw recordedError('odoo17', 'error_search_read_ir_model_bob');
    };
    const { client } = await connect(new ScriptedConnection('alice@example.com', answers), ALICE);
    const result = await client.callTool({ name: 'whoami', arguments: {} });
    expect(result.isError).toBeFalsy();
    expect(structured(result).groups).toEqual([]);
    expect(resultText(result)).toContain('read res.groups, so group names are left out');
  });
});

describe('search_records', () => {
  const aliceOrders = (): Record<string, Answer> => ({
    'sale.order.fields_get': saleOrderFields,
    'sale.order.search_read': () => recordedResult('odoo17', 'search_read_sale_order_alice'),
  });

  it('returns the records and their total', async () => {
    const connection = new ScriptedConnection('alice@example.com', aliceOrders());
    const { client } = await connect(connection, ALICE);
    const result = await client.callTool({
      name: 'search_records',
      arguments: { model: 'sale.order' },
    });
    const output = structured(result);
    expect(output.total).toBe(4);
    expect(output.next_offset).toBeNull();
    expect(output.records).toHaveLength(4);
    expect(resultText(result)).toContain('4 sale.order records match; showing 1-4:');
    expect(resultText(result)).toContain('- S00004 · id 4 · https://erp.example.com/web#id=4');
  });

  it('reads page and total in one call on 17.0', async () => {
    const connection = new ScriptedConnection('alice@example.com', aliceOrders());
    const { client } = await connect(connection, ALICE);
    await client.callTool({ name: 'search_records', arguments: { model: 'sale.order' } });
    expect(connection.calls.map((call) => call.method)).toEqual(['fields_get', 'web_search_read']);
  });

  it('asks web_search_read for many2one names', async () => {
    const connection = new ScriptedConnection('alice@example.com', aliceOrders());
    const { client } = await connect(connection, ALICE);
    const result = await client.callTool({
      name: 'search_records',
      arguments: { model: 'sale.order', fields: ['name', 'partner_id', 'tag_ids'] },
    });
    const specification = pageReadCall(connection.calls, 'sale.order')?.kwargs.specification;
    expect(specification).toEqual({
      name: {},
      partner_id: { fields: { display_name: {} } },
      tag_ids: {},
    });
    const records = structured(result).records as Array<Record<string, unknown>>;
    expect(records[0]?.partner_id).toEqual([10, 'Deco Addict']);
    expect(resultText(result)).toContain('partner_id: Deco Addict (id 10)');
  });

  it('skips search_count when the page ends the result on 16.0', async () => {
    const connection = new ScriptedConnection('alice@example.com', aliceOrders(), '16.0');
    const { client } = await connect(connection, ALICE);
    await client.callTool({ name: 'search_records', arguments: { model: 'sale.order' } });
    expect(connection.calls.map((call) => call.method)).toEqual(['fields_get', 'search_read']);
  });

  it('counts a full page with search_count on 16.0', async () => {
    const answers = aliceOrders();
    answers['sale.order.search_count'] = () => 9;
    const connection = new ScriptedConnection('alice@example.com', answers, '16.0');
    const { client } = await connect(connection, ALICE);
    const result = await client.callTool({
      name: 'search_records',
      arguments: { model: 'sale.order', limit: 4 },
    });
    const methods = connection.calls.map((call) => call.method);
    expect(methods).toEqual(['fields_get', 'search_read', 'search_count']);
    expect(structured(result).total).toBe(9);
    expect(structured(result).next_offset).toBe(4);
  });

  it('rejects a web_search_read without records', async () => {
    const answers = aliceOrders();
    answers['sale.order.web_search_read'] = () => [];
    const connection = new ScriptedConnection('alice@example.com', answers);
    const { client } = await connect(connection, ALICE);
    const result = await client.callTool({
      name: 'search_records',
      arguments: { model: 'sale.order' },
    });
    expect(result.isError).toBe(true);
    expect(resultText(result)).toContain('without "length" and "records"');
  });

  it('counts an empty page past the end', async () => {
    const answers = aliceOrders();
    answers['sale.order.search_read'] = () => [];
    answers['sale.order.search_count'] = () => 4;
    const connection = new ScriptedConnection('alice@example.com', answers);
    const { client } = await connect(connection, ALICE);
    const result = await client.callTool({
      name: 'search_records',
      arguments: { model: 'sale.order', offset: 10 },
    });
    const methods = connection.calls.map((call) => call.method);
    expect(methods).toEqual(['fields_get', 'web_search_read', 'search_count']);
    expect(structured(result).total).toBe(4);
    expect(resultText(result)).toContain('offset 10 is past the last one');
  });

  it('sends the default fields, limit and offset', async () => {
    const connection = new ScriptedConnection('alice@example.com', aliceOrders());
    const { client } = await connect(connection, ALICE);
    await client.callTool({ name: 'search_records', arguments: { model: 'sale.order' } });
    const read = pageReadCall(connection.calls, 'sale.order');
    expect(read?.kwargs.limit).toBe(20);
    expect(read?.kwargs.offset).toBe(0);
    expect(read?.fields).toEqual(expect.arrayContaining(['name', 'partner_id', 'amount_total']));
    expect(read?.kwargs.order).toBeUndefined();
  });

  it('pages with next_offset when more records match', async () => {
    const answers = aliceOrders();
    answers['sale.order.search_read'] = () =>
      (recordedResult('odoo17', 'search_read_sale_order_alice') as unknown[]).slice(0, 2);
    answers['sale.order.search_count'] = () =>
      recordedResult('odoo17', 'search_count_sale_order_alice');
    const { client } = await connect(new ScriptedConnection('alice@example.com', answers), ALICE);
    const result = await client.callTool({
      name: 'search_records',
      arguments: { model: 'sale.order', limit: 2, fields: ['name'], order: 'id asc' },
    });
    expect(structured(result).total).toBe(4);
    expect(structured(result).next_offset).toBe(2);
    expect(resultText(result)).toContain(
      '2 more records match: call search_records again with offset 2.',
    );
  });

  it('accepts the domain as a JSON string', async () => {
    const connection = new ScriptedConnection('alice@example.com', aliceOrders());
    const { client } = await connect(connection, ALICE);
    await client.callTool({
      name: 'search_records',
      arguments: { model: 'sale.order', domain: '[["state", "=", "sale"]]' },
    });
    expect(connection.calls[1]?.args).toEqual([[['state', '=', 'sale']]]);
  });

  it('sends no Odoo call for a malformed domain', async () => {
    const connection = new ScriptedConnection('alice@example.com', aliceOrders());
    const { client } = await connect(connection, ALICE);
    const result = await client.callTool({
      name: 'search_records',
      arguments: { model: 'sale.order', domain: "[('state', '=', 'sale')]" },
    });
    expect(result.isError).toBe(true);
    expect(resultText(result)).toContain('Invalid domain: the domain string is not valid JSON');
    expect(connection.calls).toEqual([]);
  });

  it('rejects unknown domain fields before searching', async () => {
    const connection = new ScriptedConnection('alice@example.com', aliceOrders());
    const { client } = await connect(connection, ALICE);
    const result = await client.callTool({
      name: 'search_records',
      arguments: { model: 'sale.order', domain: [['stat', '=', 'sale']] },
    });
    expect(result.isError).toBe(true);
    expect(resultText(result)).toContain(
      'sale.order has no field "stat" (in domain). Did you mean "state"',
    );
    expect(connection.calls.map((call) => call.method)).toEqual(['fields_get']);
  });

  it("shows Odoo's access error verbatim", async () => {
    const answers: Record<string, Answer> = {
      'sale.order.fields_get': saleOrderFields,
      'sale.order.search_read': () => {
        throw recordedError('odoo17', 'error_access_carol_sale_order');
      },
    };
    const { client } = await connect(new ScriptedConnection('carol@example.com', answers), CAROL);
    const result = await client.callTool({
      name: 'search_records',
      arguments: { model: 'sale.order' },
    });
    expect(result.isError).toBe(true);
    const text = resultText(result);
    expect(text).toContain(
      "You are not allowed to access 'Sales Order' (sale.order) records.\n\nThis operation is allowed for the following groups:\n\t- Inventory/User",
    );
    expect(text).toContain(
      "Odoo's access rights do not let carol@example.com read sale.order; ask your Odoo administrator for the right group.",
    );
  });

  it('explains a record rule refusal', async () => {
    const answers: Record<string, Answer> = {
      'sale.order.fields_get': saleOrderFields,
      'sale.order.search_read': () => {
        throw recordedError('odoo18', 'error_access_alice_read_other_users_order');
      },
    };
    const { client } = await connect(new ScriptedConnection('alice@example.com', answers), ALICE);
    const result = await client.callTool({
      name: 'search_records',
      arguments: { model: 'sale.order' },
    });
    const text = resultText(result);
    expect(text).toContain('Uh-oh! Looks like you have stumbled upon some top-secret records.');
    expect(text).toContain(
      "Odoo's record rules hide these sale.order records from alice@example.com",
    );
  });

  it('names the model Odoo refused', async () => {
    const answers: Record<string, Answer> = {
      'sale.order.fields_get': saleOrderFields,
      'sale.order.search_read': () => {
        throw new OdooError(
          'access',
          "You are not allowed to access 'Stock Move' (stock.move) records.\n\nThis operation is allowed for the following groups:\n\t- Inventory/User",
          { odooName: 'odoo.exceptions.AccessError' },
        );
      },
    };
    const { client } = await connect(new ScriptedConnection('carol@example.com', answers), CAROL);
    const result = await client.callTool({
      name: 'search_records',
      arguments: { model: 'sale.order' },
    });
    const text = resultText(result);
    expect(text).toContain('do not let carol@example.com read stock.move');
    expect(text).toContain('Reading sale.order needed stock.move here');
  });

  it('cuts a long result with a note', async () => {
    const answers = aliceOrders();
    answers['sale.order.search_read'] = () =>
      Array.from({ length: 200 }, (_, index) => ({
        id: index + 1,
        name: `S${index + 1}`,
        client_order_ref: 'r'.repeat(2_000),
      }));
    answers['sale.order.search_count'] = () => 500;
    const { client } = await connect(new ScriptedConnection('alice@example.com', answers), ALICE);
    const result = await client.callTool({
      name: 'search_records',
      arguments: { model: 'sale.order', limit: 200, fields: ['name', 'client_order_ref'] },
    });
    const output = structured(result);
    const shown = (output.records as unknown[]).length;
    expect(shown).toBeLessThan(200);
    expect(output.next_offset).toBe(shown);
    expect(resultText(result).length).toBeLessThan(62_000);
    expect(resultText(result)).toContain('The result stopped early');
    expect(resultText(result)).toContain(`offset ${shown}, or ask for fewer fields`);
  });
});

describe('company argument', () => {
  const answers = (): Record<string, Answer> => ({
    'sale.order.fields_get': saleOrderFields,
    'sale.order.search_count': () => 3,
    'res.users.read': () => [{ id: 9, company_ids: [1, 2] }],
    'res.company.name_search': (call) =>
      String(call.kwargs.name).includes('Chicago') ? [[2, 'My Company (Chicago)']] : [],
    'res.company.read': () => [
      { id: 1, name: 'My Company (San Francisco)' },
      { id: 2, name: 'My Company (Chicago)' },
    ],
  });

  it('resolves a company name to allowed_company_ids', async () => {
    const connection = new ScriptedConnection('bob@example.com', answers());
    const { client } = await connect(connection, BOB);
    const result = await client.callTool({
      name: 'count_records',
      arguments: { model: 'sale.order', company: 'Chicago' },
    });
    expect(structured(result).count).toBe(3);
    const count = connection.calls.find((call) => call.method === 'search_count');
    expect(count?.kwargs.context).toEqual({ allowed_company_ids: [2] });
  });

  it("names the person's companies for an unknown one", async () => {
    const connection = new ScriptedConnection('bob@example.com', answers());
    const { client } = await connect(connection, BOB);
    const result = await client.callTool({
      name: 'count_records',
      arguments: { model: 'sale.order', company: 5 },
    });
    expect(result.isError).toBe(true);
    expect(resultText(result)).toContain(
      'bob@example.com does not belong to company id 5 in Odoo. Their companies are: My Company (San Francisco) (id 1), My Company (Chicago) (id 2).',
    );
    expect(connection.calls.some((call) => call.method === 'search_count')).toBe(false);
  });

  it("rejects a name that matches none of the person's companies", async () => {
    const { client } = await connect(new ScriptedConnection('bob@example.com', answers()), BOB);
    const result = await client.callTool({
      name: 'count_records',
      arguments: { model: 'sale.order', company: 'Acme' },
    });
    expect(resultText(result)).toContain('does not belong to a company named like "Acme"');
  });
});

describe('read_records', () => {
  it('reports missing ids', async () => {
    const answers: Record<string, Answer> = {
      'sale.order.fields_get': saleOrderFields,
      'sale.order.read': () => recordedResult('odoo17', 'read_mixed_existing_and_missing'),
    };
    const connection = new ScriptedConnection('bob@example.com', answers);
    const { client } = await connect(connection, BOB);
    const result = await client.callTool({
      name: 'read_records',
      arguments: { model: 'sale.order', ids: [3, 999999, 3], fields: ['name'] },
    });
    expect(structured(result).missing_ids).toEqual([999999]);
    expect(structured(result).records).toEqual([{ id: 3, name: 'S00003' }]);
    expect(connection.calls[1]?.args).toEqual([[3, 999999]]);
    expect(resultText(result)).toContain(
      'No record has id 999999: it does not exist or was deleted.',
    );
  });

  it('rejects an unknown field before reading', async () => {
    const connection = new ScriptedConnection('bob@example.com', {
      'sale.order.fields_get': saleOrderFields,
    });
    const { client } = await connect(connection, BOB);
    const result = await client.callTool({
      name: 'read_records',
      arguments: { model: 'sale.order', ids: [3], fields: ['amount_totl'] },
    });
    expect(result.isError).toBe(true);
    expect(resultText(result)).toContain('Did you mean "amount_total"');
  });
});

describe('count_records', () => {
  it('counts as each person', async () => {
    for (const [person, file, expected] of [
      [ALICE, 'search_count_sale_order_alice', 4],
      [BOB, 'search_count_sale_order_bob', 24],
    ] as const) {
      const connection = new ScriptedConnection(person.email, {
        'sale.order.fields_get': saleOrderFields,
        'sale.order.search_count': () => recordedResult('odoo17', file),
      });
      const session = await connectClient(connection, person);
      const result = await session.client.callTool({
        name: 'count_records',
        arguments: { model: 'sale.order', domain: [] },
      });
      await session.close();
      expect(structured(result)).toEqual({ model: 'sale.order', count: expected });
      expect(resultText(result)).toBe(`${expected} sale.order records match.`);
    }
  });
});

describe('describe_model', () => {
  const answers = (label: Answer): Record<string, Answer> => ({
    'sale.order.fields_get': saleOrderFields,
    'ir.model.display_name_for': label,
  });

  it('lists the fields with their label', async () => {
    const connection = new ScriptedConnection(
      'bob@example.com',
      answers(() => [{ model: 'sale.order', display_name: 'Sales Order' }]),
    );
    const { client } = await connect(connection, BOB);
    const result = await client.callTool({
      name: 'describe_model',
      arguments: { model: 'sale.order' },
    });
    const output = structured(result);
    expect(output.label).toBe('Sales Order');
    const fields = output.fields as Array<Record<string, unknown>>;
    expect(fields).toHaveLength(104);
    expect(fields.find((field) => field.name === 'partner_id')).toEqual({
      name: 'partner_id',
      type: 'many2one',
      label: 'Customer',
      relation: 'res.partner',
      required: true,
      readonly: false,
    });
    expect(output.default_fields).toContain('amount_total');
    expect(resultText(result)).toContain(
      '- partner_id (many2one → res.partner, required): Customer.',
    );
  });

  it('describes only the fields asked for', async () => {
    const connection = new ScriptedConnection(
      'bob@example.com',
      answers(() => [{ model: 'sale.order', display_name: 'Sales Order' }]),
    );
    const { client } = await connect(connection, BOB);
    const result = await client.callTool({
      name: 'describe_model',
      arguments: { model: 'sale.order', fields: ['state'] },
    });
    const fields = structured(result).fields as Array<Record<string, unknown>>;
    expect(fields.map((field) => field.name)).toEqual(['state']);
    expect(fields[0]?.selection).toContainEqual(['sale', 'Sales Order']);
  });

  it('falls back to the technical name without a label', async () => {
    const connection = new ScriptedConnection(
      'carol@example.com',
      answers(() => {
        throw recordedError('odoo17', 'error_unknown_method');
      }),
    );
    const { client } = await connect(connection, CAROL);
    const result = await client.callTool({
      name: 'describe_model',
      arguments: { model: 'sale.order' },
    });
    expect(result.isError).toBeFalsy();
    expect(structured(result).label).toBe('sale.order');
    expect(resultText(result)).toContain(
      'Odoo returned no label for sale.order, so the label shown is its technical name.',
    );
    expect(resultText(result)).not.toContain('carol@example.com');
  });

  it('treats the technical name as no label', async () => {
    const connection = new ScriptedConnection(
      'carol@example.com',
      answers(() => [{ model: 'sale.order', display_name: 'sale.order' }]),
    );
    const { client } = await connect(connection, CAROL);
    const result = await client.callTool({
      name: 'describe_model',
      arguments: { model: 'sale.order' },
    });
    expect(structured(result).notes).toHaveLength(1);
  });

  it("reports an unknown model with Odoo's message", async () => {
    const connection = new ScriptedConnection('bob@example.com', {
      'x_no.such.model.fields_get': () => {
        throw recordedError('odoo17', 'error_unknown_model');
      },
    });
    const { client } = await connect(connection, BOB);
    const result = await client.callTool({
      name: 'describe_model',
      arguments: { model: 'x_no.such.model' },
    });
    expect(result.isError).toBe(true);
    expect(resultText(result)).toContain("Object x_no.such.model doesn't exist");
    expect(resultText(result)).toContain('Odoo rejected the request as invalid');
  });
});

describe('protocol errors', () => {
  it('rejects an unknown tool', async () => {
    const { client } = await connect(new ScriptedConnection('alice@example.com', {}), ALICE);
    await expect(client.callTool({ name: 'delete_records', arguments: {} })).rejects.toThrow(
      /not found/,
    );
  });

  it('rejects invalid arguments before Odoo', async () => {
    const connection = new ScriptedConnection('alice@example.com', {});
    const { client, logs } = await connect(connection, ALICE);
    const result = await client.callTool({ name: 'search_records', arguments: { limit: 5000 } });
    expect(result.isError).toBe(true);
    expect(resultText(result)).toContain('Input validation error');
    expect(connection.calls).toEqual([]);
    expect(auditLines(logs.lines)).toEqual([]);
  });
});

describe('web_search_read records', () => {
  it('read many2one values as search_read does', () => {
    const recorded = recordedResult('odoo18', 'web_search_read_sale_order_alice') as {
      records: Array<Record<string, unknown>>;
    };
    const fieldMap = parseFieldsGet(recordedResult('odoo18', 'fields_get_sale_order'));
    const records = recorded.records.map((record) => fromWebRecord(record, fieldMap));
    expect(records[0]).toEqual({
      id: 1,
      name: 'S00001',
      partner_id: [10, 'Deco Addict'],
      amount_total: 1740,
      tag_ids: [],
    });
    expect(records[1]?.partner_id).toEqual([12, 'Ready Mat']);
  });

  it('keep an empty many2one as false', () => {
    const fieldMap = parseFieldsGet(recordedResult('odoo18', 'fields_get_sale_order'));
    expect(fromWebRecord({ id: 3, partner_id: false }, fieldMap)).toEqual({
      id: 3,
      partner_id: false,
    });
  });
});
