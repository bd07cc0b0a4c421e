import { describe, expect, it } from 'vitest';
import { missingCurrencyFields } from '../../src/mcp/currency.js';
import {
  ENOUGH_DEFAULT_FIELDS,
  MAX_DEFAULT_FIELDS,
  selectDefaultFields,
} from '../../src/mcp/default-fields.js';
import { ToolError } from '../../src/mcp/errors.js';
import {
  checkFieldNames,
  closestNames,
  FieldsCache,
  parseFieldsGet,
  checkSortable,
  labelMatches,
  parseOrder,
} from '../../src/mcp/fields.js';
import { OdooCalls } from '../../src/mcp/tool.js';
import { recordedResult, recording, ScriptedConnection } from './helpers.js';

const saleOrderFields = {
  odoo17: parseFieldsGet(recordedResult('odoo17', 'fields_get_sale_order')),
  odoo18: parseFieldsGet(recordedResult('odoo18', 'fields_get_sale_order')),
  // The 19.0 file is a JSON-2 exchange: its body is the result itself.
  odoo19: parseFieldsGet(recording('odoo19', 'json2_fields_get_sale_order').response.body),
};

describe('selectDefaultFields on recorded sale.order', () => {
  for (const [version, fields] of Object.entries(saleOrderFields)) {
    const chosen = selectDefaultFields(fields);

    it(`takes at most ${MAX_DEFAULT_FIELDS} fields on ${version}`, () => {
      expect(chosen.length).toBeGreaterThan(4);
      expect(chosen.length).toBeLessThanOrEqual(MAX_DEFAULT_FIELDS);
    });

    it(`leaves out binary, html, text and x2many fields on ${version}`, () => {
      const types = chosen.map((name) => fields.get(name)?.type);
      for (const excluded of ['binary', 'html', 'text', 'one2many', 'many2many']) {
        expect(types).not.toContain(excluded);
      }
    });

    it(`includes name, partner, amount and state on ${version}`, () => {
      expect(chosen).toEqual(
        expect.arrayContaining(['name', 'partner_id', 'amount_total', 'state', 'currency_id']),
      );
      expect(chosen[0]).toBe('name');
    });

    it(`leaves out mixin and bookkeeping fields on ${version}`, () => {
      const technical = chosen.filter((name) =>
        /^(message_|activity_|access_|website_)|^(id|display_name|write_uid|create_uid)$/.test(
          name,
        ),
      );
      expect(technical).toEqual([]);
    });
  }

  it('takes display_name when the model has no name', () => {
    const fields = parseFieldsGet({
      display_name: { type: 'char', string: 'Display Name', store: false },
      product_id: { type: 'many2one', string: 'Product', relation: 'product.product' },
      quantity: { type: 'float', string: 'Quantity' },
      image: { type: 'binary', string: 'Image' },
    });
    expect(selectDefaultFields(fields)).toEqual(['display_name', 'product_id', 'quantity']);
  });

  it('skips computed quantities that read other models', () => {
    const fields = parseFieldsGet({
      name: { type: 'char', string: 'Name', store: true },
      qty_available: { type: 'float', string: 'Quantity On Hand', store: false },
      list_price: { type: 'float', string: 'Sales Price', store: true },
    });
    expect(selectDefaultFields(fields)).toEqual(['name', 'list_price']);
  });

  it('skips unstored fields unless preferred', () => {
    const fields = parseFieldsGet({
      name: { type: 'char', string: 'Name', store: true },
      x_computed: { type: 'char', string: 'Computed', store: false },
      x_stored: { type: 'char', string: 'Stored', store: true },
    });
    expect(selectDefaultFields(fields)).toEqual(['name', 'x_stored']);
  });
});

