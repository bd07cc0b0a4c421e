import { describe, expect, it } from 'vitest';
import { noCurrencies } from '../../src/mcp/aggregate/currency.js';
import { parseGroupOrder } from '../../src/mcp/aggregate/order.js';
import { formatNumber, renderGroupLine } from '../../src/mcp/aggregate/render.js';
import { parseGroupby, parseMeasures } from '../../src/mcp/aggregate/specs.js';
import { ToolError } from '../../src/mcp/errors.js';
import { type FieldMap, parseFieldsGet } from '../../src/mcp/fields.js';
import { recordedResult } from './helpers.js';

const fields: FieldMap = parseFieldsGet(recordedResult('odoo18', 'fields_get_sale_order'));

/** Returns the ToolError `action` throws, failing the test when it throws nothing else. */
function toolError(action: () => unknown): ToolError {
  try {
    action();
  } catch (error) {
    if (error instanceof ToolError) {
      return error;
    }
    throw error;
  }
  throw new Error('expected a ToolError');
}

describe('groupby parsing', () => {
  it('keeps fields and date periods', () => {
    const { levels, defaultedToMonth } = parseGroupby(
      ['partner_id', ' date_order:week ', 'state'],
      fields,
      'sale.order',
    );
    expect(levels.map((level) => level.spec)).toEqual(['partner_id', 'date_order:week', 'state']);
    expect(levels[1]?.granularity).toBe('week');
    expect(levels[0]?.granularity).toBeUndefined();
    expect(defaultedToMonth).toEqual([]);
  });

  it('groups a date field by month by default', () => {
    const { levels, defaultedToMonth } = parseGroupby(['date_order'], fields, 'sale.order');
    expect(levels[0]?.spec).toBe('date_order:month');
    expect(defaultedToMonth).toEqual(['date_order']);
  });

  it('drops a repeated level', () => {
    const { levels } = parseGroupby(['state', 'state'], fields, 'sale.order');
    expect(levels).toHaveLength(1);
  });

  it('suggests close names for an unknown field', () => {
    const error = toolError(() => parseGroupby(['partnr_id'], fields, 'sale.order'));
    expect(error.kind).toBe('unknown_field');
    expect(error.message).toContain('sale.order has no field "partnr_id" (in groupby).');
    expect(error.message).toContain('"partner_id"');
  });

  it('rejects a period on a field that is not a date', () => {
    const error = toolError(() => parseGroupby(['partner_id:month'], fields, 'sale.order'));
    expect(error.kind).toBe('invalid_value');
    expect(error.message).toContain('is a many2one field');
    expect(error.message).toContain('Write "partner_id" alone.');
  });

  it('rejects an unknown period', () => {
    const error = toolError(() => parseGroupby(['date_order:hour'], fields, 'sale.order'));
    expect(error.message).toContain('Invalid period "hour"');
    expect(error.message).toContain('day, week, month, quarter, year');
  });

  it('rejects a one2many field', () => {
    const error = toolError(() => parseGroupby(['order_line'], fields, 'sale.order'));
    expect(error.message).toContain('which is a one2many field');
  });

  it('rejects a related path', () => {
    const error = toolError(() => parseGroupby(['partner_id.country_id'], fields, 'sale.order'));
    expect(error.message).toContain('only fields of sale.order itself');
    expect(error.message).toContain('group by the many2one field "partner_id"');
  });

  it('rejects a malformed spec', () => {
    const error = toolError(() => parseGroupby(['date_order:month:x'], fields, 'sale.order'));
    expect(error.message).toContain('Invalid groupby "date_order:month:x"');
  });
});

describe('measure parsing', () => {
  it('keeps numeric aggregates and skips __count', () => {
    const measures = parseMeasures(
      ['amount_total:sum', '__count', 'amount_untaxed:avg', 'amount_total:sum'],
      fields,
      'sale.order',
    );
    expect(measures.map((measure) => measure.spec)).toEqual([
      'amount_total:sum',
      'amount_untaxed:avg',
    ]);
  });

  it('names the type of a field that cannot be summed', () => {
    const error = toolError(() => parseMeasures(['partner_id:sum'], fields, 'sale.order'));
    expect(error.kind).toBe('invalid_value');
    expect(error.message).toContain('"partner_id" ("Customer") is a many2one field');
    const dated = toolError(() => parseMeasures(['date_order:max'], fields, 'sale.order'));
    expect(dated.message).toContain('is a datetime field');
  });

  it('asks for the aggregate function', () => {
    const error = toolError(() => parseMeasures(['amount_total'], fields, 'sale.order'));
    expect(error.message).toContain('such as "amount_total:sum"');
  });

  it('rejects an unknown function', () => {
    const error = toolError(() => parseMeasures(['amount_total:median'], fields, 'sale.order'));
    expect(error.message).toContain('"median" is not one of sum, avg, min, max');
  });

  it('suggests close names for an unknown field', () => {
    const error = toolError(() => parseMeasures(['amount_totl:sum'], fields, 'sale.order'));
    expect(error.kind).toBe('unknown_field');
    expect(error.message).toContain('(in measures). Did you mean "amount_total"');
  });
});

