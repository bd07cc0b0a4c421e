import fc from 'fast-check';
import { isCheckedRedirectUri, redirectUriArbitrary } from './redirect-uris.js';

/** Client metadata of RFC 7591 for /register and client ID metadata documents, and its oracle. */

export const AUTH_METHODS = ['none', 'client_secret_post', 'client_secret_basic'];

export const jsonGarbage = fc.jsonValue({ maxDepth: 3 });

/** Picks a valid value four times in five, so that many registrations are valid. */
function mostly(valid: fc.Arbitrary<unknown>, ...invalid: Array<fc.Arbitrary<unknown>>) {
  return fc.oneof({ arbitrary: valid, weight: 4 }, { arbitrary: fc.oneof(...invalid), weight: 1 });
}

/** An https URL, or something close to one, for client_uri and logo_uri. */
const httpsUrlArbitrary = mostly(
  fc.webUrl({ validSchemes: ['https'] }),
  fc.constantFrom('http://app.example/', 'javascript:alert(1)', 'https://', '//app.example/'),
  fc.string({ maxLength: 10 }),
  fc.constant(`https://app.example/${'x'.repeat(2000)}`),
  jsonGarbage,
);

/** Client metadata with each field valid, wrong in type or value, or left out. */
export const metadataArbitrary = fc.record(
  {
    redirect_uris: fc.oneof(
      { arbitrary: fc.array(redirectUriArbitrary, { minLength: 1, maxLength: 3 }), weight: 6 },
      { arbitrary: fc.array(redirectUriArbitrary, { minLength: 9, maxLength: 12 }), weight: 1 },
      { arbitrary: fc.oneof(fc.constant([]), redirectUriArbitrary, jsonGarbage), weight: 1 },
    ),
    client_name: mostly(
      fc.oneof(
        fc.string({ unit: 'grapheme', maxLength: 30 }),
        fc.constantFrom(
          '<script>alert(1)</script>',
          '"><img src=x onerror=alert(1)>',
          '\u202eevil',
        ),
      ),
      fc.string({ minLength: 199, maxLength: 202 }),
      jsonGarbage,
    ),
    client_uri: httpsUrlArbitrary,
    logo_uri: httpsUrlArbitrary,
    token_endpoint_auth_method: mostly(
      fc.constantFrom(...AUTH_METHODS),
      fc.constantFrom('private_key_jwt', 'NONE', '', 'client_secret_jwt'),
      jsonGarbage,
    ),
    grant_types: mostly(
      fc.subarray(['authorization_code', 'refresh_token']),
      fc.array(fc.constantFrom('authorization_code', 'implicit', 'password', 'client_credentials')),
      jsonGarbage,
    ),
    response_types: mostly(
      fc.subarray(['code']),
      fc.array(fc.constantFrom('code', 'token', 'id_token')),
      jsonGarbage,
    ),
    scope: mostly(fc.constantFrom('odoo.read', 'odoo.read offline_access'), jsonGarbage),
    client_secret: fc.string({ maxLength: 8 }),
    jwks_uri: fc.webUrl(),
    software_statement: fc.string({ maxLength: 20 }),
  },
  { requiredKeys: [] },
);

/**
 * Tells whether metadata meets RFC 7591 as the bridge takes it: https or loopback redirect
 * URIs (1 to 10), known auth method and types, https client and logo URIs, and the lengths.
 * Written apart from the bridge's schema, as the oracle of the property.
 */
export function isAcceptable(metadata: Record<string, unknown>): boolean {
  const uris = metadata.redirect_uris;
  if (!Array.isArray(uris) || uris.length < 1 || uris.length > 10) {
    return false;
  }
  if (!uris.every((uri) => typeof uri === 'string' && isCheckedRedirectUri(uri))) {
    return false;
  }
  const optionalString = (name: string, max: number) =>
    !(name in metadata) ||
    (typeof metadata[name] === 'string' && (metadata[name] as string).length <= max);
  if (!optionalString('client_name', 200) || !optionalString('scope', 1000)) {
    return false;
  }
  for (const name of ['client_uri', 'logo_uri']) {
    if (!optionalString(name, 2000)) {
      return false;
    }
    if (name in metadata && !isHttps(metadata[name] as string)) {
      return false;
    }
  }
  if (
    'token_endpoint_auth_method' in metadata &&
    !AUTH_METHODS.includes(metadata.token_endpoint_auth_method as string)
  ) {
    return false;
  }
  const onlyOf = (name: string, allowed: string[]) => {
    if (!(name in metadata)) {
      return true;
    }
    const value = metadata[name];
    return (
      Array.isArray(value) &&
      value.every((item) => typeof item === 'string' && allowed.includes(item))
    );
  };
  return (
    onlyOf('grant_types', ['authorization_code', 'refresh_token']) &&
    onlyOf('response_types', ['code'])
  );
}

function isHttps(value: string): boolean {
  try {
    return new URL(value).protocol === 'https:';
  } catch {
    return false;
  }
}
