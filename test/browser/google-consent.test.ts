import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../helpers/chromium.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import {
  authorizeUrl,
  exchangeCode,
  pkcePair,
  registerClient,
  startClientRedirect,
  type ClientRedirect,
  type RegisteredClient,
} from '../helpers/oauth.js';

describe('google mode pages in a real browser', () => {
  let harness: Harness;
  let browser: Browser;
  let redirect: ClientRedirect;
  let client: RegisteredClient;

  beforeAll(async () => {
    harness = await startHarness({ odooAuth: 'google' });
    browser = await launchChromium();
    redirect = await startClientRedirect();
    client = await registerClient(harness, {
      client_name: 'Google Mode Client',
      redirect_uris: [redirect.uri],
    });
  });

  afterAll(async () => {
    await browser?.close();
    await redirect?.close();
    await harness.close();
  });

  it('signs in and allows without an API key', async () => {
    const page = await browser.newPage();
    const { verifier, challenge } = pkcePair();
    await page.goto(authorizeUrl(harness, client, challenge).href);

    await page.getByRole('button', { name: 'bob@example.com' }).click();
    await page.getByRole('button', { name: 'Allow' }).waitFor();
    expect(await page.getByLabel('Odoo API key').count()).toBe(0);
    expect(await page.textContent('body')).toContain(
      'login bob@example.com, signed in to Odoo with your Google account',
    );

    await page.getByRole('button', { name: 'Allow' }).click();
    await page.waitForURL(/\/callback\?/);
    const code = new URL(page.url()).searchParams.get('code');
    expect(code).toBeTruthy();
    const tokens = await exchangeCode(harness, client, code!, verifier);
    expect(tokens.status).toBe(200);
    await page.close();
  });

  it('explains an unlinked Google account and links back', async () => {
    const page = await browser.newPage();
    const { challenge } = pkcePair();
    await page.goto(authorizeUrl(harness, client, challenge).href);

    await page.getByRole('button', { name: 'stranger@example.com' }).click();
    await page.getByRole('heading', { name: 'You cannot connect to this Odoo' }).waitFor();
    expect(await page.textContent('body')).toContain('Odoo has no user linked to this Google');
    expect(await page.getByRole('button', { name: 'Allow' }).count()).toBe(0);

    await page.getByRole('link', { name: 'Back to Google Mode Client' }).click();
    await page.waitForURL(/\/callback\?/);
    expect(new URL(page.url()).searchParams.get('error')).toBe('access_denied');
    await page.close();
  });
});
