import { describe, expect, it } from 'vitest';
import { parseOdooVersion } from '../../src/odoo/version.js';
import { isReadMethod } from '../../src/odoo/retry.js';

describe('parseOdooVersion', () => {
  it('parses a numbered release', () => {
    const version = parseOdooVersion({
      server_version: '18.0',
      server_version_info: [18, 0, 0, 'final', 0, ''],
    });
    expect(version.major).toBe(18);
    expect(version.minor).toBe(0);
  });

  it('parses a saas release', () => {
    const version = parseOdooVersion({ server_version: 'saas~17.2', server_version_info: [] });
    expect(version.major).toBe(17);
    expect(version.minor).toBe(2);
  });

  it('rejects a version without numbers', () => {
    expect(() => parseOdooVersion({ server_version: 'master' })).toThrow('not "<major>.<minor>"');
  });

  it('rejects a result without server_version', () => {
    expect(() => parseOdooVersion({})).toThrow('has no server_version');
  });
});

describe('isReadMethod', () => {
  it.each(['search_read', 'read', 'search_count', 'fields_get', 'authenticate', 'version'])(
    '%s is a read',
    (method) => {
      expect(isReadMethod(method)).toBe(true);
    },
  );

  it.each(['write', 'create', 'unlink', 'action_confirm', 'message_post', 'execute_kw'])(
    '%s is not a read',
    (method) => {
      expect(isReadMethod(method)).toBe(false);
    },
  );
});
