import { field } from '../orm/fields.js';
import type { ModelSpec } from '../orm/database.js';
import { INTERNAL_USERS, INVOICE_READERS } from '../access/groups.js';

const MOVE_TYPES: [string, string][] = [
  ['entry', 'Journal Entry'],
  ['out_invoice', 'Customer Invoice'],
  ['out_refund', 'Customer Credit Note'],
  ['in_invoice', 'Vendor Bill'],
  ['in_refund', 'Vendor Credit Note'],
  ['out_receipt', 'Sales Receipt'],
  ['in_receipt', 'Purchase Receipt'],
];

const PAYMENT_STATES_17: [string, string][] = [
  ['not_paid', 'Not Paid'],
  ['in_payment', 'In Payment'],
  ['paid', 'Paid'],
  ['partial', 'Partially Paid'],
  ['reversed', 'Reversed'],
  ['invoicing_legacy', 'Invoicing App Legacy'],
];

// Odoo 18.0 added "Blocked" before the legacy state.
const PAYMENT_STATES_18: [string, string][] = [
  ...PAYMENT_STATES_17.slice(0, 5),
  ['blocked', 'Blocked'],
  ...PAYMENT_STATES_17.slice(5),
];

const MOVE_STATES: [string, string][] = [
  ['draft', 'Draft'],
  ['posted', 'Posted'],
  ['cancel', 'Cancelled'],
];

const READONLY = { readonly: true };

export const ACCOUNT_MOVE: ModelSpec = {
  name: 'account.move',
  description: 'Journal Entry',
  order: 'date desc, name desc, invoice_date desc, id desc',
  nameSearchFields: ['name', 'partner_id.name', 'ref'],
  readGroups: INVOICE_READERS,
  fields: [
    field.char('name', 'Number', { readonly: false }),
    field.char('ref', 'Reference'),
    field.date('date', 'Date', { required: true }),
    field.selection('state', 'Status', MOVE_STATES, { required: true, readonly: true }),
    field.selection('move_type', 'Type', MOVE_TYPES, { required: true, readonly: true }),
    field.many2one('journal_id', 'Journal', 'account.journal', { required: true }),
    field.many2one('company_id', 'Company', 'res.company', { required: true, readonly: true }),
    field.one2many('line_ids', 'Journal Items', 'account.move.line', 'move_id'),
    field.many2one('partner_id', 'Partner', 'res.partner'),
    field.many2one('commercial_partner_id', 'Commercial Entity', 'res.partner', READONLY),
    field.many2one('currency_id', 'Currency', 'res.currency', { required: true }),
    field.monetary('amount_untaxed', 'Untaxed Amount', READONLY),
    field.monetary('amount_tax', 'Tax', READONLY),
    field.monetary('amount_total', 'Total', READONLY),
    field.monetary('amount_residual', 'Amount Due', READONLY),
    field.monetary('amount_untaxed_signed', 'Untaxed Amount Signed', READONLY),
    field.monetary('amount_total_signed', 'Total Signed', READONLY),
    field.monetary('amount_residual_signed', 'Amount Due Signed', READONLY),
    field.selection('payment_state', 'Payment Status', PAYMENT_STATES_17, {
      ...READONLY,
      until: '17.0',
    }),
    field.selection('payment_state', 'Payment Status', PAYMENT_STATES_18, {
      ...READONLY,
      since: '18.0',
    }),
    field.date('invoice_date', 'Invoice/Bill Date'),
    field.date('invoice_date_due', 'Due Date'),
    field.many2one('invoice_payment_term_id', 'Payment Terms', 'account.payment.term'),
    field.one2many('invoice_line_ids', 'Invoice lines', 'account.move.line', 'move_id'),
    field.many2one('invoice_user_id', 'Salesperson', 'res.users'),
    field.char('invoice_origin', 'Origin', READONLY),
    field.char('payment_reference', 'Payment Reference'),
    field.html('narration', 'Terms and Conditions'),
    field.many2one('reversed_entry_id', 'Reversal of', 'account.move', READONLY),
    field.many2one('team_id', 'Sales Team', 'crm.team'),
    field.many2one('partner_shipping_id', 'Delivery Address', 'res.partner'),
  ],
  displayName: (record) =>
    record.name === '/'
      ? `Draft ${moveTypeLabel(String(record.move_type))} (* ${record.id})`
      : String(record.name),
};

