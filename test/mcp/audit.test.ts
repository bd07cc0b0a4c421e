import { afterEach, describe, expect, it } from 'vitest';
import { auditMessage } from '../../src/mcp/audit.js';
import { describeOdooError } from '../../src/mcp/errors.js';
import { OdooError } from '../../src/odoo/errors.js';
import {
  auditLines,
  connectClient,
  recordedError,
  recordedResult,
  resultText,
  ScriptedConnection,
  type Answer,
  type ConnectedSession,
} from './helpers.js';

const ALICE = { email: 'alice@example.com', uid: 8 };

let open: ConnectedSession | undefined;

afterEach(async () => {
  await open?.close();
  open = undefined;
});

/** Connects alice, with `searchRead` returning the result of every `search_read` call. */
async function aliceWith(searchRead: Answer): Promise<ConnectedSession> {
  const connection = new ScriptedConnection('alice@example.com', {
    'sale.order.fields_get': () => recordedResult('odoo17', 'fields_get_sale_order'),
    'sale.order.search_read': searchRead,
  });
  open = await connectClient(connection, ALICE);
  return open;
}

async function search(session: ConnectedSession, args: Record<string, unknown> = {}) {
  return session.client.callTool({
    name: 'search_records',
    arguments: { model: 'sale.order', ...args },
  });
}

describe('audit line', () => {
  it('writes one line per tool call', async () => {
    const session = await aliceWith(() => recordedResult('odoo17', 'search_read_sale_order_alice'));
    await search(session);
    await search(session);
    expect(auditLines(session.logs.lines)).toHaveLength(2);
  });

  it('carries who, what and how it ended', async () => {
    const session = await aliceWith(() => recordedResult('odoo17', 'search_read_sale_order_alice'));
    await search(session);
    const [line] = auditLines(session.logs.lines);
    expect(line).toMatchObject({
      severity: 'INFO',
      event: 'mcp.tool_call',
      tool: 'search_records',
      email: 'alice@example.com',
      odoo_uid: 8,
      client: 'test-client',
      grant_id: 'grant-1',
      model: 'sale.order',
      method: ['fields_get', 'web_search_read'],
      record_count: 4,
      outcome: 'ok',
      message: 'alice@example.com called search_records on sale.order (4 records)',
    });
    expect(typeof line?.duration_ms).toBe('number');
    expect(line?.error_kind).toBeUndefined();
  });

  it('leaves domain values and record values out', async () => {
    const session = await aliceWith(() => recordedResult('odoo17', 'search_read_sale_order_alice'));
    await search(session, { domain: [['partner_id.name', 'ilike', 'secret-partner-term']] });
    const logged = session.logs.raw.join('\n');
    expect(logged).not.toContain('secret-partner-term');
    expect(logged).not.toContain('Deco Addict');
    expect(logged).not.toContain('S00001');
  });

  it('records the Odoo error kind of a failed call', async () => {
    const session = await aliceWith(() => {
      throw recordedError('odoo17', 'error_access_alice_read_other_users_order');
    });
    await search(session);
    const [line] = auditLines(session.logs.lines);
    expect(line).toMatchObject({ outcome: 'tool_error', error_kind: 'access' });
    expect(line?.message).toBe(
      'alice@example.com called search_records on sale.order: failed (access)',
    );
  });

  it('records a rejected domain as a tool error', async () => {
    const session = await aliceWith(() => []);
    await search(session, { domain: '[["state", "=="' });
    const [line] = auditLines(session.logs.lines);
    expect(line).toMatchObject({ outcome: 'tool_error', error_kind: 'invalid_domain', method: [] });
  });

  it('builds the message without a model', () => {
    const summary = {
      tool: 'whoami',
      model: undefined,
      methods: ['read'],
      recordCount: 1,
      outcome: 'ok' as const,
      errorKind: undefined,
      durationMs: 3,
    };
    expect(auditMessage('bob@example.com', summary)).toBe(
      'bob@example.com called whoami (1 record)',
    );
  });
});

