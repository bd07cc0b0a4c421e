import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningDemoOdoo } from '../../src/demo/odoo/index.js';
import { executeKw, person, rpcError, send, startDemo } from './helpers.js';

let v18: RunningDemoOdoo;
let v19: RunningDemoOdoo;

beforeAll(async () => {
  [v18, v19] = await Promise.all([startDemo('18.0'), startDemo('19.0')]);
});

afterAll(async () => {
  await Promise.all([v18.close(), v19.close()]);
});

const bob = (running: RunningDemoOdoo = v18) => person(running, 'bob@example.com');
const call = <T>(
  method: string,
  args: unknown[],
  kwargs: Record<string, unknown> = {},
  model = 'sale.order',
) => executeKw<T>(v18, bob(), model, method, args, kwargs);

type Order = {
  id: number;
  name: string;
  state: string;
  amount_total: number;
  date_order: string;
  user_id: [number, string] | false;
};

describe('search and read', () => {
  it('orders by several keys', async () => {
    const orders = await call<Order[]>('search_read', [[]], {
      fields: ['state', 'amount_total'],
      order: 'state asc, amount_total desc',
    });
    const sorted = [...orders].sort(
      (a, b) => a.state.localeCompare(b.state) || b.amount_total - a.amount_total,
    );
    expect(orders.map((order) => order.id)).toEqual(sorted.map((order) => order.id));
  });

  it('defaults to date_order desc', async () => {
    const orders = await call<Order[]>('search_read', [[]], { fields: ['date_order'] });
    const dates = orders.map((order) => order.date_order);
    expect(dates).toEqual([...dates].sort().reverse());
  });

  it('orders a many2one by its display name', async () => {
    const orders = await call<{ partner_id: [number, string] }[]>('search_read', [[]], {
      fields: ['partner_id'],
      order: 'partner_id',
    });
    const names = orders.map((order) => order.partner_id[1]);
    expect(names).toEqual([...names].sort((a, b) => new Intl.Collator('en-US').compare(a, b)));
  });

  it('applies offset and limit', async () => {
    const all = await call<number[]>('search', [[]]);
    expect(await call('search', [[]], { offset: 10, limit: 5 })).toEqual(all.slice(10, 15));
    expect(await call('search_count', [[]], { limit: 7 })).toBe(7);
  });

  it('rejects an invalid order', async () => {
    const error = await rpcError(call('search', [[]], { order: 'name; drop table' }));
    expect(error.name).toBe('odoo.exceptions.UserError');
    expect((await rpcError(call('search', [[]], { order: 'nope desc' }))).message).toBe(
      "Invalid field 'nope' on model 'sale.order'",
    );
  });

  it('raises for a negative limit', async () => {
    const error = await rpcError(call('search', [[]], { limit: -1 }));
    expect(error).toEqual({
      ...error,
      name: 'psycopg2.errors.InvalidRowCountInLimitClause',
      message: 'LIMIT must not be negative\n',
    });
  });

  it('reads all fields without a fields argument', async () => {
    const [order] = await call<Record<string, unknown>[]>('read', [[1]]);
    expect(Object.keys(order!)).toContain('note');
    expect(Object.keys(order!)).toContain('signature');
    expect(Object.keys(order!)[0]).toBe('id');
  });

  it('reads many2one ids with another load', async () => {
    const [order] = await call<{ partner_id: unknown }[]>('read', [[1]], {
      fields: ['partner_id'],
      load: '',
    });
    expect(typeof order!.partner_id).toBe('number');
    const [again] = await call<{ partner_id: unknown }[]>('search_read', [[['id', '=', 1]]], {
      fields: ['partner_id'],
      load: 'none',
    });
    expect(typeof again!.partner_id).toBe('number');
  });

  it('reads images as base64 and html as text', async () => {
    const [partner] = await call<{ image_1920: string }[]>(
      'search_read',
      [
        [
          ['is_company', '=', true],
          ['customer_rank', '>', 0],
        ],
      ],
      { fields: ['image_1920'], limit: 1 },
      'res.partner',
    );
    expect(Buffer.from(partner!.image_1920, 'base64').subarray(1, 4).toString()).toBe('PNG');
    const notes = await call<{ note: string | false }[]>('search_read', [[['note', '!=', false]]], {
      fields: ['note'],
      limit: 1,
    });
    expect(notes[0]!.note).toMatch(/^<p>.*<\/p>$/);
  });

  it('honours active_test', async () => {
    const active = await call<number>('search_count', [[]], {}, 'res.partner');
    const all = await call<number>(
      'search_count',
      [[]],
      { context: { active_test: false } },
      'res.partner',
    );
    const archived = await call<number>(
      'search_count',
      [[['active', '=', false]]],
      {},
      'res.partner',
    );
    expect(all).toBe(active + archived);
    expect(archived).toBeGreaterThan(0);
  });

  it('binds arguments as Python does', async () => {
    expect((await rpcError(call('search', [[]], { count: true }))).message).toBe(
      "BaseModel.search() got an unexpected keyword argument 'count'",
    );
    expect((await rpcError(call('read_group', [[]]))).message).toBe(
      "BaseModel.read_group() missing 2 required positional arguments: 'fields' and 'groupby'",
    );
    expect((await rpcError(call('search', [[], 0], { offset: 1 }))).message).toBe(
      "BaseModel.search() got multiple values for argument 'offset'",
    );
    expect((await rpcError(call('read', []))).name).toBe('builtins.IndexError');
  });

  it('answers exists and context_get', async () => {
    expect(await call('exists', [[1, 999_999]])).toEqual([1]);
    expect(await call('context_get', [], {}, 'res.users')).toEqual({
      lang: 'en_US',
      tz: 'America/Los_Angeles',
      uid: 9,
    });
    expect((await rpcError(call('context_get', []))).name).toBe('builtins.AttributeError');
  });

  it('gives products the currency of their company', async () => {
    const products = await call<Array<{ currency_id: [number, string] }>>(
      'search_read',
      [[]],
      { fields: ['list_price', 'currency_id'], limit: 3 },
      'product.product',
    );
    expect(products.length).toBeGreaterThan(0);
    for (const product of products) {
      expect(product.currency_id).toEqual([1, 'USD']);
    }
  });
});