describe('selectDefaultFields tiers', () => {
  for (const [version, fields] of Object.entries(saleOrderFields)) {
    const chosen = selectDefaultFields(fields);

    it(`leaves company_id, team_id and validity_date out on ${version}`, () => {
      expect(chosen).not.toContain('company_id');
      expect(chosen).not.toContain('team_id');
      expect(chosen).not.toContain('validity_date');
      expect(chosen.length).toBeLessThanOrEqual(ENOUGH_DEFAULT_FIELDS + 1);
    });
  }

  it('takes low-priority fields when little else exists', () => {
    const fields = parseFieldsGet({
      name: { type: 'char', string: 'Name', store: true },
      team_id: { type: 'many2one', string: 'Sales Team', relation: 'crm.team', store: true },
      company_id: { type: 'many2one', string: 'Company', relation: 'res.company', store: true },
    });
    expect(selectDefaultFields(fields)).toEqual(['name', 'team_id', 'company_id']);
  });

  it('adds other fields only while few are chosen', () => {
    const many = Object.fromEntries(
      ['name', 'ref', 'partner_id', 'state', 'date', 'email', 'phone', 'city', 'x_note'].map(
        (name) => [name, { type: 'char', string: name, store: true }],
      ),
    );
    expect(selectDefaultFields(parseFieldsGet(many))).not.toContain('x_note');
    const few = { name: many.name, x_note: many.x_note };
    expect(selectDefaultFields(parseFieldsGet(few))).toEqual(['name', 'x_note']);
  });

  it('adds the currency of a price', () => {
    const fields = parseFieldsGet({
      display_name: { type: 'char', string: 'Display Name', store: false },
      price_unit: { type: 'float', string: 'Unit Price', store: true },
      currency_id: { type: 'many2one', string: 'Currency', relation: 'res.currency' },
    });
    expect(selectDefaultFields(fields)).toEqual(['display_name', 'price_unit', 'currency_id']);
  });
});

describe('missingCurrencyFields', () => {
  const fields = parseFieldsGet({
    amount_total: { type: 'monetary', string: 'Total' },
    balance: { type: 'monetary', string: 'Balance', currency_field: 'company_currency_id' },
    list_price: { type: 'float', string: 'Sales Price' },
    weight: { type: 'float', string: 'Weight' },
    currency_id: { type: 'many2one', string: 'Currency', relation: 'res.currency' },
    company_currency_id: { type: 'many2one', string: 'Company Currency', relation: 'res.currency' },
  });

  it('names the currency field of each amount once', () => {
    expect(missingCurrencyFields(['amount_total', 'list_price', 'balance'], fields)).toEqual([
      'currency_id',
      'company_currency_id',
    ]);
  });

  it('adds nothing for plain numbers or a currency already read', () => {
    expect(missingCurrencyFields(['weight'], fields)).toEqual([]);
    expect(missingCurrencyFields(['amount_total', 'currency_id'], fields)).toEqual([]);
  });

  it('adds nothing when the model has no currency field', () => {
    const bare = parseFieldsGet({ amount: { type: 'monetary', string: 'Amount' } });
    expect(missingCurrencyFields(['amount'], bare)).toEqual([]);
  });
});

describe('parseFieldsGet', () => {
  it('reads currency_field', () => {
    const fields = parseFieldsGet({
      balance: { type: 'monetary', string: 'Balance', currency_field: 'company_currency_id' },
    });
    expect(fields.get('balance')?.currencyField).toBe('company_currency_id');
  });

  it('reads the recorded account.move selection', () => {
    const fields = parseFieldsGet(recordedResult('odoo17', 'fields_get_account_move_subset'));
    const state = fields.get('state');
    expect(state?.type).toBe('selection');
    expect(state?.selection).toContainEqual(['posted', 'Posted']);
    expect(state?.required).toBe(true);
    expect(state?.store).toBeUndefined();
  });
});

