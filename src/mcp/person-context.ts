import { TtlCache } from '../util/ttl-cache.js';
import type { ToolCall } from './tool.js';

/** The person's Odoo preferences that shape results: time zone and language. */
export interface PersonContext {
  /** IANA time zone, such as "America/Los_Angeles"; "UTC" when the person has none set. */
  tz: string;
  /** Whether the person has no time zone in Odoo, so dates fall back to UTC. */
  tzUnset: boolean;
  /** Language code, such as "en_US". */
  lang: string;
}

const CONTEXT_TTL_MS = 10 * 60_000;
const MAX_PEOPLE = 1000;

/** Caches each person's `context_get` result, per Odoo server, database and user id. */
export class PersonContextCache {
  private readonly entries = new TtlCache<string, PersonContext>(MAX_PEOPLE, CONTEXT_TTL_MS);

  get(key: string): PersonContext | undefined {
    return this.entries.get(key);
  }

  set(key: string, context: PersonContext): void {
    this.entries.set(key, context);
  }
}

/**
 * Returns the person's time zone and language from `res.users.context_get`, which every user
 * may call and which Odoo fills from the user's preferences. One call per person per cache
 * lifetime.
 */
export async function personContext(call: ToolCall): Promise<PersonContext> {
  const { server } = call.odoo;
  const key = `${server.url.href}\0${server.db}\0${call.session.odooUid}`;
  const cached = call.contextCache.get(key);
  if (cached !== undefined) {
    return cached;
  }
  const answer = await call.odoo.executeKw<Record<string, unknown>>('res.users', 'context_get', []);
  const context = toPersonContext(answer);
  call.contextCache.set(key, context);
  return context;
}

function toPersonContext(answer: Record<string, unknown> | undefined): PersonContext {
  const tz = typeof answer?.tz === 'string' && isKnownZone(answer.tz) ? answer.tz : undefined;
  const lang = typeof answer?.lang === 'string' && answer.lang !== '' ? answer.lang : 'en_US';
  return { tz: tz ?? 'UTC', tzUnset: tz === undefined, lang };
}

/** Tells whether the runtime has an IANA zone name, since Odoo accepts a few it may lack. */
export function isKnownZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** Builds the context keys Odoo reads for labels and for date computations on its side. */
export function languageContext(context: PersonContext): Record<string, string> {
  return { lang: context.lang, tz: context.tz };
}
