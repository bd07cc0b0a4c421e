import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { utcBounds, resolveFrom, resolveTo, todayIn } from '../../src/mcp/dates.js';
import {
  lockMarkerOf,
  SALE_STATES,
  saleStateDomain,
  saleStateOf,
} from '../../src/mcp/domain-tools/sale-states.js';
import { type FieldMap, parseFieldsGet } from '../../src/mcp/fields.js';
import {
  connectDomainTools,
  type DemoStack,
  demoSession,
  startDemoStack,
  stopDemoStack,
  structured,
} from './domain-tool-helpers.js';
import {
  type Answer,
  type ConnectedSession,
  pageReadCall,
  recordedResult,
  recording,
  resultText,
  ScriptedConnection,
} from './helpers.js';

const ALICE = { email: 'alice@example.com', uid: 8 };
const PACIFIC = { tz: 'America/Los_Angeles', tzUnset: false, lang: 'en_US' };

/** Returns the recorded `fields_get` of sale.order of a version; 19.0's came over JSON-2. */
function recordedOrderFields(version: '17.0' | '18.0' | '19.0'): unknown {
  if (version === '19.0') {
    return recording('odoo19', 'json2_fields_get_sale_order').response.body;
  }
  return recordedResult(`odoo${version.slice(0, 2)}`, 'fields_get_sale_order');
}

/** 16.0's sale.order, built from 17.0's: the state "done" (Locked) and no `locked` field. */
function sixteenOrderFields(): Record<string, Record<string, unknown>> {
  const fields = structuredClone(recordedOrderFields('17.0')) as Record<
    string,
    Record<string, unknown>
  >;
  delete fields.locked;
  fields.state!.selection = [
    ['draft', 'Quotation'],
    ['sent', 'Quotation Sent'],
    ['sale', 'Sales Order'],
    ['done', 'Locked'],
    ['cancel', 'Cancelled'],
  ];
  return fields;
}

function fieldMapOf(fields: unknown): FieldMap {
  return parseFieldsGet(fields);
}

/** Collects the paths of boolean subschemas and tuples, which strict clients reject. */
function unportableParts(schema: unknown, path = '$'): string[] {
  if (typeof schema === 'boolean') {
    return [path];
  }
  if (typeof schema !== 'object' || schema === null) {
    return [];
  }
  const found = 'prefixItems' in schema ? [`${path}.prefixItems`] : [];
  for (const [key, value] of Object.entries(schema)) {
    const children = Array.isArray(value) ? value : [value];
    children.forEach((child, index) => {
      if (typeof child === 'object' || (typeof child === 'boolean' && key !== 'uniqueItems')) {
        found.push(...unportableParts(child, `${path}.${key}[${index}]`));
      }
    });
  }
  return found;
}

describe('domain tool schemas', () => {
  it('describe every argument portably', async () => {
    const connection = new ScriptedConnection('alice@example.com', {});
    const session = await connectDomainTools(connection, ALICE);
    const { tools } = await session.client.listTools();
    await session.close();
    expect(tools.map((tool) => tool.name)).toEqual([
      'find_sales_orders',
      'find_invoices',
      'find_contacts',
      'check_stock',
    ]);
    for (const tool of tools) {
      const properties = tool.inputSchema.properties as Record<string, { description?: string }>;
      for (const [name, property] of Object.entries(properties)) {
        expect(property.description, `${tool.name}.${name}`).toBeTruthy();
      }
      expect(unportableParts(tool.inputSchema), tool.name).toEqual([]);
      expect(unportableParts(tool.outputSchema), tool.name).toEqual([]);
      expect(tool.annotations?.readOnlyHint, tool.name).toBe(true);
    }
  });
});

