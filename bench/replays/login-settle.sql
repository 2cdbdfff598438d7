-- The end of a login-events import as measured (commit 2d4e74a, settleLatestLogins): last_login_at of a
-- small district's students moved forward in one statement with nested loops off; replayed; rolled back.
\timing on
SELECT d.id AS district, (SELECT i.id FROM imports i WHERE i.district_id = d.id AND i.kind = 'login-events' ORDER BY created_at DESC LIMIT 1) AS import
FROM districts d WHERE code = :'code' \gset
BEGIN;
INSERT INTO import_latest_logins (import_id, student_ids, newest)
SELECT :'import', array_agg(id), array_agg(now()) FROM students WHERE district_id = :'district';
SELECT count(*) AS students_in_district FROM students WHERE district_id = :'district';
SELECT set_config('enable_nestloop', 'off', true);
EXPLAIN (ANALYZE, BUFFERS, SUMMARY ON)
WITH kept AS (
  DELETE FROM import_latest_logins WHERE import_id = :'import' RETURNING student_ids, newest
)
UPDATE students s SET last_login_at = m.newest
FROM (SELECT u.student_id, max(u.newest) AS newest FROM kept, unnest(kept.student_ids, kept.newest) AS u(student_id, newest)
      GROUP BY u.student_id) m
WHERE s.id = m.student_id AND (s.last_login_at IS NULL OR s.last_login_at < m.newest);
ROLLBACK;
