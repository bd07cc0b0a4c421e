import { bySeries, inSeries, majorOf, type OdooSeries, type SeriesRange } from '../version.js';

/** A security group (res.groups) with its name per series, as AccessError texts print it. */
export interface GroupSpec extends SeriesRange {
  id: number;
  xmlid: string;
  /** The group's name, per series where it changed. */
  name: Partial<Record<OdooSeries, string>>;
  /** The category (17.0, 18.0) or privilege (19.0) prefix; `false` where the group has none. */
  category: Partial<Record<OdooSeries, string | false>>;
  /** Groups whose members are also members of this one, so their rights add up. */
  implied?: string[];
}

const ALL = '17.0';

export const GROUPS: GroupSpec[] = [
  group(1, 'base.group_user', { [ALL]: 'Internal User', '19.0': 'Role / User' }, userTypes()),
  group(2, 'base.group_portal', { [ALL]: 'Portal', '19.0': 'Role / Portal' }, userTypes()),
  group(3, 'base.group_public', { [ALL]: 'Public', '19.0': 'Role / Public' }, userTypes()),
  group(4, 'base.group_erp_manager', { [ALL]: 'Access Rights' }, { [ALL]: 'Administration' }, [
    'base.group_user',
  ]),
  group(5, 'base.group_system', { [ALL]: 'Settings' }, { [ALL]: 'Administration' }, [
    'base.group_erp_manager',
  ]),
  group(6, 'base.group_partner_manager', { [ALL]: 'Contact Creation' }, { [ALL]: 'Extra Rights' }),
  group(7, 'base.group_no_one', { [ALL]: 'Technical Features' }, { [ALL]: 'Technical' }),
  group(10, 'sales_team.group_sale_salesman', { [ALL]: 'User: Own Documents Only' }, sales(), [
    'base.group_user',
  ]),
  group(11, 'sales_team.group_sale_salesman_all_leads', { [ALL]: 'User: All Documents' }, sales(), [
    'sales_team.group_sale_salesman',
  ]),
  group(12, 'sales_team.group_sale_manager', { [ALL]: 'Administrator' }, sales(), [
    'sales_team.group_sale_salesman_all_leads',
  ]),
  group(
    20,
    'account.group_account_invoice',
    { [ALL]: 'Billing', '18.0': 'Invoicing' },
    accounting(),
    ['base.group_user'],
  ),
  group(
    21,
    'account.group_account_manager',
    { [ALL]: 'Billing Administrator', '18.0': 'Administrator' },
    accounting(),
    ['account.group_account_invoice'],
  ),
  group(
    22,
    'account.group_account_readonly',
    { [ALL]: 'Show Accounting Features - Readonly' },
    technical(),
    ['base.group_user'],
  ),
  group(23, 'account.group_account_user', { [ALL]: 'Show Full Accounting Features' }, technical(), [
    'account.group_account_invoice',
    'account.group_account_readonly',
  ]),
  group(30, 'stock.group_stock_user', { [ALL]: 'User' }, { [ALL]: 'Inventory' }, [
    'base.group_user',
  ]),
  group(31, 'stock.group_stock_manager', { [ALL]: 'Administrator' }, { [ALL]: 'Inventory' }, [
    'stock.group_stock_user',
  ]),
  // Purchase is installed in the 17.0 and 18.0 recordings only.
  {
    ...group(40, 'purchase.group_purchase_user', { [ALL]: 'User' }, { [ALL]: 'Purchase' }, [
      'base.group_user',
    ]),
    until: '18.0',
  },
  {
    ...group(
      41,
      'purchase.group_purchase_manager',
      { [ALL]: 'Administrator' },
      { [ALL]: 'Purchase' },
      ['purchase.group_purchase_user'],
    ),
    until: '18.0',
  },
];

function group(
  id: number,
  xmlid: string,
  name: GroupSpec['name'],
  category: GroupSpec['category'],
  implied: string[] = [],
): GroupSpec {
  return { id, xmlid, name, category, implied };
}

