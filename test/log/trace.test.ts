import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log/logger.js';
import { runWithTrace, traceFieldsOf } from '../../src/log/trace.js';
import { PEOPLE, startHarness } from '../helpers/harness.js';
import { authorize, exchangeCode, mcpPost, registerClient } from '../helpers/oauth.js';

const TRACE_ID = '105445aa7843bc8bf206b12000100000';
const TRACE = 'logging.googleapis.com/trace';
const SPAN = 'logging.googleapis.com/spanId';
const SAMPLED = 'logging.googleapis.com/trace_sampled';

const bob = PEOPLE.find((person) => person.email === 'bob@example.com')!;

const headers = (values: Record<string, string>) => new Headers(values);

describe('traceFieldsOf X-Cloud-Trace-Context', () => {
  it('reads trace, decimal span and sampling', () => {
    const fields = traceFieldsOf(headers({ 'x-cloud-trace-context': `${TRACE_ID}/1;o=1` }));
    expect(fields).toEqual({ [TRACE]: TRACE_ID, [SPAN]: '0000000000000001', [SAMPLED]: true });
  });

  it('names the project when given', () => {
    const fields = traceFieldsOf(headers({ 'x-cloud-trace-context': TRACE_ID }), 'my-project');
    expect(fields).toEqual({ [TRACE]: `projects/my-project/traces/${TRACE_ID}` });
  });

  it('writes the largest span id in hex', () => {
    const header = `${TRACE_ID}/18446744073709551615;o=0`;
    const fields = traceFieldsOf(headers({ 'x-cloud-trace-context': header }));
    expect(fields?.[SPAN]).toBe('ffffffffffffffff');
    expect(fields?.[SAMPLED]).toBe(false);
  });

  it('leaves out a span id past 64 bits', () => {
    const header = `${TRACE_ID}/18446744073709551616`;
    expect(traceFieldsOf(headers({ 'x-cloud-trace-context': header }))).toEqual({
      [TRACE]: TRACE_ID,
    });
  });

  it.each(['', 'not-a-trace', '0'.repeat(32), `${TRACE_ID}x`, `${TRACE_ID}/abc`])(
    'ignores %j',
    (value) => {
      expect(traceFieldsOf(headers({ 'x-cloud-trace-context': value }))).toBeUndefined();
    },
  );
});

describe('traceFieldsOf traceparent', () => {
  const parent = `00-${TRACE_ID}-00f067aa0ba902b7-01`;

  it('reads trace, span and the sampled flag', () => {
    expect(traceFieldsOf(headers({ traceparent: parent }))).toEqual({
      [TRACE]: TRACE_ID,
      [SPAN]: '00f067aa0ba902b7',
      [SAMPLED]: true,
    });
  });

  it('prefers X-Cloud-Trace-Context', () => {
    const other = 'abcdef0123456789abcdef0123456789';
    const fields = traceFieldsOf(headers({ traceparent: parent, 'x-cloud-trace-context': other }));
    expect(fields?.[TRACE]).toBe(other);
  });

  it.each([
    `ff-${TRACE_ID}-00f067aa0ba902b7-01`,
    `00-${'0'.repeat(32)}-00f067aa0ba902b7-01`,
    `00-${TRACE_ID}-${'0'.repeat(16)}-01`,
    `00-${TRACE_ID}-00f067aa0ba902b7-01-extra`,
    `00-${TRACE_ID.toUpperCase()}-00f067aa0ba902b7-01`,
  ])('ignores %s', (value) => {
    expect(traceFieldsOf(headers({ traceparent: value }))).toBeUndefined();
  });

  it('accepts a later version with more fields', () => {
    const fields = traceFieldsOf(headers({ traceparent: `01-${TRACE_ID}-00f067aa0ba902b7-00-x` }));
    expect(fields?.[SAMPLED]).toBe(false);
  });
});

describe('trace in log lines', () => {
  it('adds the trace to lines logged inside the request', async () => {
    const lines: string[] = [];
    const logger = createLogger({
      level: 'info',
      destination: { write: (line) => lines.push(line) },
    });
    await runWithTrace({ [TRACE]: TRACE_ID }, async () => {
      await Promise.resolve();
      logger.info('inside');
    });
    logger.info('outside');
    const [inside, outside] = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(inside?.[TRACE]).toBe(TRACE_ID);
    expect(outside?.[TRACE]).toBeUndefined();
  });

  it('ties the audit line of a tool call to its request', async () => {
    const harness = await startHarness();
    try {
      const client = await registerClient(harness);
      const { code, verifier } = await authorize(harness, client, bob);
      const tokens = await exchangeCode(harness, client, code, verifier);
      const call = {
        jsonrpc: '2.0',
        id: 1,
        method: 'tools/call',
        params: { name: 'count_records', arguments: { model: 'res.partner' } },
      };
      const response = await mcpPost(harness, String(tokens.body.access_token), call, {
        'mcp-protocol-version': '2025-06-18',
        'x-cloud-trace-context': `${TRACE_ID}/7;o=1`,
      });
      expect(response.status).toBe(200);

      const audit = harness.logs.find((line) => line.event === 'mcp.tool_call');
      expect(audit?.[TRACE]).toBe(TRACE_ID);
      expect(audit?.[SPAN]).toBe('0000000000000007');
      const untraced = harness.logs.filter((line) => line.event === 'oauth.token');
      expect(untraced.length).toBeGreaterThan(0);
      expect(untraced.every((line) => line[TRACE] === undefined)).toBe(true);
    } finally {
      await harness.close();
    }
  });
});
