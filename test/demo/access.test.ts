import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDemoOdoo, type RunningDemoOdoo } from '../../src/demo/odoo/index.js';
import { demoApiKey } from '../../src/demo/odoo/people.js';
import { executeKw, person, rpcError, send, startDemo, TODAY } from './helpers.js';

let running: RunningDemoOdoo;

beforeAll(async () => {
  running = await startDemo('18.0');
});

afterAll(async () => {
  await running.close();
});

const alice = () => person(running, 'alice@example.com');
const bob = () => person(running, 'bob@example.com');
const carol = () => person(running, 'carol@example.com');
const admin = () => person(running, 'admin');

type Order = { id: number; user_id: [number, string] | false; company_id: [number, string] };

async function allOrders(): Promise<Order[]> {
  return executeKw<Order[]>(running, bob(), 'sale.order', 'search_read', [[]], {
    fields: ['user_id', 'company_id'],
  });
}

describe('people', () => {
  it('have the recorded uids', () => {
    const uids = Object.fromEntries(running.demo.people.map((entry) => [entry.login, entry.uid]));
    expect(uids).toEqual({
      admin: 2,
      'alice@example.com': 8,
      'bob@example.com': 9,
      'carol@example.com': 10,
      'dave@example.com': 11,
      'pat@example.com': 12,
    });
  });

  it('marks the portal user as a share user', async () => {
    const pat = running.demo.people.find((entry) => entry.login === 'pat@example.com')!;
    const response = await fetch(new URL('jsonrpc', running.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        jsonrpc: '2.0',
        method: 'call',
        id: 1,
        params: {
          service: 'object',
          method: 'execute_kw',
          args: [
            running.demo.db,
            pat.uid,
            pat.apiKey,
            'res.users',
            'read',
            [[pat.uid]],
            { fields: ['share'] },
          ],
        },
      }),
    });
    const body = (await response.json()) as { result: Array<{ share: boolean }> };
    expect(body.result[0]?.share).toBe(true);
  });

  it('have stable 40-digit API keys', () => {
    for (const entry of running.demo.people) {
      expect(entry.apiKey).toMatch(/^[0-9a-f]{40}$/);
      expect(entry.apiKey).toBe(demoApiKey(entry.login));
    }
    const again = createDemoOdoo({ today: TODAY });
    expect(again.people.map((entry) => entry.apiKey)).toEqual(
      running.demo.people.map((entry) => entry.apiKey),
    );
  });

  it('authenticate with password or key', async () => {
    for (const entry of [alice(), bob(), carol(), admin()]) {
      for (const secret of [entry.password, entry.apiKey]) {
        const answer = await send(running, '/jsonrpc', {
          jsonrpc: '2.0',
          method: 'call',
          params: {
            service: 'common',
            method: 'authenticate',
            args: [running.demo.db, entry.login, secret, {}],
          },
          id: 1,
        });
        expect((answer.body as { result: unknown }).result).toBe(entry.uid);
      }
    }
  });

  it('dave does not authenticate', async () => {
    const dave = person(running, 'dave@example.com');
    for (const method of ['authenticate', 'login']) {
      const args = [running.demo.db, dave.login, dave.apiKey, {}].slice(
        0,
        method === 'login' ? 3 : 4,
      );
      const answer = await send(running, '/jsonrpc', {
        jsonrpc: '2.0',
        method: 'call',
        params: { service: 'common', method, args },
        id: 1,
      });
      expect((answer.body as { result: unknown }).result).toBe(false);
    }
    const error = await rpcError(executeKw(running, dave, 'res.partner', 'search_count', [[]]));
    expect(error).toEqual({
      ...error,
      name: 'odoo.exceptions.AccessDenied',
      message: 'Access Denied',
    });
  });

  it('empty password is AccessDenied before the uid', async () => {
    const nobody = { ...alice(), uid: 999, apiKey: '' };
    const error = await rpcError(executeKw(running, nobody, 'res.partner', 'search_count', [[]]));
    expect(error.name).toBe('odoo.exceptions.AccessDenied');
  });
});

