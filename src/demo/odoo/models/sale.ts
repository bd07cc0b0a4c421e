import { field } from '../orm/fields.js';
import { many2oneId, type ModelSpec } from '../orm/database.js';
import { INTERNAL_USERS, SALES_READERS } from '../access/groups.js';

export const SALE_ORDER_STATES: [string, string][] = [
  ['draft', 'Quotation'],
  ['sent', 'Quotation Sent'],
  ['sale', 'Sales Order'],
  ['cancel', 'Cancelled'],
];

const INVOICE_STATUSES: [string, string][] = [
  ['upselling', 'Upselling Opportunity'],
  ['invoiced', 'Fully Invoiced'],
  ['to invoice', 'To Invoice'],
  ['no', 'Nothing to Invoice'],
];

const READONLY = { readonly: true };
const COMPUTED = { readonly: true, store: false };

export const SALE_ORDER: ModelSpec = {
  name: 'sale.order',
  description: 'Sales Order',
  order: 'date_order desc, id desc',
  nameSearchFields: ['name', 'partner_id.name'],
  readGroups: SALES_READERS,
  fields: [
    field.char('name', 'Order Reference', { required: true }),
    field.many2one('company_id', 'Company', 'res.company', { required: true }),
    field.many2one('partner_id', 'Customer', 'res.partner', { required: true }),
    field.selection('state', 'Status', SALE_ORDER_STATES, READONLY),
    field.boolean('locked', 'Locked', { help: 'Locked orders cannot be modified.' }),
    field.char('client_order_ref', 'Customer Reference'),
    field.datetime('create_date', 'Creation Date', READONLY),
    field.datetime('commitment_date', 'Delivery Date'),
    field.datetime('date_order', 'Order Date', {
      required: true,
      help: 'Creation date of draft/sent orders,\nConfirmation date of confirmed orders.',
    }),
    field.char('origin', 'Source Document'),
    field.char('reference', 'Payment Ref.'),
    field.boolean('require_signature', 'Online signature'),
    field.boolean('require_payment', 'Online payment'),
    field.binary('signature', 'Signature'),
    field.char('signed_by', 'Signed By'),
    field.datetime('signed_on', 'Signed On'),
    field.date('validity_date', 'Expiration', {
      help: 'Validity of the order, after that you will not able to sign & pay the quotation.',
    }),
    field.html('note', 'Terms and conditions'),
    field.many2one('partner_invoice_id', 'Invoice Address', 'res.partner', { required: true }),
    field.many2one('partner_shipping_id', 'Delivery Address', 'res.partner', { required: true }),
    field.many2one('payment_term_id', 'Payment Terms', 'account.payment.term'),
    field.many2one('currency_id', 'Currency', 'res.currency', READONLY),
    field.float('currency_rate', 'Currency Rate', READONLY),
    field.many2one('user_id', 'Salesperson', 'res.users'),
    field.many2one('team_id', 'Sales Team', 'crm.team'),
    field.one2many('order_line', 'Order Lines', 'sale.order.line', 'order_id'),
    field.monetary('amount_untaxed', 'Untaxed Amount', READONLY),
    field.monetary('amount_tax', 'Taxes', READONLY),
    field.monetary('amount_total', 'Total', READONLY),
    field.monetary('amount_to_invoice', 'Amount to invoice', { ...COMPUTED, until: '17.0' }),
    field.monetary('amount_to_invoice', 'Un-invoiced Balance', { ...COMPUTED, since: '18.0' }),
    field.monetary('amount_invoiced', 'Already invoiced', COMPUTED),
    field.integer('invoice_count', 'Invoice Count', COMPUTED),
    field.many2many('invoice_ids', 'Invoices', 'account.move', { ...COMPUTED, searchable: true }),
    field.selection('invoice_status', 'Invoice Status', INVOICE_STATUSES, READONLY),
    field.float('amount_paid', 'Amount Paid', { ...COMPUTED, until: '17.0' }),
    field.float('amount_paid', 'Payment Transactions Amount', { ...COMPUTED, since: '18.0' }),
    field.many2many('tag_ids', 'Tags', 'crm.tag'),
    field.char('country_code', 'Country code', COMPUTED),
    field.boolean('has_archived_products', 'Has Archived Products', { ...COMPUTED, since: '18.0' }),
    field.boolean('is_expired', 'Is Expired', COMPUTED),
    field.selection(
      'picking_policy',
      'Shipping Policy',
      [
        ['direct', 'As soon as possible'],
        ['one', 'When all products are ready'],
      ],
      { required: true },
    ),
    field.many2one('warehouse_id', 'Warehouse', 'stock.warehouse', {
      required: true,
      until: '17.0',
    }),
    field.many2one('warehouse_id', 'Warehouse', 'stock.warehouse', { since: '18.0' }),
    field.selection(
      'delivery_status',
      'Delivery Status',
      [
        ['pending', 'Not Delivered'],
        ['started', 'Started'],
        ['partial', 'Partially Delivered'],
        ['full', 'Fully Delivered'],
      ],
      READONLY,
    ),
    field.datetime('effective_date', 'Effective Date', READONLY),
  ],
};

