import { type DemoRecord, type Env, many2oneId, type ModelSpec } from '../orm/database.js';
import { field } from '../orm/fields.js';
import { EVERYONE } from '../access/groups.js';

const ADDRESS_TYPES_UNTIL_18: [string, string][] = [
  ['contact', 'Contact'],
  ['invoice', 'Invoice Address'],
  ['delivery', 'Delivery Address'],
  ['other', 'Other Address'],
];

const ADDRESS_TYPES_19: [string, string][] = [
  ['contact', 'Contact'],
  ['invoice', 'Invoice'],
  ['delivery', 'Delivery'],
  ['other', 'Other'],
];

const ADDRESS_TYPE_HELP =
  '- Contact: Use this to organize the contact details of employees of a given company (e.g. ' +
  'CEO, CFO, ...).\n- Invoice Address: Preferred address for all invoices. Selected by default ' +
  'when you invoice an order that belongs to this company.\n- Delivery Address: Preferred ' +
  'address for all deliveries. Selected by default when you deliver an order that belongs to ' +
  'this company.\n- Other: Other address for the company (e.g. subsidiary, ...)';

/**
 * Computes Odoo's `credit` ("Total Receivable"): what the commercial entity of a partner still
 * owes on posted customer invoices, less credit notes, in the call's companies.
 */
function totalReceivable(partner: DemoRecord, env: Env): number {
  const moves = env.db.table('account.move');
  if (moves === undefined) {
    return 0;
  }
  const commercial = many2oneId(partner.commercial_partner_id) || partner.id;
  const companies = env.companyIds();
  let total = 0;
  for (const move of moves.records.values()) {
    const ownsMove = move.commercial_partner_id === commercial && move.state === 'posted';
    if (!ownsMove || !companies.includes(move.company_id as number)) {
      continue;
    }
    if (move.move_type === 'out_invoice') {
      total += Number(move.amount_residual);
    } else if (move.move_type === 'out_refund') {
      total -= Number(move.amount_residual);
    }
  }
  return Math.round(total * 100) / 100;
}

export const RES_PARTNER: ModelSpec = {
  name: 'res.partner',
  description: 'Contact',
  order: 'complete_name ASC, id DESC',
  recName: 'name',
  nameSearchFields: ['complete_name', 'email', 'ref', 'vat'],
  readGroups: EVERYONE,
  fields: [
    field.char('name', 'Name'),
    field.char('complete_name', 'Complete Name', { readonly: true }),
    field.binary('image_1920', 'Image'),
    field.binary('image_128', 'Image 128', { readonly: true, store: false }),
    field.many2one('parent_id', 'Related Company', 'res.partner'),
    field.one2many('child_ids', 'Contact', 'res.partner', 'parent_id'),
    field.char('ref', 'Reference'),
    field.selection('lang', 'Language', [['en_US', 'English (US)']]),
    field.many2one('user_id', 'Salesperson', 'res.users'),
    field.char('vat', 'Tax ID'),
    field.char('website', 'Website Link'),
    field.html('comment', 'Notes'),
    field.many2many('category_id', 'Tags', 'res.partner.category'),
    field.boolean('active', 'Active'),
    field.char('function', 'Job Position'),
    field.selection('type', 'Address Type', ADDRESS_TYPES_UNTIL_18, {
      until: '17.0',
      help: ADDRESS_TYPE_HELP,
    }),
    field.selection('type', 'Address Type', ADDRESS_TYPES_UNTIL_18, {
      since: '18.0',
      until: '18.0',
    }),
    field.selection('type', 'Address Type', ADDRESS_TYPES_19, { since: '19.0' }),
    field.char('street', 'Street'),
    field.char('street2', 'Street2'),
    field.char('zip', 'Zip'),
    field.char('city', 'City'),
    field.many2one('state_id', 'State', 'res.country.state'),
    field.many2one('country_id', 'Country', 'res.country'),
    field.char('country_code', 'Country Code', { readonly: true, store: false }),
    field.char('email', 'Email'),
    field.char('phone', 'Phone'),
    field.char('mobile', 'Mobile', { until: '18.0' }),
    field.boolean('is_company', 'Is a Company', {
      help: 'Check if the contact is a company, otherwise it is a person',
    }),
    field.many2one('company_id', 'Company', 'res.company'),
    field.many2one('commercial_partner_id', 'Commercial Entity', 'res.partner', { readonly: true }),
    field.char('commercial_company_name', 'Company Name Entity', { readonly: true }),
    field.one2many('user_ids', 'Users', 'res.users', 'partner_id'),
    field.integer('customer_rank', 'Customer Rank', { aggregator: false }),
    field.integer('supplier_rank', 'Supplier Rank', { aggregator: false }),
    field.one2many('sale_order_ids', 'Sales Order', 'sale.order', 'partner_id'),
    field.integer('sale_order_count', 'Sale Order Count', { readonly: true, store: false }),
    field.one2many('invoice_ids', 'Invoices', 'account.move', 'partner_id', { readonly: true }),
    field.monetary('credit', 'Total Receivable', {
      readonly: true,
      store: false,
      searchable: true,
      compute: totalReceivable,
    }),
    field.many2one('currency_id', 'Currency', 'res.currency', { readonly: true, store: false }),
  ],
  displayName: (record) => String(record.complete_name),
};
