import { OPEN_TICKET_STATUSES_SQL } from '../tickets/ticket.domain.js';

/**
 * The ticket and outreach summary, one row per district: one district or all, from a first day to a
 * last day (inclusive), each NULL for the default. The window is [from 00:00, to + 1 00:00) in each
 * district's time zone; by default the 30 days ending today there. Every figure is an index range
 * per district: tickets_district_opened_idx, tickets_district_resolved_idx, tickets_queue_age_idx and
 * outreach_attempts_district_idx. A school-scoped caller (`scoped`, $4 their schools) counts only the
 * tickets of those schools, and the outreach logged on them.
 */
const ticketsSql = (scoped: boolean): string => {
  const t = scoped ? ' AND t.school_id = ANY($4::uuid[])' : '';
  const o = scoped ? ' AND o.ticket_id IN (SELECT id FROM tickets WHERE school_id = ANY($4::uuid[]))' : '';
  return `
WITH days AS (
  SELECT id, name, time_zone, coalesce($3::date, (now() AT TIME ZONE time_zone)::date) AS last_day
  FROM districts
  WHERE $1::uuid IS NULL OR id = $1
),
win AS (
  SELECT id, name, coalesce($2::date, last_day - 29) AS first_day, last_day,
    coalesce($2::date, last_day - 29)::timestamp AT TIME ZONE time_zone AS starts_at,
    (last_day + 1)::timestamp AT TIME ZONE time_zone AS ends_at
  FROM days
)
SELECT w.id AS "districtId", w.name AS "districtName",
  to_char(w.first_day, 'YYYY-MM-DD') AS "from", to_char(w.last_day, 'YYYY-MM-DD') AS "to",
  (SELECT count(*)::int FROM tickets t
   WHERE t.district_id = w.id AND t.opened_at >= w.starts_at AND t.opened_at < w.ends_at${t}) AS opened,
  resolved.count AS resolved,
  resolved.median_hours AS "medianHoursToResolve",
  open_now.count AS "openNow",
  open_now.by_type AS "openByType",
  (SELECT coalesce(jsonb_agg(jsonb_build_object('reason', reason, 'count', n) ORDER BY n DESC, reason), '[]'::jsonb)
   FROM (SELECT r AS reason, count(*)::int AS n
         FROM tickets t CROSS JOIN LATERAL unnest(t.reasons) AS r
         WHERE t.district_id = w.id AND t.status IN ${OPEN_TICKET_STATUSES_SQL}${t}
         GROUP BY r) reasons) AS "openByReason",
  (SELECT jsonb_build_object('id', t.id, 'type', t.type, 'openedAt', t.opened_at,
            'ageHours', round((extract(epoch FROM now() - t.opened_at) / 3600)::numeric, 1))
   FROM tickets t
   WHERE t.district_id = w.id AND t.status IN ${OPEN_TICKET_STATUSES_SQL}${t}
   ORDER BY t.opened_at, t.id LIMIT 1) AS "oldestOpen",
  outreach.summary AS outreach
FROM win w
CROSS JOIN LATERAL (
  SELECT count(*)::int AS count,
    round((percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM t.resolved_at - t.opened_at)) / 3600)::numeric, 1)::float8
      AS median_hours
  FROM tickets t
  WHERE t.district_id = w.id AND t.resolved_at >= w.starts_at AND t.resolved_at < w.ends_at${t}
) resolved
CROSS JOIN LATERAL (
  SELECT count(*)::int AS count,
    jsonb_build_object(
      'replacement', count(*) FILTER (WHERE t.type = 'replacement'),
      'connectivity', count(*) FILTER (WHERE t.type = 'connectivity'),
      'outreach', count(*) FILTER (WHERE t.type = 'outreach'),
      'repair', count(*) FILTER (WHERE t.type = 'repair')) AS by_type
  FROM tickets t
  WHERE t.district_id = w.id AND t.status IN ${OPEN_TICKET_STATUSES_SQL}${t}
) open_now
CROSS JOIN LATERAL (
  SELECT jsonb_build_object(
    'attempts', count(*),
    'byChannel', jsonb_build_object(
      'call', count(*) FILTER (WHERE o.channel = 'call'),
      'email', count(*) FILTER (WHERE o.channel = 'email'),
      'text', count(*) FILTER (WHERE o.channel = 'text'),
      'homeVisit', count(*) FILTER (WHERE o.channel = 'home_visit')),
    'homeVisits', count(*) FILTER (WHERE o.channel = 'home_visit'),
    'homeVisitsReached', count(*) FILTER (WHERE o.channel = 'home_visit' AND o.outcome IN ('visited', 'reached'))) AS summary
  FROM outreach_attempts o
  WHERE o.district_id = w.id AND o.attempted_at >= w.starts_at AND o.attempted_at < w.ends_at${o}
) outreach
ORDER BY w.name, w.id`;
};

/** `schoolIds`: a school-scoped caller's schools; null for the whole district. */
export function ticketsReport(p: {
  districtId: string | null;
  schoolIds: string[] | null;
  from: string | null;
  to: string | null;
}): [text: string, values: unknown[]] {
  const values = [p.districtId, p.from, p.to];
  return p.schoolIds ? [ticketsSql(true), [...values, p.schoolIds]] : [ticketsSql(false), values];
}
