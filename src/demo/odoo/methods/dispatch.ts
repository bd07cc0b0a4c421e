import { accessError, methodNotFound, OdooException } from '../errors.js';
import type { Env, ModelTable } from '../orm/database.js';
import { bindArguments, type PyParameter } from '../python.js';
import { inSeries, majorOf, type SeriesRange } from '../version.js';
import {
  checkAccess,
  checkAccessRights,
  checkAccessRule,
  hasAccess,
  refuseChange,
} from '../access/checks.js';
import { formattedReadGroup, type FormattedReadGroupParameters } from './formatted-read-group.js';
import {
  browseReadable,
  checkReadKeywords,
  formatRecord,
  idList,
  resolveFields,
  searchRecords,
  visibleRecords,
} from './search.js';
import { displayNameFor, getAvailableModels } from './ir-model.js';
import { readGroup, type ReadGroupParameters } from './read-group.js';
import {
  fieldsGet,
  nameSearch,
  type NameSearchParameters,
  readSpecification,
  webSearchRead,
  type WebSearchReadParameters,
} from './web.js';

/** The arguments of one call, bound to the method's parameters. */
interface MethodCall {
  env: Env;
  table: ModelTable;
  /** The record ids, for methods that run on records (`read`, `has_access`). */
  ids: unknown;
  values: Record<string, unknown>;
  extra: Record<string, unknown>;
}

/** A model method that can be called over RPC, with its Python signature. */
interface RemoteMethod extends SeriesRange {
  name: string;
  /** Whether `args[0]` contains record ids, as for methods without `@api.model`. */
  onRecords: boolean;
  parameters: PyParameter[];
  varKeywords?: boolean;
  qualifiedName?: string;
  /** The only models that have the method; all models when omitted. */
  models?: string[];
  run: (call: MethodCall) => unknown;
}

function required(name: string): PyParameter {
  return { name };
}

function optional(name: string, value: unknown): PyParameter {
  return { name, default: value };
}

const SEARCH = [
  required('domain'),
  optional('offset', 0),
  optional('limit', null),
  optional('order', null),
];