describe('Odoo errors as tool results', () => {
  it('explains a revoked API key', async () => {
    const session = await aliceWith(() => {
      throw recordedError('odoo17', 'error_access_denied_wrong_api_key');
    });
    const result = await search(session);
    expect(result.isError).toBe(true);
    expect(resultText(result)).toContain(
      'Odoo rejected the API key of alice@example.com: "Access Denied"',
    );
    expect(resultText(result)).toContain('Reconnect the Odoo connector');
  });

  it('explains an unreachable Odoo and logs a warning', async () => {
    const session = await aliceWith(() => {
      throw new OdooError('transport', 'connect ECONNREFUSED 127.0.0.1:8069');
    });
    const result = await search(session);
    expect(resultText(result)).toContain('Odoo could not be reached: connect ECONNREFUSED');
    expect(resultText(result)).toContain('Try again in a moment.');
    const warning = session.logs.lines.find((line) => line.event === 'mcp.odoo_unavailable');
    expect(warning?.severity).toBe('WARNING');
  });

  it('explains a timeout', async () => {
    const session = await aliceWith(() => {
      throw new OdooError('timeout', 'Odoo did not answer within 30000 ms.');
    });
    const result = await search(session);
    expect(resultText(result)).toContain('Odoo did not answer in time');
  });

  it('adds the hint to an invalid request', async () => {
    const session = await aliceWith(() => {
      throw recordedError('odoo17', 'error_bad_domain_operator');
    });
    const result = await search(session);
    expect(resultText(result)).toContain("Invalid leaf ('name', 'like-ish', 'x')");
    expect(resultText(result)).toContain('describe_model lists the fields of sale.order');
  });

  it('hides an unexpected error and logs its stack', async () => {
    const session = await aliceWith(() => {
      throw new TypeError('cannot read properties of undefined');
    });
    const result = await search(session);
    expect(result.isError).toBe(true);
    expect(resultText(result)).toContain('The bridge failed while running this tool');
    expect(resultText(result)).not.toContain('cannot read properties');
    const failure = session.logs.lines.find((line) => line.event === 'mcp.tool_failed');
    expect(failure?.severity).toBe('ERROR');
    expect(JSON.stringify(failure?.error)).toContain('at ');
    expect(auditLines(session.logs.lines)[0]).toMatchObject({ outcome: 'error' });
  });
});

describe('describeOdooError', () => {
  const context = { email: 'carol@example.com', model: 'account.move' };

  it('keeps a record rule message verbatim', () => {
    const error = recordedError('odoo17', 'error_access_alice_read_other_users_order') as OdooError;
    const text = describeOdooError(error, context);
    expect(text.startsWith(error.message)).toBe(true);
  });

  it('prefers the model of the failed call', () => {
    const error = new OdooError('access', 'denied', { model: 'res.company' });
    expect(describeOdooError(error, context)).toContain('read res.company');
  });

  it.each(['missing_record', 'validation', 'user_error', 'session_expired', 'server'] as const)(
    "keeps Odoo's message for %s",
    (kind) => {
      const text = describeOdooError(new OdooError(kind, 'Odoo says so'), context);
      expect(text).toContain('Odoo says so');
      expect(text.split('\n\n')).toHaveLength(2);
    },
  );
});

describe('cancellation', () => {
  it('passes the request signal to Odoo', async () => {
    const connection = new ScriptedConnection('alice@example.com', {
      'sale.order.fields_get': () => recordedResult('odoo17', 'fields_get_sale_order'),
      'sale.order.search_read': () => [],
    });
    open = await connectClient(connection, ALICE);
    await search(open);
    expect(connection.calls).toHaveLength(2);
    for (const call of connection.calls) {
      expect(call.signal).toBeInstanceOf(AbortSignal);
    }
  });
});
