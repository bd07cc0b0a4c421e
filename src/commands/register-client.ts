import { parseArgs } from 'node:util';
import { publicUrlSettings } from '../bridge.js';
import { SealedClients } from '../authorization/clients/sealed-clients.js';
import { parseClientMetadata } from '../authorization/clients/registration.js';
import { OAuthError } from '../authorization/errors.js';
import { ConfigError, readEnvironment } from '../config/env.js';
import { Sealer } from '../seal/seal.js';

const USAGE =
  'Usage: odoo-mcp-bridge register-client --name NAME --redirect-uri URI [--redirect-uri URI …] [--public]';

/**
 * Prints a sealed client id and client secret for MCP clients that take pre-registered
 * credentials (Claude's "advanced settings"). Needs the server's PUBLIC_URL and TOKEN_KEYS.
 */
export async function registerClientCommand(argv: string[], env: NodeJS.ProcessEnv): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      name: { type: 'string' },
      'redirect-uri': { type: 'string', multiple: true },
      public: { type: 'boolean', default: false },
    },
  });
  if (values.name === undefined || values['redirect-uri'] === undefined) {
    fail(USAGE);
  }

  try {
    const settings = readEnvironment(env);
    if (settings.publicUrl === undefined || settings.tokenKeys === undefined) {
      fail(
        'register-client needs PUBLIC_URL and TOKEN_KEYS, the same values the server runs with.',
      );
    }
    const registration = parseClientMetadata({
      client_name: values.name,
      redirect_uris: values['redirect-uri'],
      token_endpoint_auth_method: values.public ? 'none' : 'client_secret_post',
    });
    const sealer = new Sealer(settings.tokenKeys, publicUrlSettings(settings.publicUrl).issuer);
    const credentials = await new SealedClients(sealer).register(registration);
    process.stdout.write(`client_id: ${credentials.client_id}\n`);
    if (credentials.client_secret !== undefined) {
      process.stdout.write(`client_secret: ${credentials.client_secret}\n`);
    }
  } catch (error) {
    if (error instanceof ConfigError) {
      fail(`Configuration error: ${error.message}`);
    }
    if (error instanceof OAuthError) {
      fail(`Invalid client: ${error.description}`);
    }
    throw error;
  }
}

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(2);
}
