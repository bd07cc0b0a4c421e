import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  formattedReadGroupRequest,
  type GroupingQuery,
  readGroupRequest,
  readGroups,
} from '../../src/mcp/aggregate/grouping-methods.js';
import { isMissingMethodError } from '../../src/mcp/aggregate/missing-method.js';
import {
  normalizeFormattedRows,
  normalizeReadGroupRows,
  periodFirstDay,
} from '../../src/mcp/aggregate/normalize.js';
import { parseGroupOrder } from '../../src/mcp/aggregate/order.js';
import { parseGroupby, parseMeasures } from '../../src/mcp/aggregate/specs.js';
import { type FieldMap, parseFieldsGet } from '../../src/mcp/fields.js';
import { OdooCalls, type ToolCall } from '../../src/mcp/tool.js';
import { OdooError } from '../../src/odoo/errors.js';
import { recordedError, recordedResult, recording, ScriptedConnection } from './helpers.js';

type Rows = Array<Record<string, unknown>>;

const RECORDINGS = new URL('../fixtures/odoo-recordings/', import.meta.url);

/** Reads the bare response body of a recorded JSON-2 exchange of Odoo 19.0. */
function json2Body(name: string): unknown {
  const text = readFileSync(new URL(`odoo19/${name}.json`, RECORDINGS), 'utf8');
  return (JSON.parse(text) as { response: { body: unknown } }).response.body;
}

/** Reads the request body of a recorded JSON-2 exchange of Odoo 19.0. */
function json2Request(name: string): Record<string, unknown> {
  const text = readFileSync(new URL(`odoo19/${name}.json`, RECORDINGS), 'utf8');
  return (JSON.parse(text) as { request: { body: Record<string, unknown> } }).request.body;
}

const saleOrderFields: FieldMap = parseFieldsGet(recordedResult('odoo18', 'fields_get_sale_order'));
const accountMoveFields: FieldMap = parseFieldsGet(
  recordedResult('odoo18', 'fields_get_account_move_subset'),
);

function shape(groupby: string[], measures: string[], fields = saleOrderFields) {
  const model = fields === saleOrderFields ? 'sale.order' : 'account.move';
  return {
    levels: parseGroupby(groupby, fields, model).levels,
    measures: parseMeasures(measures, fields, model),
  };
}

const byMonth = shape(['date_order:month'], ['amount_total:sum']);
const byPartner = shape(['partner_id'], ['amount_total:sum']);

function month(value: string, label: string, total: number, count: number | null) {
  return { 'date_order:month': { value, label }, 'amount_total:sum': total, count };
}

function partner(id: number, name: string, total: number, count: number | null) {
  return { partner_id: { value: id, label: name }, 'amount_total:sum': total, count };
}

const MONTHS_18 = [
  month('2026-10-01', 'October 2026', 831, 1),
  month('2026-11-01', 'November 2026', 14023, 9),
  month('2026-12-01', 'December 2026', 20016.5, 14),
];

const PARTNERS_19 = [
  partner(10, 'Gemini Furniture', 23963, 17),
  partner(7, 'YourCompany, Joel Willis', 4687.5, 2),
  partner(11, 'Ready Mat', 3325, 2),
  partner(9, 'Acme Corporation', 2145, 2),
  partner(16, 'Lumber Inc', 750, 1),
];

