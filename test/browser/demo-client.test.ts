import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import {
  Client,
  StreamableHTTPClientTransport,
  UnauthorizedError,
  type OAuthClientProvider,
} from '@modelcontextprotocol/client';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { readEnvironment } from '../../src/config/env.js';
import { startDemo } from '../../src/demo/start.js';
import { createLogger } from '../../src/log/logger.js';
import type { RunningServer } from '../../src/serve.js';
import { launchChromium } from '../helpers/chromium.js';

type Tokens = Awaited<ReturnType<OAuthClientProvider['tokens']>>;
type Information = Awaited<ReturnType<OAuthClientProvider['clientInformation']>>;
type Discovery = Parameters<NonNullable<OAuthClientProvider['saveDiscoveryState']>>[0];

/** An OAuth client provider whose user agent is a real Chromium, as a desktop client's is. */
class BrowserOAuthProvider implements OAuthClientProvider {
  private information: Information;
  private stored: Tokens;
  private discovery: Discovery | undefined;
  private verifier = '';
  callback: URLSearchParams | undefined;

  constructor(
    private readonly browser: Browser,
    private readonly redirect: string,
    private readonly person: string,
    private readonly odooAuth: 'api_key' | 'google',
  ) {}

  get redirectUrl(): string {
    return this.redirect;
  }

  get clientMetadata() {
    return {
      client_name: 'Desktop client in Chromium',
      redirect_uris: [this.redirect],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
    };
  }

  clientInformation(): Information {
    return this.information;
  }

  saveClientInformation(information: NonNullable<Information>): void {
    this.information = information;
  }

  tokens(): Tokens {
    return this.stored;
  }

  saveTokens(tokens: NonNullable<Tokens>): void {
    this.stored = tokens;
  }

  saveDiscoveryState(state: Discovery): void {
    this.discovery = state;
  }

  discoveryState(): Discovery | undefined {
    return this.discovery;
  }

  saveCodeVerifier(verifier: string): void {
    this.verifier = verifier;
  }

  codeVerifier(): string {
    return this.verifier;
  }

  async redirectToAuthorization(url: URL): Promise<void> {
    const page = await this.browser.newPage();
    try {
      await page.goto(url.href);
      await page.getByRole('button', { name: this.person }).click();
      // The demo fills in the person's key; in google mode the page asks for none.
      if (this.odooAuth === 'api_key') {
        await page.getByLabel('Odoo API key').waitFor();
      } else {
        await page.getByText('signed in to Odoo with your Google account').waitFor();
      }
      await page.getByRole('button', { name: 'Allow' }).click();
      await page.waitForURL((target) => target.href.startsWith(this.redirect));
      this.callback = new URL(page.url()).searchParams;
    } finally {
      await page.close();
    }
  }
}

async function freePort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe.each(['api_key', 'google'] as const)(
  'the demo (%s) with an MCP client signing in through Chromium',
  (odooAuth) => {
    let demo: RunningServer;
    let browser: Browser;
    let redirectServer: Server;
    let redirect: string;

    beforeAll(async () => {
      const port = await freePort();
      const quiet = new Writable({ write: (_chunk, _encoding, done) => done() });
      const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
      try {
        demo = await startDemo(
          readEnvironment({ PORT: String(port), ODOO_AUTH: odooAuth }),
          createLogger({ level: 'info', destination: quiet }),
        );
      } finally {
        write.mockRestore();
      }
      browser = await launchChromium();
      redirectServer = createHttpServer((_req, res) =>
        res.writeHead(200).end('You can close this page.'),
      );
      await new Promise<void>((resolve) => redirectServer.listen(0, '127.0.0.1', resolve));
      redirect = `http://127.0.0.1:${(redirectServer.address() as AddressInfo).port}/callback`;
    });

    afterAll(async () => {
      // Each part may be missing when the setup failed before it, such as without Chromium.
      await browser?.close();
      await new Promise<void>((resolve) =>
        redirectServer === undefined ? resolve() : redirectServer.close(() => resolve()),
      );
      await demo?.close();
    });

    it('lists and calls the tools as the person who clicked', async () => {
      const mcpUrl = new URL('/mcp', demo.url);
      const provider = new BrowserOAuthProvider(browser, redirect, 'alice@example.com', odooAuth);
      const first = new StreamableHTTPClientTransport(mcpUrl, { authProvider: provider });
      await expect(
        new Client({ name: 'desktop', version: '1.0.0' }).connect(first),
      ).rejects.toBeInstanceOf(UnauthorizedError);
      expect(provider.callback?.get('code')).toBeTruthy();
      await first.finishAuth(provider.callback!);

      const client = new Client({ name: 'desktop', version: '1.0.0' });
      await client.connect(new StreamableHTTPClientTransport(mcpUrl, { authProvider: provider }));
      try {
        const { tools } = await client.listTools();
        expect(tools.map((tool) => tool.name)).toContain('search_records');
        const whoami = (await client.callTool({ name: 'whoami', arguments: {} })) as {
          structuredContent?: Record<string, unknown>;
        };
        expect(whoami.structuredContent?.login).toBe('alice@example.com');
        const orders = (await client.callTool({
          name: 'count_records',
          arguments: {
            model: 'sale.order',
            domain: [['user_id', '=', whoami.structuredContent?.uid]],
          },
        })) as { structuredContent?: Record<string, unknown> };
        expect(Number(orders.structuredContent?.count)).toBeGreaterThan(0);
      } finally {
        await client.close();
      }
    });
  },
);
