import { checkModelAccess } from '../access/checks.js';
import type { DemoRecord, Env, FieldValue, ModelSpec, ModelTable } from '../orm/database.js';
import { field, type FieldSpec } from '../orm/fields.js';
import { INTERNAL_USERS } from '../access/groups.js';
import { majorOf } from '../version.js';

const TYPES_17: [string, string][] = [
  ['consu', 'Consumable'],
  ['service', 'Service'],
  ['product', 'Storable Product'],
];

// Odoo 18.0 replaced "Storable Product" with the `is_storable` flag on goods.
const TYPES_18: [string, string][] = [
  ['consu', 'Goods'],
  ['service', 'Service'],
  ['combo', 'Combo'],
];

/**
 * Sums a product's quants under the locations that Odoo's `_get_domain_locations` (18.0)
 * takes from the context, as its `qty_available` and `virtual_available` do:
 * - the view locations of the warehouses in `warehouse` (17.0) or `warehouse_id` (18.0 and
 *   later), keeping only the `location` entries inside them when both are given;
 * - else the `location` entries and the locations under them;
 * - else the view locations of every warehouse of the call's companies.
 * Entries are ids, names (matched with ilike) or lists of both. For the forecast, the reserved
 * quantities are subtracted, which approximates the outgoing moves of the demo's sales orders,
 * and the waiting moves (`waitingMoveBalance`) are added.
 * Like Odoo, which reads stock.move as the caller, it raises AccessError without read access.
 */
function stockQuantity(product: DemoRecord, env: Env, forecast: boolean): number {
  const quants = env.db.table('stock.quant');
  const locations = env.db.table('stock.location');
  const moves = env.db.table('stock.move');
  if (quants === undefined || locations === undefined) {
    return 0;
  }
  if (moves !== undefined) {
    checkModelAccess(env, moves, 'read');
  }
  const variants = product.product_variant_ids;
  const productIds = Array.isArray(variants) ? variants : [product.id];
  const roots = contextLocationIds(env);
  const companies = env.companyIds();
  let total = 0;
  for (const quant of quants.records.values()) {
    const counted =
      productIds.includes(quant.product_id as number) &&
      companies.includes(quant.company_id as number) &&
      isUnder(locations, quant.location_id as number, roots);
    if (counted) {
      total += Number(quant.quantity) - (forecast ? Number(quant.reserved_quantity) : 0);
    }
  }
  if (forecast && moves !== undefined) {
    total += waitingMoveBalance(productIds, moves, locations, roots, companies);
  }
  return Math.round(total * 1000) / 1000;
}

/**
 * Sums the moves that wait for stock (states waiting and confirmed) into the locations under
 * `roots`, less those out of them, as Odoo's incoming and outgoing quantities do. Moves in
 * later states are left out, because the demo counts reserved stock with the quants'
 * `reserved_quantity` instead.
 */
function waitingMoveBalance(
  productIds: unknown[],
  moves: ModelTable,
  locations: ModelTable,
  roots: ReadonlySet<number>,
  companies: number[],
): number {
  let balance = 0;
  for (const move of moves.records.values()) {
    const waiting = move.state === 'waiting' || move.state === 'confirmed';
    if (
      !waiting ||
      !productIds.includes(move.product_id) ||
      !companies.includes(move.company_id as number)
    ) {
      continue;
    }
    const from = isUnder(locations, move.location_id as number, roots);
    const to = isUnder(locations, move.location_dest_id as number, roots);
    if (from !== to) {
      balance += (to ? 1 : -1) * Number(move.product_uom_qty);
    }
  }
  return balance;
}

/** Returns the locations whose stock counts, from the call's context (see `stockQuantity`). */
function contextLocationIds(env: Env): Set<number> {
  const warehouseKey = majorOf(env.series) >= 18 ? 'warehouse_id' : 'warehouse';
  const warehouses = env.db.table('stock.warehouse');
  const locations = env.db.table('stock.location');
  if (warehouses === undefined || locations === undefined) {
    return new Set();
  }
  const warehouseIds = contextRecordIds(env.context[warehouseKey], warehouses, 'name');
  const locationIds = contextRecordIds(env.context.location, locations, 'complete_name');
  if (warehouseIds !== undefined) {
    const views = new Set(warehouseIds.map((id) => viewLocationOf(warehouses.get(id))));
    if (locationIds === undefined) {
      return views;
    }
    return new Set(locationIds.filter((id) => isUnder(locations, id, views)));
  }
  if (locationIds !== undefined) {
    return new Set(locationIds);
  }
  const companies = env.companyIds();
  return new Set(
    warehouses
      .all()
      .filter((warehouse) => companies.includes(warehouse.company_id as number))
      .map((warehouse) => viewLocationOf(warehouse)),
  );
}

