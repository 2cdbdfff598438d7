import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AuditWriter, type AuditAuthor } from '../audit/audit-writer.js';
import type { Actor } from '../common/actor.js';
import { ADVISORY_LOCKS } from '../database/advisory-locks.js';
import { one, q, run, sql, type SqlText } from '../database/sql.js';
import { TempTable } from '../database/temp-table.js';
import { TicketBulkRepository, type ClosedGaps } from '../tickets/ticket-bulk.repository.js';
import { URGENT_REASONS, type TicketSource } from '../tickets/ticket.domain.js';
import { EMPTY_COUNTS, type ScanCounts } from './connectivity.domain.js';
import { equipmentVerdict } from './equipment-verdict.sql.js';
import { createScanPopulation, subjectsWithOpenGaps, type Subjects } from './scan-tables.js';
import { gapCutoff, inSchoolYear } from './school-days.js';

interface DistrictCalendar {
  timeZone: string;
  gapThresholdDays: number;
  closureDates: string[];
  schoolYearStart: string | null;
  schoolYearEnd: string | null;
}

/**
 * The tickets the verdict on `subjects` calls for, in the columns of desired_tickets: replacement and
 * connectivity for equipment problems (each with `extraReason`, if any), outreach for the rest when
 * `outreach`; urgent reasons go first. Equipment tickets name the device they are about (`device_id`).
 */
function desiredTickets(
  subjects: Subjects,
  districtId: string,
  asOf: Date,
  options: { extraReason: string | null; outreach: boolean },
): SqlText {
  const { extraReason, outreach } = options;
  return q`
WITH verdict AS (${equipmentVerdict(subjects, districtId, asOf)}),
typed AS (
  SELECT v.*, 'replacement' AS type, v.device_reasons AS reasons, v.device_id AS named_device FROM verdict v WHERE cardinality(v.device_reasons) > 0
  UNION ALL
  SELECT v.*, 'connectivity', v.internet_reasons, v.hotspot_id FROM verdict v WHERE cardinality(v.internet_reasons) > 0
  UNION ALL
  SELECT v.*, 'outreach', '{}'::text[], NULL::uuid FROM verdict v
  WHERE ${outreach}::boolean AND cardinality(v.device_reasons) = 0 AND cardinality(v.internet_reasons) = 0
)
SELECT t.student_id, t.school_id, t.type, t.named_device AS device_id,
  CASE WHEN ${extraReason}::text IS NULL OR t.type = 'outreach' THEN t.reasons ELSE array_append(t.reasons, ${extraReason}::text) END AS reasons,
  CASE WHEN t.reasons && ${URGENT_REASONS}::text[] THEN 1 ELSE 2 END::smallint AS priority,
  jsonb_build_object(
    'asOf', ${asOf}::timestamptz, 'lastLoginAt', t.last_login_at, 'homeInternet', t.home_internet,
    'gapOpenedAt', g.opened_at, 'devices', t.devices, 'hotspots', t.hotspots
  ) AS evidence,
  g.id AS gap_id
FROM typed t
LEFT JOIN gaps g ON g.student_id = t.student_id AND g.closed_at IS NULL`;
}

/**
 * The gap scan of one district, as a fixed number of set-based statements in the caller's
 * transaction: however many students, never one query per student.
 */
@Injectable()
export class GapScanEngine {
  constructor(private readonly tickets: TicketBulkRepository) {}

