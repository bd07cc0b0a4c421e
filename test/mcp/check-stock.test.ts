import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { forecastContext, quantDomain, type StockScope } from '../../src/mcp/domain-tools/stock.js';
import {
  connectDomainTools,
  type DemoStack,
  demoSession,
  startDemoStack,
  stopDemoStack,
  structured,
} from './domain-tool-helpers.js';
import { type Answer, type ConnectedSession, resultText, ScriptedConnection } from './helpers.js';

const BOB = { email: 'bob@example.com', uid: 9 };

const CHICAGO = { id: 2, name: 'Chicago', code: 'CHIC', viewLocationId: 11 };

interface StockOutput {
  products: Array<{
    product: { id: number; name: string };
    on_hand: number;
    reserved: number;
    forecast: number;
    uom: string | null;
    by_location: Array<{
      location: { id: number; name: string };
      on_hand: number;
      reserved: number;
    }>;
    low_stock_reason?: string;
  }>;
  notes: string[];
}

describe('stock scope', () => {
  it('builds the quant domain', () => {
    const scope: StockScope = { warehouses: [CHICAGO], locations: [{ id: 13, name: 'Shelf A' }] };
    expect(quantDomain(scope, [6, 7])).toEqual([
      ['location_id.usage', '=', 'internal'],
      ['product_id', 'in', [6, 7]],
      ['location_id', 'child_of', [11]],
      ['location_id', 'child_of', [13]],
    ]);
    expect(quantDomain({ warehouses: [], locations: [] }, undefined)).toEqual([
      ['location_id.usage', '=', 'internal'],
    ]);
  });

  it('sets both warehouse keys for the forecast', () => {
    const scope: StockScope = { warehouses: [CHICAGO], locations: [{ id: 13, name: 'Shelf A' }] };
    expect(forecastContext(scope, { allowed_company_ids: [2] })).toEqual({
      allowed_company_ids: [2],
      warehouse: [2],
      warehouse_id: [2],
      location: [13],
    });
    expect(forecastContext({ warehouses: [], locations: [] }, {})).toEqual({});
  });
});

