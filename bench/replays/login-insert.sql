-- One batch of the login-events import as it runs since commit bffd813 (applyLoginEvents: one statement
-- resolves, reports unknown students, inserts, keeps the newest successes; the statement trigger checks
-- the students): 20,000 new events of district :code (students <code>-stu-000001..040000, as the
-- generator names them); rolled back. Run it twice: the first run also reads the pages in.
\timing on
BEGIN;
SELECT set_config('jit', 'off', true), set_config('work_mem', '64MB', true);
SELECT id AS district FROM districts WHERE code = :'code' \gset
CREATE TEMP TABLE import_stage (line integer NOT NULL, student_sourced_id text, email text, occurred_at timestamptz, event text, source text, dedupe_key text) ON COMMIT DROP;
CREATE TEMP TABLE import_stage_errors (line integer NOT NULL, field text, message text NOT NULL) ON COMMIT DROP;
INSERT INTO import_stage
SELECT g, :'code' || '-stu-' || lpad((((g * 7919) % 40000) + 1)::text, 6, '0'), NULL,
       now() - ((g % 600) * interval '1 minute'), CASE WHEN g % 6 = 0 THEN 'logout' ELSE 'login_success' END, 'google', 'replay-' || g
FROM generate_series(1, 20000) g;
ANALYZE import_stage;
-- Stands in for import_latest_logins, whose rows need an import.
CREATE TEMP TABLE import_latest_logins_x (import_id uuid, student_ids uuid[], newest timestamptz[]) ON COMMIT DROP;
EXPLAIN (ANALYZE, BUFFERS, SUMMARY ON, COSTS OFF)
WITH resolved AS MATERIALIZED (
       SELECT st.line, st.occurred_at, st.event, st.source, md5(st.dedupe_key)::uuid AS dedupe_key, st.student_sourced_id, st.email,
              coalesce(s.id, by_email.id) AS student_id
       FROM import_stage st
       LEFT JOIN students s ON s.district_id = :'district' AND s.sourced_id = st.student_sourced_id
       LEFT JOIN (
         SELECT DISTINCT ON (lower(x.email)) lower(x.email) AS email, x.id
         FROM students x
         WHERE x.district_id = :'district' AND x.email IS NOT NULL
           AND lower(x.email) IN (SELECT lower(email) FROM import_stage WHERE student_sourced_id IS NULL)
         ORDER BY lower(x.email), x.enrollment_status = 'active' DESC, x.id
       ) by_email ON st.student_sourced_id IS NULL AND by_email.email = lower(st.email)
     ), unknown AS (
       INSERT INTO import_stage_errors (line, field, message)
       SELECT line, CASE WHEN student_sourced_id IS NOT NULL THEN 'studentSourcedId' ELSE 'email' END,
              CASE WHEN student_sourced_id IS NOT NULL THEN 'no student with sourcedId ' || student_sourced_id
                   ELSE 'no student with email ' || email END
       FROM resolved WHERE student_id IS NULL
       RETURNING 1
     ), inserted AS (
       INSERT INTO login_events (district_id, student_id, occurred_at, event, source, dedupe_key)
       SELECT :'district'::uuid, student_id, occurred_at, event, source, dedupe_key
       FROM resolved WHERE student_id IS NOT NULL
       ORDER BY student_id, occurred_at, dedupe_key
       ON CONFLICT (district_id, occurred_at, dedupe_key) DO NOTHING
       RETURNING 1
     ), latest AS (
       SELECT student_id, max(occurred_at) AS newest FROM resolved
       WHERE student_id IS NOT NULL AND event = 'login_success' GROUP BY student_id
     ), last_logins AS (
       INSERT INTO import_latest_logins_x (import_id, student_ids, newest)
  SELECT :'district', array_agg(student_id), array_agg(newest) FROM latest HAVING count(*) > 0
     )
     SELECT (SELECT count(*) FROM unknown)::int AS unknown, (SELECT count(*) FROM inserted)::int AS inserted,
            (SELECT count(*) FROM resolved WHERE student_id IS NOT NULL)::int AS known;
ROLLBACK;
