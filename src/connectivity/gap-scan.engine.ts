import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Actor } from '../common/actor.js';
import { currentRequestId } from '../common/http/request-context.js';
import { ADVISORY_LOCKS } from '../database/advisory-locks.js';
import { one, sql } from '../database/sql.js';
import { EQUIPMENT_VERDICT_SQL } from './equipment-verdict.sql.js';
import { gapCutoff } from './school-days.js';
import { INSERT_NEW_TICKETS_SQL, UPDATE_OPEN_TICKETS_SQL, URGENT_REASONS } from './ticket-upsert.sql.js';

export interface ScanCounts {
  studentsScanned: number;
  gapsOpened: number;
  gapsClosed: number;
  ticketsOpened: number;
  ticketsUpdated: number;
  ticketsResolved: number;
}

export const EMPTY_COUNTS: ScanCounts = {
  studentsScanned: 0,
  gapsOpened: 0,
  gapsClosed: 0,
  ticketsOpened: 0,
  ticketsUpdated: 0,
  ticketsResolved: 0,
};

interface DistrictCalendar {
  timeZone: string;
  gapThresholdDays: number;
  closureDates: string[];
}


/**
 * Builds the temp table `desired_tickets` from the equipment verdict of the students in `subjects`.
 * $1 district, $2 as-of instant, $3 urgent reasons, $4 extra reason added to every device/internet
 * ticket (or NULL), $5 whether students with no equipment problem get an outreach ticket.
 */
const DESIRED_TICKETS_SQL = `
CREATE TEMP TABLE desired_tickets ON COMMIT DROP AS
WITH verdict AS (${EQUIPMENT_VERDICT_SQL}),
typed AS (
  SELECT v.*, 'replacement' AS type, v.device_reasons AS reasons FROM verdict v WHERE cardinality(v.device_reasons) > 0
  UNION ALL
  SELECT v.*, 'connectivity', v.internet_reasons FROM verdict v WHERE cardinality(v.internet_reasons) > 0
  UNION ALL
  SELECT v.*, 'outreach', '{}'::text[] FROM verdict v
  WHERE $5::boolean AND cardinality(v.device_reasons) = 0 AND cardinality(v.internet_reasons) = 0
)
SELECT t.student_id, t.school_id, t.type,
  CASE WHEN $4::text IS NULL OR t.type = 'outreach' THEN t.reasons ELSE array_append(t.reasons, $4::text) END AS reasons,
  CASE WHEN t.reasons && $3::text[] THEN 1 ELSE 2 END::smallint AS priority,
  jsonb_build_object(
    'asOf', $2::timestamptz, 'lastLoginAt', t.last_login_at, 'homeInternet', t.home_internet,
    'gapOpenedAt', g.opened_at, 'devices', t.devices, 'hotspots', t.hotspots
  ) AS evidence,
  g.id AS gap_id
FROM typed t
LEFT JOIN gaps g ON g.student_id = t.student_id AND g.closed_at IS NULL`;

/**
 * The gap scan of one district, as a fixed number of set-based statements in the caller's
 * transaction: however many students, never one query per student.
 */
