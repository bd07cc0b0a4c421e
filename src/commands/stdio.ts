import { serveStdio } from '@modelcontextprotocol/server/stdio';
import pino from 'pino';
import { ConfigError, LOG_LEVELS, type LogLevel } from '../config/env.js';
import { createLogger } from '../log/logger.js';
import { createMcpServer } from '../mcp/server.js';
import { createOdooClient } from '../odoo/client.js';
import { OdooError } from '../odoo/errors.js';
import { identifyPerson, type OdooIdentity } from '../odoo/identity.js';
import { readOrExit } from './exit.js';

/**
 * Serves MCP over stdio for one local person, from ODOO_URL, ODOO_DB, ODOO_LOGIN and
 * ODOO_API_KEY. Nothing but MCP goes to stdout: logs go to stderr.
 */
export async function stdioCommand(env: NodeJS.ProcessEnv): Promise<void> {
  const logger = createLogger({
    level: logLevel(env),
    destination: pino.destination({ dest: 2, sync: true }),
  });
  const settings = readOrExit(() => readStdioEnvironment(env));

  const odoo = createOdooClient({ url: settings.url, db: settings.db }, { logger });
  const credential = { login: settings.login, apiKey: settings.apiKey };
  let identity: OdooIdentity;
  try {
    identity = await identifyPerson(odoo, credential);
  } catch (error) {
    if (error instanceof OdooError) {
      process.stderr.write(`Odoo sign-in failed for ${settings.login}: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  if (identity.share) {
    process.stderr.write(
      `The Odoo user ${identity.login} is a portal user; the bridge serves internal users only.\n`,
    );
    process.exit(1);
  }
  const uid = identity.uid;

  serveStdio(() =>
    createMcpServer({
      connection: odoo.connect(credential, uid),
      person: { email: settings.login },
      odooUid: uid,
      clientName: 'stdio',
      logger,
      odooWebUrl: settings.url,
    }),
  );
  logger.info(
    {
      event: 'server.start',
      mode: 'stdio',
      odoo_url: settings.url.href,
      odoo_db: settings.db,
      login: settings.login,
      odoo_uid: uid,
    },
    'odoo-mcp-bridge serving MCP on stdio',
  );
}

interface StdioEnvironment {
  url: URL;
  db: string;
  login: string;
  apiKey: string;
}

function readStdioEnvironment(env: NodeJS.ProcessEnv): StdioEnvironment {
  const value = (name: string, example: string): string => {
    const text = env[name]?.trim();
    if (text === undefined || text === '') {
      throw new ConfigError(name, 'is required in stdio mode', example);
    }
    return text;
  };
  let url: URL;
  try {
    url = new URL(value('ODOO_URL', 'https://mycompany.odoo.com'));
  } catch {
    throw new ConfigError(
      'ODOO_URL',
      `must be an absolute URL, not "${env.ODOO_URL}"`,
      'https://mycompany.odoo.com',
    );
  }
  return {
    url,
    db: value('ODOO_DB', 'mycompany'),
    login: value('ODOO_LOGIN', 'alice@mycompany.com'),
    apiKey: value('ODOO_API_KEY', '<your Odoo API key>'),
  };
}

function logLevel(env: NodeJS.ProcessEnv): LogLevel {
  return LOG_LEVELS.find((level) => level === env.LOG_LEVEL) ?? 'info';
}
