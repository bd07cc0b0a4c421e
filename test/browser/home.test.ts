import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../helpers/chromium.js';
import { BRIDGE_CLIENT_ID, startHarness, type Harness } from '../helpers/harness.js';

describe.each(['api_key', 'google'] as const)('home page in a real browser (%s)', (odooAuth) => {
  let harness: Harness;
  let browser: Browser;

  beforeAll(async () => {
    harness = await startHarness({ odooAuth });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await harness.close();
  });

  it('says what the service is and what to add', async () => {
    const page = await browser.newPage();
    const response = await page.goto(harness.url.href);
    expect(response?.status()).toBe(200);

    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(
      'Odoo for your AI assistant',
    );
    const text = (await page.textContent('body')) ?? '';
    expect(text).toContain(harness.mcpUrl.href);
    expect(text).toContain(
      `claude mcp add --transport http --scope user odoo ${harness.mcpUrl.href}`,
    );
    expect(text).toContain(`your account at ${harness.issuer.url.host}`);
    expect(text).toContain(odooAuth === 'google' ? 'no Odoo API key' : 'New API Key');
    await page.close();
  });

  it('reveals no configuration', async () => {
    const page = await browser.newPage();
    await page.goto(harness.url.href);
    const source = await page.content();
    expect(source).not.toContain(harness.odoo.url.host);
    expect(source).not.toContain(harness.odoo.demo.db);
    expect(source).not.toContain(BRIDGE_CLIENT_ID);
    await page.close();
  });
});
