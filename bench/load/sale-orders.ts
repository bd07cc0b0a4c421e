/**
 * The `sale.order` model the responder serves: a subset of Odoo 18.0's `fields_get` and a fixed
 * set of orders, in the shapes a real server returns over JSON-RPC.
 */

/** One field as `fields_get` describes it, with the attributes the bridge asks for. */
type FieldDescription = Record<string, unknown> & { type: string; string: string };

const STATES: Array<[string, string]> = [
  ['draft', 'Quotation'],
  ['sent', 'Quotation Sent'],
  ['sale', 'Sales Order'],
  ['cancel', 'Cancelled'],
];

const INVOICE_STATUSES: Array<[string, string]> = [
  ['upselling', 'Upselling Opportunity'],
  ['invoiced', 'Fully Invoiced'],
  ['to invoice', 'To Invoice'],
  ['no', 'Nothing to Invoice'],
];

function field(type: string, label: string, extra: Record<string, unknown> = {}): FieldDescription {
  return { type, string: label, required: false, readonly: false, store: true, ...extra };
}

/** `sale.order` `fields_get` with the attributes string, type, relation, selection and the like. */
export const SALE_ORDER_FIELDS: Record<string, FieldDescription> = {
  id: field('integer', 'ID', { readonly: true }),
  name: field('char', 'Order Reference', { required: true }),
  display_name: field('char', 'Display Name', { readonly: true, store: false }),
  partner_id: field('many2one', 'Customer', { relation: 'res.partner', required: true }),
  user_id: field('many2one', 'Salesperson', { relation: 'res.users' }),
  team_id: field('many2one', 'Sales Team', { relation: 'crm.team' }),
  company_id: field('many2one', 'Company', { relation: 'res.company', required: true }),
  state: field('selection', 'Status', { readonly: true, selection: STATES }),
  date_order: field('datetime', 'Order Date', { required: true }),
  validity_date: field('date', 'Expiration'),
  client_order_ref: field('char', 'Customer Reference'),
  currency_id: field('many2one', 'Currency', { relation: 'res.currency', readonly: true }),
  amount_untaxed: field('monetary', 'Untaxed Amount', {
    readonly: true,
    currency_field: 'currency_id',
  }),
  amount_tax: field('monetary', 'Taxes', { readonly: true, currency_field: 'currency_id' }),
  amount_total: field('monetary', 'Total', { readonly: true, currency_field: 'currency_id' }),
  invoice_status: field('selection', 'Invoice Status', {
    readonly: true,
    selection: INVOICE_STATUSES,
  }),
  note: field('html', 'Terms and conditions'),
  order_line: field('one2many', 'Order Lines', { relation: 'sale.order.line' }),
  tag_ids: field('many2many', 'Tags', { relation: 'crm.tag' }),
  create_date: field('datetime', 'Creation Date', { readonly: true }),
};

/** How many orders the responder holds; `search_count` returns it for every domain. */
export const SALE_ORDER_COUNT = 120;

const CUSTOMERS: Array<[number, string]> = [
  [10, 'Deco Addict'],
  [12, 'Ready Mat'],
  [14, 'Azure Interior'],
  [15, 'Wood Corner'],
  [17, 'Gemini Furniture'],
  [26, 'Lumber Inc'],
];

const SALESPEOPLE: Array<[number, string] | false> = [
  [8, 'Alice Sales'],
  [9, 'Bob Manager'],
  false,
];

/** Builds order `id` (1-based), with a value for every field of `SALE_ORDER_FIELDS`. */
function saleOrder(id: number): Record<string, unknown> {
  const name = `S${String(id).padStart(5, '0')}`;
  const untaxed = Math.round(((id * 7919) % 50_000) + 250) / 10;
  const tax = Math.round(untaxed * 15) / 100;
  const day = String(1 + (id % 28)).padStart(2, '0');
  const month = String(1 + (id % 12)).padStart(2, '0');
  return {
    id,
    name,
    display_name: name,
    partner_id: CUSTOMERS[id % CUSTOMERS.length],
    user_id: SALESPEOPLE[id % SALESPEOPLE.length],
    team_id: [1, 'Sales'],
    company_id: [1, 'My Company (San Francisco)'],
    state: STATES[id % STATES.length]![0],
    date_order: `2026-${month}-${day} 15:33:00`,
    validity_date: `2026-${month}-${day}`,
    client_order_ref: id % 3 === 0 ? `PO-${id}` : false,
    currency_id: [1, 'USD'],
    amount_untaxed: untaxed,
    amount_tax: tax,
    amount_total: Math.round((untaxed + tax) * 100) / 100,
    invoice_status: INVOICE_STATUSES[id % INVOICE_STATUSES.length]![0],
    note: '<p>Payment terms: 30 days</p>',
    order_line: [id * 3, id * 3 + 1, id * 3 + 2],
    tag_ids: [],
    create_date: `2026-${month}-${day} 15:33:00`,
  };
}

/** Every order, in id order. */
export const SALE_ORDERS: ReadonlyArray<Record<string, unknown>> = Array.from(
  { length: SALE_ORDER_COUNT },
  (_, index) => saleOrder(index + 1),
);
