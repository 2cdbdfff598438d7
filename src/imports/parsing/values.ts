/**
 * Cell parsers. Each returns the value in the form the staging table takes, or throws a CellError whose
 * message becomes the row error: every value is checked here against the database's own constraints,
 * because one bad value reaching PostgreSQL would fail its whole batch.
 */
export class CellError extends Error {}

export function text(value: string, max: number): string {
  if (value.length > max) throw new CellError(`longer than ${max} characters`);
  if (value.includes('\u0000')) throw new CellError('contains a NUL character');
  return value;
}

const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)$/i;

/** The form nearly every export writes (UTC, "T", "Z"): read without building a Date. */
const UTC_TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?Z$/;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** 0 for a month that does not exist, so every day of it is out of range. */
function daysInMonth(year: number, month: number): number {
  const leap = month === 2 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return (DAYS_IN_MONTH[month - 1] ?? 0) + (leap ? 1 : 0);
}

/** The digits of `value` from `from` to `to` as a number, or -1 when one of them is not a digit. */
function digitsAt(value: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i += 1) {
    const digit = value.charCodeAt(i) - 0x30;
    if (digit < 0 || digit > 9) return -1;
    n = n * 10 + digit;
  }
  return n;
}

/**
 * "2020-10-05T13:02:11.123Z", the form most rows of an export take, is already the form we store: it is
 * checked by its characters and returned as it is, without a match's substrings or a new string (a
 * million-row file made them by the million).
 */
function canonicalTimestamp(value: string): boolean {
  if (value.length !== 24) return false;
  if (
    value.charCodeAt(4) !== 0x2d || // -
    value.charCodeAt(7) !== 0x2d ||
    value.charCodeAt(10) !== 0x54 || // T
    value.charCodeAt(13) !== 0x3a || // :
    value.charCodeAt(16) !== 0x3a ||
    value.charCodeAt(19) !== 0x2e || // .
    value.charCodeAt(23) !== 0x5a // Z
  )
    return false;
  const year = digitsAt(value, 0, 4);
  const month = digitsAt(value, 5, 7);
  const day = digitsAt(value, 8, 10);
  const hour = digitsAt(value, 11, 13);
  const minute = digitsAt(value, 14, 16);
  const second = digitsAt(value, 17, 19);
  return (
    year >= 1970 &&
    year <= 2200 &&
    day >= 1 &&
    day <= daysInMonth(year, month) &&
    hour >= 0 &&
    hour <= 23 &&
    minute >= 0 &&
    minute <= 59 &&
    second >= 0 &&
    second <= 59 &&
    digitsAt(value, 20, 23) >= 0
  );
}

function utcTimestamp(value: string): string | null {
  if (canonicalTimestamp(value)) return value;
  const match = UTC_TIMESTAMP.exec(value);
  if (!match) return null;
  const [, y, mo, d, h, mi, s, frac = ''] = match;
  const year = Number(y);
  if (
    year < 1970 ||
    year > 2200 ||
    Number(d) < 1 ||
    Number(d) > daysInMonth(year, Number(mo)) ||
    Number(h) > 23 ||
    Number(mi) > 59 ||
    Number(s) > 59
  )
    return null;
  return `${y}-${mo}-${d}T${h}:${mi}:${s}.${frac.slice(0, 3).padEnd(3, '0')}Z`;
}