describe('group order parsing', () => {
  const { levels } = parseGroupby(['partner_id', 'date_order:month'], fields, 'sale.order');
  const measures = parseMeasures(['amount_total:sum'], fields, 'sale.order');

  it('reads levels, measures and the count', () => {
    const terms = parseGroupOrder(
      'amount_total:sum desc, date_order, count DESC',
      levels,
      measures,
    );
    expect(terms.map((term) => [term.target.kind, term.descending])).toEqual([
      ['measure', true],
      ['level', false],
      ['count', true],
    ]);
  });

  it('rejects a term that is not part of the call', () => {
    const error = toolError(() => parseGroupOrder('amount_untaxed:sum desc', levels, measures));
    expect(error.kind).toBe('invalid_order');
    expect(error.message).toContain(
      '"partner_id", "date_order:month", "amount_total:sum", "count"',
    );
    expect(error.message).toContain('add it to measures');
  });

  it('rejects SQL-like text', () => {
    const error = toolError(() => parseGroupOrder('count; drop table', levels, measures));
    expect(error.kind).toBe('invalid_order');
  });
});

describe('group lines', () => {
  it('formats numbers with grouped thousands', () => {
    expect(formatNumber(12345, 2)).toBe('12,345.00');
    expect(formatNumber(1234567.891, 2)).toBe('1,234,567.89');
    expect(formatNumber(-1500, 0)).toBe('-1,500');
    expect(formatNumber(-0.001, 2)).toBe('0.00');
    expect(formatNumber(999, 0)).toBe('999');
  });

  it('renders one line per group with the currency', () => {
    const { levels } = parseGroupby(['date_order:month', 'partner_id'], fields, 'sale.order');
    const measures = parseMeasures(['amount_total:sum', 'amount_total:avg'], fields, 'sale.order');
    const currencies = noCurrencies();
    currencies.shared.set('amount_total:sum', 'USD');
    const group = {
      'date_order:month': { value: '2026-10-01', label: 'October 2026' },
      partner_id: { value: 14, label: 'Azure Interior' },
      'amount_total:sum': 12345,
      'amount_total:avg': null,
      count: 4,
    };
    expect(renderGroupLine(group, { levels, measures, currencies })).toBe(
      'October 2026 · Azure Interior — count 4, amount_total 12,345.00 USD, amount_total (avg) none',
    );
  });

  it('gives an average the currency of its field', () => {
    const { levels } = parseGroupby(['partner_id'], fields, 'sale.order');
    const measures = parseMeasures(['amount_total:sum', 'amount_total:avg'], fields, 'sale.order');
    const currencies = noCurrencies();
    currencies.shared.set('amount_total:sum', 'USD');
    const group = {
      partner_id: { value: 14, label: 'Azure Interior' },
      'amount_total:sum': 3000,
      'amount_total:avg': 1500,
      count: 2,
    };
    expect(renderGroupLine(group, { levels, measures, currencies })).toBe(
      'Azure Interior — count 2, amount_total 3,000.00 USD, amount_total (avg) 1,500.00 USD',
    );
  });

  it('shows an amount group value as money', () => {
    const { levels } = parseGroupby(['amount_total'], fields, 'sale.order');
    const group = { amount_total: { value: 377.5, label: '377.5' }, count: 1 };
    const plain = { levels, measures: [], currencies: noCurrencies() };
    expect(renderGroupLine(group, plain)).toBe('377.50 — count 1');
    const measures = parseMeasures(['amount_total:max'], fields, 'sale.order');
    const currencies = noCurrencies();
    currencies.shared.set('amount_total:max', 'USD');
    const withMax = { ...group, 'amount_total:max': 377.5 };
    expect(renderGroupLine(withMax, { levels, measures, currencies })).toBe(
      '377.50 USD — count 1, amount_total (max) 377.50 USD',
    );
  });

  it('takes each group’s currency from a currency level', () => {
    const { levels } = parseGroupby(['currency_id'], fields, 'sale.order');
    const measures = parseMeasures(['amount_total:sum'], fields, 'sale.order');
    const currencies = noCurrencies();
    currencies.perGroup.set('amount_total:sum', levels[0]!);
    const euro = { currency_id: { value: 2, label: 'EUR' }, 'amount_total:sum': 10, count: 1 };
    expect(renderGroupLine(euro, { levels, measures, currencies })).toBe(
      'EUR — count 1, amount_total 10.00 EUR',
    );
  });
});
