import { createHash } from 'node:crypto';
import { type DemoRecord, type Env, idsOf, many2oneId } from '../orm/database.js';
import { majorOf, versionInfo } from '../version.js';
import { storeData, userSettings } from './session-discuss.js';

type Info = Record<string, unknown>;

/**
 * Builds what `/web/session/get_session_info` and `/web/session/authenticate` return for the
 * env's user: web's `ir.http.session_info` plus the keys the modules of the recorded servers
 * add (mail, bus, barcodes, base_setup, mail_bot, web_tour, spreadsheet), in the recorded key
 * order of each series. As in Odoo 18's source, the companies, the menu hash and the keys of
 * barcodes, base_setup and mail_bot go to internal users only.
 * NOTE: only internal users' session info was recorded; portal users' keys follow that source.
 */
export function sessionInfo(env: Env, baseUrl: string): Info {
  const major = majorOf(env.series);
  if (major <= 17) {
    return sessionInfo17(env, baseUrl);
  }
  return major === 18 ? sessionInfo18(env, baseUrl) : sessionInfo19(env, baseUrl);
}

function sessionInfo17(env: Env, baseUrl: string): Info {
  const internal = isInternal(env);
  return {
    ...userFlags(env),
    user_settings: userSettings(env),
    ...serverVersion(env),
    name: env.user.name,
    username: env.user.login,
    partner_display_name: partnerOf(env).display_name,
    partner_id: partnerOf(env).id,
    ...clientLimits(env, baseUrl),
    cache_hashes: cacheHashes(env),
    currencies: currencies(env),
    bundle_params: { lang: env.user.lang },
    ...(internal ? { ...companies(env), display_switch_company_menu: switchesCompany(env) } : {}),
    user_id: [env.uid],
    ...(internal ? { max_time_between_keys_in_ms: 100 } : {}),
    websocket_worker_version: '17.0-1',
    notification_type: 'email',
    ...(internal ? { odoobot_initialized: false } : {}),
    is_quick_edit_mode_enabled: false,
  };
}

function sessionInfo18(env: Env, baseUrl: string): Info {
  const internal = isInternal(env);
  return {
    ...userFlags(env),
    user_settings: userSettings(env),
    ...serverVersion(env),
    name: env.user.name,
    username: env.user.login,
    partner_write_date: partnerOf(env).write_date,
    partner_display_name: partnerOf(env).display_name,
    partner_id: partnerOf(env).id,
    ...clientLimits(env, baseUrl),
    cache_hashes: cacheHashes(env),
    currencies: currencies(env),
    bundle_params: { lang: env.user.lang },
    test_mode: false,
    view_info: VIEW_INFO,
    ...(internal
      ? {
          ...companies(env),
          display_switch_company_menu: switchesCompany(env),
          max_time_between_keys_in_ms: 150,
        }
      : {}),
    websocket_worker_version: '18.0-2',
    tour_enabled: false,
    current_tour: null,
    storeData: storeData(env, partnerOf(env)),
    ...(internal ? { odoobot_initialized: false } : {}),
    can_insert_in_spreadsheet: false,
  };
}

// NOTE: recorded on 19.0 for an internal user. Later series are assumed to return the same keys.
function sessionInfo19(env: Env, baseUrl: string): Info {
  const internal = isInternal(env);
  return {
    ...userFlags(env),
    registry_hash: digest('sha256', `${env.db.name}:${env.series}:registry`),
    user_settings: userSettings(env),
    ...serverVersion(env),
    name: env.user.name,
    username: env.user.login,
    quick_login: true,
    partner_write_date: partnerOf(env).write_date,
    partner_display_name: partnerOf(env).display_name,
    partner_id: partnerOf(env).id,
    ...clientLimits(env, baseUrl),
    currencies: currencies(env),
    bundle_params: { lang: env.user.lang },
    test_mode: false,
    view_info: VIEW_INFO,
    groups: { 'base.group_allow_export': env.hasGroup('base.group_allow_export') },
    ...(internal ? { ...companies(env), max_time_between_keys_in_ms: 150 } : {}),
    websocket_worker_version: `${env.series}-2`,
    tour_enabled: false,
    current_tour: null,
    storeData: storeData(env, partnerOf(env)),
    can_insert_in_spreadsheet: false,
  };
}

/** `_is_internal()`: a user who is not a share (portal or public) user. */
function isInternal(env: Env): boolean {
  return env.user.share !== true;
}

function userFlags(env: Env): Info {
  return {
    uid: env.uid,
    is_system: env.hasGroup('base.group_system'),
    // `_is_admin()` is the Access Rights group, which Settings implies.
    is_admin: env.hasGroup('base.group_erp_manager'),
    is_public: env.hasGroup('base.group_public'),
    is_internal_user: isInternal(env),
    user_context: { lang: env.user.lang, tz: env.user.tz, uid: env.uid },
    db: env.db.name,
  };
}