describe('name_search', () => {
  it('matches reference and name', async () => {
    const results = await call<[number, string][]>(
      'name_search',
      [],
      { name: 'FURN_22', limit: 10 },
      'product.product',
    );
    expect(results.map(([, name]) => name)).toEqual([
      '[FURN_2201] Ergonomic Office Chair',
      '[FURN_2202] Mesh Task Chair',
      '[FURN_2203] Conference Chair',
      '[FURN_2204] Visitor Chair',
    ]);
    const chairs = await call<[number, string][]>(
      'name_search',
      ['chair'],
      { operator: 'ilike', limit: 2 },
      'product.product',
    );
    expect(chairs.length).toBe(2);
  });

  it('honours args and negative operators', async () => {
    const companies = await call<[number, string][]>(
      'name_search',
      ['Studio'],
      { args: [['is_company', '=', true]] },
      'res.partner',
    );
    expect(companies.length).toBeGreaterThan(0);
    expect(companies.every(([, name]) => name.includes('Studio') && !name.includes(','))).toBe(
      true,
    );
    const others = await call<[number, string][]>(
      'name_search',
      ['Studio'],
      { operator: 'not ilike', limit: null },
      'res.partner',
    );
    expect(others.every(([, name]) => !name.includes('Studio'))).toBe(true);
  });

  it('takes domain instead of args in 19.0', async () => {
    const results = await executeKw<unknown[]>(v19, bob(v19), 'res.partner', 'name_search', [], {
      name: 'Studio',
      domain: [['is_company', '=', true]],
    });
    expect(results.length).toBeGreaterThan(0);
    expect(
      (await rpcError(executeKw(v19, bob(v19), 'res.partner', 'name_search', [], { args: [] })))
        .name,
    ).toBe('builtins.TypeError');
  });
});

