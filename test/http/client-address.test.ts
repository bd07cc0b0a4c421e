import { describe, expect, it } from 'vitest';
import { clientAddress } from '../../src/http/client-address.js';

describe('client address', () => {
  it('takes the right-most X-Forwarded-For entry', () => {
    expect(clientAddress('203.0.113.9', '169.254.1.1')).toBe('203.0.113.9');
  });

  it('ignores entries the client wrote before Google', () => {
    expect(clientAddress('198.51.100.1, 10.0.0.1,203.0.113.9', '169.254.1.1')).toBe('203.0.113.9');
    expect(clientAddress('not an address, 203.0.113.9')).toBe('203.0.113.9');
  });

  it('joins repeated headers as fetch does', () => {
    expect(clientAddress('198.51.100.1, 203.0.113.9 ')).toBe('203.0.113.9');
  });

  it('falls back to the socket without the header', () => {
    expect(clientAddress(undefined, '127.0.0.1')).toBe('127.0.0.1');
  });

  it('falls back to the socket when the last entry is not an address', () => {
    expect(clientAddress('203.0.113.9, unknown', '127.0.0.1')).toBe('127.0.0.1');
    expect(clientAddress('', '127.0.0.1')).toBe('127.0.0.1');
  });

  it('writes IPv4 peers of a dual-stack socket as IPv4', () => {
    expect(clientAddress(undefined, '::ffff:127.0.0.1')).toBe('127.0.0.1');
  });

  it('groups IPv6 addresses by their /64 network', () => {
    const key = '2001:db8:1:2::/64';
    expect(clientAddress('2001:db8:1:2:3:4:5:6')).toBe(key);
    expect(clientAddress('2001:0db8:0001:0002::9')).toBe(key);
    expect(clientAddress('2001:db8:1:2:ffff::1.2.3.4')).toBe(key);
    expect(clientAddress('2001:db8:1:3::1')).not.toBe(key);
    expect(clientAddress('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(clientAddress(undefined, '::1')).toBe('0:0:0:0::/64');
  });

  it('names a client without any address unknown', () => {
    expect(clientAddress(undefined, undefined)).toBe('unknown');
  });
});