function serverVersion(env: Env): Info {
  const { server_version, server_version_info } = versionInfo(env.series);
  return { server_version, server_version_info, support_url: 'https://www.odoo.com/buy' };
}

/** Returns the keys from `web.base.url` to `home_action_id`, with Odoo's default parameters. */
function clientLimits(env: Env, baseUrl: string): Info {
  return {
    'web.base.url': baseUrl,
    active_ids_limit: 20000,
    profile_session: null,
    profile_collectors: null,
    profile_params: null,
    // Odoo's DEFAULT_MAX_CONTENT_LENGTH: 128 MiB.
    max_file_upload_size: 134217728,
    home_action_id: many2oneId(env.user.action_id),
  };
}

function partnerOf(env: Env): DemoRecord {
  const partner = env.db.require('res.partner').get(many2oneId(env.user.partner_id) || 0);
  if (partner === undefined) {
    throw new Error(`The demo user ${env.uid} has no partner`);
  }
  return partner;
}

/**
 * Derives the hashes the web client caches translations and menus under. The demo serves
 * neither, so these are stable digests of the same lengths (SHA-1, and SHA-512 cut to 64).
 */
function cacheHashes(env: Env): Info {
  const translations = digest('sha1', `${env.series}:translations:${String(env.user.lang)}`);
  if (!isInternal(env)) {
    return { translations };
  }
  const groups = [...env.groups].sort().join(',');
  const menus = digest('sha512', `${env.series}:menus:${groups}`).slice(0, 64);
  return { translations, load_menus: menus };
}

/** `get_currencies`: the active currencies by id; 19.0 adds the currency code. */
function currencies(env: Env): Info {
  const result: Info = {};
  for (const currency of env.db.require('res.currency').all()) {
    if (currency.active !== true) {
      continue;
    }
    const format = {
      symbol: currency.symbol,
      position: currency.position,
      digits: [69, currency.decimal_places],
    };
    result[currency.id] = majorOf(env.series) >= 19 ? { name: currency.name, ...format } : format;
  }
  return result;
}

/**
 * `user_companies` and `show_effect`: the user's companies, with the parents the user may not
 * switch to listed apart. 19.0 adds each company's currency.
 */
function companies(env: Env): Info {
  const table = env.db.require('res.company');
  const userCompanyIds = idsOf(env.user.company_ids);
  const allowed = userCompanyIds.flatMap((id) => table.get(id) ?? []);
  const ancestors = allowed
    .map((company) => table.get(many2oneId(company.parent_id) || 0))
    .filter((company): company is DemoRecord => company !== undefined)
    .filter((company) => !userCompanyIds.includes(company.id));
  const hierarchy = [...userCompanyIds, ...ancestors.map((company) => company.id)];
  const describe = (company: DemoRecord, visible: number[]): Info => ({
    id: company.id,
    name: company.name,
    sequence: company.sequence,
    child_ids: idsOf(company.child_ids).filter((id) => visible.includes(id)),
    parent_id: many2oneId(company.parent_id),
    ...(majorOf(env.series) >= 19 ? { currency_id: many2oneId(company.currency_id) } : {}),
  });
  return {
    user_companies: {
      current_company: many2oneId(env.user.company_id),
      allowed_companies: Object.fromEntries(
        allowed.map((company) => [company.id, describe(company, userCompanyIds)]),
      ),
      disallowed_ancestor_companies: Object.fromEntries(
        ancestors.map((company) => [company.id, describe(company, hierarchy)]),
      ),
    },
    show_effect: true,
  };
}

/**
 * Tells whether the company switcher shows. Odoo adds users of several companies to the
 * multi-company group (res_users.py), and the menu needs that group and two companies.
 */
function switchesCompany(env: Env): boolean {
  return idsOf(env.user.company_ids).length > 1;
}

function digest(algorithm: string, text: string): string {
  return createHash(algorithm).update(text).digest('hex');
}

/** `ir.ui.view.get_view_info()` of the recorded 18.0 and 19.0 servers. */
const VIEW_INFO = {
  list: { display_name: 'List', icon: 'oi oi-view-list', multi_record: true },
  form: { display_name: 'Form', icon: 'fa fa-address-card', multi_record: false },
  graph: { display_name: 'Graph', icon: 'fa fa-area-chart', multi_record: true },
  pivot: { display_name: 'Pivot', icon: 'oi oi-view-pivot', multi_record: true },
  calendar: { display_name: 'Calendar', icon: 'fa fa-calendar', multi_record: true },
  kanban: { display_name: 'Kanban', icon: 'oi oi-view-kanban', multi_record: true },
  search: { display_name: 'Search', icon: 'oi oi-search', multi_record: true },
  activity: { display_name: 'Activity', icon: 'fa fa-clock-o', multi_record: true },
};