describe('sale.order record rules', () => {
  it('alice counts her orders and unassigned ones', async () => {
    const orders = await allOrders();
    const expected = orders.filter(
      (order) => order.user_id === false || order.user_id[0] === alice().uid,
    );
    const count = await executeKw<number>(running, alice(), 'sale.order', 'search_count', [[]]);
    expect(count).toBe(expected.length);
    expect(expected.filter((order) => order.user_id !== false).length).toBeGreaterThanOrEqual(5);
    expect(expected.some((order) => order.user_id === false)).toBe(true);
  });

  it('bob counts every order', async () => {
    const count = await executeKw<number>(running, bob(), 'sale.order', 'search_count', [[]]);
    const adminCount = await executeKw<number>(running, admin(), 'sale.order', 'search_count', [
      [],
    ]);
    expect(count).toBe((await allOrders()).length);
    expect(count).toBe(adminCount);
  });

  it('alice reading a bob order raises', async () => {
    const bobOrder = (await allOrders()).find(
      (order) => order.user_id !== false && order.user_id[0] === bob().uid,
    )!;
    const error = await rpcError(
      executeKw(running, alice(), 'sale.order', 'read', [[bobOrder.id]], { fields: ['name'] }),
    );
    expect(error.name).toBe('odoo.exceptions.AccessError');
    expect(error.message).toBe(
      'Uh-oh! Looks like you have stumbled upon some top-secret records.\n\n' +
        "Sorry, Alice Sales (id=8) doesn't have 'read' access to:\n- Sales Order (sale.order)\n\n" +
        'If you really, really need access, perhaps you can win over your friendly administrator ' +
        'with a batch of freshly baked cookies.',
    );
  });

  it('rules filter read_group and name_search silently', async () => {
    const groups = await executeKw<{ __count: number }[]>(
      running,
      alice(),
      'sale.order',
      'read_group',
      [[], [], ['user_id']],
      { lazy: false },
    );
    const count = await executeKw<number>(running, alice(), 'sale.order', 'search_count', [[]]);
    expect(groups.reduce((sum, group) => sum + group.__count, 0)).toBe(count);
    const names = await executeKw<[number, string][]>(
      running,
      alice(),
      'sale.order',
      'name_search',
      [],
      { name: 'S0', limit: 500 },
    );
    expect(names.length).toBe(count);
  });

  it('alice sees order lines of her orders only', async () => {
    const lines = await executeKw<{ salesman_id: [number, string] | false }[]>(
      running,
      alice(),
      'sale.order.line',
      'search_read',
      [[]],
      { fields: ['salesman_id'] },
    );
    expect(lines.length).toBeGreaterThan(0);
    expect(
      lines.every((line) => line.salesman_id === false || line.salesman_id[0] === alice().uid),
    ).toBe(true);
  });
});

describe('model access rights', () => {
  it('carol cannot read sale.order or account.move', async () => {
    const sales = await rpcError(
      executeKw(running, carol(), 'sale.order', 'search_read', [[]], { fields: ['name'] }),
    );
    expect(sales.name).toBe('odoo.exceptions.AccessError');
    expect(sales.message).toMatch(
      /^You are not allowed to access 'Sales Order' \(sale\.order\) records\./,
    );
    expect(sales.message).toContain('\t- Sales/User: Own Documents Only\n');
    const moves = await rpcError(executeKw(running, carol(), 'account.move', 'search_count', [[]]));
    expect(moves.name).toBe('odoo.exceptions.AccessError');
    expect(moves.message).toMatch(
      /^You are not allowed to access 'Journal Entry' \(account\.move\) records\./,
    );
  });

  it('carol reads contacts and quants', async () => {
    const partners = await executeKw<unknown[]>(
      running,
      carol(),
      'res.partner',
      'search_read',
      [[]],
      { fields: ['name'], limit: 5 },
    );
    expect(partners.length).toBe(5);
    const quants = await executeKw<number>(running, carol(), 'stock.quant', 'search_count', [[]]);
    expect(quants).toBeGreaterThan(0);
  });

  it('only administrators read ir.model', async () => {
    const models = await executeKw<unknown[]>(
      running,
      admin(),
      'ir.model',
      'search_read',
      [[['model', '=', 'sale.order']]],
      { fields: ['name'] },
    );
    expect(models).toEqual([{ id: expect.any(Number), name: 'Sales Order' }]);
    for (const model of ['ir.model', 'ir.model.fields']) {
      const error = await rpcError(executeKw(running, bob(), model, 'search_count', [[]]));
      expect(error.message).toContain('\t- Administration/Access Rights\n');
    }
  });

  it('refuses every change', async () => {
    const write = await rpcError(
      executeKw(running, admin(), 'res.partner', 'write', [[1], { name: 'x' }]),
    );
    expect(write.message).toBe(
      "You are not allowed to modify 'Contact' (res.partner) records.\n\n" +
        'No group currently allows this operation.\n\nContact your administrator to request access if necessary.',
    );
    const create = await rpcError(
      executeKw(running, bob(), 'sale.order', 'create', [{ partner_id: 10 }]),
    );
    expect(create.message).toMatch(/^You are not allowed to create 'Sales Order'/);
    const unlink = await rpcError(executeKw(running, bob(), 'sale.order', 'unlink', [[1]]));
    expect(unlink.message).toMatch(/^You are not allowed to delete 'Sales Order'/);
  });

  it('check_access_rights and has_access agree', async () => {
    expect(
      await executeKw(running, carol(), 'sale.order', 'check_access_rights', ['read'], {
        raise_exception: false,
      }),
    ).toBe(false);
    expect(
      await executeKw(running, alice(), 'sale.order', 'check_access_rights', ['write'], {
        raise_exception: false,
      }),
    ).toBe(false);
    expect(await executeKw(running, alice(), 'sale.order', 'has_access', [[], 'read'])).toBe(true);
    expect(await executeKw(running, bob(), 'sale.order', 'check_access', [[1], 'read'])).toBe(null);
  });
});

