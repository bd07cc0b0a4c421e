import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDomain } from '../../src/mcp/domain.js';
import { findSalesOrdersTool } from '../../src/mcp/tools/find-sales-orders.js';
import { readRecordsTool } from '../../src/mcp/tools/read-records.js';
import { searchRecordsTool } from '../../src/mcp/tools/search-records.js';
import { wellFormedDomain } from './domain-arbitraries.js';
import {
  type AnyTool,
  type DirectDemo,
  type DirectTools,
  SEARCH_METHODS,
  type SentCall,
  OutcomeTally,
  startDirectDemo,
  type ToolOutcome,
} from './tool-runner.js';

const search = searchRecordsTool as unknown as AnyTool;
const read = readRecordsTool as unknown as AnyTool;
const findOrders = findSalesOrdersTool as unknown as AnyTool;

/** Bob's companies in the demo Odoo: 1 (San Francisco) and 2 (Chicago). */
const BOB_COMPANIES = [1, 2];

const jsonGarbage = fc.jsonValue({ maxDepth: 2 });

/**
 * Picks a value of one of three kinds: one the tool takes (six times in ten), one its schema
 * takes but the tool should reject (three in ten), and one the schema rejects. Most calls
 * then get past the schema, and many reach Odoo.
 */
function argument<T>(kinds: {
  valid: fc.Arbitrary<T>;
  wrong?: fc.Arbitrary<unknown>;
  invalid: fc.Arbitrary<unknown>;
}): fc.Arbitrary<unknown> {
  return fc.oneof(
    { arbitrary: kinds.valid, weight: 6 },
    { arbitrary: kinds.wrong ?? kinds.valid, weight: 3 },
    { arbitrary: fc.oneof(kinds.invalid, jsonGarbage), weight: 1 },
  );
}

const SALE_ORDER_FIELDS = [
  'name',
  'state',
  'amount_total',
  'partner_id',
  'partner_id.name',
  'date_order',
  'display_name',
  'id',
  'order_line',
  'user_id.login',
  'signature',
  'amount_invoiced',
];

const fieldsArgument = argument({
  valid: fc.oneof(
    fc.array(fc.constantFrom(...SALE_ORDER_FIELDS), { minLength: 1, maxLength: 6 }),
    fc.array(fc.constant('name'), { minLength: 98, maxLength: 100 }),
  ),
  wrong: fc.array(
    fc.oneof(
      fc.constantFrom(...SALE_ORDER_FIELDS),
      fc.constantFrom('no_such_field', '__proto__', 'constructor', 'name ', 'Name', '.name'),
      fc.string({ minLength: 1, maxLength: 12 }),
    ),
    { minLength: 1, maxLength: 4 },
  ),
  invalid: fc.oneof(
    fc.array(fc.constant('name'), { minLength: 101, maxLength: 103 }),
    fc.constantFrom([], [''], ['x'.repeat(129)], 'name', [1]),
  ),
});

const STORED_FIELDS = ['name', 'date_order', 'amount_total', 'id', 'partner_id', 'partner_id.name'];
const DIRECTIONS = ['', ' asc', ' DESC', ' desc nulls last', ' NULLS FIRST', '  asc'];

const orderArgument = argument({
  valid: fc
    .array(fc.tuple(fc.constantFrom(...STORED_FIELDS), fc.constantFrom(...DIRECTIONS)), {
      minLength: 1,
      maxLength: 3,
    })
    .map((terms) => terms.map(([field, direction]) => `${field}${direction}`).join(', ')),
  wrong: fc.oneof(
    fc.constantFrom('amount_invoiced', 'invoice_count desc', 'no_such_field', 'Name', 'name.'),
    fc.constantFrom('name; DROP TABLE sale_order', 'id desc, (select 1)', 'name asc --', ' ', ','),
    fc.constantFrom('name,,id', 'name desc desc', '1', 'date_order desc nulls', 'name ascending'),
    fc.string({ minLength: 1, maxLength: 30 }),
  ),
  invalid: fc.constantFrom('', 'a'.repeat(257), ['name']),
});

