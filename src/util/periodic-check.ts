import { TtlCache } from './ttl-cache.js';

export interface PeriodicCheckOptions {
  /** How long a success counts, in milliseconds; 0 checks every time. */
  intervalMs: number;
  maxEntries: number;
  /** How long a key is remembered, checked or ended, in milliseconds. */
  memoryMs: number;
  nowMs?: () => number;
}

/**
 * Runs a check per key at most once per interval on this instance. Concurrent callers share
 * the check in flight, and a key marked ended fails at once with the error that ended it.
 */
export class PeriodicCheck {
  private readonly lastSuccess: TtlCache<string, number>;
  private readonly ended: TtlCache<string, Error>;
  private readonly inFlight = new Map<string, Promise<void>>();
  private readonly nowMs: () => number;

  constructor(private readonly options: PeriodicCheckOptions) {
    this.nowMs = options.nowMs ?? Date.now;
    this.lastSuccess = new TtlCache(options.maxEntries, options.memoryMs, this.nowMs);
    this.ended = new TtlCache(options.maxEntries, options.memoryMs, this.nowMs);
  }

  /** Runs `check` unless it succeeded within the interval; a rejection propagates. */
  async ensure(key: string, check: () => Promise<void>): Promise<void> {
    this.throwIfEnded(key);
    const last = this.lastSuccess.get(key);
    if (last !== undefined && this.nowMs() - last < this.options.intervalMs) {
      return;
    }
    let pending = this.inFlight.get(key);
    if (pending === undefined) {
      pending = check().finally(() => this.inFlight.delete(key));
      this.inFlight.set(key, pending);
    }
    await pending;
  }

  /** Records a success, at `atMs` or now. */
  markChecked(key: string, atMs = this.nowMs()): void {
    this.lastSuccess.set(key, atMs);
  }

  hasChecked(key: string): boolean {
    return this.lastSuccess.has(key);
  }

  /** Fails every later `ensure` for the key with this error. */
  markEnded(key: string, error: Error): void {
    this.ended.set(key, error);
    this.lastSuccess.delete(key);
  }

  throwIfEnded(key: string): void {
    const error = this.ended.get(key);
    if (error !== undefined) {
      throw error;
    }
  }
}
