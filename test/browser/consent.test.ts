import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
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

describe('consent in a real browser', () => {
  let harness: Harness;
  let browser: Browser;
  let redirect: ClientRedirect;
  let client: RegisteredClient;

  beforeAll(async () => {
    harness = await startHarness();
    browser = await launchChromium();
    redirect = await startClientRedirect();
    client = await registerClient(harness, {
      client_name: 'Browser Test Client',
      redirect_uris: [redirect.uri],
    });
  });

  afterAll(async () => {
    await browser?.close();
    await redirect?.close();
    await harness.close();
  });

  it('signs in, pastes a key and lands on the client with a code', async () => {
    const page = await browser.newPage();
    const { verifier, challenge } = pkcePair();
    await page.goto(authorizeUrl(harness, client, challenge).href);

    await page.getByRole('button', { name: 'alice@example.com' }).click();
    await page.getByLabel('Odoo API key').waitFor();
    expect(await page.getByLabel('Odoo login').inputValue()).toBe('alice@example.com');
    expect(await page.textContent('h1')).toContain('Browser Test Client');

    await page.getByLabel('Odoo API key').fill(harness.apiKeyOf('alice@example.com'));
    await page.getByRole('button', { name: 'Allow' }).click();
    await page.waitForURL(/\/callback\?/);

    const landed = new URL(page.url());
    expect(landed.searchParams.get('state')).toBe('client-state-1');
    const code = landed.searchParams.get('code');
    expect(code).toBeTruthy();
    expect(redirect.received.filter((url) => url.pathname === '/callback')).toHaveLength(1);
    const tokens = await exchangeCode(harness, client, code!, verifier);
    expect(tokens.status).toBe(200);
    await page.close();
  });

  it('shows a wrong key on the page and keeps the login', async () => {
    const page = await browser.newPage();
    const { challenge } = pkcePair();
    await page.goto(authorizeUrl(harness, client, challenge).href);
    await page.getByRole('button', { name: 'bob@example.com' }).click();
    await page.getByLabel('Odoo API key').fill('0123456789abcdef0123456789abcdef01234567');
    await page.getByRole('button', { name: 'Allow' }).click();

    await page.getByRole('alert').waitFor();
    expect(await page.getByRole('alert').textContent()).toContain(
      'did not accept the login bob@example.com',
    );
    expect(await page.getByLabel('Odoo login').inputValue()).toBe('bob@example.com');
    await page.close();
  });

  it('sends the consent page with framing forbidden', async () => {
    const page = await browser.newPage();
    const { challenge } = pkcePair();
    const consentResponse = page.waitForResponse((response) =>
      response.url().includes('/callback?'),
    );
    await page.goto(authorizeUrl(harness, client, challenge).href);
    await page.getByRole('button', { name: 'carol@example.com' }).click();
    const headers = (await consentResponse).headers();

    expect(headers['x-frame-options']).toBe('DENY');
    expect(headers['content-security-policy']).toContain("frame-ancestors 'none'");
    await page.close();
  });

  it('is not rendered inside a frame of another site', async () => {
    const framer = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(`<iframe id="target" src="${harness.url.origin}/"></iframe>`);
    });
    await new Promise<void>((resolve) => framer.listen(0, '127.0.0.1', resolve));
    const page = await browser.newPage();
    try {
      const blocked = page.waitForEvent('console', (message) =>
        /frame|ancestor/i.test(message.text()),
      );
      await page.goto(`http://localhost:${(framer.address() as AddressInfo).port}/`);
      await blocked;
      const frame = page.frames().find((candidate) => candidate !== page.mainFrame());
      const text =
        frame === undefined
          ? ''
          : await frame.evaluate(() => document.body?.innerText ?? '').catch(() => '');
      expect(text).not.toContain('Odoo for your AI assistant');
    } finally {
      await page.close();
      await new Promise<void>((resolve) => framer.close(() => resolve()));
    }
  });
});
