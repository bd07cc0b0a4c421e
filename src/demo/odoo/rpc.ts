import {
  accessDenied,
  keyError,
  missingError,
  OdooException,
  typeError,
  unknownDatabase,
  valueError,
} from './errors.js';
import { passwordMatches } from './credentials.js';
import { callMethod, privateMethodError } from './methods/dispatch.js';
import { type Context, type DemoDatabase, type DemoRecord, Env } from './orm/database.js';
import { bindArguments, pyRepr, pyTypeName } from './python.js';
import { versionInfo } from './version.js';

/**
 * Serves one `/jsonrpc` call, whose `params` contain `service`, `method` and `args` as Odoo's
 * `dispatch_rpc` takes them. Failures are thrown as OdooException.
 */
export function dispatchRpc(db: DemoDatabase, params: Record<string, unknown>): unknown {
  const bound = bindArguments(
    {
      qualifiedName: 'RPC.jsonrpc',
      parameters: [{ name: 'service' }, { name: 'method' }, { name: 'args' }],
    },
    [],
    pickKeys(params, ['service', 'method', 'args']),
  );
  const service = String(bound.values.service);
  const method = String(bound.values.method);
  const args = Array.isArray(bound.values.args) ? bound.values.args : [];
  switch (service) {
    case 'common':
      return dispatchCommon(db, method, args);
    case 'object':
      return dispatchObject(db, method, args);
    case 'db':
      return dispatchDb(db, method);
    default:
      throw keyError(service);
  }
}

/** Odoo's route wrapper drops parameters the endpoint does not take. */
function pickKeys(params: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(params).filter(([key]) => keys.includes(key)));
}

function dispatchCommon(db: DemoDatabase, method: string, args: unknown[]): unknown {
  const parameters = {
    version: [],
    login: ['db', 'login', 'password'],
    authenticate: ['db', 'login', 'password', 'user_agent_env'],
  }[method];
  if (parameters === undefined) {
    throw new OdooException('builtins.Exception', `Method not found: ${method}`);
  }
  const { values } = bindArguments(
    { qualifiedName: `exp_${method}`, parameters: parameters.map((name) => ({ name })) },
    args,
    {},
  );
  if (method === 'version') {
    return versionInfo(db.series);
  }
  checkDatabase(db, values.db);
  return authenticate(db, values.login, values.password);
}

function dispatchDb(db: DemoDatabase, method: string): unknown {
  if (method === 'list') {
    return [db.name];
  }
  if (method === 'server_version') {
    return db.series;
  }
  throw keyError(`exp_${method}`);
}

function checkDatabase(db: DemoDatabase, name: unknown): void {
  if (name !== db.name) {
    throw unknownDatabase(String(name));
  }
}

/**
 * `common.authenticate` and `common.login`: the uid of the active user with this login
 * whose password or API key matches, or `false` (never an error) otherwise.
 */
function authenticate(db: DemoDatabase, login: unknown, password: unknown): number | false {
  const users = db.require('res.users');
  const user = users.all().find((record) => record.login === login && record.active === true);
  if (user === undefined || !credentialMatches(db, user, password)) {
    return false;
  }
  return user.id;
}

function credentialMatches(db: DemoDatabase, user: DemoRecord, password: unknown): boolean {
  return passwordMatches(db, user, password, { apiKeys: true });
}

/** Python's `int(value)` on the uid of an `object` call. */
function toUid(value: unknown): number {
  if (typeof value === 'number') {
    return Math.trunc(value);
  }
  if (typeof value === 'boolean') {
    return Number(value);
  }
  if (typeof value === 'string' && /^\s*[+-]?\d+\s*$/.test(value)) {
    return Number(value);
  }
  if (typeof value === 'string') {
    throw valueError(`invalid literal for int() with base 10: ${pyRepr(value)}`);
  }
  throw typeError(
    'int() argument must be a string, a bytes-like object or a real number, ' +
      `not '${pyTypeName(value)}'`,
  );
}

/**
 * Checks the uid and password of an `object` call as `res.users.check` does: an empty
 * password or an archived user is AccessDenied, an unknown uid a MissingError.
 */
function checkUser(db: DemoDatabase, uid: number, password: unknown): DemoRecord {
  if (typeof password !== 'string' || password === '') {
    throw accessDenied();
  }
  const user = db.require('res.users').get(uid);
  if (user === undefined) {
    throw missingError('res.users', [uid], uid);
  }
  if (user.active !== true || !credentialMatches(db, user, password)) {
    throw accessDenied();
  }
  return user;
}

function dispatchObject(db: DemoDatabase, method: string, args: unknown[]): unknown {
  if (method !== 'execute_kw' && method !== 'execute') {
    throw new OdooException('builtins.NameError', `Method not available ${method}`);
  }
  if (args.length < 3) {
    throw new OdooException('builtins.IndexError', 'list index out of range');
  }
  const uid = toUid(args[1]);
  checkDatabase(db, args[0]);
  const user = checkUser(db, uid, args[2]);
  if (method === 'execute') {
    const [model, name, ...rest] = args.slice(3);
    return executeKw(db, user, [model, name, rest, {}]);
  }
  return executeKw(db, user, args.slice(3));
}

function executeKw(db: DemoDatabase, user: DemoRecord, params: unknown[]): unknown {
  const { values } = bindArguments(
    {
      qualifiedName: 'execute_kw',
      parameters: [
        { name: 'obj' },
        { name: 'method' },
        { name: 'args' },
        { name: 'kw', default: null },
      ],
    },
    params,
    {},
  );
  const model = String(values.obj);
  const method = String(values.method);
  const base = new Env(db, user, {});
  if (method.startsWith('_')) {
    throw privateMethodError(base, model, method);
  }
  const table = db.require(model);
  const args = spreadArguments(values.args);
  const kwargs = mappingArguments(values.kw);
  const { context, ...rest } = kwargs;
  const env = new Env(db, user, isObject(context) ? (context as Context) : {});
  return callMethod(env, table, method, args, rest);
}

/** Python's `*args`: a list as is, a string as its characters, a dict as its keys. */
function spreadArguments(args: unknown): unknown[] {
  if (Array.isArray(args)) {
    return args;
  }
  if (typeof args === 'string') {
    return [...args];
  }
  if (isObject(args)) {
    return Object.keys(args as object);
  }
  throw typeError(
    `odoo.service.model.execute() argument after * must be an iterable, not ${pyTypeName(args)}`,
  );
}

function mappingArguments(kw: unknown): Record<string, unknown> {
  if (kw === null || kw === undefined || kw === false) {
    return {};
  }
  if (!isObject(kw)) {
    throw typeError(
      `odoo.service.model.execute() argument after ** must be a mapping, not ${pyTypeName(kw)}`,
    );
  }
  return kw as Record<string, unknown>;
}

function isObject(value: unknown): boolean {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
