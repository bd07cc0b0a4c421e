import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatInZone, resolvePeriod, todayIn, utcBounds } from '../../src/mcp/dates.js';

// 2026-12-04 01:30 UTC: still December 3rd in California.
const NOW = Date.UTC(2026, 11, 4, 1, 30);
const LA = 'America/Los_Angeles';

describe('resolvePeriod', () => {
  it.each([
    ['today', '2026-12-03', '2026-12-03'],
    ['yesterday', '2026-12-02', '2026-12-02'],
    ['this month', '2026-12-01', '2026-12-31'],
    ['last month', '2026-11-01', '2026-11-30'],
    ['next month', '2027-01-01', '2027-01-31'],
    ['this quarter', '2026-10-01', '2026-12-31'],
    ['last quarter', '2026-07-01', '2026-09-30'],
    ['this year', '2026-01-01', '2026-12-31'],
    ['last year', '2025-01-01', '2025-12-31'],
    ['this week', '2026-11-30', '2026-12-06'],
    ['last week', '2026-11-23', '2026-11-29'],
    ['last 30 days', '2026-11-04', '2026-12-03'],
    ['next 7 days', '2026-12-03', '2026-12-09'],
    ['last 3 months', '2026-09-04', '2026-12-03'],
    ['year to date', '2026-01-01', '2026-12-03'],
    ['2026-02', '2026-02-01', '2026-02-28'],
    ['2024', '2024-01-01', '2024-12-31'],
    ['2026-03-31', '2026-03-31', '2026-03-31'],
    ['  This   Month ', '2026-12-01', '2026-12-31'],
  ])("resolves %s in the person's zone", (expression, first, last) => {
    expect(resolvePeriod(expression, LA, NOW)).toEqual({ first, last });
  });

  it('uses the zone for today', () => {
    expect(todayIn(LA, NOW)).toBe('2026-12-03');
    expect(todayIn('Europe/Brussels', NOW)).toBe('2026-12-04');
  });

  it('rejects an unknown expression with the forms', () => {
    expect(() => resolvePeriod('sometime soon', LA, NOW)).toThrow(/last 30 days/);
  });

  it('rejects a day that does not exist', () => {
    expect(() => resolvePeriod('2026-02-30', LA, NOW)).toThrow(/not a day of the calendar/);
  });

  it('keeps years before 100 as given', () => {
    expect(resolvePeriod('0050', 'UTC', NOW)).toEqual({ first: '0050-01-01', last: '0050-12-31' });
    expect(resolvePeriod('0099-12', 'UTC', NOW)).toEqual({
      first: '0099-12-01',
      last: '0099-12-31',
    });
    expect(resolvePeriod('last 2000 years', 'UTC', NOW).first).toBe('0026-12-05');
  });

  it.each(['0000', '0000-01-01', 'last 2100 years', 'next 9999 years'])(
    'rejects %s, outside the years of Odoo dates',
    (expression) => {
      expect(() => resolvePeriod(expression, 'UTC', NOW)).toThrow(/outside the years 1 to 9999/);
    },
  );

  it('keeps the day when shifting to a shorter month', () => {
    const march31 = Date.UTC(2026, 2, 31, 12);
    expect(resolvePeriod('last 1 month', 'UTC', march31)).toEqual({
      first: '2026-03-01',
      last: '2026-03-31',
    });
  });
});

