import fc from 'fast-check';

/** Redirect URIs the rules allow: https, and http on a loopback host (RFC 8252 §7.3). */
const allowedRedirectUri: fc.Arbitrary<string> = fc.oneof(
  fc.webUrl({ validSchemes: ['https'], withQueryParameters: true }),
  fc
    .tuple(
      fc.constantFrom(
        '127.0.0.1',
        'localhost',
        '[::1]',
        '127.8.9.10',
        'LOCALHOST',
        'app.localhost',
      ),
      fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined }),
      fc.constantFrom('/callback', '/', '/cb?x=1', ''),
    )
    .map(([host, port, path]) => `http://${host}${port === undefined ? '' : `:${port}`}${path}`),
);

/** Redirect URIs that RFC 6749 §3.1.2 or the bridge's rules forbid, and values of no URI. */
const forbiddenRedirectUri: fc.Arbitrary<unknown> = fc.oneof(
  fc.webUrl({ validSchemes: ['https'], withFragments: true }),
  fc.webUrl({ validSchemes: ['http'] }),
  fc.constantFrom(
    'http://127.0.0.1.nip.io/cb',
    'http://0.0.0.0/cb',
    'http://[::ffff:127.0.0.1]/cb',
    'http://localhost.example.com/cb',
    'http://2130706433/cb',
    'http://0x7f.1/cb',
  ),
  fc.constantFrom(
    'javascript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'file:///etc/passwd',
    'com.example.app:/callback',
    'ftp://files.example/cb',
    'HTTPS://APP.EXAMPLE/CB',
  ),
  fc.constantFrom(
    'https://app.example/cb#',
    'https://app.example/cb#frag',
    'https://user:pass@app.example/cb',
    'https://user@app.example/cb',
    'https://@app.example/cb',
    '/callback',
    'callback',
    '',
    ' https://app.example/cb',
    'https://exämple.com/cb',
    'https://app.example/\u0000',
  ),
  fc.constant(`https://app.example/${'x'.repeat(2000)}`),
  fc.oneof(fc.integer(), fc.constant(null), fc.array(fc.string(), { maxLength: 2 })),
);

/**
 * A redirect URI for registrations and client metadata documents, allowed three times in
 * four. Some of the forbidden ones are allowed after all, such as `http://2130706433/`, which
 * URL parsing turns into 127.0.0.1; `isCheckedRedirectUri` decides.
 */
export const redirectUriArbitrary: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: allowedRedirectUri, weight: 3 },
  { arbitrary: forbiddenRedirectUri, weight: 1 },
);

/**
 * Tells whether a redirect URI meets the rules, written from the RFCs rather than the bridge's
 * code: an absolute URL of at most 2000 characters, without a fragment (not even an empty
 * one) or credentials, over https, or http on localhost, a `.localhost` name, 127.0.0.0/8 or
 * ::1.
 */
export function isCheckedRedirectUri(uri: string): boolean {
  if (uri.length > 2000 || uri.includes('#')) {
    return false;
  }
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return false;
  }
  if (url.username !== '' || url.password !== '') {
    return false;
  }
  if (url.protocol === 'https:') {
    return true;
  }
  if (url.protocol !== 'http:') {
    return false;
  }
  const host = url.hostname.toLowerCase();
  return (
    host === 'localhost' ||
    host.endsWith('.localhost') ||
    /^127\.\d+\.\d+\.\d+$/.test(host) ||
    host === '[::1]'
  );
}
