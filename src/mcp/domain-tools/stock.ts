import type { Domain } from '../domain.js';
import { ToolError } from '../errors.js';
import type { OdooRecord } from '../records.js';
import type { ToolCall } from '../tool.js';
import type { RecordReference } from './arguments.js';
import { referenceOf, type Reference, roundQuantity } from './format.js';
import { sumByGroups } from './grouping.js';

/** A warehouse a `warehouse` argument named. */
export interface Warehouse {
  id: number;
  name: string;
  code: string;
  /** The root of the warehouse's locations; its stock is everything under it. */
  viewLocationId: number | null;
}

/** The scope of check_stock: the warehouses and locations named, none meaning everywhere. */
export interface StockScope {
  warehouses: Warehouse[];
  locations: Reference[];
  /** The name of the company a `company` argument chose, whose warehouses are the default scope. */
  company?: string;
}

function locationIdsOf(scope: StockScope): number[] {
  return scope.locations.map((location) => location.id);
}

/** One location's quantities of one product. */
export interface LocationStock {
  location: Reference;
  on_hand: number;
  reserved: number;
}

/** A product's quantities from its quants in the scope. */
export interface QuantTotals {
  product: Reference;
  onHand: number;
  reserved: number;
  byLocation: LocationStock[];
}

/**
 * Finds the warehouses a `warehouse` argument names, by id, by part of the name or by the
 * short code. When a name matches several, one whose name or code is exactly the argument
 * wins. Raises a ToolError listing the warehouses there are when none matches.
 */
export async function findWarehouses(
  call: ToolCall,
  reference: RecordReference,
  context: Record<string, unknown>,
): Promise<Warehouse[]> {
  const domain =
    typeof reference === 'number'
      ? [['id', '=', reference]]
      : ['|', ['name', 'ilike', reference], ['code', '=ilike', reference]];
  const found = (await readWarehouses(call, domain, context)).map(toWarehouse);
  if (found.length === 0) {
    const all = (await readWarehouses(call, [], context)).map(toWarehouse);
    const listed = all.map((warehouse) => `${warehouse.name} (${warehouse.code})`).join(', ');
    throw new ToolError(
      'invalid_value',
      `No warehouse matches ${JSON.stringify(reference)} (argument warehouse). ` +
        (listed === '' ? 'This person sees no warehouse.' : `The warehouses are: ${listed}.`),
    );
  }
  if (typeof reference === 'string' && found.length > 1) {
    const wanted = reference.toLowerCase();
    const exact = found.filter(
      (warehouse) =>
        warehouse.name.toLowerCase() === wanted || warehouse.code.toLowerCase() === wanted,
    );
    return exact.length === 1 ? exact : found;
  }
  return found;
}

function readWarehouses(
  call: ToolCall,
  domain: unknown[],
  context: Record<string, unknown>,
): Promise<OdooRecord[]> {
  return call.odoo.executeKw<OdooRecord[]>('stock.warehouse', 'search_read', [domain], {
    fields: ['name', 'code', 'view_location_id'],
    context,
  });
}

function toWarehouse(row: OdooRecord): Warehouse {
  return {
    id: row.id as number,
    name: String(row.name),
    code: typeof row.code === 'string' ? row.code : '',
    viewLocationId: referenceOf(row.view_location_id)?.id ?? null,
  };
}

/** Builds the quant domain: internal locations, under the scope's warehouses and locations. */
export function quantDomain(scope: StockScope, productIds: number[] | undefined): Domain {
  const domain: Domain = [['location_id.usage', '=', 'internal']];
  if (productIds !== undefined) {
    domain.push(['product_id', 'in', productIds]);
  }
  const viewIds = scope.warehouses
    .map((warehouse) => warehouse.viewLocationId)
    .filter((id): id is number => id !== null);
  if (scope.warehouses.length > 0) {
    domain.push(['location_id', 'child_of', viewIds]);
  }
  if (scope.locations.length > 0) {
    domain.push(['location_id', 'child_of', locationIdsOf(scope)]);
  }
  return domain;
}

