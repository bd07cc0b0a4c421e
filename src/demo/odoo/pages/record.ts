import { html } from 'hono/html';
import { readValue } from '../domain/evaluate.js';
import { formatValue } from '../methods/search.js';
import { type DemoDatabase, type DemoRecord, Env, type ModelTable } from '../orm/database.js';
import type { FieldSpec } from '../orm/fields.js';
import { demoPage } from './shell.js';

/** How many fields the page shows besides the record's name. */
const SHOWN_FIELDS = 8;

const SHOWN_TYPES = new Set([
  'char',
  'selection',
  'date',
  'datetime',
  'monetary',
  'float',
  'integer',
  'many2one',
  'boolean',
]);

const HIDDEN_FIELDS = new Set([
  'id',
  'display_name',
  'active',
  'create_uid',
  'create_date',
  'write_uid',
  'write_date',
]);

const ABOUT_LINKS = html`<p class="notice">
  This is the odoo-mcp-bridge demo, an embedded stand-in for Odoo, not a real Odoo. Against a real
  Odoo, this link opens the record in Odoo's web client, where the person signs in and sees what
  Odoo's access rules let them see.
</p>`;

/**
 * Builds the page that a record link (`/odoo/<model>/<id>`) opens in the demo. The demo data
 * are public, so the record is read as the administrator, whatever the person's own rights.
 */
export function recordPage(db: DemoDatabase, model: string, id: string): Promise<Response> {
  const table = db.table(model);
  const record = /^\d{1,9}$/.test(id) ? table?.get(Number(id)) : undefined;
  if (table === undefined || record === undefined) {
    return notFoundPage(model, id);
  }
  const env = new Env(db, administrator(db), {});
  const title = String(record.display_name ?? `${model},${record.id}`);
  const content = html`<h1>${title}</h1>
    ${ABOUT_LINKS}
    <dl>
      <dt>Model</dt>
      <dd>${table.spec.description} (<code>${model}</code>)</dd>
      <dt>Id</dt>
      <dd>${record.id}</dd>
      ${shownFields(table, record, env).map(
        ([label, text]) =>
          html`<dt>${label}</dt>
            <dd>${text}</dd>`,
      )}
    </dl>`;
  return demoPage(`${title} · demo Odoo`, content);
}

function notFoundPage(model: string, id: string): Promise<Response> {
  const content = html`<h1>No such record in the demo</h1>
    ${ABOUT_LINKS}
    <p>The demo has no <code>${model}</code> record with id <code>${id}</code>.</p>`;
  return demoPage('Not found · demo Odoo', content, { status: 404 });
}

/** Returns the demo's administrator, who may read every record of both companies. */
function administrator(db: DemoDatabase): DemoRecord {
  const admin = db
    .require('res.users')
    .all()
    .find((user) => user.login === 'admin');
  if (admin === undefined) {
    throw new Error('The demo database has no admin user');
  }
  return admin;
}

/** Returns `[label, text]` for the first non-empty simple fields of the record. */
function shownFields(table: ModelTable, record: DemoRecord, env: Env): Array<[string, string]> {
  const shown: Array<[string, string]> = [];
  for (const definition of table.fields.values()) {
    if (shown.length >= SHOWN_FIELDS) {
      break;
    }
    if (!SHOWN_TYPES.has(definition.type) || HIDDEN_FIELDS.has(definition.name)) {
      continue;
    }
    const text = fieldText(env, definition, record);
    if (text !== undefined) {
      shown.push([definition.string, text]);
    }
  }
  return shown;
}

function fieldText(env: Env, definition: FieldSpec, record: DemoRecord): string | undefined {
  const value = formatValue(env, definition, readValue(env, definition, record));
  if (definition.type === 'boolean') {
    return value === true ? 'Yes' : 'No';
  }
  if (value === false || value === null || value === '') {
    return undefined;
  }
  if (Array.isArray(value)) {
    return String(value[1]);
  }
  if (definition.type === 'selection') {
    return definition.selection?.find(([key]) => key === value)?.[1] ?? String(value);
  }
  return String(value);
}

/**
 * Sends the browser on from an Odoo 17.0 link (`/web#id=7&model=sale.order&view_type=form`) to
 * the demo's record page. The fragment never reaches the server, so only a script can read it.
 */
const WEB_CLIENT_SCRIPT = `
  const params = new URLSearchParams(location.hash.slice(1));
  const model = params.get('model') ?? '';
  const id = params.get('id') ?? '';
  if (/^[a-z0-9_]+(\\.[a-z0-9_]+)*$/.test(model) && /^[0-9]+$/.test(id)) {
    location.replace(new URL('odoo/' + model + '/' + id, location.href));
  }
`;

/** Builds the page of `GET /web`, Odoo's web client, which the demo does not have. */
export function webClientPage(): Promise<Response> {
  const content = html`<h1>Demo Odoo</h1>
    ${ABOUT_LINKS}
    <p>
      A link such as <code>/web#id=7&amp;model=sale.order</code> opens the record it names here.
      Without a model and an id after the <code>#</code>, there is nothing to show.
    </p>`;
  return demoPage('Demo Odoo', content, { script: WEB_CLIENT_SCRIPT });
}