describe('multi-company', () => {
  it('allowed_company_ids hides other companies', async () => {
    const orders = await allOrders();
    const inSanFrancisco = orders.filter((order) => order.company_id[0] === 1).length;
    expect(inSanFrancisco).toBeLessThan(orders.length);
    const count = await executeKw<number>(running, bob(), 'sale.order', 'search_count', [[]], {
      context: { allowed_company_ids: [1] },
    });
    expect(count).toBe(inSanFrancisco);
  });

  it('an id of another company raises', async () => {
    const chicago = (await allOrders()).find((order) => order.company_id[0] === 2)!;
    const error = await rpcError(
      executeKw(running, bob(), 'sale.order', 'read', [[chicago.id]], {
        fields: ['name'],
        context: { allowed_company_ids: [1] },
      }),
    );
    expect(error.name).toBe('odoo.exceptions.AccessError');
    expect(error.message).toMatch(
      /^Uh-oh! Looks like you have stumbled upon some top-secret records\./,
    );
  });

  it('carol sees San Francisco stock only', async () => {
    const all = await executeKw<{ id: number; company_id: [number, string] }[]>(
      running,
      bob(),
      'stock.quant',
      'search_read',
      [[]],
      { fields: ['company_id'] },
    );
    const visible = await executeKw<number>(running, carol(), 'stock.quant', 'search_count', [[]]);
    expect(visible).toBe(all.filter((quant) => quant.company_id[0] === 1).length);
    const chicago = all.find((quant) => quant.company_id[0] === 2)!;
    const error = await rpcError(
      executeKw(running, carol(), 'stock.quant', 'read', [[chicago.id]], { fields: ['quantity'] }),
    );
    expect(error.name).toBe('odoo.exceptions.AccessError');
  });

  it('a company the user lacks raises', async () => {
    const error = await rpcError(
      executeKw(running, carol(), 'res.partner', 'search_count', [[]], {
        context: { allowed_company_ids: [2] },
      }),
    );
    expect(error).toEqual({
      ...error,
      name: 'odoo.exceptions.AccessError',
      message: 'Access to unauthorized or invalid companies.',
    });
  });
});