/** Sums the quants of the domain per product and location, in one grouping call. */
export async function quantTotals(
  call: ToolCall,
  domain: Domain,
  context: Record<string, unknown>,
): Promise<Map<number, QuantTotals>> {
  const { groups } = await sumByGroups(
    call,
    'stock.quant',
    domain,
    ['product_id', 'location_id'],
    ['quantity', 'reserved_quantity'],
    context,
  );
  const totals = new Map<number, QuantTotals>();
  for (const group of groups) {
    const product = referenceOf(group.keys.product_id);
    const location = referenceOf(group.keys.location_id);
    if (product === null || location === null) {
      continue;
    }
    const entry = totals.get(product.id) ?? { product, onHand: 0, reserved: 0, byLocation: [] };
    const onHand = group.sums.quantity ?? 0;
    const reserved = group.sums.reserved_quantity ?? 0;
    entry.onHand += onHand;
    entry.reserved += reserved;
    entry.byLocation.push({
      location,
      on_hand: roundQuantity(onHand),
      reserved: roundQuantity(reserved),
    });
    totals.set(product.id, entry);
  }
  for (const entry of totals.values()) {
    entry.onHand = roundQuantity(entry.onHand);
    entry.reserved = roundQuantity(entry.reserved);
    entry.byLocation.sort((a, b) => a.location.name.localeCompare(b.location.name));
  }
  return totals;
}

/**
 * Builds the context under which Odoo computes `virtual_available` for the scope, as the
 * product form does. 17.0 reads the warehouse from `warehouse`, 18.0 and 19.0 from
 * `warehouse_id`; both are set, each version ignoring the other key.
 */
export function forecastContext(
  scope: StockScope,
  context: Record<string, unknown>,
): Record<string, unknown> {
  const result = { ...context };
  if (scope.warehouses.length > 0) {
    const ids = scope.warehouses.map((warehouse) => warehouse.id);
    result.warehouse = ids;
    result.warehouse_id = ids;
  }
  if (scope.locations.length > 0) {
    result.location = locationIdsOf(scope);
  }
  return result;
}

/**
 * Finds the storable products whose forecast (`virtual_available`) under `forecast` (see
 * `forecastContext`) is below zero: more is promised than there is, stock or not. Products
 * that were never stocked and have no demand stay out, so they do not crowd the list; the
 * products with stock or a reordering rule are judged by the caller. Odoo 18.0 searches the
 * field by computing it for every product (`_search_product_quantity`), with the same context
 * keys. Storable means `is_storable` from 18.0 on, and product type "product" before.
 */
export async function shortProductIds(
  call: ToolCall,
  forecast: Record<string, unknown>,
  limit: number,
): Promise<number[]> {
  const { major } = await call.odoo.version();
  const storable = major >= 18 ? ['is_storable', '=', true] : ['type', '=', 'product'];
  const domain = [['virtual_available', '<', 0], storable];
  return call.odoo.executeKw<number[]>('product.product', 'search', [domain], {
    limit,
    context: forecast,
  });
}

/**
 * Drops the locations that lie under another location of the list, by full name ("WH/Stock/
 * Shelf 1" under "WH/Stock"), because the stock of a location counts the locations under it.
 */
export function outermostLocations(locations: readonly Reference[]): Reference[] {
  return locations.filter(
    (location) =>
      !locations.some(
        (other) => other.id !== location.id && location.name.startsWith(`${other.name}/`),
      ),
  );
}

/** A product as the forecast read returns it. */
export interface ProductStock {
  id: number;
  name: string;
  uom: string | null;
  forecast: number;
  isService: boolean;
}

/** Reads name, unit, type and forecast (`virtual_available`) of products under `context`. */
export async function readProducts(
  call: ToolCall,
  ids: number[],
  context: Record<string, unknown>,
): Promise<Map<number, ProductStock>> {
  if (ids.length === 0) {
    return new Map();
  }
  const rows = await call.odoo.executeKw<OdooRecord[]>('product.product', 'read', [ids], {
    fields: ['display_name', 'uom_id', 'type', 'virtual_available'],
    context,
  });
  return new Map(
    rows.map((row) => [
      row.id as number,
      {
        id: row.id as number,
        name: String(row.display_name),
        uom: referenceOf(row.uom_id)?.name ?? null,
        forecast: typeof row.virtual_available === 'number' ? row.virtual_available : 0,
        isService: row.type === 'service',
      },
    ]),
  );
}

