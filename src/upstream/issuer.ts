import * as oidc from 'openid-client';
import { isLoopbackHost } from '../http/loopback.js';
import { UpstreamError, toUpstreamError } from './errors.js';

/** The person as the upstream issuer's ID token or userinfo describes them. */
export interface UpstreamIdentity {
  sub: string;
  email: string;
  emailVerified: boolean;
  /** Google's hosted domain (`hd`): the Workspace domain of the account, absent for gmail.com. */
  hostedDomain?: string | undefined;
  name?: string | undefined;
}

/** The tokens the issuer gave the bridge for a person; they travel only inside sealed artefacts. */
export interface UpstreamTokens {
  accessToken: string;
  /** Seconds since the epoch. */
  expiresAt: number;
  refreshToken?: string | undefined;
}

export interface UpstreamSignIn {
  identity: UpstreamIdentity;
  tokens: UpstreamTokens;
}

/** The bridge's own PKCE, nonce and state for one sign-in at the issuer. */
export interface SignInChecks {
  state: string;
  nonce: string;
  codeVerifier: string;
}

export interface UpstreamSettings {
  issuer: URL;
  clientId: string;
  clientSecret: string;
  /** `<PUBLIC_URL>/callback`. */
  redirectUri: string;
  /** Replaces `fetch` for every request to the issuer; tests route it to a stand-in. */
  fetch?: oidc.CustomFetch;
  /** Google Workspace domain to preselect (`hd`), when exactly one domain is allowed. */
  hostedDomainHint?: string | undefined;
}

const GOOGLE_ISSUER = 'https://accounts.google.com';
const DEFAULT_EXPIRES_IN_SECONDS = 3600;

/**
 * The upstream OpenID Connect issuer (Google by default) through openid-client. Discovery is
 * fetched on first use and cached, so start-up does no network I/O.
 */
export class UpstreamIssuer {
  private configuration: Promise<oidc.Configuration> | undefined;

  constructor(private readonly settings: UpstreamSettings) {}

  get issuer(): URL {
    return this.settings.issuer;
  }

  /** Google signs with `hd` and wants `access_type=offline` for a refresh token. */
  get isGoogle(): boolean {
    return isGoogleIssuer(this.settings.issuer);
  }

  /** Builds the authorization URL, asking for offline access so the grant can be re-checked. */
  async authorizationUrl(checks: SignInChecks): Promise<URL> {
    const config = await this.config();
    const parameters: Record<string, string> = {
      response_type: 'code',
      redirect_uri: this.settings.redirectUri,
      scope: 'openid email profile',
      state: checks.state,
      nonce: checks.nonce,
      code_challenge: await oidc.calculatePKCECodeChallenge(checks.codeVerifier),
      code_challenge_method: 'S256',
    };
    if (this.isGoogle) {
      parameters.access_type = 'offline';
      parameters.prompt = 'consent';
      if (this.settings.hostedDomainHint !== undefined) {
        parameters.hd = this.settings.hostedDomainHint;
      }
    } else if (config.serverMetadata().scopes_supported?.includes('offline_access')) {
      parameters.scope += ' offline_access';
      parameters.prompt = 'consent';
    }
    return oidc.buildAuthorizationUrl(config, parameters);
  }

  /** Redeems the issuer's code at `/callback` and verifies the ID token (iss, aud, exp, nonce). */
  async finishSignIn(callbackUrl: URL, checks: SignInChecks): Promise<UpstreamSignIn> {
    const config = await this.config();
    try {
      const response = await oidc.authorizationCodeGrant(config, callbackUrl, {
        pkceCodeVerifier: checks.codeVerifier,
        expectedNonce: checks.nonce,
        expectedState: checks.state,
        idTokenExpected: true,
      });
      const claims = response.claims();
      if (claims === undefined) {
        throw new UpstreamError('invalid', 'the issuer returned no ID token');
      }
      return { identity: identityFrom(claims), tokens: tokensFrom(response) };
    } catch (error) {
      throw toUpstreamError(error, 'sign-in at the issuer failed');
    }
  }

