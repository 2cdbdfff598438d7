import type { EntityManager } from 'typeorm';
import { AuditWriter, type AuditAuthor } from '../audit/audit-writer.js';
import { probingByKey, type BulkStage, type KeySet, type StageColumn } from '../database/bulk-stage.js';
import { q, raw, run, type SqlText } from '../database/sql.js';

/*
 * The set-based writers of `students` that bulk paths (imports, the LMS login endpoint) call, each with
 * the audit rows of what it changed in the same statement.
 */

/**
 * Merges students_search_idx's pending list (up to the server's gin_pending_list_limit of new students' entries)
 * into the index, so searches after a roster import do not read it. A larger list for the roster's batches made
 * PostgreSQL alone faster but the import slower: its merges ran in one backend while the other waited (bench/RESULTS.md,
 * 6 December). PostgreSQL lets only the index's owner merge it; a service whose migrations ran as another role
 * leaves it to autovacuum.
 */
export async function mergeSearchPendingList(em: EntityManager): Promise<void> {
  await run(
    em,
    q`SELECT gin_clean_pending_list(c.oid) FROM pg_class c
      WHERE c.oid = 'students_search_idx'::regclass AND pg_has_role(c.relowner, 'USAGE')`,
  );
}

/** The district a batch writes, and who its audit rows name. */
export interface StudentsBatch {
  districtId: string;
  author: AuditAuthor;
}

/** A student's fields as the API names them, and their columns. */
const STUDENT_FIELDS: [string, string][] = [
  ['schoolId', 'school_id'],
  ['identifier', 'identifier'],
  ['givenName', 'given_name'],
  ['familyName', 'family_name'],
  ['grade', 'grade'],
  ['email', 'email'],
  ['enrollmentStatus', 'enrollment_status'],
];

/** The audit of a changed student, before or after: only the fields that changed. */
const changedFields = (side: 'c.old_' | 'up.'): string =>
  STUDENT_FIELDS.map(
    ([f, c]) => `CASE WHEN c.old_${c} IS DISTINCT FROM up.${c} THEN jsonb_build_object('${f}', ${side}${c}) ELSE '{}'::jsonb END`,
  ).join(' || ');

const STUDENT_COLUMNS = STUDENT_FIELDS.map(([, c]) => c).join(', ');

/** The staged columns `upsertRosterStudents` reads (after `line`): `org_ids` is a comma-separated list of org sourcedIds. */
export const ROSTER_STUDENT_COLUMNS = [
  { name: 'sourced_id', type: 'text' },
  { name: 'org_ids', type: 'text' },
  { name: 'identifier', type: 'text' },
  { name: 'given_name', type: 'text' },
  { name: 'family_name', type: 'text' },
  { name: 'grade', type: 'text' },
  { name: 'email', type: 'text' },
  { name: 'enrollment_status', type: 'text' },
  // Family contacts (guardians-bulk.repository.ts): the row's role ('student', or a guardian relation),
  // its agentSourcedIds, and a guardian's phone and sms.
  { name: 'role', type: 'text' },
  { name: 'agent_ids', type: 'text' },
  { name: 'phone', type: 'text' },
  { name: 'sms', type: 'text' },
  // A new student's enrolment date, when enrollments.csv was read first (null: the district's today).
  { name: 'enrolled_on', type: 'date' },
] as const satisfies readonly StageColumn[];

/**
 * New students are expected from their staged enrolment date (enrollments.csv read first), else from the
 * district's today, and so are withdrawn students the roster makes active again (their gap count starts
 * again); the import's end then sets what enrollments.csv gives for the others.
 *
 * One pass over the batch finds each row's school (the first of its orgs that is a known school) and
 * the student as stored; only new and changed students reach the upsert, so a re-imported roster
 * writes nothing. The upsert and the audit of what it changed are one statement. A row with no known
 * school becomes a row error of the stage.
 */