describe('demo data', () => {
  it('has dozens of customers', async () => {
    const customers = await executeKw<number>(running, bob(), 'res.partner', 'search_count', [
      [['customer_rank', '>', 0]],
    ]);
    expect(customers).toBeGreaterThanOrEqual(30);
    const contacts = await executeKw<number>(running, bob(), 'res.partner', 'search_count', [
      [['parent_id.is_company', '=', true]],
    ]);
    expect(contacts).toBeGreaterThanOrEqual(30);
  });

  it('has 100-140 orders over months', async () => {
    const orders = await executeKw<{ state: string; date_order: string }[]>(
      running,
      bob(),
      'sale.order',
      'search_read',
      [[]],
      { fields: ['state', 'date_order'] },
    );
    expect(orders.length).toBeGreaterThanOrEqual(100);
    expect(orders.length).toBeLessThanOrEqual(140);
    expect(new Set(orders.map((order) => order.state))).toEqual(
      new Set(['draft', 'sent', 'sale', 'cancel']),
    );
    expect(
      new Set(orders.map((order) => order.date_order.slice(0, 7))).size,
    ).toBeGreaterThanOrEqual(10);
    const today = TODAY.toISOString().slice(0, 10);
    const yearAgo = new Date(TODAY.getTime() - 366 * 86_400_000).toISOString().slice(0, 10);
    expect(orders.every((order) => order.date_order < today && order.date_order > yearAgo)).toBe(
      true,
    );
  });

  it('has order totals from their lines', async () => {
    type Totals = {
      id: number;
      amount_untaxed: number;
      amount_tax: number;
      amount_total: number;
      order_line: number[];
    };
    const orders = await executeKw<Totals[]>(running, bob(), 'sale.order', 'search_read', [[]], {
      fields: ['amount_untaxed', 'amount_tax', 'amount_total', 'order_line'],
    });
    const lines = await executeKw<{ id: number; price_subtotal: number; price_tax: number }[]>(
      running,
      bob(),
      'sale.order.line',
      'search_read',
      [[]],
      { fields: ['price_subtotal', 'price_tax'] },
    );
    const byId = new Map(lines.map((line) => [line.id, line]));
    for (const order of orders) {
      const subtotal = order.order_line.reduce((sum, id) => sum + byId.get(id)!.price_subtotal, 0);
      expect(order.amount_untaxed).toBeCloseTo(subtotal, 2);
      expect(order.amount_total).toBeCloseTo(order.amount_untaxed + order.amount_tax, 2);
    }
  });

  it('has overdue posted invoices', async () => {
    const overdue = await executeKw<number>(running, bob(), 'account.move', 'search_count', [
      [
        ['move_type', '=', 'out_invoice'],
        ['state', '=', 'posted'],
        ['payment_state', 'in', ['not_paid', 'partial']],
        ['invoice_date_due', '<', TODAY.toISOString().slice(0, 10)],
      ],
    ]);
    expect(overdue).toBeGreaterThanOrEqual(3);
    const drafts = await executeKw<{ name: string; display_name: string }[]>(
      running,
      bob(),
      'account.move',
      'search_read',
      [[['state', '=', 'draft']]],
      { fields: ['name', 'display_name'] },
    );
    expect(drafts.length).toBe(2);
    expect(drafts[0]!.name).toBe('/');
    expect(drafts[0]!.display_name).toMatch(/^Draft Invoice \(\* \d+\)$/);
    const types = await executeKw<{ move_type: string }[]>(
      running,
      bob(),
      'account.move',
      'read_group',
      [[], [], ['move_type']],
    );
    expect(types.map((group) => group.move_type).sort()).toEqual([
      'in_invoice',
      'in_refund',
      'out_invoice',
      'out_refund',
    ]);
  });

  it('has quants in both warehouses', async () => {
    const groups = await executeKw<{ warehouse_id: [number, string]; quantity: number }[]>(
      running,
      bob(),
      'stock.quant',
      'read_group',
      [[['location_id.usage', '=', 'internal']], ['quantity:sum'], ['warehouse_id']],
    );
    expect(groups.map((group) => group.warehouse_id[1])).toEqual(['San Francisco', 'Chicago']);
    expect(groups.every((group) => group.quantity > 0)).toBe(true);
    const rules = await executeKw<{ qty_to_order: number }[]>(
      running,
      bob(),
      'stock.warehouse.orderpoint',
      'search_read',
      [[]],
      { fields: ['qty_to_order'] },
    );
    expect(rules.some((rule) => rule.qty_to_order > 0)).toBe(true);
  });

  it('is the same on every build', async () => {
    const readOrders = async (demo: ReturnType<typeof createDemoOdoo>) => {
      const bobAgain = demo.people.find((entry) => entry.login === 'bob@example.com')!;
      const params = {
        service: 'object',
        method: 'execute_kw',
        args: [demo.db, bobAgain.uid, bobAgain.apiKey, 'sale.order', 'search_read', [[]], {}],
      };
      const body = JSON.stringify({ jsonrpc: '2.0', method: 'call', params, id: 1 });
      const response = await demo.app.request('/jsonrpc', { method: 'POST', body });
      return response.text();
    };
    const first = await readOrders(createDemoOdoo({ today: TODAY }));
    const second = await readOrders(createDemoOdoo({ today: TODAY }));
    expect(first.length).toBeGreaterThan(10_000);
    expect(second).toBe(first);
  });
});
