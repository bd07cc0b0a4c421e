import type { Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PEOPLE, startHarness, type Harness } from '../helpers/harness.js';
import { connectAs } from '../helpers/mcp-client.js';
import { startOdooProxy, type OdooProxy } from '../helpers/odoo-proxy.js';
import { callTool, countDirectly } from '../helpers/tools.js';

const CALLS_PER_PERSON = 90;

interface Caller {
  email: string;
  client: Client;
  apiKey: string;
  /** The sales orders Odoo lets this person count. */
  orders: number;
}

/**
 * Alice ("own documents only") and bob (sales manager) call tools at once, interleaved. Every
 * answer must be the caller's, and every request that reaches Odoo must carry the caller's own
 * API key. A marker in each call's domain ties the Odoo request to the tool call it serves.
 */
describe('two people calling at once', () => {
  let proxy: OdooProxy;
  let harness: Harness;
  const callers: Caller[] = [];
  /** Each count call's marker, with the key its Odoo requests must carry. */
  const markers: Array<{ marker: string; apiKey: string }> = [];

  beforeAll(async () => {
    proxy = await startOdooProxy();
    harness = await startHarness({ odooUrl: proxy.url });
    proxy.target = harness.odoo.url;
    for (const person of PEOPLE.slice(0, 2)) {
      const { client } = await connectAs(harness, person);
      callers.push({
        email: person.email,
        client,
        apiKey: harness.apiKeyOf(person.email),
        orders: await countDirectly(harness, person.email, 'sale.order'),
      });
    }
  });

  afterAll(async () => {
    for (const caller of callers) {
      await caller.client.close();
    }
    await harness.close();
    await proxy.close();
  });

  /** Makes one call and returns what is wrong with its answer, if anything. */
  async function callOnce(caller: Caller, index: number): Promise<string | undefined> {
    if (index % 3 === 0) {
      const answer = await callTool(caller.client, 'whoami', {});
      const email = answer.structuredContent?.email;
      return email === caller.email ? undefined : `whoami of ${caller.email} returned ${email}`;
    }
    const marker = `marker ${caller.email} ${index}`;
    markers.push({ marker, apiKey: caller.apiKey });
    const answer = await callTool(caller.client, 'count_records', {
      model: 'sale.order',
      domain: [['name', '!=', marker]],
    });
    const count = answer.structuredContent?.count;
    if (callers.some((other) => JSON.stringify(answer).includes(other.apiKey))) {
      return `${marker} returned an API key`;
    }
    return count === caller.orders ? undefined : `${marker} counted ${count}`;
  }

  it('answers each person with their own results', async () => {
    const [alice, bob] = callers as [Caller, Caller];
    expect(alice.orders).toBeLessThan(bob.orders);
    proxy.requests.length = 0;

    const calls = Array.from({ length: CALLS_PER_PERSON * 2 }, (_, index) =>
      callOnce(index % 2 === 0 ? alice : bob, index),
    );
    const failures = (await Promise.all(calls)).filter((failure) => failure !== undefined);

    expect(failures).toEqual([]);
  });

  it("sends each person's key with their calls only", () => {
    expect(markers).toHaveLength((CALLS_PER_PERSON * 2 * 2) / 3);
    for (const { marker, apiKey } of markers) {
      const sent = proxy.requests.filter((request) => request.body.includes(`"${marker}"`));
      expect(sent.length, marker).toBeGreaterThan(0);
      expect(sent.filter((request) => request.apiKey !== apiKey)).toEqual([]);
    }

    const keys = new Set(callers.map((caller) => caller.apiKey));
    const keyed = proxy.requests.filter((request) => request.apiKey !== undefined);
    expect(keyed.length).toBeGreaterThanOrEqual(markers.length);
    expect(keyed.filter((request) => !keys.has(request.apiKey!))).toEqual([]);
  });
});
