import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HttpBindings } from '@hono/node-server';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import { Hono } from 'hono';
import { createOidcIssuer, type IssuerOptions, type OidcIssuer } from './provider.js';

export {
  createOidcIssuer,
  type IssuerClient,
  type IssuerPerson,
  type OidcIssuer,
} from './provider.js';

/** Mounts an issuer in a Hono app served by @hono/node-server, handing it the raw request. */
export function issuerApp(issuer: OidcIssuer): Hono<{ Bindings: HttpBindings }> {
  const app = new Hono<{ Bindings: HttpBindings }>();
  app.all('*', async (c) => {
    await issuer.handle(c.env.incoming, c.env.outgoing);
    return RESPONSE_ALREADY_SENT;
  });
  return app;
}

export interface RunningIssuer {
  url: URL;
  /** The issuer that serves requests now; `rotateSigningKey` replaces it. */
  readonly issuer: OidcIssuer;
  /**
   * Switches to a new signing key with a new `kid` and drops the old one from the JWKS, as an
   * issuer does in an emergency rotation. A new oidc-provider instance takes over the port,
   * so the grants, tokens and sessions of the old one end with it: each instance keeps them in
   * its own memory adapter.
   */
  rotateSigningKey(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Serves an issuer on its own loopback port, as tests use it. The issuer URL needs the port,
 * so `issuerFor` receives the URL once the server listens.
 */
export async function startOidcIssuer(
  issuerFor: (url: URL) => Omit<IssuerOptions, 'issuer'>,
  port = 0,
): Promise<RunningIssuer> {
  let issuer: OidcIssuer | undefined;
  const server: Server = createServer((req, res) => {
    if (issuer === undefined) {
      res.writeHead(503).end();
      return;
    }
    issuer.handle(req, res).catch((error: unknown) => {
      res.writeHead(500).end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const url = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  let current = await createOidcIssuer({ ...issuerFor(url), issuer: url });
  issuer = current;
  return {
    url,
    get issuer() {
      return current;
    },
    async rotateSigningKey() {
      // NOTE: removePerson is undone, because the new instance starts from the options.
      current = await createOidcIssuer({ ...issuerFor(url), issuer: url });
      issuer = current;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
