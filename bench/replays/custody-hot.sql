-- Custody on a big district's devices (issue #17), statements as of commit 053a967 (HotCustody migration, batched audit):
-- lockSpare (repair intake's loaner) for the school with the most working spares and the one with the fewest,
-- the spare counts (GET /spare-pool, the health report's spares) for the whole district, and one
-- bulk-assignment request of :n lines (resolve, lockInStock, the issue statement), with how many of its
-- device updates were HOT and over how many heap pages they lay. Rolled back.
-- Measured on the 520,000-student city database (BD001, 531k devices) and on a copy with the migration
-- applied and devices re-packed (VACUUM FULL), alternating, 2,000 lines, while other work kept the 2 cores'
-- load average at 11-15 (times are noisy; buffers are the comparison):
--   issue statement   before: 0 of 2,000 HOT, 175-202k buffers (device UPDATE 129-156k), 5.0-5.6 s
--                     fillfactor 90: 119-338 HOT, device UPDATE 102-120k buffers
--                     fillfactor 50: 2,000 HOT, 71k buffers (device UPDATE 24-25k), 1.7-3.9 s
--   lockSpare         before 5-11 buffers (status in the index); after 283-975 (the school's range)
--   spare pool report before 29.8k buffers, after 41k (seq scan of a longer heap)
--   audit of the request: 4,000 rows 37.8-38.7k buffers, 0.5-2.5 s; 2 rows naming them (entity_ids) 690-715 buffers, 0.1 s
-- psql -h 127.0.0.1 -U postgres reconnect_bench_city -v code=BD001 -v n=2000 -f bench/replays/custody-hot.sql
\timing on
SELECT id AS district FROM districts WHERE code = :'code' \gset
SELECT d.school_id AS spares FROM devices d WHERE d.district_id = :'district' AND d.kind = 'chromebook'
  AND d.status = 'in_stock' AND d.condition = 'working' AND d.school_id IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC LIMIT 1 \gset
-- The school with the fewest working spare Chromebooks (none, where there is one), the biggest of those.
SELECT s.id AS bare FROM schools s WHERE s.district_id = :'district'
ORDER BY (SELECT count(*) FROM devices d WHERE d.district_id = s.district_id AND d.school_id = s.id AND d.kind = 'chromebook'
    AND d.status = 'in_stock' AND d.condition = 'working'),
  (SELECT count(*) FROM devices d WHERE d.district_id = s.district_id AND d.school_id = s.id) DESC LIMIT 1 \gset
SELECT indexrelid::regclass AS pool_index FROM pg_index WHERE indrelid = 'devices'::regclass
  AND indexrelid::regclass::text IN ('devices_pool_idx', 'devices_spare_idx') \gset
\echo 'pool index:' :pool_index
BEGIN;
SET LOCAL jit = off;
PREPARE lock_spare(uuid) AS SELECT id FROM devices
  WHERE district_id = :'district' AND school_id = $1 AND kind = 'chromebook' AND status = 'in_stock' AND condition = 'working'
  ORDER BY asset_tag NULLS LAST, id
  LIMIT 1 FOR UPDATE SKIP LOCKED;
\echo '--- lockSpare, the school with the most spares'
EXPLAIN (ANALYZE, BUFFERS, SUMMARY ON, COSTS OFF) EXECUTE lock_spare(:'spares');
\echo '--- lockSpare, the school with the fewest'
EXPLAIN (ANALYZE, BUFFERS, SUMMARY ON, COSTS OFF) EXECUTE lock_spare(:'bare');
\echo '--- spare pool, the whole district (GET /spare-pool)'
EXPLAIN (ANALYZE, BUFFERS, SUMMARY ON, COSTS OFF)
SELECT s.id, count(d.id) FILTER (WHERE d.kind = 'chromebook') AS chromebooks,
  count(d.id) FILTER (WHERE d.kind = 'chromebook' AND d.condition = 'working') AS working_chromebooks,
  count(d.id) FILTER (WHERE d.kind = 'hotspot') AS hotspots
FROM schools s JOIN districts dist ON dist.id = s.district_id
LEFT JOIN devices d ON d.district_id = s.district_id AND d.school_id = s.id AND d.status = 'in_stock' AND d.kind IN ('chromebook', 'hotspot')
WHERE s.district_id = :'district'
GROUP BY s.id, dist.id;
\echo '--- health report spares, the whole district'
EXPLAIN (ANALYZE, BUFFERS, SUMMARY ON, COSTS OFF)
SELECT s.id, count(d.id) FROM schools s JOIN districts dist ON dist.id = s.district_id
LEFT JOIN devices d ON d.district_id = s.district_id AND d.school_id = s.id
  AND d.kind = 'chromebook' AND d.status = 'in_stock' AND d.condition = 'working'
WHERE s.district_id = :'district'
GROUP BY s.id, dist.id HAVING count(d.id) < dist.spare_pool_minimum;
-- A distribution day's list: in-stock devices in the order they lie in the table (a school's carts, recorded
-- together, are scanned together: every row of a page changes in one statement), each to an active student
-- without one.
CREATE TEMP TABLE lines ON COMMIT DROP AS
SELECT row_number() OVER ()::int AS line, d.id AS "deviceId", d.asset_tag AS "assetTag", s.id AS "studentId", s.sourced_id AS "studentSourcedId"
FROM (SELECT id, asset_tag, row_number() OVER (ORDER BY ctid) AS n FROM devices
      WHERE district_id = :'district' AND status = 'in_stock' AND asset_tag IS NOT NULL ORDER BY ctid LIMIT :n) d
JOIN (SELECT id, sourced_id, row_number() OVER (ORDER BY sourced_id) AS n FROM students st
      WHERE district_id = :'district' AND enrollment_status = 'active'
        AND NOT EXISTS (SELECT FROM assignments a WHERE a.student_id = st.id AND a.ended_at IS NULL) ORDER BY sourced_id LIMIT :n) s USING (n);
SELECT jsonb_agg(jsonb_build_object('line', line, 'assetTag', "assetTag", 'studentSourcedId', "studentSourcedId")) AS resolve_json,
  jsonb_agg(jsonb_build_object('deviceId', "deviceId", 'studentId', "studentId", 'kind', 'primary')) AS issue_json,
  array_agg("deviceId") AS device_ids FROM lines \gset
\echo '--- resolveBulkAssign'
EXPLAIN (ANALYZE, BUFFERS, SUMMARY ON, COSTS OFF)
WITH i AS (SELECT * FROM jsonb_to_recordset(:'resolve_json'::jsonb) AS i(line int, "assetTag" text, "studentSourcedId" text))
SELECT i.line, d.id, d.status, coalesce(d.holder_unknown, false), a.student_id, a.id, s.id, s.enrollment_status
FROM i
LEFT JOIN LATERAL (SELECT x.id, x.status, x.holder_unknown FROM devices x
  WHERE x.district_id = :'district' AND lower(x.asset_tag) = lower(i."assetTag")
  ORDER BY (x.asset_tag = i."assetTag") DESC, x.id LIMIT 1) d ON true
LEFT JOIN assignments a ON a.device_id = d.id AND a.ended_at IS NULL
LEFT JOIN students s ON s.district_id = :'district' AND s.sourced_id = i."studentSourcedId"
ORDER BY i.line;
\echo '--- lockInStock'
EXPLAIN (ANALYZE, BUFFERS, SUMMARY ON, COSTS OFF)
SELECT d.id, d.kind, d.status, d.condition FROM devices d
WHERE d.district_id = :'district' AND d.id = ANY(:'device_ids'::uuid[]) AND (d.status = 'in_stock' OR d.holder_unknown)
ORDER BY d.id FOR UPDATE;
\echo '--- issue'
EXPLAIN (ANALYZE, BUFFERS, SUMMARY ON, COSTS OFF)
WITH i AS (
  SELECT * FROM jsonb_to_recordset(:'issue_json'::jsonb) AS i("deviceId" uuid, "studentId" uuid, kind text, "loanerForDeviceId" uuid, "signerName" text, "signedAt" timestamptz)
), eligible AS (
  SELECT i.* FROM i JOIN students s ON s.district_id = :'district' AND s.id = i."studentId" AND s.enrollment_status = 'active'
), taken AS (
  UPDATE devices d SET status = CASE e.kind WHEN 'loaner' THEN 'loaner' ELSE 'assigned' END, holder_unknown = false, updated_at = now()
  FROM eligible e
  WHERE d.district_id = :'district' AND d.id = e."deviceId" AND (d.status = 'in_stock' OR d.holder_unknown)
  RETURNING e.*
)
INSERT INTO assignments AS a (district_id, device_id, student_id, kind, loaner_for_device_id, issued_by, acknowledged_by_name, acknowledged_at)
SELECT :'district', t."deviceId", t."studentId", t.kind, t."loanerForDeviceId", NULL, t."signerName",
  CASE WHEN t."signerName" IS NULL THEN NULL ELSE coalesce(t."signedAt", now()) END
FROM taken t;
SELECT pg_stat_get_xact_tuples_updated('devices'::regclass) AS device_updates,
  pg_stat_get_xact_tuples_hot_updated('devices'::regclass) AS hot,
  (SELECT count(DISTINCT (ctid::text::point)[0]) FROM devices WHERE id IN (SELECT "deviceId" FROM lines)) AS pages;
\echo '--- the audit of the request: a row per device and per assignment (before), or one row for each (entity_ids)'
SELECT jsonb_agg(e) AS entries FROM (
  SELECT jsonb_build_object('district_id', :'district', 'entity_type', 'device', 'entity_id', "deviceId", 'action', 'assign',
    'before', jsonb_build_object('status', 'in_stock', 'condition', 'working'), 'after', jsonb_build_object('status', 'assigned', 'condition', 'working')) e FROM lines
  UNION ALL
  SELECT jsonb_build_object('district_id', :'district', 'entity_type', 'assignment', 'entity_id', a.id, 'action', 'create', 'after', to_jsonb(a))
  FROM assignments a WHERE a.device_id IN (SELECT "deviceId" FROM lines) AND a.ended_at IS NULL) x \gset
EXPLAIN (ANALYZE, BUFFERS, SUMMARY ON, COSTS OFF)
INSERT INTO audit_events (actor_token_id, actor_staff_user_id, actor, request_id, district_id, entity_type, entity_id, action, before, after)
SELECT NULL, NULL, 'replay', 'replay', e.district_id, e.entity_type, e.entity_id, e.action, e.before, e.after
FROM jsonb_to_recordset(:'entries'::jsonb) AS e(district_id uuid, entity_type text, entity_id text, action text, before jsonb, after jsonb);
EXPLAIN (ANALYZE, BUFFERS, SUMMARY ON, COSTS OFF)
INSERT INTO audit_events (actor_token_id, actor_staff_user_id, actor, request_id, district_id, entity_type, entity_id, action, before, after, entity_ids)
SELECT NULL, NULL, 'replay', 'replay', e.district_id, e.entity_type, 'batch', min(e.action), NULL, jsonb_build_object('lines', jsonb_agg(e.after)),
  array_agg(e.entity_id::uuid)
FROM jsonb_to_recordset(:'entries'::jsonb) AS e(district_id uuid, entity_type text, entity_id text, action text, before jsonb, after jsonb)
GROUP BY e.district_id, e.entity_type;
ROLLBACK;
