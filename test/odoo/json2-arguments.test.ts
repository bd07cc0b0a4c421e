import { describe, expect, it } from 'vitest';
import { OdooError } from '../../src/odoo/errors.js';
import { namedArguments } from '../../src/odoo/json2-arguments.js';

function failureOf(run: () => unknown): OdooError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(OdooError);
    return error as OdooError;
  }
  throw new Error('namedArguments succeeded, but a failure was expected');
}

const DOMAIN = [['is_company', '=', true]];

describe('namedArguments', () => {
  it.each([
    ['search', [DOMAIN, 0, 5, 'id asc'], { domain: DOMAIN, offset: 0, limit: 5, order: 'id asc' }],
    ['search_count', [DOMAIN], { domain: DOMAIN }],
    ['search_read', [DOMAIN, ['name']], { domain: DOMAIN, fields: ['name'] }],
    ['read', [[9, 15], ['name']], { ids: [9, 15], fields: ['name'] }],
    ['write', [[52], { city: 'Brussels' }], { ids: [52], vals: { city: 'Brussels' } }],
    ['create', [[{ name: 'x' }]], { vals_list: [{ name: 'x' }] }],
    ['unlink', [[52]], { ids: [52] }],
    ['exists', [[1, 2]], { ids: [1, 2] }],
    ['fields_get', [['name'], ['type']], { allfields: ['name'], attributes: ['type'] }],
    [
      'name_search',
      ['desk', DOMAIN, 'ilike', 5],
      { name: 'desk', domain: DOMAIN, operator: 'ilike', limit: 5 },
    ],
    [
      'read_group',
      [[], ['amount_total:sum'], ['partner_id']],
      { domain: [], fields: ['amount_total:sum'], groupby: ['partner_id'] },
    ],
    [
      'formatted_read_group',
      [[], ['partner_id'], ['amount_total:sum']],
      { domain: [], groupby: ['partner_id'], aggregates: ['amount_total:sum'] },
    ],
    ['web_search_read', [[], { name: {} }], { domain: [], specification: { name: {} } }],
    [
      'web_read_group',
      [[], ['state'], ['__count']],
      { domain: [], groupby: ['state'], aggregates: ['__count'] },
    ],
    ['web_read', [[1], { name: {} }], { ids: [1], specification: { name: {} } }],
    ['has_access', [[1], 'read'], { ids: [1], operation: 'read' }],
    ['check_access', [[1], 'write'], { ids: [1], operation: 'write' }],
  ])('names the arguments of %s', (method, args, expected) => {
    expect(namedArguments('res.partner', method, args, {})).toEqual(expected);
  });

  it('names display_name_for models', () => {
    const named = namedArguments('ir.model', 'display_name_for', [['sale.order']], {});
    expect(named).toEqual({ models: ['sale.order'] });
  });

  it('model methods without parameters take no arguments', () => {
    expect(namedArguments('res.users', 'context_get', [], {})).toEqual({});
    expect(namedArguments('ir.model', 'get_available_models', [], {})).toEqual({});
  });

  it('keeps kwargs and context by name', () => {
    const kwargs = { fields: ['name'], limit: 5, context: { active_test: false } };
    const named = namedArguments('res.partner', 'search_read', [DOMAIN], kwargs);
    expect(named).toEqual({ domain: DOMAIN, ...kwargs });
  });

  it('kwargs alone pass for any method', () => {
    const kwargs = { ids: [4], reason: 'test' };
    expect(namedArguments('sale.order', 'action_confirm', [], kwargs)).toEqual(kwargs);
  });

  it('record method without args sends no ids', () => {
    expect(namedArguments('res.partner', 'read', [], { fields: ['name'] })).toEqual({
      fields: ['name'],
    });
  });

  it('model-specific names do not leak', () => {
    const error = failureOf(() => namedArguments('res.partner', 'display_name_for', [['x']], {}));
    expect(error.kind).toBe('invalid_request');
  });

  it('unknown signature names the method', () => {
    const error = failureOf(() => namedArguments('sale.order', 'action_confirm', [[4]], {}));
    expect(error.kind).toBe('invalid_request');
    expect(error.message).toContain('sale.order.action_confirm');
    expect(error.message).toContain('named arguments only');
    expect(error.message).toContain('"ids"');
    expect(error.model).toBe('sale.order');
    expect(error.method).toBe('action_confirm');
  });

  it('too many arguments names the parameters', () => {
    const error = failureOf(() => namedArguments('res.partner', 'search_count', [[], 5, 6], {}));
    expect(error.kind).toBe('invalid_request');
    expect(error.message).toBe(
      'res.partner.search_count takes at most 2 positional arguments (domain, limit), but 3 were given.',
    );
  });

  it('counts ids among the arguments', () => {
    const error = failureOf(() => namedArguments('res.partner', 'unlink', [[1], 'x'], {}));
    expect(error.message).toBe(
      'res.partner.unlink takes at most 1 positional argument (ids), but 2 were given.',
    );
  });

  it('argument given twice is rejected', () => {
    const error = failureOf(() =>
      namedArguments('res.partner', 'search_read', [DOMAIN], { domain: [] }),
    );
    expect(error.kind).toBe('invalid_request');
    expect(error.message).toContain('"domain" both as a positional and as a keyword argument');
  });

  it('ids given twice are rejected', () => {
    const error = failureOf(() => namedArguments('res.partner', 'read', [[1]], { ids: [2] }));
    expect(error.message).toContain('"ids"');
  });

  it('keeps a __proto__ keyword as a key', () => {
    const kwargs = JSON.parse('{"__proto__": {"polluted": true}}') as Record<string, unknown>;
    const named = namedArguments('res.partner', 'search_count', [[]], kwargs);
    expect(Object.keys(named)).toEqual(['domain', '__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(JSON.stringify(named)).toBe('{"domain":[],"__proto__":{"polluted":true}}');
  });
});
