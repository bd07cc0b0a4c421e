import { afterEach, describe, expect, it } from 'vitest';
import { ModelListCache, similarModels } from '../../src/mcp/models.js';
import { OdooCalls } from '../../src/mcp/tool.js';
import { OdooError } from '../../src/odoo/errors.js';
import { describeOdooError, unknownModelName } from '../../src/mcp/errors.js';
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

const saleOrderFields: Answer = () => recordedResult('odoo17', 'fields_get_sale_order');

let open: ConnectedSession | undefined;

afterEach(async () => {
  await open?.close();
  open = undefined;
});

async function connect(
  answers: Record<string, Answer>,
  person = BOB,
): Promise<{ session: ConnectedSession; connection: ScriptedConnection }> {
  const connection = new ScriptedConnection(person.email, answers);
  open = await connectClient(connection, person);
  return { session: open, connection };
}

function structured(result: unknown): Record<string, unknown> {
  return (result as { structuredContent: Record<string, unknown> }).structuredContent;
}

describe('instructions', () => {
  it('say how to find "my" records', async () => {
    const { session } = await connect({});
    const instructions = session.client.getInstructions() ?? '';
    expect(instructions).toContain('["user_id", "=", uid]');
    expect(instructions).toContain('["invoice_user_id", "=", uid]');
    expect(instructions).toContain('without a salesperson');
    const { tools } = await session.client.listTools();
    const whoami = tools.find((tool) => tool.name === 'whoami');
    expect(whoami?.description).toContain('invoice_user_id');
  });
});

describe('fields added to a read', () => {
  it('adds currency_id and display_name', async () => {
    const { session, connection } = await connect({
      'sale.order.fields_get': saleOrderFields,
      'sale.order.search_read': () => [
        { id: 4, amount_total: 6948.74, currency_id: [1, 'USD'], display_name: 'S00004' },
      ],
    });
    const result = await session.client.callTool({
      name: 'search_records',
      arguments: { model: 'sale.order', fields: ['amount_total'] },
    });
    expect(pageReadCall(connection.calls, 'sale.order')?.fields).toEqual([
      'amount_total',
      'currency_id',
      'display_name',
    ]);
    expect(structured(result).fields).toEqual(['amount_total', 'currency_id', 'display_name']);
    const text = resultText(result);
    expect(text).toContain('- S00004 · id 4 · ');
    expect(text).toContain('amount_total: 6,948.74 USD');
    expect(text).not.toContain('currency_id');
  });

  it('adds nothing when name and the currency are read', async () => {
    const { session, connection } = await connect({
      'sale.order.fields_get': saleOrderFields,
      'sale.order.read': () => [],
    });
    await session.client.callTool({
      name: 'read_records',
      arguments: { model: 'sale.order', ids: [4], fields: ['name', 'currency_id', 'amount_total'] },
    });
    expect(connection.calls[1]?.kwargs.fields).toEqual(['name', 'currency_id', 'amount_total']);
  });
});

