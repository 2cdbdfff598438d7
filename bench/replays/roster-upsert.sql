-- One batch of the OneRoster users.csv import as measured (commit 2d4e74a: import_resolved, then the
-- upsert-and-audit statement), replayed with :n new students in district :code; rolled back. Variants:
-- the same without the audit rows, and without the trigram search index as well.
\timing on
SELECT id AS district FROM districts WHERE code = :'code' \gset
BEGIN;
SET LOCAL jit = off;
CREATE TEMP TABLE import_stage (line integer NOT NULL, sourced_id text, org_ids text, identifier text, given_name text, family_name text, grade text, email text, enrollment_status text) ON COMMIT DROP;
CREATE TEMP TABLE import_stage_errors (line integer NOT NULL, field text, message text NOT NULL) ON COMMIT DROP;
INSERT INTO import_stage
SELECT g, 'NEW-stu-' || g, (SELECT sourced_id FROM schools WHERE district_id = :'district' ORDER BY code OFFSET (g % (SELECT count(*) FROM schools WHERE district_id = :'district')) LIMIT 1),
       'N' || g, 'Given' || (g % 40), 'Family' || (g % 40), '09', 'new.student.' || g || '@new.k12.example.org', 'active'
FROM generate_series(1, :n) g;
ANALYZE import_stage;
CREATE TEMP TABLE import_resolved ON COMMIT DROP AS
     SELECT st.line, st.sourced_id, st.org_ids, st.identifier, st.given_name, st.family_name, st.grade, st.email, st.enrollment_status,
            school.school_id, s.id AS old_id, s.school_id AS old_school_id, s.identifier AS old_identifier, s.given_name AS old_given_name,
            s.family_name AS old_family_name, s.grade AS old_grade, s.email AS old_email, s.enrollment_status AS old_enrollment_status
     FROM import_stage st
     LEFT JOIN (
       SELECT DISTINCT ON (x.line) x.line, sc.id AS school_id
       FROM import_stage x
       CROSS JOIN LATERAL unnest(string_to_array(x.org_ids, ',')) WITH ORDINALITY AS o(sourced_id, n)
       JOIN schools sc ON sc.district_id = :'district' AND sc.sourced_id = o.sourced_id
       ORDER BY x.line, o.n
     ) school ON school.line = st.line
     LEFT JOIN students s ON s.district_id = :'district' AND s.sourced_id = st.sourced_id;
SAVEPOINT staged;
\echo '--- the measured statement: students upsert with an audit row each'
EXPLAIN (ANALYZE, BUFFERS, SUMMARY ON)
WITH c AS (
  SELECT * FROM import_resolved WHERE school_id IS NOT NULL
    AND (old_id IS NULL OR (old_school_id, old_identifier, old_given_name, old_family_name, old_grade, old_email, old_enrollment_status)
         IS DISTINCT FROM (school_id, identifier, given_name, family_name, grade, email, enrollment_status))
), up AS (
  INSERT INTO students AS s (district_id, sourced_id, school_id, identifier, given_name, family_name, grade, email, enrollment_status)
  SELECT :'district', sourced_id, school_id, identifier, given_name, family_name, grade, email, enrollment_status FROM c ORDER BY sourced_id
  ON CONFLICT (district_id, sourced_id) DO UPDATE SET school_id = EXCLUDED.school_id, identifier = EXCLUDED.identifier, given_name = EXCLUDED.given_name,
    family_name = EXCLUDED.family_name, grade = EXCLUDED.grade, email = EXCLUDED.email, enrollment_status = EXCLUDED.enrollment_status, updated_at = now()
  WHERE (s.school_id, s.identifier, s.given_name, s.family_name, s.grade, s.email, s.enrollment_status)
        IS DISTINCT FROM (EXCLUDED.school_id, EXCLUDED.identifier, EXCLUDED.given_name, EXCLUDED.family_name, EXCLUDED.grade, EXCLUDED.email, EXCLUDED.enrollment_status)
  RETURNING s.id, s.sourced_id, (xmax = 0) AS created, s.school_id, s.identifier, s.given_name, s.family_name, s.grade, s.email, s.enrollment_status
), audit AS (
  INSERT INTO audit_events (actor_token_id, actor, request_id, district_id, entity_type, entity_id, action, before, after)
  SELECT NULL, 'bench', NULL, :'district', 'student', up.id::text, CASE WHEN up.created THEN 'create' ELSE 'update' END, NULL,
         jsonb_strip_nulls(jsonb_build_object('sourcedId', up.sourced_id, 'schoolId', up.school_id, 'identifier', up.identifier, 'givenName', up.given_name,
           'familyName', up.family_name, 'grade', up.grade, 'email', up.email, 'enrollmentStatus', up.enrollment_status))
  FROM up JOIN c ON c.sourced_id = up.sourced_id
)
SELECT count(*) FILTER (WHERE created)::int AS created FROM up;
ROLLBACK TO SAVEPOINT staged;
\echo '--- the same students, no audit rows'
EXPLAIN (ANALYZE, BUFFERS, SUMMARY ON)
INSERT INTO students AS s (district_id, sourced_id, school_id, identifier, given_name, family_name, grade, email, enrollment_status)
SELECT :'district', sourced_id, school_id, identifier, given_name, family_name, grade, email, enrollment_status FROM import_resolved ORDER BY sourced_id
ON CONFLICT (district_id, sourced_id) DO NOTHING;
ROLLBACK TO SAVEPOINT staged;
\echo '--- the same students, no audit rows, no trigram search index'
DROP INDEX students_search_idx;
EXPLAIN (ANALYZE, BUFFERS, SUMMARY ON)
INSERT INTO students AS s (district_id, sourced_id, school_id, identifier, given_name, family_name, grade, email, enrollment_status)
SELECT :'district', sourced_id, school_id, identifier, given_name, family_name, grade, email, enrollment_status FROM import_resolved ORDER BY sourced_id
ON CONFLICT (district_id, sourced_id) DO NOTHING;
ROLLBACK;