describe('read_group normalization', () => {
  it('reads 17.0 months from their labels and __range', () => {
    const rows = recordedResult('odoo17', 'read_group_sale_order_by_month_bob') as Rows;
    expect(normalizeReadGroupRows(rows, byMonth.levels, byMonth.measures)).toEqual([
      month('2026-10-01', 'October 2026', 955.65, 1),
      month('2026-11-01', 'November 2026', 16126.48, 9),
      month('2026-12-01', 'December 2026', 23018.99, 14),
    ]);
  });

  it('reads 18.0 months', () => {
    const rows = recordedResult('odoo18', 'read_group_sale_order_by_month_bob') as Rows;
    expect(normalizeReadGroupRows(rows, byMonth.levels, byMonth.measures)).toEqual(MONTHS_18);
  });

  it('reads 19.0 read_group months as 18.0 ones', () => {
    const rows = json2Body('json2_read_group_sale_order_by_month_bob') as Rows;
    expect(normalizeReadGroupRows(rows, byMonth.levels, byMonth.measures)).toEqual(MONTHS_18);
  });

  it('reads lazy partner groups of 17.0 and 18.0', () => {
    const rows17 = recordedResult('odoo17', 'read_group_sale_order_by_partner_bob') as Rows;
    const rows18 = recordedResult('odoo18', 'read_group_sale_order_by_partner_bob') as Rows;
    const groups17 = normalizeReadGroupRows(rows17, byPartner.levels, byPartner.measures);
    const groups18 = normalizeReadGroupRows(rows18, byPartner.levels, byPartner.measures);
    expect(groups17[0]).toEqual(partner(11, 'Gemini Furniture', 27557.48, 17));
    expect(groups18).toEqual([
      partner(11, 'Gemini Furniture', 23963, 17),
      partner(8, 'YourCompany, Joel Willis', 4687.5, 2),
      partner(12, 'Ready Mat', 3325, 2),
      partner(10, 'Deco Addict', 2145, 2),
      partner(16, 'Lumber Inc', 750, 1),
    ]);
    expect(groups17.map((group) => group.count)).toEqual(groups18.map((group) => group.count));
  });

  it('reads alice’s partner groups', () => {
    const rows = recordedResult('odoo18', 'read_group_sale_order_by_partner_alice') as Rows;
    expect(normalizeReadGroupRows(rows, byPartner.levels, byPartner.measures)).toEqual([
      partner(10, 'Deco Addict', 1740, 1),
      partner(11, 'Gemini Furniture', 2240, 1),
      partner(12, 'Ready Mat', 3325, 2),
    ]);
  });

  it('reads 19.0 read_group over JSON-RPC and JSON-2 alike', () => {
    const jsonRpc = recordedResult('odoo19', 'read_group_sale_order_by_partner_bob') as Rows;
    const json2 = json2Body('json2_read_group_sale_order_by_partner_bob') as Rows;
    expect(normalizeReadGroupRows(jsonRpc, byPartner.levels, byPartner.measures)).toEqual(
      PARTNERS_19,
    );
    expect(normalizeReadGroupRows(json2, byPartner.levels, byPartner.measures)).toEqual(
      PARTNERS_19,
    );
  });

  it('reads two levels with __count', () => {
    const both = shape(['partner_id', 'date_order:month'], ['amount_total:sum']);
    for (const folder of ['odoo17', 'odoo18']) {
      const rows = recordedResult(
        folder,
        'read_group_sale_order_by_partner_and_month_nolazy_bob',
      ) as Rows;
      const groups = normalizeReadGroupRows(rows, both.levels, both.measures);
      expect(groups, folder).toHaveLength(5);
      expect(groups[2], folder).toEqual({
        partner_id: { value: 11, label: 'Gemini Furniture' },
        'date_order:month': { value: '2026-11-01', label: 'November 2026' },
        'amount_total:sum': folder === 'odoo17' ? 4879.47 : 4243,
        count: 4,
      });
    }
  });

  it('labels selection keys from fields_get', () => {
    const byState = shape(['state'], ['amount_total:sum']);
    const rows = recordedResult('odoo18', 'read_group_sale_order_kwargs_style') as Rows;
    expect(normalizeReadGroupRows(rows, byState.levels, byState.measures)).toEqual([
      { state: { value: 'sale', label: 'Sales Order' }, 'amount_total:sum': 27660.5, count: 19 },
    ]);
  });

  it('reads web_read_group groups of 17.0 and 18.0', () => {
    const byState = shape(['state'], ['amount_total:sum']);
    const result = recordedResult('odoo18', 'web_read_group_sale_order') as { groups: Rows };
    expect(normalizeReadGroupRows(result.groups, byState.levels, byState.measures)).toEqual([
      { state: { value: 'draft', label: 'Quotation' }, 'amount_total:sum': 5470, count: 4 },
      { state: { value: 'sale', label: 'Sales Order' }, 'amount_total:sum': 27660.5, count: 19 },
      { state: { value: 'sent', label: 'Quotation Sent' }, 'amount_total:sum': 1740, count: 1 },
    ]);
  });

  it('gives groups without a value null and None', () => {
    const byUser = shape(['user_id', 'date_order:week'], ['amount_total:sum']);
    const rows = [
      { user_id: false, 'date_order:week': false, __count: 3, amount_total: false, __range: {} },
    ];
    expect(normalizeReadGroupRows(rows, byUser.levels, byUser.measures)).toEqual([
      {
        user_id: { value: null, label: 'None' },
        'date_order:week': { value: null, label: 'None' },
        'amount_total:sum': null,
        count: 3,
      },
    ]);
  });
});

