import { z } from 'zod';
import { companyContext } from '../company.js';
import {
  DEFAULT_PAGE_LIMIT,
  pageLimitArgument,
  recordReferenceArgument,
} from '../domain-tools/arguments.js';
import { formatQuantity, joinLine, pageSummary, referenceSchema } from '../domain-tools/format.js';
import { describeFound, idsOf, lookupRecords } from '../domain-tools/lookup.js';
import { linkMaker } from '../domain-tools/page.js';
import {
  findWarehouses,
  forecastContext,
  type LowStockReason,
  lowStockReasons,
  outermostLocations,
  type ProductStock,
  type QuantTotals,
  quantDomain,
  quantTotals,
  readProducts,
  readReorderRules,
  type ReorderRule,
  shortfall,
  shortProductIds,
  type StockScope,
} from '../domain-tools/stock.js';
import { ToolError } from '../errors.js';
import { joinResultText } from '../records.js';
import { companyArgument, nextOffsetSchema, notesSchema, offsetArgument } from '../schemas.js';
import type { ToolCall, ToolDefinition, ToolRunResult } from '../tool.js';

/**
 * Maximum number of products whose forecast one call reads. With low_stock_only, every
 * candidate is read.
 */
export const MAX_STOCK_PRODUCTS = 500;

const inputSchema = z.object({
  product: recordReferenceArgument(
    'Product: part of its name, its internal reference (such as "FURN_2201") or its barcode. ' +
      'Omit it to list every product with stock in the warehouse or location.',
  ).optional(),
  warehouse: recordReferenceArgument(
    'Warehouse, by name (such as "Chicago") or short code (such as "CHIC").',
  ).optional(),
  location: recordReferenceArgument(
    'Stock location, by full name (such as "WH/Stock/Shelf 1") or barcode; the locations ' +
      'under it count too.',
  ).optional(),
  low_stock_only: z
    .boolean()
    .optional()
    .describe(
      'Only products low on stock: forecast below the minimum of a reordering rule, or, for ' +
        'products without one, a forecast of zero or less, which includes storable products ' +
        'with no stock at all.',
    ),
  limit: pageLimitArgument.optional(),
  offset: offsetArgument.optional(),
  company: companyArgument.optional(),
});

const locationStockSchema = z.object({
  location: referenceSchema,
  on_hand: z.number(),
  reserved: z.number(),
});

const productStockSchema = z.object({
  product: referenceSchema,
  on_hand: z.number().describe('Quantity in internal locations of the scope (stock.quant).'),
  reserved: z.number().describe('Part of on_hand reserved for transfers (reserved_quantity).'),
  forecast: z
    .number()
    .describe(
      "Odoo's forecasted quantity (virtual_available): on hand plus incoming less outgoing.",
    ),
  uom: z.string().nullable().describe('Unit of measure of the quantities, such as "Units".'),
  by_location: z.array(locationStockSchema).describe('Quantities per internal location.'),
  low_stock_reason: z
    .string()
    .optional()
    .describe('With low_stock_only: why the product counts as low on stock.'),
  link: z.string().describe('The product in the Odoo web client.'),
});

const outputSchema = z.object({
  products: z.array(productStockSchema),
  total: z.number().int().describe('How many products match in all.'),
  next_offset: nextOffsetSchema,
  notes: notesSchema,
});

type CheckStockInput = z.output<typeof inputSchema>;
type CheckStockOutput = z.output<typeof outputSchema>;
type ProductStockOutput = z.output<typeof productStockSchema>;

export const checkStockTool: ToolDefinition<typeof inputSchema, typeof outputSchema> = {
  name: 'check_stock',
  title: 'Check stock of products',
  description:
    'Show how much of a product is on hand, reserved and forecast, in total and per location, ' +
    'in one warehouse or location or in all of them; or list the products low on stock, ' +
    'shortest first. Lists come one page at a time, with the total. ' +
    "Quantities are in the product's unit of measure. People without inventory rights get " +
    "Odoo's access error. Every filter given must match something: an unknown product, " +
    'warehouse or location is an error, never ignored. Example: "how many office chairs are ' +
    'in the Chicago warehouse?" is product "office chair", warehouse "Chicago"; "what must we ' +
    'reorder?" is low_stock_only true.',
  inputSchema,
  outputSchema,
  run: checkStock,
};