describe('read_records and record rules', () => {
  const ruleError = () => recordedError('odoo18', 'error_access_alice_read_other_users_order');

  it('reads the visible records and archived ones too', async () => {
    const { session, connection } = await connect(
      {
        'sale.order.fields_get': saleOrderFields,
        'sale.order.read': (call) => {
          const ids = call.args[0] as number[];
          if (ids.includes(6)) {
            throw ruleError();
          }
          return ids.filter((id) => id === 4).map((id) => ({ id, name: 'S00004' }));
        },
        'sale.order.search': () => [4],
      },
      ALICE,
    );
    const result = await session.client.callTool({
      name: 'read_records',
      arguments: { model: 'sale.order', ids: [4, 6, 999], fields: ['name'] },
    });
    expect(structured(result)).toMatchObject({
      hidden_ids: [6],
      missing_ids: [999],
      records: [{ id: 4, name: 'S00004' }],
    });
    const search = connection.calls.find((call) => call.method === 'search');
    expect(search?.args).toEqual([[['id', 'in', [4, 6, 999]]]]);
    expect(search?.kwargs.context).toEqual({ active_test: false });
    expect(resultText(result)).toContain(
      "Odoo's record rules hide the sale.order record with id 6 from alice@example.com: it belongs to someone else.",
    );
    const [audit] = auditLines(session.logs.lines);
    expect(audit?.method).toEqual(['fields_get', 'read', 'search']);
  });

  it('leaves a single hidden id to Odoo', async () => {
    const { session, connection } = await connect(
      {
        'sale.order.fields_get': saleOrderFields,
        'sale.order.read': () => {
          throw ruleError();
        },
      },
      ALICE,
    );
    const result = await session.client.callTool({
      name: 'read_records',
      arguments: { model: 'sale.order', ids: [6], fields: ['name'] },
    });
    expect(result.isError).toBe(true);
    expect(resultText(result)).toContain('Uh-oh! Looks like you have stumbled upon');
    expect(connection.calls.map((call) => call.method)).toEqual(['fields_get', 'read']);
  });

  it('passes a rule of another model through', async () => {
    const lineRule = new OdooError(
      'access',
      "Sorry, Alice Sales (id=8) doesn't have 'read' access to:\n- Sales Order Line (sale.order.line)",
      { odooName: 'odoo.exceptions.AccessError' },
    );
    const { session, connection } = await connect(
      {
        'sale.order.fields_get': saleOrderFields,
        'sale.order.read': () => {
          throw lineRule;
        },
      },
      ALICE,
    );
    const result = await session.client.callTool({
      name: 'read_records',
      arguments: { model: 'sale.order', ids: [4, 6], fields: ['order_line'] },
    });
    expect(result.isError).toBe(true);
    expect(connection.calls.map((call) => call.method)).toEqual(['fields_get', 'read']);
  });

  it('passes an access rights error through', async () => {
    const { session, connection } = await connect({
      'sale.order.fields_get': saleOrderFields,
      'sale.order.read': () => {
        throw recordedError('odoo17', 'error_access_carol_sale_order');
      },
    });
    const result = await session.client.callTool({
      name: 'read_records',
      arguments: { model: 'sale.order', ids: [1, 2], fields: ['name'] },
    });
    expect(result.isError).toBe(true);
    expect(resultText(result)).toContain("Odoo's access rights do not let");
    expect(connection.calls.map((call) => call.method)).toEqual(['fields_get', 'read']);
  });
});

describe('unknown model', () => {
  const unknownModel = (): Record<string, Answer> => ({
    'x_no.such.model.fields_get': () => {
      throw recordedError('odoo17', 'error_unknown_model');
    },
  });

  it('falls back when the model list fails', async () => {
    const answers = unknownModel();
    answers['ir.model.get_available_models'] = () => {
      throw recordedError('odoo17', 'error_unknown_method');
    };
    const { session } = await connect(answers);
    const result = await session.client.callTool({
      name: 'read_records',
      arguments: { model: 'x_no.such.model', ids: [1] },
    });
    const text = resultText(result);
    expect(text).toContain("Object x_no.such.model doesn't exist");
    expect(text).toContain('it has no model named "x_no.such.model"');
    expect(text).not.toContain('describe_model');
    const failure = session.logs.lines.find((line) => line.event === 'mcp.model_list_failed');
    expect(failure).toBeDefined();
  });

  it('suggests models from the list', async () => {
    const answers = unknownModel();
    answers['ir.model.get_available_models'] = () => [
      { display_name: 'Contact', model: 'res.partner' },
      { display_name: 'Sales Order', model: 'sale.order' },
      { display_name: 'Sales Order Line', model: 'sale.order.line' },
    ];
    answers['sales.order.fields_get'] = () => {
      throw new OdooError('invalid_request', "Object sales.order doesn't exist", {
        odooName: 'odoo.exceptions.UserError',
      });
    };
    const { session } = await connect(answers);
    const result = await session.client.callTool({
      name: 'count_records',
      arguments: { model: 'sales.order' },
    });
    expect(resultText(result)).toContain(
      'Models with close names that bob@example.com may read: "sale.order" (Sales Order).',
    );
  });
});

describe('invalid request hint', () => {
  it('mentions the domain only for tools with one', async () => {
    const unknownField = () => {
      throw recordedError('odoo17', 'error_unknown_field_in_fields');
    };
    const { session } = await connect({
      'sale.order.fields_get': saleOrderFields,
      'sale.order.read': unknownField,
      'sale.order.search_read': unknownField,
    });
    const read = await session.client.callTool({
      name: 'read_records',
      arguments: { model: 'sale.order', ids: [1], fields: ['name'] },
    });
    expect(resultText(read)).toContain('(describe_model lists the fields of sale.order).');
    const search = await session.client.callTool({
      name: 'search_records',
      arguments: { model: 'sale.order', fields: ['name'] },
    });
    expect(resultText(search)).toContain('and the domain.');
  });
});

