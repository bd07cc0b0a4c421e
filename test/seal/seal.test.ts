import { describe, expect, it } from 'vitest';
import { formatKeyRing, generateKeyRing, parseKeyRing } from '../../src/seal/keys.js';
import { SealError, Sealer } from '../../src/seal/seal.js';

const ISSUER = 'https://bridge.example.com';

async function reasonOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof SealError) {
      return error.reason;
    }
    throw error;
  }
  return 'opened';
}

describe('Sealer', () => {
  const ring = generateKeyRing('a');
  const sealer = new Sealer(ring, ISSUER);

  it('opens what it sealed', async () => {
    const token = await sealer.seal('code', { email: 'alice@example.com' }, { audience: ISSUER });
    const opened = await sealer.open<{ email: string }>('code', token, ISSUER);
    expect(opened.payload).toEqual({ email: 'alice@example.com' });
    expect(opened.kid).toBe('a');
  });

  it('rejects another purpose', async () => {
    const token = await sealer.seal('code', { x: 1 }, { audience: ISSUER });
    expect(await reasonOf(sealer.open('access', token, ISSUER))).toBe('wrong_purpose');
  });

  it('rejects another audience', async () => {
    const token = await sealer.seal('access', { x: 1 }, { audience: `${ISSUER}/mcp` });
    expect(await reasonOf(sealer.open('access', token, 'https://other.example.com/mcp'))).toBe(
      'wrong_audience',
    );
  });

  it('rejects an expired artefact', async () => {
    const past = Math.floor(Date.now() / 1000) - 120;
    const token = await sealer.seal('code', { x: 1 }, { audience: ISSUER, expiresAt: past });
    expect(await reasonOf(sealer.open('code', token, ISSUER))).toBe('expired');
  });

  it('rejects a tampered artefact', async () => {
    const token = await sealer.seal('code', { x: 1 }, { audience: ISSUER });
    const parts = token.split('.');
    const ciphertext = Buffer.from(parts[3]!, 'base64url');
    ciphertext[0] = ciphertext[0]! ^ 1;
    parts[3] = ciphertext.toString('base64url');
    expect(await reasonOf(sealer.open('code', parts.join('.'), ISSUER))).toBe('invalid');
  });

  it('rejects an unknown key', async () => {
    const other = new Sealer(generateKeyRing('b'), ISSUER);
    const token = await other.seal('code', { x: 1 }, { audience: ISSUER });
    expect(await reasonOf(sealer.open('code', token, ISSUER))).toBe('unknown_key');
  });

  it('rejects garbage', async () => {
    expect(await reasonOf(sealer.open('code', 'not-a-token', ISSUER))).toBe('malformed');
    expect(await reasonOf(sealer.open('code', '', ISSUER))).toBe('malformed');
  });

  it('opens with a retired key after rotation', async () => {
    const token = await sealer.seal('refresh', { x: 1 }, { audience: ISSUER });
    const rotated = parseKeyRing(`${formatKeyRing(generateKeyRing('c'))},${formatKeyRing(ring)}`);
    const next = new Sealer(rotated, ISSUER);
    expect((await next.open('refresh', token, ISSUER)).kid).toBe('a');
    expect(next.currentKid).toBe('c');
  });

  it('refuses reserved claims in the payload', async () => {
    await expect(sealer.seal('code', { exp: 1 }, { audience: ISSUER })).rejects.toThrow(/reserved/);
  });
});

describe('parseKeyRing', () => {
  it('rejects a short key', () => {
    expect(() => parseKeyRing(`k:${Buffer.alloc(16).toString('base64url')}`)).toThrow(/16 bytes/);
  });

  it('rejects a duplicate key id', () => {
    const entry = `k:${Buffer.alloc(32).toString('base64url')}`;
    expect(() => parseKeyRing(`${entry},${entry}`)).toThrow(/twice/);
  });

  it('rejects an empty entry', () => {
    const entry = `k:${Buffer.alloc(32).toString('base64url')}`;
    expect(() => parseKeyRing(`${entry},`)).toThrow(/empty entry at position 2/);
    expect(() => parseKeyRing(`,${entry}`)).toThrow(/empty entry at position 1/);
  });

  it('rejects an entry without a key id', () => {
    expect(() => parseKeyRing(Buffer.alloc(32).toString('base64url'))).toThrow(/kid:base64url/);
  });
});
