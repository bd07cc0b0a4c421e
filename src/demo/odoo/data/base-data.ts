import {
  groupByXmlid,
  groupFullName,
  groupName,
  groupsOf,
  impliedClosure,
} from '../access/groups.js';
import { demoPeople, type DemoPerson } from '../people.js';
import type { DataBuilder } from './builder.js';
import { CITIES, type CityData, COUNTRIES, countryByCode, stateOf, STATES } from './places.js';

/** 16×16 PNG images, base64 as Odoo stores binary fields: one for companies, one for products. */
export const COMPANY_IMAGE =
  'iVBORw0KGgoAAAANSUhEUgAAABAAAAAQCAIAAACQkWg2AAAAFklEQVR42mMo9E4nCTGMahjVMHw1AAC/IyMQ92+cdQAAAABJRU5ErkJggg==';
export const PRODUCT_IMAGE =
  'iVBORw0KGgoAAAANSUhEUgAAABAAAAAQCAIAAACQkWg2AAAAFklEQVR42mNgrGshCTGMahjVMHw1AAAvRAMQ3HlAnQAAAABJRU5ErkJggg==';

/** The partner ids of the companies and users, fixed so other data can refer to them. */
export const PARTNER_IDS = {
  sanFrancisco: 1,
  odooBot: 2,
  admin: 3,
  publicUser: 4,
  chicago: 5,
  people: { 8: 6, 9: 7, 10: 8, 11: 9 } as Record<number, number>,
};

export function addCurrenciesAndCountries(builder: DataBuilder): void {
  const currencies = [
    { id: 1, name: 'USD', full_name: 'United States dollar', symbol: '$', position: 'before' },
    { id: 2, name: 'EUR', full_name: 'Euro', symbol: '€', position: 'after' },
    { id: 3, name: 'GBP', full_name: 'Pound sterling', symbol: '£', position: 'before' },
    { id: 4, name: 'CAD', full_name: 'Canadian dollar', symbol: '$', position: 'before' },
    { id: 5, name: 'MXN', full_name: 'Mexican peso', symbol: '$', position: 'before' },
  ];
  for (const currency of currencies) {
    const rate = { USD: 1, EUR: 0.92, GBP: 0.79, CAD: 1.37, MXN: 17.1 }[currency.name] ?? 1;
    builder.insert('res.currency', {
      ...currency,
      rate,
      rounding: 0.01,
      decimal_places: 2,
      active: currency.id <= 2,
    });
  }
  for (const country of COUNTRIES) {
    builder.insert('res.country', {
      id: country.id,
      name: country.name,
      code: country.code,
      phone_code: country.phoneCode,
      currency_id: country.currencyId,
    });
  }
  for (const state of STATES) {
    builder.insert('res.country.state', {
      id: state.id,
      name: state.name,
      code: state.code,
      country_id: state.countryId,
    });
  }
}

/** Returns the address fields of a partner or company in a city. */
export function addressIn(city: CityData, street: string): Record<string, string | number | false> {
  return {
    street,
    city: city.city,
    zip: city.zip,
    state_id: stateOf(city)?.id ?? false,
    country_id: countryByCode(city.countryCode).id,
    country_code: city.countryCode,
  };
}

export function addCompanies(builder: DataBuilder): void {
  const companies = [
    {
      id: 1,
      name: 'My Company (San Francisco)',
      partnerId: PARTNER_IDS.sanFrancisco,
      city: CITIES.sanFrancisco!,
      street: '250 Executive Park Blvd, Suite 3400',
      email: 'info@yourcompany.example.com',
      phone: '+1 415-555-0100',
    },
    {
      id: 2,
      name: 'My Company (Chicago)',
      partnerId: PARTNER_IDS.chicago,
      city: CITIES.chicago!,
      street: '1 W Wacker Dr, Floor 12',
      email: 'chicago@yourcompany.example.com',
      phone: '+1 312-555-0100',
    },
  ];
  for (const company of companies) {
    const address = addressIn(company.city, company.street);
    builder.insert('res.company', {
      id: company.id,
      name: company.name,
      partner_id: company.partnerId,
      currency_id: 1,
      sequence: company.id * 10,
      email: company.email,
      phone: company.phone,
      vat: company.id === 1 ? 'US12-3456789' : 'US98-7654321',
      active: true,
      ...address,
    });
    builder.insert('res.partner', {
      id: company.partnerId,
      name: company.name,
      complete_name: company.name,
      is_company: true,
      type: 'contact',
      email: company.email,
      phone: company.phone,
      website: 'https://www.yourcompany.example.com',
      image_1920: COMPANY_IMAGE,
      image_128: COMPANY_IMAGE,
      company_id: false,
      active: true,
      lang: 'en_US',
      ...address,
    });
  }
}

/** Adds the res.groups of the series with their members (implied groups included up to 18.0). */
export function addGroups(builder: DataBuilder, people: DemoPerson[]): void {
  const explicitOnly = builder.since(19);
  for (const spec of groupsOf(builder.series)) {
    const members = people.filter((person) => {
      const groups = explicitOnly
        ? new Set(person.groups)
        : impliedClosure(person.groups, builder.series);
      return groups.has(spec.xmlid);
    });
    const memberIds = members.map((person) => person.uid);
    builder.insert('res.groups', {
      id: spec.id,
      name: groupName(spec, builder.series),
      full_name: groupFullName(spec, builder.series),
      implied_ids: (spec.implied ?? []).map((xmlid) => groupByXmlid(xmlid).id),
      share: spec.xmlid === 'base.group_portal' || spec.xmlid === 'base.group_public',
      users: memberIds,
      user_ids: memberIds,
      comment: false,
    });
  }
}