describe('read_group', () => {
  it('labels each date granularity', async () => {
    const labels: Record<string, RegExp> = {
      day: /^\d{2} [A-Z][a-z]{2} \d{4}$/,
      week: /^W\d{1,2} \d{4}$/,
      month: /^[A-Z][a-z]+ \d{4}$/,
      quarter: /^Q[1-4] \d{4}$/,
      year: /^\d{4}$/,
    };
    for (const [granularity, pattern] of Object.entries(labels)) {
      const groups = await call<Record<string, unknown>[]>('read_group', [
        [],
        ['amount_total:sum'],
        [`date_order:${granularity}`],
      ]);
      expect(groups.length).toBeGreaterThan(0);
      for (const group of groups) {
        expect(group[`date_order:${granularity}`]).toMatch(pattern);
        expect(group.__range).toEqual({
          [`date_order:${granularity}`]: { from: expect.any(String), to: expect.any(String) },
        });
      }
    }
    const days = await call<Record<string, unknown>[]>('read_group', [
      [
        ['date_order', '>=', '2026-11-01'],
        ['date_order', '<', '2026-11-02'],
      ],
      [],
      ['date_order:day'],
    ]);
    expect(days.map((group) => group['date_order:day'])).toEqual(
      days.length === 0 ? [] : ['01 Nov 2026'],
    );
  });

  it('counts match the domains of the groups', async () => {
    const groups = await call<{ __domain: unknown[]; partner_id_count: number }[]>('read_group', [
      [['state', '=', 'sale']],
      ['amount_total'],
      ['partner_id'],
    ]);
    for (const group of groups.slice(0, 5)) {
      expect(await call('search_count', [group.__domain])).toBe(group.partner_id_count);
    }
  });

  it('computes aggregates', async () => {
    const orders = await call<Order[]>('search_read', [[['state', '=', 'sale']]], {
      fields: ['amount_total'],
    });
    const totals = orders.map((order) => order.amount_total);
    const [group] = await call<Record<string, number>[]>('read_group', [
      [['state', '=', 'sale']],
      [
        'amount_total:sum',
        'biggest:max(amount_total)',
        'smallest:min(amount_total)',
        'average:avg(amount_total)',
        'user_id:count_distinct',
      ],
      ['state'],
    ]);
    expect(group!.amount_total).toBeCloseTo(
      totals.reduce((sum, value) => sum + value, 0),
      2,
    );
    expect(group!.biggest).toBe(Math.max(...totals));
    expect(group!.smallest).toBe(Math.min(...totals));
    expect(group!.average).toBeCloseTo(group!.amount_total! / totals.length, 6);
    expect(group!.user_id).toBeGreaterThan(1);
  });

  it('lazy groups carry the next levels', async () => {
    const [first] = await call<Record<string, unknown>[]>('read_group', [
      [],
      ['amount_total:sum'],
      ['state', 'user_id'],
    ]);
    expect(first!.__context).toEqual({ group_by: ['user_id'] });
    expect(first!.state_count).toEqual(expect.any(Number));
  });

  it('sorts, limits and offsets groups', async () => {
    const groups = await call<{ amount_total: number }[]>(
      'read_group',
      [[], ['amount_total:sum'], ['partner_id']],
      { orderby: 'amount_total desc' },
    );
    const totals = groups.map((group) => group.amount_total);
    expect(totals).toEqual([...totals].sort((a, b) => b - a));
    const page = await call<{ amount_total: number }[]>(
      'read_group',
      [[], ['amount_total:sum'], ['partner_id']],
      { orderby: 'amount_total desc', offset: 2, limit: 3 },
    );
    expect(page.map((group) => group.amount_total)).toEqual(totals.slice(2, 5));
  });

  it('groups datetimes in the context time zone', async () => {
    const domain = [
      ['date_order', '>=', '2026-06-01'],
      ['date_order', '<', '2026-07-01'],
    ];
    const [utc] = await call<{ __range: { 'date_order:month': { from: string } } }[]>(
      'read_group',
      [domain, [], ['date_order:month']],
      { orderby: 'date_order' },
    );
    const [pacific] = await call<{ __range: { 'date_order:month': { from: string } } }[]>(
      'read_group',
      [
        [
          ['date_order', '>=', '2026-06-02'],
          ['date_order', '<', '2026-06-30'],
        ],
        [],
        ['date_order:month'],
      ],
      { context: { tz: 'America/Los_Angeles' } },
    );
    expect(utc!.__range['date_order:month'].from).toBe('2026-06-01 00:00:00');
    expect(pacific!.__range['date_order:month'].from).toBe('2026-06-01 07:00:00');
  });

  it('web_read_group answers groups and length', async () => {
    const answer = await call<{ groups: unknown[]; length: number }>(
      'web_read_group',
      [[], ['amount_total:sum'], ['partner_id']],
      { limit: 3 },
    );
    expect(answer.groups.length).toBe(3);
    expect(answer.length).toBeGreaterThan(3);
  });
});

