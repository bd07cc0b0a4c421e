import { afterEach } from 'vitest';
import { createLogger } from '../../src/log/logger.js';
import { createOdooClient, type OdooClient } from '../../src/odoo/client.js';
import { startTestServer, type TestHandler, type TestServer } from './test-server.js';

/** A test server in place of Odoo, and a client of it. */
export interface FakeOdoo {
  /** The server of the running test, if it started one. */
  readonly server: TestServer | undefined;
  /** Starts a server running `handler` and a client of database `db` for it. */
  start(handler: TestHandler, logLines?: string[]): Promise<OdooClient>;
  /** Starts another client, of any URL, also closed after the test. */
  clientAt(url: URL, db?: string): OdooClient;
}

/**
 * Gives each test of the calling file its own fake Odoo and closes it after the test. The
 * client logs at debug level into `logLines` when the test passes an array.
 */
export function useFakeOdoo(db: string): FakeOdoo {
  let server: TestServer | undefined;
  const clients: OdooClient[] = [];

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.close()));
    await server?.close();
    server = undefined;
  });

  return {
    get server() {
      return server;
    },
    async start(handler, logLines) {
      server = await startTestServer(handler);
      const logger =
        logLines === undefined
          ? undefined
          : createLogger({ level: 'debug', destination: { write: (line) => logLines.push(line) } });
      const client = createOdooClient({ url: server.url, db }, { logger });
      clients.push(client);
      return client;
    },
    clientAt(url, clientDb = db) {
      const client = createOdooClient({ url, db: clientDb });
      clients.push(client);
      return client;
    },
  };
}
