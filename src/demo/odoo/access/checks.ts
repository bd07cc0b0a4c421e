import { accessError, type OdooException, valueError } from '../errors.js';
import type { Env, ModelTable } from '../orm/database.js';
import { inSeries } from '../version.js';
import { groupByXmlid, sortForMessage } from './groups.js';
import { andDomains, orDomains, parseDomain } from '../domain/parse.js';
import { compileDomain, type RecordPredicate } from '../domain/evaluate.js';
import { browseExisting, idList } from '../methods/search.js';

export type Operation = 'read' | 'write' | 'create' | 'unlink';

export const OPERATIONS: readonly Operation[] = ['read', 'write', 'create', 'unlink'];

const VERBS: Record<Operation, string> = {
  read: 'access',
  write: 'modify',
  create: 'create',
  unlink: 'delete',
};

/**
 * Returns the groups whose access rights (ir.model.access) allow an operation on a model. The demo
 * database is read-only, so no group may write, create or delete.
 */
export function allowedGroups(table: ModelTable, operation: Operation): string[] {
  return operation === 'read' ? table.spec.readGroups : [];
}

export function hasModelAccess(env: Env, table: ModelTable, operation: Operation): boolean {
  return allowedGroups(table, operation).some((xmlid) => env.hasGroup(xmlid));
}

/** Raises Odoo's AccessError unless the user's groups allow the operation on the model. */
export function checkModelAccess(env: Env, table: ModelTable, operation: Operation): void {
  if (!hasModelAccess(env, table, operation)) {
    throw modelAccessError(env, table, operation);
  }
}

/** Builds the AccessError for missing access rights, which lists the groups that would allow it. */
export function modelAccessError(env: Env, table: ModelTable, operation: Operation): OdooException {
  const series = env.series;
  const specs = allowedGroups(table, operation)
    .map((xmlid) => groupByXmlid(xmlid))
    .filter((spec) => inSeries(series, spec));
  const names = sortForMessage(specs, series);
  // NOTE: no recording has an operation that no group allows; this branch's text is Odoo's
  // wording as remembered, not recorded.
  const groupInfo =
    names.length === 0
      ? 'No group currently allows this operation.'
      : 'This operation is allowed for the following groups:\n' +
        names.map((name) => `\t- ${name}`).join('\n');
  return accessError(
    `You are not allowed to ${VERBS[operation]} '${table.spec.description}' (${table.name}) ` +
      `records.\n\n${groupInfo}\n\nContact your administrator to request access if necessary.`,
  );
}

/**
 * A record rule (ir.rule). A rule without groups is global and always applies. Rules of the
 * user's groups are combined with OR, so the most generous one wins, and the result is
 * combined with the global rules with AND, as in Odoo.
 */
interface RecordRule {
  name: string;
  model: string;
  groups: string[];
  domain: (env: Env) => unknown[];
}

const OWN_OR_NOBODY = (field: string) => (env: Env) => [
  '|',
  [field, '=', env.uid],
  [field, '=', false],
];

const EVERYTHING = () => [[1, '=', 1]];

const CUSTOMER_MOVES = ['out_invoice', 'out_refund'];

const RULES: RecordRule[] = [
  rule(
    'Personal Orders',
    'sale.order',
    ['sales_team.group_sale_salesman'],
    OWN_OR_NOBODY('user_id'),
  ),
  rule('All Orders', 'sale.order', ['sales_team.group_sale_salesman_all_leads'], EVERYTHING),
  rule(
    'Personal Order Lines',
    'sale.order.line',
    ['sales_team.group_sale_salesman'],
    OWN_OR_NOBODY('salesman_id'),
  ),
  rule(
    'All Orders Lines',
    'sale.order.line',
    ['sales_team.group_sale_salesman_all_leads'],
    EVERYTHING,
  ),
  rule('Personal Invoices', 'account.move', ['sales_team.group_sale_salesman'], (env) => [
    ['move_type', 'in', CUSTOMER_MOVES],
    ...OWN_OR_NOBODY('invoice_user_id')(env),
  ]),
  rule('All Invoices', 'account.move', ['sales_team.group_sale_salesman_all_leads'], () => [
    ['move_type', 'in', CUSTOMER_MOVES],
  ]),
  rule(
    'Readonly Move',
    'account.move',
    ['account.group_account_invoice', 'account.group_account_readonly'],
    EVERYTHING,
  ),
  rule('Personal Invoice Lines', 'account.move.line', ['sales_team.group_sale_salesman'], (env) => [
    ['move_id.move_type', 'in', CUSTOMER_MOVES],
    ...OWN_OR_NOBODY('move_id.invoice_user_id')(env),
  ]),
  rule(
    'Readonly Move Line',
    'account.move.line',
    ['account.group_account_invoice', 'account.group_account_readonly'],
    EVERYTHING,
  ),
  rule('API keys: own keys', 'res.users.apikeys', ['base.group_user'], (env) => [
    ['user_id', '=', env.uid],
  ]),
  rule('API keys: administrators', 'res.users.apikeys', ['base.group_system'], EVERYTHING),
  rule('Companies: allowed companies', 'res.company', [], (env) => [
    ['id', 'in', env.companyIds()],
  ]),
];