  async scanDistrict(em: EntityManager, actor: Actor, scanId: string, districtId: string, asOf: string): Promise<ScanCounts> {
    await sql(em, `SELECT pg_advisory_xact_lock($1, hashtext($2))`, [ADVISORY_LOCKS.gapScan, districtId]);
    const district = await one<DistrictCalendar>(
      em,
      `SELECT time_zone AS "timeZone", gap_threshold_days AS "gapThresholdDays",
         array(SELECT to_char(d, 'YYYY-MM-DD') FROM unnest(closure_dates) AS d) AS "closureDates",
         to_char(school_year_start, 'YYYY-MM-DD') AS "schoolYearStart", to_char(school_year_end, 'YYYY-MM-DD') AS "schoolYearEnd"
       FROM districts WHERE id = $1`,
      [districtId],
    );
    if (!district) return { ...EMPTY_COUNTS };
    const cutoffDate = gapCutoff(asOf, district.gapThresholdDays, district.closureDates);
    const author: AuditAuthor = { actor, requestId: actor.requestId ?? null };
    const population = await createScanPopulation(em, districtId, asOf);

    // Outside the school year nobody is in a gap. Inside it, a student's school days count from the later
    // of the year's first day and their enrolment: one who has not missed `gapThresholdDays` of those
    // (they start after the cutoff) is not in a gap, whatever their last login.
    const inSession = inSchoolYear(asOf, { start: district.schoolYearStart, end: district.schoolYearEnd });
    const yearStart = district.schoolYearStart;
    const countFrom = q`greatest(p.enrolled_on, ${yearStart}::date)`;

    // Close gaps: the school year is over (or the gap is from an earlier one), the student is no longer
    // expected online, a newer login arrived, or their count started again (re-activated, re-enrolled).
    const closedGaps: ClosedGaps = await TempTable.of(em, 'closed_gaps', 'id uuid, district_id uuid, student_id uuid, resolution text');
    const closed = await run(
      em,
      q`WITH closing AS (
         UPDATE gaps g SET closed_at = now(), closed_by_scan_id = ${scanId},
           resolution = CASE WHEN NOT ${inSession}::boolean OR g.opened_as_of < ${yearStart}::date THEN 'school_year_ended'
                             WHEN p.student_id IS NULL THEN CASE WHEN s.enrollment_status = 'withdrawn' THEN 'withdrawn' ELSE 'not_remote' END
                             WHEN s.last_login_at > coalesce(g.last_login_at, '-infinity'::timestamptz) THEN 'reconnected'
                             ELSE 're_enrolled' END
         FROM students s LEFT JOIN ${population.table.ref} p ON p.student_id = s.id
         WHERE g.student_id = s.id AND g.district_id = ${districtId} AND g.closed_at IS NULL
           AND (NOT ${inSession}::boolean OR g.opened_as_of < ${yearStart}::date OR p.student_id IS NULL
                OR s.last_login_at > coalesce(g.last_login_at, '-infinity'::timestamptz) OR ${countFrom} > ${cutoffDate}::date)
         RETURNING g.id, g.district_id, g.student_id, g.resolution
       )
       INSERT INTO ${closedGaps.ref} SELECT * FROM closing`,
    );
    await run(
      em,
      AuditWriter.insertFrom(
        author,
        {
          districtId: 'district_id',
          entityType: 'gap',
          entityId: 'id::text',
          action: { literal: 'close' },
          after: `jsonb_build_object('resolution', resolution)`,
        },
        q`FROM ${closedGaps.ref}`,
      ),
    );

    // Reconnected, year over, count restarted: outreach resolves itself; equipment tickets stay open
    // (the device still needs fixing) and a reconnection is told to them.
    const ticketsResolved = await this.tickets.resolveOutreachOfClosedGaps(em, author, closedGaps);
    await this.tickets.noteReconnected(em, actor, closedGaps);

    // Open gaps, in the school year only: last login (in the district's time zone) before the cutoff, or
    // never, and the student's count started on or before the cutoff.
    const opened = await run(
      em,
      q`WITH opened AS (
         INSERT INTO gaps (district_id, student_id, opened_as_of, last_login_at, opened_by_scan_id)
         SELECT ${districtId}, p.student_id, ${asOf}::date, p.last_login_at, ${scanId}
         FROM ${population.table.ref} p
         WHERE ${inSession}::boolean
           AND (p.last_login_at IS NULL OR p.last_login_at < (${cutoffDate}::date)::timestamp AT TIME ZONE ${district.timeZone})
           AND (${countFrom} IS NULL OR ${countFrom} <= ${cutoffDate}::date)
           AND NOT EXISTS (SELECT 1 FROM gaps g WHERE g.student_id = p.student_id AND g.closed_at IS NULL)
         ON CONFLICT (student_id) WHERE closed_at IS NULL DO NOTHING
         RETURNING id, district_id, student_id, last_login_at
       )
       ${AuditWriter.insertFrom(
         author,
         {
           districtId: 'district_id',
           entityType: 'gap',
           entityId: 'id::text',
           action: { literal: 'open' },
           after: `jsonb_build_object('studentId', student_id, 'lastLoginAt', last_login_at)`,
         },
         q`FROM opened`,
       )}`,
    );

    // The verdict for everyone with an open gap, and the tickets it calls for.
    const subjects = await subjectsWithOpenGaps(em, districtId, population.table);
    const asOfInstant = await one<{ at: Date }>(em, `SELECT (($1::date + 1)::timestamp AT TIME ZONE $2) AS at`, [asOf, district.timeZone]);
    const tickets = await this.applyVerdict(em, actor, districtId, subjects, asOfInstant!.at, {
      extraReason: null,
      outreach: true,
      source: 'scan',
    });

    return {
      studentsScanned: population.rows,
      gapsOpened: opened.count,
      gapsClosed: closed.count,
      ticketsOpened: tickets.opened,
      ticketsUpdated: tickets.updated,
      ticketsResolved,
    };
  }

  /** Raises or updates tickets for the students in `subjects` from their equipment as of `asOf`. */
  applyVerdict(
    em: EntityManager,
    actor: Actor,
    districtId: string,
    subjects: Subjects,
    asOf: Date,
    options: { extraReason: string | null; outreach: boolean; source: TicketSource },
  ): Promise<{ opened: number; updated: number }> {
    const author: AuditAuthor = { actor, requestId: actor.requestId ?? null };
    return this.tickets.applyDesired(em, author, desiredTickets(subjects, districtId, asOf, options), options.source);
  }
}
