import { describe, expect, it } from 'vitest';
import { TtlLruCache } from '../../src/odoo/cache.js';
import { parseOdooVersion } from '../../src/odoo/version.js';
import { isReadMethod } from '../../src/odoo/retry.js';

describe('TtlLruCache', () => {
  it('evicts the least recently used', () => {
    const cache = new TtlLruCache<number>(2, 60_000, () => 0);
    cache.set('a', 1);
    cache.set('b', 2);
    cache.get('a');
    cache.set('c', 3);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBe(1);
    expect(cache.get('c')).toBe(3);
  });

  it('stays within its maximum size', () => {
    const cache = new TtlLruCache<number>(3, 60_000, () => 0);
    for (let i = 0; i < 10; i += 1) {
      cache.set(`key-${i}`, i);
    }
    expect(cache.size).toBe(3);
  });

  it('expires entries after the TTL', () => {
    let nowMs = 0;
    const cache = new TtlLruCache<number>(2, 1_000, () => nowMs);
    cache.set('a', 1);
    nowMs = 999;
    expect(cache.get('a')).toBe(1);
    nowMs = 1_000;
    expect(cache.get('a')).toBeUndefined();
  });

  it('reading does not extend the TTL', () => {
    let nowMs = 0;
    const cache = new TtlLruCache<number>(2, 1_000, () => nowMs);
    cache.set('a', 1);
    nowMs = 900;
    cache.get('a');
    nowMs = 1_100;
    expect(cache.get('a')).toBeUndefined();
  });
});

describe('parseOdooVersion', () => {
  it('parses a numbered release', () => {
    const version = parseOdooVersion({
      server_version: '18.0',
      server_version_info: [18, 0, 0, 'final', 0, ''],
    });
    expect(version.major).toBe(18);
    expect(version.minor).toBe(0);
  });

  it('parses a saas release', () => {
    const version = parseOdooVersion({ server_version: 'saas~17.2', server_version_info: [] });
    expect(version.major).toBe(17);
    expect(version.minor).toBe(2);
  });

  it('rejects a version without numbers', () => {
    expect(() => parseOdooVersion({ server_version: 'master' })).toThrow('not "<major>.<minor>"');
  });

  it('rejects a result without server_version', () => {
    expect(() => parseOdooVersion({})).toThrow('has no server_version');
  });
});

describe('isReadMethod', () => {
  it.each(['search_read', 'read', 'search_count', 'fields_get', 'authenticate', 'version'])(
    '%s is a read',
    (method) => {
      expect(isReadMethod(method)).toBe(true);
    },
  );

  it.each(['write', 'create', 'unlink', 'action_confirm', 'message_post', 'execute_kw'])(
    '%s is not a read',
    (method) => {
      expect(isReadMethod(method)).toBe(false);
    },
  );
});