function rule(
  name: string,
  model: string,
  groups: string[],
  domain: (env: Env) => unknown[],
): RecordRule {
  return { name, model, groups, domain };
}

/** Builds the multi-company rule Odoo defines on every model with a company. */
function companyDomain(env: Env): unknown[] {
  return ['|', ['company_id', '=', false], ['company_id', 'in', env.companyIds()]];
}

/** Combines the rules that apply to the user into one domain, [] when none restricts. */
export function ruleDomain(env: Env, table: ModelTable): unknown[] {
  const rules = RULES.filter((candidate) => candidate.model === table.name);
  const globals = rules.filter((candidate) => candidate.groups.length === 0);
  const grouped = rules.filter((candidate) =>
    candidate.groups.some((xmlid) => env.hasGroup(xmlid)),
  );
  const parts = globals.map((candidate) => candidate.domain(env));
  if (table.hasCompany) {
    parts.push(companyDomain(env));
  }
  if (grouped.length > 0) {
    parts.push(orDomains(grouped.map((candidate) => candidate.domain(env))));
  }
  return andDomains(parts);
}

/** Builds a predicate that is true for the records the rules let the user see. */
export function rulePredicate(env: Env, table: ModelTable): RecordPredicate {
  const domain = ruleDomain(env, table);
  if (domain.length === 0) {
    return () => true;
  }
  return compileDomain(env, parseDomain(env.db, table, domain));
}

/**
 * Builds the AccessError for records the rules hide. Odoo lists the failing rules and records only
 * for members of "Technical Features", and no demo user is one.
 */
export function recordRuleError(env: Env, table: ModelTable, operation: Operation): OdooException {
  return accessError(
    'Uh-oh! Looks like you have stumbled upon some top-secret records.\n\n' +
      `Sorry, ${String(env.user.name)} (id=${env.uid}) doesn't have '${operation}' access to:\n` +
      `- ${table.spec.description} (${table.name})\n\n` +
      'If you really, really need access, perhaps you can win over your friendly administrator ' +
      'with a batch of freshly baked cookies.',
  );
}

function asOperation(operation: unknown): Operation {
  if (!OPERATIONS.includes(operation as Operation)) {
    throw valueError(`Invalid access mode ${JSON.stringify(operation)}`);
  }
  return operation as Operation;
}

/** `check_access_rights(operation, raise_exception=True)`: the model's access rights only. */
export function checkAccessRights(
  env: Env,
  table: ModelTable,
  operation: unknown,
  raiseException: unknown,
): boolean {
  const mode = asOperation(operation);
  if (raiseException !== false) {
    checkModelAccess(env, table, mode);
    return true;
  }
  return hasModelAccess(env, table, mode);
}

/** `check_access_rule(operation)`: the record rules on the given records, which must exist. */
export function checkAccessRule(
  env: Env,
  table: ModelTable,
  ids: unknown,
  operation: unknown,
): null {
  const mode = asOperation(operation);
  const records = browseExisting(env, table, ids);
  const allowed = rulePredicate(env, table);
  if (records.some((record) => !allowed(record))) {
    throw recordRuleError(env, table, mode);
  }
  return null;
}

/** `check_access(operation)` (18.0+): access rights, then record rules. */
export function checkAccess(env: Env, table: ModelTable, ids: unknown, operation: unknown): null {
  checkModelAccess(env, table, asOperation(operation));
  return checkAccessRule(env, table, ids, operation);
}

/** `has_access(operation)` (18.0+): whether `check_access` would pass, as a boolean. */
export function hasAccess(env: Env, table: ModelTable, ids: unknown, operation: unknown): boolean {
  const mode = asOperation(operation);
  if (!hasModelAccess(env, table, mode)) {
    return false;
  }
  const allowed = rulePredicate(env, table);
  return idList(ids).every((id) => {
    const record = table.get(id);
    return record !== undefined && allowed(record);
  });
}

/**
 * Raises the AccessError of a write, create or delete. The demo database is read-only, so
 * Odoo's access-rights check refuses these for everyone before anything else is looked at.
 */
export function refuseChange(env: Env, table: ModelTable, operation: Operation): never {
  checkModelAccess(env, table, operation);
  throw new Error(`The demo allowed ${operation} on ${table.name}, which it never should`);
}
