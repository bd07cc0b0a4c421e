import { describe, expect, it } from 'vitest';
import {
  checkDomainValues,
  type Domain,
  DOMAIN_FORM,
  domainFieldPaths,
  parseDomain,
} from '../../src/mcp/domain.js';
import { ToolError } from '../../src/mcp/errors.js';
import { parseFieldsGet } from '../../src/mcp/fields.js';
import { valueErrorFieldTypes, valueErrorHint } from '../../src/mcp/value-types.js';
import { recordedResult } from './helpers.js';

/** Runs `parseDomain` and returns the ToolError it throws. */
function domainError(input: unknown): ToolError {
  try {
    parseDomain(input);
  } catch (error) {
    if (error instanceof ToolError) {
      return error;
    }
    throw error;
  }
  throw new Error(`parseDomain accepted ${JSON.stringify(input)}`);
}

describe('parseDomain', () => {
  const valid: unknown[][] = [
    [],
    [['state', '=', 'sale']],
    [
      ['partner_id.name', 'ilike', 'deco'],
      ['amount_total', '>', 1000],
    ],
    ['|', ['state', '=', 'draft'], ['state', '=', 'sent']],
    ['&', '!', ['state', '=', 'cancel'], ['user_id', '!=', false]],
    ['|', '|', ['a', '=', 1], ['b', '=', 2], ['c', '=', 3]],
    [
      ['state', 'in', ['draft', 'sent']],
      ['id', 'not in', []],
    ],
    [['order_line', 'any', [['product_id.name', 'ilike', 'desk']]]],
    [
      ['name', '=like', 'S000%'],
      ['name', 'not ilike', 'x'],
      ['date_order', '<=', '2026-12-31'],
    ],
    [
      ['categ_id', 'child_of', 1],
      ['parent_id', 'parent_of', [3, 4]],
      ['x', '<>', null],
    ],
    [[1, '=', 1]],
    [[0, '=', 1]],
    [['name', 'ILIKE', 'deco']],
  ];

  it.each(valid.map((domain) => [JSON.stringify(domain), domain]))(
    'accepts %s unchanged',
    (_label, domain) => {
      expect(parseDomain(domain)).toBe(domain);
    },
  );

  it('accepts a domain sent as a JSON string', () => {
    expect(parseDomain('[["state", "=", "sale"]]')).toEqual([['state', '=', 'sale']]);
  });

  it('accepts an empty list sent as a string', () => {
    expect(parseDomain('[]')).toEqual([]);
  });

  const malformed: Array<[string, unknown, string]> = [
    ['a string that is not JSON', "[('state', '=', 'sale')]", 'not valid JSON'],
    ['an empty string', '', 'not valid JSON'],
    ['a Python-style True', '[["active", "=", True]]', 'not valid JSON'],
    ['an object', { state: 'sale' }, 'must be a JSON list, got an object'],
    ['a JSON string holding an object', '{"state": "sale"}', 'must be a JSON list'],
    ['a number', 5, 'must be a JSON list'],
    ['null', null, 'must be a JSON list, got null'],
    ['a bare leaf', ['state', '=', 'sale'], 'single condition without the outer list'],
    ['a leaf of two items', [['state', '=']], 'has 2 items; a condition has exactly three'],
    ['a leaf of four items', [['state', '=', 'sale', 1]], 'has 4 items'],
    ['an unknown operator', [['name', 'like-ish', 'x']], 'unknown operator the string "like-ish"'],
    ['a field that is a number', [[5, '=', 1]], 'starts with number 5'],
    ['an empty field', [['', '=', 1]], 'starts with the string ""'],
    ['a field with spaces', [['amount total', '>', 1]], 'starts with the string "amount total"'],
    ['in with a scalar', [['state', 'in', 'sale']], '"in" takes a list'],
    ['not in with a scalar', [['id', 'not in', 3]], '"not in" takes a list'],
    ['any with a scalar', [['order_line', 'any', 5]], '"any" takes a domain'],
    [
      'a malformed domain inside any',
      [['order_line', 'any', [['x', '=']]]],
      'inside the condition',
    ],
    ['& with one operand', ['&', ['a', '=', 1]], '"&" at index 0 needs two conditions'],
    ['| with no operand', [['a', '=', 1], '|'], '"|" at index 1 needs two conditions'],
    ['! with no operand', ['!'], '"!" at index 0 needs one condition'],
    ['a stray word', ['state', ['a', '=', 1]], 'index 0 is the string "state"'],
    ['a nested object', [{ field: 'state' }], 'index 0 is an object'],
    ['an object value', [['partner_id', '=', { id: 3 }]], 'an object as its value'],
    ['a JSON string of a bare leaf', '["state", "=", "sale"]', 'single condition'],
  ];

  it.each(malformed)('rejects %s', (_label, input, problem) => {
    const error = domainError(input);
    expect(error.kind).toBe('invalid_domain');
    expect(error.message).toContain(problem);
  });

  it.each(malformed)('shows the expected form for %s', (_label, input) => {
    const error = domainError(input);
    expect(error.message).toContain(DOMAIN_FORM);
    expect(error.message).toContain('Example: [["state", "=", "sale"]');
  });

  it('suggests the wrapped list for a bare leaf', () => {
    const error = domainError(['state', '=', 'sale']);
    expect(error.message).toContain('write [["state","=","sale"]]');
  });
});

describe('domainFieldPaths', () => {
  it('lists the fields of top-level leaves', () => {
    const domain = parseDomain([
      '|',
      ['partner_id.name', 'ilike', 'x'],
      ['state', '=', 'sale'],
      [1, '=', 1],
      ['order_line', 'any', [['product_id', '=', 3]]],
    ]);
    expect(domainFieldPaths(domain)).toEqual(['partner_id.name', 'state', 'order_line']);
  });
});