const limitArgument = argument({
  valid: fc.oneof(fc.integer({ min: 1, max: 200 }), fc.constantFrom(1, 200)),
  invalid: fc.oneof(
    fc.integer({ min: -3, max: 0 }),
    fc.integer({ min: 201, max: 260 }),
    fc.double({ noNaN: true, noDefaultInfinity: true, min: -10, max: 300 }),
    fc.constantFrom('10', 2 ** 53, 1e21),
  ),
});

const offsetArgument = argument({
  valid: fc.oneof(fc.nat(200), fc.constantFrom(2 ** 53 - 1, 1e6)),
  invalid: fc.oneof(fc.integer({ min: -10, max: -1 }), fc.constantFrom(2 ** 53, 1.5, '5')),
});

const companyArgument = argument({
  valid: fc.constantFrom(1, 2, '1', ' 2 ', '002', 'Chicago', 'chicago', 'My Company (Chicago)'),
  wrong: fc.oneof(
    fc.constantFrom(3, 999, 2 ** 31, '99999999999999999999', 'My Company', '%', '_', 'nope', ' '),
    fc.string({ minLength: 1, maxLength: 10 }),
  ),
  invalid: fc.oneof(fc.constantFrom(0, -1, 1.5, ''), fc.string({ minLength: 257, maxLength: 260 })),
});

/** search_records arguments on sale.order, any of them left out. */
const searchArguments = fc.record(
  {
    domain: wellFormedDomain,
    fields: fieldsArgument,
    order: orderArgument,
    limit: limitArgument,
    offset: offsetArgument,
    company: companyArgument,
  },
  { requiredKeys: [] },
);

function searchesOf(sent: SentCall[], model: string): SentCall[] {
  return sent.filter((call) => call.model === model && SEARCH_METHODS.has(call.method));
}

/** Returns the company id a company argument resolves to, when it is given by id. */
function companyIdOf(company: unknown): number | undefined {
  if (typeof company === 'number') {
    return company;
  }
  if (typeof company === 'string' && /^\d+$/.test(company.trim())) {
    return Number(company.trim());
  }
  return undefined;
}

/** Checks that a rejection names its arguments and that nothing reached Odoo's searches. */
function checkRejection(args: Record<string, unknown>, outcome: ToolOutcome, sent: SentCall[]) {
  if (outcome.kind === 'invalid_arguments') {
    expect(sent, 'no Odoo call for arguments the schema rejects').toEqual([]);
    for (const path of outcome.paths) {
      expect(Object.keys(args), `schema issue at "${path}"`).toContain(path.split('.')[0]);
    }
  }
  if (outcome.kind === 'invalid_arguments' || outcome.kind === 'tool_error') {
    expect(searchesOf(sent, 'sale.order'), 'no search for rejected arguments').toEqual([]);
  }
  if (outcome.kind === 'tool_error') {
    expect(outcome.error.message.length).toBeGreaterThan(0);
  }
}

/** Checks that a ToolError names the value it rejects. */
function checkNamesValue(args: Record<string, unknown>, outcome: ToolOutcome): void {
  if (outcome.kind !== 'tool_error') {
    return;
  }
  const { kind, message } = outcome.error;
  if (kind === 'unknown_company' || kind === 'ambiguous_company') {
    const id = companyIdOf(args.company);
    const named = id === undefined ? String(args.company).trim() : `company id ${id}`;
    expect(message).toContain(named);
  }
  if (kind === 'invalid_order') {
    const order = String(args.order);
    const paths = order.split(',').map((term) => term.trim().split(/\s+/)[0] ?? '');
    const named =
      message.includes(JSON.stringify(order)) || paths.some((p) => message.includes(`"${p}"`));
    expect(named, message).toBe(true);
  }
  if (kind === 'unknown_field') {
    const field = /no field "([^"]*)"/.exec(message)?.[1];
    expect(field, message).toBeDefined();
  }
}

