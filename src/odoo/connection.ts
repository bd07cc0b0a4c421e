import { OdooError } from './errors.js';
import type { ModelCall } from './json2.js';
import type {
  ApiKeyCredential,
  CallOptions,
  OdooConnection,
  OdooServer,
  OdooVersion,
} from './types.js';

/** The client methods that a person's connection calls. */
export interface PersonCalls {
  readonly server: OdooServer;
  version(options?: CallOptions): Promise<OdooVersion>;
  /** Returns the person's uid from the cache, or authenticates once. */
  uidFor(credential: ApiKeyCredential): Promise<number>;
  forgetUid(credential: ApiKeyCredential): void;
  /** Runs one model call as the person, over the protocol the client chose. */
  executeKwAs(
    uid: number,
    credential: ApiKeyCredential,
    call: ModelCall,
    signal: AbortSignal | undefined,
  ): Promise<unknown>;
}

export class PersonConnection implements OdooConnection {
  readonly server: OdooServer;
  readonly login: string;

  constructor(
    private readonly client: PersonCalls,
    private readonly credential: ApiKeyCredential,
    private readonly knownUid: number | undefined,
  ) {
    this.server = client.server;
    this.login = credential.login;
  }

  version(): Promise<OdooVersion> {
    return this.client.version();
  }

  uid(): Promise<number> {
    if (this.knownUid !== undefined) {
      return Promise.resolve(this.knownUid);
    }
    return this.client.uidFor(this.credential);
  }

  async executeKw<T = unknown>(
    model: string,
    method: string,
    args: unknown[],
    kwargs: Record<string, unknown> = {},
    options: CallOptions = {},
  ): Promise<T> {
    const uid = await this.uid();
    const call = { model, method, args, kwargs };
    try {
      return (await this.client.executeKwAs(uid, this.credential, call, options.signal)) as T;
    } catch (error) {
      // Odoo raises AccessDenied over JSON-RPC, and responds with 401 over JSON-2, once the key
      // is revoked or expired. Dropping the cached uid makes the next call authenticate again,
      // which then fails with the full explanation.
      if (error instanceof OdooError && error.kind === 'authentication') {
        this.client.forgetUid(this.credential);
      }
      throw error;
    }
  }
}
