import { describe, expect, it } from 'vitest';
import { admit, TokenBuckets } from '../../src/http/token-buckets.js';

function clock() {
  const state = { nowMs: 1_000_000 };
  return { now: () => state.nowMs, advance: (ms: number) => (state.nowMs += ms) };
}

describe('token buckets', () => {
  it('rejects after the burst', () => {
    const time = clock();
    const buckets = new TokenBuckets('test', { burst: 3, refillPerSecond: 0.5 }, 10, time.now);
    const check = [{ buckets, key: 'a' }];

    expect([admit(check), admit(check), admit(check)].map((a) => a.allowed)).toEqual([
      true,
      true,
      true,
    ]);
    const rejected = admit(check);
    expect(rejected).toEqual({ allowed: false, retryAfterSeconds: 2, firstRejections: check });
  });

  it('refills at its rate', () => {
    const time = clock();
    const buckets = new TokenBuckets('test', { burst: 2, refillPerSecond: 1 }, 10, time.now);
    const check = [{ buckets, key: 'a' }];
    admit(check);
    admit(check);

    time.advance(500);
    expect(admit(check)).toMatchObject({ allowed: false, retryAfterSeconds: 1 });
    time.advance(500);
    expect(admit(check).allowed).toBe(true);
    time.advance(60_000);
    expect(buckets.tokens('a')).toBe(2);
  });

  it('reports only the first rejection of a run', () => {
    const time = clock();
    const buckets = new TokenBuckets('test', { burst: 1, refillPerSecond: 1 }, 10, time.now);
    const check = [{ buckets, key: 'a' }];
    admit(check);

    expect(admit(check)).toMatchObject({ firstRejections: check });
    expect(admit(check)).toMatchObject({ firstRejections: [] });
    time.advance(1000);
    expect(admit(check).allowed).toBe(true);
    expect(admit(check)).toMatchObject({ firstRejections: check });
  });

  it('keeps keys apart', () => {
    const time = clock();
    const buckets = new TokenBuckets('test', { burst: 1, refillPerSecond: 1 }, 10, time.now);
    admit([{ buckets, key: 'a' }]);

    expect(admit([{ buckets, key: 'a' }]).allowed).toBe(false);
    expect(admit([{ buckets, key: 'b' }]).allowed).toBe(true);
  });

  it('takes nothing when one rejects', () => {
    const time = clock();
    const wide = new TokenBuckets('wide', { burst: 10, refillPerSecond: 1 }, 10, time.now);
    const narrow = new TokenBuckets('narrow', { burst: 1, refillPerSecond: 1 }, 10, time.now);
    const checks = [
      { buckets: wide, key: 'address' },
      { buckets: narrow, key: 'grant' },
    ];
    admit(checks);

    expect(admit(checks)).toMatchObject({ allowed: false, firstRejections: [checks[1]] });
    expect(wide.tokens('address')).toBe(9);
  });

  it('forgets the least recently used key beyond its maximum', () => {
    const time = clock();
    const buckets = new TokenBuckets('test', { burst: 1, refillPerSecond: 0.001 }, 2, time.now);
    for (const key of ['a', 'b', 'c']) {
      admit([{ buckets, key }]);
    }

    expect(buckets.tokens('a')).toBe(1);
    expect(buckets.tokens('b')).toBe(0);
    expect(buckets.tokens('c')).toBe(0);
  });
});
