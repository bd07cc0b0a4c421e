import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { todayIn } from '../../src/mcp/dates.js';
import {
  daysBefore,
  daysBetween,
  daysOverdue,
  kindOf,
  overdueLeaves,
  paymentStateLeaf,
} from '../../src/mcp/domain-tools/invoices.js';
import { parseFieldsGet } from '../../src/mcp/fields.js';
import { OdooError } from '../../src/odoo/errors.js';
import {
  connectDomainTools,
  type DemoStack,
  demoSession,
  startDemoStack,
  stopDemoStack,
  structured,
} from './domain-tool-helpers.js';
import {
  type Answer,
  type ConnectedSession,
  pageReadCall,
  recordedResult,
  resultText,
  ScriptedConnection,
} from './helpers.js';

const BOB = { email: 'bob@example.com', uid: 9 };
const PACIFIC = { tz: 'America/Los_Angeles', tzUnset: false, lang: 'en_US' };

const moveFields = (folder: 'odoo17' | 'odoo18') =>
  recordedResult(folder, 'fields_get_account_move_subset');

interface DueTotal {
  type: string;
  amount: number;
  currency: string | null;
}

interface InvoicesOutput {
  invoices: Array<{ id: number; days_overdue: number | null; amount_due: { amount: number } }>;
  total: number;
  next_offset: number | null;
  amount_due_total: DueTotal[];
  notes: string[];
}

describe('invoice filters', () => {
  it('builds the overdue condition', () => {
    expect(overdueLeaves('2026-11-04')).toEqual([
      ['state', '=', 'posted'],
      ['payment_state', 'in', ['not_paid', 'partial']],
      ['invoice_date_due', '<', '2026-11-04'],
    ]);
  });

  it('counts days across months and years', () => {
    expect(daysBefore('2026-12-04', 30)).toBe('2026-11-04');
    expect(daysBefore('2026-03-01', 1)).toBe('2026-02-28');
    expect(daysBefore('2027-01-05', 10)).toBe('2026-12-26');
    expect(daysBetween('2026-11-04', '2026-12-04')).toBe(30);
  });

  it('tells the days an invoice is overdue', () => {
    const invoice = { state: 'posted', payment_state: 'partial', invoice_date_due: '2026-11-30' };
    expect(daysOverdue(invoice, '2026-12-04')).toBe(4);
    expect(daysOverdue({ ...invoice, invoice_date_due: '2026-12-04' }, '2026-12-04')).toBeNull();
    expect(daysOverdue({ ...invoice, payment_state: 'paid' }, '2026-12-04')).toBeNull();
    expect(daysOverdue({ ...invoice, payment_state: 'in_payment' }, '2026-12-04')).toBeNull();
    expect(daysOverdue({ ...invoice, state: 'draft' }, '2026-12-04')).toBeNull();
    expect(daysOverdue({ ...invoice, invoice_date_due: false }, '2026-12-04')).toBeNull();
  });

  it('checks payment states against the selection', () => {
    const seventeen = parseFieldsGet(moveFields('odoo17'));
    const eighteen = parseFieldsGet(moveFields('odoo18'));
    expect(paymentStateLeaf(['blocked'], eighteen)).toEqual(['payment_state', 'in', ['blocked']]);
    expect(() => paymentStateLeaf(['blocked'], seventeen)).toThrow(
      'This Odoo has no payment state "blocked"; account.move payment states here are ' +
        'not_paid, in_payment, paid, partial, reversed, invoicing_legacy.',
    );
    expect(paymentStateLeaf(['not_paid', 'partial'], seventeen)).toEqual([
      'payment_state',
      'in',
      ['not_paid', 'partial'],
    ]);
  });

  it('names the kinds of move types', () => {
    expect(kindOf('out_invoice')).toBe('customer_invoice');
    expect(kindOf('in_invoice')).toBe('vendor_bill');
    expect(kindOf('out_refund')).toBe('customer_credit_note');
    expect(kindOf('in_refund')).toBe('vendor_credit_note');
    expect(kindOf('entry')).toBe('entry');
  });
});

