import { z } from 'zod';
import type { OdooClient } from './client.js';
import { OdooError } from './errors.js';
import type { ApiKeyCredential, CallOptions } from './types.js';

/** The Odoo user an API key signs in as, read with that same key. */
export interface OdooIdentity {
  uid: number;
  login: string;
  email: string | undefined;
  name: string;
  /** True for portal and public users, who are not employees of the company. */
  share: boolean;
  /** The user's current company. */
  companyId: number | undefined;
  companyName: string | undefined;
  /** Every company the user may switch to. */
  companyIds: number[];
  /** IANA time zone, such as "Europe/Brussels". */
  tz: string | undefined;
  /** Language code, such as "en_US". */
  lang: string | undefined;
}

const USER_FIELDS = ['login', 'email', 'name', 'share', 'company_id', 'company_ids', 'tz', 'lang'];

/** Odoo sends `false` for an empty field of any type. */
const odooFalse = z.literal(false);

const userRecord = z.object({
  id: z.number(),
  login: z.string(),
  email: z.union([z.string(), odooFalse]),
  name: z.string(),
  share: z.boolean(),
  company_id: z.union([z.tuple([z.number(), z.string()]), odooFalse]),
  company_ids: z.union([z.array(z.number()), odooFalse]),
  tz: z.union([z.string(), odooFalse]),
  lang: z.union([z.string(), odooFalse]),
});

/**
 * Authenticates `credential` and reads the user it signs in as, with that same credential, so
 * the caller can check that the key belongs to the person who is signed in.
 */
export async function identifyPerson(
  client: OdooClient,
  credential: ApiKeyCredential,
  options: CallOptions = {},
): Promise<OdooIdentity> {
  const uid = await client.authenticate(credential, options);
  const connection = client.connect(credential, uid);
  const kwargs = { fields: USER_FIELDS };
  const rows = await connection.executeKw('res.users', 'read', [[uid]], kwargs, options);
  return toIdentity(uid, rows);
}

function toIdentity(uid: number, rows: unknown): OdooIdentity {
  const first: unknown = Array.isArray(rows) ? rows[0] : undefined;
  if (first === undefined) {
    const message = `Odoo returned no res.users record for uid ${uid}, the user the API key signs in as.`;
    throw new OdooError('missing_record', message, { model: 'res.users', method: 'read' });
  }
  const parsed = userRecord.safeParse(first);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((issue) => issue.path.join('.')).join(', ');
    const message = `Odoo's res.users record for uid ${uid} has unexpected values in: ${fields}.`;
    throw new OdooError('transport', message, { model: 'res.users', method: 'read' });
  }
  const user = parsed.data;
  return {
    uid,
    login: user.login,
    email: user.email === false ? undefined : user.email,
    name: user.name,
    share: user.share,
    companyId: user.company_id === false ? undefined : user.company_id[0],
    companyName: user.company_id === false ? undefined : user.company_id[1],
    companyIds: user.company_ids === false ? [] : user.company_ids,
    tz: user.tz === false ? undefined : user.tz,
    lang: user.lang === false ? undefined : user.lang,
  };
}