/** Checks that Odoo got exactly the requested page, order, fields and company. */
function checkSearchKwargs(args: Record<string, unknown>, sent: SentCall[]): void {
  const [first, ...rest] = searchesOf(sent, 'sale.order');
  // The demo is Odoo 18.0, where one web_search_read returns the page and the total.
  expect(first?.method).toBe('web_search_read');
  const kwargs = first!.kwargs;
  const fieldsRead = Object.keys(kwargs.specification as Record<string, unknown>);
  expect(kwargs.limit).toBe(args.limit ?? 20);
  expect(kwargs.offset).toBe(args.offset ?? 0);
  expect(kwargs.order).toBe(args.order);
  for (const field of (args.fields as string[] | undefined) ?? []) {
    expect(fieldsRead).toContain(field);
  }
  const context = kwargs.context as Record<string, unknown>;
  if (args.company === undefined) {
    expect(context.allowed_company_ids).toBeUndefined();
  } else {
    const [companyId, ...others] = context.allowed_company_ids as number[];
    expect(others).toEqual([]);
    expect(BOB_COMPANIES).toContain(companyId);
    const requestedId = companyIdOf(args.company);
    if (requestedId !== undefined) {
      expect(companyId).toBe(requestedId);
    }
  }
  for (const count of rest) {
    expect(count.method).toBe('search_count');
    expect(count.args[0]).toEqual(first!.args[0]);
    expect(count.kwargs.context).toEqual(context);
  }
}

/** read_records ids: valid ones, repeats, bounds of the schema, and what is no id list. */
const idsArgument = argument({
  valid: fc.oneof(
    fc.array(fc.integer({ min: 1, max: 140 }), { minLength: 1, maxLength: 12 }),
    fc.array(fc.integer({ min: 1, max: 140 }), { minLength: 195, maxLength: 200 }),
  ),
  wrong: fc.oneof(
    fc.array(fc.integer({ min: 1, max: 100_000 }), { minLength: 1, maxLength: 4 }),
    fc.constantFrom([2 ** 31], [2 ** 53 - 1]),
  ),
  invalid: fc.oneof(
    fc.array(fc.integer({ min: -3, max: 0 }), { minLength: 1, maxLength: 3 }),
    fc.array(fc.integer({ min: 1, max: 140 }), { minLength: 201, maxLength: 203 }),
    fc.constantFrom([], [1.5], ['1'], [2 ** 53], null, 5, '1,2', [[1]]),
  ),
});

const readArguments = fc.record(
  {
    model: argument({
      valid: fc.constantFrom('sale.order', 'res.partner'),
      wrong: fc.constantFrom('Sale.Order', 'no.model', 'sale_order'),
      invalid: fc.constantFrom('sale.order ', '', 'sale..order', 'x'.repeat(129)),
    }),
    ids: idsArgument,
    fields: fc.option(fc.constantFrom(['name'], ['name', 'partner_id'], ['display_name']), {
      nil: undefined,
    }),
    company: fc.option(fc.constantFrom(1, 2, 999), { nil: undefined }),
  },
  { requiredKeys: ['model', 'ids'] },
);

/**
 * Checks a read_records outcome: only the requested ids were read, and each of them is in
 * exactly one of the records, missing_ids, hidden_ids and omitted_ids.
 */
