import type { DemoRecord } from '../orm/database.js';
import { PARTNER_IDS } from './base-data.js';
import type { DataBuilder } from './builder.js';
import type { CatalogProduct } from './catalog.js';
import type { OrderFacts } from './sales.js';

/** Location ids: the shared virtual tree, then each warehouse's own tree. */
export const LOCATIONS = {
  physical: 1,
  partners: 2,
  virtual: 3,
  vendors: 4,
  customers: 5,
  inventoryLoss: 6,
  sanFranciscoView: 7,
  sanFranciscoStock: 8,
  sanFranciscoShelf1: 9,
  sanFranciscoShelf2: 10,
  chicagoView: 11,
  chicagoStock: 12,
  chicagoShelfA: 13,
};

/** Locations as [id, name, parent, usage, company, warehouse]. */
const LOCATION_DATA: [number, string, number | false, string, number | false, number | false][] = [
  [LOCATIONS.physical, 'Physical Locations', false, 'view', false, false],
  [LOCATIONS.partners, 'Partners', false, 'view', false, false],
  [LOCATIONS.virtual, 'Virtual Locations', false, 'view', false, false],
  [LOCATIONS.vendors, 'Vendors', LOCATIONS.partners, 'supplier', false, false],
  [LOCATIONS.customers, 'Customers', LOCATIONS.partners, 'customer', false, false],
  [LOCATIONS.inventoryLoss, 'Inventory adjustment', LOCATIONS.virtual, 'inventory', false, false],
  [LOCATIONS.sanFranciscoView, 'WH', LOCATIONS.physical, 'view', 1, 1],
  [LOCATIONS.sanFranciscoStock, 'Stock', LOCATIONS.sanFranciscoView, 'internal', 1, 1],
  [LOCATIONS.sanFranciscoShelf1, 'Shelf 1', LOCATIONS.sanFranciscoStock, 'internal', 1, 1],
  [LOCATIONS.sanFranciscoShelf2, 'Shelf 2', LOCATIONS.sanFranciscoStock, 'internal', 1, 1],
  [LOCATIONS.chicagoView, 'CHIC', LOCATIONS.physical, 'view', 2, 2],
  [LOCATIONS.chicagoStock, 'Stock', LOCATIONS.chicagoView, 'internal', 2, 2],
  [LOCATIONS.chicagoShelfA, 'Shelf A', LOCATIONS.chicagoStock, 'internal', 2, 2],
];

export function addWarehouses(builder: DataBuilder): void {
  const names = new Map<number, string>();
  for (const [id, name, parent, usage, company, warehouse] of LOCATION_DATA) {
    // Odoo leaves the physical root out of complete names ("WH/Stock").
    const prefix = parent === false || parent === LOCATIONS.physical ? '' : `${names.get(parent)}/`;
    names.set(id, `${prefix}${name}`);
    builder.insert('stock.location', {
      id,
      name,
      complete_name: `${prefix}${name}`,
      location_id: parent,
      usage,
      company_id: company,
      warehouse_id: warehouse,
      active: true,
      barcode: usage === 'internal' ? `${prefix}${name}`.replaceAll('/', '-').toUpperCase() : false,
    });
  }
  const warehouses = [
    [
      1,
      'San Francisco',
      'WH',
      1,
      PARTNER_IDS.sanFrancisco,
      LOCATIONS.sanFranciscoView,
      LOCATIONS.sanFranciscoStock,
    ],
    [2, 'Chicago', 'CHIC', 2, PARTNER_IDS.chicago, LOCATIONS.chicagoView, LOCATIONS.chicagoStock],
  ] as const;
  for (const [id, name, code, company, partner, view, stock] of warehouses) {
    builder.insert('stock.warehouse', {
      id,
      name,
      code,
      company_id: company,
      partner_id: partner,
      view_location_id: view,
      lot_stock_id: stock,
      active: true,
      sequence: id * 10,
    });
  }
}

/** Sums the quantity still to deliver per product and company, which the quants keep reserved. */
function openDemand(orders: OrderFacts[]): Map<string, number> {
  const demand = new Map<string, number>();
  for (const facts of orders) {
    if (facts.order.state !== 'sale') {
      continue;
    }
    for (const line of facts.lines) {
      const remaining = Number(line.product_uom_qty) - Number(line.qty_delivered);
      if (line.is_storable === true && remaining > 0) {
        const key = `${facts.companyId}/${String(line.product_id)}`;
        demand.set(key, (demand.get(key) ?? 0) + remaining);
      }
    }
  }
  return demand;
}

/**
 * Adds quants of every active storable product: on hand in San Francisco (some on shelves), in
 * Chicago for most, plus a few at the customers' location, which is not stock.
 */