function moveTypeLabel(moveType: string): string {
  return (
    {
      out_invoice: 'Invoice',
      out_refund: 'Credit Note',
      in_invoice: 'Bill',
      in_refund: 'Refund',
    }[moveType] ?? 'Entry'
  );
}

export const ACCOUNT_MOVE_LINE: ModelSpec = {
  name: 'account.move.line',
  description: 'Journal Item',
  order: 'date desc, move_name desc, id',
  nameSearchFields: ['name', 'move_id.name'],
  readGroups: INVOICE_READERS,
  fields: [
    field.many2one('move_id', 'Journal Entry', 'account.move', { required: true }),
    field.char('move_name', 'Number', READONLY),
    field.date('date', 'Date', READONLY),
    field.selection('parent_state', 'Status', MOVE_STATES, READONLY),
    field.many2one('company_id', 'Company', 'res.company', READONLY),
    field.many2one('currency_id', 'Currency', 'res.currency', { required: true }),
    field.many2one('partner_id', 'Partner', 'res.partner'),
    field.many2one('product_id', 'Product', 'product.product'),
    field.char('name', 'Label'),
    field.float('quantity', 'Quantity'),
    field.many2one('product_uom_id', 'Unit of Measure', 'uom.uom'),
    field.float('price_unit', 'Unit Price', { aggregator: false }),
    field.float('discount', 'Discount (%)', { aggregator: false }),
    field.many2many('tax_ids', 'Taxes', 'account.tax'),
    field.monetary('price_subtotal', 'Subtotal', READONLY),
    field.monetary('price_total', 'Total', READONLY),
    field.selection('display_type', 'Display Type', [
      ['product', 'Product'],
      ['cogs', 'Cost of Goods Sold'],
      ['tax', 'Tax'],
      ['discount', 'Discount'],
      ['rounding', 'Rounding'],
      ['payment_term', 'Payment Term'],
      ['line_section', 'Section'],
      ['line_note', 'Note'],
      ['epd', 'Early Payment Discount'],
    ]),
    field.many2many('sale_line_ids', 'Sales Order Lines', 'sale.order.line'),
  ],
  displayName: (record) => `${String(record.move_name)} ${String(record.name)}`,
};

export const ACCOUNT_JOURNAL: ModelSpec = {
  name: 'account.journal',
  description: 'Journal',
  order: 'sequence, type, code',
  nameSearchFields: ['name', 'code'],
  readGroups: INTERNAL_USERS,
  fields: [
    field.char('name', 'Journal Name', { required: true }),
    field.char('code', 'Short Code', { required: true }),
    field.selection(
      'type',
      'Type',
      [
        ['sale', 'Sales'],
        ['purchase', 'Purchase'],
        ['cash', 'Cash'],
        ['bank', 'Bank'],
        ['general', 'Miscellaneous'],
      ],
      { required: true },
    ),
    field.integer('sequence', 'Sequence', { aggregator: false }),
    field.many2one('company_id', 'Company', 'res.company', { required: true }),
    field.boolean('active', 'Active'),
  ],
};

export const ACCOUNT_PAYMENT_TERM: ModelSpec = {
  name: 'account.payment.term',
  description: 'Payment Terms',
  order: 'sequence, id',
  readGroups: INTERNAL_USERS,
  fields: [
    field.char('name', 'Payment Terms', { required: true }),
    field.html('note', 'Description on the Invoice'),
    field.integer('sequence', 'Sequence', { aggregator: false }),
    field.many2one('company_id', 'Company', 'res.company'),
    field.boolean('active', 'Active'),
  ],
};

export const ACCOUNT_TAX: ModelSpec = {
  name: 'account.tax',
  description: 'Tax',
  order: 'sequence,id',
  readGroups: INTERNAL_USERS,
  fields: [
    field.char('name', 'Tax Name', { required: true }),
    field.float('amount', 'Amount', { aggregator: false }),
    field.selection(
      'amount_type',
      'Tax Computation',
      [
        ['group', 'Group of Taxes'],
        ['fixed', 'Fixed'],
        ['percent', 'Percentage'],
        ['division', 'Percentage Tax Included'],
      ],
      { required: true },
    ),
    field.selection(
      'type_tax_use',
      'Tax Type',
      [
        ['sale', 'Sales'],
        ['purchase', 'Purchases'],
        ['none', 'None'],
      ],
      { required: true },
    ),
    field.integer('sequence', 'Sequence', { aggregator: false }),
    field.many2one('company_id', 'Company', 'res.company', { required: true }),
    field.boolean('active', 'Active'),
  ],
};