function checkRead(args: Record<string, unknown>, outcome: ToolOutcome, sent: SentCall[]): void {
  const model = args.model as string;
  const reads = sent.filter((call) => call.model === model && call.method === 'read');
  if (outcome.kind === 'invalid_arguments' || outcome.kind === 'tool_error') {
    expect(reads, 'no read for rejected ids').toEqual([]);
    return;
  }
  const requested = new Set(args.ids as number[]);
  for (const call of reads) {
    for (const id of call.args[0] as number[]) {
      expect(requested.has(id), `read of id ${id}, which was not requested`).toBe(true);
    }
  }
  for (const call of searchesOf(sent, model)) {
    expect(call.args[0]).toEqual([['id', 'in', [...requested]]]);
  }
  if (outcome.kind !== 'ok') {
    return;
  }
  const result = outcome.structured as {
    records: Array<{ id: number }>;
    missing_ids: number[];
    hidden_ids: number[];
    omitted_ids: number[];
  };
  const reported = [
    ...result.records.map((record) => record.id),
    ...result.missing_ids,
    ...result.hidden_ids,
    ...result.omitted_ids,
  ];
  expect(reported.toSorted((a, b) => a - b)).toEqual([...requested].toSorted((a, b) => a - b));
}

const referenceArgument = (names: string[], ids: number[]) =>
  argument({
    valid: fc.oneof(fc.constantFrom(...ids), fc.constantFrom(...names)),
    wrong: fc.oneof(
      fc.integer({ min: 1, max: 100_000 }),
      fc.string({ minLength: 1, maxLength: 8 }),
      fc.constantFrom('%', '_', ' x ', 'x'.repeat(256)),
    ),
    invalid: fc.constantFrom(0, -1, 1.5, '', '   ', 'x'.repeat(257)),
  });

const dateArgument = argument({
  valid: fc.constantFrom('this month', 'last year', 'last 30 days', '2026-02', '2025', 'today'),
  wrong: fc.oneof(
    fc.constantFrom('0050', '0000-01-01', 'last 2027 years', 'next 9999 years', '9999', 'soon'),
    fc.constantFrom('2026-02-30', '2026-13', 'last 0 days', 'next week please'),
    fc.string({ minLength: 1, maxLength: 12 }),
  ),
  invalid: fc.constantFrom('', '  ', 'x'.repeat(65)),
});

const ORDER_ARGUMENTS = [
  'customer',
  'salesperson',
  'state',
  'date_from',
  'date_to',
  'amount_min',
  'amount_max',
  'product',
  'limit',
  'offset',
  'company',
] as const;

/** Every find_sales_orders argument; a call takes up to three of them. */
const allOrderFilters = fc.record({
  customer: referenceArgument(
    ['Bayside Dental Group', 'bayside', 'Golden Gate', 'Berkeley'],
    [1, 10],
  ),
  salesperson: referenceArgument(['me', ' ME ', 'Alice', 'bob@example.com'], [2, 8, 9]),
  state: argument({
    valid: fc.oneof(
      fc.constantFrom('quotation', 'sent', 'confirmed', 'locked', 'cancelled'),
      fc.subarray(['quotation', 'sent', 'confirmed', 'locked', 'cancelled'], { minLength: 1 }),
    ),
    invalid: fc.oneof(
      fc.constantFrom('sale', 'draft', 'Confirmed', []),
      fc.array(fc.constantFrom('sent', 'confirmed', 'bogus'), { maxLength: 7 }),
    ),
  }),
  date_from: dateArgument,
  date_to: dateArgument,
  amount_min: argument({ valid: fc.integer({ min: -100, max: 50_000 }), invalid: fc.string() }),
  amount_max: argument({ valid: fc.integer({ min: -100, max: 50_000 }), invalid: fc.string() }),
  product: referenceArgument(['Executive Desk', 'FURN_1102', 'Customizable Desk', 'desk'], [5, 9]),
  limit: argument({ valid: fc.integer({ min: 1, max: 100 }), invalid: fc.constantFrom(0, 101) }),
  offset: offsetArgument,
  company: companyArgument,
});

/**
 * find_sales_orders arguments: up to three filters, so that a call often reaches Odoo, since
 * each filter may be one the tool rejects.
 */
const orderFilters = fc
  .tuple(allOrderFilters, fc.subarray([...ORDER_ARGUMENTS], { maxLength: 3 }))
  .map(([all, keys]) => Object.fromEntries(keys.map((key) => [key, all[key]])));

