import { ConfigError } from '../config/env.js';

/**
 * Runs a configuration reader and stops the process with one line on stderr when a variable is
 * missing or invalid, so a misconfigured deploy fails at start, naming the variable.
 */
export function readOrExit<T>(read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`Configuration error: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}
