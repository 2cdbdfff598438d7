-- One batch of the login-events import as it runs since the LATERAL probes (insertStagedLoginEvents),
-- fed with real lines of a generated login-events.csv, rolled back. The lines' events exist already, so
-- their keys get :'tag' appended: new events at the same students and times. Use a new tag (and a new
-- slice of the file) for every run: a rolled-back key left behind would be found by the next run's checks.
--   tail -n +3000002 BD001/login-events.csv | head -20000 > /tmp/slice.csv   (a slice is read by the server)
--   psql -v code=BD001 -v slice=/tmp/slice.csv -v tag=-r1 -v order='student_id, occurred_at, dedupe_key' \
--        -v conflict='ON CONFLICT (district_id, occurred_at, dedupe_key) DO NOTHING' -f login-batch.sql
-- :order is the insert's ORDER BY (the code's: student_id, occurred_at, dedupe_key); :conflict its
-- ON CONFLICT clause (empty: a plain insert). The WAL line says how many full-page images the batch wrote.
-- -v target=some_table: into a table of one's own (LIKE login_events, no triggers) instead of login_events.
\if :{?target}
\else
\set target login_events
\endif
\timing on
SELECT id AS district FROM districts WHERE code = :'code' \gset
BEGIN;
SELECT set_config('jit', 'off', true), set_config('work_mem', '64MB', true), set_config('synchronous_commit', 'off', true);
-- -v walc=lz4: the batch with compressed full-page images (what the README's server settings would give).
\if :{?walc}
SELECT set_config('wal_compression', :'walc', true);
\endif
CREATE TEMP TABLE slice (occurred_at timestamptz, student_sourced_id text, source text, event text, unique_id text) ON COMMIT DROP;
COPY slice FROM :'slice' (FORMAT csv);
CREATE TEMP TABLE import_stage (line integer NOT NULL, student_sourced_id text, email text, occurred_at timestamptz, event text, source text, dedupe_key text) ON COMMIT DROP;
CREATE TEMP TABLE import_stage_errors (line integer NOT NULL, field text, message text NOT NULL) ON COMMIT DROP;
INSERT INTO import_stage SELECT row_number() OVER (), student_sourced_id, NULL, occurred_at, event, source, unique_id || :'tag' FROM slice;
SELECT set_config('default_statistics_target', '10', true);
ANALYZE import_stage;
-- Stands in for import_latest_logins, whose rows need an import.
CREATE TEMP TABLE import_latest_logins_x (import_id uuid, student_ids uuid[], newest timestamptz[]) ON COMMIT DROP;
EXPLAIN (ANALYZE, BUFFERS, WAL, SUMMARY ON, COSTS OFF)
WITH resolved AS MATERIALIZED (
       SELECT st.line, st.occurred_at, st.event, st.source, md5(st.dedupe_key)::uuid AS dedupe_key, st.student_sourced_id, st.email,
              coalesce(s.id, by_email.id) AS student_id
       FROM (SELECT * FROM import_stage ORDER BY student_sourced_id) st
       LEFT JOIN LATERAL (
         SELECT x.id FROM students x WHERE x.district_id = :'district' AND x.sourced_id = st.student_sourced_id LIMIT 1
       ) s ON true
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
       FROM resolved WHERE student_id IS NULL AND NOT true
       RETURNING 1
     ), inserted AS (
       INSERT INTO :target (district_id, student_id, occurred_at, event, source, dedupe_key)
       SELECT :'district'::uuid, student_id, occurred_at, event, source, dedupe_key
       FROM resolved WHERE student_id IS NOT NULL
       ORDER BY :order
       :conflict
       RETURNING 1
     ), latest AS (
       SELECT student_id, max(occurred_at) AS newest FROM resolved
       WHERE student_id IS NOT NULL AND event = 'login_success' GROUP BY student_id
     ), last_logins AS (
       INSERT INTO import_latest_logins_x (import_id, student_ids, newest)
       SELECT :'district', array_agg(student_id), array_agg(newest) FROM latest HAVING count(*) > 0
     )
     SELECT (SELECT count(*) FROM resolved WHERE student_id IS NULL)::int AS unknown, (SELECT count(*) FROM inserted)::int AS inserted,
            (SELECT count(*) FROM resolved WHERE student_id IS NOT NULL)::int AS known;
ROLLBACK;