describe('formatted_read_group', () => {
  const call19 = <T>(method: string, args: unknown[], kwargs: Record<string, unknown> = {}) =>
    executeKw<T>(v19, bob(v19), 'sale.order', method, args, kwargs);

  it('returns 19.0 groups', async () => {
    const groups = await call19<Record<string, unknown>[]>('formatted_read_group', [
      [],
      ['date_order:month', 'state'],
      ['amount_total:sum', '__count'],
    ]);
    const group = groups[0]!;
    expect(Object.keys(group)).toEqual([
      'date_order:month',
      'state',
      '__extra_domain',
      'amount_total:sum',
      '__count',
    ]);
    expect(group['date_order:month']).toEqual([
      expect.stringMatching(/^\d{4}-\d{2}-01 00:00:00$/),
      expect.stringMatching(/^[A-Z][a-z]+ \d{4}$/),
    ]);
    expect((group.__extra_domain as unknown[])[0]).toBe('&');
  });

  it('applies having, order and limit', async () => {
    const groups = await call19<Record<string, number>[]>(
      'formatted_read_group',
      [[], ['partner_id'], ['amount_total:sum', '__count']],
      { having: [['__count', '>', 2]], order: 'amount_total:sum desc', limit: 3 },
    );
    expect(groups.length).toBeLessThanOrEqual(3);
    expect(groups.every((group) => group.__count! > 2)).toBe(true);
    const totals = groups.map((group) => group['amount_total:sum']!);
    expect(totals).toEqual([...totals].sort((a, b) => b - a));
  });

  it('web_read_group counts every group', async () => {
    const answer = await call19<{ groups: Record<string, unknown>[]; length: number }>(
      'web_read_group',
      [[]],
      { groupby: ['state'], aggregates: ['amount_total:sum'] },
    );
    expect(answer.groups.every((group) => typeof group.__count === 'number')).toBe(true);
    expect(answer.length).toBe(answer.groups.length);
  });

  it('uses the 19.0 field names', async () => {
    const [user] = await executeKw<Record<string, unknown>[]>(
      v19,
      bob(v19),
      'res.users',
      'read',
      [[9]],
      { fields: ['group_ids', 'all_group_ids'] },
    );
    expect((user!.all_group_ids as number[]).length).toBeGreaterThan(
      (user!.group_ids as number[]).length,
    );
    const renamed = await rpcError(
      executeKw(v19, bob(v19), 'res.users', 'read', [[9]], { fields: ['groups_id'] }),
    );
    expect(renamed.message).toBe("Invalid field 'groups_id' on 'res.users'");
    const error = await rpcError(
      executeKw(v19, bob(v19), 'product.product', 'search_read', [[]], { fields: ['uom_po_id'] }),
    );
    expect(error.message).toBe("Invalid field 'uom_po_id' on 'product.product'");
    const privateMethod = await rpcError(call19('_compute_amounts', [[1]]));
    expect(privateMethod.message).toBe(
      "Private methods (such as 'sale.order._compute_amounts') cannot be called remotely.",
    );
  });
});

