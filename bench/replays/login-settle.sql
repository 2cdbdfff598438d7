-- The end of a login-events import since commit bffd813 (settleLatestLogins): last_login_at of district
-- :code's students moved forward by one second, keyed by the district, in one statement; students have
-- fillfactor 50, so these are same-page (HOT) updates. Rolled back.
\timing on
SELECT id AS district FROM districts WHERE code = :'code' \gset
BEGIN;
SET LOCAL jit = off;
CREATE TEMP TABLE latest_logins ON COMMIT DROP AS
  SELECT array_agg(student_id) AS student_ids, array_agg(newest + interval '1 second') AS newest
  FROM (SELECT student_id, max(occurred_at) AS newest FROM login_events
        WHERE district_id = :'district' AND event = 'login_success' GROUP BY student_id) x;
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF)
WITH kept AS (
  DELETE FROM latest_logins RETURNING student_ids, newest
), latest AS (
  SELECT u.student_id, max(u.newest) AS newest FROM kept, unnest(kept.student_ids, kept.newest) AS u(student_id, newest)
  GROUP BY u.student_id
)
UPDATE students s SET last_login_at = m.newest
FROM latest m
WHERE s.district_id = :'district' AND s.id = m.student_id AND (s.last_login_at IS NULL OR s.last_login_at < m.newest);
ROLLBACK;
