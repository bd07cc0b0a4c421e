import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AddedSalesperson } from '../../src/demo/odoo/index.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { connectWithToken, mintTokens, type TokenClient } from '../helpers/minted-tokens.js';
import { callTool } from '../helpers/tools.js';

const PEOPLE_COUNT = 256;
const LOAD_SECONDS = Number(process.env.HARDENING_LOAD_SECONDS ?? '30');
/**
 * Growth of the test process's peak RSS over its RSS after the warm-up. The process runs the
 * bridge, the demo Odoo and the 256 clients. Under this load V8 lets garbage grow by about 250
 * MiB before it collects (this test, Node 20 on 2 cores), so the bound catches only a leak of
 * the size of the whole heap.
 */
const MAX_RSS_GROWTH_BYTES = 512 * 1024 * 1024;
/**
 * Growth of the heap in use after a full garbage collection: the leak check proper. It grew
 * by about 4 MiB over 5 000 calls, so a leak of about 6 KiB a call fails it.
 */
const MAX_HEAP_GROWTH_BYTES = 32 * 1024 * 1024;

/**
 * The MCP client's time limit of one call. Its default of 60 s is too short here, because a
 * few calls wait for most of the run (see the latency note below).
 */
const CALL_OPTIONS = { timeout: (LOAD_SECONDS + 30) * 1000 };

interface Seller extends AddedSalesperson {
  connection: TokenClient;
}

type Order = { id: number; name: string; user_id: [number, string] | false };

/** Node's full garbage collection, which a test process does not expose by default. */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

/**
 * 256 people, each with their own Odoo user, API key and quotation, call tools at once for
 * `HARDENING_LOAD_SECONDS` (30 by default). Every answer must be the caller's own: whoami
 * names them, and every assigned order they see is theirs, because their rights are "own
 * documents only".
 */
describe('256 people calling tools at once', () => {
  let harness: Harness;
  const sellers: Seller[] = [];
  const latenciesMs: number[] = [];

  beforeAll(async () => {
    harness = await startHarness({ logLevel: 'warn' });
    for (let index = 0; index < PEOPLE_COUNT; index += 1) {
      const added = harness.odoo.demo.addSalesperson(
        `seller-${index}@example.com`,
        `Seller ${index}`,
      );
      const tokens = await mintTokens(harness, added.person);
      sellers.push({ ...added, connection: await connectWithToken(harness, tokens.access_token) });
    }
  });

  afterAll(async () => {
    await Promise.all(sellers.map((seller) => seller.connection.close()));
    await harness.close();
  });

  /** Makes one call of the seller's and returns what is wrong with its answer, if anything. */
  async function callOnce(seller: Seller, round: number): Promise<string | undefined> {
    const { person } = seller;
    if (round % 2 === 0) {
      const answer = await callTool(seller.connection.client, 'whoami', {}, CALL_OPTIONS);
      const identity = answer.structuredContent ?? {};
      if (answer.isError || identity.uid !== person.uid || identity.email !== person.email) {
        return `whoami of ${person.email}: ${JSON.stringify(answer).slice(0, 300)}`;
      }
      return undefined;
    }
    const answer = await callTool(
      seller.connection.client,
      'search_records',
      { model: 'sale.order', domain: [['user_id', '!=', false]], fields: ['name', 'user_id'] },
      CALL_OPTIONS,
    );
    const orders = (answer.structuredContent?.records ?? []) as Order[];
    const foreign = orders.filter((order) => !order.user_id || order.user_id[0] !== person.uid);
    if (answer.isError || foreign.length > 0 || orders[0]?.id !== seller.orderId) {
      return `orders of ${person.email}: ${JSON.stringify(answer).slice(0, 300)}`;
    }
    return undefined;
  }

  /** Calls until the deadline, or `minCalls` times when that is more, and returns the count. */
  async function runSeller(
    seller: Seller,
    until: { deadlineMs: number; minCalls?: number },
    failures: string[],
  ): Promise<number> {
    let calls = 0;
    while (performance.now() < until.deadlineMs || calls < (until.minCalls ?? 0)) {
      const startedMs = performance.now();
      try {
        const failure = await callOnce(seller, calls);
        if (failure !== undefined) {
          failures.push(failure);
        }
      } catch (error) {
        failures.push(`${seller.person.email}: ${String(error)}`);
      }
      latenciesMs.push(performance.now() - startedMs);
      calls += 1;
    }
    return calls;
  }

  it(
    'answers everyone with their own records',
    async () => {
      // Every client opens its connection first, and the bridge its connections to the demo
      // Odoo: a Node server saturated by the load accepts new connections only seconds later.
      const warmUp: string[] = [];
      await Promise.all(
        sellers.map((seller) => runSeller(seller, { deadlineMs: 0, minCalls: 2 }, warmUp)),
      );
      expect(warmUp).toEqual([]);
      latenciesMs.length = 0;
      collectGarbage();
      const heapBefore = process.memoryUsage().heapUsed;
      const rssBefore = process.memoryUsage().rss;
      let rssPeak = rssBefore;
      const sampler = setInterval(() => {
        rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
      }, 250);

      const failures: string[] = [];
      const startedMs = performance.now();
      const deadlineMs = startedMs + LOAD_SECONDS * 1000;
      const calls = await Promise.all(
        sellers.map((seller) => runSeller(seller, { deadlineMs }, failures)),
      );
      clearInterval(sampler);
      const elapsedSeconds = (performance.now() - startedMs) / 1000;
      const rssGrowth = Math.max(rssPeak, process.memoryUsage().rss) - rssBefore;
      collectGarbage();
      const heapGrowth = process.memoryUsage().heapUsed - heapBefore;
      const total = calls.reduce((sum, count) => sum + count, 0);
      // NOTE: latency is printed, not checked. Under a burst the bridge's undici pool opens new
      // connections to Odoo although idle ones exist. The demo Odoo, saturated in the same
      // process, accepts them only once the load eases, so some calls wait for most of the run.
      console.info(
        `${total} tool calls by ${PEOPLE_COUNT} people in ${elapsedSeconds.toFixed(1)} s ` +
          `(${Math.round(total / elapsedSeconds)}/s), latency ${percentiles(latenciesMs)}; ` +
          `RSS ${mib(rssBefore)} MiB + ${mib(rssGrowth)} MiB at the peak, ` +
          `heap after GC ${mib(heapBefore)} MiB + ${mib(heapGrowth)} MiB`,
      );

      expect(failures.slice(0, 5)).toEqual([]);
      expect(failures).toHaveLength(0);
      expect(total).toBeGreaterThanOrEqual(PEOPLE_COUNT * 2);
      expect(rssGrowth).toBeLessThan(MAX_RSS_GROWTH_BYTES);
      expect(heapGrowth).toBeLessThan(MAX_HEAP_GROWTH_BYTES);
      expect(harness.logs).toEqual([]);
    },
    (LOAD_SECONDS + 60) * 1000,
  );
});

function mib(bytes: number): number {
  return Math.round(bytes / (1024 * 1024));
}

function percentiles(values: number[]): string {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (quantile: number) =>
    Math.round(sorted[Math.floor(quantile * (sorted.length - 1))] ?? 0);
  return `p50 ${at(0.5)} ms, p99 ${at(0.99)} ms, max ${at(1)} ms`;
}
