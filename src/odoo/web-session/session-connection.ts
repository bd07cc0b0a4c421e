import type { Logger } from '../../log/logger.js';
import { OdooError } from '../errors.js';
import type { ModelCall } from '../json2.js';
import type { CallOptions, OdooServer, OdooVersion } from '../types.js';
import { checkSessionId } from './cookie.js';
import type {
  OdooSessionConnection,
  RenewedSession,
  RenewSession,
  SessionCredential,
} from './types.js';

/** The client methods that a session connection calls. */
export interface SessionCalls {
  readonly server: OdooServer;
  version(options?: CallOptions): Promise<OdooVersion>;
  /** Runs one model call over `/web/dataset/call_kw` with the session cookie. */
  callKwInSession(
    sessionId: string,
    call: ModelCall,
    signal: AbortSignal | undefined,
  ): Promise<unknown>;
}

/**
 * Runs every call in one person's Odoo web session. When Odoo returns "Odoo Session Expired",
 * the connection calls `renew` once, shared by every call that found the same session
 * expired, and sends each of those calls once more in the new session.
 */
export class SessionConnection implements OdooSessionConnection {
  readonly server: OdooServer;
  readonly login: string;
  private readonly sessionUid: number;
  private sessionId: string;
  /** The renewal in progress, which replaces `sessionId` when it succeeds. */
  private renewal: Promise<string> | undefined;

  constructor(
    private readonly client: SessionCalls,
    session: SessionCredential,
    private readonly renew: RenewSession,
    private readonly logger: Logger | undefined,
  ) {
    if (!(Number.isInteger(session.uid) && session.uid > 0)) {
      throw new OdooError(
        'invalid_request',
        `An Odoo uid is a positive integer, got ${session.uid}.`,
      );
    }
    checkSessionId(session.sessionId);
    this.server = client.server;
    this.login = session.login;
    this.sessionUid = session.uid;
    this.sessionId = session.sessionId;
  }

  version(): Promise<OdooVersion> {
    return this.client.version();
  }

  uid(): Promise<number> {
    return Promise.resolve(this.sessionUid);
  }

  currentSessionId(): string {
    return this.sessionId;
  }

  async executeKw<T = unknown>(
    model: string,
    method: string,
    args: unknown[],
    kwargs: Record<string, unknown> = {},
    options: CallOptions = {},
  ): Promise<T> {
    const call = { model, method, args, kwargs };
    const firstSessionId = this.sessionId;
    try {
      return (await this.client.callKwInSession(firstSessionId, call, options.signal)) as T;
    } catch (error) {
      if (!isSessionExpired(error)) {
        throw error;
      }
    }
    // Odoo checks the session before it runs the method (`ir.http._authenticate` raises
    // SessionExpiredException in the recorded tracebacks), so even a write is safe to resend.
    const sessionId = await this.sessionReplacing(firstSessionId, call);
    try {
      return (await this.client.callKwInSession(sessionId, call, options.signal)) as T;
    } catch (error) {
      throw isSessionExpired(error) ? expiredAgainError(call) : error;
    }
  }

  /**
   * Returns the session that replaces `expiredId`: the current one when another call has
   * renewed it already, else the result of the one renewal that concurrent calls share.
   */
  private sessionReplacing(expiredId: string, call: ModelCall): Promise<string> {
    if (this.sessionId !== expiredId) {
      return Promise.resolve(this.sessionId);
    }
    this.renewal ??= this.renewSession(call).finally(() => {
      this.renewal = undefined;
    });
    return this.renewal;
  }

  private async renewSession(call: ModelCall): Promise<string> {
    const fields = { odooModel: call.model, odooMethod: call.method, odooUid: this.sessionUid };
    this.logger?.info(fields, 'Odoo session expired, opening a new one');
    let renewed: RenewedSession;
    try {
      renewed = await this.renew();
    } catch (error) {
      const errorKind = error instanceof OdooError ? error.kind : undefined;
      this.logger?.warn({ ...fields, errorKind }, 'Opening a new Odoo session failed');
      throw renewalError(error);
    }
    const sessionId = this.checkRenewed(renewed);
    this.sessionId = sessionId;
    return sessionId;
  }

  /** Returns the new session id after checking that the session belongs to the same user. */
  private checkRenewed(renewed: RenewedSession): string {
    const session = typeof renewed === 'string' ? { sessionId: renewed } : renewed;
    checkSessionId(session.sessionId);
    if ('uid' in session && session.uid !== this.sessionUid) {
      const message =
        `The new Odoo session belongs to uid ${session.uid}, not to "${this.login}" ` +
        `(uid ${this.sessionUid}), the Odoo user this connection acts as. Sign in again, so ` +
        'that the bridge uses the Odoo user now linked to the Google account.';
      throw new OdooError('authentication', message);
    }
    return session.sessionId;
  }
}

function isSessionExpired(error: unknown): boolean {
  return error instanceof OdooError && error.kind === 'session_expired';
}

/**
 * Keeps an `OdooError` of the renewal as it is, because its kind and message (an
 * `OdooSignInError` with its `reason`, for one) tell the person what to do.
 */
function renewalError(error: unknown): OdooError {
  if (error instanceof OdooError) {
    return error;
  }
  const reason = error instanceof Error ? error.message : String(error);
  const message = `The Odoo session expired, and opening a new one failed: ${reason}`;
  return new OdooError('session_expired', message, { cause: error });
}

function expiredAgainError(call: ModelCall): OdooError {
  const message =
    `Odoo ended the new session too: ${call.model}.${call.method} failed with "Odoo Session ` +
    'Expired" again right after the session was renewed. Sign in again. If this keeps ' +
    'happening, check that every Odoo server behind the URL shares the same session store.';
  return new OdooError('session_expired', message, { model: call.model, method: call.method });
}
