import { z } from 'zod';
import { OdooError } from '../../odoo/errors.js';
import type { OdooVersion } from '../../odoo/types.js';
import { joinResultText } from '../records.js';
import { notesSchema } from '../schemas.js';
import type { ToolRunResult, ToolCall, ToolDefinition } from '../tool.js';

const inputSchema = z.object({});

const companySchema = z.object({ id: z.number().int(), name: z.string() });

const outputSchema = z.object({
  email: z.string().describe('The email the person signed in to the bridge with.'),
  uid: z.number().int().describe('Odoo user id.'),
  login: z.string(),
  name: z.string(),
  company: companySchema.nullable().describe('The current company in Odoo.'),
  companies: z.array(companySchema).describe('Every company the person may work in.'),
  tz: z.string().nullable().describe('Time zone set in Odoo, such as "Europe/Brussels".'),
  lang: z.string().nullable().describe('Language code, such as "en_US".'),
  odoo_version: z.string(),
  groups: z.array(z.string()).describe('Names of the Odoo groups that grant access rights.'),
  notes: notesSchema,
});

type WhoamiOutput = z.output<typeof outputSchema>;
type Company = z.output<typeof companySchema>;

export const whoamiTool: ToolDefinition<typeof inputSchema, typeof outputSchema> = {
  name: 'whoami',
  title: 'Who am I in Odoo',
  description:
    "Show who the tools act as in Odoo: the person's email, Odoo login, user id, current and " +
    'allowed companies, time zone, language, the Odoo version and the groups that grant ' +
    'access rights. Use it when access is refused, to explain why a record is not visible, ' +
    'before choosing a company argument, and for questions about "my" records: they are those ' +
    'whose user_id (invoice_user_id on account.move) is this uid, because Odoo also shows a ' +
    'salesperson the records nobody is assigned to. Takes no arguments.',
  inputSchema,
  outputSchema,
  run: whoami,
};

/** The res.users fields whoami reads; the groups field is added by version. */
const USER_FIELDS = ['login', 'name', 'company_id', 'company_ids', 'tz', 'lang'];

interface UserRecord {
  login?: unknown;
  name?: unknown;
  company_id?: unknown;
  company_ids?: unknown;
  tz?: unknown;
  lang?: unknown;
  [groupsField: string]: unknown;
}

async function whoami(_args: unknown, call: ToolCall): Promise<ToolRunResult<WhoamiOutput>> {
  call.audit.model = 'res.users';
  const version = await call.odoo.version();
  const groupsField = groupsFieldOf(version);
  const uid = call.session.odooUid;
  const rows = await call.odoo.executeKw<UserRecord[]>('res.users', 'read', [[uid]], {
    fields: [...USER_FIELDS, groupsField],
  });
  const user = rows[0];
  if (user === undefined) {
    throw new OdooError('missing_record', `Odoo returned no res.users record for uid ${uid}.`, {
      model: 'res.users',
      method: 'read',
    });
  }
  const notes: string[] = [];
  const companies = await readNames(call, 'res.company', ['name'], idsOf(user.company_ids));
  const groups = await groupNames(call, idsOf(user[groupsField]), notes);
  const structured = toOutput(call, version, user, { companies, groups, notes });
  return { structured, text: whoamiText(structured), recordCount: 1 };
}

/** Odoo 19 renamed `res.users.groups_id` to `group_ids`; asking 19 for `groups_id` fails. */
function groupsFieldOf(version: OdooVersion): string {
  return version.major >= 19 ? 'group_ids' : 'groups_id';
}

/**
 * Reads group names, preferring `full_name` ("Sales / Administrator") over `display_name`.
 * When the person may not read `res.groups`, the names are left out with a note.
 */
async function groupNames(call: ToolCall, ids: number[], notes: string[]): Promise<string[]> {
  if (ids.length === 0) {
    return [];
  }
  try {
    return await readNamesWithFallback(call, ids);
  } catch (error) {
    if (error instanceof OdooError && error.kind === 'access') {
      notes.push(
        `Odoo does not let ${call.session.person.email} read res.groups, so group names are ` +
          `left out (${ids.length} groups).`,
      );
      return [];
    }
    throw error;
  }
}

async function readNamesWithFallback(call: ToolCall, ids: number[]): Promise<string[]> {
  try {
    return await readNames(call, 'res.groups', ['full_name'], ids).then(namesOnly);
  } catch (error) {
    // A version without full_name rejects the field name as invalid.
    if (error instanceof OdooError && error.kind === 'invalid_request') {
      return readNames(call, 'res.groups', ['display_name'], ids).then(namesOnly);
    }
    throw error;
  }
}

/** Reads `[id, name]` pairs of `ids`, taking the first of `fields` as the name. */
async function readNames(
  call: ToolCall,
  model: string,
  fields: string[],
  ids: number[],
): Promise<Company[]> {
  if (ids.length === 0) {
    return [];
  }
  const rows = await call.odoo.executeKw<Array<Record<string, unknown>>>(model, 'read', [ids], {
    fields,
  });
  const nameField = fields[0] ?? 'display_name';
  return rows
    .filter((row) => typeof row.id === 'number' && typeof row[nameField] === 'string')
    .map((row) => ({ id: row.id as number, name: row[nameField] as string }));
}

function namesOnly(pairs: Company[]): string[] {
  return pairs.map((pair) => pair.name).sort((a, b) => a.localeCompare(b));
}

function idsOf(value: unknown): number[] {
  return Array.isArray(value) ? value.filter((id): id is number => typeof id === 'number') : [];
}

function toOutput(
  call: ToolCall,
  version: OdooVersion,
  user: UserRecord,
  extra: { companies: Company[]; groups: string[]; notes: string[] },
): WhoamiOutput {
  const company = user.company_id;
  return {
    email: call.session.person.email,
    uid: call.session.odooUid,
    login: typeof user.login === 'string' ? user.login : call.session.connection.login,
    name: typeof user.name === 'string' ? user.name : '',
    company:
      Array.isArray(company) && typeof company[0] === 'number' && typeof company[1] === 'string'
        ? { id: company[0], name: company[1] }
        : null,
    companies: extra.companies,
    tz: typeof user.tz === 'string' ? user.tz : null,
    lang: typeof user.lang === 'string' ? user.lang : null,
    odoo_version: version.serverVersion,
    groups: extra.groups,
    notes: extra.notes,
  };
}

function whoamiText(output: WhoamiOutput): string {
  const companies = output.companies.map((c) => `${c.name} (id ${c.id})`).join(', ');
  const lines = [
    `${output.name} <${output.email}>, Odoo login ${output.login}, uid ${output.uid}.`,
    `Odoo ${output.odoo_version}.`,
    `Current company: ${output.company === null ? 'none' : `${output.company.name} (id ${output.company.id})`}.`,
    `Companies: ${companies === '' ? 'none' : companies}.`,
    `Time zone: ${output.tz ?? 'not set'}. Language: ${output.lang ?? 'not set'}.`,
    `Groups: ${output.groups.length === 0 ? 'none listed' : output.groups.join(', ')}.`,
  ];
  return joinResultText([lines.join('\n')], output.notes);
}
