import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import { Agent, type Dispatcher } from 'undici';
import { jsonShapeViolation } from '../../http/json-shape.js';
import type { FetchedDocument, MetadataDocumentFetcher } from './metadata-document.js';

/** Client ID metadata documents are small; the draft suggests a limit of about 5 KB. */
const MAX_DOCUMENT_BYTES = 64 * 1024;
/** Time limit of each connect, header and body phase. */
const TIMEOUT_MS = 5000;
/** Time limit of the whole fetch: a server that drips bytes must not hold a connection. */
const TOTAL_TIMEOUT_MS = 10_000;

/**
 * Addresses a client id URL must not reach: loopback, private, link-local (cloud metadata
 * services live at 169.254.169.254), carrier-grade NAT, documentation, multicast and reserved
 * ranges, and their IPv6 counterparts (RFC 6890). BlockList checks an IPv4-mapped IPv6
 * address (::ffff:a.b.c.d) against the IPv4 rules.
 */
const BLOCKED = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  BLOCKED.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['64:ff9b::', 96],
  ['100::', 64],
  ['2001:db8::', 32],
  ['2002::', 16],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  BLOCKED.addSubnet(network, prefix, 'ipv6');
}

/** Tells whether an IP address is one a fetch on a client's behalf must never reach. */
export function isBlockedAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) {
    return true;
  }
  return BLOCKED.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/**
 * Resolves a host and fails when any of its addresses is blocked. The connection then uses
 * exactly the checked addresses, so a second DNS answer cannot rebind it to a private one.
 */
export const guardedLookup: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
    if (error) {
      callback(error, '', 0);
      return;
    }
    const blocked = addresses.find((entry) => isBlockedAddress(entry.address));
    if (blocked !== undefined || addresses.length === 0) {
      const refused = new Error(`${hostname} resolves to a private or reserved address`);
      callback(Object.assign(refused, { code: 'EADDRBLOCKED' }), '', 0);
      return;
    }
    if (options.all) {
      (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
      return;
    }
    callback(null, addresses[0]!.address, addresses[0]!.family);
  });
};

/** Creates a connection pool whose every connection goes through the address guard. */
export function guardedAgent(): Agent {
  return new Agent({ connect: { lookup: guardedLookup, timeout: TIMEOUT_MS } });
}

/**
 * Creates the fetcher for client ID metadata documents. Redirects, non-200 responses, bodies
 * over 64 KiB, non-JSON bodies and JSON beyond `CLIENT_JSON_LIMITS` are refused whatever the
 * dispatcher. Tests pass a mock dispatcher to reach those checks, because the guarded one
 * never connects to a test server.
 */
export function createDocumentFetcher(
  dispatcher: Dispatcher = guardedAgent(),
  totalTimeoutMs = TOTAL_TIMEOUT_MS,
): MetadataDocumentFetcher {
  return async (url) => {
    if (isIP(url.hostname.replace(/^\[|\]$/g, '')) !== 0) {
      throw new Error('an IP address is not accepted as the host of a client id');
    }
    const response = await dispatcher.request({
      origin: url.origin,
      path: `${url.pathname}${url.search}`,
      method: 'GET',
      headers: { accept: 'application/json' },
      headersTimeout: TIMEOUT_MS,
      bodyTimeout: TIMEOUT_MS,
      signal: AbortSignal.timeout(totalTimeoutMs),
    });
    if (response.statusCode >= 300 && response.statusCode < 400) {
      await response.body.dump();
      throw new Error(
        `it responded with a redirect (${response.statusCode}), which is not followed`,
      );
    }
    if (response.statusCode !== 200) {
      await response.body.dump();
      throw new Error(`it responded with HTTP ${response.statusCode}`);
    }
    const text = await readLimited(response.body, MAX_DOCUMENT_BYTES);
    return parseFetched(text, response.headers['cache-control']);
  };
}

async function readLimited(body: AsyncIterable<Buffer>, maxBytes: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > maxBytes) {
      throw new Error(`its body is larger than ${maxBytes} bytes`);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function parseFetched(text: string, cacheControl: string | string[] | undefined): FetchedDocument {
  const violation = jsonShapeViolation(text);
  if (violation !== undefined) {
    throw new Error(`its body is too complex: ${violation}`);
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new Error('its body is not JSON');
  }
  const header = Array.isArray(cacheControl) ? cacheControl.join(',') : (cacheControl ?? '');
  const maxAge = /(?:^|,)\s*max-age=(\d+)/i.exec(header)?.[1];
  return { body, maxAgeSeconds: maxAge === undefined ? undefined : Number(maxAge) };
}
