/** Date arithmetic for grouping, in UTC or in the context's time zone. */

export type Granularity = 'hour' | 'day' | 'week' | 'month' | 'quarter' | 'year';

export const GRANULARITIES: ReadonlySet<string> = new Set([
  'hour',
  'day',
  'week',
  'month',
  'quarter',
  'year',
]);

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** Wall-clock parts of an instant; `month` is 0-based as in `Date`. */
interface Parts {
  year: number;
  month: number;
  day: number;
  hour: number;
}

function parseOdooDate(value: string): Date {
  const [date, time = '00:00:00'] = value.split(' ');
  return new Date(`${date}T${time}Z`);
}

function pad(value: number, width = 2): string {
  return String(value).padStart(width, '0');
}

function formatDate(date: Date): string {
  return `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
}

export function formatDatetime(date: Date): string {
  const time = [date.getUTCHours(), date.getUTCMinutes(), date.getUTCSeconds()].map((part) =>
    pad(part),
  );
  return `${formatDate(date)} ${time.join(':')}`;
}

/** Returns the offset of a time zone from UTC at an instant, in milliseconds. */
function zoneOffset(instant: Date, tz: string): number {
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone: tz,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  });
  const parts = Object.fromEntries(
    format.formatToParts(instant).map((part) => [part.type, part.value]),
  );
  const wall = Date.UTC(
    Number(parts.year),
    Number(parts.month) - 1,
    Number(parts.day),
    Number(parts.hour),
    Number(parts.minute),
    Number(parts.second),
  );
  return wall - Math.floor(instant.getTime() / 1000) * 1000;
}

/** Tells whether Intl supports the time zone. Odoo falls back to UTC for an unknown one. */
export function isKnownZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** Converts a UTC instant to wall-clock time in the zone, kept in a UTC `Date`. */
function toWallClock(instant: Date, tz: string | undefined): Date {
  return tz === undefined ? instant : new Date(instant.getTime() + zoneOffset(instant, tz));
}

function fromWallClock(wall: Date, tz: string | undefined): Date {
  if (tz === undefined) {
    return wall;
  }
  const guess = new Date(wall.getTime() - zoneOffset(wall, tz));
  return new Date(wall.getTime() - zoneOffset(guess, tz));
}

function partsOf(date: Date): Parts {
  return {
    year: date.getUTCFullYear(),
    month: date.getUTCMonth(),
    day: date.getUTCDate(),
    hour: date.getUTCHours(),
  };
}

/** Returns the start of the period that contains a wall-clock date; weeks start on Monday. */
function truncate(wall: Date, granularity: Granularity): Date {
  const { year, month, day, hour } = partsOf(wall);
  switch (granularity) {
    case 'hour':
      return new Date(Date.UTC(year, month, day, hour));
    case 'day':
      return new Date(Date.UTC(year, month, day));
    case 'week': {
      const weekday = (wall.getUTCDay() + 6) % 7;
      return new Date(Date.UTC(year, month, day - weekday));
    }
    case 'month':
      return new Date(Date.UTC(year, month, 1));
    case 'quarter':
      return new Date(Date.UTC(year, month - (month % 3), 1));
    case 'year':
      return new Date(Date.UTC(year, 0, 1));
  }
}

function advance(start: Date, granularity: Granularity): Date {
  const { year, month, day, hour } = partsOf(start);
  switch (granularity) {
    case 'hour':
      return new Date(Date.UTC(year, month, day, hour + 1));
    case 'day':
      return new Date(Date.UTC(year, month, day + 1));
    case 'week':
      return new Date(Date.UTC(year, month, day + 7));
    case 'month':
      return new Date(Date.UTC(year, month + 1, 1));
    case 'quarter':
      return new Date(Date.UTC(year, month + 3, 1));
    case 'year':
      return new Date(Date.UTC(year + 1, 0, 1));
  }
}

/**
 * Computes the US week number ("w" in Babel's en_US patterns). Weeks start on Sunday, week 1
 * contains January 1st, and the week-year is the year of the week's Saturday.
 */
function usWeek(date: Date): { week: number; year: number } {
  const sunday = new Date(date.getTime() - date.getUTCDay() * 86_400_000);
  const year = new Date(sunday.getTime() + 6 * 86_400_000).getUTCFullYear();
  const january1 = new Date(Date.UTC(year, 0, 1));
  const firstSunday = january1.getTime() - january1.getUTCDay() * 86_400_000;
  return { week: Math.round((sunday.getTime() - firstSunday) / (7 * 86_400_000)) + 1, year };
}

/** Formats the group label as Odoo does with Babel for the en_US language. */
function label(start: Date, granularity: Granularity): string {
  const { year, month, day, hour } = partsOf(start);
  const shortMonth = MONTHS[month]!.slice(0, 3);
  switch (granularity) {
    case 'hour':
      return `${pad(hour)}:00 ${pad(day)} ${shortMonth}`;
    case 'day':
      return `${pad(day)} ${shortMonth} ${year}`;
    case 'week': {
      const week = usWeek(start);
      return `W${week.week} ${week.year}`;
    }
    case 'month':
      return `${MONTHS[month]} ${year}`;
    case 'quarter':
      return `Q${Math.floor(month / 3) + 1} ${year}`;
    case 'year':
      return String(year);
  }
}

/** The period of a date or datetime value: its bounds as Odoo strings and its label. */
export interface Period {
  from: string;
  to: string;
  label: string;
}

/**
 * Returns the period that contains a value. Datetimes are truncated in the time zone (UTC when
 * undefined) and their bounds are converted back to UTC, as Odoo does for `tz` in the context.
 */
export function periodOf(
  value: string,
  isDatetime: boolean,
  granularity: Granularity,
  tz: string | undefined,
): Period {
  const zone = isDatetime ? tz : undefined;
  const wall = toWallClock(parseOdooDate(value), zone);
  const start = truncate(wall, granularity);
  const end = advance(start, granularity);
  const format = isDatetime ? formatDatetime : formatDate;
  return {
    from: format(fromWallClock(start, zone)),
    to: format(fromWallClock(end, zone)),
    label: label(start, granularity),
  };
}