describe('formatted_read_group normalization', () => {
  it('reads 19.0 months as 18.0 read_group ones', () => {
    const rows = json2Body('json2_formatted_read_group_sale_order_by_month_bob') as Rows;
    const groups = normalizeFormattedRows(rows, byMonth.levels, byMonth.measures);
    // The recorded call did not ask for __count, which the tool always does.
    expect(groups).toEqual(MONTHS_18.map((group) => ({ ...group, count: null })));
  });

  it('reads 19.0 partners as 19.0 read_group ones', () => {
    const rows = json2Body('json2_formatted_read_group_sale_order_by_partner_bob') as Rows;
    expect(normalizeFormattedRows(rows, byPartner.levels, byPartner.measures)).toEqual(PARTNERS_19);
  });

  it('reads formatted_read_group over JSON-RPC', () => {
    const rows = recordedResult('odoo19', 'formatted_read_group') as Rows;
    expect(normalizeFormattedRows(rows, byPartner.levels, byPartner.measures)).toEqual([
      partner(9, 'Acme Corporation', 2145, null),
      partner(10, 'Gemini Furniture', 23963, null),
      partner(16, 'Lumber Inc', 750, null),
    ]);
  });

  it('reads 19.0 invoices as read_group does', () => {
    const byPayment = shape(['payment_state'], ['amount_total:sum'], accountMoveFields);
    const formatted = json2Body('json2_formatted_read_group_account_move_bob') as Rows;
    const legacy = json2Body('json2_read_group_account_move_bob') as Rows;
    const expected = [
      {
        payment_state: { value: 'not_paid', label: 'Not Paid' },
        'amount_total:sum': 135949,
        count: 9,
      },
    ];
    expect(normalizeFormattedRows(formatted, byPayment.levels, byPayment.measures)).toEqual(
      expected,
    );
    expect(normalizeReadGroupRows(legacy, byPayment.levels, byPayment.measures)).toEqual(expected);
  });

  it('reads web_read_group groups of 19.0 as those of 18.0', () => {
    const byState = shape(['state'], ['amount_total:sum']);
    const result19 = json2Body('json2_web_read_group_sale_order_bob') as { groups: Rows };
    const result18 = recordedResult('odoo18', 'web_read_group_sale_order') as { groups: Rows };
    expect(normalizeFormattedRows(result19.groups, byState.levels, byState.measures)).toEqual(
      normalizeReadGroupRows(result18.groups, byState.levels, byState.measures),
    );
  });

  it('reads two levels at once', () => {
    const twoLevels = shape(['state', 'user_id'], ['__count']);
    const rows = json2Body('json2_formatted_read_group_sale_order_two_levels_alice') as Rows;
    expect(normalizeFormattedRows(rows, twoLevels.levels, twoLevels.measures)).toEqual([
      {
        state: { value: 'draft', label: 'Quotation' },
        user_id: { value: 7, label: 'Alice Sales' },
        count: 3,
      },
      {
        state: { value: 'sale', label: 'Sales Order' },
        user_id: { value: 7, label: 'Alice Sales' },
        count: 1,
      },
    ]);
  });
});

