import { field } from '../orm/fields.js';
import type { ModelSpec } from '../orm/database.js';
import { INTERNAL_USERS, STOCK_USERS } from '../access/groups.js';

const READONLY = { readonly: true };
const COMPUTED = { readonly: true, store: false };

export const STOCK_WAREHOUSE: ModelSpec = {
  name: 'stock.warehouse',
  description: 'Warehouse',
  order: 'sequence,id',
  nameSearchFields: ['name', 'code'],
  readGroups: INTERNAL_USERS,
  fields: [
    field.char('name', 'Warehouse', { required: true }),
    field.char('code', 'Short Name', { required: true }),
    field.boolean('active', 'Active'),
    field.many2one('company_id', 'Company', 'res.company', { required: true, readonly: true }),
    field.many2one('partner_id', 'Address', 'res.partner'),
    field.many2one('view_location_id', 'View Location', 'stock.location', { required: true }),
    field.many2one('lot_stock_id', 'Location Stock', 'stock.location', { required: true }),
    field.integer('sequence', 'Sequence', { aggregator: false }),
  ],
};

export const STOCK_LOCATION: ModelSpec = {
  name: 'stock.location',
  description: 'Inventory Locations',
  order: 'complete_name, id',
  recName: 'complete_name',
  nameSearchFields: ['complete_name', 'barcode'],
  parentName: 'location_id',
  readGroups: INTERNAL_USERS,
  fields: [
    field.char('name', 'Location Name', { required: true }),
    field.char('complete_name', 'Full Location Name'),
    field.boolean('active', 'Active'),
    field.selection(
      'usage',
      'Location Type',
      [
        ['supplier', 'Vendor Location'],
        ['view', 'View'],
        ['internal', 'Internal Location'],
        ['customer', 'Customer Location'],
        ['inventory', 'Inventory Loss'],
        ['production', 'Production'],
        ['transit', 'Transit Location'],
      ],
      { required: true },
    ),
    field.many2one('location_id', 'Parent Location', 'stock.location'),
    field.one2many('child_ids', 'Contains', 'stock.location', 'location_id'),
    field.many2one('company_id', 'Company', 'res.company'),
    field.many2one('warehouse_id', 'Warehouse', 'stock.warehouse', READONLY),
    field.char('barcode', 'Barcode'),
  ],
  displayName: (record) => String(record.complete_name),
};

export const STOCK_LOT: ModelSpec = {
  name: 'stock.lot',
  description: 'Lot/Serial',
  order: 'name, id',
  readGroups: STOCK_USERS,
  fields: [
    field.char('name', 'Lot/Serial Number', { required: true }),
    field.many2one('product_id', 'Product', 'product.product', { required: true }),
    field.many2one('company_id', 'Company', 'res.company'),
  ],
};

export const STOCK_QUANT: ModelSpec = {
  name: 'stock.quant',
  description: 'Quants',
  order: 'id',
  recName: 'display_name',
  readGroups: INTERNAL_USERS,
  fields: [
    field.many2one('product_id', 'Product', 'product.product', { required: true, readonly: true }),
    field.many2one('product_tmpl_id', 'Product Template', 'product.template', READONLY),
    field.many2one('product_uom_id', 'Unit of Measure', 'uom.uom', { ...READONLY, until: '18.0' }),
    field.many2one('product_uom_id', 'Unit', 'uom.uom', { ...READONLY, since: '19.0' }),
    field.many2one('product_categ_id', 'Product Category', 'product.category', READONLY),
    field.many2one('company_id', 'Company', 'res.company', READONLY),
    field.many2one('location_id', 'Location', 'stock.location', { required: true, readonly: true }),
    field.many2one('warehouse_id', 'Warehouse', 'stock.warehouse', READONLY),
    field.many2one('lot_id', 'Lot/Serial Number', 'stock.lot'),
    field.float('quantity', 'Quantity', READONLY),
    field.float('reserved_quantity', 'Reserved Quantity', { ...READONLY, required: true }),
    field.float('available_quantity', 'Available Quantity', COMPUTED),
    field.datetime('in_date', 'Incoming Date', READONLY),
    field.many2one('currency_id', 'Currency', 'res.currency', COMPUTED),
    field.monetary('value', 'Value', COMPUTED),
  ],
};

/**
 * Stock moves. The demo has one: a delivery waiting for a product never in stock. Reading a
 * product's quantities needs read access to the model, as in Odoo, where only Inventory users
 * have it.
 */
export const STOCK_MOVE: ModelSpec = {
  name: 'stock.move',
  description: 'Stock Move',
  order: 'sequence, id',
  readGroups: STOCK_USERS,
  fields: [
    field.char('name', 'Description', { required: true }),
    field.integer('sequence', 'Sequence', { aggregator: false }),
    field.many2one('company_id', 'Company', 'res.company', { required: true }),
    field.many2one('product_id', 'Product', 'product.product', { required: true }),
    field.float('product_uom_qty', 'Demand', { required: true }),
    field.many2one('location_id', 'Source Location', 'stock.location', { required: true }),
    field.many2one('location_dest_id', 'Destination Location', 'stock.location', {
      required: true,
    }),
    field.selection(
      'state',
      'Status',
      [
        ['draft', 'New'],
        ['waiting', 'Waiting Another Move'],
        ['confirmed', 'Waiting Availability'],
        ['partially_available', 'Partially Available'],
        ['assigned', 'Available'],
        ['done', 'Done'],
        ['cancel', 'Cancelled'],
      ],
      READONLY,
    ),
    field.datetime('date', 'Date Scheduled', { required: true }),
  ],
};

export const STOCK_WAREHOUSE_ORDERPOINT: ModelSpec = {
  name: 'stock.warehouse.orderpoint',
  description: 'Minimum Inventory Rule',
  order: 'location_id,company_id,id',
  readGroups: STOCK_USERS,
  fields: [
    field.char('name', 'Name', { required: true }),
    field.selection(
      'trigger',
      'Trigger',
      [
        ['auto', 'Auto'],
        ['manual', 'Manual'],
      ],
      { required: true },
    ),
    field.boolean('active', 'Active'),
    field.many2one('warehouse_id', 'Warehouse', 'stock.warehouse', { required: true }),
    field.many2one('location_id', 'Location', 'stock.location', { required: true }),
    field.many2one('product_id', 'Product', 'product.product', { required: true }),
    field.many2one('product_uom', 'Unit of Measure', 'uom.uom', { ...READONLY, until: '18.0' }),
    field.many2one('product_uom', 'Unit', 'uom.uom', { ...READONLY, since: '19.0' }),
    field.float('product_min_qty', 'Min Quantity', { required: true, aggregator: false }),
    field.float('product_max_qty', 'Max Quantity', { required: true, aggregator: false }),
    field.float('qty_multiple', 'Multiple Quantity', { required: true, aggregator: false }),
    field.many2one('company_id', 'Company', 'res.company', { required: true }),
    field.float('qty_on_hand', 'On Hand', COMPUTED),
    field.float('qty_forecast', 'Forecast', COMPUTED),
    field.float('qty_to_order', 'To Order'),
  ],
};