describe('check_stock calls', () => {
  let open: ConnectedSession | undefined;

  afterEach(async () => {
    await open?.close();
    open = undefined;
  });

  /** Builds the answer to a product read: the forecast of each product under the call's context. */
  function productRead(forecasts: (context: Record<string, unknown>) => Record<number, number>) {
    const answer: Answer = (call) => {
      const ids = call.args[0] as number[];
      const forecast = forecasts(call.kwargs.context as Record<string, unknown>);
      return ids.map((id) => ({
        id,
        display_name: `Product ${id}`,
        uom_id: [1, 'Units'],
        type: id === 9 ? 'service' : 'consu',
        virtual_available: forecast[id] ?? 0,
      }));
    };
    return answer;
  }

  async function run(
    args: Record<string, unknown>,
    answers: Record<string, Answer>,
    version = '17.0',
  ) {
    const connection = new ScriptedConnection('bob@example.com', answers, version);
    open = await connectDomainTools(connection, BOB);
    const result = await open.client.callTool({ name: 'check_stock', arguments: args });
    return { result, connection };
  }

  it('sums quants per product and location', async () => {
    const groups = [
      {
        product_id: [6, 'Chair'],
        location_id: [12, 'CHIC/Stock'],
        quantity: 30,
        reserved_quantity: 4,
      },
      {
        product_id: [6, 'Chair'],
        location_id: [13, 'CHIC/Stock/Shelf A'],
        quantity: 12.5,
        reserved_quantity: 0,
      },
    ];
    const { result, connection } = await run(
      { product: 'chair', warehouse: 'Chicago' },
      {
        'stock.warehouse.search_read': () => [
          { id: 2, name: 'Chicago', code: 'CHIC', view_location_id: [11, 'CHIC'] },
        ],
        'product.product.name_search': () => [[6, 'Chair']],
        'stock.quant.read_group': () => groups,
        'product.product.read': productRead(() => ({ 6: 38.5 })),
      },
    );
    const [row] = structured<StockOutput>(result).products;
    expect(row).toMatchObject({
      product: { id: 6, name: 'Product 6' },
      on_hand: 42.5,
      reserved: 4,
      forecast: 38.5,
      uom: 'Units',
    });
    expect(row?.by_location.map((entry) => entry.location.name)).toEqual([
      'CHIC/Stock',
      'CHIC/Stock/Shelf A',
    ]);
    const quantCall = connection.calls.find((call) => call.model === 'stock.quant');
    expect(quantCall?.args).toEqual([
      [
        ['location_id.usage', '=', 'internal'],
        ['product_id', 'in', [6]],
        ['location_id', 'child_of', [11]],
      ],
      ['quantity:sum', 'reserved_quantity:sum'],
      ['product_id', 'location_id'],
    ]);
    const read = connection.calls.find((call) => call.method === 'read');
    expect(read?.kwargs.context).toEqual({ warehouse: [2], warehouse_id: [2] });
    expect(resultText(result)).toContain(
      'Product 6 · on hand 42.5 Units · reserved 4 · forecast 38.5 · CHIC/Stock 30, ' +
        'CHIC/Stock/Shelf A 12.5',
    );
  });

  it('shows a named product without stock', async () => {
    const { result } = await run(
      { product: 7 },
      {
        'product.product.search_read': () => [{ id: 7, display_name: 'Lamp' }],
        'stock.quant.read_group': () => [],
        'product.product.read': productRead(() => ({ 7: 0 })),
      },
    );
    expect(structured<StockOutput>(result).products).toMatchObject([
      { product: { id: 7 }, on_hand: 0, reserved: 0, forecast: 0, by_location: [] },
    ]);
  });

  it('checks rules at their location and others against zero', async () => {
    const groups = [
      { product_id: [6, 'A'], location_id: [8, 'WH/Stock'], quantity: 50, reserved_quantity: 0 },
      { product_id: [7, 'B'], location_id: [8, 'WH/Stock'], quantity: 5, reserved_quantity: 5 },
      { product_id: [8, 'C'], location_id: [8, 'WH/Stock'], quantity: 9, reserved_quantity: 0 },
    ];
    const rules = [
      {
        name: 'OP/00001',
        product_id: [6, 'A'],
        location_id: [12, 'CHIC/Stock'],
        product_min_qty: 10,
      },
      { name: 'OP/00002', product_id: [10, 'D'], location_id: [8, 'WH/Stock'], product_min_qty: 5 },
    ];
    const { result, connection } = await run(
      { low_stock_only: true },
      {
        'stock.quant.read_group': () => groups,
        'stock.warehouse.orderpoint.search_read': () => rules,
        'product.product.search': () => [],
        // Everywhere: A 50, B 0, C 9, D 20; at CHIC/Stock (12): A 3; at WH/Stock (8): D 20.
        'product.product.read': productRead((context): Record<number, number> =>
          context.location === 12 ? { 6: 3 } : { 6: 50, 7: 0, 8: 9, 10: 20 },
        ),
      },
    );
    const output = structured<StockOutput>(result);
    expect(output.products.map((row) => [row.product.id, row.low_stock_reason])).toEqual([
      [6, 'forecast 3 at CHIC/Stock is below the minimum 10 of reordering rule OP/00001'],
      [7, 'forecast 0 and no reordering rule'],
    ]);
    const ruleCall = connection.calls.find((call) => call.model === 'stock.warehouse.orderpoint');
    expect(ruleCall?.args).toEqual([[]]);
    expect(output.notes.join('\n')).toContain('Low stock: 1 product is below the minimum');
  });

  it('adds short products without stock or rule', async () => {
    const groups = [
      { product_id: [6, 'A'], location_id: [8, 'WH/Stock'], quantity: 5, reserved_quantity: 0 },
    ];
    const { result, connection } = await run(
      { low_stock_only: true, warehouse: 'Chicago' },
      {
        'stock.warehouse.search_read': () => [
          { id: 2, name: 'Chicago', code: 'CHIC', view_location_id: [11, 'CHIC'] },
        ],
        'stock.quant.read_group': () => groups,
        'stock.warehouse.orderpoint.search_read': () => [],
        'product.product.search': () => [11],
        'product.product.read': productRead(() => ({ 6: 5, 11: -10 })),
      },
      '18.0',
    );
    const output = structured<StockOutput>(result);
    expect(output.products.map((row) => [row.product.id, row.low_stock_reason])).toEqual([
      [11, 'forecast -10 and no reordering rule'],
    ]);
    expect(output.products[0]).toMatchObject({ on_hand: 0, reserved: 0, by_location: [] });
    const search = connection.calls.find((call) => call.method === 'search');
    expect(search?.args[0]).toEqual([
      ['virtual_available', '<', 0],
      ['is_storable', '=', true],
    ]);
    expect(search?.kwargs.context).toEqual({ warehouse: [2], warehouse_id: [2] });
    expect(output.notes.join('\n')).toContain('storable products without any stock included');
  });

  it('lists the shortest products first', async () => {
    const groups = [6, 7, 8].map((id) => ({
      product_id: [id, `P${id}`],
      location_id: [8, 'WH/Stock'],
      quantity: 1,
      reserved_quantity: 0,
    }));
    const rules = [
      { name: 'OP/00001', product_id: [6, 'A'], location_id: [8, 'WH/Stock'], product_min_qty: 5 },
    ];
    const { result } = await run(
      { low_stock_only: true },
      {
        'stock.quant.read_group': () => groups,
        'stock.warehouse.orderpoint.search_read': () => rules,
        'product.product.search': () => [],
        'product.product.read': productRead(() => ({ 6: 4, 7: -3, 8: 0 })),
      },
    );
    const ids = structured<StockOutput>(result).products.map((row) => row.product.id);
    expect(ids).toEqual([7, 6, 8]);
  });

  it('searches storable products by type on 17.0', async () => {
    const { connection } = await run(
      { low_stock_only: true },
      {
        'stock.quant.read_group': () => [],
        'stock.warehouse.orderpoint.search_read': () => [],
        'product.product.search': () => [],
      },
    );
    const search = connection.calls.find((call) => call.method === 'search');
    expect(search?.args[0]).toEqual([
      ['virtual_available', '<', 0],
      ['type', '=', 'product'],
    ]);
  });

  it('pages the products and counts them all', async () => {
    const groups = [6, 7, 8].map((id) => ({
      product_id: [id, `P${id}`],
      location_id: [8, 'WH/Stock'],
      quantity: id,
      reserved_quantity: 0,
    }));
    const answers = {
      'stock.quant.read_group': () => groups,
      'product.product.read': productRead(() => ({ 6: 6, 7: 7, 8: 8 })),
    };
    const first = await run({ limit: 2 }, answers);
    const output = structured<StockOutput & { total: number; next_offset: number | null }>(
      first.result,
    );
    expect(output.products.map((row) => row.product.id)).toEqual([6, 7]);
    expect(output.total).toBe(3);
    expect(output.next_offset).toBe(2);
    const read = first.connection.calls.find((call) => call.method === 'read');
    expect(read?.args[0]).toEqual([6, 7]);
    expect(resultText(first.result).split('\n')[0]).toBe(
      "3 products in all the person's warehouses, 2 shown; next_offset 2.",
    );
    await open?.close();

    const second = await run({ limit: 2, offset: 2 }, answers);
    const rest = structured<StockOutput & { total: number; next_offset: number | null }>(
      second.result,
    );
    expect(rest.products.map((row) => row.product.id)).toEqual([8]);
    expect(rest.next_offset).toBeNull();
    expect(resultText(second.result).split('\n')[0]).toBe(
      "3 products in all the person's warehouses, 1 shown from offset 2; no more.",
    );
  });

  it('pages the low products after checking all', async () => {
    const groups = [6, 7, 8].map((id) => ({
      product_id: [id, `P${id}`],
      location_id: [8, 'WH/Stock'],
      quantity: 1,
      reserved_quantity: 1,
    }));
    const { result } = await run(
      { low_stock_only: true, limit: 1, offset: 1 },
      {
        'stock.quant.read_group': () => groups,
        'stock.warehouse.orderpoint.search_read': () => [],
        'product.product.search': () => [],
        'product.product.read': productRead(() => ({ 6: 0, 7: 3, 8: 0 })),
      },
    );
    const output = structured<StockOutput & { total: number; next_offset: number | null }>(result);
    expect(output.products.map((row) => row.product.id)).toEqual([8]);
    expect(output.total).toBe(2);
    expect(output.next_offset).toBeNull();
    expect(resultText(result).split('\n')[0]).toBe(
      "2 products low on stock in all the person's warehouses, 1 shown from offset 1; no more.",
    );
  });

  it('names each location once', async () => {
    const { result, connection } = await run(
      { location: 'WH/Stock' },
      {
        'stock.location.name_search': () => [
          [8, 'WH/Stock'],
          [9, 'WH/Stock/Shelf 1'],
          [10, 'WH/Stock/Shelf 2'],
          [14, 'WH/Stock/Shelf 2/Small Refrigerator'],
        ],
        'stock.quant.read_group': () => [],
      },
    );
    const quantCall = connection.calls.find((call) => call.model === 'stock.quant');
    expect((quantCall?.args[0] as unknown[]).at(-1)).toEqual(['location_id', 'child_of', [8]]);
    const text = resultText(result);
    expect(text.split('\n')[0]).toBe('No product has stock in WH/Stock.');
    expect(text).not.toContain('Shelf');
  });

  it('names the company of the scope', async () => {
    const { result } = await run(
      { company: 'Chicago' },
      {
        'res.users.read': () => [{ id: 9, company_ids: [1, 2] }],
        'res.company.name_search': () => [[2, 'My Company (Chicago)']],
        'res.company.read': () => [{ id: 2, display_name: 'My Company (Chicago)' }],
        'stock.quant.read_group': () => [],
      },
    );
    expect(resultText(result).split('\n')[0]).toBe(
      'No product has stock in all warehouses of My Company (Chicago).',
    );
  });

  it('rejects an unknown warehouse with the list', async () => {
    const { result, connection } = await run(
      { warehouse: 'Denver' },
      {
        'stock.warehouse.search_read': (call) =>
          (call.args[0] as unknown[]).length === 0
            ? [
                { id: 1, name: 'San Francisco', code: 'WH', view_location_id: [7, 'WH'] },
                { id: 2, name: 'Chicago', code: 'CHIC', view_location_id: [11, 'CHIC'] },
              ]
            : [],
      },
    );
    expect(result.isError).toBe(true);
    expect(resultText(result)).toBe(
      'No warehouse matches "Denver" (argument warehouse). The warehouses are: San Francisco ' +
        '(WH), Chicago (CHIC).',
    );
    expect(connection.calls.some((call) => call.model === 'stock.quant')).toBe(false);
  });

  it('prefers the warehouse whose code is exact', async () => {
    const { connection } = await run(
      { warehouse: 'wh' },
      {
        'stock.warehouse.search_read': () => [
          { id: 1, name: 'San Francisco', code: 'WH', view_location_id: [7, 'WH'] },
          { id: 3, name: 'Warehouse East', code: 'WHE', view_location_id: [20, 'WHE'] },
        ],
        'stock.quant.read_group': () => [],
      },
    );
    const quantCall = connection.calls.find((call) => call.model === 'stock.quant');
    expect((quantCall?.args[0] as unknown[]).at(-1)).toEqual(['location_id', 'child_of', [7]]);
  });
});