describe('period first days', () => {
  const [dateLevel] = parseGroupby(
    ['invoice_date:month'],
    accountMoveFields,
    'account.move',
  ).levels;
  const [datetimeLevel] = byMonth.levels;

  it('keeps a date field’s start', () => {
    expect(periodFirstDay(dateLevel!, '2026-10-01', 'Asia/Tokyo')).toBe('2026-10-01');
  });

  it('turns a UTC start into the local day', () => {
    expect(periodFirstDay(datetimeLevel!, '2026-09-30 15:00:00', 'Asia/Tokyo')).toBe('2026-10-01');
    expect(periodFirstDay(datetimeLevel!, '2026-10-01 07:00:00', 'America/Los_Angeles')).toBe(
      '2026-10-01',
    );
  });

  it('takes a local start as it is', () => {
    expect(periodFirstDay(datetimeLevel!, '2026-10-01 00:00:00', 'America/Los_Angeles')).toBe(
      '2026-10-01',
    );
  });
});

function query(groupby: string[], measures: string[], order?: string): GroupingQuery {
  const parsed = shape(groupby, measures);
  return {
    model: 'sale.order',
    domain: [],
    ...parsed,
    order: order === undefined ? [] : parseGroupOrder(order, parsed.levels, parsed.measures),
    limit: 5,
    context: {},
  };
}

describe('grouping requests', () => {
  it('sends read_group as the recordings do, without lazy', () => {
    const request = readGroupRequest(
      query(['partner_id'], ['amount_total:sum'], 'amount_total:sum desc'),
    );
    const recorded = recording('odoo18', 'read_group_sale_order_by_partner_bob').request.body
      ?.params?.args as unknown[];
    expect(request.args).toEqual(recorded[5]);
    expect(request.kwargs).toEqual({
      ...(recorded[6] as Record<string, unknown>),
      lazy: false,
      context: {},
    });
  });

  it('sends formatted_read_group as the recording does', () => {
    const request = formattedReadGroupRequest(
      query(['partner_id'], ['amount_total:sum'], 'amount_total:sum desc'),
    );
    const recorded = json2Request('json2_formatted_read_group_sale_order_by_partner_bob');
    expect(request.args).toEqual([recorded.domain, recorded.groupby, recorded.aggregates]);
    expect(request.kwargs).toEqual({ limit: recorded.limit, order: recorded.order, context: {} });
  });

  it('names measures of one field apart', () => {
    const twoOfOne = query(
      ['partner_id'],
      ['amount_total:sum', 'amount_total:max'],
      'amount_total:max desc',
    );
    const request = readGroupRequest(twoOfOne);
    expect(request.args[1]).toEqual([
      'amount_total_sum:sum(amount_total)',
      'amount_total_max:max(amount_total)',
    ]);
    expect(request.kwargs.orderby).toBe('amount_total_max desc');
    const row = { partner_id: [9, 'Acme'], amount_total_sum: 10, amount_total_max: 7, __count: 2 };
    expect(normalizeReadGroupRows([row], twoOfOne.levels, twoOfOne.measures)).toEqual([
      {
        partner_id: { value: 9, label: 'Acme' },
        'amount_total:sum': 10,
        'amount_total:max': 7,
        count: 2,
      },
    ]);
  });

  it('asks read_group for the count alone', () => {
    const request = readGroupRequest(
      query(['state', 'date_order:week'], [], 'date_order desc, count'),
    );
    expect(request.args).toEqual([[], ['__count'], ['state', 'date_order:week']]);
    expect(request.kwargs.orderby).toBe('date_order:week desc, __count asc');
    const formatted = formattedReadGroupRequest(query(['state'], [], 'count desc'));
    expect(formatted.args[2]).toEqual(['__count']);
    expect(formatted.kwargs.order).toBe('__count desc');
  });
});

/** Builds a tool call whose Odoo calls go to `connection`, which is all readGroups uses. */
function callOn(connection: ScriptedConnection): ToolCall {
  return { odoo: new OdooCalls(connection, undefined) } as unknown as ToolCall;
}