describe('find_invoices calls', () => {
  let open: ConnectedSession | undefined;

  afterEach(async () => {
    await open?.close();
    open = undefined;
  });

  async function run(
    args: Record<string, unknown>,
    answers: Record<string, Answer> = {},
    version = '17.0',
  ) {
    const connection = new ScriptedConnection(
      'bob@example.com',
      {
        'account.move.fields_get': () => moveFields(version === '17.0' ? 'odoo17' : 'odoo18'),
        'account.move.search_read': () => [],
        ...answers,
      },
      version,
    );
    open = await connectDomainTools(connection, BOB, PACIFIC);
    const result = await open.client.callTool({ name: 'find_invoices', arguments: args });
    const search = pageReadCall(connection.calls, 'account.move');
    return { result, connection, search };
  }

  it('names the four kinds by default', async () => {
    const { search } = await run({});
    expect(search?.args[0]).toEqual([
      ['move_type', 'in', ['out_invoice', 'in_invoice', 'out_refund', 'in_refund']],
    ]);
    expect(search?.kwargs.order).toBeUndefined();
  });

  it('maps kind, state and payment state', async () => {
    const { search } = await run({
      kind: ['customer_credit_note', 'vendor_bill'],
      state: 'cancelled',
      payment_state: ['reversed'],
    });
    expect(search?.args[0]).toEqual([
      ['move_type', 'in', ['out_refund', 'in_invoice']],
      ['state', 'in', ['cancel']],
      ['payment_state', 'in', ['reversed']],
    ]);
  });

  it('builds overdue from the person today', async () => {
    const { search, result } = await run({ kind: 'customer_invoice', overdue_days: 30 });
    const cutoff = daysBefore(todayIn(PACIFIC.tz), 30);
    expect(search?.args[0]).toEqual([
      ['move_type', 'in', ['out_invoice']],
      ['state', '=', 'posted'],
      ['payment_state', 'in', ['not_paid', 'partial']],
      ['invoice_date_due', '<', cutoff],
    ]);
    expect(search?.kwargs.order).toBe('invoice_date_due asc, id asc');
    expect(structured<InvoicesOutput>(result).notes[0]).toContain(`due before ${cutoff}`);
  });

  it('keeps credit notes out of overdue', async () => {
    const { search, result } = await run({
      kind: ['customer_invoice', 'customer_credit_note'],
      overdue_days: 0,
    });
    expect(search?.args[0]).toContainEqual(['move_type', 'in', ['out_invoice']]);
    expect(structured<InvoicesOutput>(result).notes[0]).toContain(
      'The credit notes in kind are left out, because a credit note is never overdue.',
    );
  });

  it('leaves credit notes out of default overdue', async () => {
    const { search, result } = await run({ overdue_days: 0 });
    expect(search?.args[0]).toContainEqual(['move_type', 'in', ['out_invoice', 'in_invoice']]);
    expect(structured<InvoicesOutput>(result).notes[0]).not.toContain('credit notes in kind');
  });

  it('rejects overdue for credit notes only', async () => {
    const { result, search } = await run({ kind: 'vendor_credit_note', overdue_days: 10 });
    expect(result.isError).toBe(true);
    expect(resultText(result)).toContain(
      'overdue_days finds customer invoices and vendor bills only, so it cannot be combined ' +
        'with kind vendor_credit_note',
    );
    expect(search).toBeUndefined();
  });

  it('notes blocked invoices unless payment_state is given', async () => {
    const plain = await run({ overdue_days: 0 }, {}, '18.0');
    expect(structured<InvoicesOutput>(plain.result).notes[0]).toContain('payment_state "blocked"');
    await open?.close();
    const filtered = await run({ overdue_days: 0, payment_state: 'not_paid' }, {}, '18.0');
    expect(structured<InvoicesOutput>(filtered.result).notes[0]).not.toContain('blocked');
  });

  it('rejects a state that is a payment state', async () => {
    const { result, search } = await run({ state: 'paid' });
    expect(result.isError).toBe(true);
    expect(resultText(result)).toContain(
      'state: Invalid value "paid" for state. It takes one of "draft", "posted", "cancelled", ' +
        'or a list of them. For "paid", pass payment_state "paid".',
    );
    expect(search).toBeUndefined();
  });

  it('lists the kinds for an unknown kind', async () => {
    const { result } = await run({ kind: ['invoice'] });
    expect(result.isError).toBe(true);
    expect(resultText(result)).toContain(
      'kind: Invalid value "invoice" for kind. It takes one of "customer_invoice", ' +
        '"vendor_bill", "customer_credit_note", "vendor_credit_note", or a list of them. For ' +
        '"invoice", use "customer_invoice", or "vendor_bill" for an invoice from a vendor.',
    );
  });

  it('points a payment state to state', async () => {
    const { result } = await run({ payment_state: 'posted' });
    expect(result.isError).toBe(true);
    expect(resultText(result)).toContain('For "posted", pass state "posted".');
  });

  it('rejects overdue with a draft state', async () => {
    const { result, search } = await run({ overdue_days: 0, state: 'draft' });
    expect(result.isError).toBe(true);
    expect(resultText(result)).toContain('overdue_days finds posted invoices only');
    expect(search).toBeUndefined();
  });

  it('rejects overdue with a paid payment state', async () => {
    const { result } = await run({ overdue_days: 0, payment_state: 'paid' });
    expect(result.isError).toBe(true);
    expect(resultText(result)).toContain('payment state is not_paid or partial');
  });

  it('compares dates with local days', async () => {
    const { search } = await run({
      date_from: '2026-01',
      date_to: '2026-03',
      due_to: '2026-04-15',
    });
    expect(search?.args[0]).toEqual([
      ['move_type', 'in', ['out_invoice', 'in_invoice', 'out_refund', 'in_refund']],
      ['invoice_date', '>=', '2026-01-01'],
      ['invoice_date', '<=', '2026-03-31'],
      ['invoice_date_due', '<=', '2026-04-15'],
    ]);
  });

  it('takes a partner as child_of', async () => {
    const { search } = await run(
      { partner: 'Redwood' },
      { 'res.partner.name_search': () => [[146, 'Redwood Timber Supply']] },
    );
    expect(search?.args[0]).toContainEqual(['partner_id', 'child_of', [146]]);
  });

  it('adds no due note without matches', async () => {
    const { result } = await run({});
    expect(resultText(result)).toBe('No invoice matches.');
    expect(structured<InvoicesOutput>(result).notes).toEqual([]);
  });

  it('shows credit notes as amounts to refund', async () => {
    const base = {
      state: 'posted',
      payment_state: 'not_paid',
      invoice_date: '2020-04-12',
      invoice_date_due: '2020-04-27',
      amount_total: 100,
      amount_residual: 100,
      currency_id: [1, 'USD'],
    };
    const rows = [
      {
        ...base,
        id: 1,
        name: 'RINV/2020/00001',
        move_type: 'out_refund',
        partner_id: [7, 'Brooklyn Coffee'],
      },
      {
        ...base,
        id: 2,
        name: 'RBILL/2020/00001',
        move_type: 'in_refund',
        partner_id: [8, 'Redwood Timber'],
      },
    ];
    const { result } = await run({}, { 'account.move.search_read': () => rows });
    const [, lines] = resultText(result).split('\n\n');
    expect(lines).toBe(
      'RINV/2020/00001 · Brooklyn Coffee · customer credit note · not paid · 2020-04-12 · due ' +
        '2020-04-27 · 100.00 USD · 100.00 USD to refund · ' +
        'https://erp.example.com/web#id=1&model=account.move&view_type=form\n' +
        'RBILL/2020/00001 · Redwood Timber · vendor credit note · not paid · 2020-04-12 · due ' +
        '2020-04-27 · 100.00 USD · 100.00 USD to be refunded to us · ' +
        'https://erp.example.com/web#id=2&model=account.move&view_type=form',
    );
    const output = structured<InvoicesOutput>(result);
    expect(output.invoices.map((invoice) => invoice.days_overdue)).toEqual([null, null]);
    expect(output.amount_due_total).toEqual([
      { type: 'receivable', amount: -100, currency: 'USD' },
      { type: 'payable', amount: -100, currency: 'USD' },
    ]);
    expect(output.notes).toEqual([]);
  });

  it('names the zone of days overdue once', async () => {
    const row = {
      id: 3,
      name: 'INV/2020/00003',
      move_type: 'out_invoice',
      state: 'posted',
      payment_state: 'not_paid',
      invoice_date_due: '2020-04-27',
      amount_residual: 10,
      currency_id: [1, 'USD'],
    };
    const { result } = await run(
      {},
      { 'account.move.search_read': () => [row, { ...row, id: 4 }] },
    );
    const today = todayIn(PACIFIC.tz);
    expect(structured<InvoicesOutput>(result).notes).toEqual([
      `Days overdue count from today, ${today} in America/Los_Angeles.`,
    ]);
  });

  it('says why overdue counts in UTC', async () => {
    const connection = new ScriptedConnection('bob@example.com', {
      'account.move.fields_get': () => moveFields('odoo17'),
      'account.move.search_read': () => [],
    });
    const unset = { tz: 'UTC', tzUnset: true, lang: 'en_US' };
    open = await connectDomainTools(connection, BOB, unset);
    const result = await open.client.callTool({
      name: 'find_invoices',
      arguments: { overdue_days: 0 },
    });
    expect(structured<InvoicesOutput>(result).notes[0]).toContain(
      'in UTC, because the person has no time zone set in Odoo, less 0 days',
    );
  });

  it('sums a complete page without grouping', async () => {
    const rows = [
      { id: 1, move_type: 'out_invoice', amount_residual: 100.1, currency_id: [1, 'USD'] },
      { id: 2, move_type: 'out_refund', amount_residual: 30, currency_id: [1, 'USD'] },
      { id: 3, move_type: 'in_invoice', amount_residual: 50, currency_id: [1, 'USD'] },
      { id: 4, move_type: 'out_invoice', amount_residual: 10, currency_id: [2, 'EUR'] },
    ];
    const { result, connection } = await run({}, { 'account.move.search_read': () => rows });
    expect(structured<InvoicesOutput>(result).amount_due_total).toEqual([
      { type: 'receivable', amount: 10, currency: 'EUR' },
      { type: 'receivable', amount: 70.1, currency: 'USD' },
      { type: 'payable', amount: 50, currency: 'USD' },
    ]);
    expect(connection.calls.map((call) => call.method)).not.toContain('read_group');
    expect(structured<InvoicesOutput>(result).notes.join('\n')).not.toContain('amount_due_total');
  });

  it('groups with read_group on 17.0', async () => {
    const rows = [{ id: 1, move_type: 'out_invoice', amount_residual: 5, currency_id: [1, 'USD'] }];
    const groups = [
      { move_type: 'out_invoice', currency_id: [1, 'USD'], amount_residual: 1234.5, __count: 7 },
      { move_type: 'out_refund', currency_id: [1, 'USD'], amount_residual: 34.5, __count: 1 },
    ];
    const { result, connection } = await run(
      { limit: 1 },
      {
        'account.move.search_read': () => rows,
        'account.move.search_count': () => 8,
        'account.move.read_group': () => groups,
      },
    );
    const call = connection.calls.find((entry) => entry.method === 'read_group');
    expect(call?.args).toEqual([
      [['move_type', 'in', ['out_invoice', 'in_invoice', 'out_refund', 'in_refund']]],
      ['amount_residual:sum'],
      ['move_type', 'currency_id'],
    ]);
    expect(call?.kwargs.lazy).toBe(false);
    expect(structured<InvoicesOutput>(result).amount_due_total).toEqual([
      { type: 'receivable', amount: 1200, currency: 'USD' },
    ]);
  });

  it('groups with formatted_read_group on 19.0', async () => {
    const groups = [
      { move_type: 'in_invoice', currency_id: [1, 'USD'], 'amount_residual:sum': 80 },
      { move_type: 'in_refund', currency_id: [1, 'USD'], 'amount_residual:sum': 30 },
    ];
    const { result, connection } = await run(
      { limit: 1 },
      {
        'account.move.search_read': () => [{ id: 1 }],
        'account.move.search_count': () => 2,
        'account.move.formatted_read_group': () => groups,
      },
      '19.0',
    );
    const call = connection.calls.find((entry) => entry.method === 'formatted_read_group');
    // formatted_read_group(domain, groupby, aggregates), as aggregate_records sends it.
    expect(call?.args[1]).toEqual(['move_type', 'currency_id']);
    expect(call?.args[2]).toEqual(['amount_residual:sum', '__count']);
    expect(connection.calls.map((entry) => entry.method)).not.toContain('read_group');
    expect(structured<InvoicesOutput>(result).amount_due_total).toEqual([
      { type: 'payable', amount: 50, currency: 'USD' },
    ]);
  });

  it('falls back to read_group when the method is missing', async () => {
    const missing: Answer = () => {
      throw new OdooError(
        'invalid_request',
        "The method 'formatted_read_group' does not exist on the model 'account.move'",
      );
    };
    const { result, connection } = await run(
      { limit: 1 },
      {
        'account.move.search_read': () => [{ id: 1 }],
        'account.move.search_count': () => 2,
        'account.move.formatted_read_group': missing,
        'account.move.read_group': () => [
          { move_type: 'out_invoice', currency_id: [1, 'USD'], amount_residual: 12 },
        ],
      },
      '19.0',
    );
    expect(result.isError).toBeFalsy();
    const methods = connection.calls.map((entry) => entry.method);
    expect(methods.indexOf('formatted_read_group')).toBeLessThan(methods.indexOf('read_group'));
    expect(structured<InvoicesOutput>(result).notes.at(-1)).toContain("Odoo's read_group");
  });

  it('renders one line per invoice', async () => {
    const invoice = {
      id: 30,
      name: 'INV/2026/00016',
      partner_id: [11, 'Bayside Dental Group'],
      move_type: 'out_invoice',
      state: 'posted',
      payment_state: 'partial',
      invoice_date: '2020-04-12',
      invoice_date_due: '2020-04-27',
      amount_total: 5328,
      amount_residual: 2610.72,
      currency_id: [1, 'USD'],
    };
    const { result } = await run({}, { 'account.move.search_read': () => [invoice] });
    const days = daysBetween('2020-04-27', todayIn(PACIFIC.tz));
    expect(resultText(result).split('\n\n').slice(0, 2)).toEqual([
      '1 invoice.\nAmount due over the one match: 2,610.72 USD receivable.',
      `INV/2026/00016 · Bayside Dental Group · customer invoice · partially paid · 2020-04-12 · ` +
        `due 2020-04-27 · ${days} days overdue · 5,328.00 USD · 2,610.72 USD due · ` +
        'https://erp.example.com/web#id=30&model=account.move&view_type=form',
    ]);
  });
});