async function checkStock(
  args: CheckStockInput,
  call: ToolCall,
): Promise<ToolRunResult<CheckStockOutput>> {
  call.audit.model = 'stock.quant';
  const context = await companyContext(call, args.company);
  const notes: string[] = [];
  const scope = await stockScope(args, call, context);
  const productIds = await productFilter(args, call, context, notes);
  const quants = await quantTotals(call, quantDomain(scope, productIds), context);
  const rules = args.low_stock_only ? await readReorderRules(call, scope, productIds, context) : [];

  // Odoo may reject the forecast (it reads stock.move), and the error hint names the audited
  // model.
  call.audit.model = 'product.product';
  const forecast = forecastContext(scope, context);
  const short =
    args.low_stock_only && productIds === undefined
      ? await shortProductIds(call, forecast, MAX_STOCK_PRODUCTS + 1)
      : [];
  const candidates = candidateIds(productIds, quants, [...rules.map(ruleProduct), ...short]);
  const page = { offset: args.offset ?? 0, limit: args.limit ?? DEFAULT_PAGE_LIMIT };
  const toRead = productsToRead(candidates, args, page);
  const products = await readProducts(call, toRead, forecast);
  const reasons = args.low_stock_only
    ? await lowStockReasons(call, withoutServices(products), rules, context)
    : undefined;

  const link = await linkMaker(call, 'product.product');
  const rows = stockRows(toRead, products, quants, reasons, link);
  const result =
    reasons === undefined
      ? listedPage(rows, candidates.length, page.offset)
      : lowStockPage(rows, reasons, page);
  notes.push(...stockNotes(reasons));
  const summary = stockSummary(result, page.offset, scope, args.low_stock_only === true);
  const text = joinResultText([summary, result.products.map(productLine).join('\n')], notes);
  return { structured: { ...result, notes }, text, recordCount: result.products.length };
}

/** The offset and limit of the page asked for. */
interface PageWindow {
  offset: number;
  limit: number;
}

function ruleProduct(rule: ReorderRule): number {
  return rule.productId;
}

/**
 * Returns the products whose forecast is read: the page's, or every candidate for
 * low_stock_only, which must check them all before it can pick.
 */
function productsToRead(candidates: number[], args: CheckStockInput, page: PageWindow): number[] {
  if (!args.low_stock_only) {
    return candidates.slice(page.offset, page.offset + page.limit);
  }
  if (candidates.length > MAX_STOCK_PRODUCTS) {
    throw new ToolError(
      'invalid_value',
      `${candidates.length} products have stock, reordering rules or a forecast of zero or ` +
        `less here, more than the ${MAX_STOCK_PRODUCTS} whose forecast one call reads; narrow ` +
        'with product, warehouse or location.',
    );
  }
  return candidates;
}

/** One page of check_stock's result, before the notes. */
type StockPage = Omit<CheckStockOutput, 'notes'>;

/** Builds the page of a plain listing: the rows read are the page, and every candidate counts. */
function listedPage(rows: ProductStockOutput[], candidates: number, offset: number): StockPage {
  const end = offset + rows.length;
  return { products: rows, total: candidates, next_offset: end < candidates ? end : null };
}

/**
 * Builds the page of low_stock_only: every candidate was checked, and the low ones are sorted
 * furthest below their threshold first (see `shortfall`), then by name, and cut to the page.
 */
function lowStockPage(
  rows: ProductStockOutput[],
  reasons: Map<number, LowStockReason>,
  page: PageWindow,
): StockPage {
  const margin = (row: ProductStockOutput) => shortfall(reasons.get(row.product.id)!);
  const sorted = [...rows].sort(
    (a, b) => margin(a) - margin(b) || a.product.name.localeCompare(b.product.name),
  );
  const products = sorted.slice(page.offset, page.offset + page.limit);
  const end = page.offset + products.length;
  return { products, total: rows.length, next_offset: end < rows.length ? end : null };
}

async function stockScope(
  args: CheckStockInput,
  call: ToolCall,
  context: Record<string, unknown>,
): Promise<StockScope> {
  const scope: StockScope = { warehouses: [], locations: [] };
  if (args.warehouse !== undefined) {
    scope.warehouses = await findWarehouses(call, args.warehouse, context);
  }
  if (args.location !== undefined) {
    const target = { model: 'stock.location', argument: 'location', noun: 'location' };
    // The summary names the locations found, so a name that matched needs no note of its own.
    scope.locations = outermostLocations(await lookupRecords(call, target, args.location, context));
  }
  if (args.company !== undefined) {
    scope.company = await companyName(call, context);
  }
  return scope;
}

/** Reads the name of the company that `companyContext` chose. */
async function companyName(call: ToolCall, context: Record<string, unknown>): Promise<string> {
  const [id] = context.allowed_company_ids as number[];
  const rows = await call.odoo.executeKw<Array<{ display_name?: unknown }>>(
    'res.company',
    'read',
    [[id]],
    { fields: ['display_name'] },
  );
  const name = rows[0]?.display_name;
  return typeof name === 'string' ? name : `company ${id}`;
}

/** Returns the ids of the products named, or undefined when every product counts. */
async function productFilter(
  args: CheckStockInput,
  call: ToolCall,
  context: Record<string, unknown>,
  notes: string[],
): Promise<number[] | undefined> {
  if (args.product === undefined) {
    return undefined;
  }
  const target = { model: 'product.product', argument: 'product', noun: 'product' };
  const found = await lookupRecords(call, target, args.product, context);
  if (typeof args.product === 'string') {
    notes.push(`product "${args.product}" matched ${describeFound(found)}.`);
  }
  return idsOf(found);
}

