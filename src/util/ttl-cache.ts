/**
 * A map with a maximum size whose entries expire. When full it evicts the least recently used
 * entry. An entry expires `ttlMs` after it was set, however often it is read.
 */
export class TtlCache<K, V> {
  private readonly entries = new Map<K, { value: V; expiresAtMs: number }>();

  constructor(
    private readonly maxEntries: number,
    /** Lifetime of an entry set without its own, in milliseconds. */
    private readonly defaultTtlMs = Number.POSITIVE_INFINITY,
    private readonly nowMs: () => number = Date.now,
  ) {
    if (!Number.isInteger(maxEntries) || maxEntries < 1) {
      throw new RangeError(`maxEntries must be a positive integer, got ${maxEntries}`);
    }
  }

  get size(): number {
    return this.entries.size;
  }

  /** Returns the value stored under `key` unless it expired, and marks it as recently used. */
  get(key: K): V | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) {
      return undefined;
    }
    if (entry.expiresAtMs <= this.nowMs()) {
      this.entries.delete(key);
      return undefined;
    }
    // A Map iterates in insertion order, so re-inserting moves the key to the recent end.
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.value;
  }

  has(key: K): boolean {
    return this.get(key) !== undefined;
  }

  set(key: K, value: V, ttlMs = this.defaultTtlMs): void {
    this.entries.delete(key);
    this.entries.set(key, { value, expiresAtMs: this.nowMs() + ttlMs });
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (oldest.done === true) {
        break;
      }
      this.entries.delete(oldest.value);
    }
  }

  delete(key: K): void {
    this.entries.delete(key);
  }
}
