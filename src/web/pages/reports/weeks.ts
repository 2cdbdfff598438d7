/** Calendar arithmetic on YYYY-MM-DD days, in UTC so no time zone shifts a day. */

const DAY_MS = 86_400_000;

function parse(date: string): Date {
  return new Date(`${date}T00:00:00Z`);
}

function format(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** The Monday of the week holding `date` (the API's weeks run Monday to Sunday). */
export function mondayOf(date: string): string {
  const day = parse(date);
  const sinceMonday = (day.getUTCDay() + 6) % 7;
  return format(new Date(day.getTime() - sinceMonday * DAY_MS));
}

/** The Monday of the last whole week before `today`: the week a weekly report is usually filed for. */
export function lastWholeWeek(today: Date = new Date()): string {
  return mondayOf(format(new Date(Date.UTC(today.getFullYear(), today.getMonth(), today.getDate()) - 7 * DAY_MS)));
}
