import { describe, expect, it } from 'vitest';
import { buildDatabase } from '../../src/demo/odoo/data/build.js';
import { parseDomain } from '../../src/demo/odoo/domain/parse.js';
import { OdooException } from '../../src/demo/odoo/errors.js';
import { searchRecords } from '../../src/demo/odoo/methods/search.js';
import { type DemoRecord, Env } from '../../src/demo/odoo/orm/database.js';
import type { OdooSeries } from '../../src/demo/odoo/version.js';
import { TODAY } from './helpers.js';

/**
 * Tests the domain engine on the demo data, as bob, who may read every record. Each test checks
 * the engine against the same condition written in plain TypeScript on the stored records.
 */
function setup(series: OdooSeries = '18.0') {
  const { db } = buildDatabase('demo', series, TODAY);
  const env = new Env(db, db.require('res.users').get(9)!, { active_test: false });
  const search = (model: string, domain: unknown) =>
    searchRecords(env, db.require(model), domain)
      .map((record) => record.id)
      .sort((a, b) => a - b);
  const where = (model: string, predicate: (record: DemoRecord) => boolean) =>
    db
      .require(model)
      .all()
      .filter(predicate)
      .map((record) => record.id);
  const record = (model: string, id: unknown) => db.require(model).get(id as number)!;
  return { db, env, search, where, record };
}

const { db, search, where, record } = setup();

function errorOf(action: () => unknown): { name: string; message: string } {
  try {
    action();
  } catch (error) {
    if (error instanceof OdooException) {
      return { name: error.pythonClass, message: error.message };
    }
    throw error;
  }
  throw new Error('No Odoo error was raised');
}

describe('domain comparison operators', () => {
  it('= and != and <>', () => {
    expect(search('sale.order', [['state', '=', 'sale']])).toEqual(
      where('sale.order', (order) => order.state === 'sale'),
    );
    const notSale = where('sale.order', (order) => order.state !== 'sale');
    expect(search('sale.order', [['state', '!=', 'sale']])).toEqual(notSale);
    expect(search('sale.order', [['state', '<>', 'sale']])).toEqual(notSale);
  });

  it('< > <= >=', () => {
    const total = (order: DemoRecord) => Number(order.amount_total);
    expect(search('sale.order', [['amount_total', '>', 5000]])).toEqual(
      where('sale.order', (order) => total(order) > 5000),
    );
    expect(search('sale.order', [['amount_total', '<', 5000]])).toEqual(
      where('sale.order', (order) => total(order) < 5000),
    );
    expect(search('sale.order', [['amount_total', '>=', 5000]])).toEqual(
      where('sale.order', (order) => total(order) >= 5000),
    );
    expect(search('sale.order', [['amount_total', '<=', 1000]])).toEqual(
      where('sale.order', (order) => total(order) <= 1000),
    );
  });

  it('in and not in', () => {
    const states = ['draft', 'sent'];
    expect(search('sale.order', [['state', 'in', states]])).toEqual(
      where('sale.order', (order) => states.includes(String(order.state))),
    );
    expect(search('sale.order', [['state', 'not in', states]])).toEqual(
      where('sale.order', (order) => !states.includes(String(order.state))),
    );
    expect(search('sale.order', [['id', 'in', []]])).toEqual([]);
  });

  it('not in keeps empty values', () => {
    const withoutAlice = where('sale.order', (order) => order.user_id !== 8);
    expect(search('sale.order', [['user_id', 'not in', [8]]])).toEqual(withoutAlice);
    expect(search('sale.order', [['user_id', 'not in', [8, false]]])).toEqual(
      where('sale.order', (order) => order.user_id !== 8 && order.user_id !== false),
    );
  });

  it('like, ilike and their negations', () => {
    const name = (partner: DemoRecord) => String(partner.name);
    expect(search('res.partner', [['name', 'like', 'Studio']])).toEqual(
      where('res.partner', (partner) => name(partner).includes('Studio')),
    );
    expect(search('res.partner', [['name', 'ilike', 'studio']])).toEqual(
      where('res.partner', (partner) => name(partner).toLowerCase().includes('studio')),
    );
    expect(search('res.partner', [['name', 'like', 'studio']])).toEqual(
      where('res.partner', (partner) => name(partner).includes('studio')),
    );
    expect(search('res.partner', [['name', 'not ilike', 'studio']])).toEqual(
      where('res.partner', (partner) => !name(partner).toLowerCase().includes('studio')),
    );
    expect(search('res.partner', [['vat', 'not like', 'BE']])).toEqual(
      where(
        'res.partner',
        (partner) => partner.vat === false || !String(partner.vat).includes('BE'),
      ),
    );
  });

  it('=like and =ilike use the pattern as is', () => {
    expect(search('sale.order', [['name', '=like', 'S0001_']])).toEqual(
      where('sale.order', (order) => /^S0001.$/.test(String(order.name))),
    );
    expect(search('res.partner', [['name', '=ilike', 'golden%']])).toEqual(
      where('res.partner', (partner) => /^golden/i.test(String(partner.name))),
    );
  });

  it('=? ignores an empty value', () => {
    expect(search('sale.order', [['user_id', '=?', false]])).toEqual(
      where('sale.order', () => true),
    );
    expect(search('sale.order', [['user_id', '=?', 8]])).toEqual(
      where('sale.order', (order) => order.user_id === 8),
    );
  });

  it('operators are case-insensitive', () => {
    expect(search('res.partner', [['name', 'ILIKE', 'studio']])).toEqual(
      search('res.partner', [['name', 'ilike', 'studio']]),
    );
  });
});

