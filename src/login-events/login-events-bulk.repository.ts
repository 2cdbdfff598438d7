import type { EntityManager } from 'typeorm';
import { BulkStage, type CopyBuffer, type StageColumn } from '../database/bulk-stage.js';
import { moveLastLogins } from '../students/students-bulk.repository.js';
import { q, run, type SqlText } from '../database/sql.js';

/** The staged columns `insertStagedLoginEvents` reads (after `line`): `dedupe_key` is hashed to the event's key. */
export const LOGIN_EVENT_COLUMNS = [
  { name: 'student_sourced_id', type: 'text' },
  { name: 'email', type: 'text' },
  { name: 'occurred_at', type: 'timestamptz' },
  { name: 'event', type: 'text' },
  { name: 'source', type: 'text' },
  { name: 'dedupe_key', type: 'text' },
] as const satisfies readonly StageColumn[];

export interface StagedLoginEventCounts {
  /** Events of no student of the district (staff, say): not stored; row errors of the stage unless `skipUnknown`. */
  unknown: number;
  /** Events stored for the first time. */
  inserted: number;
  /** Events of a known student, new or not. */
  known: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The statement that must precede insertStagedLoginEvents in its transaction (a statement of its own,
 * before the insert's snapshot): it takes the district's lock that deleting a student waits for, and
 * marks the insert as one whose students were found in students, so that the statement trigger does
 * not probe them all again (migration 1764004600000). Without it the insert is still checked, only
 * slower. No parameters: it rides in the round trip of the stage's analysis.
 */
export function lockForResolvedInsert(districtId: string): string {
  if (!UUID.test(districtId)) throw new Error(`not a district id: ${districtId}`);
  return `SELECT login_events_lock_for_resolved_insert('${districtId}'::uuid)`;
}

/**
 * Resolves staged events to students (by sourcedId, else by email preferring an active student) and
 * stores the new ones, in one statement: ON CONFLICT DO NOTHING on the event's key skips an event seen
 * before, earlier in the batch or in a retried one. Events go in ordered by student and time, so that
 * the success index and the check of the students walk their pages in order rather than at random.
 * Events of unknown students become row errors of the stage, unless `skipUnknown` (a file import, whose
 * activity exports hold staff logins too, skips them). `lastLogins` is the statement that takes
 * each student's newest staged success, `latest(student_id, newest)`, where the caller wants it.
 * Run lockForResolvedInsert before it.
 */
export async function insertStagedLoginEvents(
  em: EntityManager,
  stage: BulkStage,
  { districtId, lastLogins, skipUnknown = false }: { districtId: string; lastLogins: SqlText; skipUnknown?: boolean },
): Promise<StagedLoginEventCounts> {
  const result = await run<StagedLoginEventCounts>(
    em,
    q`WITH resolved AS MATERIALIZED (
       SELECT st.line, st.occurred_at, st.event, st.source, md5(st.dedupe_key)::uuid AS dedupe_key, st.student_sourced_id, st.email,
              coalesce(s.id, by_email.id) AS student_id
       -- One probe of the sourcedId key (it carries the id) per event, in key order so that consecutive
       -- probes share the key's pages: a join let the planner hash every student of the district for each
       -- batch, a cost that grew with the district rather than the batch (bench/replays/city-lookups.sql).
       FROM (SELECT * FROM ${stage.rows} ORDER BY student_sourced_id) st
       LEFT JOIN LATERAL (
         SELECT x.id FROM students x WHERE x.district_id = ${districtId} AND x.sourced_id = st.student_sourced_id LIMIT 1
       ) s ON true
       LEFT JOIN (
         SELECT DISTINCT ON (lower(x.email)) lower(x.email) AS email, x.id
         FROM students x
         WHERE x.district_id = ${districtId} AND x.email IS NOT NULL
           AND lower(x.email) IN (SELECT lower(email) FROM ${stage.rows} WHERE student_sourced_id IS NULL)
         ORDER BY lower(x.email), x.enrollment_status = 'active' DESC, x.id
       ) by_email ON st.student_sourced_id IS NULL AND by_email.email = lower(st.email)
     ), unknown AS (
       INSERT INTO ${stage.errors} (line, field, message)
       SELECT line, CASE WHEN student_sourced_id IS NOT NULL THEN 'studentSourcedId' ELSE 'email' END,
              CASE WHEN student_sourced_id IS NOT NULL THEN 'no student with sourcedId ' || student_sourced_id
                   ELSE 'no student with email ' || email END
       FROM resolved WHERE student_id IS NULL AND NOT ${skipUnknown}::boolean
       RETURNING 1
     ), inserted AS (
       INSERT INTO login_events (district_id, student_id, occurred_at, event, source, dedupe_key)
       SELECT ${districtId}::uuid, student_id, occurred_at, event, source, dedupe_key
       FROM resolved WHERE student_id IS NOT NULL
       ORDER BY student_id, occurred_at, dedupe_key
       ON CONFLICT (district_id, occurred_at, dedupe_key) DO NOTHING
       RETURNING 1
     ), latest AS (
       SELECT student_id, max(occurred_at) AS newest FROM resolved
       WHERE student_id IS NOT NULL AND event = 'login_success' GROUP BY student_id
     ), last_logins AS (
       ${lastLogins}
     )
     SELECT (SELECT count(*) FROM resolved WHERE student_id IS NULL)::int AS unknown, (SELECT count(*) FROM inserted)::int AS inserted,
            (SELECT count(*) FROM resolved WHERE student_id IS NOT NULL)::int AS known`,
  );
  return result.rows[0];
}

export interface LoginEventCounts {
  inserted: number;
  duplicates: number;
  unknownStudents: number;
}

/**
 * Events an LMS sent (line first) go through the same COPY and statement as a batch of a login-events
 * file. A request is small: last_login_at moves at once, in the same statement.
 */
export async function recordLoginEvents(em: EntityManager, districtId: string, rows: CopyBuffer): Promise<LoginEventCounts> {
  // Durable: the LMS is told the events are recorded, and will not send them again.
  const stage = await BulkStage.create(em, LOGIN_EVENT_COLUMNS, { durable: true });
  await stage.copyRows(em, rows);
  await stage.analyze(em, lockForResolvedInsert(districtId));
  const counts = await insertStagedLoginEvents(em, stage, { districtId, lastLogins: moveLastLogins(districtId) });
  return { inserted: counts.inserted, duplicates: counts.known - counts.inserted, unknownStudents: counts.unknown };
}
