import pino, { type DestinationStream, type Logger } from 'pino';
import type { LogLevel } from '../config/env.js';
import { currentTraceFields } from './trace.js';

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
  /** The stream lines go to: stdout by default, stderr in stdio mode, memory in tests. */
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
      // Lines logged while a request is served carry its trace, so Logs Explorer groups them.
      mixin: currentTraceFields,
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      serializers: { error: serializeError },
    },
    options.destination ?? pino.destination({ dest: 1, sync: true }),
  );
}

/**
 * Logs an error's class, message and codes, and the stack only for unexpected errors. Library
 * errors can carry requests and responses as properties; those are left out on purpose.
 */
export function serializeError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) {
    return { message: String(error) };
  }
  const fields: Record<string, unknown> = { type: error.name, message: error.message };
  for (const key of ['kind', 'code', 'status', 'httpStatus', 'odooName', 'reason'] as const) {
    const value = (error as unknown as Record<string, unknown>)[key];
    if (typeof value === 'string' || typeof value === 'number') {
      fields[key] = value;
    }
  }
  if (!EXPECTED_ERRORS.has(error.name)) {
    fields.stack = error.stack;
  }
  if (error.cause instanceof Error) {
    fields.cause = serializeError(error.cause);
  }
  return fields;
}

/** Errors of the bridge's own boundaries, whose message is complete without a stack. */
const EXPECTED_ERRORS = new Set(['OAuthError', 'OdooError', 'UpstreamError', 'SealError']);