describe.each(['17.0', '19.0'] as const)('find_invoices on the demo Odoo %s', (version) => {
  let stack: DemoStack;

  beforeAll(async () => {
    stack = await startDemoStack(version);
  });

  afterAll(async () => {
    await stopDemoStack(stack);
  });

  /** Reads every customer invoice bob may see. */
  async function customerInvoices(session: Awaited<ReturnType<typeof demoSession>>) {
    return session.connection.executeKw<
      Array<{
        id: number;
        state: string;
        payment_state: string;
        invoice_date_due: string | false;
        amount_residual: number;
      }>
    >('account.move', 'search_read', [[['move_type', '=', 'out_invoice']]], {
      fields: ['state', 'payment_state', 'invoice_date_due', 'amount_residual'],
    });
  }

  it('answers who owes money past 30 days', async () => {
    const bob = await demoSession(stack, 'bob@example.com');
    const result = await bob.client.callTool({
      name: 'find_invoices',
      arguments: { kind: 'customer_invoice', overdue_days: 30 },
    });
    const output = structured<InvoicesOutput>(result);
    const cutoff = daysBefore(todayIn('America/Los_Angeles'), 30);
    const expected = (await customerInvoices(bob)).filter(
      (invoice) =>
        invoice.state === 'posted' &&
        ['not_paid', 'partial'].includes(invoice.payment_state) &&
        invoice.invoice_date_due !== false &&
        invoice.invoice_date_due < cutoff,
    );
    expect(expected.length).toBeGreaterThan(0);
    expect(output.total).toBe(expected.length);
    expect(output.invoices.map((invoice) => invoice.id).sort()).toEqual(
      expected.map((invoice) => invoice.id).sort(),
    );
    const sum = expected.reduce((total, invoice) => total + invoice.amount_residual, 0);
    expect(output.amount_due_total).toEqual([
      { type: 'receivable', amount: Math.round(sum * 100) / 100, currency: 'USD' },
    ]);
    for (const invoice of output.invoices) {
      expect(invoice.days_overdue).toBeGreaterThan(30);
    }
  });

  it('sums the amount due over every page', async () => {
    const bob = await demoSession(stack, 'bob@example.com');
    const result = await bob.client.callTool({
      name: 'find_invoices',
      arguments: { kind: 'customer_invoice', limit: 3 },
    });
    const output = structured<InvoicesOutput>(result);
    const all = await customerInvoices(bob);
    expect(output.total).toBe(all.length);
    expect(output.next_offset).toBe(3);
    const sum = all.reduce((total, invoice) => total + invoice.amount_residual, 0);
    expect(output.amount_due_total).toEqual([
      { type: 'receivable', amount: Math.round(sum * 100) / 100, currency: 'USD' },
    ]);
    const method = version === '19.0' ? 'formatted_read_group' : 'read_group';
    expect(output.notes.at(-1)).toContain(`Odoo's ${method}`);
  });

  it('knows the blocked payment state from 18.0 on', async () => {
    const bob = await demoSession(stack, 'bob@example.com');
    const result = await bob.client.callTool({
      name: 'find_invoices',
      arguments: { payment_state: 'blocked' },
    });
    expect(Boolean(result.isError)).toBe(version === '17.0');
  });

  it('rejects an unknown partner', async () => {
    const bob = await demoSession(stack, 'bob@example.com');
    const result = await bob.client.callTool({
      name: 'find_invoices',
      arguments: { partner: 'Redwod Timber' },
    });
    expect(result.isError).toBe(true);
    expect(resultText(result)).toContain('"Redwood Timber Supply"');
  });
});