function viewLocationOf(warehouse: DemoRecord | undefined): number {
  return typeof warehouse?.view_location_id === 'number' ? warehouse.view_location_id : 0;
}

/**
 * Reads a context entry as Odoo's `_search_ids` does: an id, a name matched with ilike on
 * `nameField`, or a list of both. Returns undefined when the entry is absent or empty.
 */
function contextRecordIds(
  value: unknown,
  table: ModelTable,
  nameField: string,
): number[] | undefined {
  if (value === undefined || value === null || value === false || value === '') {
    return undefined;
  }
  const items = Array.isArray(value) ? value : [value];
  if (items.length === 0) {
    return undefined;
  }
  const ids = new Set<number>();
  for (const item of items) {
    if (typeof item === 'number') {
      ids.add(item);
    } else if (typeof item === 'string') {
      const needle = item.toLowerCase();
      table
        .all()
        .filter((record) => String(record[nameField]).toLowerCase().includes(needle))
        .forEach((record) => ids.add(record.id));
    }
  }
  return [...ids];
}

/** Tells whether a location is one of `roots` or under one of them. */
function isUnder(locations: ModelTable, locationId: number, roots: ReadonlySet<number>): boolean {
  let current: number | false = locationId;
  while (typeof current === 'number') {
    if (roots.has(current)) {
      return true;
    }
    const parent: FieldValue | undefined = locations.get(current)?.location_id;
    current = typeof parent === 'number' ? parent : false;
  }
  return false;
}

/**
 * Returns the currency of a product's prices as Odoo's `_compute_currency_id` does: its
 * company's currency, else the main company's (id 1).
 */
function productCurrency(product: DemoRecord, env: Env): number | false {
  const companies = env.db.table('res.company');
  const company = companies?.get(typeof product.company_id === 'number' ? product.company_id : 1);
  return typeof company?.currency_id === 'number' ? company.currency_id : false;
}

/** Fields that product.product and product.template share (the variant shows the template's). */
function productFields(onVariant: boolean): FieldSpec[] {
  const related = onVariant ? { store: false, searchable: true } : {};
  return [
    field.char('name', 'Name', { required: true, ...related }),
    field.integer('sequence', 'Sequence', { aggregator: false, ...related }),
    field.text('description_sale', 'Sales Description', related),
    field.selection('type', 'Type', TYPES_17, { until: '17.0', ...related }),
    field.selection('detailed_type', 'Product Type', TYPES_17, { until: '17.0', ...related }),
    field.selection('type', 'Product Type', TYPES_18, { since: '18.0', ...related }),
    field.boolean('is_storable', 'Track Inventory', { since: '18.0', ...related }),
    field.many2one('categ_id', 'Product Category', 'product.category', {
      required: true,
      ...related,
    }),
    field.float('list_price', 'Sales Price', { aggregator: false, ...related }),
    field.many2one('currency_id', 'Currency', 'res.currency', {
      readonly: true,
      store: false,
      compute: productCurrency,
    }),
    field.float('standard_price', 'Cost', { aggregator: false, store: false, searchable: true }),
    field.many2one('uom_id', 'Unit of Measure', 'uom.uom', { until: '18.0', ...related }),
    field.many2one('uom_id', 'Unit', 'uom.uom', { since: '19.0', ...related }),
    field.many2one('uom_po_id', 'Purchase Unit', 'uom.uom', { until: '18.0', ...related }),
    field.many2many('uom_ids', 'Packagings', 'uom.uom', { since: '19.0', ...related }),
    field.boolean('sale_ok', 'Sales', related),
    field.boolean('purchase_ok', 'Purchase', related),
    field.boolean('active', 'Active'),
    field.char('default_code', 'Internal Reference'),
    field.char('barcode', 'Barcode'),
    field.many2one('company_id', 'Company', 'res.company', related),
    field.selection(
      'invoice_policy',
      'Invoicing Policy',
      [
        ['order', 'Ordered quantities'],
        ['delivery', 'Delivered quantities'],
      ],
      related,
    ),
    field.float('weight', 'Weight', { aggregator: false, ...related }),
    field.float('volume', 'Volume', { aggregator: false, ...related }),
    field.binary('image_1920', 'Image'),
    field.binary('image_128', 'Image 128', { readonly: true, store: false }),
    field.float('qty_available', 'Quantity On Hand', {
      readonly: true,
      until: '18.0',
      store: false,
      searchable: true,
      compute: (record, env) => stockQuantity(record, env, false),
    }),
    field.float('qty_available', 'Quantity On Hand', {
      since: '19.0',
      store: false,
      searchable: true,
      compute: (record, env) => stockQuantity(record, env, false),
    }),
    field.float('virtual_available', 'Forecasted Quantity', {
      readonly: true,
      store: false,
      searchable: true,
      compute: (record, env) => stockQuantity(record, env, true),
    }),
  ];
}

