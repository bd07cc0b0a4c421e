import { timingSafeEqual } from 'node:crypto';
import type { Sealer } from '../../seal/seal.js';
import type { Client, ClientRegistration } from './registration.js';

/**
 * Client registrations without storage: the client id is the registration itself, sealed, and
 * a confidential client's secret is an HMAC of that id, so it is checked by deriving it again.
 */
export class SealedClients {
  constructor(private readonly sealer: Sealer) {}

  /** Seals a registration into a client id, plus a derived secret for confidential clients. */
  async register(
    registration: ClientRegistration,
  ): Promise<{ client_id: string; client_secret?: string }> {
    const clientId = await this.sealer.seal('client', registration, {
      audience: this.sealer.issuer,
    });
    if (registration.token_endpoint_auth_method === 'none') {
      return { client_id: clientId };
    }
    return { client_id: clientId, client_secret: this.secretFor(this.sealer.currentKid, clientId) };
  }

  /** Opens a sealed client id; returns undefined when it is not one of this server's. */
  async open(clientId: string): Promise<Client | undefined> {
    const opened = await this.sealer.tryOpen<ClientRegistration>(
      'client',
      clientId,
      this.sealer.issuer,
    );
    if (opened === undefined) {
      return undefined;
    }
    return {
      ...opened.payload,
      client_id: clientId,
      origin: 'sealed',
      issued_at: opened.issuedAt,
      sealed_with: opened.kid,
    };
  }

  /** Compares a presented secret with the one derived from the client id, in constant time. */
  verifySecret(client: Client, presented: string): boolean {
    if (client.sealed_with === undefined) {
      return false;
    }
    const expected = this.sealer.deriveSecret(
      client.sealed_with,
      'client_secret',
      client.client_id,
    );
    if (expected === undefined) {
      return false;
    }
    const a = Buffer.from(expected);
    const b = Buffer.from(presented);
    return a.length === b.length && timingSafeEqual(a, b);
  }

  private secretFor(kid: string, clientId: string): string {
    const secret = this.sealer.deriveSecret(kid, 'client_secret', clientId);
    if (secret === undefined) {
      throw new Error(`Sealing key "${kid}" is not in the key ring`);
    }
    return secret;
  }
}
