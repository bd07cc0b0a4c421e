import { type ComputeFunction, field } from '../orm/fields.js';
import { many2oneId, type ModelSpec } from '../orm/database.js';
import {
  ACCESS_RIGHTS_MANAGERS,
  EVERYONE,
  INTERNAL_USERS,
  SETTINGS_MANAGERS,
} from '../access/groups.js';

const LANGUAGES: [string, string][] = [['en_US', 'English (US)']];

// Odoo lists every IANA zone here; the demo offers the zones of its own data.
const TIME_ZONES: [string, string][] = [
  ['America/Chicago', 'America/Chicago'],
  ['America/Los_Angeles', 'America/Los_Angeles'],
  ['America/New_York', 'America/New_York'],
  ['Europe/Brussels', 'Europe/Brussels'],
  ['UTC', 'UTC'],
];

/**
 * Reads a field of auth_oauth's `USER_PRIVATE_FIELDS`. Odoo shows `********` in place of the
 * value, empty or not, to anyone without write access to res.users, the Access Rights group
 * (`_fetch_query` in 18.0's res_users.py).
 * NOTE: Odoo also raises "Invalid search criterion" for such a field in a non-superuser
 * domain. The demo matches the domain against the value the caller may read instead.
 */
function maskPrivateField(name: string): ComputeFunction {
  return (record, env) =>
    env.hasGroup('base.group_erp_manager') ? (record[name] ?? false) : '********';
}

export const RES_USERS: ModelSpec = {
  name: 'res.users',
  description: 'User',
  order: 'name, login',
  nameSearchFields: ['name', 'login'],
  readGroups: EVERYONE,
  fields: [
    field.many2one('partner_id', 'Related Partner', 'res.partner', { required: true }),
    field.char('login', 'Login', { required: true, help: 'Used to log into the system' }),
    field.char('name', 'Name', { required: true }),
    field.char('email', 'Email'),
    field.boolean('active', 'Active'),
    field.many2one('company_id', 'Company', 'res.company', { required: true }),
    field.many2many('company_ids', 'Companies', 'res.company'),
    field.many2many('groups_id', 'Groups', 'res.groups', { until: '18.0' }),
    field.many2many('group_ids', 'Groups', 'res.groups', { since: '19.0' }),
    field.many2many('all_group_ids', 'Groups and implied groups', 'res.groups', {
      since: '19.0',
      readonly: true,
      store: false,
      searchable: true,
    }),
    field.boolean('share', 'Share User', { readonly: true }),
    field.selection('lang', 'Language', LANGUAGES),
    field.selection('tz', 'Timezone', TIME_ZONES),
    field.datetime('login_date', 'Latest authentication', { readonly: true, store: false }),
    field.html('signature', 'Email Signature'),
    field.many2one('sale_team_id', 'User Sales Team', 'crm.team', {
      store: false,
      searchable: true,
    }),
    field.many2one('oauth_provider_id', 'OAuth Provider', 'auth.oauth.provider'),
    field.char('oauth_uid', 'OAuth User ID', { help: 'Oauth Provider user_id' }),
    field.char('oauth_access_token', 'OAuth Access Token', {
      readonly: true,
      compute: maskPrivateField('oauth_access_token'),
    }),
    field.one2many('api_key_ids', 'API Keys', 'res.users.apikeys', 'user_id'),
  ],
};

export const RES_USERS_APIKEYS: ModelSpec = {
  name: 'res.users.apikeys',
  description: 'Users API Keys',
  order: 'id',
  logAccess: false,
  readGroups: INTERNAL_USERS,
  fields: [
    field.char('name', 'Description', { required: true, readonly: true }),
    field.many2one('user_id', 'User', 'res.users', { required: true, readonly: true }),
    field.char('scope', 'Scope', { readonly: true }),
    field.datetime('create_date', 'Creation Date', { readonly: true }),
    field.datetime('expiration_date', 'Expiration Date', { readonly: true, since: '18.0' }),
  ],
};

export const RES_GROUPS: ModelSpec = {
  name: 'res.groups',
  description: 'Access Groups',
  order: 'name',
  readGroups: EVERYONE,
  nameSearchFields: ['full_name'],
  fields: [
    field.char('name', 'Name', { required: true }),
    field.char('full_name', 'Group Name', { readonly: true, store: false, searchable: true }),
    field.many2many('users', 'Users', 'res.users', { until: '18.0' }),
    field.many2many('user_ids', 'Users', 'res.users', { since: '19.0' }),
    field.many2many('implied_ids', 'Inherits', 'res.groups'),
    field.boolean('share', 'Share Group', { readonly: true }),
    field.text('comment', 'Comment'),
  ],
  displayName: (record) => String(record.full_name).replace('/', ' / '),
};

export const RES_COMPANY: ModelSpec = {
  name: 'res.company',
  description: 'Companies',
  order: 'sequence, name',
  readGroups: EVERYONE,
  fields: [
    field.char('name', 'Company Name', { required: true }),
    field.many2one('partner_id', 'Partner', 'res.partner', { required: true }),
    field.many2one('currency_id', 'Currency', 'res.currency', { required: true }),
    field.integer('sequence', 'Sequence', { aggregator: false }),
    field.many2one('parent_id', 'Parent Company', 'res.company'),
    field.one2many('child_ids', 'Branches', 'res.company', 'parent_id'),
    field.char('street', 'Street'),
    field.char('city', 'City'),
    field.char('zip', 'Zip'),
    field.many2one('state_id', 'Fed. State', 'res.country.state'),
    field.many2one('country_id', 'Country', 'res.country'),
    field.char('email', 'Email'),
    field.char('phone', 'Phone'),
    field.char('vat', 'Tax ID'),
    field.boolean('active', 'Active'),
  ],
};

