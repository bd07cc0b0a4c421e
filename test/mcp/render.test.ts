import { describe, expect, it } from 'vitest';
import { parseFieldsGet } from '../../src/mcp/fields.js';
import {
  capRecords,
  MAX_RESULT_CHARS,
  MAX_VALUE_CHARS,
  truncationNote,
  pageOfRecords,
} from '../../src/mcp/records.js';
import { recordUrl, renderRecord, type RenderContext } from '../../src/mcp/render.js';
import { parseOdooVersion } from '../../src/odoo/version.js';
import { recordedResult } from './helpers.js';

const webUrl = new URL('https://erp.example.com/');
const version = (serverVersion: string) => parseOdooVersion({ server_version: serverVersion });

const context: RenderContext = {
  model: 'sale.order',
  fields: parseFieldsGet(recordedResult('odoo17', 'fields_get_sale_order')),
  odooWebUrl: webUrl,
  version: version('17.0'),
};

/** S00003 as bob read it on 17.0, with empty note and signature. */
const [order] = recordedResult('odoo17', 'read_sale_order_field_types_bob') as Array<
  Record<string, unknown>
>;

describe('recordUrl', () => {
  const cases: Array<[string, string]> = [
    ['16.0', 'https://erp.example.com/web#id=3&model=sale.order&view_type=form'],
    ['17.0', 'https://erp.example.com/web#id=3&model=sale.order&view_type=form'],
    ['saas~17.1', 'https://erp.example.com/web#id=3&model=sale.order&view_type=form'],
    ['17.2', 'https://erp.example.com/odoo/sale.order/3'],
    ['saas~17.2', 'https://erp.example.com/odoo/sale.order/3'],
    ['18.0', 'https://erp.example.com/odoo/sale.order/3'],
    ['19.0', 'https://erp.example.com/odoo/sale.order/3'],
  ];

  it.each(cases)('links a record on %s', (serverVersion, expected) => {
    expect(recordUrl(webUrl, version(serverVersion), 'sale.order', 3)).toBe(expected);
  });

  it('keeps a path prefix of the web client', () => {
    const url = recordUrl(new URL('https://example.com/erp/'), version('18.0'), 'res.partner', 7);
    expect(url).toBe('https://example.com/erp/odoo/res.partner/7');
  });
});