export function addQuants(
  builder: DataBuilder,
  catalog: CatalogProduct[],
  orders: OrderFacts[],
): void {
  const demand = openDemand(orders);
  const storable = catalog.filter(
    (product) => product.kind === 'storable' && product.record.active === true,
  );
  for (const product of storable) {
    addQuant(builder, product, LOCATIONS.sanFranciscoStock, 1, builder.random.int(8, 180), demand);
    if (builder.random.chance(0.35)) {
      addQuant(
        builder,
        product,
        builder.random.pick([LOCATIONS.sanFranciscoShelf1, LOCATIONS.sanFranciscoShelf2]),
        1,
        builder.random.int(2, 40),
        demand,
      );
    }
    if (builder.random.chance(0.65)) {
      addQuant(
        builder,
        product,
        builder.random.chance(0.8) ? LOCATIONS.chicagoStock : LOCATIONS.chicagoShelfA,
        2,
        builder.random.int(4, 90),
        demand,
      );
    }
  }
  for (const product of builder.random.sample(storable, 6)) {
    addQuant(builder, product, LOCATIONS.customers, 1, builder.random.int(1, 12), new Map());
  }
}

function addQuant(
  builder: DataBuilder,
  product: CatalogProduct,
  locationId: number,
  companyId: number,
  quantity: number,
  demand: Map<string, number>,
): DemoRecord {
  const key = `${companyId}/${product.record.id}`;
  const reserved = Math.min(quantity, demand.get(key) ?? 0);
  demand.set(key, (demand.get(key) ?? 0) - reserved);
  const location = builder.get('stock.location', locationId);
  return builder.insert('stock.quant', {
    product_id: product.record.id,
    product_tmpl_id: product.record.product_tmpl_id,
    product_uom_id: product.record.uom_id,
    product_categ_id: product.record.categ_id,
    company_id: companyId,
    location_id: locationId,
    warehouse_id: location.warehouse_id,
    lot_id: false,
    quantity,
    reserved_quantity: reserved,
    available_quantity: quantity - reserved,
    in_date: builder.datetime(builder.random.int(20, 300), 14),
    currency_id: 1,
    value: Math.round(quantity * product.cost * 100) / 100,
    display_name: `${String(location.complete_name)} - ${String(product.record.display_name)}`,
  });
}

/**
 * Adds reordering rules with their on-hand and forecast quantities computed from the quants, so
 * that some products sit below their minimum and have something to order.
 */
export function addOrderpoints(builder: DataBuilder, catalog: CatalogProduct[]): void {
  const storable = catalog.filter(
    (product) => product.kind === 'storable' && product.record.active === true,
  );
  const rules = [
    ...builder.random
      .sample(storable, 4)
      .map((product) => [product, 1, LOCATIONS.sanFranciscoStock] as const),
    ...builder.random
      .sample(storable, 2)
      .map((product) => [product, 2, LOCATIONS.chicagoStock] as const),
  ];
  rules.forEach(([product, warehouseId, locationId], index) => {
    const quants = [...builder.db.require('stock.quant').records.values()].filter(
      (quant) => quant.product_id === product.record.id && quant.company_id === warehouseId,
    );
    const onHand = quants.reduce((sum, quant) => sum + Number(quant.quantity), 0);
    const forecast = quants.reduce((sum, quant) => sum + Number(quant.available_quantity), 0);
    // Every other rule has its minimum above the forecast, so it needs a reorder.
    const minimum =
      index % 2 === 0
        ? forecast + builder.random.int(5, 20)
        : Math.max(1, Math.floor(forecast / 3));
    const maximum = minimum + builder.random.int(20, 80);
    builder.insert('stock.warehouse.orderpoint', {
      name: `OP/${String(index + 1).padStart(5, '0')}`,
      trigger: index === 5 ? 'manual' : 'auto',
      active: true,
      warehouse_id: warehouseId,
      location_id: locationId,
      product_id: product.record.id,
      product_uom: product.record.uom_id,
      product_min_qty: minimum,
      product_max_qty: maximum,
      qty_multiple: 1,
      company_id: warehouseId,
      qty_on_hand: onHand,
      qty_forecast: forecast,
      qty_to_order: forecast < minimum ? maximum - forecast : 0,
    });
  });
}

/**
 * Adds a confirmed delivery of `product` from San Francisco's stock to the customers, waiting
 * for stock that is not there, so that the product's forecast is negative without any quant.
 */
export function addWaitingDelivery(builder: DataBuilder, product: CatalogProduct): void {
  builder.insert('stock.move', {
    name: String(product.record.name),
    sequence: 10,
    company_id: 1,
    product_id: product.record.id,
    product_uom_qty: 10,
    location_id: LOCATIONS.sanFranciscoStock,
    location_dest_id: LOCATIONS.customers,
    state: 'confirmed',
    date: builder.datetime(-5, 15),
  });
}