describe('sale order states', () => {
  it.each(['17.0', '18.0', '19.0'] as const)('%s marks locks with the locked field', (version) => {
    const fields = fieldMapOf(recordedOrderFields(version));
    expect(lockMarkerOf(fields)).toBe('locked_field');
    expect(saleStateDomain(['locked'], fields)).toEqual([
      '&',
      ['state', '=', 'sale'],
      ['locked', '=', true],
    ]);
    expect(saleStateDomain(['confirmed'], fields)).toEqual([
      '&',
      ['state', '=', 'sale'],
      ['locked', '=', false],
    ]);
  });

  it('uses the done state on 16.0', () => {
    const fields = fieldMapOf(sixteenOrderFields());
    expect(lockMarkerOf(fields)).toBe('done_state');
    expect(saleStateDomain(['locked'], fields)).toEqual([['state', '=', 'done']]);
    expect(saleStateDomain(['confirmed'], fields)).toEqual([['state', '=', 'sale']]);
  });

  it('maps quotation, sent and cancelled the same everywhere', () => {
    for (const fields of [sixteenOrderFields(), recordedOrderFields('17.0')]) {
      const map = fieldMapOf(fields);
      expect(saleStateDomain(['quotation'], map)).toEqual([['state', '=', 'draft']]);
      expect(saleStateDomain(['sent'], map)).toEqual([['state', '=', 'sent']]);
      expect(saleStateDomain(['cancelled'], map)).toEqual([['state', '=', 'cancel']]);
    }
  });

  it('joins several states with or', () => {
    const fields = fieldMapOf(recordedOrderFields('18.0'));
    expect(saleStateDomain(['quotation', 'sent', 'locked'], fields)).toEqual([
      '|',
      '|',
      ['state', '=', 'draft'],
      ['state', '=', 'sent'],
      '&',
      ['state', '=', 'sale'],
      ['locked', '=', true],
    ]);
  });

  it('rejects locked without a lock marker', () => {
    const fields = recordedOrderFields('17.0') as Record<string, unknown>;
    const withoutLock = { ...fields };
    delete withoutLock.locked;
    expect(() => saleStateDomain(['locked'], fieldMapOf(withoutLock))).toThrow(
      /marks no sales order as locked/,
    );
  });

  it('rejects a state the selection lacks', () => {
    const fields = structuredClone(recordedOrderFields('17.0')) as Record<
      string,
      Record<string, unknown>
    >;
    fields.state!.selection = [['draft', 'Quotation']];
    expect(() => saleStateDomain(['sent'], fieldMapOf(fields))).toThrow(
      'This Odoo has no sales order state "sent" for state "sent"; its states are draft.',
    );
  });

  it('reads states back by version', () => {
    expect(saleStateOf({ state: 'sale', locked: true }, 'locked_field')).toBe('locked');
    expect(saleStateOf({ state: 'sale', locked: false }, 'locked_field')).toBe('confirmed');
    expect(saleStateOf({ state: 'done' }, 'done_state')).toBe('locked');
    expect(saleStateOf({ state: 'sale' }, 'done_state')).toBe('confirmed');
    expect(saleStateOf({ state: 'draft' }, 'locked_field')).toBe('quotation');
    expect(saleStateOf({ state: 'cancel' }, 'locked_field')).toBe('cancelled');
    expect(SALE_STATES).toEqual(['quotation', 'sent', 'confirmed', 'locked', 'cancelled']);
  });
});

