import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OdooSeries, RunningDemoOdoo } from '../../src/demo/odoo/index.js';
import { executeKw, person, RpcError, startDemo } from './helpers.js';

const demos = new Map<OdooSeries, RunningDemoOdoo>();

beforeAll(async () => {
  for (const series of ['17.0', '18.0', '19.0'] as const) {
    demos.set(series, await startDemo(series));
  }
});

afterAll(async () => {
  await Promise.all([...demos.values()].map((running) => running.close()));
});

/** Calls a method as bob on the demo of `series`. */
function asBob<T>(series: OdooSeries, model: string, method: string, args: unknown[], kwargs = {}) {
  const running = demos.get(series)!;
  return executeKw<T>(running, person(running, 'bob@example.com'), model, method, args, kwargs);
}

/** Sums bob's quants of a product in the locations whose full name starts with `prefix`. */
async function quantSum(series: OdooSeries, productId: number, prefix: string, reserved = false) {
  const quants = await asBob<
    Array<{ location_id: [number, string]; quantity: number; reserved_quantity: number }>
  >(series, 'stock.quant', 'search_read', [[['product_id', '=', productId]]], {
    fields: ['location_id', 'quantity', 'reserved_quantity'],
  });
  return quants
    .filter((quant) => quant.location_id[1].startsWith(prefix))
    .reduce((sum, quant) => sum + quant.quantity - (reserved ? quant.reserved_quantity : 0), 0);
}

/** Finds a product with quants in both warehouses, so that each scope gives another total. */
async function productInBothWarehouses(series: OdooSeries): Promise<number> {
  const groups = await asBob<
    Array<{ product_id: [number, string]; warehouse_id: [number, string] }>
  >(
    series,
    'stock.quant',
    'read_group',
    [[['location_id.usage', '=', 'internal']], ['quantity:sum'], ['product_id', 'warehouse_id']],
    { lazy: false },
  );
  const warehousesOf = new Map<number, Set<number>>();
  for (const group of groups) {
    const ids = warehousesOf.get(group.product_id[0]) ?? new Set<number>();
    ids.add(group.warehouse_id[0]);
    warehousesOf.set(group.product_id[0], ids);
  }
  return [...warehousesOf].find(([, ids]) => ids.size === 2)![0];
}

function forecastOf(series: OdooSeries, productId: number, context: Record<string, unknown>) {
  return asBob<Array<{ qty_available: number; virtual_available: number }>>(
    series,
    'product.product',
    'read',
    [[productId]],
    { fields: ['qty_available', 'virtual_available'], context },
  ).then((rows) => rows[0]!);
}

describe('product quantities by context', () => {
  it.each(['17.0', '18.0', '19.0'] as const)('%s reads its own warehouse key', async (series) => {
    const productId = await productInBothWarehouses(series);
    const chicago = await quantSum(series, productId, 'CHIC/');
    const everywhere = await quantSum(series, productId, '');
    const [ownKey, otherKey] =
      series === '17.0' ? ['warehouse', 'warehouse_id'] : ['warehouse_id', 'warehouse'];
    expect((await forecastOf(series, productId, { [ownKey]: 2 })).qty_available).toBe(chicago);
    expect((await forecastOf(series, productId, { [ownKey]: 'Chicago' })).qty_available).toBe(
      chicago,
    );
    expect((await forecastOf(series, productId, { [otherKey]: 2 })).qty_available).toBe(
      await quantSum(series, productId, 'WH/').then((sf) => sf + chicago),
    );
    expect(everywhere).toBeGreaterThan(chicago);
  });

  it('subtracts reserved quantities for the forecast', async () => {
    const productId = await productInBothWarehouses('18.0');
    const forecast = await forecastOf('18.0', productId, { warehouse_id: [1] });
    expect(forecast.virtual_available).toBe(await quantSum('18.0', productId, 'WH/', true));
  });

  it('counts the locations under a location', async () => {
    const productId = await productInBothWarehouses('18.0');
    const underStock = await quantSum('18.0', productId, 'WH/Stock');
    expect((await forecastOf('18.0', productId, { location: 8 })).qty_available).toBe(underStock);
    expect((await forecastOf('18.0', productId, { location: 'WH/Stock' })).qty_available).toBe(
      underStock,
    );
  });

  it('keeps only the locations inside the warehouse', async () => {
    const productId = await productInBothWarehouses('18.0');
    // Location 12 is CHIC/Stock, outside San Francisco.
    expect(
      (await forecastOf('18.0', productId, { warehouse_id: 1, location: 12 })).qty_available,
    ).toBe(0);
    expect(
      (await forecastOf('18.0', productId, { warehouse_id: 2, location: 12 })).qty_available,
    ).toBe(await quantSum('18.0', productId, 'CHIC/Stock'));
  });

  it('refuses quantities without inventory rights', async () => {
    const running = demos.get('18.0')!;
    const carol = person(running, 'carol@example.com');
    const error = await executeKw(running, carol, 'product.product', 'search_read', [[]], {
      fields: ['virtual_available'],
      limit: 1,
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RpcError);
    expect((error as RpcError).data.message).toContain(
      "You are not allowed to access 'Stock Move' (stock.move) records.",
    );
    const names = await executeKw<unknown[]>(
      running,
      carol,
      'product.product',
      'search_read',
      [[]],
      {
        fields: ['name'],
        limit: 1,
      },
    );
    expect(names).toHaveLength(1);
  });
});

describe('demo people and orders for time zones', () => {
  it("gives bob a time zone and leaves alice's unset", async () => {
    const running = demos.get('17.0')!;
    const alice = person(running, 'alice@example.com');
    expect(await asBob('17.0', 'res.users', 'context_get', [])).toMatchObject({
      tz: 'America/Los_Angeles',
    });
    expect(await executeKw(running, alice, 'res.users', 'context_get', [])).toMatchObject({
      tz: false,
    });
  });

  it('has one order placed in the California evening', async () => {
    const orders = await asBob<Array<{ date_order: string; user_id: [number, string] }>>(
      '19.0',
      'sale.order',
      'search_read',
      [[]],
      { fields: ['date_order', 'user_id'] },
    );
    const evening = orders.filter((order) => order.date_order.slice(11, 13) < '15');
    expect(evening).toHaveLength(1);
    expect(evening[0]!.date_order.slice(11)).toBe('04:30:00');
    expect(evening[0]!.user_id[1]).toBe('Bob Manager');
  });
});
