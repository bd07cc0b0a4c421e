import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { exportJWK, generateKeyPair } from 'jose';
import Provider, { type Configuration, type KoaContextWithOIDC } from 'oidc-provider';
import { handleInteraction } from './interactions.js';

/** A person the issuer can sign in, with the claims its ID tokens carry. */
export interface IssuerPerson {
  sub: string;
  email: string;
  email_verified: boolean;
  name: string;
  /** Google's hosted-domain claim, for people of a Workspace. */
  hd?: string;
}

/** A client registered at the issuer, such as the bridge. */
export interface IssuerClient {
  client_id: string;
  client_secret: string;
  redirect_uris: string[];
}

export interface IssuerOptions {
  /** The issuer identifier; its path is where the issuer is mounted. */
  issuer: URL;
  people: IssuerPerson[];
  clients: IssuerClient[];
  /** Lifetime of upstream access tokens, seconds; short values let tests reach expiry. */
  accessTokenTtlSeconds?: number;
}

/** An OpenID Connect issuer (oidc-provider) with a page that signs people in by a button. */
export interface OidcIssuer {
  provider: Provider;
  people: IssuerPerson[];
  /** A Node request handler for the issuer's paths (the mount path included). */
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
  /**
   * Deletes a person's account, as removing them at Google does: refreshes and userinfo calls
   * for their grants fail from then on, because oidc-provider looks the account up each time.
   */
  removePerson(sub: string): void;
  /**
   * Looks up an access token the issuer gave out, as Google's userinfo endpoint does for
   * Odoo: the person it belongs to, or undefined for an unknown, expired or revoked token.
   */
  validateAccessToken(
    token: string,
  ): Promise<{ sub: string; email: string; name: string } | undefined>;
}

/**
 * Creates the issuer that stands in for Google: the demo's sign-in, and the tests' real OIDC
 * server. Grants, sessions and tokens live in oidc-provider's in-memory adapter.
 */
export async function createOidcIssuer(options: IssuerOptions): Promise<OidcIssuer> {
  const mountPath = options.issuer.pathname.replace(/\/$/, '');
  const people = new Map(options.people.map((person) => [person.sub, person]));
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const signingKey = {
    ...(await exportJWK(privateKey)),
    // A kid of its own per instance, so that a rotated key is a key clients have not seen.
    kid: `demo-signing-${randomBytes(6).toString('base64url')}`,
    use: 'sig',
    alg: 'RS256',
  };

  const configuration: Configuration = {
    clients: options.clients.map((client) => ({
      ...client,
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_post',
    })),
    jwks: { keys: [signingKey] },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    scopes: ['openid', 'email', 'profile', 'offline_access'],
    claims: { openid: ['sub'], email: ['email', 'email_verified', 'hd'], profile: ['name'] },
    // ID tokens carry the email claims, as Google's do, not only the userinfo endpoint.
    conformIdTokenClaims: false,
    features: { devInteractions: { enabled: false }, revocation: { enabled: true } },
    pkce: { required: () => true },
    ttl: {
      AccessToken: options.accessTokenTtlSeconds ?? 3600,
      IdToken: 3600,
      Interaction: 900,
      Session: 86_400,
      Grant: 30 * 86_400,
      RefreshToken: 30 * 86_400,
    },
    interactions: { url: (_ctx, interaction) => `${mountPath}/interaction/${interaction.uid}` },
    findAccount: (_ctx: KoaContextWithOIDC, sub: string) => {
      const person = people.get(sub);
      if (person === undefined) {
        return undefined;
      }
      return { accountId: sub, claims: () => ({ ...person }) };
    },
  };
  const provider = new Provider(options.issuer.href.replace(/\/$/, ''), configuration);
  const callback = provider.callback();

  return {
    provider,
    people: options.people,
    removePerson(sub) {
      people.delete(sub);
    },
    async validateAccessToken(token) {
      const found = await provider.AccessToken.find(token);
      if (found === undefined || found.isExpired) {
        return undefined;
      }
      const person = people.get(found.accountId);
      return person === undefined
        ? undefined
        : { sub: person.sub, email: person.email, name: person.name };
    },
    async handle(req, res) {
      const url = req.url ?? '/';
      const path =
        mountPath !== '' && url.startsWith(mountPath) ? url.slice(mountPath.length) || '/' : url;
      if (await handleInteraction(provider, people, mountPath, path, req, res)) {
        return;
      }
      // oidc-provider finds its mount path from originalUrl minus url, as under Express.
      Object.assign(req, { originalUrl: url, url: path });
      await callback(req, res);
    },
  };
}
