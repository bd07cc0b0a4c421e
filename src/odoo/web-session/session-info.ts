import { z } from 'zod';
import { OdooError } from '../errors.js';
import type { OdooWebSession } from './types.js';

/** Odoo sends `false` for an empty value of any type. */
const odooFalse = z.literal(false);

const optionalText = z.union([z.string(), odooFalse]).optional();

/**
 * The part of Odoo's session info that the bridge uses, as recorded from Odoo 17.0, 18.0 and
 * 19.0. Odoo adds `user_companies` for internal users only (web/models/ir_http.py).
 */
const sessionInfoSchema = z.object({
  uid: z.number().int().positive(),
  db: z.string(),
  is_internal_user: z.boolean(),
  username: optionalText,
  name: optionalText,
  server_version: z.string().optional(),
  user_context: z.object({ lang: optionalText, tz: optionalText }).optional(),
  user_companies: z
    .object({
      current_company: z.number(),
      allowed_companies: z.record(z.string(), z.object({ id: z.number() })),
    })
    .optional(),
});

type SessionInfo = z.infer<typeof sessionInfoSchema>;

/**
 * Reads the result of `/web/session/get_session_info` (or `/web/session/authenticate`) for the
 * session `sessionId`. Throws a `transport` error when the result lacks a signed-in uid or has
 * values of other types.
 */
export function readSessionInfo(result: unknown, sessionId: string): OdooWebSession {
  const parsed = sessionInfoSchema.safeParse(result);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((issue) => issue.path.join('.')).join(', ');
    const message = `Odoo's session info has missing or unexpected values in: ${fields}.`;
    throw new OdooError('transport', message, { method: 'get_session_info' });
  }
  return toWebSession(parsed.data, sessionId);
}

function toWebSession(info: SessionInfo, sessionId: string): OdooWebSession {
  const companies = info.user_companies;
  return {
    sessionId,
    db: info.db,
    uid: info.uid,
    login: textOf(info.username),
    name: textOf(info.name),
    internal: info.is_internal_user,
    companyId: companies?.current_company,
    companyIds: Object.values(companies?.allowed_companies ?? {}).map((company) => company.id),
    tz: textOf(info.user_context?.tz),
    lang: textOf(info.user_context?.lang),
    serverVersion: info.server_version,
  };
}

function textOf(value: string | false | undefined): string | undefined {
  return value === false || value === '' ? undefined : value;
}