/**
 * Returns the products to show: those named (even without stock), else those in stock and, for
 * low_stock_only, those with a rule or a forecast of zero or less.
 */
function candidateIds(
  named: number[] | undefined,
  quants: Map<number, QuantTotals>,
  lowStockIds: number[],
): number[] {
  if (named !== undefined) {
    return named;
  }
  return [...new Set([...quants.keys(), ...lowStockIds])];
}

function withoutServices(products: Map<number, ProductStock>): Map<number, ProductStock> {
  return new Map([...products].filter(([, product]) => !product.isService));
}

/**
 * Builds the result rows in the order of `ids`, which is Odoo's product order (internal
 * reference, then name). With reasons given, only the products low on stock are kept.
 */
function stockRows(
  ids: number[],
  products: Map<number, ProductStock>,
  quants: Map<number, QuantTotals>,
  reasons: Map<number, LowStockReason> | undefined,
  link: (id: number) => string,
): ProductStockOutput[] {
  const rows: ProductStockOutput[] = [];
  for (const id of ids) {
    const product = products.get(id);
    if (product === undefined || (reasons !== undefined && !reasons.has(id))) {
      continue;
    }
    const stock = quants.get(id);
    const row: ProductStockOutput = {
      product: { id, name: product.name },
      on_hand: stock?.onHand ?? 0,
      reserved: stock?.reserved ?? 0,
      forecast: product.forecast,
      uom: product.uom,
      by_location: stock?.byLocation ?? [],
      link: link(id),
    };
    const reason = reasons?.get(id);
    if (reason !== undefined) {
      row.low_stock_reason = reasonText(reason);
    }
    rows.push(row);
  }
  return rows;
}

function reasonText(reason: LowStockReason): string {
  if (reason.kind === 'zero_forecast') {
    return `forecast ${formatQuantity(reason.forecast)} and no reordering rule`;
  }
  const { rule, forecast } = reason;
  return (
    `forecast ${formatQuantity(forecast)} at ${rule.location.name} is below the minimum ` +
    `${formatQuantity(rule.minimum)} of reordering rule ${rule.name}`
  );
}

function stockNotes(reasons: Map<number, LowStockReason> | undefined): string[] {
  const notes = [
    'on_hand and reserved sum the quants in the internal locations of this scope; forecast is ' +
      "Odoo's virtual_available for the same scope.",
  ];
  if (reasons !== undefined) {
    const byRule = [...reasons.values()].filter((reason) => reason.kind === 'reordering_rule');
    const others = reasons.size - byRule.length;
    notes.push(
      `Low stock: ${byRule.length} ${byRule.length === 1 ? 'product is' : 'products are'} ` +
        'below the minimum of a reordering rule (stock.warehouse.orderpoint, forecast at the ' +
        `rule's location), ${others} without a rule ${others === 1 ? 'has' : 'have'} a ` +
        'forecast of zero or less here, storable products without any stock included. The ' +
        "products furthest below their threshold (the rule's minimum, or zero without a rule) " +
        'come first.',
    );
  }
  return notes;
}

function scopeText(scope: StockScope): string {
  const parts: string[] = [];
  if (scope.warehouses.length > 0) {
    parts.push(
      scope.warehouses.map((warehouse) => `${warehouse.name} (${warehouse.code})`).join(', '),
    );
  }
  if (scope.locations.length > 0) {
    parts.push(scope.locations.map((location) => location.name).join(', '));
  }
  if (parts.length > 0) {
    return parts.join(' within ');
  }
  return scope.company === undefined
    ? "all the person's warehouses"
    : `all warehouses of ${scope.company}`;
}

/** "18 products in Chicago (CHIC), 5 shown; next_offset 5." or "No product has stock in …". */
function stockSummary(
  result: StockPage,
  offset: number,
  scope: StockScope,
  lowStockOnly: boolean,
): string {
  const where = scopeText(scope);
  if (result.total === 0) {
    return `No product ${lowStockOnly ? 'is low on stock' : 'has stock'} in ${where}.`;
  }
  const low = lowStockOnly ? ' low on stock' : '';
  const noun = { one: `product${low} in ${where}`, many: `products${low} in ${where}` };
  const shown = result.products.length;
  return pageSummary(noun, result.total, offset, shown, result.next_offset);
}

/** "[FURN_2201] Ergonomic Office Chair · on hand 42 Units · reserved 5 · forecast 37 · …" */
function productLine(row: ProductStockOutput): string {
  const unit = row.uom === null ? '' : ` ${row.uom}`;
  const places = row.by_location
    .map((entry) => `${entry.location.name} ${formatQuantity(entry.on_hand)}`)
    .join(', ');
  return joinLine([
    row.product.name,
    `on hand ${formatQuantity(row.on_hand)}${unit}`,
    `reserved ${formatQuantity(row.reserved)}`,
    `forecast ${formatQuantity(row.forecast)}`,
    places,
    row.low_stock_reason,
    row.link,
  ]);
}
