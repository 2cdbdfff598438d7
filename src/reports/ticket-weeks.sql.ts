import { OPEN_TICKET_STATUSES_SQL, TICKET_TYPES } from '../tickets/ticket.domain.js';

/**
 * Tickets per week and type, one row per (district, week, type): one district or all ($1), the `$3`
 * weeks ending with the week of Monday $2 (NULL: the current week in each district's time zone).
 * A week is [Monday 00:00, next Monday 00:00) in the district's time zone.
 *
 * "Resolved" is resolved or closed: both set resolved_at (tickets_resolved_consistent), so a ticket
 * closed without a resolution stops counting as open when it was closed. A reopened ticket has its
 * resolved_at cleared and counts as open from its opening (ticket_events keeps the history; the report
 * reads the ticket's current state, as the 30-day summary does).
 *
 * Every figure is an index range per district and week, never a walk of all tickets:
 * - opened: tickets_district_opened_idx; resolved and time to resolve: tickets_district_resolved_idx;
 * - open at a week's end (or now, for the week in progress) and its age: the tickets that may be open at
 *   any of the weeks' ends are read once per district (open now: tickets_queue_age_idx; resolved after the
 *   first week's end: tickets_district_resolved_idx, with no bound on opened_at, which would tempt the
 *   planner into walking all of the district's tickets by tickets_district_opened_idx), then counted for
 *   each week.
 * A school-scoped caller ($4 their schools) counts only the tickets of those schools.
 */
const ticketWeeksSql = (scoped: boolean): string => {
  const t = scoped ? ' AND t.school_id = ANY($4::uuid[])' : '';
  const types = TICKET_TYPES.map((type) => `'${type}'`).join(',');
  const median = (interval: string, unit: number) =>
    `round((percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM ${interval})) / ${unit})::numeric, 1)::float8`;
  return `
WITH weeks AS MATERIALIZED (
  SELECT d.id AS district_id, d.name AS district_name, m.monday,
    m.monday::timestamp AT TIME ZONE d.time_zone AS starts_at,
    (m.monday + 7)::timestamp AT TIME ZONE d.time_zone AS ends_at,
    least((m.monday + 7)::timestamp AT TIME ZONE d.time_zone, now()) AS as_of
  FROM districts d
  CROSS JOIN LATERAL (SELECT coalesce($2::date, date_trunc('week', now() AT TIME ZONE d.time_zone)::date) AS last_monday) l
  CROSS JOIN LATERAL (SELECT l.last_monday - 7 * k AS monday FROM generate_series(0, $3::int - 1) AS k) m
  WHERE $1::uuid IS NULL OR d.id = $1
),
spans AS (
  SELECT district_id, min(as_of) AS first_end, max(ends_at) AS last_end FROM weeks GROUP BY district_id
),
opened AS (
  SELECT w.district_id, w.monday, o.type, o.n
  FROM weeks w
  CROSS JOIN LATERAL (
    SELECT t.type, count(*)::int AS n
    FROM tickets t
    WHERE t.district_id = w.district_id AND t.opened_at >= w.starts_at AND t.opened_at < w.ends_at${t}
    GROUP BY t.type
  ) o
),
resolved AS (
  SELECT w.district_id, w.monday, r.type, r.n, r.median_hours
  FROM weeks w
  CROSS JOIN LATERAL (
    SELECT t.type, count(*)::int AS n, ${median('t.resolved_at - t.opened_at', 3600)} AS median_hours
    FROM tickets t
    WHERE t.district_id = w.district_id AND t.resolved_at >= w.starts_at AND t.resolved_at < w.ends_at${t}
    GROUP BY t.type
  ) r
),
maybe_open AS MATERIALIZED (
  SELECT s.district_id, c.type, c.opened_at, c.resolved_at
  FROM spans s
  CROSS JOIN LATERAL (
    SELECT t.type, t.opened_at, NULL::timestamptz AS resolved_at
    FROM tickets t
    WHERE t.district_id = s.district_id AND t.status IN ${OPEN_TICKET_STATUSES_SQL} AND t.opened_at < s.last_end${t}
    UNION ALL
    SELECT t.type, t.opened_at, t.resolved_at
    FROM tickets t
    WHERE t.district_id = s.district_id AND t.resolved_at >= s.first_end${t}
  ) c
),
open_at_end AS (
  SELECT w.district_id, w.monday, c.type, count(*)::int AS n,
    ${median('w.as_of - c.opened_at', 86400)} AS median_days,
    round((extract(epoch FROM w.as_of - min(c.opened_at)) / 86400)::numeric, 1)::float8 AS oldest_days
  FROM weeks w
  JOIN maybe_open c ON c.district_id = w.district_id AND c.opened_at < w.as_of AND (c.resolved_at IS NULL OR c.resolved_at >= w.as_of)
  GROUP BY w.district_id, w.monday, w.as_of, c.type
)
SELECT w.district_id AS "districtId", w.district_name AS "districtName",
  to_char(w.monday, 'YYYY-MM-DD') AS "weekOf", to_char(w.monday + 6, 'YYYY-MM-DD') AS "weekEnd", ty.type,
  coalesce(o.n, 0) AS opened, coalesce(r.n, 0) AS resolved, r.median_hours AS "medianHoursToResolve",
  coalesce(e.n, 0) AS "openAtWeekEnd", e.median_days AS "medianOpenAgeDays", e.oldest_days AS "oldestOpenAgeDays"
FROM weeks w
CROSS JOIN unnest(ARRAY[${types}]) WITH ORDINALITY AS ty(type, ord)
LEFT JOIN opened o ON o.district_id = w.district_id AND o.monday = w.monday AND o.type = ty.type
LEFT JOIN resolved r ON r.district_id = w.district_id AND r.monday = w.monday AND r.type = ty.type
LEFT JOIN open_at_end e ON e.district_id = w.district_id AND e.monday = w.monday AND e.type = ty.type
ORDER BY w.district_name, w.district_id, w.monday, ty.ord`;
};

/** `schoolIds`: a school-scoped caller's schools; null for the whole district. `weekOf`: a Monday, or null for the current week. */
export function ticketWeeksReport(p: {
  districtId: string | null;
  schoolIds: string[] | null;
  weekOf: string | null;
  weeks: number;
}): [text: string, values: unknown[]] {
  const values = [p.districtId, p.weekOf, p.weeks];
  return p.schoolIds ? [ticketWeeksSql(true), [...values, p.schoolIds]] : [ticketWeeksSql(false), values];
}
