-- One users.csv batch of :n new students into district :code, as upsertRosterStudents runs it
-- (import_resolved, then the upsert and its audit rows in one statement); rolled back. Variants of the
-- trigram search index (students_search_idx): as it is (fastupdate, 4 MB pending list), a larger
-- pending list for the batch (its flush deferred), the same flushed once at the end of the batch, as it
-- is again, fastupdate off, and no index (the bound).
\timing on
SELECT id AS district FROM districts WHERE code = :'code' \gset
BEGIN;
SET LOCAL jit = off;
SET LOCAL work_mem = '64MB';
CREATE TEMP TABLE import_stage (line integer NOT NULL, sourced_id text, org_ids text, identifier text, given_name text, family_name text, grade text, email text, enrollment_status text) ON COMMIT DROP;
INSERT INTO import_stage
SELECT g, 'NEW-stu-' || lpad(g::text, 7, '0'), (SELECT sourced_id FROM schools WHERE district_id = :'district' ORDER BY code OFFSET (g % (SELECT count(*) FROM schools WHERE district_id = :'district')) LIMIT 1),
       lpad((9000000 + g)::text, 10, '0'), (ARRAY['Ava','Liam','Noah','Emma','Mia','Lucas','Chloe','Mateo','Zoe','Ethan'])[1 + g % 10] || (g % 97),
       (ARRAY['Kim','Evans','Garcia','Nguyen','Smith','Patel','Lopez','Brown','Khan','Rossi'])[1 + (g / 10) % 10],
       lpad((1 + g % 12)::text, 2, '0'), 'new.student.' || g || '@' || lower(:'code') || '.k12.example.org', 'active'
FROM generate_series(1, :n) g;
ANALYZE import_stage;
\echo '--- import_resolved'
EXPLAIN (ANALYZE, BUFFERS, SUMMARY ON)
CREATE TEMP TABLE import_resolved ON COMMIT DROP AS
     SELECT st.line, st.sourced_id, st.org_ids, st.identifier, st.given_name, st.family_name, st.grade, st.email, st.enrollment_status,
            school.school_id, s.id AS old_id, s.school_id AS old_school_id, s.identifier AS old_identifier, s.given_name AS old_given_name,
            s.family_name AS old_family_name, s.grade AS old_grade, s.email AS old_email, s.enrollment_status AS old_enrollment_status
     FROM (SELECT * FROM import_stage ORDER BY sourced_id) st
     LEFT JOIN (
       SELECT DISTINCT ON (x.line) x.line, sc.id AS school_id
       FROM import_stage x
       CROSS JOIN LATERAL unnest(string_to_array(x.org_ids, ',')) WITH ORDINALITY AS o(sourced_id, n)
       JOIN schools sc ON sc.district_id = :'district' AND sc.sourced_id = o.sourced_id
       ORDER BY x.line, o.n
     ) school ON school.line = st.line
     LEFT JOIN LATERAL (
       SELECT x.id, x.school_id, x.identifier, x.given_name, x.family_name, x.grade, x.email, x.enrollment_status FROM students x
       WHERE x.district_id = :'district' AND x.sourced_id = st.sourced_id LIMIT 1
     ) s ON true;
SAVEPOINT staged;
\set upsert 'WITH today AS (SELECT (now() AT TIME ZONE d.time_zone)::date AS day FROM districts d WHERE d.id = :''district''), c AS (SELECT * FROM import_resolved WHERE school_id IS NOT NULL AND (old_id IS NULL OR (old_school_id, old_identifier, old_given_name, old_family_name, old_grade, old_email, old_enrollment_status) IS DISTINCT FROM (school_id, identifier, given_name, family_name, grade, email, enrollment_status))), up AS (INSERT INTO students AS s (district_id, sourced_id, school_id, identifier, given_name, family_name, grade, email, enrollment_status, enrolled_on) SELECT :''district'', sourced_id, school_id, identifier, given_name, family_name, grade, email, enrollment_status, (SELECT day FROM today) FROM c ORDER BY sourced_id ON CONFLICT (district_id, sourced_id) DO UPDATE SET school_id = EXCLUDED.school_id, updated_at = now() RETURNING s.id, s.sourced_id, (xmax = 0) AS created), audit_created AS (INSERT INTO audit_events (actor_token_id, actor_staff_user_id, actor, request_id, district_id, entity_type, entity_id, action, after, entity_ids) SELECT NULL::uuid, NULL::uuid, ''bench''::text, ''import:x''::text, :''district''::uuid, ''student'', ''import:x#'' || min(c.line) || ''-'' || max(c.line), ''create'', jsonb_build_object(''firstLine'', min(c.line), ''lastLine'', max(c.line), ''students'', count(*)), array_agg(up.id ORDER BY up.id) FROM up JOIN c ON c.sourced_id = up.sourced_id WHERE up.created HAVING count(*) > 0) SELECT count(*) FILTER (WHERE created)::int AS created FROM up'
\echo '--- upsert as it is (fastupdate on, pending list limit 4 MB)'
EXPLAIN (ANALYZE, BUFFERS, SUMMARY ON) :upsert;
ROLLBACK TO SAVEPOINT staged;
\echo '--- upsert, pending list limit 64 MB for the batch'
SET LOCAL gin_pending_list_limit = '64MB';
EXPLAIN (ANALYZE, BUFFERS, SUMMARY ON) :upsert;
ROLLBACK TO SAVEPOINT staged;
\echo '--- upsert, pending list limit 64 MB for the batch, then its one flush (gin_clean_pending_list)'
SET LOCAL gin_pending_list_limit = '64MB';
EXPLAIN (ANALYZE, BUFFERS, SUMMARY ON) :upsert;
SELECT gin_clean_pending_list('students_search_idx') AS flushed_pages;
ROLLBACK TO SAVEPOINT staged;
\echo '--- upsert as it is (again)'
RESET gin_pending_list_limit;
EXPLAIN (ANALYZE, BUFFERS, SUMMARY ON) :upsert;
ROLLBACK TO SAVEPOINT staged;
\echo '--- upsert, fastupdate off'
ALTER INDEX students_search_idx SET (fastupdate = off);
EXPLAIN (ANALYZE, BUFFERS, SUMMARY ON) :upsert;
ROLLBACK TO SAVEPOINT staged;
\echo '--- upsert without the trigram search index (the bound)'
DROP INDEX students_search_idx;
EXPLAIN (ANALYZE, BUFFERS, SUMMARY ON) :upsert;
ROLLBACK;
