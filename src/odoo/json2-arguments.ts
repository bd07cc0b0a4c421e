import { OdooError } from './errors.js';

/**
 * The JSON-2 API takes named arguments only: the body is one JSON object whose keys are the
 * method's parameters, with record ids in `ids` and the context in `context`. Calls come in
 * execute_kw style (positional `args`, then `kwargs`), so the positional arguments are named
 * here from the method's Python signature.
 */

/** The positional parameters of a model method. */
interface MethodParameters {
  /** Whether the method runs on records, so that `args[0]` contains their ids. */
  onRecords: boolean;
  /** The parameter names after `self`, in order, without the ids. */
  names: readonly string[];
}

function onModel(...names: string[]): MethodParameters {
  return { onRecords: false, names };
}

function onRecords(...names: string[]): MethodParameters {
  return { onRecords: true, names };
}

/**
 * Signatures of Odoo 19.0, keyed by method for the methods every model has and by
 * "model.method" for the others. The JSON-2 API exists from 19.0 on, so older signatures
 * (`name_search(name, args, …)` of 18.0) do not matter here.
 */
const SIGNATURES: ReadonlyMap<string, MethodParameters> = new Map([
  ['search', onModel('domain', 'offset', 'limit', 'order')],
  ['search_count', onModel('domain', 'limit')],
  ['search_read', onModel('domain', 'fields', 'offset', 'limit', 'order')],
  ['read', onRecords('fields', 'load')],
  ['write', onRecords('vals')],
  ['create', onModel('vals_list')],
  ['unlink', onRecords()],
  ['exists', onRecords()],
  ['fields_get', onModel('allfields', 'attributes')],
  ['name_search', onModel('name', 'domain', 'operator', 'limit')],
  ['read_group', onModel('domain', 'fields', 'groupby', 'offset', 'limit', 'orderby', 'lazy')],
  [
    'formatted_read_group',
    onModel('domain', 'groupby', 'aggregates', 'having', 'offset', 'limit', 'order'),
  ],
  ['web_search_read', onModel('domain', 'specification', 'offset', 'limit', 'order')],
  ['web_read_group', onModel('domain', 'groupby', 'aggregates', 'limit', 'offset', 'order')],
  ['web_read', onRecords('specification')],
  ['check_access', onRecords('operation')],
  ['has_access', onRecords('operation')],
  ['ir.model.display_name_for', onModel('models')],
  ['ir.model.get_available_models', onModel()],
  ['res.users.context_get', onModel()],
  ['res.users.apikeys.generate', onModel('key', 'scope', 'name', 'expiration_date')],
  ['res.users.apikeys.revoke', onModel('key')],
]);

/**
 * Builds the JSON-2 body of an execute_kw-style call. Keyword arguments, `context` included,
 * pass through by name. Raises an `invalid_request` error for positional arguments of a
 * method whose signature is not listed, for too many of them, and for an argument given both
 * ways.
 */
export function namedArguments(
  model: string,
  method: string,
  args: readonly unknown[],
  kwargs: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  const entries: Array<[string, unknown]> = [];
  if (args.length > 0) {
    entries.push(...namePositionalArguments(model, method, args));
  }
  const positionalNames = new Set(entries.map(([name]) => name));
  for (const [name, value] of Object.entries(kwargs)) {
    if (positionalNames.has(name)) {
      const message = `${model}.${method} got "${name}" both as a positional and as a keyword argument.`;
      throw new OdooError('invalid_request', message, { model, method });
    }
    entries.push([name, value]);
  }
  // Object.fromEntries makes a key such as "__proto__" an own property, unlike assignment.
  return Object.fromEntries(entries);
}

function namePositionalArguments(
  model: string,
  method: string,
  args: readonly unknown[],
): Array<[string, unknown]> {
  const signature = SIGNATURES.get(`${model}.${method}`) ?? SIGNATURES.get(method);
  if (signature === undefined) {
    throw unknownSignature(model, method);
  }
  const entries: Array<[string, unknown]> = [];
  let positional = args;
  if (signature.onRecords) {
    entries.push(['ids', args[0]]);
    positional = args.slice(1);
  }
  if (positional.length > signature.names.length) {
    throw tooManyArguments(model, method, signature, positional.length);
  }
  positional.forEach((value, index) => {
    entries.push([signature.names[index] as string, value]);
  });
  return entries;
}

function unknownSignature(model: string, method: string): OdooError {
  const message =
    `The bridge does not know the parameter names of ${model}.${method}, so it cannot send ` +
    "its positional arguments over Odoo's JSON-2 API, which takes named arguments only. " +
    'Pass every argument by name in kwargs, with the record ids as "ids".';
  return new OdooError('invalid_request', message, { model, method });
}

function tooManyArguments(
  model: string,
  method: string,
  signature: MethodParameters,
  count: number,
): OdooError {
  const names = signature.onRecords ? ['ids', ...signature.names] : signature.names;
  const listed = names.length === 0 ? 'none' : names.join(', ');
  const givenCount = signature.onRecords ? count + 1 : count;
  const message =
    `${model}.${method} takes at most ${countOf(names.length, 'positional argument')} ` +
    `(${listed}), but ${givenCount} ${givenCount === 1 ? 'was' : 'were'} given.`;
  return new OdooError('invalid_request', message, { model, method });
}

function countOf(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