/** An ISO 8601 date-time with a zone ("Z" or an offset), as an ISO string in UTC. */
export function timestamp(value: string): string {
  const utc = utcTimestamp(value);
  if (utc) return utc;
  const match = TIMESTAMP.exec(value);
  if (!match) throw new CellError('not a date-time with a time zone (e.g. 2020-10-05T13:02:11Z)');
  const [, y, mo, d, h, mi, s = '00', frac = '', zone] = match;
  let offset = zone.toUpperCase();
  if (offset !== 'Z')
    offset = offset.length === 3 ? `${offset}:00` : offset.includes(':') ? offset : `${offset.slice(0, 3)}:${offset.slice(3)}`;
  const millis = frac ? frac.slice(0, 4).padEnd(4, '0') : '';
  const date = new Date(`${y}-${mo}-${d}T${h}:${mi}:${s}${millis}${offset}`);
  // Date() rolls 2026-02-30 over to March 2; a day past the month's end is an error, not a guess.
  if (
    Number.isNaN(date.getTime()) ||
    Number(d) < 1 ||
    Number(d) > daysInMonth(Number(y), Number(mo)) ||
    Number(h) > 23 ||
    Number(mi) > 59 ||
    Number(s) > 59
  ) {
    throw new CellError('not a valid date-time');
  }
  const year = date.getUTCFullYear();
  if (year < 1970 || year > 2200) throw new CellError('date-time out of range');
  return date.toISOString();
}

/** A calendar date (YYYY-MM-DD, or the date part of an ISO date-time; YYYY-MM means the month's last day). */
export function date(value: string): string {
  // Checked by arithmetic, not Date: an enrollments.csv holds two dates a row, a state's a million rows.
  const month = /^(\d{4})-(\d{2})$/.exec(value);
  if (month) {
    const [y, m] = [Number(month[1]), Number(month[2])];
    if (y < 1 || m < 1 || m > 12) throw new CellError('not a valid date');
    return `${value}-${String(daysInMonth(y, m))}`;
  }
  const day = /^(\d{4})-(\d{2})-(\d{2})(?:$|T)/.exec(value);
  if (!day) throw new CellError('not a date (YYYY-MM-DD)');
  const [y, m, d] = [Number(day[1]), Number(day[2]), Number(day[3])];
  // There is no year 0 (PostgreSQL refuses it, and would fail the whole batch).
  if (y < 1 || m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) throw new CellError('not a valid date');
  return value.slice(0, 10);
}

/** Epoch milliseconds (Google's older autoUpdateExpiration) as a date. */
export function epochMillisDate(value: string): string {
  if (!/^\d{1,15}$/.test(value)) throw new CellError('not a time in epoch milliseconds');
  return dayOf(new Date(Number(value)));
}

/** The UTC calendar day of a computed time; past year 9999 toISOString writes "+010000-…", which no date column takes. */
export function dayOf(time: Date): string {
  if (time.getUTCFullYear() > 9999) throw new CellError('date out of range (after 9999-12-31)');
  return time.toISOString().slice(0, 10);
}

const UNITS: Record<string, number> = { b: 1 / 1024 ** 2, kb: 1 / 1024, mb: 1, gb: 1024, tb: 1024 ** 2 };
export const MAX_MB = 2_000_000_000;

/**
 * A data amount in whole megabytes: "1024", "1,024", "2.5 GB", "500MB". Blank or "unlimited" is no cap.
 * A bare number is in `unit`: the unit a carrier's column names ("Data Used (GB)").
 */
export function megabytes(value: string, unit: 'kb' | 'mb' | 'gb' = 'mb'): number | null {
  if (/^(unlimited|none|n\/a|-)$/i.test(value)) return null;
  const match = /^(\d[\d,]*(?:\.\d+)?)\s*([kmgt]?b)?$/i.exec(value);
  if (!match) throw new CellError('not an amount of data (e.g. 1024 or 2.5 GB)');
  const mb = Math.round(Number(match[1].replace(/,/g, '')) * (UNITS[(match[2] ?? unit).toLowerCase()] ?? 1));
  if (!Number.isFinite(mb) || mb > MAX_MB) throw new CellError('amount out of range');
  return mb;
}

/** Maps spellings found in exports ("In Person", "in-person") to one of our values. */
export function choice<T extends string>(value: string, values: Record<string, T>, what: string): T {
  const found = values[value.toLowerCase().replace(/[^a-z0-9]/g, '')];
  if (!found) throw new CellError(`not a known ${what}`);
  return found;
}

export function email(value: string): string {
  if (value.length > 320 || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value)) throw new CellError('not an email address');
  return value;
}
