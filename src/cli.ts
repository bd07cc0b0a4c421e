#!/usr/bin/env node
import { randomBytes } from 'node:crypto';
import { enableCompileCache } from './compile-cache.js';

const HELP = `odoo-mcp-bridge: an MCP server that reads Odoo as each signed-in person.

Commands:
  serve                      run the HTTP server (the demo when ODOO_URL is unset); the default
  stdio                      serve one local person over stdio (ODOO_URL, ODOO_DB, ODOO_LOGIN, ODOO_API_KEY)
  register-client --name NAME --redirect-uri URI [--redirect-uri URI …] [--public]
                             print a client id and secret for clients with pre-registered credentials
  generate-key [KID]         print a new TOKEN_KEYS entry, KID:base64url(32 random bytes)
  check                      check ODOO_URL, ODOO_DB and OIDC_ISSUER before a deploy
`;

/**
 * Runs one command of the command line. Each command's modules are imported when it runs, so
 * that `help` and `generate-key` load none of them and the others go through the compile cache.
 */
export async function main(argv: string[]): Promise<void> {
  const [command = 'serve', ...rest] = argv;
  switch (command) {
    case 'serve':
      return (await import('./commands/serve.js')).serveCommand(process.env);
    case 'stdio':
      return (await import('./commands/stdio.js')).stdioCommand(process.env);
    case 'register-client':
      return (await import('./commands/register-client.js')).registerClientCommand(
        rest,
        process.env,
      );
    case 'check':
      return (await import('./commands/check.js')).checkCommand(process.env);
    case 'generate-key':
      return generateKey(rest[0] ?? 'k1');
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(HELP);
      return;
    default:
      process.stderr.write(`Unknown command "${command}".\n\n${HELP}`);
      process.exit(2);
  }
}

/** Prints a new TOKEN_KEYS entry, after checking it as the server will read it. */
async function generateKey(kid: string): Promise<void> {
  const entry = `${kid}:${randomBytes(32).toString('base64url')}`;
  const { KeyRingError, parseKeyRing } = await import('./seal/keys.js');
  try {
    parseKeyRing(entry);
  } catch (error) {
    if (error instanceof KeyRingError) {
      process.stderr.write(`generate-key: ${error.message}, for example k2\n`);
      process.exit(2);
    }
    throw error;
  }
  process.stdout.write(`${entry}\n`);
}

enableCompileCache();
await main(process.argv.slice(2));