@Injectable()
export class GapScanEngine {
  async scanDistrict(em: EntityManager, actor: Actor, scanId: string, districtId: string, asOf: string): Promise<ScanCounts> {
    await sql(em, `SELECT pg_advisory_xact_lock($1, hashtext($2))`, [ADVISORY_LOCKS.gapScan, districtId]);
    const district = await one<DistrictCalendar>(
      em,
      `SELECT time_zone AS "timeZone", gap_threshold_days AS "gapThresholdDays",
         array(SELECT to_char(d, 'YYYY-MM-DD') FROM unnest(closure_dates) AS d) AS "closureDates"
       FROM districts WHERE id = $1`,
      [districtId],
    );
    if (!district) return { ...EMPTY_COUNTS };
    const cutoffDate = gapCutoff(asOf, district.gapThresholdDays, district.closureDates);
    const audit = [actor.name, actor.tokenId, currentRequestId()];

    // Who is expected online on asOf: active students, remote or hybrid that day (school-wide changes win).
    const population = await sql(
      em,
      `CREATE TEMP TABLE scan_population ON COMMIT DROP AS
       WITH changes AS (
         SELECT DISTINCT ON (school_id) school_id, learning_model
         FROM school_learning_model_changes
         WHERE district_id = $1 AND $2::date BETWEEN from_date AND to_date
         ORDER BY school_id, created_at DESC
       )
       SELECT s.id AS student_id, s.last_login_at
       FROM students s LEFT JOIN changes c ON c.school_id = s.school_id
       WHERE s.district_id = $1 AND s.enrollment_status = 'active'
         AND coalesce(c.learning_model, s.learning_model) IN ('remote','hybrid')`,
      [districtId, asOf],
    );
    await sql(em, `CREATE UNIQUE INDEX ON scan_population (student_id)`);
    await sql(em, `ANALYZE scan_population`);

    // Close gaps: a newer login arrived, or the student is no longer expected online.
    await sql(em, `CREATE TEMP TABLE closed_gaps (id uuid, district_id uuid, student_id uuid, resolution text) ON COMMIT DROP`);
    const closed = await sql(
      em,
      `WITH closing AS (
         UPDATE gaps g SET closed_at = now(), closed_by_scan_id = $2,
           resolution = CASE WHEN p.student_id IS NOT NULL THEN 'reconnected'
                             WHEN s.enrollment_status = 'withdrawn' THEN 'withdrawn' ELSE 'not_remote' END
         FROM students s LEFT JOIN scan_population p ON p.student_id = s.id
         WHERE g.student_id = s.id AND g.district_id = $1 AND g.closed_at IS NULL
           AND (p.student_id IS NULL OR s.last_login_at > coalesce(g.last_login_at, '-infinity'::timestamptz))
         RETURNING g.id, g.district_id, g.student_id, g.resolution
       )
       INSERT INTO closed_gaps SELECT * FROM closing`,
      [districtId, scanId],
    );
    await sql(
      em,
      `INSERT INTO audit_events (actor, actor_token_id, request_id, district_id, entity_type, entity_id, action, after)
       SELECT $1, $2, $3, district_id, 'gap', id::text, 'close', jsonb_build_object('resolution', resolution) FROM closed_gaps`,
      audit,
    );

    // Reconnected: outreach resolves itself; equipment tickets stay open and are told.
    const resolved = await sql(
      em,
      `WITH resolved AS (
         UPDATE tickets t SET status = 'resolved', resolution = 'reconnected', resolved_at = now(), updated_at = now()
         FROM closed_gaps c
         WHERE c.resolution = 'reconnected' AND t.student_id = c.student_id AND t.type = 'outreach'
           AND t.status IN ('open','in_progress','waiting')
         RETURNING t.id, t.district_id
       ), history AS (
         INSERT INTO ticket_events (ticket_id, actor, actor_token_id, kind, data)
         SELECT id, $1, $2, 'status_changed', '{"to":"resolved","resolution":"reconnected"}'::jsonb FROM resolved
       )
       INSERT INTO audit_events (actor, actor_token_id, request_id, district_id, entity_type, entity_id, action, after)
       SELECT $1, $2, $3, district_id, 'ticket', id::text, 'resolve', '{"status":"resolved","resolution":"reconnected"}'::jsonb
       FROM resolved`,
      audit,
    );
    await sql(
      em,
      `INSERT INTO ticket_events (ticket_id, actor, actor_token_id, kind, data)
       SELECT t.id, $1, $2, 'student_reconnected', jsonb_build_object('gapId', c.id, 'lastLoginAt', s.last_login_at)
       FROM closed_gaps c JOIN tickets t ON t.student_id = c.student_id JOIN students s ON s.id = c.student_id
       WHERE c.resolution = 'reconnected' AND t.type IN ('replacement','connectivity') AND t.status IN ('open','in_progress','waiting')`,
      audit.slice(0, 2),
    );

    // Open gaps: last login (in the district's time zone) before the cutoff, or never.
    const opened = await sql(
      em,
      `WITH opened AS (
         INSERT INTO gaps (district_id, student_id, opened_as_of, last_login_at, opened_by_scan_id)
         SELECT $1, p.student_id, $2::date, p.last_login_at, $3
         FROM scan_population p
         WHERE (p.last_login_at IS NULL OR p.last_login_at < ($4::date)::timestamp AT TIME ZONE $5)
           AND NOT EXISTS (SELECT 1 FROM gaps g WHERE g.student_id = p.student_id AND g.closed_at IS NULL)
         ON CONFLICT (student_id) WHERE closed_at IS NULL DO NOTHING
         RETURNING id, district_id, student_id, last_login_at
       )
       INSERT INTO audit_events (actor, actor_token_id, request_id, district_id, entity_type, entity_id, action, after)
       SELECT $6, $7, $8, district_id, 'gap', id::text, 'open', jsonb_build_object('studentId', student_id, 'lastLoginAt', last_login_at)
       FROM opened`,
      [districtId, asOf, scanId, cutoffDate, district.timeZone, ...audit],
    );

    // The verdict for everyone with an open gap, and the tickets it calls for.
    await sql(
      em,
      `CREATE TEMP TABLE subjects ON COMMIT DROP AS
       SELECT g.student_id FROM gaps g JOIN scan_population p ON p.student_id = g.student_id
       WHERE g.district_id = $1 AND g.closed_at IS NULL`,
      [districtId],
    );
    const asOfInstant = await one<{ at: Date }>(em, `SELECT (($1::date + 1)::timestamp AT TIME ZONE $2) AS at`, [asOf, district.timeZone]);
    const tickets = await this.applyVerdict(em, actor, districtId, asOfInstant!.at, { extraReason: null, outreach: true, source: 'scan' });

    return {
      studentsScanned: population.count,
      gapsOpened: opened.count,
      gapsClosed: closed.count,
      ticketsOpened: tickets.opened,
      ticketsUpdated: tickets.updated,
      ticketsResolved: resolved.count,
    };
  }

  /**
   * Raises or updates tickets for the students in the temp table `subjects` (which the caller
   * creates, ON COMMIT DROP) from their equipment as of `asOf`.
   */
  async applyVerdict(
    em: EntityManager,
    actor: Actor,
    districtId: string,
    asOf: Date,
    options: { extraReason: string | null; outreach: boolean; source: 'scan' | 'school_going_remote' },
  ): Promise<{ opened: number; updated: number }> {
    await sql(em, DESIRED_TICKETS_SQL, [districtId, asOf, URGENT_REASONS, options.extraReason, options.outreach]);
    const params = [actor.name, actor.tokenId, currentRequestId(), options.source];
    const updated = await sql(em, UPDATE_OPEN_TICKETS_SQL, params);
    const opened = await sql(em, INSERT_NEW_TICKETS_SQL, params);
    await sql(em, `DROP TABLE desired_tickets`);
    return { opened: opened.count, updated: updated.count };
  }
}
