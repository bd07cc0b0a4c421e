import { createHash } from 'node:crypto';

/** The database the responder serves and the bridge names. */
export const BENCH_DB = 'bench';

/** One person of the load benchmark: an Odoo user with an API key of their own. */
export interface BenchPerson {
  index: number;
  email: string;
  /** The Odoo login, which is the email, as for the demo people. */
  login: string;
  uid: number;
  apiKey: string;
}

/** The first uid; Odoo's own users (admin, OdooBot, the public user) take the ones below. */
const FIRST_UID = 100;

/**
 * Returns the bench person with this index. The responder and the bench derive the same
 * people from the index alone, so no list has to pass between the processes.
 */
export function benchPerson(index: number): BenchPerson {
  const email = `person-${index}@example.com`;
  // Odoo's API keys are 40 hexadecimal characters.
  const apiKey = createHash('sha256').update(`bench-key-${index}`).digest('hex').slice(0, 40);
  return { index, email, login: email, uid: FIRST_UID + index, apiKey };
}

/** Returns the first `count` bench people. */
export function benchPeople(count: number): BenchPerson[] {
  return Array.from({ length: count }, (_, index) => benchPerson(index));
}
