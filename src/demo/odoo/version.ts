/** The Odoo series the demo can emulate. */
export type OdooSeries = '17.0' | '18.0' | '19.0';

export const SERIES: readonly OdooSeries[] = ['17.0', '18.0', '19.0'];

export const DEFAULT_SERIES: OdooSeries = '18.0';

/** The major version number of a series, such as 18 for "18.0". */
export function majorOf(series: OdooSeries): number {
  return Number(series.split('.')[0]);
}

/**
 * Availability of a field, model, method or record across series. Both bounds are inclusive,
 * so `{ since: '18.0' }` means 18.0 and later and `{ until: '17.0' }` means 17.0 only.
 */
export interface SeriesRange {
  since?: OdooSeries;
  until?: OdooSeries;
}

export function inSeries(series: OdooSeries, range: SeriesRange): boolean {
  const major = majorOf(series);
  if (range.since !== undefined && major < majorOf(range.since)) {
    return false;
  }
  if (range.until !== undefined && major > majorOf(range.until)) {
    return false;
  }
  return true;
}

/**
 * Picks the value for a series from `{ '17.0': a, '18.0': b }`, falling back to the closest
 * earlier series.
 */
export function bySeries<T>(series: OdooSeries, values: Partial<Record<OdooSeries, T>>): T {
  const major = majorOf(series);
  let chosen: T | undefined;
  let chosenMajor = -1;
  for (const [key, value] of Object.entries(values) as [OdooSeries, T][]) {
    const keyMajor = majorOf(key);
    if (keyMajor <= major && keyMajor > chosenMajor) {
      chosen = value;
      chosenMajor = keyMajor;
    }
  }
  if (chosen === undefined) {
    throw new Error(`No value defined for Odoo ${series}`);
  }
  return chosen;
}

/** Returns the result of `common.version` and `/web/webclient/version_info`, as Odoo's. */
export function versionInfo(series: OdooSeries): Record<string, unknown> {
  return {
    server_version: series,
    server_version_info: [majorOf(series), 0, 0, 'final', 0, ''],
    server_serie: series,
    protocol_version: 1,
  };
}

/** Returns the body of `GET /web/version` and `GET /json/version`, routes added in 19.0. */
export function webVersion(series: OdooSeries): Record<string, unknown> {
  return { version_info: [majorOf(series), 0, 0, 'final', 0, ''], version: series };
}