describe('utcBounds', () => {
  it('converts local days to UTC datetimes', () => {
    expect(utcBounds('2026-12-01', '2026-12-31', LA)).toEqual({
      start: '2026-12-01 08:00:00',
      end: '2027-01-01 08:00:00',
    });
  });

  it('follows a daylight saving change', () => {
    expect(utcBounds('2026-03-08', '2026-03-08', LA)).toEqual({
      start: '2026-03-08 08:00:00',
      end: '2026-03-09 07:00:00',
    });
  });

  it('keeps years before 100 as given', () => {
    expect(utcBounds('0050-01-01', '0050-12-31', 'UTC')).toEqual({
      start: '0050-01-01 00:00:00',
      end: '0051-01-01 00:00:00',
    });
  });

  it('rejects a bound past the last Odoo datetime', () => {
    expect(() => utcBounds('9999-12-31', '9999-12-31', 'UTC')).toThrow(/outside Odoo's datetimes/);
  });

  it('is plain midnight in UTC', () => {
    expect(utcBounds('2026-12-01', '2026-12-01', 'UTC')).toEqual({
      start: '2026-12-01 00:00:00',
      end: '2026-12-02 00:00:00',
    });
  });
});

describe('formatInZone', () => {
  it('names the zone', () => {
    expect(formatInZone('2026-12-04 01:30:00', LA)).toBe('2026-12-03 17:30 PST');
  });

  it('names European zones by abbreviation', () => {
    expect(formatInZone('2026-12-04 01:30:00', 'Europe/Brussels')).toBe('2026-12-04 02:30 CET');
    expect(formatInZone('2026-07-04 01:30:00', 'Europe/Brussels')).toBe('2026-07-04 03:30 CEST');
    expect(formatInZone('2026-07-04 01:30:00', 'Europe/London')).toBe('2026-07-04 02:30 BST');
  });

  it('keeps the offset of a zone without abbreviation', () => {
    expect(formatInZone('2026-12-04 01:30:00', 'Asia/Tokyo')).toBe('2026-12-04 10:30 GMT+9');
  });

  it('keeps an unparsable value', () => {
    expect(formatInZone('soon', LA)).toBe('soon');
  });

  it('follows daylight saving changes to the second', () => {
    // Los Angeles springs forward at 10:00 UTC and falls back at 09:00 UTC.
    expect(formatInZone('2026-03-08 09:59:59', LA)).toBe('2026-03-08 01:59 PST');
    expect(formatInZone('2026-03-08 10:00:00', LA)).toBe('2026-03-08 03:00 PDT');
    expect(formatInZone('2026-11-01 08:59:59', LA)).toBe('2026-11-01 01:59 PDT');
    expect(formatInZone('2026-11-01 09:00:00', LA)).toBe('2026-11-01 01:00 PST');
    // Lord Howe Island moves by half an hour, at 15:00 UTC.
    expect(formatInZone('2026-04-04 14:59:00', 'Australia/Lord_Howe')).toBe(
      '2026-04-05 01:59 GMT+11',
    );
    expect(formatInZone('2026-04-04 15:00:00', 'Australia/Lord_Howe')).toBe(
      '2026-04-05 01:30 GMT+10:30',
    );
  });

  it('agrees with Intl at random instants', () => {
    const zones = [
      LA,
      'Europe/Brussels',
      'Australia/Lord_Howe',
      'Asia/Kathmandu',
      'America/St_Johns',
      'Africa/Casablanca',
      'Pacific/Apia',
      'UTC',
    ];
    fc.assert(
      fc.property(
        fc.constantFrom(...zones),
        fc.integer({ min: Date.UTC(1970, 0, 1), max: Date.UTC(2040, 0, 1) }),
        (tz, instantMs) => {
          const wholeSecondMs = Math.floor(instantMs / 1000) * 1000;
          const utc = new Date(wholeSecondMs).toISOString().slice(0, 19).replace('T', ' ');
          expect(formatInZone(utc, tz).slice(0, 16)).toBe(intlMinute(wholeSecondMs, tz));
        },
      ),
      { numRuns: 2000 },
    );
  });
});

/** Formats an instant as local "YYYY-MM-DD HH:MM" with Intl alone, to compare with. */
function intlMinute(instantMs: number, tz: string): string {
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone: tz,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  });
  const parts = Object.fromEntries(
    format.formatToParts(new Date(instantMs)).map((part) => [part.type, part.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`;
}
