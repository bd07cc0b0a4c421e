import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import {
  type DemoPerson,
  type OdooSeries,
  type RunningDemoOdoo,
  startDemoOdoo,
} from '../../src/demo/odoo/index.js';

/** The reference day of the test data, so that dates in assertions are stable. */
export const TODAY = new Date('2026-12-04T12:00:00Z');

export function startDemo(version: OdooSeries = '18.0'): Promise<RunningDemoOdoo> {
  return startDemoOdoo({ version, today: TODAY, port: 0 });
}

export function person(running: RunningDemoOdoo, login: string): DemoPerson {
  const found = running.demo.people.find((candidate) => candidate.login === login);
  if (found === undefined) {
    throw new Error(`No demo person with login ${login}`);
  }
  return found;
}

export interface HttpAnswer {
  status: number;
  contentType: string | null;
  body: unknown;
  /** The response headers; redirects are not followed, so `Location` is there to read. */
  headers: Headers;
}

/** Sends a request over real HTTP and parses a JSON response (plain text is kept as is). */
export async function send(
  running: RunningDemoOdoo,
  path: string,
  body?: unknown,
  method = 'POST',
  headers: Record<string, string> = {},
): Promise<HttpAnswer> {
  const response = await fetch(new URL(path.replace(/^\//, ''), running.url), {
    method,
    headers: { ...(body === undefined ? {} : { 'Content-Type': 'application/json' }), ...headers },
    body: typeof body === 'string' || body === undefined ? body : JSON.stringify(body),
    redirect: 'manual',
  });
  const text = await response.text();
  const contentType = response.headers.get('content-type');
  let parsed: unknown = text;
  if (contentType?.includes('json')) {
    parsed = JSON.parse(text);
  }
  return { status: response.status, contentType, body: parsed, headers: response.headers };
}

/** A JSON-RPC error sent by the demo, thrown by `executeKw`. */
export class RpcError extends Error {
  constructor(readonly data: { name: string; message: string }) {
    super(`${data.name}: ${data.message}`);
  }
}

/** Calls `object.execute_kw` as a demo person with their API key. */
export async function executeKw<T = unknown>(
  running: RunningDemoOdoo,
  caller: DemoPerson,
  model: string,
  method: string,
  args: unknown[],
  kwargs: Record<string, unknown> = {},
): Promise<T> {
  const params = {
    service: 'object',
    method: 'execute_kw',
    args: [running.demo.db, caller.uid, caller.apiKey, model, method, args, kwargs],
  };
  const answer = await send(running, '/jsonrpc', { jsonrpc: '2.0', method: 'call', params, id: 1 });
  const body = answer.body as { result?: T; error?: { data: { name: string; message: string } } };
  if (body.error !== undefined) {
    throw new RpcError(body.error.data);
  }
  return body.result as T;
}

/** Runs a call that must fail and returns the error's `data`. */
export async function rpcError(call: Promise<unknown>): Promise<{ name: string; message: string }> {
  try {
    await call;
  } catch (error) {
    if (error instanceof RpcError) {
      return error.data;
    }
    throw error;
  }
  throw new Error('The call succeeded but an Odoo error was expected');
}

export interface Recording {
  description: string;
  request: {
    method: string;
    path: string;
    headers?: Record<string, string>;
    body?: unknown;
    /** The decoded query parameters of a GET, and its exact path with the query string. */
    query?: Record<string, string>;
    url?: string;
  };
  response: { status: number; headers: Record<string, string | string[]>; body: unknown };
}

const SERIES_FOLDERS: Record<OdooSeries, string> = {
  '17.0': 'odoo17',
  '18.0': 'odoo18',
  '19.0': 'odoo19',
};

export function loadRecording(series: OdooSeries, file: string): Recording {
  const url = new URL(
    `../fixtures/odoo-recordings/${SERIES_FOLDERS[series]}/${file}`,
    import.meta.url,
  );
  return JSON.parse(readFileSync(url, 'utf8')) as Recording;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATETIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

/** Classifies a JSON value by the kinds that Odoo's read formats use. */
export function kindOf(value: unknown): string {
  if (value === false) {
    return 'false';
  }
  if (value === true) {
    return 'boolean';
  }
  if (value === null) {
    return 'null';
  }
  if (typeof value === 'number') {
    return 'number';
  }
  if (typeof value === 'string') {
    return DATETIME.test(value) ? 'datetime' : DATE.test(value) ? 'date' : 'string';
  }
  if (Array.isArray(value)) {
    if (value.length === 0) {
      return 'empty';
    }
    if (value.length === 2 && typeof value[0] === 'number' && typeof value[1] === 'string') {
      return 'many2one';
    }
    if (value.every((item) => typeof item === 'number')) {
      return 'ids';
    }
    return value.every((item) => item !== null && typeof item === 'object' && !Array.isArray(item))
      ? 'records'
      : 'list';
  }
  return 'object';
}

// `false` is Odoo's empty value for these kinds, so a value may be empty on one side only.
const MAY_BE_EMPTY = new Set([
  'many2one',
  'date',
  'datetime',
  'string',
  'boolean',
  'object',
  'list',
]);
const LISTS = new Set(['empty', 'ids', 'records']);

function compatible(recordedKinds: Set<string>, actual: string): boolean {
  if (recordedKinds.has(actual)) {
    return true;
  }
  if ([...recordedKinds].every((kind) => kind === 'false')) {
    return true;
  }
  if (actual === 'false') {
    return [...recordedKinds].some((kind) => MAY_BE_EMPTY.has(kind));
  }
  if (recordedKinds.has('false') && MAY_BE_EMPTY.has(actual)) {
    return true;
  }
  return (
    LISTS.has(actual) &&
    [...recordedKinds].some((kind) => LISTS.has(kind)) &&
    (actual === 'empty' || recordedKinds.has('empty'))
  );
}

/**
 * Checks that `actual` has the shape of `recorded`: the same keys, and values of the same
 * kinds, where records in a list are compared with every recorded record at once.
 */
export function expectSameShape(recorded: unknown, actual: unknown, path = 'result'): void {
  expectListOrValue([recorded], [actual], path);
}

function expectListOrValue(recordedItems: unknown[], actualItems: unknown[], path: string): void {
  const recordedKinds = new Set(recordedItems.map(kindOf));
  for (const actual of actualItems) {
    expect(
      compatible(recordedKinds, kindOf(actual)),
      `${path}: ${kindOf(actual)} where the recording has ${[...recordedKinds].join('/')}`,
    ).toBe(true);
  }
  const recordedObjects = recordedItems.filter(isPlainObject);
  const actualObjects = actualItems.filter(isPlainObject);
  if (recordedObjects.length > 0 && actualObjects.length > 0) {
    expectSameObjects(recordedObjects, actualObjects, path);
  }
  const recordedRecords = recordsIn(recordedItems);
  const actualRecords = recordsIn(actualItems);
  if (recordedRecords.length > 0 && actualRecords.length > 0) {
    expectSameObjects(recordedRecords, actualRecords, `${path}[]`);
  }
}

/** Collects the records of every list of records among the items into one list. */
function recordsIn(items: unknown[]): Record<string, unknown>[] {
  return items.filter((item) => kindOf(item) === 'records').flat() as Record<string, unknown>[];
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function expectSameObjects(
  recorded: Record<string, unknown>[],
  actual: Record<string, unknown>[],
  path: string,
): void {
  const recordedKeys = [...new Set(recorded.flatMap((item) => Object.keys(item)))].sort();
  const actualKeys = [...new Set(actual.flatMap((item) => Object.keys(item)))].sort();
  expect(actualKeys, `${path}: keys`).toEqual(recordedKeys);
  for (const key of recordedKeys) {
    const recordedValues = recorded.filter((item) => key in item).map((item) => item[key]);
    const actualValues = actual.filter((item) => key in item).map((item) => item[key]);
    expectListOrValue(recordedValues, actualValues, `${path}.${key}`);
  }
}