describe('domain logic', () => {
  it('implicit & between terms', () => {
    expect(
      search('sale.order', [
        ['state', '=', 'sale'],
        ['user_id', '=', 9],
      ]),
    ).toEqual(where('sale.order', (order) => order.state === 'sale' && order.user_id === 9));
  });

  it('| and ! in prefix notation', () => {
    expect(search('sale.order', ['|', ['state', '=', 'draft'], ['state', '=', 'sent']])).toEqual(
      search('sale.order', [['state', 'in', ['draft', 'sent']]]),
    );
    expect(search('sale.order', ['!', ['state', '=', 'sale']])).toEqual(
      search('sale.order', [['state', '!=', 'sale']]),
    );
  });

  it('nested prefix operators', () => {
    const domain = [
      '&',
      '|',
      ['state', '=', 'draft'],
      ['state', '=', 'sent'],
      '!',
      ['user_id', '=', 2],
    ];
    expect(search('sale.order', domain)).toEqual(
      where(
        'sale.order',
        (order) => ['draft', 'sent'].includes(String(order.state)) && order.user_id !== 2,
      ),
    );
    const mixed = [['company_id', '=', 1], '|', ['user_id', '=', 8], ['user_id', '=', false]];
    expect(search('sale.order', mixed)).toEqual(
      where(
        'sale.order',
        (order) => order.company_id === 1 && (order.user_id === 8 || order.user_id === false),
      ),
    );
  });

  it('true and false leaves', () => {
    expect(search('sale.order', [[1, '=', 1]])).toEqual(where('sale.order', () => true));
    expect(search('sale.order', [[0, '=', 1]])).toEqual([]);
    expect(search('sale.order', ['|', [0, '=', 1], ['state', '=', 'sale']])).toEqual(
      search('sale.order', [['state', '=', 'sale']]),
    );
  });
});

describe('domain values', () => {
  it('= false matches empty values', () => {
    expect(search('sale.order', [['user_id', '=', false]])).toEqual(
      where('sale.order', (order) => order.user_id === false),
    );
    expect(search('sale.order', [['user_id', '!=', false]])).toEqual(
      where('sale.order', (order) => order.user_id !== false),
    );
    expect(search('res.partner', [['vat', '=', false]])).toEqual(
      where('res.partner', (partner) => partner.vat === false),
    );
    expect(search('sale.order', [['tag_ids', '=', false]])).toEqual(
      where('sale.order', (order) => (order.tag_ids as number[]).length === 0),
    );
  });

  it('booleans compare to true, false, 1 and 0', () => {
    const companies = where('res.partner', (partner) => partner.is_company === true);
    expect(search('res.partner', [['is_company', '=', true]])).toEqual(companies);
    expect(search('res.partner', [['is_company', '=', 1]])).toEqual(companies);
    expect(search('res.partner', [['is_company', '!=', true]])).toEqual(
      where('res.partner', (partner) => partner.is_company !== true),
    );
    expect(search('res.partner', [['is_company', '=', 0]])).toEqual(
      where('res.partner', (partner) => partner.is_company !== true),
    );
  });

  it('many2one by id or by name', () => {
    const partner = record('res.partner', record('sale.order', 5).partner_id);
    const byId = where('sale.order', (order) => order.partner_id === partner.id);
    expect(search('sale.order', [['partner_id', '=', partner.id]])).toEqual(byId);
    expect(search('sale.order', [['partner_id', '=', partner.display_name]])).toEqual(byId);
    const word = String(partner.name).split(' ')[0]!.toLowerCase();
    const matching = new Set(
      where(
        'res.partner',
        (candidate) =>
          String(candidate.complete_name).toLowerCase().includes(word) ||
          String(candidate.email).toLowerCase().includes(word),
      ),
    );
    expect(search('sale.order', [['partner_id', 'ilike', word]])).toEqual(
      where('sale.order', (order) => matching.has(order.partner_id as number)),
    );
    expect(search('sale.order', [['partner_id', 'not ilike', word]])).toEqual(
      where('sale.order', (order) => !matching.has(order.partner_id as number)),
    );
  });

  it('dates and datetimes compare as strings', () => {
    expect(search('account.move', [['invoice_date_due', '<', '2026-10-01']])).toEqual(
      where(
        'account.move',
        (move) => move.invoice_date_due !== false && String(move.invoice_date_due) < '2026-10-01',
      ),
    );
    expect(search('sale.order', [['date_order', '>=', '2026-11-01 00:00:00']])).toEqual(
      where('sale.order', (order) => String(order.date_order) >= '2026-11-01 00:00:00'),
    );
  });

  it('a date on a datetime covers the day', () => {
    const day = String(record('sale.order', 10).date_order).slice(0, 10);
    const sameDay = where('sale.order', (order) => String(order.date_order).startsWith(day));
    expect(
      search('sale.order', [
        ['date_order', '>=', day],
        ['date_order', '<=', day],
      ]),
    ).toEqual(sameDay);
    expect(search('sale.order', [['date_order', '>', day]])).toEqual(
      where('sale.order', (order) => String(order.date_order).slice(0, 10) > day),
    );
  });

  it('an ISO datetime with T and Z is accepted', () => {
    expect(search('sale.order', [['date_order', '>=', '2026-11-01T00:00:00Z']])).toEqual(
      search('sale.order', [['date_order', '>=', '2026-11-01 00:00:00']]),
    );
  });
});

