import { q, raw, type SqlText } from '../database/sql.js';
import { OPEN_TICKET_STATUSES_SQL } from './ticket.domain.js';

/** The school a home-visit sheet is for, with its district's time zone; none when it is not the caller's district's. */
export function homeVisitSchool(schoolId: string, districtId: string | null): SqlText {
  return q`SELECT sc.id, sc.district_id AS "districtId", sc.name, sc.code, d.name AS "districtName", d.time_zone AS "timeZone"
    FROM schools sc JOIN districts d ON d.id = sc.district_id
    WHERE sc.id = ${schoolId} AND (${districtId}::uuid IS NULL OR sc.district_id = ${districtId}::uuid)`;
}

/**
 * A school's open outreach tickets with what a home visit needs, one row each, in (family name, given
 * name) order: the student, their login gap, the devices they hold, the attempts logged so far, and
 * the student's other open tickets.
 * One statement for the whole school (the devices and attempts are aggregated per ticket).
 */
export function homeVisitTickets(districtId: string, schoolId: string): SqlText {
  return q`SELECT t.id, t.status, t.assignee, t.opened_at AS "openedAt", t.reasons,
      s.id AS "studentId", s.given_name AS "givenName", s.family_name AS "familyName", s.sourced_id AS "sourcedId",
      s.identifier, s.grade, s.email, s.home_language AS "homeLanguage", s.last_login_at AS "lastLoginAt",
      g.opened_as_of::text AS "gapOpenedAsOf",
      coalesce((SELECT jsonb_agg(jsonb_build_object('kind', d.kind, 'assetTag', d.asset_tag, 'serialNumber', d.serial_number,
                  'status', d.status, 'since', a.started_at) ORDER BY a.started_at, d.id)
                FROM assignments a JOIN devices d ON d.id = a.device_id
                WHERE a.student_id = s.id AND a.ended_at IS NULL), '[]'::jsonb) AS devices,
      coalesce((SELECT jsonb_agg(jsonb_build_object('channel', o.channel, 'outcome', o.outcome, 'attemptedAt', o.attempted_at, 'note', o.note)
                  ORDER BY o.attempted_at, o.id)
                FROM outreach_attempts o WHERE o.ticket_id = t.id), '[]'::jsonb) AS attempts,
      -- What else is open for the student (a replacement, a hotspot): the visitor can bring it or say it is coming.
      coalesce((SELECT jsonb_agg(jsonb_build_object('type', o.type, 'reasons', o.reasons) ORDER BY o.opened_at, o.id)
                FROM tickets o WHERE o.district_id = t.district_id AND o.student_id = s.id AND o.id <> t.id
                  AND o.status IN ${raw(OPEN_TICKET_STATUSES_SQL)}), '[]'::jsonb) AS "otherOpen"
    FROM tickets t
    JOIN students s ON s.id = t.student_id
    LEFT JOIN gaps g ON g.id = t.gap_id
    -- The district and the literal open statuses let the planner use the queue's partial index.
    WHERE t.district_id = ${districtId} AND t.status IN ${raw(OPEN_TICKET_STATUSES_SQL)} AND t.school_id = ${schoolId} AND t.type = 'outreach'
    ORDER BY s.family_name, s.given_name, t.id`;
}
