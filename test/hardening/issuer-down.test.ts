import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOidcIssuer, type RunningIssuer } from '../../src/demo/issuer/index.js';
import { ScriptedBrowser } from '../helpers/browser.js';
import {
  BRIDGE_CLIENT_ID,
  BRIDGE_CLIENT_SECRET,
  PEOPLE,
  startHarness,
  type Harness,
} from '../helpers/harness.js';
import {
  authorize,
  authorizeUrl,
  exchangeCode,
  pkcePair,
  registerClient,
  type RegisteredClient,
} from '../helpers/oauth.js';

const alice = PEOPLE[0]!;

/**
 * The upstream issuer stops during a sign-in and comes back on the same port. The bridge must
 * show a page that names the issuer, keep serving, and sign the next person in once it is back.
 */
describe('upstream issuer down during sign-in', () => {
  let harness: Harness;
  let client: RegisteredClient;
  let issuer: RunningIssuer;

  beforeAll(async () => {
    harness = await startHarness();
    client = await registerClient(harness);
    issuer = harness.issuer;
  });

  afterAll(async () => {
    await harness.close();
    await issuer.close();
  });

  async function stopIssuer(): Promise<void> {
    await issuer.close();
  }

  /** Starts an issuer with the harness's people and client on the port of the stopped one. */
  async function restartIssuer(): Promise<void> {
    const port = Number(harness.issuer.url.port);
    issuer = await startOidcIssuer(
      () => ({
        people: PEOPLE,
        clients: [
          {
            client_id: BRIDGE_CLIENT_ID,
            client_secret: BRIDGE_CLIENT_SECRET,
            redirect_uris: [`${harness.url.origin}/callback`],
          },
        ],
      }),
      port,
    );
  }

  async function signsInAgain(): Promise<void> {
    const { code, verifier } = await authorize(harness, client, alice);
    const tokens = await exchangeCode(harness, client, code, verifier);
    expect(tokens.status).toBe(200);
  }

  it('shows a page when discovery fails', async () => {
    await stopIssuer();
    const browser = new ScriptedBrowser();
    const response = await browser.request(authorizeUrl(harness, client, pkcePair().challenge));
    const page = await response.text();
    const health = await fetch(new URL('/healthz', harness.url));
    await restartIssuer();

    expect(response.status).toBe(503);
    expect(page).toContain('Sign-in is unavailable right now');
    expect(page).toContain(`the sign-in provider ${harness.issuer.url.host} could not be reached`);
    expect(health.status).toBe(200);
    await signsInAgain();
  });

  it('shows a page when the code exchange fails', async () => {
    const browser = new ScriptedBrowser();
    const toIssuer = await browser.follow(authorizeUrl(harness, client, pkcePair().challenge));
    const loginPage = await toIssuer.response!.text();
    const action = /<form method="post" action="([^"]*\/login)"/.exec(loginPage)?.[1];
    expect(action).toBeDefined();
    const toBridge = await browser.follow(
      new URL(action!, toIssuer.url),
      (location) => location.origin === harness.url.origin,
      { form: { sub: alice.sub } },
    );
    expect(toBridge.stoppedAt?.pathname).toBe('/callback');

    await stopIssuer();
    const response = await browser.request(toBridge.stoppedAt!);
    const page = await response.text();
    await restartIssuer();

    expect(response.status).toBe(503);
    expect(page).toContain('The sign-in provider could not be reached');
    expect(page).toContain(`${harness.issuer.url.host} did not answer`);
    await signsInAgain();
  });

  it('logs each failure without a stack trace', () => {
    const refused = harness.logs.filter(
      (line) => line.event === 'oauth.authorize' && line.outcome === 'temporarily_unavailable',
    );
    const failed = harness.logs.filter(
      (line) => line.event === 'oauth.callback' && line.severity === 'WARNING',
    );
    expect(refused).toHaveLength(1);
    expect(refused[0]?.severity).toBe('WARNING');
    expect(failed).toHaveLength(1);
    expect(JSON.stringify(failed[0]!.error)).toContain('the issuer could not be reached');
    expect(harness.logs.filter((line) => line.severity === 'ERROR')).toEqual([]);
  });
});
