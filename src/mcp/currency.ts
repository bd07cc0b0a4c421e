import type { FieldInfo, FieldMap } from './fields.js';

/**
 * Fields that contain prices but that Odoo types `float`, not `monetary`, on its standard models
 * (sale.order.line, account.move.line, product.template, product.product). Odoo gives them no
 * `currency_field`, so the record's `currency_id` is taken.
 */
const PRICE_FIELD_NAMES: ReadonlySet<string> = new Set([
  'price_unit',
  'list_price',
  'lst_price',
  'standard_price',
  'price_subtotal',
  'price_total',
  'price_tax',
  'price_reduce',
]);

/**
 * Returns the field that contains the currency of `field`'s amounts: Odoo's `currency_field` for a
 * monetary field (`currency_id` when Odoo left it out), `currency_id` for a price field, and
 * undefined for any other field. It does not check that the model has that field.
 */
export function amountCurrencyField(field: FieldInfo | undefined): string | undefined {
  if (field?.type === 'monetary') {
    return field.currencyField ?? 'currency_id';
  }
  const isNumber = field?.type === 'float' || field?.type === 'integer';
  return isNumber && PRICE_FIELD_NAMES.has(field.name) ? 'currency_id' : undefined;
}

/**
 * Returns the currency fields the amounts among `names` need and `names` lacks, so that a read
 * of `names` can add them. Only many2one fields to res.currency of the model count.
 */
export function missingCurrencyFields(names: readonly string[], fields: FieldMap): string[] {
  const missing: string[] = [];
  for (const name of names) {
    const currencyName = amountCurrencyField(fields.get(name));
    if (currencyName === undefined || names.includes(currencyName)) {
      continue;
    }
    const currency = fields.get(currencyName);
    const isCurrency =
      currency?.type === 'many2one' && (currency.relation ?? 'res.currency') === 'res.currency';
    if (isCurrency && !missing.includes(currencyName)) {
      missing.push(currencyName);
    }
  }
  return missing;
}