  /**
   * Proves the upstream grant is still alive: a refresh when the bridge holds a refresh token,
   * else a userinfo call while the access token lasts. Returns the tokens to use from now on.
   */
  async recheck(tokens: UpstreamTokens, sub: string, nowSeconds: number): Promise<UpstreamTokens> {
    if (tokens.refreshToken !== undefined) {
      return this.refresh(tokens);
    }
    if (tokens.expiresAt <= nowSeconds) {
      throw new UpstreamError(
        'rejected',
        'the issuer gave no refresh token and its access token has expired; sign in again',
      );
    }
    await this.userinfo(tokens, sub);
    return tokens;
  }

  /** Calls userinfo with the upstream access token; a rejection means the grant has ended. */
  async userinfo(tokens: UpstreamTokens, sub: string): Promise<void> {
    const config = await this.config();
    try {
      await oidc.fetchUserInfo(config, tokens.accessToken, sub);
    } catch (error) {
      throw toUpstreamError(error, 'the issuer rejected the userinfo request');
    }
  }

  /** Refreshes the upstream access token. Google keeps the refresh token; others may rotate it. */
  async refresh(tokens: UpstreamTokens): Promise<UpstreamTokens> {
    const config = await this.config();
    try {
      const response = await oidc.refreshTokenGrant(config, tokens.refreshToken ?? '');
      const refreshed = tokensFrom(response);
      return { ...refreshed, refreshToken: refreshed.refreshToken ?? tokens.refreshToken };
    } catch (error) {
      throw toUpstreamError(error, 'the issuer refused to refresh the grant');
    }
  }

  /** Revokes the upstream grant (RFC 7009), which ends every bridge token derived from it. */
  async revoke(tokens: UpstreamTokens): Promise<void> {
    const config = await this.config();
    if (config.serverMetadata().revocation_endpoint === undefined) {
      throw new UpstreamError('unsupported', 'the issuer has no revocation endpoint');
    }
    try {
      await oidc.tokenRevocation(config, tokens.refreshToken ?? tokens.accessToken);
    } catch (error) {
      throw toUpstreamError(error, 'the issuer refused the revocation');
    }
  }

  /** Reads the issuer's discovery document, as the first sign-in would, and keeps it. */
  async checkDiscovery(): Promise<void> {
    await this.config();
  }

  private config(): Promise<oidc.Configuration> {
    this.configuration ??= this.discover();
    return this.configuration;
  }

  private async discover(): Promise<oidc.Configuration> {
    const options: oidc.DiscoveryRequestOptions = { timeout: 10 };
    if (this.settings.fetch !== undefined) {
      options[oidc.customFetch] = this.settings.fetch;
    }
    if (
      this.settings.issuer.protocol === 'http:' &&
      isLoopbackHost(this.settings.issuer.hostname)
    ) {
      options.execute = [oidc.allowInsecureRequests];
    }
    try {
      return await oidc.discovery(
        this.settings.issuer,
        this.settings.clientId,
        undefined,
        oidc.ClientSecretPost(this.settings.clientSecret),
        options,
      );
    } catch (error) {
      this.configuration = undefined;
      throw toUpstreamError(error, `discovery of ${this.settings.issuer.href} failed`);
    }
  }
}

/** Tells whether an issuer URL is Google's. */
export function isGoogleIssuer(issuer: URL): boolean {
  return issuer.origin === GOOGLE_ISSUER && issuer.pathname === '/';
}

function identityFrom(claims: oidc.IDToken): UpstreamIdentity {
  const email = typeof claims.email === 'string' ? claims.email.toLowerCase() : '';
  if (email === '') {
    throw new UpstreamError('invalid', 'the ID token has no email claim; ask for the email scope');
  }
  return {
    sub: claims.sub,
    email,
    emailVerified: claims.email_verified === true || claims.email_verified === 'true',
    hostedDomain: typeof claims.hd === 'string' ? claims.hd.toLowerCase() : undefined,
    name: typeof claims.name === 'string' ? claims.name : undefined,
  };
}

function tokensFrom(response: oidc.TokenEndpointResponse): UpstreamTokens {
  const expiresIn = response.expires_in ?? DEFAULT_EXPIRES_IN_SECONDS;
  return {
    accessToken: response.access_token,
    expiresAt: Math.floor(Date.now() / 1000) + expiresIn,
    refreshToken: response.refresh_token,
  };
}
