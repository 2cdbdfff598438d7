-- The end of a OneRoster import with enrollments.csv (setRosterEnrolmentDates): :students students of
-- district :code get a new enrolment date (a day before the stored one), kept in import_enrollment_dates
-- as the batches keep them (one row of 20,000 students a batch); rolled back. Its cost is per student
-- (a probe of each key), so a share of the district stands for all of it and holds fewer row locks on a
-- shared database. Variants, each twice, alternating: the statement as it was (one audit row a
-- student), and with the audit rows grouped per (before, after), 20,000 students a row.
\timing on
SELECT id AS district FROM districts WHERE code = :'code' \gset
SELECT id AS import FROM imports WHERE district_id = :'district' ORDER BY created_at LIMIT 1 \gset
BEGIN;
SET LOCAL jit = off;
SET LOCAL work_mem = '64MB';
INSERT INTO import_enrollment_dates (import_id, sourced_ids, begin_dates)
SELECT :'import', array_agg(sourced_id), array_agg(coalesce(enrolled_on, current_date) - 1)
FROM (SELECT sourced_id, enrolled_on, (row_number() OVER (ORDER BY id) - 1) / 20000 AS b FROM students WHERE district_id = :'district' ORDER BY id LIMIT :students) s
GROUP BY b;
SAVEPOINT kept;
\echo '--- as it was: one audit row a student'
EXPLAIN (ANALYZE, BUFFERS, SUMMARY ON)
WITH kept AS (DELETE FROM import_enrollment_dates WHERE import_id = :'import' RETURNING sourced_ids, begin_dates),
x AS (SELECT u.sourced_id, min(u.begin_date) AS begin_date FROM kept, unnest(kept.sourced_ids, kept.begin_dates) AS u(sourced_id, begin_date) GROUP BY u.sourced_id),
up AS (
  UPDATE students s SET enrolled_on = x.begin_date, updated_at = now()
  FROM x, students o
  WHERE s.district_id = :'district' AND s.sourced_id = x.sourced_id AND o.id = s.id AND s.enrolled_on IS DISTINCT FROM x.begin_date
  RETURNING s.id, o.enrolled_on AS before, s.enrolled_on AS after
), audit AS (
  INSERT INTO audit_events (actor_token_id, actor_staff_user_id, actor, request_id, district_id, entity_type, entity_id, action, before, after)
  SELECT NULL::uuid, NULL::uuid, 'bench'::text, 'import:x'::text, :'district'::uuid, 'student', up.id::text, 'update',
         jsonb_build_object('enrolledOn', up.before), jsonb_build_object('enrolledOn', up.after)
  FROM up
)
SELECT count(*)::int AS n FROM up;
ROLLBACK TO SAVEPOINT kept;
\echo '--- audit rows grouped per (before, after), 20,000 students a row'
EXPLAIN (ANALYZE, BUFFERS, SUMMARY ON)
WITH kept AS (DELETE FROM import_enrollment_dates WHERE import_id = :'import' RETURNING sourced_ids, begin_dates),
x AS (SELECT u.sourced_id, min(u.begin_date) AS begin_date FROM kept, unnest(kept.sourced_ids, kept.begin_dates) AS u(sourced_id, begin_date) GROUP BY u.sourced_id),
up AS (
  UPDATE students s SET enrolled_on = x.begin_date, updated_at = now()
  FROM x, students o
  WHERE s.district_id = :'district' AND s.sourced_id = x.sourced_id AND o.id = s.id AND s.enrolled_on IS DISTINCT FROM x.begin_date
  RETURNING s.id, o.enrolled_on AS before, s.enrolled_on AS after
), audit AS (
  INSERT INTO audit_events (actor_token_id, actor_staff_user_id, actor, request_id, district_id, entity_type, entity_id, action, before, after, entity_ids)
  SELECT NULL::uuid, NULL::uuid, 'bench'::text, 'import:x'::text, :'district'::uuid, 'student', 'import:x#' || g.before || '-' || g.after || '-' || g.n, 'update',
         jsonb_build_object('enrolledOn', g.before), jsonb_build_object('enrolledOn', g.after), array_agg(g.id ORDER BY g.id)
  FROM (SELECT up.*, (row_number() OVER (PARTITION BY up.before, up.after ORDER BY up.id) - 1) / 20000 AS n FROM up) g
  GROUP BY g.before, g.after, g.n
)
SELECT count(*)::int AS n FROM up;
ROLLBACK TO SAVEPOINT kept;
\echo '--- as it was (again): one audit row a student'
EXPLAIN (ANALYZE, BUFFERS, SUMMARY ON)
WITH kept AS (DELETE FROM import_enrollment_dates WHERE import_id = :'import' RETURNING sourced_ids, begin_dates),
x AS (SELECT u.sourced_id, min(u.begin_date) AS begin_date FROM kept, unnest(kept.sourced_ids, kept.begin_dates) AS u(sourced_id, begin_date) GROUP BY u.sourced_id),
up AS (
  UPDATE students s SET enrolled_on = x.begin_date, updated_at = now()
  FROM x, students o
  WHERE s.district_id = :'district' AND s.sourced_id = x.sourced_id AND o.id = s.id AND s.enrolled_on IS DISTINCT FROM x.begin_date
  RETURNING s.id, o.enrolled_on AS before, s.enrolled_on AS after
), audit AS (
  INSERT INTO audit_events (actor_token_id, actor_staff_user_id, actor, request_id, district_id, entity_type, entity_id, action, before, after)
  SELECT NULL::uuid, NULL::uuid, 'bench'::text, 'import:x'::text, :'district'::uuid, 'student', up.id::text, 'update',
         jsonb_build_object('enrolledOn', up.before), jsonb_build_object('enrolledOn', up.after)
  FROM up
)
SELECT count(*)::int AS n FROM up;
ROLLBACK TO SAVEPOINT kept;
\echo '--- audit rows (again) grouped per (before, after), 20,000 students a row'
EXPLAIN (ANALYZE, BUFFERS, SUMMARY ON)
WITH kept AS (DELETE FROM import_enrollment_dates WHERE import_id = :'import' RETURNING sourced_ids, begin_dates),
x AS (SELECT u.sourced_id, min(u.begin_date) AS begin_date FROM kept, unnest(kept.sourced_ids, kept.begin_dates) AS u(sourced_id, begin_date) GROUP BY u.sourced_id),
up AS (
  UPDATE students s SET enrolled_on = x.begin_date, updated_at = now()
  FROM x, students o
  WHERE s.district_id = :'district' AND s.sourced_id = x.sourced_id AND o.id = s.id AND s.enrolled_on IS DISTINCT FROM x.begin_date
  RETURNING s.id, o.enrolled_on AS before, s.enrolled_on AS after
), audit AS (
  INSERT INTO audit_events (actor_token_id, actor_staff_user_id, actor, request_id, district_id, entity_type, entity_id, action, before, after, entity_ids)
  SELECT NULL::uuid, NULL::uuid, 'bench'::text, 'import:x'::text, :'district'::uuid, 'student', 'import:x#' || g.before || '-' || g.after || '-' || g.n, 'update',
         jsonb_build_object('enrolledOn', g.before), jsonb_build_object('enrolledOn', g.after), array_agg(g.id ORDER BY g.id)
  FROM (SELECT up.*, (row_number() OVER (PARTITION BY up.before, up.after ORDER BY up.id) - 1) / 20000 AS n FROM up) g
  GROUP BY g.before, g.after, g.n
)
SELECT count(*)::int AS n FROM up;
ROLLBACK TO SAVEPOINT kept;
ROLLBACK;
