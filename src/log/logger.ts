import pino, { type DestinationStream, type Logger } from 'pino';
import type { LogLevel } from '../config/env.js';

export type { Logger } from 'pino';

/** pino level → Cloud Logging `severity` (https://cloud.google.com/logging/docs/structured-logging). */
const SEVERITY: Record<string, string> = {
  trace: 'DEBUG',
  debug: 'DEBUG',
  info: 'INFO',
  warn: 'WARNING',
  error: 'ERROR',
  fatal: 'CRITICAL',
};

/**
 * Field names that must never reach a log line. The code never logs them on purpose; this is
 * the safety net for an object logged whole by mistake.
 */
const REDACTED_PATHS = [
  'apiKey',
  'api_key',
  'password',
  'token',
  'access_token',
  'refresh_token',
  'code_verifier',
  'client_secret',
  'authorization',
  'cookie',
  '*.apiKey',
  '*.api_key',
  '*.password',
  '*.token',
  '*.access_token',
  '*.refresh_token',
  '*.client_secret',
  '*.authorization',
  '*.cookie',
  'headers.authorization',
  'headers.cookie',
  'headers["set-cookie"]',
];

export interface LoggerOptions {
  level: LogLevel;
  /** Where lines go; stdout by default, stderr in stdio mode, a memory stream in tests. */
  destination?: DestinationStream;
}

/** Creates the JSON logger in Cloud Logging's shape: `severity`, `message`, ISO `time`. */
export function createLogger(options: LoggerOptions): Logger {
  return pino(
    {
      level: options.level,
      messageKey: 'message',
      errorKey: 'error',
      base: undefined,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: {
        level(label) {
          return { severity: SEVERITY[label] ?? 'DEFAULT' };
        },
      },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    },
    options.destination ?? pino.destination({ dest: 1, sync: true }),
  );
}