export async function upsertRosterStudents(
  em: EntityManager,
  stage: BulkStage,
  { districtId, importId, author }: StudentsBatch & { importId: string },
): Promise<{ created: number; updated: number }> {
  // The probe of students below is always the index (probingByKey). The stage and the school lookup are
  // materialised first, so no other scan is left in the outer plan for the setting to distort (it had
  // sorted the stage by line for merge joins).
  await probingByKey(em, () =>
    run(
      em,
      q`CREATE TEMP TABLE import_resolved ON COMMIT DROP AS
     WITH st AS MATERIALIZED (SELECT * FROM ${stage.rows} st WHERE ${stage.goodRows} ORDER BY sourced_id),
     school AS MATERIALIZED (
       SELECT DISTINCT ON (x.line) x.line, sc.id AS school_id
       FROM st x
       CROSS JOIN LATERAL unnest(string_to_array(x.org_ids, ',')) WITH ORDINALITY AS o(sourced_id, n)
       JOIN schools sc ON sc.district_id = ${districtId} AND sc.sourced_id = o.sourced_id
       ORDER BY x.line, o.n
     )
     SELECT st.line, st.enrolled_on, st.sourced_id, st.org_ids, st.identifier, st.given_name, st.family_name, st.grade, st.email, st.enrollment_status,
            school.school_id, s.id AS old_id, ${raw(STUDENT_FIELDS.map(([, c]) => `s.${c} AS old_${c}`).join(', '))}
     FROM st
     LEFT JOIN school ON school.line = st.line
     -- One probe of the sourcedId key per row, in key order (the stage is read sorted): as a join, the
     -- planner hashed every student of the district for each batch, so a district's roster cost grew with
     -- the square of its size (bench/replays/city-lookups.sql).
     LEFT JOIN LATERAL (
       SELECT x.id, ${raw(STUDENT_FIELDS.map(([, c]) => `x.${c}`).join(', '))} FROM students x
       WHERE x.district_id = ${districtId} AND x.sourced_id = st.sourced_id LIMIT 1
     ) s ON true`,
    ),
  );
  await run(
    em,
    q`INSERT INTO ${stage.errors} (line, field, message)
     SELECT line, 'orgSourcedIds', 'no known school among ' || org_ids || ' (import orgs.csv first)'
     FROM import_resolved WHERE school_id IS NULL`,
  );
  const result = await run<{ created: number; updated: number }>(
    em,
    q`WITH today AS (SELECT (now() AT TIME ZONE d.time_zone)::date AS day FROM districts d WHERE d.id = ${districtId}),
     c AS (
       SELECT * FROM import_resolved
       WHERE school_id IS NOT NULL
         AND (old_id IS NULL OR (${raw(STUDENT_FIELDS.map(([, c]) => `old_${c}`).join(', '))}) IS DISTINCT FROM (${raw(STUDENT_COLUMNS)}))
     ), up AS (
       INSERT INTO students AS s (district_id, sourced_id, ${raw(STUDENT_COLUMNS)}, enrolled_on)
       SELECT ${districtId}, sourced_id, ${raw(STUDENT_COLUMNS)}, coalesce(enrolled_on, (SELECT day FROM today)) FROM c ORDER BY sourced_id
       ON CONFLICT (district_id, sourced_id) DO UPDATE SET
         -- Bulk updates here move the version themselves: the version trigger then calls no function per row.
         ${raw(STUDENT_FIELDS.map(([, c]) => `${c} = EXCLUDED.${c}`).join(', '))}, updated_at = now(), version = s.version + 1,
         enrolled_on = CASE WHEN s.enrollment_status = 'withdrawn' AND EXCLUDED.enrollment_status = 'active'
                            THEN EXCLUDED.enrolled_on ELSE s.enrolled_on END
       WHERE (${raw(STUDENT_FIELDS.map(([, c]) => `s.${c}`).join(', '))}) IS DISTINCT FROM (${raw(STUDENT_FIELDS.map(([, c]) => `EXCLUDED.${c}`).join(', '))})
       RETURNING s.id, s.sourced_id, (xmax = 0) AS created, ${raw(STUDENT_FIELDS.map(([, c]) => `s.${c}`).join(', '))}
     ), audit_updated AS (
       ${AuditWriter.insertFrom(
         author,
         {
           districtId: q`${districtId}::uuid`,
           entityType: 'student',
           entityId: 'up.id::text',
           action: { literal: 'update' },
           before: changedFields('c.old_'),
           after: changedFields('up.'),
         },
         q`FROM up JOIN c ON c.sourced_id = up.sourced_id
       WHERE NOT up.created`,
       )}
     ), audit_created AS (
       -- One row for the batch's new students (see the bulk-load migration): they hold what they were
       -- created with until a change, whose audit row then holds it as "before".
       ${AuditWriter.insertFrom(
         author,
         {
           districtId: q`${districtId}::uuid`,
           entityType: 'student',
           entityId: q`${author.requestId}::text || '#' || min(c.line) || '-' || max(c.line)`,
           action: { literal: 'create' },
           after: q`jsonb_build_object('importId', ${importId}::uuid, 'firstLine', min(c.line), 'lastLine', max(c.line), 'students', count(*))`,
           entityIds: 'array_agg(up.id ORDER BY up.id)',
         },
         q`FROM up JOIN c ON c.sourced_id = up.sourced_id
       WHERE up.created
       HAVING count(*) > 0`,
       )}
     )
     SELECT count(*) FILTER (WHERE created)::int AS created, count(*) FILTER (WHERE NOT created)::int AS updated FROM up`,
  );
  return result.rows[0];
}

