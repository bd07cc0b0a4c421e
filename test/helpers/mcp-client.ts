import {
  Client,
  type ClientOptions,
  StreamableHTTPClientTransport,
  UnauthorizedError,
  type OAuthClientProvider,
} from '@modelcontextprotocol/client';
import { ScriptedBrowser } from './browser.js';
import { REDIRECT_URI, signIn, submitConsent, type BridgeUnderTest as Harness } from './oauth.js';

type DiscoveryState = Parameters<NonNullable<OAuthClientProvider['saveDiscoveryState']>>[0];
type ProviderTokens = Awaited<ReturnType<OAuthClientProvider['tokens']>>;
type ProviderClientInformation = Awaited<ReturnType<OAuthClientProvider['clientInformation']>>;

/**
 * An MCP SDK OAuth client provider whose "browser" is scripted: it signs in at the OIDC
 * server as one person and allows the consent with that person's demo API key.
 */
export class ScriptedOAuthProvider implements OAuthClientProvider {
  private information: ProviderClientInformation;
  private stored: ProviderTokens;
  private verifier = '';
  private discovery: DiscoveryState | undefined;
  /** The query of the last redirect back to the client, for `finishAuth`. */
  callback: URLSearchParams | undefined;
  readonly browser = new ScriptedBrowser();
  authorizations = 0;

  constructor(
    private readonly harness: Harness,
    private readonly person: { sub: string; email: string },
  ) {}

  get redirectUrl(): string {
    return REDIRECT_URI;
  }

  get clientMetadata() {
    return {
      client_name: 'MCP SDK test client',
      redirect_uris: [REDIRECT_URI],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
    };
  }

  clientInformation(): ProviderClientInformation {
    return this.information;
  }

  saveClientInformation(information: NonNullable<ProviderClientInformation>): void {
    this.information = information;
  }

  tokens(): ProviderTokens {
    return this.stored;
  }

  saveTokens(tokens: NonNullable<ProviderTokens>): void {
    this.stored = tokens;
  }

  /** Replaces the stored access token, to make the next request fail and refresh. */
  spoilAccessToken(): void {
    if (this.stored !== undefined) {
      this.stored = { ...this.stored, access_token: 'spoiled' };
    }
  }

  async redirectToAuthorization(url: URL): Promise<void> {
    this.authorizations += 1;
    const page = await signIn(this.browser, this.harness, url, this.person.sub);
    if (page.status !== 200) {
      throw new Error(`sign-in failed: ${page.status} ${page.html.slice(0, 400)}`);
    }
    const answer = await submitConsent(this.browser, this.harness, page.html, {
      action: 'allow',
      apiKey: this.harness.apiKeyOf(this.person.email),
    });
    if (answer.location === undefined) {
      throw new Error(
        `consent failed: ${answer.status} ${answer.html?.replace(/<style[\s\S]*<\/style>/, '').slice(0, 3000)}`,
      );
    }
    this.callback = answer.location.searchParams;
  }

  saveDiscoveryState(state: DiscoveryState): void {
    this.discovery = state;
  }

  discoveryState(): DiscoveryState | undefined {
    return this.discovery;
  }

  saveCodeVerifier(verifier: string): void {
    this.verifier = verifier;
  }

  codeVerifier(): string {
    return this.verifier;
  }
}

/** Connects an MCP SDK client through the whole OAuth flow, as an MCP client app does. */
export async function connectAs(
  harness: Harness,
  person: { sub: string; email: string },
  options: ClientOptions = {},
): Promise<{ client: Client; provider: ScriptedOAuthProvider }> {
  const provider = new ScriptedOAuthProvider(harness, person);
  const first = new StreamableHTTPClientTransport(harness.mcpUrl, { authProvider: provider });
  const client = new Client({ name: 'odoo-mcp-bridge-tests', version: '1.0.0' }, options);
  try {
    await client.connect(first);
    return { client, provider };
  } catch (error) {
    if (!(error instanceof UnauthorizedError) || provider.callback === undefined) {
      throw error;
    }
  }
  await first.finishAuth(provider.callback);
  const connected = new Client({ name: 'odoo-mcp-bridge-tests', version: '1.0.0' }, options);
  await connected.connect(
    new StreamableHTTPClientTransport(harness.mcpUrl, { authProvider: provider }),
  );
  return { client: connected, provider };
}