describe('grouping method choice', () => {
  const rows18 = () => recordedResult('odoo18', 'read_group_sale_order_by_month_bob');

  it('uses read_group on 18.0', async () => {
    const connection = new ScriptedConnection(
      'bob@example.com',
      { 'sale.order.read_group': rows18 },
      '18.0',
    );
    const raw = await readGroups(
      callOn(connection),
      query(['date_order:month'], ['amount_total:sum']),
    );
    expect(raw.method).toBe('read_group');
    expect(connection.calls.map((call) => call.method)).toEqual(['read_group']);
  });

  it('uses formatted_read_group on 19.0', async () => {
    const rows = () => json2Body('json2_formatted_read_group_sale_order_by_month_bob');
    const connection = new ScriptedConnection(
      'bob@example.com',
      { 'sale.order.formatted_read_group': rows },
      '19.0',
    );
    const raw = await readGroups(
      callOn(connection),
      query(['date_order:month'], ['amount_total:sum']),
    );
    expect(raw.method).toBe('formatted_read_group');
    expect(connection.calls.map((call) => call.method)).toEqual(['formatted_read_group']);
  });

  it('falls back to read_group when formatted_read_group is missing', async () => {
    const connection = new ScriptedConnection(
      'bob@example.com',
      {
        'sale.order.formatted_read_group': () => {
          throw recordedError('odoo18', 'error_formatted_read_group');
        },
        'sale.order.read_group': rows18,
      },
      '19.0',
    );
    const groupingQuery = query(['date_order:month'], ['amount_total:sum']);
    const raw = await readGroups(callOn(connection), groupingQuery);
    expect(raw.method).toBe('read_group');
    expect(connection.calls.map((call) => call.method)).toEqual([
      'formatted_read_group',
      'read_group',
    ]);
  });

  it('falls back to formatted_read_group when read_group is missing', async () => {
    const missing = new OdooError(
      'invalid_request',
      "The method 'read_group' does not exist on the model 'sale.order'",
    );
    const connection = new ScriptedConnection(
      'bob@example.com',
      {
        'sale.order.read_group': () => {
          throw missing;
        },
        'sale.order.formatted_read_group': () =>
          json2Body('json2_formatted_read_group_sale_order_by_month_bob'),
      },
      'saas~18.3',
    );
    const raw = await readGroups(
      callOn(connection),
      query(['date_order:month'], ['amount_total:sum']),
    );
    expect(raw.method).toBe('formatted_read_group');
    expect(connection.calls.map((call) => call.method)).toEqual([
      'read_group',
      'formatted_read_group',
    ]);
  });

  it('raises other errors without a second try', async () => {
    const connection = new ScriptedConnection(
      'carol@example.com',
      {
        'sale.order.formatted_read_group': () => {
          throw recordedError('odoo18', 'error_access_carol_sale_order');
        },
      },
      '19.0',
    );
    const grouping = readGroups(callOn(connection), query(['state'], []));
    await expect(grouping).rejects.toMatchObject({ kind: 'access' });
    expect(connection.calls).toHaveLength(1);
  });
});

describe('missing method errors', () => {
  it('recognizes the recorded AttributeError', () => {
    for (const folder of ['odoo17', 'odoo18']) {
      const error = recordedError(folder, 'error_formatted_read_group');
      expect(isMissingMethodError(error, 'formatted_read_group'), folder).toBe(true);
      expect(isMissingMethodError(error, 'read_group'), folder).toBe(false);
    }
  });

  it('recognizes the JSON-2 message', () => {
    const body = json2Body('error_json2_unknown_method') as { message: string };
    const error = new OdooError('invalid_request', body.message);
    expect(isMissingMethodError(error, 'no_such_method')).toBe(true);
    expect(isMissingMethodError(error, 'such_method')).toBe(false);
  });

  it('ignores other errors', () => {
    expect(isMissingMethodError(recordedError('odoo18', 'error_unknown_model'), 'read_group')).toBe(
      false,
    );
    const access = recordedError('odoo18', 'error_access_carol_sale_order');
    expect(isMissingMethodError(access, 'read_group')).toBe(false);
  });
});