/** The fields whose leaves each filter adds to the search; a dropped filter leaves none. */
const FILTER_FIELDS: Record<string, string[]> = {
  customer: ['partner_id'],
  salesperson: ['user_id'],
  state: ['state', 'locked'],
  date_from: ['date_order'],
  date_to: ['date_order'],
  amount_min: ['amount_total'],
  amount_max: ['amount_total'],
  product: ['order_line.product_id'],
};

const ODOO_DATETIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

function leavesOf(domain: unknown[]): unknown[][] {
  return domain.filter((term): term is unknown[] => Array.isArray(term));
}

/**
 * Checks that the order search contains a leaf for every filter given, so no filter was
 * dropped, and that the date bounds are datetimes Odoo can read.
 */
function checkOrderSearch(args: Record<string, unknown>, sent: SentCall[]): void {
  const searches = searchesOf(sent, 'sale.order');
  expect(searches.length).toBeGreaterThan(0);
  for (const searchCall of searches) {
    const domain = searchCall.args[0] as unknown[];
    expect(() => parseDomain(domain)).not.toThrow();
    const leaves = leavesOf(domain);
    for (const [argument, fields] of Object.entries(FILTER_FIELDS)) {
      if (args[argument] === undefined) {
        continue;
      }
      const matching = leaves.filter((leaf) => fields.includes(leaf[0] as string));
      expect(
        matching.length,
        `a leaf for ${argument} in ${JSON.stringify(domain)}`,
      ).toBeGreaterThan(0);
    }
    for (const leaf of leaves.filter((candidate) => candidate[0] === 'date_order')) {
      expect(leaf[2]).toMatch(ODOO_DATETIME);
    }
  }
}

describe('tool arguments', () => {
  let demo: DirectDemo;
  let alice: DirectTools;
  let bob: DirectTools;

  beforeAll(async () => {
    demo = await startDirectDemo();
    alice = demo.as('alice@example.com');
    bob = demo.as('bob@example.com');
  });

  afterAll(async () => {
    await demo.close();
  });

  it('search with the requested page and fields', async () => {
    const tally = new OutcomeTally();
    await fc.assert(
      fc.asyncProperty(searchArguments, async (partial) => {
        const args = { model: 'sale.order', ...partial };
        const { outcome, sent } = await bob.run(search, args);
        tally.add(outcome);
        checkRejection(args, outcome, sent);
        checkNamesValue(args, outcome);
        if (outcome.kind === 'ok' || outcome.kind === 'odoo_error') {
          checkSearchKwargs(args, sent);
        }
        if (outcome.kind === 'ok') {
          expect(search.outputSchema.safeParse(outcome.structured).success).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
    tally.expectReached(300);
  });

  it('read and report exactly the requested ids', async () => {
    const tally = new OutcomeTally();
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('alice', 'bob'), readArguments, async (who, args) => {
        const person = who === 'alice' ? alice : bob;
        const { outcome, sent } = await person.run(read, args);
        tally.add(outcome);
        checkRejection(args, outcome, sent);
        checkRead(args, outcome, sent);
      }),
      { numRuns: 150 },
    );
    tally.expectReached(150);
  });

  it('keep every sales order filter given', async () => {
    const tally = new OutcomeTally();
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('alice', 'bob'), orderFilters, async (who, args) => {
        const person = who === 'alice' ? alice : bob;
        const { outcome, sent } = await person.run(findOrders, args);
        tally.add(outcome);
        checkRejection(args, outcome, sent);
        if (outcome.kind === 'ok' || outcome.kind === 'odoo_error') {
          checkOrderSearch(args, sent);
        }
        if (outcome.kind === 'ok') {
          expect(findOrders.outputSchema.safeParse(outcome.structured).success).toBe(true);
        }
      }),
      { numRuns: 250 },
    );
    tally.expectReached(250);
  });
});
