-- One batch of the login-events import as measured (commit 2d4e74a): 20,000 new events of the largest
-- district resolved and inserted; rolled back.
\timing on
BEGIN;
SELECT set_config('jit', 'off', true), set_config('work_mem', '64MB', true);
SELECT id AS district FROM districts WHERE code = 'BD002' \gset
CREATE TEMP TABLE import_stage (line integer NOT NULL, student_sourced_id text, email text, occurred_at timestamptz, event text, source text, dedupe_key text) ON COMMIT DROP;
CREATE TEMP TABLE import_stage_errors (line integer NOT NULL, field text, message text NOT NULL) ON COMMIT DROP;
INSERT INTO import_stage
SELECT g, 'BD002-stu-' || lpad((((g * 7919) % 40000) + 1)::text, 6, '0'), NULL,
       now() - ((g % 600) * interval '1 minute'), CASE WHEN g % 6 = 0 THEN 'logout' ELSE 'login_success' END, 'google', 'replay-' || g
FROM generate_series(1, 20000) g;
ANALYZE import_stage;
CREATE TEMP TABLE import_resolved ON COMMIT DROP AS
  SELECT st.line, st.occurred_at, st.event, st.source, md5(st.dedupe_key)::uuid AS dedupe_key, st.student_sourced_id, st.email, s.id AS student_id
  FROM import_stage st LEFT JOIN students s ON s.district_id = :'district' AND s.sourced_id = st.student_sourced_id;
EXPLAIN (ANALYZE, BUFFERS, SUMMARY ON)
INSERT INTO login_events (district_id, student_id, occurred_at, event, source, dedupe_key)
SELECT :'district'::uuid, student_id, occurred_at, event, source, dedupe_key
FROM import_resolved WHERE student_id IS NOT NULL
ORDER BY student_id, occurred_at, dedupe_key
ON CONFLICT (district_id, occurred_at, dedupe_key) DO NOTHING;
ROLLBACK;