describe('find_sales_orders filters', () => {
  let open: ConnectedSession | undefined;

  afterEach(async () => {
    await open?.close();
    open = undefined;
  });

  async function run(
    args: Record<string, unknown>,
    answers: Record<string, Answer> = {},
    orderFields: unknown = recordedOrderFields('17.0'),
  ) {
    const connection = new ScriptedConnection('alice@example.com', {
      'sale.order.fields_get': () => orderFields,
      'sale.order.search_read': () => [],
      ...answers,
    });
    open = await connectDomainTools(connection, ALICE, PACIFIC);
    const result = await open.client.callTool({ name: 'find_sales_orders', arguments: args });
    const search = pageReadCall(connection.calls, 'sale.order');
    return { result, connection, domain: search?.args[0] as unknown[] | undefined };
  }

  it('lists the states for an unknown state', async () => {
    const { result, domain } = await run({ state: 'confirm' });
    expect(result.isError).toBe(true);
    expect(resultText(result)).toContain(
      'state: Invalid value "confirm" for state. It takes one of "quotation", "sent", ' +
        '"confirmed", "locked", "cancelled", or a list of them. For "confirm", use "confirmed".',
    );
    expect(domain).toBeUndefined();
  });

  it('maps Odoo state names in a list', async () => {
    const { result } = await run({ state: ['draft', 'sent', 'sale'] });
    const text = resultText(result);
    expect(text).toContain('Invalid values "draft", "sale" for state.');
    expect(text).toContain('For "draft", use "quotation".');
    expect(text).toContain('For "sale", use "confirmed"');
  });

  it('rejects an empty state list', async () => {
    const { result } = await run({ state: [] });
    expect(result.isError).toBe(true);
    expect(resultText(result)).toContain('state: Invalid list [] for state.');
  });

  it('maps "me" to the uid', async () => {
    const { domain } = await run({ salesperson: 'me', state: 'quotation' });
    expect(domain).toEqual([
      ['state', '=', 'draft'],
      ['user_id', '=', ALICE.uid],
    ]);
  });

  it('takes a customer name as child_of', async () => {
    const partners: Answer = () => [
      [14, 'Azure Interior'],
      [26, 'Azure Interior, Brandon Freeman'],
    ];
    const companies: Answer = () => [
      { id: 14, commercial_partner_id: [14, 'Azure Interior'] },
      { id: 26, commercial_partner_id: [14, 'Azure Interior'] },
    ];
    const { domain, connection, result } = await run(
      { customer: 'azure' },
      { 'res.partner.name_search': partners, 'res.partner.read': companies },
    );
    expect(domain).toEqual([['partner_id', 'child_of', [14, 26]]]);
    const lookup = connection.calls.find((call) => call.method === 'name_search');
    expect(lookup?.kwargs).toMatchObject({ name: 'azure', operator: 'ilike' });
    expect(lookup?.kwargs.context).toEqual({ active_test: false });
    expect(structured<{ notes: string[] }>(result).notes[0]).toBe(
      'customer "azure" matched Azure Interior (id 14) and 1 of its contacts.',
    );
  });

  it('names at most three matched companies', async () => {
    const partners: Answer = () => [
      [10, 'Gemini Furniture'],
      [21, 'Gemini Furniture, Edwin Hansen'],
      [22, 'Gemini Furniture, Jesse Brown'],
      [30, 'Gemini Labs, Ana Ruiz'],
      [31, 'Gemini Labs, Tom Lee'],
      [40, 'Gemini Freight, Oona Park'],
      [50, 'Gemini Travel'],
    ];
    const companyOf: Record<number, [number, string]> = {
      10: [10, 'Gemini Furniture'],
      21: [10, 'Gemini Furniture'],
      22: [10, 'Gemini Furniture'],
      30: [29, 'Gemini Labs'],
      31: [29, 'Gemini Labs'],
      40: [39, 'Gemini Freight'],
      50: [50, 'Gemini Travel'],
    };
    const companies: Answer = (call) =>
      (call.args[0] as number[]).map((id) => ({ id, commercial_partner_id: companyOf[id] }));
    const { result } = await run(
      { customer: 'Gemini' },
      { 'res.partner.name_search': partners, 'res.partner.read': companies },
    );
    expect(structured<{ notes: string[] }>(result).notes[0]).toBe(
      'customer "Gemini" matched Gemini Furniture (id 10) and 2 of its contacts, 2 contacts of ' +
        'Gemini Labs (id 29), Gemini Freight, Oona Park (id 40) and 1 more.',
    );
  });

  it('checks a customer id exists', async () => {
    const { domain, result } = await run(
      { customer: 14 },
      { 'res.partner.search_read': () => [{ id: 14, display_name: 'Azure Interior' }] },
    );
    expect(result.isError).toBeFalsy();
    expect(domain).toEqual([['partner_id', 'child_of', [14]]]);
  });

  it('rejects an unknown customer', async () => {
    // Only the first three letters of the first word find a name.
    const nameSearch: Answer = (call) =>
      call.kwargs.name === 'Azu' ? [[14, 'Azure Interior']] : [];
    const { result, domain, connection } = await run(
      { customer: 'Azur Interiour' },
      { 'res.partner.name_search': nameSearch },
    );
    const searched = connection.calls
      .filter((call) => call.method === 'name_search')
      .map((call) => call.kwargs.name);
    expect(searched).toEqual(['Azur Interiour', 'Azur', 'Interiour', 'Azu']);
    expect(result.isError).toBe(true);
    expect(resultText(result)).toBe(
      'No customer matches "Azur Interiour" (argument customer). Names that share a word or its ' +
        'start: "Azure Interior". Pass one of them, or look the name up with find_by_name on ' +
        'res.partner.',
    );
    expect(domain).toBeUndefined();
  });

  it('rejects a salesperson nobody is', async () => {
    const { result, domain } = await run(
      { salesperson: 'Nobody' },
      { 'res.users.name_search': () => [] },
    );
    expect(result.isError).toBe(true);
    expect(resultText(result)).toContain('No user matches "Nobody" (argument salesperson).');
    expect(domain).toBeUndefined();
  });

  it('takes a salesperson name as in', async () => {
    const { domain } = await run(
      { salesperson: 'bob' },
      { 'res.users.name_search': () => [[9, 'Bob Manager']] },
    );
    expect(domain).toEqual([['user_id', 'in', [9]]]);
  });

  it('bounds date_order in the person time zone', async () => {
    const { domain, result } = await run({ date_from: '2026-03-01', date_to: '2026-03-31' });
    // Pacific Standard Time until 8 March 2026, then daylight saving time.
    expect(domain).toEqual([
      ['date_order', '>=', '2026-03-01 08:00:00'],
      ['date_order', '<', '2026-04-01 07:00:00'],
    ]);
    expect(structured<{ notes: string[] }>(result).notes).toContain(
      'date_order from 2026-03-01 to 2026-03-31, days in America/Los_Angeles.',
    );
  });

  it('resolves this month in the person time zone', async () => {
    const { domain } = await run({ date_from: 'this month', date_to: 'this month' });
    const first = resolveFrom('this month', PACIFIC.tz);
    const last = resolveTo('this month', PACIFIC.tz);
    expect(domain).toEqual([
      ['date_order', '>=', utcBounds(first, first, PACIFIC.tz).start],
      ['date_order', '<', utcBounds(last, last, PACIFIC.tz).end],
    ]);
    expect(first.slice(0, 7)).toBe(todayIn(PACIFIC.tz).slice(0, 7));
  });

  it('filters amounts on amount_total', async () => {
    const { domain } = await run({ amount_min: 1000, amount_max: 5000.5 });
    expect(domain).toEqual([
      ['amount_total', '>=', 1000],
      ['amount_total', '<=', 5000.5],
    ]);
  });

  it('finds orders with a product on a line', async () => {
    const { domain, connection } = await run(
      { product: 'FURN_2201' },
      { 'product.product.name_search': () => [[6, '[FURN_2201] Ergonomic Office Chair']] },
    );
    expect(domain).toEqual([['order_line.product_id', 'in', [6]]]);
    const lookup = connection.calls.find((call) => call.model === 'product.product');
    expect(lookup?.kwargs.name).toBe('FURN_2201');
  });

  it('maps locked to done on 16.0', async () => {
    const { domain, connection } = await run(
      { state: ['confirmed', 'locked'] },
      {},
      sixteenOrderFields(),
    );
    expect(domain).toEqual(['|', ['state', '=', 'sale'], ['state', '=', 'done']]);
    const fields = pageReadCall(connection.calls, 'sale.order')?.fields;
    expect(fields).not.toContain('locked');
  });

  it('rejects a reversed date range before searching', async () => {
    const { result, domain } = await run({ date_from: '2026-04-01', date_to: '2026-03-01' });
    expect(result.isError).toBe(true);
    expect(resultText(result)).toContain('so no day is in the range');
    expect(domain).toBeUndefined();
  });

  it('renders one line per order', async () => {
    const order = {
      id: 42,
      name: 'S00042',
      partner_id: [14, 'Azure Interior'],
      date_order: '2026-11-03 18:30:00',
      state: 'sale',
      locked: false,
      amount_untaxed: 1086.96,
      amount_total: 1250,
      currency_id: [1, 'USD'],
      invoice_status: 'to invoice',
      user_id: [8, 'Alice Sales'],
    };
    const { result } = await run({}, { 'sale.order.search_read': () => [order] });
    expect(resultText(result)).toBe(
      '1 order.\n\nS00042 · Azure Interior · 2026-11-03 · confirmed · 1,250.00 USD · to invoice · ' +
        'Alice Sales · https://erp.example.com/web#id=42&model=sale.order&view_type=form\n\n' +
        'Note: Order dates are days in America/Los_Angeles.',
    );
    const [first] = structured<{ orders: Array<Record<string, unknown>> }>(result).orders;
    expect(first).toEqual({
      id: 42,
      number: 'S00042',
      customer: { id: 14, name: 'Azure Interior' },
      date: '2026-11-03',
      state: 'confirmed',
      amount_untaxed: { amount: 1086.96, currency: 'USD' },
      amount_total: { amount: 1250, currency: 'USD' },
      invoice_status: 'to invoice',
      salesperson: { id: 8, name: 'Alice Sales' },
      link: 'https://erp.example.com/web#id=42&model=sale.order&view_type=form',
    });
  });

  it('pages with next_offset', async () => {
    const rows = Array.from({ length: 2 }, (_, index) => ({
      id: index + 1,
      name: `S0000${index + 1}`,
    }));
    const { result } = await run(
      { limit: 2 },
      { 'sale.order.search_read': () => rows, 'sale.order.search_count': () => 5 },
    );
    const output = structured<{ total: number; next_offset: number | null }>(result);
    expect(output.total).toBe(5);
    expect(output.next_offset).toBe(2);
    expect(resultText(result).split('\n')[0]).toBe('5 orders, 2 shown; next_offset 2.');
  });
});