describe('checkFieldNames', () => {
  const fields = saleOrderFields.odoo17;

  it('accepts known names and related paths', () => {
    expect(() =>
      checkFieldNames(['name', 'partner_id.name'], fields, 'sale.order', 'domain'),
    ).not.toThrow();
  });

  it('names the unknown field and close matches', () => {
    let caught: unknown;
    try {
      checkFieldNames(['partner'], fields, 'sale.order', 'domain');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ToolError);
    const message = (caught as ToolError).message;
    expect(message).toContain('sale.order has no field "partner" (in domain)');
    expect(message).toContain('"partner_id"');
    expect(message).toContain('describe_model');
  });

  it('suggests a misspelt name', () => {
    expect(closestNames('amount_totl', [...fields.keys()])[0]).toBe('amount_total');
  });
});

describe('checkSortable', () => {
  const fields = parseFieldsGet({
    name: { type: 'char', string: 'Name', store: true },
    qty_available: { type: 'float', string: 'Quantity On Hand', store: false },
    qty_in_stock: { type: 'float', string: 'Stock', store: true },
  });

  it('accepts stored fields', () => {
    expect(() => checkSortable(['name'], fields, 'product.product')).not.toThrow();
  });

  it('rejects a computed field with stored neighbours', () => {
    expect(() => checkSortable(['qty_available'], fields, 'product.product')).toThrow(
      /cannot be sorted by "qty_available" because the field is computed and not stored/,
    );
  });
});

describe('parseOrder', () => {
  it('returns the fields of a valid order', () => {
    expect(parseOrder('date_order desc, id')).toEqual(['date_order', 'id']);
    expect(parseOrder('name ASC NULLS LAST')).toEqual(['name']);
  });

  it.each(['id; drop table x', 'name desc desc', '', 'date_order descending'])(
    'rejects %j',
    (order) => {
      expect(() => parseOrder(order)).toThrow(/Invalid order/);
    },
  );
});

describe('FieldsCache', () => {
  const answers = {
    'sale.order.fields_get': () => recordedResult('odoo17', 'fields_get_sale_order'),
    'res.partner.fields_get': () => recordedResult('odoo17', 'fields_get_res_partner_subset'),
  };

  it('calls fields_get once per person and model', async () => {
    const connection = new ScriptedConnection('alice@example.com', answers);
    const cache = new FieldsCache();
    const calls = new OdooCalls(connection, undefined);
    await cache.fields(calls, 8, 'sale.order');
    await cache.fields(calls, 8, 'sale.order');
    await cache.fields(calls, 9, 'sale.order');
    expect(connection.calls.map((call) => call.model)).toEqual(['sale.order', 'sale.order']);
  });

  it('asks for the attributes the tools use', async () => {
    const connection = new ScriptedConnection('alice@example.com', answers);
    await new FieldsCache().fields(new OdooCalls(connection, undefined), 8, 'sale.order');
    expect(connection.calls[0]?.kwargs.attributes).toEqual(
      expect.arrayContaining(['string', 'type', 'relation', 'selection', 'required', 'store']),
    );
  });

  it('drops the least recently used entry when full', async () => {
    const connection = new ScriptedConnection('alice@example.com', answers);
    const cache = new FieldsCache({ maxEntries: 1 });
    const calls = new OdooCalls(connection, undefined);
    await cache.fields(calls, 8, 'sale.order');
    await cache.fields(calls, 8, 'res.partner');
    await cache.fields(calls, 8, 'sale.order');
    expect(connection.calls).toHaveLength(3);
  });

  it('asks again once the entry expired', async () => {
    let now = 0;
    const connection = new ScriptedConnection('alice@example.com', answers);
    const cache = new FieldsCache({ ttlMs: 1000, nowMs: () => now });
    const calls = new OdooCalls(connection, undefined);
    await cache.fields(calls, 8, 'sale.order');
    now = 1001;
    await cache.fields(calls, 8, 'sale.order');
    expect(connection.calls).toHaveLength(2);
  });
});

describe('labelMatches', () => {
  const fields = parseFieldsGet(recordedResult('odoo17', 'fields_get_sale_order'));

  it('finds the salesperson field from a guessed name', () => {
    expect(labelMatches('salesman_id', fields)).toContain('user_id');
  });

  it('finds nothing for a short unrelated name', () => {
    expect(labelMatches('xyz', fields)).toEqual([]);
  });
});