function userTypes(): GroupSpec['category'] {
  return { [ALL]: 'User types', '19.0': false };
}

function sales(): GroupSpec['category'] {
  return { [ALL]: 'Sales' };
}

function accounting(): GroupSpec['category'] {
  return { [ALL]: 'Invoicing', '19.0': 'Accounting' };
}

function technical(): GroupSpec['category'] {
  return { [ALL]: 'Technical', '19.0': false };
}

export function groupsOf(series: OdooSeries): GroupSpec[] {
  return GROUPS.filter((spec) => inSeries(series, spec));
}

export function groupByXmlid(xmlid: string): GroupSpec {
  const spec = GROUPS.find((candidate) => candidate.xmlid === xmlid);
  if (spec === undefined) {
    throw new Error(`Unknown demo group ${xmlid}`);
  }
  return spec;
}

export function groupName(spec: GroupSpec, series: OdooSeries): string {
  return bySeries(series, spec.name);
}

/** Returns the name Odoo prints for a group: "Category/Name", or the bare name without one. */
export function groupFullName(spec: GroupSpec, series: OdooSeries): string {
  const category = bySeries(series, spec.category);
  const name = groupName(spec, series);
  return category === false ? name : `${category}/${name}`;
}

/**
 * Returns the groups a member of `xmlids` belongs to, implied groups included. Groups of
 * modules the series does not install are left out.
 */
export function impliedClosure(xmlids: string[], series: OdooSeries): Set<string> {
  const closure = new Set<string>();
  const pending = [...xmlids];
  while (pending.length > 0) {
    const xmlid = pending.pop()!;
    const spec = groupByXmlid(xmlid);
    if (closure.has(xmlid) || !inSeries(series, spec)) {
      continue;
    }
    closure.add(xmlid);
    pending.push(...(spec.implied ?? []));
  }
  return closure;
}

/**
 * Sorts groups as the AccessError texts list them. Up to 18.0 every group has a category and
 * the list is alphabetical; 19.0 lists the groups with a privilege first.
 */
export function sortForMessage(specs: GroupSpec[], series: OdooSeries): string[] {
  const keyed = specs.map((spec) => {
    const withoutCategory = majorOf(series) >= 19 && bySeries(series, spec.category) === false;
    return { rank: withoutCategory ? 1 : 0, name: groupFullName(spec, series) };
  });
  keyed.sort((a, b) => {
    if (a.rank !== b.rank) {
      return a.rank - b.rank;
    }
    // Python sorts strings by code point, as `<` does.
    return a.name < b.name ? -1 : Number(a.name > b.name);
  });
  return keyed.map((entry) => entry.name);
}

/**
 * The groups whose access rights let them read a model. The lists for sale.order, account.move
 * and ir.model are the groups that the recorded AccessError texts of Odoo 17.0-19.0 name. The
 * other lists follow the demo's needs.
 */

/** Every kind of user, portal and public included (contacts, countries, currencies). */
export const EVERYONE = ['base.group_user', 'base.group_portal', 'base.group_public'];

/** Internal users only. */
export const INTERNAL_USERS = ['base.group_user'];

/** sale.order and its lines. */
export const SALES_READERS = [
  'stock.group_stock_user',
  'account.group_account_invoice',
  'sales_team.group_sale_manager',
  'sales_team.group_sale_salesman',
  'account.group_account_readonly',
  'account.group_account_user',
  'base.group_portal',
];

/** account.move and its lines. */
export const INVOICE_READERS = [
  'account.group_account_manager',
  'account.group_account_invoice',
  'purchase.group_purchase_user',
  'sales_team.group_sale_salesman',
  'account.group_account_readonly',
  'base.group_portal',
];

/** Stock rules and other inventory configuration. */
export const STOCK_USERS = ['stock.group_stock_user'];

/** ir.model and ir.model.fields: "Administration/Access Rights". */
export const ACCESS_RIGHTS_MANAGERS = ['base.group_erp_manager'];

export const SETTINGS_MANAGERS = ['base.group_system'];
