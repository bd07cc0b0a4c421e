import type { DemoDatabase, DemoRecord, FieldValue } from '../orm/database.js';
import { majorOf, type OdooSeries } from '../version.js';

const DAY = 86_400_000;

function pad(value: number): string {
  return String(value).padStart(2, '0');
}

/** Raw values of a record being generated; fields the series lacks are dropped later. */
export type RawRecord = { id?: number } & Record<string, FieldValue | undefined>;

/**
 * The state shared by the data generators: the database being filled, the series, the
 * seeded random generator and the reference day that all dates are relative to.
 */
export class DataBuilder {
  readonly random = new SeededRandom(20_260_101);
  private readonly nextIds = new Map<string, number>();
  /** Midnight UTC of the reference day. */
  private readonly midnight: number;

  constructor(
    readonly db: DemoDatabase,
    today: Date,
  ) {
    this.midnight = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate());
  }

  get series(): OdooSeries {
    return this.db.series;
  }

  /** Whether the series is at least the given major version, for one-line data differences. */
  since(major: number): boolean {
    return majorOf(this.series) >= major;
  }

  /**
   * Adds a record; without an id it gets the next free one of its model. Records of a model
   * that the series does not have are returned but not stored.
   */
  insert(model: string, values: RawRecord): DemoRecord {
    const table = this.db.table(model);
    if (table === undefined && this.db.absentModels.has(model)) {
      return { ...values, id: values.id ?? 0 } as DemoRecord;
    }
    if (table === undefined) {
      throw new Error(`Demo data for unknown model ${model}`);
    }
    const id = values.id ?? this.nextIds.get(model) ?? 1;
    this.nextIds.set(model, Math.max(this.nextIds.get(model) ?? 1, id + 1));
    const record = { ...values, id } as DemoRecord;
    table.insert(record);
    return record;
  }

  get(model: string, id: number): DemoRecord {
    const record = this.db.table(model)?.get(id);
    if (record === undefined) {
      throw new Error(`Demo data refers to missing ${model} ${id}`);
    }
    return record;
  }

  /** Returns the UTC datetime `days` days before the reference day, at the given time of day. */
  datetime(days: number, hour = 9, minute = 0, second = 0): string {
    const instant = new Date(
      this.midnight - days * DAY + ((hour * 60 + minute) * 60 + second) * 1000,
    );
    return (
      `${this.date(0, instant)} ${pad(instant.getUTCHours())}:${pad(instant.getUTCMinutes())}:` +
      pad(instant.getUTCSeconds())
    );
  }

  /** Returns the date `days` days before the reference day (after it for negative `days`). */
  date(days: number, from?: Date): string {
    const instant = from ?? new Date(this.midnight - days * DAY);
    const month = pad(instant.getUTCMonth() + 1);
    return `${instant.getUTCFullYear()}-${month}-${pad(instant.getUTCDate())}`;
  }

  /** Counts the days from a date string to the reference day (positive in the past). */
  daysAgo(date: string): number {
    return Math.round((this.midnight - Date.parse(`${date.slice(0, 10)}T00:00:00Z`)) / DAY);
  }

  /** The reference day as a date string. */
  get today(): string {
    return this.date(0);
  }
}

/**
 * A seeded pseudo-random generator (mulberry32), so the demo data are the same on every
 * start. Not for anything that needs unpredictability.
 */
export class SeededRandom {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Returns a float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  }

  /** Returns an integer in [min, max], both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }

  /** Picks an item with a probability proportional to its weight. */
  weighted<T>(items: readonly T[], weight: (item: T) => number): T {
    const total = items.reduce((sum, item) => sum + weight(item), 0);
    let threshold = this.next() * total;
    for (const item of items) {
      threshold -= weight(item);
      if (threshold < 0) {
        return item;
      }
    }
    return items.at(-1)!;
  }

  /** Picks up to `count` distinct items, in a random order. */
  sample<T>(items: readonly T[], count: number): T[] {
    const pool = [...items];
    const chosen: T[] = [];
    while (chosen.length < count && pool.length > 0) {
      chosen.push(pool.splice(Math.floor(this.next() * pool.length), 1)[0]!);
    }
    return chosen;
  }
}
