import fc from 'fast-check';
import type { Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PEOPLE, startHarness, type Harness } from '../helpers/harness.js';
import { connectAs } from '../helpers/mcp-client.js';
import { callTool } from '../helpers/tools.js';
import { domainArgument as anyDomain, listDepth } from './domain-arbitraries.js';
import { SEARCH_METHODS } from './tool-runner.js';

const bob = PEOPLE[1]!;

/** The kinds of the bridge's own ToolError, which it raises before searching. */
const TOOL_ERROR_KINDS = new Set([
  'invalid_domain',
  'invalid_value',
  'unknown_field',
  'invalid_order',
  'unknown_company',
  'ambiguous_company',
  'invalid_date',
]);

const jsonGarbage = fc.jsonValue({ maxDepth: 2 });

/**
 * Domains nested at most 30 lists deep. That is deeper than the bridge's domain limit, but
 * within the HTTP layer's limit on JSON nesting, which rejects the whole JSON-RPC request.
 */
const domainArgument = anyDomain.filter((domain) => listDepth(domain) <= 30);

/** Calls of the three domain tools through MCP, with a bad argument now and then. */
const toolCall = fc.oneof(
  fc.record({
    name: fc.constant('search_records'),
    arguments: fc.record(
      {
        model: fc.constantFrom('sale.order', 'sale.order', 'res.partner', 'no.model', ''),
        domain: domainArgument,
        fields: fc.oneof(fc.constant(['name', 'state']), jsonGarbage),
        limit: fc.oneof(fc.integer({ min: -1, max: 250 }), jsonGarbage),
        order: fc.oneof(fc.constantFrom('name desc', 'id; drop', 'no_field'), jsonGarbage),
      },
      { requiredKeys: ['model', 'domain'] },
    ),
  }),
  fc.record({
    name: fc.constant('count_records'),
    arguments: fc.record({ model: fc.constant('sale.order'), domain: domainArgument }),
  }),
  fc.record({
    name: fc.constant('aggregate_records'),
    arguments: fc.record({
      model: fc.constant('sale.order'),
      groupby: fc.oneof(fc.constant(['state']), fc.constant(['date_order:month']), jsonGarbage),
      domain: domainArgument,
    }),
  }),
);

type AuditLine = { outcome?: string; error_kind?: string; method?: string[] };

describe('tool calls through MCP', () => {
  let harness: Harness;
  let client: Client;

  beforeAll(async () => {
    harness = await startHarness();
    ({ client } = await connectAs(harness, bob));
  });

  afterAll(async () => {
    await client.close();
    await harness.close();
  });

  it('reject bad arguments before any search', async () => {
    let reached = 0;
    await fc.assert(
      fc.asyncProperty(toolCall, async ({ name, arguments: args }) => {
        const before = harness.logs.length;
        const result = await callTool(client, name, args);
        const lines = harness.logs.slice(before);
        const text = result.content[0]?.text ?? '';
        expect(text.length, 'a text for the model').toBeGreaterThan(0);
        expect(lines.filter((line) => line.event === 'http.error')).toEqual([]);

        const audits = lines.filter((line) => line.event === 'mcp.tool_call') as AuditLine[];
        if (audits.length === 0) {
          // The SDK's schema check rejected the arguments before the tool ran.
          expect(result.isError).toBe(true);
          expect(text).toMatch(/^Input validation error: Invalid arguments for tool /);
          return;
        }
        const [audit] = audits;
        expect(audits).toHaveLength(1);
        expect(audit!.outcome, text).not.toBe('error');
        expect(result.isError === true, text).toBe(audit!.outcome === 'tool_error');
        const searched = (audit!.method ?? []).some((method) => SEARCH_METHODS.has(method));
        if (audit!.outcome === 'tool_error' && TOOL_ERROR_KINDS.has(audit!.error_kind ?? '')) {
          expect(searched, `no search after ${audit!.error_kind}`).toBe(false);
        }
        if (audit!.outcome === 'ok') {
          expect(text).not.toMatch(/^Output validation error/);
          expect(searched).toBe(true);
          reached += 1;
        }
      }),
      { numRuns: 120 },
    );
    expect(reached, 'calls that searched').toBeGreaterThan(3);
  });
});
