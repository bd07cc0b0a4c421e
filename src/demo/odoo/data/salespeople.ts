import { randomBytes } from 'node:crypto';
import { groupByXmlid, impliedClosure } from '../access/groups.js';
import type { DemoDatabase, DemoRecord, FieldValue } from '../orm/database.js';
import { isToMany } from '../orm/fields.js';
import { demoApiKey, type DemoPerson } from '../people.js';
import { majorOf } from '../version.js';
import { addToGroup, insertPartner, insertRecord, odooNow } from '../web/signup.js';
import { GOOGLE_PROVIDER_ID } from './base-data.js';

/** The groups of "Sales / User: Own Documents Only", alice's sales rights. */
const SALESPERSON_GROUPS = ['base.group_user', 'sales_team.group_sale_salesman'];

/** A salesperson added after the demo data were built, with the one quotation they own. */
export interface AddedSalesperson {
  person: DemoPerson;
  orderId: number;
}

/**
 * Adds an internal user with "Sales / User: Own Documents Only" rights in the first company,
 * the API key `demoApiKey(login)`, and one empty quotation whose salesperson they are. Load
 * and isolation tests add many of them, each with a record that the others may not read.
 */
export function addSalesperson(db: DemoDatabase, login: string, name: string): AddedSalesperson {
  const users = db.require('res.users');
  if (users.all().some((user) => user.login === login)) {
    throw new Error(`The demo Odoo already has a user with the login ${login}`);
  }
  const now = odooNow();
  const uid = Math.max(0, ...users.records.keys()) + 1;
  const partner = insertPartner(db, { name, email: login }, uid, now);

  const groups = impliedClosure(SALESPERSON_GROUPS, db.series);
  const groupIds = [...groups].map((xmlid) => groupByXmlid(xmlid).id).sort((a, b) => a - b);
  insertRecord(db, users, now, {
    id: uid,
    login,
    name,
    email: login,
    partner_id: partner.id,
    active: true,
    company_id: 1,
    company_ids: [1],
    groups_id: groupIds,
    group_ids: SALESPERSON_GROUPS.map((xmlid) => groupByXmlid(xmlid).id),
    all_group_ids: groupIds,
    share: false,
    lang: 'en_US',
    tz: false,
    oauth_provider_id: GOOGLE_PROVIDER_ID,
    oauth_uid: `demo-${uid}`,
    oauth_access_token: false,
  });
  db.userGroups.set(uid, groups);
  // From 19.0 on res.groups lists its explicit members only, as addGroups does.
  for (const xmlid of majorOf(db.series) >= 19 ? SALESPERSON_GROUPS : groups) {
    addToGroup(db, xmlid, uid);
  }
  const password = randomBytes(12).toString('hex');
  const apiKey = demoApiKey(login);
  db.credentials.set(uid, { password, apiKey });

  const person: DemoPerson = {
    login,
    email: login,
    name,
    uid,
    apiKey,
    password,
    role: 'Sales / User: Own Documents Only',
    active: true,
    groups: SALESPERSON_GROUPS,
    companyIds: [1],
    oauthUid: `demo-${uid}`,
  };
  return { person, orderId: addOwnQuotation(db, uid, now).id };
}

/** Copies the first order of the first company as an empty quotation of the salesperson. */
function addOwnQuotation(db: DemoDatabase, uid: number, now: string): DemoRecord {
  const orders = db.require('sale.order');
  const template = orders.all().find((order) => order.company_id === 1);
  if (template === undefined) {
    throw new Error('The demo Odoo has no sales order in company 1 to copy');
  }
  const values: Record<string, FieldValue> = { ...template };
  for (const definition of orders.fields.values()) {
    if (isToMany(definition)) {
      values[definition.name] = [];
    }
  }
  const id = Math.max(0, ...orders.records.keys()) + 1;
  return insertRecord(db, orders, now, {
    ...values,
    id,
    name: `S9${String(id).padStart(4, '0')}`,
    display_name: false,
    user_id: uid,
    state: 'draft',
    invoice_status: 'no',
    amount_untaxed: 0,
    amount_tax: 0,
    amount_total: 0,
    date_order: now,
    create_date: now,
    write_date: now,
  });
}
