/** Calendar arithmetic on plain dates (YYYY-MM-DD), in the district's own calendar. */

const DAY_MS = 86_400_000;

export function isIsoDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value);
}

export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

function isWeekday(date: string): boolean {
  const day = new Date(`${date}T00:00:00Z`).getUTCDay();
  return day !== 0 && day !== 6;
}

export function isSchoolDay(date: string, closures: ReadonlySet<string>): boolean {
  return isWeekday(date) && !closures.has(date);
}

/**
 * The earliest of the `count` school days before `asOf` (asOf itself excluded: its day is not over).
 * A student whose last login falls before this date has missed `count` school days in a row.
 */
export function gapCutoff(asOf: string, count: number, closures: readonly string[]): string {
  const closed = new Set(closures);
  let date = asOf;
  let found = 0;
  // A bounded walk: even a long closure list cannot make it run away.
  for (let step = 0; step < 3660 && found < count; step++) {
    date = addDays(date, -1);
    if (isSchoolDay(date, closed)) found++;
  }
  return date;
}

/** Today's date where the district is, e.g. "2020-10-05" in America/New_York. */
export function todayIn(timeZone: string, now: Date = new Date()): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
  return parts;
}

/**
 * Whether `asOf` lies in the district's school year (both bounds inclusive). No school year set: every
 * day does, as before school years existed.
 */
export function inSchoolYear(asOf: string, year: { start: string | null; end: string | null }): boolean {
  return (year.start === null || asOf >= year.start) && (year.end === null || asOf <= year.end);
}
