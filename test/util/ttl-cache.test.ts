import { describe, expect, it } from 'vitest';
import { TtlCache } from '../../src/util/ttl-cache.js';

describe('TtlCache', () => {
  it('evicts the least recently used', () => {
    const cache = new TtlCache<string, number>(2, 60_000, () => 0);
    cache.set('a', 1);
    cache.set('b', 2);
    cache.get('a');
    cache.set('c', 3);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBe(1);
    expect(cache.get('c')).toBe(3);
  });

  it('stays within its maximum size', () => {
    const cache = new TtlCache<string, number>(3, 60_000, () => 0);
    for (let i = 0; i < 10; i += 1) {
      cache.set(`key-${i}`, i);
    }
    expect(cache.size).toBe(3);
  });

  it('expires entries after the TTL', () => {
    let nowMs = 0;
    const cache = new TtlCache<string, number>(2, 1_000, () => nowMs);
    cache.set('a', 1);
    nowMs = 999;
    expect(cache.get('a')).toBe(1);
    nowMs = 1_000;
    expect(cache.get('a')).toBeUndefined();
  });

  it('reading does not extend the TTL', () => {
    let nowMs = 0;
    const cache = new TtlCache<string, number>(2, 1_000, () => nowMs);
    cache.set('a', 1);
    nowMs = 900;
    cache.get('a');
    nowMs = 1_100;
    expect(cache.get('a')).toBeUndefined();
  });
});

describe('TtlCache with a lifetime per entry', () => {
  it('expires an entry at its own lifetime', () => {
    let nowMs = 0;
    const cache = new TtlCache<string, string>(4, 10_000, () => nowMs);
    cache.set('short', 'a', 100);
    cache.set('default', 'b');
    nowMs = 100;
    expect(cache.get('short')).toBeUndefined();
    expect(cache.get('default')).toBe('b');
  });

  it('keeps an entry without a default lifetime', () => {
    let nowMs = 0;
    const cache = new TtlCache<string, boolean>(4, undefined, () => nowMs);
    cache.set('kept', true);
    nowMs = 10 ** 12;
    expect(cache.has('kept')).toBe(true);
  });
});
