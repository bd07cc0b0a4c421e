import { methodNotFound, OdooException } from '../errors.js';
import { callMethod, privateMethodError } from '../methods/dispatch.js';
import { type Context, type DemoDatabase, type DemoRecord, Env } from '../orm/database.js';
import { httpException } from './answers.js';

/**
 * The demo's methods that run on records (`onRecords` in methods/dispatch.ts). JSON-2 takes
 * their ids in "ids" and runs them on an empty recordset without it.
 * NOTE: dispatch.ts does not export its method table, so this list follows it by hand.
 */
const RECORD_METHODS: ReadonlySet<string> = new Set([
  'read',
  'web_read',
  'exists',
  'check_access_rule',
  'check_access',
  'has_access',
  'write',
  'unlink',
]);

/**
 * Runs `model.method` as `user` with the named arguments of a JSON-2 body, through the same
 * dispatch, access checks and record rules as `/jsonrpc`. `ids` and `context` are taken out
 * of the body; every other key is a keyword argument. Failures are thrown as OdooException,
 * with the werkzeug exceptions Odoo's JSON-2 route raises for an unknown model or method and
 * for arguments that do not fit the signature.
 */
export function callJson2(
  db: DemoDatabase,
  user: DemoRecord,
  model: string,
  method: string,
  body: Record<string, unknown>,
): unknown {
  const table = db.table(model);
  if (table === undefined) {
    throw httpException('NotFound', `the model '${model}' does not exist`);
  }
  const { ids, context, ...kwargs } = body;
  const env = new Env(db, user, isMapping(context) ? (context as Context) : {});
  if (method.startsWith('_')) {
    throw privateMethodError(env, model, method);
  }
  const onRecords = RECORD_METHODS.has(method);
  // NOTE: Odoo looks the method up first, so an unknown method with "ids" is a 404 there.
  if (!onRecords && ids !== undefined) {
    throw httpException('UnprocessableEntity', `cannot call ${model}.${method} with ids`);
  }
  try {
    return callMethod(env, table, method, onRecords ? [ids ?? []] : [], kwargs);
  } catch (error) {
    throw asJson2Exception(error, model, method);
  }
}

/**
 * Turns the errors of `/jsonrpc`'s dispatch into those of the JSON-2 route. Odoo checks the
 * named arguments with `inspect.Signature.bind` before the call, so a wrong keyword is a 422
 * with Python's bind message there, not a TypeError from the call.
 */
function asJson2Exception(error: unknown, model: string, method: string): unknown {
  if (!(error instanceof OdooException)) {
    return error;
  }
  const notFound = methodNotFound(model, method);
  if (error.pythonClass === notFound.pythonClass && error.message === notFound.message) {
    return httpException('NotFound', `The method '${model}.${method}' does not exist`);
  }
  if (error.pythonClass !== 'builtins.TypeError') {
    return error;
  }
  // The demo's binding errors name the method, as "BaseModel.search() got …"; a TypeError
  // raised inside the method names another function and stays a 500.
  const callee = `^\\S+\\.${escapeRegExp(method)}\\(\\) `;
  const unexpected = new RegExp(`${callee}got an unexpected keyword argument '(.+)'$`);
  const missing = new RegExp(`${callee}missing \\d+ required positional arguments?: '([^']+)'`);
  const unexpectedName = unexpected.exec(error.message)?.[1];
  if (unexpectedName !== undefined) {
    const message = `got an unexpected keyword argument '${unexpectedName}'`;
    return httpException('UnprocessableEntity', message);
  }
  const missingName = missing.exec(error.message)?.[1];
  if (missingName !== undefined) {
    return httpException('UnprocessableEntity', `missing a required argument: '${missingName}'`);
  }
  return error;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function isMapping(value: unknown): boolean {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
