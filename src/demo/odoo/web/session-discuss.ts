import { createHash } from 'node:crypto';
import { PARTNER_IDS } from '../data/base-data.js';
import type { DemoRecord, Env } from '../orm/database.js';
import { majorOf } from '../version.js';

/**
 * The discuss (mail) parts of the session info, `user_settings` and `storeData`, with the
 * keys of the recorded 17.0, 18.0 and 19.0 responses. The demo has no res.users.settings or
 * mail records, so ids and flags are the defaults of a fresh user.
 */

const ODOOBOT_UID = 1;
const VOLUMES = [['ADD', []]];

/** Returns `user_settings` (res.users.settings `_res_users_settings_format`) for the series. */
export function userSettings(env: Env): Record<string, unknown> {
  const major = majorOf(env.series);
  // The demo has one settings record per user, so its id is the uid.
  const id = env.uid;
  const common = {
    is_discuss_sidebar_category_channel_open: true,
    is_discuss_sidebar_category_chat_open: true,
    push_to_talk_key: false,
    use_push_to_talk: false,
    voice_active_duration: 200,
  };
  if (major <= 17) {
    return { id, user_id: { id: env.uid }, ...common, volume_settings_ids: VOLUMES };
  }
  if (major === 18) {
    return {
      id,
      user_id: { id: env.uid },
      ...common,
      channel_notifications: false,
      mute_until_dt: false,
      volumes: VOLUMES,
    };
  }
  return {
    id,
    embedded_actions_config_ids: {},
    ...common,
    channel_notifications: false,
    user_id: { id: env.uid },
    volumes: VOLUMES,
  };
}

/** Returns `storeData`, the discuss store the web client starts with, from 18.0 on. */
export function storeData(env: Env, partner: DemoRecord): Record<string, unknown> {
  const odooBot = env.db.require('res.partner').get(PARTNER_IDS.odooBot);
  const odooBotWriteDate = odooBot?.write_date ?? false;
  if (majorOf(env.series) === 18) {
    return {
      Store: {
        action_discuss_id: 126,
        channel_types_with_seen_infos: ['chat', 'group'],
        hasGifPickerFeature: false,
        hasLinkPreviewFeature: true,
        hasMessageTranslationFeature: false,
        internalUserGroupId: 1,
        mt_comment_id: 1,
        odoobot: { id: PARTNER_IDS.odooBot, type: 'partner' },
        self: { id: partner.id, type: 'partner' },
        settings: userSettings(env),
      },
      'res.partner': [
        {
          active: false,
          email: 'odoobot@example.com',
          id: PARTNER_IDS.odooBot,
          im_status: 'bot',
          isInternalUser: true,
          is_company: false,
          name: 'OdooBot',
          userId: ODOOBOT_UID,
          write_date: odooBotWriteDate,
        },
        {
          active: partner.active,
          id: partner.id,
          isAdmin: env.hasGroup('base.group_erp_manager'),
          isInternalUser: env.hasGroup('base.group_user'),
          name: partner.name,
          notification_preference: 'email',
          userId: env.uid,
          write_date: partner.write_date,
        },
      ],
    };
  }
  return storeData19(env, partner, odooBotWriteDate);
}

function storeData19(
  env: Env,
  partner: DemoRecord,
  odooBotWriteDate: unknown,
): Record<string, unknown> {
  return {
    Store: {
      action_discuss_id: 125,
      channel_types_with_seen_infos: ['chat', 'group'],
      hasCannedResponses: true,
      hasGifPickerFeature: false,
      hasLinkPreviewFeature: true,
      hasMessageTranslationFeature: false,
      internalUserGroupId: 1,
      mt_comment: 1,
      mt_note: 2,
      odoobot: PARTNER_IDS.odooBot,
      self_partner: partner.id,
      settings: userSettings(env),
    },
    'res.partner': [
      {
        active: false,
        avatar_128_access_token: accessToken(env, 'avatar', PARTNER_IDS.odooBot),
        email: 'odoobot@example.com',
        id: PARTNER_IDS.odooBot,
        im_status: 'bot',
        im_status_access_token: accessToken(env, 'im_status', PARTNER_IDS.odooBot),
        is_company: false,
        main_user_id: ODOOBOT_UID,
        name: 'OdooBot',
        write_date: odooBotWriteDate,
      },
      {
        active: partner.active,
        avatar_128_access_token: accessToken(env, 'avatar', partner.id),
        id: partner.id,
        im_status: 'offline',
        im_status_access_token: accessToken(env, 'im_status', partner.id),
        main_user_id: env.uid,
        name: partner.name,
        write_date: partner.write_date,
      },
    ],
    'res.users': [
      { id: ODOOBOT_UID, partner_id: PARTNER_IDS.odooBot, share: false },
      {
        id: env.uid,
        is_admin: env.hasGroup('base.group_erp_manager'),
        notification_type: 'email',
        partner_id: partner.id,
        share: env.user.share,
        signature: ['markup', signatureOf(env.user)],
      },
    ],
  };
}

/** Odoo's default signature is the user's name in a `<div>`. */
function signatureOf(user: DemoRecord): string {
  if (typeof user.signature === 'string' && user.signature !== '') {
    return user.signature;
  }
  const name = String(user.name).replace(/&/g, '&amp;').replace(/</g, '&lt;');
  return `<div>${name}</div>`;
}

/**
 * Makes up the access token of a partner's avatar or presence. Odoo signs these with the
 * database secret. The demo derives a stable digest instead, which nothing checks.
 */
function accessToken(env: Env, kind: string, partnerId: number): string {
  return createHash('sha256').update(`${env.db.name}:${kind}:${partnerId}`).digest('hex');
}
