import { groupByXmlid, impliedClosure } from '../access/groups.js';
import { displayName, normalizeRecord } from '../data/build.js';
import type { DemoDatabase, DemoRecord, FieldValue, ModelTable } from '../orm/database.js';

/** The values auth_oauth's `_generate_signup_values` gives a user made from a Google sign-in. */
export interface OAuthSignupValues {
  name: string;
  login: string;
  email: string;
  providerId: number;
  oauthUid: string;
  accessToken: string;
}

const PORTAL_GROUP = 'base.group_portal';

/**
 * Creates a portal user as auth_signup's `_create_user_from_template` does, with its partner.
 * Returns undefined when the login is taken, even by an archived user, because Odoo's unique
 * login constraint then fails the copy and the sign-up raises SignupError.
 */
export function signUpPortalUser(
  db: DemoDatabase,
  values: OAuthSignupValues,
): DemoRecord | undefined {
  const users = db.require('res.users');
  if (users.all().some((user) => user.login === values.login)) {
    return undefined;
  }
  const now = odooNow();
  const uid = nextId(users);
  const partner = insertPartner(db, values, uid, now);
  const groups = impliedClosure([PORTAL_GROUP], db.series);
  const groupIds = [...groups].map((xmlid) => groupByXmlid(xmlid).id).sort((a, b) => a - b);
  const user = insertRecord(db, users, now, {
    id: uid,
    login: values.login,
    name: values.name,
    email: values.email,
    partner_id: partner.id,
    active: true,
    company_id: 1,
    company_ids: [1],
    groups_id: groupIds,
    group_ids: [groupByXmlid(PORTAL_GROUP).id],
    all_group_ids: groupIds,
    share: true,
    lang: 'en_US',
    tz: false,
    login_date: now,
    oauth_provider_id: values.providerId,
    oauth_uid: values.oauthUid,
    oauth_access_token: values.accessToken,
  });
  db.userGroups.set(uid, groups);
  addToGroup(db, PORTAL_GROUP, uid);
  return user;
}

/** Adds the partner of a new user, its own commercial entity as a person's partner is. */
export function insertPartner(
  db: DemoDatabase,
  values: { name: string; email: string },
  uid: number,
  now: string,
): DemoRecord {
  const partner = insertRecord(db, db.require('res.partner'), now, {
    name: values.name,
    complete_name: values.name,
    email: values.email,
    type: 'contact',
    is_company: false,
    active: true,
    lang: 'en_US',
    currency_id: 1,
    user_ids: [uid],
  });
  partner.commercial_partner_id = partner.id;
  return partner;
}

export function insertRecord(
  db: DemoDatabase,
  table: ModelTable,
  now: string,
  values: Record<string, FieldValue>,
): DemoRecord {
  const record = { ...values, id: values.id ?? nextId(table) } as DemoRecord;
  normalizeRecord(table, record, now);
  record.display_name = displayName(db, table, record);
  table.insert(record);
  return record;
}

export function addToGroup(db: DemoDatabase, xmlid: string, uid: number): void {
  const group = db.require('res.groups').get(groupByXmlid(xmlid).id);
  for (const field of ['users', 'user_ids']) {
    const members = group?.[field];
    if (Array.isArray(members)) {
      members.push(uid);
    }
  }
}

function nextId(table: ModelTable): number {
  return Math.max(0, ...table.records.keys()) + 1;
}

/** Returns the current time as Odoo stores datetimes: `YYYY-MM-DD HH:MM:SS` in UTC. */
export function odooNow(): string {
  return new Date().toISOString().replace('T', ' ').slice(0, 19);
}
