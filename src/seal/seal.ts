import { createHmac } from 'node:crypto';
import { EncryptJWT, errors, jwtDecrypt, type JWTPayload } from 'jose';
import type { KeyRing, SealingKey } from './keys.js';

/**
 * The purpose of a sealed artefact. The purpose is the JWE `typ` header, which AES-GCM
 * authenticates, so an artefact sealed for one purpose never opens as another.
 */
export type Purpose = 'client' | 'transaction' | 'consent' | 'code' | 'access' | 'refresh' | 'link';

/** The reason a sealed artefact did not open; callers map it to their protocol's error. */
export type SealErrorReason =
  'malformed' | 'unknown_key' | 'invalid' | 'expired' | 'wrong_purpose' | 'wrong_audience';

export class SealError extends Error {
  override name = 'SealError';

  constructor(
    readonly reason: SealErrorReason,
    message: string,
  ) {
    super(message);
  }
}

export interface SealOptions {
  audience: string;
  /** Absolute expiry, seconds since the epoch; omitted for artefacts that never expire. */
  expiresAt?: number;
}

export interface Opened<T> {
  payload: T;
  kid: string;
  issuedAt: number;
  expiresAt: number | undefined;
}

const REGISTERED_CLAIMS = new Set(['iss', 'aud', 'exp', 'iat', 'nbf', 'jti', 'sub']);

/** Seals and opens the bridge's self-contained artefacts (JWE `dir` + `A256GCM`). */
export class Sealer {
  /**
   * Each key imported once for WebCrypto. Given raw bytes, jose imports the key again on every
   * seal and open, which cost about half of each.
   */
  private readonly cryptoKeys = new Map<string, Promise<CryptoKey>>();

  constructor(
    private readonly ring: KeyRing,
    readonly issuer: string,
  ) {}

  private cryptoKey(key: SealingKey): Promise<CryptoKey> {
    let imported = this.cryptoKeys.get(key.kid);
    if (imported === undefined) {
      imported = crypto.subtle.importKey('raw', Uint8Array.from(key.secret), 'AES-GCM', false, [
        'encrypt',
        'decrypt',
      ]);
      this.cryptoKeys.set(key.kid, imported);
    }
    return imported;
  }

  async seal(purpose: Purpose, payload: object, options: SealOptions): Promise<string> {
    for (const claim of Object.keys(payload)) {
      if (REGISTERED_CLAIMS.has(claim)) {
        throw new Error(`Payload claim "${claim}" is reserved for the sealing envelope`);
      }
    }

    const key = this.ring.current;
    const jwt = new EncryptJWT({ ...payload } as JWTPayload)
      .setProtectedHeader({ alg: 'dir', enc: 'A256GCM', kid: key.kid, typ: typeFor(purpose) })
      .setIssuer(this.issuer)
      .setAudience(options.audience)
      .setIssuedAt();
    if (options.expiresAt !== undefined) {
      jwt.setExpirationTime(options.expiresAt);
    }
    return jwt.encrypt(await this.cryptoKey(key));
  }

  async open<T>(purpose: Purpose, token: string, audience: string): Promise<Opened<T>> {
    let kid = '';
    try {
      const { payload } = await jwtDecrypt(
        token,
        (header) => {
          const key = header.kid === undefined ? undefined : this.ring.byKid.get(header.kid);
          if (key === undefined) {
            throw new SealError('unknown_key', 'sealed with a key this server does not hold');
          }
          kid = key.kid;
          return this.cryptoKey(key);
        },
        {
          issuer: this.issuer,
          audience,
          typ: typeFor(purpose),
          keyManagementAlgorithms: ['dir'],
          contentEncryptionAlgorithms: ['A256GCM'],
        },
      );
      const data: Record<string, unknown> = { ...payload };
      for (const claim of REGISTERED_CLAIMS) {
        delete data[claim];
      }
      return { payload: data as T, kid, issuedAt: payload.iat ?? 0, expiresAt: payload.exp };
    } catch (error) {
      throw toSealError(error);
    }
  }

  /** Opens a sealed artefact, or returns undefined when it does not open for this purpose. */
  async tryOpen<T>(
    purpose: Purpose,
    token: string,
    audience: string,
  ): Promise<Opened<T> | undefined> {
    try {
      return await this.open<T>(purpose, token, audience);
    } catch (error) {
      if (error instanceof SealError) {
        return undefined;
      }
      throw error;
    }
  }

  /**
   * Derives a stable secret from the named key, so that a value such as a client secret can
   * be checked later without being stored. Returns undefined when the key has been retired.
   */
  deriveSecret(kid: string, label: string, data: string): string | undefined {
    const key = this.ring.byKid.get(kid);
    if (key === undefined) {
      return undefined;
    }
    return createHmac('sha256', key.secret).update(`${label}\0${data}`).digest('base64url');
  }

  /** The id of the key that seals new artefacts. */
  get currentKid(): string {
    return this.ring.current.kid;
  }
}

function typeFor(purpose: Purpose): string {
  return `odoo-mcp-bridge-${purpose}+jwt`;
}

function toSealError(error: unknown): SealError {
  if (error instanceof SealError) {
    return error;
  }
  if (error instanceof errors.JWTExpired) {
    return new SealError('expired', 'has expired');
  }
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'typ') {
      return new SealError('wrong_purpose', 'was issued for another purpose');
    }
    if (error.claim === 'aud' || error.claim === 'iss') {
      return new SealError('wrong_audience', 'was issued for another audience');
    }
    return new SealError('invalid', `has an invalid "${error.claim}" claim`);
  }
  if (error instanceof errors.JWEDecryptionFailed) {
    return new SealError('invalid', 'failed to decrypt');
  }
  return new SealError('malformed', 'is not a sealed value of this server');
}