/** The staged columns `updateStudentAttributes` reads (after `line`); a null leaves the stored value. */
export const STUDENT_ATTRIBUTE_COLUMNS = [
  { name: 'sourced_id', type: 'text' },
  { name: 'learning_model', type: 'text' },
  { name: 'home_internet', type: 'text' },
  { name: 'home_language', type: 'text' },
] as const satisfies readonly StageColumn[];

/** Sets the learning model, home internet and home language of the staged students, by sourcedId; returns how many changed. */
export async function updateStudentAttributes(em: EntityManager, stage: BulkStage, { districtId, author }: StudentsBatch): Promise<number> {
  const fields = `jsonb_build_object('learningModel', %.learning_model, 'homeInternet', %.home_internet, 'homeLanguage', %.home_language)`;
  const result = await run<{ updated: number }>(
    em,
    q`WITH old AS (
       SELECT s.id, ${raw(fields.replace(/%/g, 's'))} AS before
       FROM students s JOIN ${stage.rows} st ON s.district_id = ${districtId} AND s.sourced_id = st.sourced_id
     ), up AS (
       UPDATE students s SET
         learning_model = coalesce(st.learning_model, s.learning_model),
         home_internet = coalesce(st.home_internet, s.home_internet),
         home_language = coalesce(st.home_language, s.home_language),
         updated_at = now(),
         version = s.version + 1
       FROM ${stage.rows} st
       WHERE ${stage.goodRows} AND s.district_id = ${districtId} AND s.sourced_id = st.sourced_id
         AND (s.learning_model, s.home_internet, s.home_language) IS DISTINCT FROM
             (coalesce(st.learning_model, s.learning_model), coalesce(st.home_internet, s.home_internet), coalesce(st.home_language, s.home_language))
       RETURNING s.id, s.learning_model, s.home_internet, s.home_language
     ), audit AS (
       ${AuditWriter.insertFrom(
         author,
         {
           districtId: q`${districtId}::uuid`,
           entityType: 'student',
           entityId: 'up.id::text',
           action: { literal: 'update' },
           before: 'old.before',
           after: fields.replace(/%/g, 'up'),
         },
         q`FROM up JOIN old ON old.id = up.id`,
       )}
     )
     SELECT count(*)::int AS updated FROM up`,
  );
  return result.rows[0].updated;
}

/**
 * The district's active students whose sourcedId is not in `named`: what a bulk roster that did not name
 * them would withdraw. A select of one column, `student_id`.
 */
export function activeStudentsNotIn(named: KeySet, districtId: string): SqlText {
  return q`SELECT s.id AS student_id FROM students s
    WHERE s.district_id = ${districtId} AND s.enrollment_status = 'active'
      AND NOT EXISTS (SELECT 1 FROM ${named.table} n WHERE n.key = s.sourced_id)`;
}

/**
 * Withdraws (never deletes) the students `students` selects (a select of `student_id`) that are still
 * active students of the district; returns how many.
 */