function groupIds(xmlids: Iterable<string>): number[] {
  return [...xmlids].map((xmlid) => groupByXmlid(xmlid).id).sort((a, b) => a - b);
}

/**
 * Time zones set in the people's preferences; the others have none, as Odoo's demo users.
 * Bob works in San Francisco, so his relative dates ("this month") end at Pacific midnight.
 */
const TIME_ZONES: Record<string, string> = { 'bob@example.com': 'America/Los_Angeles' };

/**
 * Adds the users: OdooBot (uid 1) and the public user, both archived as in Odoo, and the demo
 * people with their partners, groups, companies and API keys.
 */
export function addUsers(builder: DataBuilder): DemoPerson[] {
  const people = demoPeople();
  const created = builder.datetime(400, 8, 0, 0);
  addSystemUsers(builder, created);
  for (const person of people) {
    const closure = impliedClosure(person.groups, builder.series);
    // People without a fixed partner id (the portal user) get the next free one.
    const partner = builder.insert('res.partner', {
      id: person.uid === 2 ? PARTNER_IDS.admin : PARTNER_IDS.people[person.uid],
      name: person.name,
      complete_name: person.name,
      email: person.email,
      type: 'contact',
      is_company: false,
      active: person.active,
      company_id: false,
      lang: 'en_US',
      ...addressIn(CITIES.sanFrancisco!, '250 Executive Park Blvd, Suite 3400'),
    });
    builder.insert('res.users', {
      id: person.uid,
      login: person.login,
      name: person.name,
      email: person.email,
      partner_id: partner.id,
      active: person.active,
      company_id: person.companyIds[0]!,
      company_ids: person.companyIds,
      groups_id: groupIds(closure),
      group_ids: groupIds(person.groups.filter((xmlid) => closure.has(xmlid))),
      all_group_ids: groupIds(closure),
      share: person.groups.includes('base.group_portal'),
      lang: 'en_US',
      tz: TIME_ZONES[person.login] ?? false,
      login_date: person.active ? builder.datetime(1, 16, 5, 0) : false,
      create_date: created,
      oauth_provider_id: GOOGLE_PROVIDER_ID,
      oauth_uid: person.oauthUid,
      oauth_access_token: false,
    });
    builder.insert('res.users.apikeys', {
      name: 'demo',
      user_id: person.uid,
      scope: false,
      create_date: created,
      expiration_date: false,
    });
    builder.db.userGroups.set(person.uid, closure);
    builder.db.credentials.set(person.uid, { password: person.password, apiKey: person.apiKey });
  }
  return people;
}

function addSystemUsers(builder: DataBuilder, created: string): void {
  const system = [
    { uid: 1, partnerId: PARTNER_IDS.odooBot, login: '__system__', name: 'OdooBot', share: false },
    {
      uid: 3,
      partnerId: PARTNER_IDS.publicUser,
      login: 'public',
      name: 'Public user',
      share: true,
    },
  ];
  for (const user of system) {
    builder.insert('res.partner', {
      id: user.partnerId,
      name: user.name,
      complete_name: user.name,
      type: 'contact',
      active: false,
      email: user.uid === 1 ? 'odoobot@example.com' : false,
    });
    builder.insert('res.users', {
      id: user.uid,
      login: user.login,
      name: user.name,
      partner_id: user.partnerId,
      active: false,
      company_id: 1,
      company_ids: [1, 2],
      groups_id: user.share ? [3] : [1],
      group_ids: user.share ? [3] : [1],
      all_group_ids: user.share ? [3] : [1],
      share: user.share,
      lang: 'en_US',
      tz: false,
      create_date: created,
    });
    builder.db.userGroups.set(
      user.uid,
      new Set([user.share ? 'base.group_public' : 'base.group_user']),
    );
  }
}

/** The id of the "Google OAuth2" provider among the ones `addOAuthProviders` adds, as in Odoo. */
export const GOOGLE_PROVIDER_ID = 3;

/**
 * Adds the OAuth providers that auth_oauth installs, as data only: nothing contacts them.
 * `/auth_oauth/signin` checks Google tokens with the validator the demo is given instead.
 */
export function addOAuthProviders(builder: DataBuilder): void {
  const providers = [
    [
      'Odoo.com Accounts',
      'https://accounts.odoo.com/oauth2/auth',
      'userinfo',
      'https://accounts.odoo.com/oauth2/tokeninfo',
      false,
      'fa fa-fw o_custom_icon',
      'Log in with Odoo.com',
    ],
    [
      'Facebook Graph',
      'https://www.facebook.com/dialog/oauth',
      'public_profile,email',
      'https://graph.facebook.com/me',
      'https://graph.facebook.com/me?fields=id,name,email',
      'fa fa-fw fa-facebook-square',
      'Log in with Facebook',
    ],
    [
      'Google OAuth2',
      'https://accounts.google.com/o/oauth2/auth',
      'openid profile email',
      'https://www.googleapis.com/oauth2/v3/userinfo',
      false,
      'fa fa-fw fa-google',
      'Log in with Google',
    ],
  ] as const;
  providers.forEach(([name, auth, scope, validation, data, css, body], index) => {
    builder.insert('auth.oauth.provider', {
      id: index + 1,
      name,
      client_id: false,
      auth_endpoint: auth,
      scope,
      validation_endpoint: validation,
      data_endpoint: data,
      enabled: false,
      css_class: css,
      body,
      sequence: 10,
    });
  });
}