describe.each(['17.0', '19.0'] as const)('find_sales_orders on the demo Odoo %s', (version) => {
  let stack: DemoStack;

  beforeAll(async () => {
    stack = await startDemoStack(version);
  });

  afterAll(async () => {
    await stopDemoStack(stack);
  });

  it("lists only alice's open quotations", async () => {
    const alice = await demoSession(stack, 'alice@example.com');
    const result = await alice.client.callTool({
      name: 'find_sales_orders',
      arguments: { salesperson: 'me', state: ['quotation', 'sent'] },
    });
    const output = structured<{
      orders: Array<{ id: number; state: string; salesperson: { id: number } }>;
    }>(result);
    const direct = await alice.connection.executeKw<Array<{ id: number }>>(
      'sale.order',
      'search_read',
      [
        [
          ['user_id', '=', alice.session.odooUid],
          ['state', 'in', ['draft', 'sent']],
        ],
      ],
      { fields: ['id'] },
    );
    expect(direct.length).toBeGreaterThan(0);
    expect(output.orders.map((order) => order.id).sort()).toEqual(
      direct.map((row) => row.id).sort(),
    );
    for (const order of output.orders) {
      expect(order.salesperson.id).toBe(alice.session.odooUid);
      expect(['quotation', 'sent']).toContain(order.state);
    }
  });

  it('matches a direct search for quotations', async () => {
    const alice = await demoSession(stack, 'alice@example.com');
    const result = await alice.client.callTool({
      name: 'find_sales_orders',
      arguments: { salesperson: 'me', state: 'quotation' },
    });
    const count = await alice.connection.executeKw<number>('sale.order', 'search_count', [
      [
        ['user_id', '=', alice.session.odooUid],
        ['state', '=', 'draft'],
      ],
    ]);
    expect(structured<{ total: number }>(result).total).toBe(count);
  });

  it('names the zone once without a date filter', async () => {
    const bob = await demoSession(stack, 'bob@example.com');
    const result = await bob.client.callTool({ name: 'find_sales_orders', arguments: {} });
    const notes = structured<{ notes: string[] }>(result).notes;
    expect(notes.filter((note) => note.includes('America/Los_Angeles'))).toEqual([
      'Order dates are days in America/Los_Angeles.',
    ]);
  });

  it('says why days are in UTC', async () => {
    const alice = await demoSession(stack, 'alice@example.com');
    const result = await alice.client.callTool({
      name: 'find_sales_orders',
      arguments: { salesperson: 'me' },
    });
    expect(structured<{ notes: string[] }>(result).notes).toContain(
      'Order dates are days in UTC, because the person has no time zone set in Odoo.',
    );
  });

  it("shows carol Odoo's access error", async () => {
    const carol = await demoSession(stack, 'carol@example.com');
    const result = await carol.client.callTool({ name: 'find_sales_orders', arguments: {} });
    expect(result.isError).toBe(true);
    expect(resultText(result)).toContain(
      "You are not allowed to access 'Sales Order' (sale.order) records.",
    );
  });

  it("reads this month in bob's time zone", async () => {
    const bob = await demoSession(stack, 'bob@example.com');
    const tz = 'America/Los_Angeles';
    const result = await bob.client.callTool({
      name: 'find_sales_orders',
      arguments: { date_from: 'this month', date_to: 'this month', limit: 100 },
    });
    const { start } = utcBounds(resolveFrom('this month', tz), resolveFrom('this month', tz), tz);
    const last = resolveTo('this month', tz);
    const { end } = utcBounds(last, last, tz);
    const count = await bob.connection.executeKw<number>('sale.order', 'search_count', [
      [
        ['date_order', '>=', start],
        ['date_order', '<', end],
      ],
    ]);
    const output = structured<{ total: number; notes: string[] }>(result);
    expect(output.total).toBe(count);
    expect(output.notes.join('\n')).toContain(`days in ${tz}`);
  });

  it('finds an evening order on its California day', async () => {
    const bob = await demoSession(stack, 'bob@example.com');
    const orders = await bob.connection.executeKw<Array<{ id: number; date_order: string }>>(
      'sale.order',
      'search_read',
      [[['user_id', '=', bob.session.odooUid]]],
      { fields: ['date_order'] },
    );
    const evening = orders.find((order) => order.date_order.slice(11, 13) < '08');
    expect(evening).toBeDefined();
    const utcDay = evening!.date_order.slice(0, 10);
    const californiaDay = new Date(Date.parse(`${utcDay}T00:00:00Z`) - 86_400_000)
      .toISOString()
      .slice(0, 10);
    const idsOn = async (day: string) => {
      const result = await bob.client.callTool({
        name: 'find_sales_orders',
        arguments: { salesperson: 'me', date_from: day, date_to: day },
      });
      return structured<{ orders: Array<{ id: number; date: string }> }>(result).orders;
    };
    const onCaliforniaDay = await idsOn(californiaDay);
    expect(onCaliforniaDay.map((order) => order.id)).toContain(evening!.id);
    expect(onCaliforniaDay.find((order) => order.id === evening!.id)?.date).toBe(californiaDay);
    expect((await idsOn(utcDay)).map((order) => order.id)).not.toContain(evening!.id);
  });

  it('finds the orders of a company and its contacts', async () => {
    const bob = await demoSession(stack, 'bob@example.com');
    const result = await bob.client.callTool({
      name: 'find_sales_orders',
      arguments: { customer: 'Mission Street Coworking', limit: 100 },
    });
    const [company] = await bob.connection.executeKw<Array<{ id: number }>>(
      'res.partner',
      'search_read',
      [[['name', '=', 'Mission Street Coworking']]],
      { fields: ['id'] },
    );
    const count = await bob.connection.executeKw<number>('sale.order', 'search_count', [
      [['partner_id', 'child_of', [company!.id]]],
    ]);
    expect(count).toBeGreaterThan(0);
    expect(structured<{ total: number }>(result).total).toBe(count);
  });

  it('rejects an unknown product', async () => {
    const bob = await demoSession(stack, 'bob@example.com');
    const result = await bob.client.callTool({
      name: 'find_sales_orders',
      arguments: { product: 'Ergonomc Chair' },
    });
    expect(result.isError).toBe(true);
    expect(resultText(result)).toContain('No product matches "Ergonomc Chair"');
    expect(resultText(result)).toContain('Ergonomic Office Chair');
  });
});
