import { hasModelAccess } from '../access/checks.js';
import { typeError } from '../errors.js';
import type { Env } from '../orm/database.js';
import { pyTypeName } from '../python.js';

/** One entry of `display_name_for` and `get_available_models`, keys in Odoo's order. */
interface ModelDisplayName {
  display_name: unknown;
  model: unknown;
}

/**
 * Implements `ir.model.display_name_for(models)` of Odoo's `web` module: returns the labels of
 * the models the caller may use in the web client's model selector, then the other names as
 * given, each with itself as label. Odoo 18.0 makes no difference between a model that does not
 * exist and one the caller may not read.
 * NOTE: written from the 18.0 source. No recording covers 17.0 or 19.0, whose web clients call
 * the same methods from their model selector, so the demo offers them on every series.
 */
export function displayNameFor(env: Env, models: unknown): ModelDisplayName[] {
  const names = pyIterate(models);
  const valid = names.filter((name) => isValidForModelSelector(env, name));
  const invalid = names.filter((name) => !valid.includes(name));
  return [
    ...modelLabels(env, valid as string[]),
    ...invalid.map((name) => ({ display_name: name, model: name })),
  ];
}

/** Implements `ir.model.get_available_models()`: the label of every model the caller may select. */
export function getAvailableModels(env: Env): ModelDisplayName[] {
  const names = [...env.db.tables.keys()].filter((name) => isValidForModelSelector(env, name));
  return modelLabels(env, names);
}

/**
 * Checks as Odoo's `_is_valid_for_model_selector` does that the caller is an internal user and
 * that the model exists and may be read under its access rights. Odoo also leaves out transient
 * and abstract models, of which the demo has none.
 */
function isValidForModelSelector(env: Env, name: unknown): boolean {
  const table = typeof name === 'string' ? env.db.table(name) : undefined;
  return (
    env.hasGroup('base.group_user') && table !== undefined && hasModelAccess(env, table, 'read')
  );
}

/** Reads the labels from ir.model as the superuser, in its order (by technical name). */
function modelLabels(env: Env, names: string[]): ModelDisplayName[] {
  const wanted = new Set(names);
  return env.db
    .require('ir.model')
    .all()
    .filter((record) => wanted.has(String(record.model)))
    .sort((a, b) => (String(a.model) < String(b.model) ? -1 : 1))
    .map((record) => ({ display_name: record.name, model: record.model }));
}

/** Iterates as Python's `for` does: a list's items, a string's characters, a dict's keys. */
function pyIterate(value: unknown): unknown[] {
  if (Array.isArray(value)) {
    return value;
  }
  if (typeof value === 'string') {
    return [...value];
  }
  if (value !== null && typeof value === 'object') {
    return Object.keys(value);
  }
  throw typeError(`'${pyTypeName(value)}' object is not iterable`);
}
