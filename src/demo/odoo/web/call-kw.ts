import { errorData, errorResponse, keyError, OdooException, typeError } from '../errors.js';
import { callMethod, privateMethodError } from '../methods/dispatch.js';
import { type Context, type DemoDatabase, type DemoRecord, Env } from '../orm/database.js';
import { bindArguments, pyTypeName } from '../python.js';
import { majorOf } from '../version.js';

const CALL_KW_PARAMETERS = ['model', 'method', 'args', 'kwargs', 'path'];

/**
 * Runs `/web/dataset/call_kw` as the session's user: the same method dispatch, access rights and
 * record rules as `execute_kw`, with `kwargs.context` as the call's context. Failures are
 * thrown as OdooException.
 */
export function callKw(
  db: DemoDatabase,
  user: DemoRecord,
  params: Record<string, unknown>,
): unknown {
  // Odoo's route wrapper drops the parameters the endpoint does not take.
  const known = Object.fromEntries(
    Object.entries(params).filter(([key]) => CALL_KW_PARAMETERS.includes(key)),
  );
  const { values } = bindArguments(
    {
      qualifiedName: 'DataSet.call_kw',
      parameters: [
        { name: 'model' },
        { name: 'method' },
        { name: 'args' },
        { name: 'kwargs' },
        { name: 'path', default: null },
      ],
    },
    [],
    known,
  );
  const model = String(values.model);
  const method = String(values.method);
  if (method.startsWith('_')) {
    throw privateMethodError(new Env(db, user, {}), model, method);
  }
  const table = db.table(model);
  if (table === undefined) {
    // 17.0 looks the model up with `request.env[model]`. Later series return 404 before this.
    throw keyError(model);
  }
  const { context, ...kwargs } = keywordArguments(method, values.kwargs);
  const env = new Env(db, user, isMapping(context) ? (context as Context) : {});
  return callMethod(env, table, method, positionalArguments(method, values.args), kwargs);
}

/**
 * Returns the error Odoo 18.0 and later send before authenticating when `params.model` names no
 * model: the route's `readonly` check looks the model up first. Returns undefined otherwise.
 * NOTE: not recorded. The texts are werkzeug's NotFound and Odoo's JSON-RPC 404 envelope.
 */
export function unknownModelResponse(
  db: DemoDatabase,
  params: Record<string, unknown> | undefined,
): Record<string, unknown> | undefined {
  if (majorOf(db.series) < 18 || params === undefined) {
    return undefined;
  }
  if (!('model' in params)) {
    return errorResponse(db.series, null, keyError('model'), '_call_kw_readonly');
  }
  if (typeof params.model === 'string' && db.table(params.model) !== undefined) {
    return undefined;
  }
  const notFound = new OdooException(
    'werkzeug.exceptions.NotFound',
    '404 Not Found: The requested URL was not found on the server. If you entered the URL ' +
      'manually please check your spelling and try again.',
  );
  const data = { ...errorData(db.series, notFound, '_call_kw_readonly'), arguments: [] };
  return { jsonrpc: '2.0', id: null, error: { code: 404, message: '404: Not Found', data } };
}

// NOTE: not recorded. The TypeError texts for `args` and `kwargs` of the wrong type follow
// CPython's for `method(*args, **kwargs)`.
function positionalArguments(method: string, args: unknown): unknown[] {
  if (!Array.isArray(args)) {
    throw typeError(`${method}() argument after * must be an iterable, not ${pyTypeName(args)}`);
  }
  return args;
}

function keywordArguments(method: string, kwargs: unknown): Record<string, unknown> {
  if (!isMapping(kwargs)) {
    throw typeError(`${method}() argument after ** must be a mapping, not ${pyTypeName(kwargs)}`);
  }
  return kwargs as Record<string, unknown>;
}

function isMapping(value: unknown): boolean {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