export const RES_CURRENCY: ModelSpec = {
  name: 'res.currency',
  description: 'Currency',
  order: 'active desc, name',
  readGroups: EVERYONE,
  fields: [
    field.char('name', 'Currency', { required: true, help: 'Currency Code (ISO 4217)' }),
    field.char('full_name', 'Name'),
    field.char('symbol', 'Symbol', { required: true }),
    field.float('rate', 'Current Rate', { readonly: true, store: false, aggregator: false }),
    field.float('rounding', 'Rounding Factor', { aggregator: false }),
    field.integer('decimal_places', 'Decimal Places', { readonly: true, store: false }),
    field.boolean('active', 'Active'),
    field.selection('position', 'Symbol Position', [
      ['after', 'After Amount'],
      ['before', 'Before Amount'],
    ]),
  ],
};

export const RES_COUNTRY: ModelSpec = {
  name: 'res.country',
  description: 'Country',
  order: 'name',
  nameSearchFields: ['name', 'code'],
  readGroups: EVERYONE,
  fields: [
    field.char('name', 'Country Name', { required: true }),
    field.char('code', 'Country Code', { help: 'The ISO country code in two chars.' }),
    field.integer('phone_code', 'Country Calling Code', { aggregator: false }),
    field.many2one('currency_id', 'Currency', 'res.currency'),
    field.one2many('state_ids', 'States', 'res.country.state', 'country_id'),
  ],
};

export const RES_COUNTRY_STATE: ModelSpec = {
  name: 'res.country.state',
  description: 'Country state',
  order: 'code',
  nameSearchFields: ['name', 'code'],
  readGroups: EVERYONE,
  fields: [
    field.many2one('country_id', 'Country', 'res.country', { required: true }),
    field.char('name', 'State Name', { required: true }),
    field.char('code', 'State Code', { required: true }),
  ],
  displayName: (record, db) => {
    const country = db.table('res.country')?.get(many2oneId(record.country_id) || 0);
    return `${String(record.name)} (${String(country?.code ?? '')})`;
  },
};

export const RES_PARTNER_CATEGORY: ModelSpec = {
  name: 'res.partner.category',
  description: 'Partner Tags',
  order: 'name',
  readGroups: EVERYONE,
  fields: [
    field.char('name', 'Tag Name', { required: true }),
    field.integer('color', 'Color', { aggregator: false }),
    field.many2one('parent_id', 'Parent Category', 'res.partner.category'),
    field.boolean('active', 'Active'),
    field.many2many('partner_ids', 'Partners', 'res.partner'),
  ],
};

export const IR_MODEL: ModelSpec = {
  name: 'ir.model',
  description: 'Models',
  order: 'model',
  recName: 'name',
  nameSearchFields: ['name', 'model'],
  readGroups: ACCESS_RIGHTS_MANAGERS,
  fields: [
    field.char('name', 'Model Description', { required: true }),
    field.char('model', 'Model', { required: true }),
    field.text('info', 'Information'),
    field.one2many('field_id', 'Fields', 'ir.model.fields', 'model_id'),
    field.selection('state', 'Type', [
      ['manual', 'Custom Object'],
      ['base', 'Base Object'],
    ]),
    field.boolean('transient', 'Transient Model'),
    field.char('modules', 'In Apps', { readonly: true, store: false }),
  ],
};

export const IR_MODEL_FIELDS: ModelSpec = {
  name: 'ir.model.fields',
  description: 'Fields',
  order: 'name',
  readGroups: ACCESS_RIGHTS_MANAGERS,
  fields: [
    field.char('name', 'Field Name', { required: true }),
    field.char('model', 'Model Name', { required: true }),
    field.many2one('model_id', 'Model', 'ir.model', { required: true }),
    field.char('field_description', 'Field Label', { required: true }),
    field.text('help', 'Field Help'),
    field.char('ttype', 'Field Type', { required: true }),
    field.char('relation', 'Related Model'),
    field.char('relation_field', 'Related Field'),
    field.boolean('required', 'Required'),
    field.boolean('readonly', 'Readonly'),
    field.boolean('store', 'Stored'),
  ],
  displayName: (record) => `${String(record.field_description)} (${String(record.model)})`,
};

export const AUTH_OAUTH_PROVIDER: ModelSpec = {
  name: 'auth.oauth.provider',
  description: 'OAuth2 provider',
  order: 'sequence, name',
  readGroups: SETTINGS_MANAGERS,
  fields: [
    field.char('name', 'Provider name', { required: true }),
    field.char('client_id', 'Client ID'),
    field.char('auth_endpoint', 'Authorization URL', { required: true }),
    field.char('scope', 'Scope'),
    field.char('validation_endpoint', 'UserInfo URL', { required: true }),
    field.char('data_endpoint', 'Data Endpoint'),
    field.boolean('enabled', 'Allowed'),
    field.char('css_class', 'CSS class'),
    field.char('body', 'Login button label', { required: true }),
    field.integer('sequence', 'Sequence', { aggregator: false }),
  ],
};
