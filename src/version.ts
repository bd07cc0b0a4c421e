import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Reads the bridge's version from the nearest package.json above this module, which works
 * from src/ under the test runner, from dist/ and from any other build folder.
 */
function readVersion(): string {
  let folder = dirname(fileURLToPath(import.meta.url));
  for (let depth = 0; depth < 5; depth += 1) {
    const candidate = join(folder, 'package.json');
    if (existsSync(candidate)) {
      const manifest = JSON.parse(readFileSync(candidate, 'utf8')) as {
        name?: string;
        version?: string;
      };
      if (manifest.name === 'odoo-mcp-bridge' && manifest.version !== undefined) {
        return manifest.version;
      }
    }
    folder = dirname(folder);
  }
  return '0.0.0';
}

/** The bridge's version, from its package.json. */
export const BRIDGE_VERSION = readVersion();
