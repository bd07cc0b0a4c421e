import { TtlCache } from '../util/ttl-cache.js';

/** The size and refill rate of a token bucket. */
export interface BucketRule {
  /** Requests allowed at once after a quiet spell. */
  burst: number;
  /** Requests allowed per second in the long run. */
  refillPerSecond: number;
}

interface Bucket {
  tokens: number;
  updatedAtMs: number;
  /** Whether a request was rejected since the last one allowed, so that one rejection is logged. */
  throttled: boolean;
}

/** A rejection by one bucket. */
export interface Rejection {
  retryAfterSeconds: number;
  /** True for the first rejection since the key's last allowed request. */
  first: boolean;
}

/**
 * Token buckets, one per key, in this process's memory. At most `maxKeys` buckets are kept,
 * and the least recently used is dropped first. A bucket is also dropped once it has refilled,
 * since a full bucket is the same as none.
 */
export class TokenBuckets {
  private readonly buckets: TtlCache<string, Bucket>;

  constructor(
    /** Names the limit in log lines. */
    readonly name: string,
    readonly rule: BucketRule,
    maxKeys: number,
    private readonly nowMs: () => number = () => Date.now(),
  ) {
    this.buckets = new TtlCache(maxKeys, Number.POSITIVE_INFINITY, nowMs);
  }

  /** Returns the tokens the key has now, which may be a fraction. */
  tokens(key: string): number {
    const bucket = this.buckets.get(key);
    if (bucket === undefined) {
      return this.rule.burst;
    }
    const refilled = ((this.nowMs() - bucket.updatedAtMs) / 1000) * this.rule.refillPerSecond;
    return Math.min(this.rule.burst, bucket.tokens + refilled);
  }

  /** Takes one token. The caller has checked that the key has one. */
  take(key: string): void {
    this.store(key, this.tokens(key) - 1, false);
  }

  /** Records a rejected request and returns when the key will have a token again. */
  reject(key: string): Rejection {
    const tokens = this.tokens(key);
    const first = this.buckets.get(key)?.throttled !== true;
    this.store(key, tokens, true);
    const retryAfterSeconds = Math.max(1, Math.ceil((1 - tokens) / this.rule.refillPerSecond));
    return { retryAfterSeconds, first };
  }

  private store(key: string, tokens: number, throttled: boolean): void {
    const untilFullMs = ((this.rule.burst - tokens) / this.rule.refillPerSecond) * 1000;
    this.buckets.set(key, { tokens, updatedAtMs: this.nowMs(), throttled }, untilFullMs);
  }
}

/** One bucket that a request must find a token in. */
export interface BucketCheck {
  buckets: TokenBuckets;
  key: string;
}

export type Admission<Check extends BucketCheck> =
  { allowed: true } | { allowed: false; retryAfterSeconds: number; firstRejections: Check[] };

/**
 * Admits a request when each of its buckets has a token, and then takes one from each. A
 * rejected request takes none, so a client stopped by one bucket does not drain the others.
 */
export function admit<Check extends BucketCheck>(checks: Check[]): Admission<Check> {
  const empty = checks.filter((check) => check.buckets.tokens(check.key) < 1);
  if (empty.length === 0) {
    for (const check of checks) {
      check.buckets.take(check.key);
    }
    return { allowed: true };
  }
  let retryAfterSeconds = 0;
  const firstRejections: Check[] = [];
  for (const check of empty) {
    const rejection = check.buckets.reject(check.key);
    retryAfterSeconds = Math.max(retryAfterSeconds, rejection.retryAfterSeconds);
    if (rejection.first) {
      firstRejections.push(check);
    }
  }
  return { allowed: false, retryAfterSeconds, firstRejections };
}
