import type { FieldInfo, FieldMap } from './fields.js';

/** How many fields a tool reads when the model gives no `fields`, before `currency_id`. */
export const DEFAULT_FIELD_COUNT = 12;

/** The hard maximum of default fields, `currency_id` included. */
export const MAX_DEFAULT_FIELDS = 15;

/**
 * Field types worth reading by default. Binary, html and text can be huge, and x2many fields
 * are lists of ids that mean little without another call.
 */
const DEFAULT_TYPES = new Set([
  'char',
  'selection',
  'date',
  'datetime',
  'monetary',
  'float',
  'integer',
  'many2one',
  'boolean',
]);

/**
 * Names that mean the same thing on most Odoo models, in the order they are shown. Only
 * stored fields are taken by default, except `display_name`: a computed field such as
 * `qty_available` reads other models (stock moves) that the person may not be allowed to read,
 * and one refused field makes Odoo refuse the whole read.
 */
const PREFERRED_NAMES = [
  'name',
  'display_name',
  'login',
  'default_code',
  'ref',
  'partner_id',
  'move_type',
  'product_id',
  'state',
  'stage_id',
  'date_order',
  'date',
  'invoice_date',
  'invoice_date_due',
  'date_deadline',
  'scheduled_date',
  'validity_date',
  'amount_untaxed',
  'amount_total',
  'amount_residual',
  'payment_state',
  'invoice_status',
  'price_unit',
  'list_price',
  'product_uom_qty',
  'quantity',
  'account_id',
  'debit',
  'credit',
  'balance',
  'move_id',
  'location_id',
  'lot_id',
  'email',
  'phone',
  'city',
  'country_id',
  'is_company',
  'user_id',
  'invoice_user_id',
  'employee_id',
  'team_id',
  'categ_id',
  'type',
  'company_id',
];

/**
 * Fields of Odoo's mixins (mail, activities, portal) and bookkeeping fields. `active` is
 * left out too, because searches skip archived records unless the domain names `active`.
 */
const TECHNICAL_PREFIXES = ['message_', 'activity_', 'my_activity_', 'website_', 'access_', '__'];
const TECHNICAL_NAMES = new Set([
  'id',
  'active',
  'create_date',
  'create_uid',
  'write_date',
  'write_uid',
  'sequence',
]);

/**
 * Chooses the fields to read when the model names none. These are the preferred names the
 * model has, in that order, then other stored fields ranked by type, up to
 * `DEFAULT_FIELD_COUNT`. `currency_id` is added when a monetary field is chosen, so amounts
 * are shown with their currency.
 */
export function selectDefaultFields(fields: FieldMap): string[] {
  const candidates = [...fields.values()].filter(isDefaultCandidate);
  const preferred = PREFERRED_NAMES.filter((name) =>
    candidates.some(
      (field) => field.name === name && (field.store !== false || name === 'display_name'),
    ),
  );
  const others = candidates
    .filter((field) => !PREFERRED_NAMES.includes(field.name) && field.store !== false)
    .sort((a, b) => typeRank(a) - typeRank(b) || Number(b.required) - Number(a.required));
  let chosen = [...preferred, ...others.map((field) => field.name)];
  // On most models display_name is built from name, so reading both adds nothing.
  if (chosen.includes('name')) {
    chosen = chosen.filter((name) => name !== 'display_name');
  }
  const selected = chosen.slice(0, DEFAULT_FIELD_COUNT);
  addCurrency(selected, fields);
  return selected.slice(0, MAX_DEFAULT_FIELDS);
}

function isDefaultCandidate(field: FieldInfo): boolean {
  if (!DEFAULT_TYPES.has(field.type) || TECHNICAL_NAMES.has(field.name)) {
    return false;
  }
  return !TECHNICAL_PREFIXES.some((prefix) => field.name.startsWith(prefix));
}

/** People and partners first, then states, dates, amounts, and the rest. */
function typeRank(field: FieldInfo): number {
  if (
    field.type === 'many2one' &&
    (field.relation === 'res.partner' || field.relation === 'res.users')
  ) {
    return 0;
  }
  const ranks: Record<string, number> = {
    selection: 1,
    date: 2,
    datetime: 2,
    monetary: 3,
    char: 4,
  };
  return ranks[field.type] ?? 5;
}

function addCurrency(selected: string[], fields: FieldMap): void {
  const hasMoney = selected.some((name) => fields.get(name)?.type === 'monetary');
  if (hasMoney && fields.has('currency_id') && !selected.includes('currency_id')) {
    selected.push('currency_id');
  }
}
