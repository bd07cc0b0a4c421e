import { createHash } from 'node:crypto';

/** A person of the demo company, with the credentials to reach the demo Odoo as them. */
export interface DemoPerson {
  login: string;
  email: string;
  name: string;
  uid: number;
  /** A 40-digit lowercase hex API key, the same on every start (see `demoApiKey`). */
  apiKey: string;
  password: string;
  /** The person's rights in Odoo in a few words, for banners and docs. */
  role: string;
  /** False for the archived user, whom Odoo does not let sign in. */
  active: boolean;
  /** The person's security groups (XML ids), before implied groups are added. */
  groups: string[];
  /** The ids of the companies the person belongs to; the first is their main company. */
  companyIds: number[];
  /**
   * The person's subject at the Google provider (`res.users.oauth_uid`), which
   * `/auth_oauth/signin` looks up. `demo-<uid>` unless the demo was given another one.
   */
  oauthUid: string;
}

/**
 * Derives the API key of a login: the first 40 hex digits of
 * sha256("odoo-mcp-bridge demo API key:" + login). Odoo's own keys are 40 hex digits too.
 */
export function demoApiKey(login: string): string {
  return createHash('sha256')
    .update(`odoo-mcp-bridge demo API key:${login}`)
    .digest('hex')
    .slice(0, 40);
}

type PersonSpec = Omit<DemoPerson, 'apiKey' | 'oauthUid'>;

const PERSON_SPECS: PersonSpec[] = [
  {
    login: 'admin',
    email: 'admin@yourcompany.example.com',
    name: 'Mitchell Admin',
    uid: 2,
    password: 'admin',
    role: 'Administrator: every right in both companies',
    active: true,
    groups: [
      'base.group_system',
      'base.group_partner_manager',
      'sales_team.group_sale_manager',
      'account.group_account_manager',
      'stock.group_stock_manager',
      'purchase.group_purchase_manager',
    ],
    companyIds: [1, 2],
  },
  {
    login: 'alice@example.com',
    email: 'alice@example.com',
    name: 'Alice Sales',
    uid: 8,
    password: 'alice-password',
    role: 'Sales / User: Own Documents Only, Inventory / User, invoicing (billing)',
    active: true,
    groups: [
      'base.group_user',
      'sales_team.group_sale_salesman',
      'stock.group_stock_user',
      'account.group_account_invoice',
    ],
    companyIds: [1, 2],
  },
  {
    login: 'bob@example.com',
    email: 'bob@example.com',
    name: 'Bob Manager',
    uid: 9,
    password: 'bob-password',
    role: 'Sales / Administrator, accounting manager, Inventory / Administrator',
    active: true,
    groups: [
      'base.group_user',
      'sales_team.group_sale_manager',
      'account.group_account_manager',
      'stock.group_stock_manager',
      'purchase.group_purchase_manager',
    ],
    companyIds: [1, 2],
  },
  {
    login: 'carol@example.com',
    email: 'carol@example.com',
    name: 'Carol Contacts',
    uid: 10,
    password: 'carol-password',
    role: 'Internal user without sales, accounting or inventory rights (contacts, stock quants)',
    active: true,
    groups: ['base.group_user', 'base.group_partner_manager'],
    companyIds: [1],
  },
  {
    login: 'dave@example.com',
    email: 'dave@example.com',
    name: 'Dave Archived',
    uid: 11,
    password: 'dave-password',
    role: 'Archived user: cannot sign in',
    active: false,
    groups: ['base.group_user', 'sales_team.group_sale_salesman'],
    companyIds: [1],
  },
  {
    login: 'pat@example.com',
    email: 'pat@example.com',
    name: 'Pat Portal',
    uid: 12,
    password: 'pat-password',
    role: 'Portal user (a customer contact, not an employee)',
    active: true,
    groups: ['base.group_portal'],
    companyIds: [1],
  },
];

/** Returns the demo people: the administrator, alice, bob, carol, the archived dave and portal pat. */
export function demoPeople(): DemoPerson[] {
  return PERSON_SPECS.map((spec) => ({
    ...spec,
    apiKey: demoApiKey(spec.login),
    oauthUid: `demo-${spec.uid}`,
  }));
}