/** A reordering rule of the scope. */
export interface ReorderRule {
  name: string;
  productId: number;
  location: Reference;
  minimum: number;
}

/** Reads the reordering rules of the scope, for the products given or for all. */
export async function readReorderRules(
  call: ToolCall,
  scope: StockScope,
  productIds: number[] | undefined,
  context: Record<string, unknown>,
): Promise<ReorderRule[]> {
  const domain: Domain = [];
  if (productIds !== undefined) {
    domain.push(['product_id', 'in', productIds]);
  }
  if (scope.warehouses.length > 0) {
    domain.push(['warehouse_id', 'in', scope.warehouses.map((warehouse) => warehouse.id)]);
  }
  if (scope.locations.length > 0) {
    domain.push(['location_id', 'child_of', locationIdsOf(scope)]);
  }
  const rows = await call.odoo.executeKw<OdooRecord[]>(
    'stock.warehouse.orderpoint',
    'search_read',
    [domain],
    { fields: ['name', 'product_id', 'location_id', 'product_min_qty'], context },
  );
  const rules: ReorderRule[] = [];
  for (const row of rows) {
    const product = referenceOf(row.product_id);
    const location = referenceOf(row.location_id);
    if (product !== null && location !== null) {
      const minimum = typeof row.product_min_qty === 'number' ? row.product_min_qty : 0;
      rules.push({ name: String(row.name), productId: product.id, location, minimum });
    }
  }
  return rules;
}

/** The reason a product counts as low on stock. */
export type LowStockReason =
  | { kind: 'reordering_rule'; rule: ReorderRule; forecast: number }
  | { kind: 'zero_forecast'; forecast: number };

/**
 * Returns how far a low product's forecast is below its threshold, the rule's minimum or zero:
 * negative or zero, the more negative the shorter.
 */
export function shortfall(reason: LowStockReason): number {
  return reason.kind === 'reordering_rule'
    ? reason.forecast - reason.rule.minimum
    : reason.forecast;
}

/**
 * Decides which products are low on stock. A product with reordering rules is low when the
 * forecast at a rule's location is below the rule's minimum, as Odoo's replenishment compares
 * them. A product without a rule is low when its forecast in the scope is zero or less.
 */
export async function lowStockReasons(
  call: ToolCall,
  products: Map<number, ProductStock>,
  rules: ReorderRule[],
  context: Record<string, unknown>,
): Promise<Map<number, LowStockReason>> {
  const reasons = new Map<number, LowStockReason>();
  const forecastAt = await forecastsAtRuleLocations(call, rules, context);
  for (const product of products.values()) {
    const ownRules = rules.filter((rule) => rule.productId === product.id);
    if (ownRules.length === 0) {
      if (product.forecast <= 0) {
        reasons.set(product.id, { kind: 'zero_forecast', forecast: product.forecast });
      }
      continue;
    }
    for (const rule of ownRules) {
      const forecast = forecastAt.get(`${rule.location.id}/${rule.productId}`) ?? 0;
      if (forecast < rule.minimum) {
        reasons.set(product.id, { kind: 'reordering_rule', rule, forecast });
        break;
      }
    }
  }
  return reasons;
}

/** Reads each rule product's forecast at the rule's location: one read per location. */
async function forecastsAtRuleLocations(
  call: ToolCall,
  rules: ReorderRule[],
  context: Record<string, unknown>,
): Promise<Map<string, number>> {
  const byLocation = new Map<number, Set<number>>();
  for (const rule of rules) {
    const ids = byLocation.get(rule.location.id) ?? new Set<number>();
    ids.add(rule.productId);
    byLocation.set(rule.location.id, ids);
  }
  const forecasts = new Map<string, number>();
  for (const [locationId, productIds] of byLocation) {
    const read = await readProducts(call, [...productIds], { ...context, location: locationId });
    for (const product of read.values()) {
      forecasts.set(`${locationId}/${product.id}`, product.forecast);
    }
  }
  return forecasts;
}
