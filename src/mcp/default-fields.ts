import { missingCurrencyFields } from './currency.js';
import type { FieldInfo, FieldMap } from './fields.js';

/** How many fields a tool reads when the model gives no `fields`, before currency fields. */
export const DEFAULT_FIELD_COUNT = 12;

/**
 * Once this many fields are chosen, no field of a lower tier is added. Each default field is
 * repeated on every row of a search, so a short list of telling fields beats a full one.
 */
export const ENOUGH_DEFAULT_FIELDS = 8;

/** The hard maximum of default fields, currency fields included. */
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
  'categ_id',
  'type',
];

/**
 * Names taken last, only when the model has too few other fields. Odoo 18.0's sale.order list
 * view (sale_order_views.xml) hides `team_id` and `validity_date` unless the person shows them,
 * and shows `company_id` only to multi-company users. The bridge leaves `company_id` out for
 * everyone, because knowing a person's companies would cost a `res.users` read per call, and
 * the `company` argument or `fields` bring it back.
 */
const LOW_PRIORITY_NAMES = ['validity_date', 'team_id', 'company_id'];

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
 * Chooses the fields to read when the model names none, in three tiers: the preferred names
 * the model has, in their order, then other stored fields ranked by type, then the low-priority
 * names. A tier is added only while fewer than `ENOUGH_DEFAULT_FIELDS` are chosen, and at most
 * `DEFAULT_FIELD_COUNT` are kept. The currency fields of the chosen amounts are added, so
 * amounts are shown with their currency.
 */
export function selectDefaultFields(fields: FieldMap): string[] {
  const candidates = [...fields.values()].filter(isDefaultCandidate);
  const tiers = [preferredNames(candidates), otherNames(candidates), lowPriorityNames(candidates)];
  const chosen: string[] = [];
  for (const tier of tiers) {
    if (chosen.length >= ENOUGH_DEFAULT_FIELDS) {
      break;
    }
    chosen.push(...tier);
  }
  const selected = chosen.slice(0, DEFAULT_FIELD_COUNT);
  selected.push(...missingCurrencyFields(selected, fields));
  return selected.slice(0, MAX_DEFAULT_FIELDS);
}

function preferredNames(candidates: FieldInfo[]): string[] {
  const preferred = PREFERRED_NAMES.filter((name) =>
    candidates.some(
      (field) => field.name === name && (field.store !== false || name === 'display_name'),
    ),
  );
  // On most models display_name is built from name, so reading both adds nothing.
  return preferred.includes('name')
    ? preferred.filter((name) => name !== 'display_name')
    : preferred;
}

function otherNames(candidates: FieldInfo[]): string[] {
  return candidates
    .filter((field) => !isNamed(field) && field.store !== false)
    .sort((a, b) => typeRank(a) - typeRank(b) || Number(b.required) - Number(a.required))
    .map((field) => field.name);
}

function lowPriorityNames(candidates: FieldInfo[]): string[] {
  return LOW_PRIORITY_NAMES.filter((name) =>
    candidates.some((field) => field.name === name && field.store !== false),
  );
}

function isNamed(field: FieldInfo): boolean {
  return PREFERRED_NAMES.includes(field.name) || LOW_PRIORITY_NAMES.includes(field.name);
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