describe('value errors from Odoo', () => {
  it('name the field and keep the log quiet', async () => {
    const { session } = await connect({
      'sale.order.fields_get': saleOrderFields,
      'sale.order.search_read': () => {
        throw new OdooError(
          'server',
          'date/time field value out of range: "2026-02-30 10:00:00"\nLINE 1: ...',
          { odooName: 'psycopg2.errors.DatetimeFieldOverflow' },
        );
      },
    });
    const result = await session.client.callTool({
      name: 'search_records',
      arguments: { model: 'sale.order', domain: [['date_order', '<', '2026-02-30 10:00:00']] },
    });
    expect(result.isError).toBe(true);
    const text = resultText(result);
    expect(text.startsWith('date/time field value out of range: "2026-02-30 10:00:00"')).toBe(true);
    expect(text).toContain('"date_order" is a datetime field');
    expect(session.logs.lines.some((line) => line.event === 'mcp.odoo_unavailable')).toBe(false);
  });
});

describe('ModelListCache', () => {
  it('lists once per person and model list lifetime', async () => {
    let now = 0;
    const connection = new ScriptedConnection('bob@example.com', {
      'ir.model.get_available_models': () => [{ display_name: 'Contact', model: 'res.partner' }],
    });
    const cache = new ModelListCache({ ttlMs: 1000, nowMs: () => now });
    const calls = new OdooCalls(connection, undefined);
    expect(await cache.models(calls, 9)).toEqual([{ model: 'res.partner', label: 'Contact' }]);
    await cache.models(calls, 9);
    await cache.models(calls, 8);
    now = 1001;
    await cache.models(calls, 9);
    expect(connection.calls).toHaveLength(3);
  });

  it('keeps at most maxEntries people', async () => {
    const connection = new ScriptedConnection('bob@example.com', {
      'ir.model.get_available_models': () => [],
    });
    const cache = new ModelListCache({ maxEntries: 1 });
    const calls = new OdooCalls(connection, undefined);
    await cache.models(calls, 8);
    await cache.models(calls, 9);
    await cache.models(calls, 8);
    expect(connection.calls).toHaveLength(3);
  });
});

describe('similarModels', () => {
  const models = [
    { model: 'account.move', label: 'Journal Entry' },
    { model: 'res.partner', label: 'Contact' },
    { model: 'sale.order', label: 'Sales Order' },
    { model: 'sale.order.line', label: 'Sales Order Line' },
  ];

  it('finds names containing the typed one', () => {
    expect(similarModels('order', models).map((entry) => entry.model)).toEqual([
      'sale.order',
      'sale.order.line',
    ]);
  });

  it('finds a model by its label', () => {
    expect(similarModels('contact', models).map((entry) => entry.model)).toEqual(['res.partner']);
  });

  it('finds nothing for an unrelated name', () => {
    expect(similarModels('x_fleet.car', models)).toEqual([]);
  });
});

describe('unknownModelName', () => {
  it('reads the model from a JSON-RPC message', () => {
    const error = new OdooError('invalid_request', "Object x_no.such.model doesn't exist");
    expect(unknownModelName(error)).toBe('x_no.such.model');
  });

  it('reads the model from a JSON-2 message', () => {
    const error = new OdooError('invalid_request', "the model 'x_no.such.model' does not exist");
    expect(unknownModelName(error)).toBe('x_no.such.model');
  });

  it('ignores other kinds', () => {
    const error = new OdooError('access', "the model 'sale.order' does not exist");
    expect(unknownModelName(error)).toBeUndefined();
  });
});

describe('access hints', () => {
  const refusal = new OdooError(
    'access',
    "You are not allowed to access 'Stock Move' (stock.move) records.",
    { odooName: 'odoo.exceptions.AccessError' },
  );

  it('suggests other fields to a tool that takes them', () => {
    const text = describeOdooError(refusal, {
      email: 'carol@example.com',
      model: 'product.product',
    });
    expect(text).toContain('ask for other fields of product.product');
  });

  it('suggests no fields to a tool without them', () => {
    const text = describeOdooError(refusal, {
      email: 'carol@example.com',
      model: 'product.product',
      takesFields: false,
    });
    expect(text).toContain('Reading product.product needed stock.move here.');
    expect(text).not.toContain('other fields');
  });
});