export async function withdrawStudents(em: EntityManager, students: SqlText, { districtId, author }: StudentsBatch): Promise<number> {
  const result = await run<{ n: number }>(
    em,
    q`WITH gone AS (
       UPDATE students s SET enrollment_status = 'withdrawn', updated_at = now()
       WHERE s.district_id = ${districtId} AND s.enrollment_status = 'active' AND s.id IN (${students})
       RETURNING s.id
     ), audit AS (
       ${AuditWriter.insertFrom(
         author,
         {
           districtId: q`${districtId}::uuid`,
           entityType: 'student',
           entityId: 'gone.id::text',
           action: { literal: 'withdraw' },
           before: `'{"enrollmentStatus":"active"}'::jsonb`,
           after: `'{"enrollmentStatus":"withdrawn"}'::jsonb`,
         },
         q`FROM gone`,
       )}
     )
     SELECT count(*)::int AS n FROM gone`,
  );
  return result.rows[0].n;
}

/**
 * The one statement that moves `last_login_at`: forward to each student's newest success, to be the
 * last part of a statement that defines `latest(student_id, newest)`. The comparison makes a repeated
 * batch a no-op. Students keep free space in their pages (fillfactor) so this update stays on the page
 * and leaves their indexes alone. It moves the version itself, so the version trigger's function is not
 * called for each of up to a district's every student (VersionBumpWhenNeeded1764004400000).
 */
export function moveLastLogins(districtId: string): SqlText {
  return q`UPDATE students s SET last_login_at = m.newest, version = s.version + 1 FROM latest m
  WHERE s.district_id = ${districtId} AND s.id = m.student_id AND (s.last_login_at IS NULL OR s.last_login_at < m.newest)`;
}

/** The most students one grouped audit row names (as many as an import batch creates). */
const AUDIT_GROUP_SIZE = 20000;

/**
 * Sets enrolled_on from a roster's enrolment begin dates: `dates` selects (sourced_id, begin_date), one
 * row per student, and may read `kept`, a statement of the caller's (e.g. taking its rows off a table).
 * Only what differs is written; returns how many changed. The audit rows name the students
 * (`entity_ids`) sharing the same before and after, up to AUDIT_GROUP_SIZE a row: a district's first
 * enrollments.csv moves every student's date, and a row a student was half of this statement for a
 * district of 500,000 (bench/replays/roster-settle.sql).
 */
export async function setRosterEnrolmentDates(
  em: EntityManager,
  dates: SqlText,
  { districtId, author, kept }: StudentsBatch & { kept: SqlText },
): Promise<number> {
  const result = await run<{ n: number }>(
    em,
    q`WITH kept AS (${kept}), x AS (${dates}),
     -- One probe of the sourcedId key a student, in key order: the students a roster created lie in
     -- that order, so the probes and the update read the table's pages in turn. Hashed, the dates came
     -- in random order and the probes read and evicted pages all over a table larger than the cache.
     moved AS MATERIALIZED (
       SELECT o.id, o.enrolled_on AS before, x.begin_date
       FROM (SELECT * FROM x ORDER BY sourced_id) x
       CROSS JOIN LATERAL (
         SELECT s.id, s.enrolled_on FROM students s WHERE s.district_id = ${districtId} AND s.sourced_id = x.sourced_id LIMIT 1
       ) o
       WHERE o.enrolled_on IS DISTINCT FROM x.begin_date
     ), up AS (
       UPDATE students s SET enrolled_on = moved.begin_date, updated_at = now(), version = s.version + 1
       FROM moved
       WHERE s.id = moved.id AND s.district_id = ${districtId} AND s.enrolled_on IS DISTINCT FROM moved.begin_date
       RETURNING s.id, moved.before, s.enrolled_on AS after
     ), audit AS (
       ${AuditWriter.insertFrom(
         author,
         {
           districtId: q`${districtId}::uuid`,
           entityType: 'student',
           entityId: q`coalesce(${author.requestId}::text, '') || '#enrolledOn-' || g.after || '-' || (g.n + 1)`,
           action: { literal: 'update' },
           before: `jsonb_build_object('enrolledOn', g.before)`,
           after: `jsonb_build_object('enrolledOn', g.after)`,
           entityIds: 'array_agg(g.id ORDER BY g.id)',
         },
         q`FROM (SELECT up.*, (row_number() OVER (PARTITION BY up.before, up.after ORDER BY up.id) - 1) / ${AUDIT_GROUP_SIZE} AS n FROM up) g
       GROUP BY g.before, g.after, g.n`,
       )}
     )
     SELECT count(*)::int AS n FROM up`,
  );
  return result.rows[0].n;
}