export const SALE_ORDER_LINE: ModelSpec = {
  name: 'sale.order.line',
  description: 'Sales Order Line',
  order: 'order_id, sequence, id',
  nameSearchFields: ['name', 'order_id.name'],
  readGroups: SALES_READERS,
  fields: [
    field.many2one('order_id', 'Order Reference', 'sale.order', { required: true }),
    field.integer('sequence', 'Sequence', { aggregator: false }),
    field.many2one('company_id', 'Company', 'res.company', READONLY),
    field.many2one('currency_id', 'Currency', 'res.currency', READONLY),
    field.many2one('order_partner_id', 'Customer', 'res.partner', READONLY),
    field.many2one('salesman_id', 'Salesperson', 'res.users', READONLY),
    field.selection('state', 'Order Status', SALE_ORDER_STATES, READONLY),
    field.selection('display_type', 'Display Type', [
      ['line_section', 'Section'],
      ['line_note', 'Note'],
    ]),
    field.boolean('is_downpayment', 'Is a down payment'),
    field.many2one('product_id', 'Product', 'product.product'),
    field.many2one('product_template_id', 'Product Template', 'product.template'),
    field.many2one('product_uom_category_id', 'Category', 'uom.category', {
      ...READONLY,
      store: false,
      until: '18.0',
    }),
    field.text('name', 'Description', { required: true }),
    field.float('product_uom_qty', 'Quantity'),
    field.many2one('product_uom', 'Unit of Measure', 'uom.uom', { until: '18.0' }),
    field.many2one('product_uom_id', 'Unit', 'uom.uom', { since: '19.0' }),
    field.many2many('tax_id', 'Taxes', 'account.tax', { until: '18.0' }),
    field.many2many('tax_ids', 'Taxes', 'account.tax', { since: '19.0' }),
    field.float('price_unit', 'Unit Price', { aggregator: false }),
    field.float('discount', 'Discount (%)', { aggregator: false }),
    field.monetary('price_subtotal', 'Subtotal', READONLY),
    field.float('price_tax', 'Total Tax', READONLY),
    field.monetary('price_total', 'Total', READONLY),
    field.float('customer_lead', 'Lead Time', { aggregator: false }),
    field.float('qty_delivered', 'Delivery Quantity'),
    field.float('qty_invoiced', 'Invoiced Quantity', READONLY),
    field.float('qty_to_invoice', 'Quantity To Invoice', READONLY),
    field.many2many('invoice_lines', 'Invoice Lines', 'account.move.line'),
    field.selection('invoice_status', 'Invoice Status', INVOICE_STATUSES.slice(1), READONLY),
    field.monetary('untaxed_amount_invoiced', 'Untaxed Invoiced Amount', READONLY),
    field.monetary('untaxed_amount_to_invoice', 'Untaxed Amount To Invoice', READONLY),
    field.selection(
      'product_type',
      'Product Type',
      [
        ['consu', 'Consumable'],
        ['service', 'Service'],
        ['product', 'Storable Product'],
      ],
      { ...COMPUTED, until: '17.0' },
    ),
    field.selection(
      'product_type',
      'Product Type',
      [
        ['consu', 'Goods'],
        ['service', 'Service'],
        ['combo', 'Combo'],
      ],
      { ...COMPUTED, since: '18.0' },
    ),
    field.many2one('warehouse_id', 'Warehouse', 'stock.warehouse', COMPUTED),
    field.boolean('is_storable', 'Track Inventory', { ...COMPUTED, since: '18.0' }),
  ],
  displayName: (record, db) => {
    const order = db.table('sale.order')?.get(many2oneId(record.order_id) || 0);
    const partner = db.table('res.partner')?.get(many2oneId(record.order_partner_id) || 0);
    const description = String(record.name).split('\n')[0];
    return `${String(order?.name)} - ${description} (${String(partner?.display_name)})`;
  },
};

export const CRM_TEAM: ModelSpec = {
  name: 'crm.team',
  description: 'Sales Team',
  order: 'sequence ASC, create_date DESC, id DESC',
  readGroups: INTERNAL_USERS,
  fields: [
    field.char('name', 'Sales Team', { required: true }),
    field.integer('sequence', 'Sequence', { aggregator: false }),
    field.boolean('active', 'Active'),
    field.many2one('company_id', 'Company', 'res.company'),
    field.many2one('currency_id', 'Currency', 'res.currency', COMPUTED),
    field.many2one('user_id', 'Team Leader', 'res.users'),
    field.many2many('member_ids', 'Salespersons', 'res.users'),
    field.integer('color', 'Color Index', { aggregator: false }),
    field.monetary('invoiced_target', 'Invoicing Target'),
  ],
};

export const CRM_TAG: ModelSpec = {
  name: 'crm.tag',
  description: 'CRM Tag',
  order: 'name',
  readGroups: INTERNAL_USERS,
  fields: [
    field.char('name', 'Tag Name', { required: true }),
    field.integer('color', 'Color', { aggregator: false }),
  ],
};
