import { randomBytes } from 'node:crypto';

/** One AES-256 key of the ring, named by the `kid` it carries in sealed artefacts. */
export interface SealingKey {
  kid: string;
  secret: Uint8Array;
}

/** The sealing keys: the first seals, every key opens, so keys can rotate without a flag day. */
export interface KeyRing {
  current: SealingKey;
  byKid: ReadonlyMap<string, SealingKey>;
}

const KID_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;
const BASE64URL_PATTERN = /^[A-Za-z0-9_-]+$/;

/** Raised for a malformed `TOKEN_KEYS` value; the message names the rule that failed. */
export class KeyRingError extends Error {
  override name = 'KeyRingError';
}

/**
 * Parses `kid:base64url(32 bytes)` entries separated by commas, first entry sealing. An empty
 * entry is an error rather than skipped: it is what a rotation leaves when reading the old keys
 * failed, and a ring without them would sign everybody out.
 */
export function parseKeyRing(value: string): KeyRing {
  const entries = value.split(',').map((entry) => entry.trim());
  if (entries.every((entry) => entry === '')) {
    throw new KeyRingError('holds no key');
  }
  const empty = entries.indexOf('');
  if (empty >= 0) {
    throw new KeyRingError(
      `has an empty entry at position ${empty + 1} of ${entries.length}: remove the extra comma, or add the key that is missing there`,
    );
  }

  const keys = entries.map(parseKeyEntry);
  const byKid = new Map<string, SealingKey>();
  for (const key of keys) {
    if (byKid.has(key.kid)) {
      throw new KeyRingError(`names key id "${key.kid}" twice`);
    }
    byKid.set(key.kid, key);
  }
  return { current: keys[0]!, byKid };
}

function parseKeyEntry(entry: string): SealingKey {
  const separator = entry.indexOf(':');
  if (separator <= 0) {
    throw new KeyRingError(`entry "${redact(entry)}" is not of the form kid:base64url-key`);
  }

  const kid = entry.slice(0, separator);
  const encoded = entry.slice(separator + 1);
  if (!KID_PATTERN.test(kid)) {
    throw new KeyRingError(`key id "${kid}" must be 1-64 characters of A-Z a-z 0-9 . _ -`);
  }
  if (!BASE64URL_PATTERN.test(encoded)) {
    throw new KeyRingError(`key "${kid}" is not base64url (A-Z a-z 0-9 - _, no padding)`);
  }

  const secret = Buffer.from(encoded, 'base64url');
  if (secret.length !== 32) {
    throw new KeyRingError(`key "${kid}" decodes to ${secret.length} bytes, not 32`);
  }
  return { kid, secret: new Uint8Array(secret) };
}

/** Shows the start of a rejected entry without printing the key material. */
function redact(entry: string): string {
  return entry.length > 8 ? `${entry.slice(0, 4)}…` : '…';
}

/** Makes a fresh random ring with one key, for the demo and for tests. */
export function generateKeyRing(kid = 'k1'): KeyRing {
  const key: SealingKey = { kid, secret: new Uint8Array(randomBytes(32)) };
  return { current: key, byKid: new Map([[kid, key]]) };
}

/** Formats a ring back into the `TOKEN_KEYS` syntax, for tests and the key generator. */
export function formatKeyRing(ring: KeyRing): string {
  const ordered = [ring.current, ...[...ring.byKid.values()].filter((key) => key !== ring.current)];
  return ordered
    .map((key) => `${key.kid}:${Buffer.from(key.secret).toString('base64url')}`)
    .join(',');
}