describe('web-client helpers', () => {
  it('web_search_read follows nested specifications', async () => {
    const specification = {
      name: {},
      partner_id: { fields: { display_name: {}, country_id: { fields: { code: {} } } } },
      order_line: {
        fields: { product_id: { fields: { display_name: {} } }, price_subtotal: {} },
        limit: 1,
      },
      tag_ids: {},
    };
    const answer = await call<{ length: number; records: Record<string, any>[] }>(
      'web_search_read',
      [[['state', '=', 'sale']]],
      { specification, limit: 2 },
    );
    expect(answer.records.length).toBe(2);
    expect(answer.length).toBe(await call('search_count', [[['state', '=', 'sale']]]));
    const record = answer.records[0]!;
    expect(record.partner_id).toEqual({
      id: expect.any(Number),
      display_name: expect.any(String),
      country_id: expect.anything(),
    });
    expect(record.order_line.length).toBe(1);
    expect(record.order_line[0].product_id).toEqual({
      id: expect.any(Number),
      display_name: expect.any(String),
    });
    expect(Array.isArray(record.tag_ids)).toBe(true);
  });

  it('web_read reads given ids', async () => {
    const records = await call<Record<string, unknown>[]>('web_read', [[1, 2]], {
      specification: { name: {}, partner_id: {} },
    });
    expect(records.map((record) => record.id)).toEqual([1, 2]);
    expect(typeof records[0]!.partner_id).toBe('number');
  });

  it('fields_get filters fields and attributes', async () => {
    const fields = await call<Record<string, Record<string, unknown>>>(
      'fields_get',
      [['name', 'note', 'signature', 'order_line', 'nope']],
      { attributes: ['type', 'sortable', 'groupable'] },
    );
    expect(fields).toEqual({
      name: { groupable: true, sortable: true, type: 'char' },
      signature: { groupable: false, sortable: false, type: 'binary' },
      note: { groupable: true, sortable: true, type: 'html' },
      order_line: { groupable: false, sortable: false, type: 'one2many' },
    });
    const full = await call<Record<string, Record<string, unknown>>>('fields_get', [], {
      allfields: ['order_line'],
    });
    expect(full.order_line).toMatchObject({
      relation: 'sale.order.line',
      relation_field: 'order_id',
      store: true,
    });
    expect(Object.keys(full.order_line!)).not.toContain('aggregator');
    expect(Object.keys(full.order_line!)).toEqual(Object.keys(full.order_line!).sort());
  });
});

describe('series differences', () => {
  it('keeps 17.0 product types and payment states', async () => {
    const v17 = await startDemo('17.0');
    try {
      const storable = await executeKw<{ type: string; detailed_type: string }[]>(
        v17,
        bob(v17),
        'product.product',
        'search_read',
        [[['default_code', '=', 'FURN_2201']]],
        { fields: ['type', 'detailed_type'] },
      );
      expect(storable).toEqual([
        { id: expect.any(Number), type: 'product', detailed_type: 'product' },
      ]);
      const blocked = await executeKw<number>(v17, bob(v17), 'account.move', 'search_count', [
        [['payment_state', '=', 'blocked']],
      ]);
      expect(blocked).toBe(0);
      const error = await rpcError(
        executeKw(v17, bob(v17), 'sale.order', 'has_access', [[1], 'read']),
      );
      expect(error.name).toBe('builtins.AttributeError');
    } finally {
      await v17.close();
    }
  });

  it('uses is_storable and blocked from 18.0', async () => {
    const storable = await call<{ type: string; is_storable: boolean }[]>(
      'search_read',
      [[['default_code', '=', 'FURN_2201']]],
      { fields: ['type', 'is_storable'] },
      'product.product',
    );
    expect(storable).toEqual([{ id: expect.any(Number), type: 'consu', is_storable: true }]);
    expect(
      await call('search_count', [[['payment_state', '=', 'blocked']]], {}, 'account.move'),
    ).toBe(1);
  });
});

describe('routes', () => {
  it('answers 404 for other paths', async () => {
    const answer = await send(v18, '/web/login', undefined, 'GET');
    expect(answer.status).toBe(404);
    expect(answer.contentType).toMatch(/^text\/html/);
    expect((await send(v18, '/web/version', undefined, 'GET')).status).toBe(404);
    expect((await send(v19, '/json/version', undefined, 'GET')).body).toEqual({
      version_info: [19, 0, 0, 'final', 0, ''],
      version: '19.0',
    });
  });

  it('rejects a body that is not JSON', async () => {
    const answer = await send(v18, '/jsonrpc', 'not json');
    expect(answer.status).toBe(400);
    expect(answer.body).toBe('Invalid JSON data');
  });

  it('uses error code 0 on 19.0', async () => {
    const answer = await send(v19, '/jsonrpc', {
      jsonrpc: '2.0',
      method: 'call',
      params: { service: 'nope', method: 'x', args: [] },
      id: 7,
    });
    expect(answer.body).toMatchObject({
      id: 7,
      error: { code: 0, message: 'Odoo Server Error', data: { name: 'builtins.KeyError' } },
    });
  });

  it('serves under a mount path', async () => {
    const { Hono } = await import('hono');
    const parent = new Hono();
    parent.route('/demo/odoo', v18.demo.app);
    const response = await parent.request('/demo/odoo/web/webclient/version_info', {
      method: 'POST',
      body: '{}',
    });
    expect(
      ((await response.json()) as { result: { server_version: string } }).result.server_version,
    ).toBe('18.0');
  });
});