describe('renderRecord', () => {
  const text = renderRecord(order ?? {}, context);

  it('starts with the name, id and link', () => {
    const firstLine = text.split('\n')[0];
    expect(firstLine).toBe(
      '- S00003 · id 3 · https://erp.example.com/web#id=3&model=sale.order&view_type=form',
    );
  });

  it('shows a many2one as its name', () => {
    expect(text).toContain('partner_id: Ready Mat (id 12)');
    expect(text).not.toContain('[12,"Ready Mat"]');
  });

  it('omits empty values', () => {
    expect(text).not.toContain('note');
    expect(text).not.toContain('signature');
  });

  it('shows money with its currency', () => {
    expect(text).toContain('amount_total: 434.13 USD');
  });

  it('marks datetimes as UTC and leaves dates alone', () => {
    expect(text).toContain('date_order: 2026-12-04 15:34 UTC');
    expect(text).toContain('validity_date: 2027-01-03;');
  });

  it("shows datetimes in the person's time zone", () => {
    const zoned = renderRecord(
      { id: 3, name: 'S3', date_order: '2026-12-04 15:34:43' },
      { ...context, tz: 'America/Los_Angeles' },
    );
    expect(zoned).toContain('date_order: 2026-12-04 07:34 PST');
  });

  it('moves a late UTC datetime to the next local day', () => {
    const zoned = renderRecord(
      { id: 3, name: 'S3', date_order: '2026-07-01 23:30:00' },
      { ...context, tz: 'Europe/Brussels' },
    );
    expect(zoned).toContain('date_order: 2026-07-02 01:30 CEST');
  });

  it('shows a selection value with its label', () => {
    expect(text).toContain('state: draft (Quotation)');
  });

  it('lists x2many ids', () => {
    expect(text).toContain('order_line: ids 6, 7');
  });

  it('shows a boolean false as no', () => {
    const line = renderRecord({ id: 1, name: 'S1', locked: false, origin: '' }, context);
    expect(line).toContain('locked: no');
    expect(line).not.toContain('origin');
  });

  it('shows html as plain text', () => {
    const line = renderRecord(
      { id: 1, name: 'S1', note: '<p>Pay within <b>30</b> days</p>' },
      context,
    );
    expect(line).toContain('note: Pay within 30 days');
  });

  it('hides binary data', () => {
    const line = renderRecord({ id: 1, name: 'S1', signature: 'iVBORw0KGgo=' }, context);
    expect(line).toContain('signature: binary data, not shown');
    expect(line).not.toContain('iVBORw0KGgo');
  });

  it('shows money without currency as the plain amount', () => {
    const line = renderRecord({ id: 1, name: 'S1', amount_total: 10 }, context);
    expect(line).toContain('amount_total: 10');
  });

  it('shows a price with the currency_id of its record', () => {
    const lineContext: RenderContext = {
      ...context,
      model: 'sale.order.line',
      fields: parseFieldsGet({
        price_unit: { type: 'float', string: 'Unit Price' },
        product_uom_qty: { type: 'float', string: 'Quantity' },
        currency_id: { type: 'many2one', string: 'Currency', relation: 'res.currency' },
      }),
    };
    const record = { id: 6, price_unit: 1799, product_uom_qty: 2, currency_id: [1, 'USD'] };
    const line = renderRecord(record, lineContext);
    expect(line).toContain('price_unit: 1,799.00 USD');
    expect(line).toContain('product_uom_qty: 2');
    expect(line).not.toContain('product_uom_qty: 2 USD');
    expect(line).not.toContain('currency_id');
  });

  it("takes a monetary field's currency_field", () => {
    const moveLineContext: RenderContext = {
      ...context,
      model: 'account.move.line',
      fields: parseFieldsGet({
        balance: { type: 'monetary', string: 'Balance', currency_field: 'company_currency_id' },
        amount_currency: { type: 'monetary', string: 'Amount in Currency' },
        currency_id: { type: 'many2one', string: 'Currency', relation: 'res.currency' },
        company_currency_id: { type: 'many2one', string: 'Company Currency' },
      }),
    };
    const record = {
      id: 1,
      balance: 100,
      amount_currency: 92,
      currency_id: [2, 'EUR'],
      company_currency_id: [1, 'USD'],
    };
    const line = renderRecord(record, moveLineContext);
    expect(line).toContain('balance: 100.00 USD');
    expect(line).toContain('amount_currency: 92.00 EUR');
  });

  it('titles a record with its display_name', () => {
    const line = renderRecord({ id: 7, display_name: 'S00007 - Desk', price_unit: 3 }, context);
    expect(line.split('\n')[0]).toBe(
      '- S00007 - Desk · id 7 · https://erp.example.com/web#id=7&model=sale.order&view_type=form',
    );
  });

  it('titles a move named "/" as a draft', () => {
    const line = renderRecord({ id: 95, name: '/' }, { ...context, model: 'account.move' });
    expect(line).toBe(
      '- draft, no number yet · id 95 · https://erp.example.com/web#id=95&model=account.move&view_type=form',
    );
  });

  it('falls back to the model when a record has no name', () => {
    expect(renderRecord({ id: 4 }, context)).toBe(
      '- sale.order record · id 4 · https://erp.example.com/web#id=4&model=sale.order&view_type=form',
    );
  });
});

describe('capRecords', () => {
  const big = (id: number) => ({ id, name: `R${id}`, origin: 'x'.repeat(3_000) });

  it('keeps every record of a small answer', () => {
    const records = [big(1), big(2)];
    const capped = capRecords(records, (record) => JSON.stringify(record));
    expect(capped.records).toHaveLength(2);
    expect(capped.texts).toEqual(records.map((record) => JSON.stringify(record)));
    expect(capped.omitted).toBe(0);
  });

  it('stops before the answer passes the budget', () => {
    const records = Array.from({ length: 40 }, (_, index) => big(index + 1));
    const capped = capRecords(records, (record) => JSON.stringify(record));
    const size = capped.records.reduce((sum, record) => sum + JSON.stringify(record).length, 0);
    expect(size).toBeLessThanOrEqual(MAX_RESULT_CHARS);
    expect(capped.records.length).toBeGreaterThan(10);
    expect(capped.omitted).toBe(40 - capped.records.length);
  });

  it('always keeps the first record', () => {
    const capped = capRecords([big(1), big(2)], () => 'z'.repeat(1_000_000));
    expect(capped.records.map((record) => record.id)).toEqual([1]);
  });

  it('cuts long values and names their fields', () => {
    const capped = capRecords([{ id: 1, note: 'y'.repeat(10_000) }], () => 'ten chars!');
    const note = capped.records[0]?.note as string;
    expect(note.startsWith('y'.repeat(MAX_VALUE_CHARS))).toBe(true);
    expect(note).toContain('[cut: 10000 characters in all]');
    expect(capped.truncatedFields).toEqual(['note']);
    expect(truncationNote(capped.truncatedFields)).toContain('cut in: note');
  });
});

describe('pageOfRecords', () => {
  it('keeps the rendered text under the budget', () => {
    const records = Array.from({ length: 200 }, (_, index) => ({
      id: index + 1,
      name: `S${index + 1}`,
      client_order_ref: 'z'.repeat(1_000),
    }));
    const page = pageOfRecords(records, context);
    expect(page.text.length).toBeLessThanOrEqual(MAX_RESULT_CHARS);
    expect(page.omitted).toBe(200 - page.records.length);
    expect(page.omitted).toBeGreaterThan(0);
  });
});
