import { GOOGLE_PROVIDER_ID } from '../data/base-data.js';
import type { DemoDatabase, DemoRecord } from '../orm/database.js';
import type { DemoPerson } from '../people.js';

/**
 * Links the user with this login to a subject at the Google provider, as an administrator
 * does by setting `oauth_provider_id` and `oauth_uid`. Throws for an unknown login, an empty
 * subject, or a subject another user has, which Odoo's `uniq_users_oauth_provider_oauth_uid`
 * constraint ("OAuth UID must be unique per provider") rejects, archived users included.
 */
export function linkOAuth(
  db: DemoDatabase,
  people: DemoPerson[],
  login: string,
  subject: string,
): void {
  const user = userWithLogin(db, login);
  if (subject === '') {
    throw new Error(`The Google subject for ${login} is empty. Pass the person's "sub" claim.`);
  }
  const holder = db
    .require('res.users')
    .all()
    .find(
      (record) =>
        record.id !== user.id &&
        record.oauth_provider_id === GOOGLE_PROVIDER_ID &&
        record.oauth_uid === subject,
    );
  if (holder !== undefined) {
    throw new Error(
      `OAuth UID must be unique per provider: the Google subject ${subject} is already ` +
        `linked to ${String(holder.login)}`,
    );
  }
  user.oauth_provider_id = GOOGLE_PROVIDER_ID;
  user.oauth_uid = subject;
  const person = people.find((candidate) => candidate.login === login);
  if (person !== undefined) {
    person.oauthUid = subject;
  }
}

/**
 * Applies the `oauthUids` option on top of the default `demo-<uid>` subjects. The overridden
 * users are unlinked first, so that two people may swap subjects.
 */
export function linkOAuthSubjects(
  db: DemoDatabase,
  people: DemoPerson[],
  subjects: Record<string, string>,
): void {
  for (const login of Object.keys(subjects)) {
    userWithLogin(db, login).oauth_uid = false;
  }
  for (const [login, subject] of Object.entries(subjects)) {
    linkOAuth(db, people, login, subject);
  }
}

export function userWithLogin(db: DemoDatabase, login: string): DemoRecord {
  const user = db
    .require('res.users')
    .all()
    .find((record) => record.login === login);
  if (user === undefined) {
    throw new Error(`The demo Odoo has no user with the login ${login}`);
  }
  return user;
}
