import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aggregateRecordsTool } from '../../src/mcp/tools/aggregate-records.js';
import { countRecordsTool } from '../../src/mcp/tools/count-records.js';
import { searchRecordsTool } from '../../src/mcp/tools/search-records.js';
import {
  domainArgument,
  hugeDomain,
  mutatedDomain,
  wellFormedDomain,
} from './domain-arbitraries.js';
import {
  type AnyTool,
  type DirectDemo,
  type DirectTools,
  SEARCH_METHODS,
  type SentCall,
  OutcomeTally,
  startDirectDemo,
  type ToolOutcome,
} from './tool-runner.js';

const MODEL = 'sale.order';

const DOMAIN_TOOLS = new Map(
  [searchRecordsTool, countRecordsTool, aggregateRecordsTool].map((tool) => [
    tool.name,
    tool as unknown as AnyTool,
  ]),
);

/** A tool name, so that a counterexample names the tool rather than printing it whole. */
const domainToolName = fc.constantFrom(...DOMAIN_TOOLS.keys());

function domainTool(name: string): AnyTool {
  const tool = DOMAIN_TOOLS.get(name);
  if (tool === undefined) {
    throw new Error(`No domain tool ${name}`);
  }
  return tool;
}

/** Builds the arguments of one of the three tools that take a domain, on sale.order. */
function argumentsFor(tool: AnyTool, domain: unknown): Record<string, unknown> {
  const args: Record<string, unknown> = { model: MODEL, domain };
  if (tool.name === 'aggregate_records') {
    args.groupby = ['state'];
  }
  if (tool.name === 'search_records') {
    args.fields = ['name', 'state'];
    args.limit = 5;
  }
  return args;
}

/** The domain the tool should search with: a string is the JSON text of one. */
function requestedDomain(domain: unknown): unknown {
  return typeof domain === 'string' ? JSON.parse(domain) : domain;
}

function searchesOf(sent: SentCall[]): SentCall[] {
  return sent.filter((call) => call.model === MODEL && SEARCH_METHODS.has(call.method));
}

/**
 * Checks what a domain tool sent against its outcome. A rejected call sent no search. A call
 * that reached Odoo searched with the requested domain, maybe followed by more top-level terms,
 * which Odoo joins with "&", so no search was broader than the requested domain.
 */
function checkSearches(domain: unknown, outcome: ToolOutcome, sent: SentCall[]): void {
  const searches = searchesOf(sent);
  if (outcome.kind === 'invalid_arguments' || outcome.kind === 'tool_error') {
    expect(searches, `no search for a rejected domain ${JSON.stringify(domain)}`).toEqual([]);
    return;
  }
  expect(searches.length, 'a search for an accepted domain').toBeGreaterThan(0);
  const requested = requestedDomain(domain) as unknown[];
  for (const search of searches) {
    const sentDomain = search.args[0] as unknown[];
    expect(Array.isArray(sentDomain), `${search.method} got a domain list`).toBe(true);
    expect(sentDomain.slice(0, requested.length), `${search.method} domain`).toEqual(requested);
  }
}

function checkDomainError(outcome: ToolOutcome): void {
  if (outcome.kind !== 'tool_error') {
    return;
  }
  expect(outcome.error.message.length).toBeGreaterThan(0);
  if (outcome.error.kind === 'invalid_domain') {
    expect(outcome.error.message).toMatch(/^Invalid domain: /);
  }
  if (outcome.error.kind === 'invalid_value' || outcome.error.kind === 'unknown_field') {
    expect(outcome.error.message).toMatch(/"[^"]+"/);
  }
}

/** Counts the items of a list and of every list inside it, as the bridge's size limit does. */
function countItems(value: unknown): number {
  if (!Array.isArray(value)) {
    return 0;
  }
  return value.reduce<number>((sum, item) => sum + countItems(item), value.length);
}

function checkOutput(tool: AnyTool, outcome: ToolOutcome): void {
  if (outcome.kind === 'ok') {
    const parsed = tool.outputSchema.safeParse(outcome.structured);
    expect(parsed.success, `${tool.name} output matches its schema`).toBe(true);
  }
}

describe('domain arguments', () => {
  let demo: DirectDemo;
  let bob: DirectTools;

  beforeAll(async () => {
    demo = await startDirectDemo();
    bob = demo.as('bob@example.com');
  });

  afterAll(async () => {
    await demo.close();
  });

  it('never widen a search, whatever the domain', async () => {
    const tally = new OutcomeTally();
    await fc.assert(
      fc.asyncProperty(domainToolName, domainArgument, async (name, domain) => {
        const tool = domainTool(name);
        const { outcome, sent } = await bob.run(tool, argumentsFor(tool, domain));
        tally.add(outcome);
        checkSearches(domain, outcome, sent);
        checkDomainError(outcome);
        checkOutput(tool, outcome);
      }),
      { numRuns: 400 },
    );
    tally.expectReached(400);
  });

  it('pass a well-formed domain on unchanged', async () => {
    await fc.assert(
      fc.asyncProperty(domainToolName, wellFormedDomain, async (name, domain) => {
        const tool = domainTool(name);
        const { outcome, sent } = await bob.run(tool, argumentsFor(tool, domain));
        expect(outcome.kind, JSON.stringify(outcome)).not.toBe('tool_error');
        expect(outcome.kind).not.toBe('invalid_arguments');
        checkSearches(domain, outcome, sent);
      }),
      { numRuns: 150 },
    );
  });

  it('reject a domain with one slip before Odoo', async () => {
    const tally = new OutcomeTally();
    await fc.assert(
      fc.asyncProperty(mutatedDomain, async (domain) => {
        const tool = domainTool('search_records');
        const { outcome, sent } = await bob.run(tool, argumentsFor(tool, domain));
        tally.add(outcome);
        checkSearches(domain, outcome, sent);
        checkDomainError(outcome);
      }),
      { numRuns: 200 },
    );
    tally.expectReached(200);
  });

  it('bound a huge domain before Odoo', async () => {
    await fc.assert(
      fc.asyncProperty(hugeDomain, async (domain) => {
        const tool = domainTool('count_records');
        const { outcome, sent } = await bob.run(tool, argumentsFor(tool, domain));
        checkSearches(domain, outcome, sent);
        if (countItems(domain) > 2000) {
          expect(outcome.kind).toBe('tool_error');
        }
      }),
      { numRuns: 12 },
    );
  });
});