export const PRODUCT_TEMPLATE: ModelSpec = {
  name: 'product.template',
  description: 'Product',
  order: 'sequence, name',
  nameSearchFields: ['name', 'default_code'],
  readGroups: INTERNAL_USERS,
  fields: [
    ...productFields(false),
    field.one2many('product_variant_ids', 'Products', 'product.product', 'product_tmpl_id'),
    field.integer('product_variant_count', 'Variant Count', { readonly: true, store: false }),
  ],
};

export const PRODUCT_PRODUCT: ModelSpec = {
  name: 'product.product',
  description: 'Product Variant',
  order: 'default_code, name, id',
  nameSearchFields: ['default_code', 'name', 'barcode'],
  readGroups: INTERNAL_USERS,
  fields: [
    field.many2one('product_tmpl_id', 'Product Template', 'product.template', { required: true }),
    ...productFields(true),
    field.float('lst_price', 'Sales Price', { readonly: true, store: false, aggregator: false }),
  ],
};

export const PRODUCT_CATEGORY: ModelSpec = {
  name: 'product.category',
  description: 'Product Category',
  order: 'complete_name',
  recName: 'complete_name',
  nameSearchFields: ['complete_name'],
  readGroups: INTERNAL_USERS,
  fields: [
    field.char('name', 'Name', { required: true }),
    field.char('complete_name', 'Complete Name', { readonly: true }),
    field.many2one('parent_id', 'Parent Category', 'product.category'),
    field.one2many('child_id', 'Child Categories', 'product.category', 'parent_id'),
    field.integer('product_count', '# Products', { readonly: true, store: false }),
  ],
  displayName: (record) => String(record.complete_name),
};

export const UOM_CATEGORY: ModelSpec = {
  name: 'uom.category',
  description: 'Product UoM Categories',
  order: 'name',
  until: '18.0',
  readGroups: INTERNAL_USERS,
  fields: [field.char('name', 'Unit of Measure Category', { required: true })],
};

export const UOM_UOM: ModelSpec = {
  name: 'uom.uom',
  description: 'Product Unit of Measure',
  order: 'name',
  readGroups: INTERNAL_USERS,
  fields: [
    field.char('name', 'Unit of Measure', { required: true }),
    field.many2one('category_id', 'Category', 'uom.category', { required: true, until: '18.0' }),
    field.float('factor', 'Ratio', { aggregator: false }),
    field.selection(
      'uom_type',
      'Type',
      [
        ['bigger', 'Bigger than the reference Unit of Measure'],
        ['reference', 'Reference Unit of Measure for this category'],
        ['smaller', 'Smaller than the reference Unit of Measure'],
      ],
      { until: '18.0' },
    ),
    field.float('relative_factor', 'Contains', { aggregator: false, since: '19.0' }),
    field.many2one('relative_uom_id', 'Reference Unit', 'uom.uom', { since: '19.0' }),
    field.float('rounding', 'Rounding Precision', { aggregator: false }),
    field.boolean('active', 'Active'),
  ],
};
