import { AsyncLocalStorage } from 'node:async_hooks';

/** The Cloud Logging fields that tie a log line to the trace of its request. */
export interface TraceFields {
  'logging.googleapis.com/trace': string;
  'logging.googleapis.com/spanId'?: string;
  'logging.googleapis.com/trace_sampled'?: boolean;
}

const requestTrace = new AsyncLocalStorage<TraceFields>();

const CLOUD_TRACE_CONTEXT = /^([0-9a-f]{32})(?:\/(\d{1,20}))?(?:;o=([0-9]+))?$/i;
const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(?:-.*)?$/;
const ZERO_TRACE = '0'.repeat(32);
const ZERO_SPAN = '0'.repeat(16);

/**
 * Reads the trace of a request from `X-Cloud-Trace-Context` (`TRACE/SPAN;o=1`, the span id
 * in decimal), else from W3C `traceparent`. Returns undefined when neither is well formed.
 * With a project, the trace is the resource name that Logs Explorer links to Cloud Trace.
 */
export function traceFieldsOf(headers: Headers, project?: string): TraceFields | undefined {
  const trace = cloudTraceContext(headers.get('x-cloud-trace-context'));
  const found = trace ?? traceparent(headers.get('traceparent'));
  if (found === undefined) {
    return undefined;
  }
  const fields: TraceFields = {
    'logging.googleapis.com/trace':
      project === undefined ? found.traceId : `projects/${project}/traces/${found.traceId}`,
  };
  if (found.spanId !== undefined) {
    fields['logging.googleapis.com/spanId'] = found.spanId;
  }
  if (found.sampled !== undefined) {
    fields['logging.googleapis.com/trace_sampled'] = found.sampled;
  }
  return fields;
}

/** Runs `task` so that every line it logs, awaited work included, carries `fields`. */
export function runWithTrace<T>(fields: TraceFields, task: () => T): T {
  return requestTrace.run(fields, task);
}

/** Returns the trace fields of the request being served, for the logger to add to a line. */
export function currentTraceFields(): TraceFields | Record<string, never> {
  return requestTrace.getStore() ?? {};
}

interface ParsedTrace {
  traceId: string;
  spanId?: string;
  sampled?: boolean;
}

function cloudTraceContext(header: string | null): ParsedTrace | undefined {
  const match = header === null ? null : CLOUD_TRACE_CONTEXT.exec(header.trim());
  if (match === null || match[1]!.toLowerCase() === ZERO_TRACE) {
    return undefined;
  }
  const parsed: ParsedTrace = { traceId: match[1]!.toLowerCase() };
  if (match[2] !== undefined) {
    const span = BigInt(match[2]);
    // Cloud Logging wants the span id as 16 hexadecimal digits; a span id past 64 bits is invalid.
    if (span > 0n && span < 2n ** 64n) {
      parsed.spanId = span.toString(16).padStart(16, '0');
    }
  }
  if (match[3] !== undefined) {
    parsed.sampled = (Number(match[3]) & 1) === 1;
  }
  return parsed;
}

function traceparent(header: string | null): ParsedTrace | undefined {
  const match = header === null ? null : TRACEPARENT.exec(header.trim());
  if (match === null) {
    return undefined;
  }
  const [, version, traceId, spanId, flags] = match as unknown as [
    string,
    string,
    string,
    string,
    string,
  ];
  // Version ff is invalid, and version 00 has nothing after the flags.
  if (version === 'ff' || (version === '00' && match[0].length !== 55)) {
    return undefined;
  }
  if (traceId === ZERO_TRACE || spanId === ZERO_SPAN) {
    return undefined;
  }
  return { traceId, spanId, sampled: (Number.parseInt(flags, 16) & 1) === 1 };
}