describe('checkDomainValues', () => {
  const fields = parseFieldsGet(recordedResult('odoo17', 'fields_get_sale_order'));

  it('rejects a selection value the field lacks', () => {
    const message = valueError([['state', '=', 'confirmed']]);
    expect(message).toContain('has no value "confirmed"');
    expect(message).toContain('"sale" (Sales Order)');
  });

  it('gives the key of a selection label', () => {
    expect(valueError([['state', 'in', ['draft', 'Sales Order']]])).toContain(
      '"Sales Order" is the label of "sale"',
    );
  });

  it('accepts selection keys', () => {
    expect(() =>
      checkDomainValues([['state', 'in', ['draft', 'sale']]], fields, 'sale.order'),
    ).not.toThrow();
  });

  it('rejects me for a user field', () => {
    expect(valueError([['user_id', '=', 'me']])).toContain('use the uid that whoami returns');
  });

  /** Runs `checkDomainValues` and returns the message of the ToolError it throws. */
  function valueError(domain: unknown[]): string {
    try {
      checkDomainValues(domain as Domain, fields, 'sale.order');
    } catch (error) {
      if (error instanceof ToolError) {
        expect(error.kind).toBe('invalid_value');
        return error.message;
      }
      throw error;
    }
    throw new Error(`checkDomainValues accepted ${JSON.stringify(domain)}`);
  }

  it.each([
    [[['date_order', '>=', '2026-12-01']]],
    [[['date_order', '<', '2026-12-01 08:30:00']]],
    [[['date_order', '<', '2026-12-01T08:30:00Z']]],
    [[['validity_date', '=', false]]],
    [[['validity_date', 'in', ['2026-12-01', '2026-12-02']]]],
    [[['amount_total', '>', 1000]]],
    [[['amount_total', '>', '1000.50']]],
    [[['id', 'in', [1, 2]]]],
    [[['partner_id', '=', 'Deco Addict']]],
    [[['date_order', 'ilike', '2026-12']]],
    [[['partner_id.create_date', '>', 'last week']]],
  ])('accepts %j', (domain) => {
    expect(() => checkDomainValues(domain as Domain, fields, 'sale.order')).not.toThrow();
  });

  it('names the field, its type and an example for a datetime', () => {
    const message = valueError(['|', ['state', '=', 'sale'], ['date_order', '>=', 'last week']]);
    expect(message).toContain('Invalid domain value "last week" for sale.order field "date_order"');
    expect(message).toContain('which is a datetime field');
    expect(message).toContain('"YYYY-MM-DD HH:MM:SS" in UTC, such as "2026-12-04 15:30:00"');
  });

  it('rejects a number for a date', () => {
    expect(valueError([['validity_date', '<', 20261201]])).toContain('which is a date field');
  });

  it('rejects a word for an amount', () => {
    const message = valueError([['amount_total', '>', 'a lot']]);
    expect(message).toContain('which is a monetary field');
    expect(message).toContain('number without quotes');
  });

  it('checks each item of an in list', () => {
    expect(valueError([['id', 'in', [1, 'two']]])).toContain('"two" for sale.order field "id"');
  });
});

describe('valueErrorHint', () => {
  const fields = parseFieldsGet(recordedResult('odoo17', 'fields_get_sale_order'));

  it('names the domain fields of the type the error names', () => {
    const types = valueErrorFieldTypes('invalid input syntax for type timestamp: "x"');
    expect(types).toEqual(['datetime']);
    const domain = [
      ['date_order', '>', '2026-13-45'],
      ['validity_date', '>', '2026-01-01'],
    ] as Domain;
    const hint = valueErrorHint(types ?? [], { domain, fields });
    expect(hint).toContain('"date_order" is a datetime field');
    expect(hint).not.toContain('validity_date');
  });

  it('gives every form when no field matches', () => {
    const hint = valueErrorHint(['integer'], undefined);
    expect(hint).toContain('Dates are "YYYY-MM-DD"');
    expect(hint).toContain('booleans are true or false');
  });

  it.each([
    ['invalid input syntax for type date: "soon"', ['date']],
    ['date/time field value out of range: "2026-02-30"', ['date', 'datetime']],
    ["invalid literal for int() with base 10: 'x'", ['integer']],
    ["could not convert string to float: 'ten'", ['float']],
    ['invalid input syntax for type numeric: "lots"', ['monetary', 'float']],
    ['invalid input syntax for type bigint: "five"', ['integer', 'many2one']],
  ])('reads the field types of %j', (message, types) => {
    expect(valueErrorFieldTypes(message)).toEqual(types);
  });

  it('ignores other errors', () => {
    expect(valueErrorFieldTypes('Invalid field sale.order.x in leaf')).toBeUndefined();
  });
});

describe('parseDomain limits', () => {
  it('rejects a deeply nested any domain', () => {
    let domain: unknown = [['name', '=', 'x']];
    for (let level = 0; level < 10_000; level += 1) {
      domain = [['order_line', 'any', domain]];
    }
    expect(() => parseDomain(domain)).toThrow(/nests more than 10 levels/);
  });

  it('rejects a domain with too many terms', () => {
    const domain = Array.from({ length: 3000 }, () => ['state', '=', 'sale']);
    expect(() => parseDomain(domain)).toThrow(/more than 2000 terms/);
  });

  it('accepts realistic nesting', () => {
    const domain = [['order_line', 'any', [['product_id', 'any', [['name', 'ilike', 'desk']]]]]];
    expect(parseDomain(domain)).toEqual(domain);
  });
});
