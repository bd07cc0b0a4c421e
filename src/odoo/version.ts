import { OdooError } from './errors.js';
import type { OdooVersion } from './types.js';

/**
 * Parses the result of `/web/webclient/version_info` or `common.version`:
 * `{"server_version": "17.0", "server_version_info": [17, 0, 0, "final", 0, ""], …}`.
 * Odoo Online (SaaS) servers report versions such as "saas~17.2", which is major 17, minor 2.
 */
export function parseOdooVersion(result: unknown): OdooVersion {
  const record = typeof result === 'object' && result !== null ? result : {};
  const serverVersion = (record as { server_version?: unknown }).server_version;
  const versionInfo = (record as { server_version_info?: unknown }).server_version_info;
  if (typeof serverVersion !== 'string') {
    throw unexpectedVersion('has no server_version');
  }
  const match = /(\d+)\.(\d+)/.exec(serverVersion);
  if (match === null) {
    throw unexpectedVersion(`has server_version "${serverVersion}", not "<major>.<minor>"`);
  }
  return {
    serverVersion,
    major: Number(match[1]),
    minor: Number(match[2]),
    versionInfo: isVersionInfo(versionInfo) ? versionInfo : [],
  };
}

function isVersionInfo(value: unknown): value is Array<number | string> {
  if (!Array.isArray(value)) {
    return false;
  }
  return value.every((part) => typeof part === 'number' || typeof part === 'string');
}

function unexpectedVersion(problem: string): OdooError {
  return new OdooError('transport', `Odoo's version_info result ${problem}.`, {
    method: 'version_info',
  });
}
