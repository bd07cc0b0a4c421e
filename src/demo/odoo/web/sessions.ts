import { createHash, randomBytes } from 'node:crypto';
import type { DemoDatabase, DemoRecord } from '../orm/database.js';

/** Odoo's `SESSION_LIFETIME` (odoo/http.py, 17.0 to 19.0): a week, in seconds. */
export const SESSION_LIFETIME_SECONDS = 7 * 24 * 60 * 60;

/** Odoo's session ids are 84 URL-safe base64 characters; other cookie values name no session. */
const SESSION_ID = /^[A-Za-z0-9_-]{84}$/;

/** A signed-in web session. Anonymous sessions are not stored, because they reach nothing. */
interface WebSession {
  uid: number;
  /** When a request last used the session, in milliseconds since the epoch. */
  lastUsedAt: number;
  /** The digest of the user's session-token fields when the session was opened. */
  userDigest: string;
}

/** Tells whether a cookie value has the form of an Odoo session id. */
export function isSessionId(value: string | undefined): value is string {
  return value !== undefined && SESSION_ID.test(value);
}

/** Returns a new random session id with the length and alphabet of Odoo's. */
export function newSessionId(): string {
  // 63 random bytes are exactly 84 base64url characters, without padding.
  return randomBytes(63).toString('base64url');
}

/**
 * The web sessions of one demo database. A session ends when it is destroyed, when it has not
 * been used for `ttlSeconds`, or when one of the fields Odoo's session token covers changes on
 * its user (`_get_session_token_fields`: id, login, password, active and, with auth_oauth,
 * oauth_access_token). So a sign-in with a new Google token ends that user's older sessions.
 */
export class WebSessionStore {
  private readonly sessions = new Map<string, WebSession>();

  constructor(
    private readonly db: DemoDatabase,
    readonly ttlSeconds: number,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Opens a session for the user and returns its id. The session `previousId` names ends, as
   * Odoo gives the session a new id on every sign-in.
   */
  open(user: DemoRecord, previousId?: string): string {
    this.removeExpired();
    if (previousId !== undefined) {
      this.sessions.delete(previousId);
    }
    const id = newSessionId();
    this.sessions.set(id, {
      uid: user.id,
      lastUsedAt: this.now(),
      userDigest: userDigest(this.db, user),
    });
    return id;
  }

  /**
   * Returns the user of a live session and records the use, or undefined. A session found
   * expired, or whose user's token fields changed, is ended on the way.
   */
  resume(id: string | undefined): DemoRecord | undefined {
    if (!isSessionId(id)) {
      return undefined;
    }
    const session = this.sessions.get(id);
    if (session === undefined) {
      return undefined;
    }
    const user = this.db.require('res.users').get(session.uid);
    if (this.isExpired(session) || user === undefined || !this.belongsTo(session, user)) {
      this.sessions.delete(id);
      return undefined;
    }
    session.lastUsedAt = this.now();
    return user;
  }

  end(id: string | undefined): void {
    if (id !== undefined) {
      this.sessions.delete(id);
    }
  }

  endAll(): void {
    this.sessions.clear();
  }

  /** Counts the sessions that `resume` would still accept. */
  countOpen(): number {
    let open = 0;
    for (const session of this.sessions.values()) {
      const user = this.db.require('res.users').get(session.uid);
      if (!this.isExpired(session) && user !== undefined && this.belongsTo(session, user)) {
        open += 1;
      }
    }
    return open;
  }

  private belongsTo(session: WebSession, user: DemoRecord): boolean {
    return user.active === true && session.userDigest === userDigest(this.db, user);
  }

  private isExpired(session: WebSession): boolean {
    return this.now() - session.lastUsedAt >= this.ttlSeconds * 1000;
  }

  private removeExpired(): void {
    for (const [id, session] of this.sessions) {
      if (this.isExpired(session)) {
        this.sessions.delete(id);
      }
    }
  }
}

/** Digests the fields of Odoo's session token, so that no session keeps a copy of a secret. */
function userDigest(db: DemoDatabase, user: DemoRecord): string {
  const fields = [
    user.id,
    user.login,
    db.credentials.get(user.id)?.password ?? '',
    user.active,
    user.oauth_access_token ?? false,
  ];
  return createHash('sha256').update(JSON.stringify(fields)).digest('hex');
}