describe('domain paths and relations', () => {
  it('dotted path through many2one', () => {
    const usPartners = new Set(where('res.partner', (partner) => partner.country_id === 233));
    expect(search('sale.order', [['partner_id.country_id.code', '=', 'US']])).toEqual(
      where('sale.order', (order) => usPartners.has(order.partner_id as number)),
    );
  });

  it('dotted path through one2many', () => {
    const lines = where('sale.order.line', (line) => line.product_id === 3);
    const orders = new Set(lines.map((id) => record('sale.order.line', id).order_id));
    expect(search('sale.order', [['order_line.product_id', '=', 3]])).toEqual(
      where('sale.order', (order) => orders.has(order.id)),
    );
    expect(search('sale.order', [['order_line.product_id', 'in', [3]]])).toEqual(
      search('sale.order', [['order_line.product_id', '=', 3]]),
    );
  });

  it('x2many membership and negation', () => {
    const tagged = (order: DemoRecord) => (order.tag_ids as number[]).includes(1);
    expect(search('sale.order', [['tag_ids', 'in', [1]]])).toEqual(where('sale.order', tagged));
    expect(search('sale.order', [['tag_ids', '=', 1]])).toEqual(where('sale.order', tagged));
    expect(search('sale.order', [['tag_ids', '!=', 1]])).toEqual(
      where('sale.order', (order) => !tagged(order)),
    );
    expect(search('sale.order', [['tag_ids', 'ilike', 'Product']])).toEqual(
      where('sale.order', tagged),
    );
  });

  it('any and not any', () => {
    const expensive = new Set(
      where('sale.order.line', (line) => Number(line.price_subtotal) > 10_000).map(
        (id) => record('sale.order.line', id).order_id,
      ),
    );
    expect(
      search('sale.order', [['order_line', 'any', [['price_subtotal', '>', 10_000]]]]),
    ).toEqual(where('sale.order', (order) => expensive.has(order.id)));
    expect(
      search('sale.order', [['order_line', 'not any', [['price_subtotal', '>', 10_000]]]]),
    ).toEqual(where('sale.order', (order) => !expensive.has(order.id)));
    expect(search('sale.order', [['partner_id', 'any', [['is_company', '=', true]]]])).toEqual(
      where('sale.order', (order) => record('res.partner', order.partner_id).is_company === true),
    );
  });

  it('child_of and parent_of', () => {
    const company = record('res.partner', record('res.partner', 20).parent_id || 20);
    const family = where(
      'res.partner',
      (partner) => partner.id === company.id || partner.parent_id === company.id,
    );
    expect(search('res.partner', [['id', 'child_of', company.id]])).toEqual(family);
    expect(search('sale.order', [['partner_id', 'child_of', company.id]])).toEqual(
      where('sale.order', (order) => family.includes(order.partner_id as number)),
    );
    expect(search('stock.location', [['id', 'child_of', 8]])).toEqual([8, 9, 10]);
    expect(search('stock.location', [['id', 'parent_of', 9]])).toEqual([1, 7, 8, 9]);
    expect(search('product.category', [['id', 'child_of', 'Saleable']])).toEqual([
      2, 4, 5, 6, 7, 8, 9,
    ]);
  });
});