describe.each(['17.0', '19.0'] as const)('check_stock on the demo Odoo %s', (version) => {
  let stack: DemoStack;

  beforeAll(async () => {
    stack = await startDemoStack(version);
  });

  afterAll(async () => {
    await stopDemoStack(stack);
  });

  /** Reads the quants in Chicago's internal locations that bob may read. */
  async function chicagoQuants(bob: Awaited<ReturnType<typeof demoSession>>) {
    return bob.connection.executeKw<
      Array<{ product_id: [number, string]; quantity: number; reserved_quantity: number }>
    >(
      'stock.quant',
      'search_read',
      [
        [
          ['warehouse_id.code', '=', 'CHIC'],
          ['location_id.usage', '=', 'internal'],
        ],
      ],
      { fields: ['product_id', 'quantity', 'reserved_quantity'] },
    );
  }

  it('answers how many units are on hand in Chicago', async () => {
    const bob = await demoSession(stack, 'bob@example.com');
    const quants = await chicagoQuants(bob);
    const [productId, productName] = quants[0]!.product_id;
    const code = /^\[([^\]]+)\]/.exec(productName)![1]!;
    const result = await bob.client.callTool({
      name: 'check_stock',
      arguments: { product: code, warehouse: 'Chicago' },
    });
    const [row] = structured<StockOutput>(result).products;
    const own = quants.filter((quant) => quant.product_id[0] === productId);
    const onHand = own.reduce((sum, quant) => sum + quant.quantity, 0);
    const reserved = own.reduce((sum, quant) => sum + quant.reserved_quantity, 0);
    expect(onHand).toBeGreaterThan(0);
    expect(row?.product.id).toBe(productId);
    expect(row?.on_hand).toBe(onHand);
    expect(row?.reserved).toBe(reserved);
    expect(row?.forecast).toBe(onHand - reserved);
    expect(row?.by_location.reduce((sum, entry) => sum + entry.on_hand, 0)).toBe(onHand);
    expect(row?.by_location.every((entry) => entry.location.name.startsWith('CHIC/'))).toBe(true);
  });

  it('reads the forecast of the warehouse only', async () => {
    const bob = await demoSession(stack, 'bob@example.com');
    const result = await bob.client.callTool({
      name: 'check_stock',
      arguments: { warehouse: 'CHIC', limit: 100 },
    });
    const rows = structured<StockOutput>(result).products;
    const ids = rows.map((row) => row.product.id);
    const everywhere = await bob.connection.executeKw<
      Array<{ id: number; virtual_available: number }>
    >('product.product', 'read', [ids], { fields: ['virtual_available'] });
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      expect(row.forecast).toBe(row.on_hand - row.reserved);
    }
    // Most of these products are stocked in San Francisco too, so the totals differ.
    const larger = everywhere.filter(
      (product) =>
        product.virtual_available > rows.find((row) => row.product.id === product.id)!.forecast,
    );
    expect(larger.length).toBeGreaterThan(0);
  });

  it('lists the products below their reordering minimum', async () => {
    const bob = await demoSession(stack, 'bob@example.com');
    const result = await bob.client.callTool({
      name: 'check_stock',
      arguments: { low_stock_only: true, warehouse: 'San Francisco' },
    });
    const output = structured<StockOutput>(result);
    const rules = await bob.connection.executeKw<
      Array<{
        product_id: [number, string];
        location_id: [number, string];
        product_min_qty: number;
      }>
    >('stock.warehouse.orderpoint', 'search_read', [[['warehouse_id.code', '=', 'WH']]], {
      fields: ['product_id', 'location_id', 'product_min_qty'],
    });
    const below: number[] = [];
    for (const rule of rules) {
      const [product] = await bob.connection.executeKw<Array<{ virtual_available: number }>>(
        'product.product',
        'read',
        [[rule.product_id[0]]],
        { fields: ['virtual_available'], context: { location: rule.location_id[0] } },
      );
      if (product!.virtual_available < rule.product_min_qty) {
        below.push(rule.product_id[0]);
      }
    }
    const byRule = output.products.filter((row) =>
      row.low_stock_reason?.includes('reordering rule OP/'),
    );
    expect(below.length).toBeGreaterThan(0);
    expect(byRule.map((row) => row.product.id).sort()).toEqual(below.sort());
    expect(output.notes.join('\n')).toContain('stock.warehouse.orderpoint');
  });

  it('finds a short product without stock or rule', async () => {
    const bob = await demoSession(stack, 'bob@example.com');
    const result = await bob.client.callTool({
      name: 'check_stock',
      arguments: { low_stock_only: true, limit: 100 },
    });
    const output = structured<StockOutput>(result);
    const negative = await bob.connection.executeKw<
      Array<{ id: number; qty_available: number; virtual_available: number }>
    >('product.product', 'search_read', [[['virtual_available', '<', 0]]], {
      fields: ['qty_available', 'virtual_available'],
    });
    expect(negative.length).toBeGreaterThan(0);
    for (const product of negative) {
      const row = output.products.find((candidate) => candidate.product.id === product.id);
      expect(row?.forecast).toBe(product.virtual_available);
      expect(row?.on_hand).toBe(product.qty_available);
    }
    const trolley = output.products.find((row) => row.product.name.includes('Archive Trolley'));
    expect(trolley).toMatchObject({ on_hand: 0, forecast: -10, by_location: [] });
    expect(trolley?.low_stock_reason).toBe('forecast -10 and no reordering rule');
  });

  it('lists unstocked products only when more is promised', async () => {
    const bob = await demoSession(stack, 'bob@example.com');
    const result = await bob.client.callTool({
      name: 'check_stock',
      arguments: { low_stock_only: true, warehouse: 'Chicago', limit: 100 },
    });
    const output = structured<StockOutput & { total: number }>(result);
    const stocked = new Set((await chicagoQuants(bob)).map((quant) => quant.product_id[0]));
    const unstockedRows = output.products.filter((row) => !stocked.has(row.product.id));
    // Without stock in Chicago, a product is low by a reordering rule or by a negative forecast.
    for (const row of unstockedRows) {
      const reason = (row as { low_stock_reason?: string }).low_stock_reason ?? '';
      const byRule = reason.includes('reordering rule') && !reason.includes('no reordering rule');
      expect(byRule || row.forecast < 0, `${row.product.name}: ${reason}`).toBe(true);
    }
    expect(output.total).toBe(output.products.length);
    expect(
      output.products.every((row) =>
        row.by_location.every((entry) => entry.location.name.startsWith('CHIC/')),
      ),
    ).toBe(true);
  });

  it('tells how many products have stock', async () => {
    const bob = await demoSession(stack, 'bob@example.com');
    const result = await bob.client.callTool({ name: 'check_stock', arguments: { limit: 5 } });
    const output = structured<StockOutput & { total: number; next_offset: number | null }>(result);
    const quants = await bob.connection.executeKw<Array<{ product_id: [number, string] }>>(
      'stock.quant',
      'search_read',
      [[['location_id.usage', '=', 'internal']]],
      { fields: ['product_id'] },
    );
    const products = new Set(quants.map((quant) => quant.product_id[0]));
    expect(output.products).toHaveLength(5);
    expect(output.total).toBe(products.size);
    expect(output.next_offset).toBe(5);
    expect(resultText(result).split('\n')[0]).toBe(
      `${products.size} products in all the person's warehouses, 5 shown; next_offset 5.`,
    );
  });

  it("shows carol Odoo's access error", async () => {
    const carol = await demoSession(stack, 'carol@example.com');
    const result = await carol.client.callTool({
      name: 'check_stock',
      arguments: { product: 'desk' },
    });
    expect(result.isError).toBe(true);
    expect(resultText(result)).toContain(
      "You are not allowed to access 'Stock Move' (stock.move) records.",
    );
  });

  it('rejects an unknown product', async () => {
    const bob = await demoSession(stack, 'bob@example.com');
    const result = await bob.client.callTool({
      name: 'check_stock',
      arguments: { product: 'Hoverboard' },
    });
    expect(result.isError).toBe(true);
    expect(resultText(result)).toContain('No product matches "Hoverboard" (argument product).');
  });
});
