import { z } from 'zod';
import { companyContext } from '../company.js';
import {
  DEFAULT_PAGE_LIMIT,
  MAX_PAGE_LIMIT,
  pageLimitArgument,
  recordReferenceArgument,
} from '../domain-tools/arguments.js';
import { formatQuantity, joinLine, referenceSchema } from '../domain-tools/format.js';
import { describeFound, idsOf, lookupRecords } from '../domain-tools/lookup.js';
import { linkMaker } from '../domain-tools/page.js';
import {
  findWarehouses,
  forecastContext,
  type LowStockReason,
  lowStockReasons,
  type ProductStock,
  type QuantTotals,
  quantDomain,
  quantTotals,
  readProducts,
  readReorderRules,
  type StockScope,
} from '../domain-tools/stock.js';
import { ToolError } from '../errors.js';
import { joinResultText } from '../records.js';
import { companyArgument, notesSchema } from '../schemas.js';
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
        'products without one, a forecast of zero or less.',
    ),
  limit: pageLimitArgument.optional(),
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
    'in one warehouse or location or in all of them; or list the products low on stock. ' +
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
  const scope = await stockScope(args, call, context, notes);
  const productIds = await productFilter(args, call, context, notes);

  const quants = await quantTotals(call, quantDomain(scope, productIds), context);
  const rules = args.low_stock_only ? await readReorderRules(call, scope, productIds, context) : [];
  const ruleProductIds = rules.map((rule) => rule.productId);
  const limit = args.limit ?? DEFAULT_PAGE_LIMIT;
  const toRead = productsToRead(candidateIds(productIds, quants, ruleProductIds), args, limit);

  // Odoo may reject the forecast read (it reads stock.move), and the error hint names the
  // audited model.
  call.audit.model = 'product.product';
  const products = await readProducts(call, toRead, forecastContext(scope, context));
  const reasons = args.low_stock_only
    ? await lowStockReasons(call, withoutServices(products), rules, context)
    : undefined;

  const link = await linkMaker(call, 'product.product');
  const rows = stockRows(toRead, products, quants, reasons, link);
  const shown = rows.slice(0, limit);
  notes.push(...stockNotes(scope, rows.length, shown.length, reasons));
  const summary = stockSummary(rows.length, scope);
  const text = joinResultText([summary, shown.map(productLine).join('\n')], notes);
  return { structured: { products: shown, notes }, text, recordCount: shown.length };
}

/**
 * Returns the products whose forecast is read: the first `limit`, or every candidate for
 * low_stock_only, which must check them all before it can pick.
 */
function productsToRead(candidates: number[], args: CheckStockInput, limit: number): number[] {
  const toRead = args.low_stock_only ? candidates : candidates.slice(0, limit);
  if (toRead.length > MAX_STOCK_PRODUCTS) {
    throw new ToolError(
      'invalid_value',
      `${toRead.length} products have stock or reordering rules here, more than the ` +
        `${MAX_STOCK_PRODUCTS} whose forecast one call reads; narrow with product, warehouse ` +
        'or location.',
    );
  }
  return toRead;
}

async function stockScope(
  args: CheckStockInput,
  call: ToolCall,
  context: Record<string, unknown>,
  notes: string[],
): Promise<StockScope> {
  const scope: StockScope = { warehouses: [], locations: [] };
  if (args.warehouse !== undefined) {
    scope.warehouses = await findWarehouses(call, args.warehouse, context);
  }
  if (args.location !== undefined) {
    const target = { model: 'stock.location', argument: 'location', noun: 'location' };
    const found = await lookupRecords(call, target, args.location, context);
    scope.locations = found;
    if (typeof args.location === 'string') {
      notes.push(`location "${args.location}" matched ${describeFound(found)}.`);
    }
  }
  return scope;
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

/** Returns the products to show: those named (even without stock), else those in stock or rules. */
function candidateIds(
  named: number[] | undefined,
  quants: Map<number, QuantTotals>,
  ruleProductIds: number[],
): number[] {
  if (named !== undefined) {
    return named;
  }
  return [...new Set([...quants.keys(), ...ruleProductIds])];
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

function stockNotes(
  scope: StockScope,
  matching: number,
  shown: number,
  reasons: Map<number, LowStockReason> | undefined,
): string[] {
  const notes = [
    `on_hand and reserved sum the quants in internal locations of ${scopeText(scope)}; ` +
      "forecast is Odoo's virtual_available for the same scope.",
  ];
  if (reasons !== undefined) {
    const byRule = [...reasons.values()].filter((reason) => reason.kind === 'reordering_rule');
    notes.push(
      `Low stock: ${byRule.length} ${byRule.length === 1 ? 'product is' : 'products are'} ` +
        'below the minimum of a reordering rule (stock.warehouse.orderpoint, forecast at the ' +
        `rule's location), ${reasons.size - byRule.length} without a rule have a forecast of ` +
        'zero or less. Products with neither stock nor a rule here are not checked.',
    );
  }
  if (shown < matching) {
    notes.push(
      `${matching - shown} more products match; raise limit (at most ${MAX_PAGE_LIMIT}) or ` +
        'narrow with product, warehouse or location.',
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
  return parts.length === 0 ? "all the person's warehouses" : parts.join(' within ');
}

function stockSummary(matching: number, scope: StockScope): string {
  const where = scopeText(scope);
  if (matching === 0) {
    return `No product matches in ${where}.`;
  }
  return `${matching} ${matching === 1 ? 'product' : 'products'} in ${where}:`;
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
