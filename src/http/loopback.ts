import { isIP } from 'node:net';

/**
 * Tells whether a host name (as `URL.hostname` spells it) names this machine: `localhost`,
 * 127.0.0.0/8 or ::1. RFC 8252 §7.3 lets native clients use any port on such hosts.
 */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/^\[(.*)\]$/, '$1');
  if (host === 'localhost' || host.endsWith('.localhost')) {
    return true;
  }
  if (isIP(host) === 4) {
    return host.startsWith('127.');
  }
  return host === '::1' || host === '0:0:0:0:0:0:0:1';
}
