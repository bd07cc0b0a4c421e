import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PEOPLE, startHarness, type Harness } from '../helpers/harness.js';
import { connectWithToken, mintTokens, type TokenClient } from '../helpers/minted-tokens.js';
import {
  authorize,
  authorizeUrl,
  openConsent,
  pkcePair,
  registerClient,
  signIn,
  submitConsent,
} from '../helpers/oauth.js';
import { startOdooProxy, type OdooFault, type OdooProxy } from '../helpers/odoo-proxy.js';
import { callTool, countDirectly } from '../helpers/tools.js';

const ODOO_TIMEOUT_MS = 1000;
const ALICE = 'alice@example.com';

/** Each fault of Odoo, and the text its tool result must contain. */
const FAULTS: Array<{ fault: OdooFault | 'refused'; message: RegExp }> = [
  { fault: 'refused', message: /Could not connect to Odoo at .*: connection refused/ },
  { fault: 'hang', message: new RegExp(`timed out after ${ODOO_TIMEOUT_MS} ms`) },
  { fault: 'bad_gateway', message: /not JSON \(HTTP 502, text\/html.*"502 Bad Gateway"\)/ },
  { fault: 'unavailable', message: /not JSON \(HTTP 503, text\/html.*"503 Service Unavailable"\)/ },
  { fault: 'html', message: /not JSON \(HTTP 200, text\/html.*"Login \| Odoo"\)/ },
  { fault: 'truncated_json', message: /not JSON \(HTTP 200, application\/json/ },
  { fault: 'dropped_mid_body', message: /closed before the response was complete/ },
];

/**
 * A fake Odoo in front of the demo Odoo fails in each way a real one does. The bridge must
 * return a tool error that names the fault, keep serving, and work again at once when
 * Odoo is back.
 */
describe('Odoo faults', () => {
  let proxy: OdooProxy;
  let harness: Harness;
  let alice: TokenClient;
  let aliceOrders: number;

  beforeAll(async () => {
    proxy = await startOdooProxy();
    harness = await startHarness({ odooUrl: proxy.url, odooTimeoutMs: ODOO_TIMEOUT_MS });
    proxy.target = harness.odoo.url;
    const person = harness.odoo.demo.people.find((candidate) => candidate.email === ALICE)!;
    alice = await connectWithToken(harness, (await mintTokens(harness, person)).access_token);
    aliceOrders = await countDirectly(harness, ALICE, 'sale.order');
  });

  afterAll(async () => {
    await alice.close();
    await harness.close();
    await proxy.close();
  });

  async function startFault(fault: OdooFault | 'refused'): Promise<void> {
    if (fault === 'refused') {
      await proxy.refuseConnections();
    } else {
      proxy.fault = fault;
    }
  }

  async function endFault(fault: OdooFault | 'refused'): Promise<void> {
    if (fault === 'refused') {
      await proxy.acceptConnections();
    } else {
      proxy.fault = undefined;
    }
  }

  async function countOrders() {
    return callTool(alice.client, 'count_records', { model: 'sale.order' });
  }

  it.each(FAULTS)('reports $fault and recovers', async ({ fault, message }) => {
    await startFault(fault);
    const startedMs = performance.now();
    const failed = await countOrders();
    const failedAfterMs = performance.now() - startedMs;
    const health = await fetch(new URL('/healthz', harness.url));
    const tools = await alice.client.listTools();
    await endFault(fault);

    expect(failed.isError).toBe(true);
    expect(failed.content[0]?.text).toMatch(message);
    expect(failedAfterMs).toBeLessThan(ODOO_TIMEOUT_MS * 3);
    expect(health.status).toBe(200);
    expect(tools.tools.length).toBeGreaterThan(0);

    const recovered = await countOrders();
    expect(recovered.isError).toBeFalsy();
    expect(recovered.structuredContent?.count).toBe(aliceOrders);
  });

  it('logs each fault without a stack trace', () => {
    const outages = harness.logs.filter((line) => line.event === 'mcp.odoo_unavailable');
    expect(outages).toHaveLength(FAULTS.length);
    expect(harness.logs.filter((line) => line.severity === 'ERROR')).toEqual([]);
  });

  it('refuses the consent clearly while Odoo is down', async () => {
    const client = await registerClient(harness);
    const { browser, page } = await openConsent(harness, client, PEOPLE[0]!);
    expect(page.status).toBe(200);
    await proxy.refuseConnections();
    const refused = await submitConsent(browser, harness, page.html, {
      action: 'allow',
      apiKey: harness.apiKeyOf(ALICE),
    });
    await proxy.acceptConnections();

    expect(refused.location).toBeUndefined();
    expect(refused.status).toBe(503);
    expect(refused.html).toMatch(/could not be reached \(Could not connect .*connection refused/);

    const allowed = await submitConsent(browser, harness, page.html, {
      action: 'allow',
      apiKey: harness.apiKeyOf(ALICE),
    });
    expect(allowed.location?.searchParams.get('code')).toBeTruthy();
  });

  it('keeps the saved key while Odoo is down', async () => {
    const client = await registerClient(harness);
    const { browser } = await authorize(harness, client, PEOPLE[0]!);
    const start = authorizeUrl(harness, client, pkcePair().challenge);
    const page = await signIn(browser, harness, start, PEOPLE[0]!.sub);
    expect(page.html).toContain('Use another API key');

    await proxy.refuseConnections();
    const refused = await submitConsent(browser, harness, page.html, { action: 'allow' });
    await proxy.acceptConnections();
    expect(refused.status).toBe(503);
    expect(refused.html).toMatch(/could not be reached/);
    expect(refused.html).toContain('Use another API key');

    const allowed = await submitConsent(browser, harness, page.html, { action: 'allow' });
    expect(allowed.location?.searchParams.get('code')).toBeTruthy();
  });
});