describe('domain errors', () => {
  const parse = (domain: unknown, series: OdooSeries = '18.0') => {
    const { db: seriesDb } = series === '18.0' ? { db } : buildDatabase('demo', series, TODAY);
    return () => parseDomain(seriesDb, seriesDb.require('sale.order'), domain);
  };

  it('unknown field', () => {
    expect(errorOf(parse([['no_such_field', '=', 1]]))).toEqual({
      name: 'builtins.ValueError',
      message: "Invalid field sale.order.no_such_field in leaf ('no_such_field', '=', 1)",
    });
    expect(errorOf(parse([['partner_id.nope', 'ilike', "O'Brien"]]))).toEqual({
      name: 'builtins.ValueError',
      message: `Invalid field res.partner.nope in leaf ('nope', 'ilike', "O'Brien")`,
    });
    expect(errorOf(parse([['no_such_field', '=', 1]], '19.0')).message).toBe(
      "Invalid field sale.order.no_such_field in condition ('no_such_field', '=', 1)",
    );
  });

  it('unknown operator', () => {
    expect(errorOf(parse([['name', 'like-ish', 'x']]))).toEqual({
      name: 'builtins.ValueError',
      message: "Invalid leaf ('name', 'like-ish', 'x')",
    });
    expect(errorOf(parse([['name', 'like-ish', 'x']], '19.0')).message).toBe(
      "Invalid operator in condition ('name', 'like-ish', 'x')",
    );
    expect(errorOf(parse([[2, '=', 1]])).message).toBe("Invalid leaf (2, '=', 1)");
  });

  it('leaf with two or four items', () => {
    expect(errorOf(parse([['name', '=']]))).toEqual({
      name: 'builtins.ValueError',
      message: 'not enough values to unpack (expected 3, got 2)',
    });
    expect(errorOf(parse([['name', '=', 'x', 'y']])).message).toBe(
      'too many values to unpack (expected 3)',
    );
    expect(errorOf(parse([5]))).toEqual({
      name: 'builtins.TypeError',
      message: "'int' object is not iterable",
    });
  });

  it('domain given as a string', () => {
    expect(errorOf(parse("[('name','=','x')]"))).toEqual({
      name: 'builtins.AssertionError',
      message:
        "Domains to normalize must have a 'domain' form: a list or tuple of domain components",
    });
    expect(errorOf(parse("[('name', '=', 'x')]", '19.0'))).toEqual({
      name: 'builtins.TypeError',
      message: `Domain() invalid argument type for domain: "[('name', '=', 'x')]"`,
    });
  });

  it('operator without enough terms', () => {
    expect(errorOf(parse(['|', ['name', '=', 'x']]))).toEqual({
      name: 'builtins.AssertionError',
      message: "This domain is syntactically not correct: ['|', ['name', '=', 'x']]",
    });
  });

  it('non-stored field', () => {
    expect(errorOf(parse([['invoice_count', '>', 0]]))).toEqual({
      name: 'builtins.ValueError',
      message: 'Non-stored field sale.order.invoice_count cannot be searched.',
    });
  });

  it('value of the wrong type', () => {
    const error = errorOf(() => search('sale.order', [['amount_total', '>', 'lots']]));
    expect(error.name).toBe('psycopg2.errors.InvalidTextRepresentation');
    expect(error.message.split('\n')[0]).toBe('invalid input syntax for type numeric: "lots"');
    expect(error.message).toMatch(/\nLINE 1: .*'lots'.*\n +\^\n$/);
    expect(errorOf(() => search('sale.order', [['id', 'in', ['x']]])).message.split('\n')[0]).toBe(
      'invalid input syntax for type integer: "x"',
    );
  });

  it('date that PostgreSQL cannot read', () => {
    const error = errorOf(() => search('sale.order', [['date_order', '>=', 'last week']]));
    expect(error.name).toBe('psycopg2.errors.InvalidDatetimeFormat');
    expect(error.message.split('\n')[0]).toBe(
      'invalid input syntax for type timestamp: "last week"',
    );
    const dateError = errorOf(() => search('sale.order', [['validity_date', '<', 'soon']]));
    expect(dateError.name).toBe('psycopg2.errors.InvalidDatetimeFormat');
    expect(dateError.message.split('\n')[0]).toBe('invalid input syntax for type date: "soon"');
  });

  it('number that Python cannot convert', () => {
    expect(errorOf(() => search('sale.order.line', [['product_uom_qty', '>', 'ten']]))).toEqual({
      name: 'builtins.ValueError',
      message: "could not convert string to float: 'ten'",
    });
    expect(errorOf(() => search('res.partner', [['customer_rank', '>', 'x']]))).toEqual({
      name: 'builtins.ValueError',
      message: "invalid literal for int() with base 10: 'x'",
    });
    expect(errorOf(() => search('sale.order', [['id', '=', 'x']]))).toEqual({
      name: 'builtins.ValueError',
      message: "invalid literal for int() with base 10: 'x'",
    });
  });
});
