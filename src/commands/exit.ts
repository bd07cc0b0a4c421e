import { ConfigError } from '../config/env.js';

/**
 * Runs a configuration reader and stops the process with one line on stderr per variable that
 * is missing or invalid, so a misconfigured deploy fails at start, naming each variable.
 */
export function readOrExit<T>(read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof ConfigError) {
      for (const problem of error.problems) {
        process.stderr.write(`Configuration error: ${problem.message}\n`);
      }
      process.exit(1);
    }
    throw error;
  }
}

/** Stops the process with one line when the port cannot be bound, instead of a stack trace. */
export function exitOnListenError(error: unknown, port: number): never {
  const code = (error as { code?: unknown } | undefined)?.code;
  if (code === 'EADDRINUSE') {
    process.stderr.write(
      `Port ${port} is already in use; stop the other server or set PORT to a free port, for example PORT=${port + 1}\n`,
    );
    process.exit(1);
  }
  if (code === 'EACCES') {
    process.stderr.write(`Port ${port} needs privileges this process lacks; set PORT above 1023\n`);
    process.exit(1);
  }
  throw error;
}