const METHODS: RemoteMethod[] = [
  {
    name: 'search',
    onRecords: false,
    parameters: SEARCH,
    run: ({ env, table, values }) =>
      searchRecords(env, table, values.domain, values).map((record) => record.id),
  },
  {
    name: 'search_count',
    onRecords: false,
    parameters: [required('domain'), optional('limit', null)],
    run: ({ env, table, values }) => {
      const count = visibleRecords(env, table, values.domain).length;
      return typeof values.limit === 'number' && values.limit > 0
        ? Math.min(count, values.limit)
        : count;
    },
  },
  {
    name: 'search_read',
    onRecords: false,
    parameters: [
      optional('domain', null),
      optional('fields', null),
      optional('offset', 0),
      optional('limit', null),
      optional('order', null),
    ],
    varKeywords: true,
    run: ({ env, table, values, extra }) => {
      const fields = resolveFields(env, table, values.fields);
      const records = searchRecords(env, table, values.domain ?? [], values);
      const load = checkReadKeywords(extra);
      return records.map((record) => formatRecord(env, record, fields, load));
    },
  },
  {
    name: 'read',
    onRecords: true,
    parameters: [optional('fields', null), optional('load', '_classic_read')],
    run: ({ env, table, ids, values }) => {
      const fields = resolveFields(env, table, values.fields);
      const records = browseReadable(env, table, ids);
      return records.map((record) => formatRecord(env, record, fields, values.load));
    },
  },
  {
    name: 'fields_get',
    onRecords: false,
    parameters: [optional('allfields', null), optional('attributes', null)],
    run: ({ env, table, values }) => fieldsGet(env, table, values.allfields, values.attributes),
  },
  {
    name: 'name_search',
    onRecords: false,
    until: '18.0',
    parameters: [
      optional('name', ''),
      optional('args', null),
      optional('operator', 'ilike'),
      optional('limit', 100),
    ],
    run: ({ env, table, values }) =>
      nameSearch(env, table, { ...values, domain: values.args } as NameSearchParameters),
  },
  {
    name: 'name_search',
    onRecords: false,
    since: '19.0',
    parameters: [
      optional('name', ''),
      optional('domain', null),
      optional('operator', 'ilike'),
      optional('limit', 100),
    ],
    run: ({ env, table, values }) =>
      nameSearch(env, table, values as unknown as NameSearchParameters),
  },
  {
    name: 'read_group',
    onRecords: false,
    parameters: [
      required('domain'),
      required('fields'),
      required('groupby'),
      optional('offset', 0),
      optional('limit', null),
      optional('orderby', false),
      optional('lazy', true),
    ],
    run: ({ env, table, values }) =>
      readGroup(env, table, values as unknown as ReadGroupParameters).groups,
  },
  {
    name: 'web_read_group',
    onRecords: false,
    until: '18.0',
    parameters: [
      required('domain'),
      required('fields'),
      required('groupby'),
      optional('limit', null),
      optional('offset', 0),
      optional('orderby', false),
      optional('lazy', true),
      optional('expand', false),
      optional('expand_limit', null),
      optional('expand_orderby', false),
    ],
    run: ({ env, table, values }) =>
      readGroup(env, table, values as unknown as ReadGroupParameters),
  },
  {
    name: 'web_read_group',
    onRecords: false,
    since: '19.0',
    parameters: [
      required('domain'),
      optional('groupby', []),
      optional('aggregates', []),
      optional('limit', null),
      optional('offset', 0),
      optional('order', null),
      optional('auto_unfold', false),
      optional('opening_info', null),
      optional('unfold_read_specification', null),
      optional('unfold_read_default_limit', null),
      optional('groupby_read_specification', null),
    ],
    run: ({ env, table, values }) =>
      formattedReadGroup(env, table, { ...values, having: [] } as FormattedReadGroupParameters, {
        alwaysCount: true,
        firstLevelOnly: true,
      }),
  },
  {
    name: 'formatted_read_group',
    onRecords: false,
    since: '19.0',
    parameters: [
      required('domain'),
      optional('groupby', []),
      optional('aggregates', []),
      optional('having', []),
      optional('offset', 0),
      optional('limit', null),
      optional('order', null),
    ],
    run: ({ env, table, values }) =>
      formattedReadGroup(env, table, values as unknown as FormattedReadGroupParameters).groups,
  },
  {
    name: 'web_search_read',
    onRecords: false,
    parameters: [
      required('domain'),
      required('specification'),
      optional('offset', 0),
      optional('limit', null),
      optional('order', null),
      optional('count_limit', null),
    ],
    run: ({ env, table, values }) =>
      webSearchRead(env, table, values as unknown as WebSearchReadParameters),
  },
  {
    name: 'web_read',
    onRecords: true,
    parameters: [required('specification')],
    run: ({ env, table, ids, values }) =>
      readSpecification(env, table, browseReadable(env, table, ids), values.specification),
  },
  {
    name: 'exists',
    onRecords: true,
    parameters: [],
    run: ({ table, ids }) => idList(ids).filter((id) => table.get(id) !== undefined),
  },
  {
    name: 'check_access_rights',
    onRecords: false,
    parameters: [required('operation'), optional('raise_exception', true)],
    run: ({ env, table, values }) =>
      checkAccessRights(env, table, values.operation, values.raise_exception),
  },
  {
    name: 'check_access_rule',
    onRecords: true,
    parameters: [required('operation')],
    run: ({ env, table, ids, values }) => checkAccessRule(env, table, ids, values.operation),
  },
  {
    name: 'check_access',
    onRecords: true,
    since: '18.0',
    parameters: [required('operation')],
    run: ({ env, table, ids, values }) => checkAccess(env, table, ids, values.operation),
  },
  {
    name: 'has_access',
    onRecords: true,
    since: '18.0',
    parameters: [required('operation')],
    run: ({ env, table, ids, values }) => hasAccess(env, table, ids, values.operation),
  },
  {
    name: 'display_name_for',
    onRecords: false,
    models: ['ir.model'],
    qualifiedName: 'IrModel.display_name_for',
    parameters: [required('models')],
    run: ({ env, values }) => displayNameFor(env, values.models),
  },
  {
    name: 'get_available_models',
    onRecords: false,
    models: ['ir.model'],
    qualifiedName: 'IrModel.get_available_models',
    parameters: [],
    run: ({ env }) => getAvailableModels(env),
  },
  {
    name: 'context_get',
    onRecords: false,
    models: ['res.users'],
    qualifiedName: 'ResUsers.context_get',
    parameters: [],
    run: ({ env }) => ({ lang: env.user.lang, tz: env.user.tz, uid: env.uid }),
  },
  {
    name: 'write',
    onRecords: true,
    parameters: [required('vals')],
    run: ({ env, table }) => refuseChange(env, table, 'write'),
  },
  {
    name: 'create',
    onRecords: false,
    parameters: [required('vals_list')],
    run: ({ env, table }) => refuseChange(env, table, 'create'),
  },
  {
    name: 'unlink',
    onRecords: true,
    parameters: [],
    run: ({ env, table }) => refuseChange(env, table, 'unlink'),
  },
];

/**
 * Public methods that Odoo 19.0 refuses to call remotely like private ones: a real 19.0 server
 * answers `exists` with "Private methods (such as 'sale.order.exists') cannot be called
 * remotely." over both JSON-RPC and JSON-2, where 18.0 runs it.
 */
const PRIVATE_SINCE_19 = new Set(['exists']);

/** Builds the AccessError for a method whose name starts with an underscore. */
export function privateMethodError(env: Env, model: string, method: string): OdooException {
  const name = majorOf(env.series) >= 19 ? `'${model}.${method}'` : method;
  return accessError(`Private methods (such as ${name}) cannot be called remotely.`);
}

/** Calls a model method as `odoo.api.call_kw` does: ids split off, then arguments bound. */
export function callMethod(
  env: Env,
  table: ModelTable,
  name: string,
  args: unknown[],
  kwargs: Record<string, unknown>,
): unknown {
  if (PRIVATE_SINCE_19.has(name) && majorOf(env.series) >= 19) {
    throw privateMethodError(env, table.name, name);
  }
  const method = METHODS.find(
    (candidate) =>
      candidate.name === name &&
      inSeries(env.series, candidate) &&
      (candidate.models === undefined || candidate.models.includes(table.name)),
  );
  if (method === undefined) {
    throw methodNotFound(table.name, name);
  }
  let ids: unknown;
  let rest = args;
  if (method.onRecords) {
    if (args.length === 0) {
      throw new OdooException('builtins.IndexError', 'list index out of range');
    }
    [ids, ...rest] = args;
  }
  const signature = {
    qualifiedName: method.qualifiedName ?? `BaseModel.${name}`,
    parameters: method.parameters,
    varKeywords: method.varKeywords,
  };
  const bound = bindArguments(signature, rest, kwargs);
  return method.run({ env, table, ids, values: bound.values, extra: bound.extra });
}
