-- The donation-rollout report with a state token (every district), as src/reports/rollout.sql.ts builds it for
-- GET /reports/rollout?fundingSource=Everybody%20Learns (sampleSize 20), in the service's read-only snapshot
-- settings. City shape (520,000 students; 361,585 devices and 359,839 delivered serials of the source) on 2
-- cores, load average 4-5 from other work: 2.0-2.8 s a run (EXPLAIN ANALYZE 2.56 s). The plan is serial: the
-- FULL JOIN of registered and delivered serials (0.5 s), hash joins to assignments (0.3 s build) and to all of
-- students for last_login_at (0.45 s build), a sort of 363,376 rows for the grouping sets (0.3 s).
-- Tried (not kept): the FULL JOIN as registered LEFT JOIN delivered UNION ALL (delivered with no registered
-- device, its device of another source by a LEFT JOIN): same plan shape, still no Gather above the joins, and
-- delivered computed twice: 2.8-3.2 s. All 363,376 fact rows have to reach one grouping-sets aggregate whose
-- array_agg has no combine function in PostgreSQL 15, so no partial aggregate can go below a Gather. A probe
-- with the counts only, aggregated per (district, school) before the grouping sets, does get a Gather (Parallel
-- Append, Parallel Hash joins to assignments and students) but each worker rebuilds the delivered hash, and
-- the sample lists would still need a pass of their own: 2.15 s under the same load, no clear gain yet.
-- The first statement shows the plan; the next three time it. Read-only.
-- psql -h 127.0.0.1 -U postgres reconnect_bench_city -v fs='Everybody Learns' -f bench/replays/rollout-report.sql
\timing on
BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY;
SET LOCAL work_mem = '64MB';
SET LOCAL jit = off;
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF)
WITH delivered AS (
  SELECT DISTINCT i.district_id, i.serial_number
  FROM shipments sh
  JOIN shipment_items i ON i.shipment_id = sh.id
  WHERE sh.funding_source = :'fs' AND (NULL::uuid IS NULL OR sh.district_id = NULL::uuid)
),
registered AS (
  SELECT id, district_id, school_id, serial_number, kind, status, last_sync_at
  FROM devices
  WHERE funding_source = :'fs' AND (NULL::uuid IS NULL OR district_id = NULL::uuid)
),
serials AS (
  SELECT coalesce(r.district_id, dl.district_id) AS district_id, coalesce(r.serial_number, dl.serial_number) AS serial_number,
    r.id AS device_id, r.school_id, r.kind, r.status, r.last_sync_at,
    dl.serial_number IS NOT NULL AS delivered, r.id IS NOT NULL AS registered
  FROM registered r
  FULL JOIN delivered dl ON dl.district_id = r.district_id AND dl.serial_number = r.serial_number
),
elsewhere AS (
  SELECT s.*, CASE WHEN NOT s.registered THEN (
      SELECT ARRAY[o.id, o.school_id] FROM devices o WHERE o.district_id = s.district_id AND o.serial_number = s.serial_number
    ) END AS other_device
  FROM serials s
),
facts AS (
  SELECT e.district_id, coalesce(e.school_id, e.other_device[2]) AS school_id, e.serial_number, e.delivered, e.registered, e.status,
    NOT e.registered AND e.other_device IS NULL AS not_registered,
    NOT e.registered AND e.other_device IS NOT NULL AS other_funding,
    NOT e.delivered AS not_on_manifest,
    a.id IS NOT NULL AS assigned,
    -- coalesce: a never-seen login or sync is no activity, and must not make the flag NULL.
    a.id IS NOT NULL AND (coalesce(st.last_login_at >= now() - interval '7 days', false)
      OR coalesce(e.kind = 'chromebook' AND e.last_sync_at >= now() - interval '7 days', false)) AS active
  FROM elsewhere e
  LEFT JOIN assignments a ON a.device_id = e.device_id AND a.ended_at IS NULL
  LEFT JOIN students st ON st.id = a.student_id
),
counted AS (
  SELECT district_id, school_id, GROUPING(school_id) AS all_schools,
    count(*) FILTER (WHERE delivered)::int AS delivered,
    count(*) FILTER (WHERE registered)::int AS registered,
    count(*) FILTER (WHERE assigned)::int AS assigned,
    count(*) FILTER (WHERE active)::int AS active_use,
    count(*) FILTER (WHERE assigned AND NOT active)::int AS idle,
    count(*) FILTER (WHERE status = 'in_stock')::int AS in_stock,
    count(*) FILTER (WHERE status = 'in_repair')::int AS in_repair,
    count(*) FILTER (WHERE status IN ('lost', 'stolen'))::int AS lost_or_stolen,
    count(*) FILTER (WHERE status = 'retired')::int AS retired,
    count(*) FILTER (WHERE not_registered)::int AS not_registered,
    count(*) FILTER (WHERE not_on_manifest)::int AS not_on_manifest,
    count(*) FILTER (WHERE other_funding)::int AS other_funding,
    array_agg(serial_number) FILTER (WHERE not_registered) AS not_registered_serials,
    array_agg(serial_number) FILTER (WHERE not_on_manifest) AS not_on_manifest_serials,
    array_agg(serial_number) FILTER (WHERE other_funding) AS other_funding_serials
  FROM facts
  GROUP BY GROUPING SETS ((district_id, school_id), (district_id))
)
SELECT c.district_id AS "districtId", dt.name AS "districtName", c.all_schools = 1 AS "isTotal",
  c.school_id AS "schoolId", sc.name AS "schoolName",
  c.delivered, c.registered, c.assigned, c.active_use AS "activeUse", c.idle, c.in_stock AS "inStock",
  c.in_repair AS "inRepair", c.lost_or_stolen AS "lostOrStolen", c.retired,
  c.not_registered AS "deliveredNotRegistered", c.not_on_manifest AS "registeredNotOnManifest",
  c.other_funding AS "deliveredUnderOtherFunding",
  CASE WHEN c.all_schools = 1 THEN array(SELECT x FROM unnest(c.not_registered_serials) x ORDER BY x LIMIT 20) ELSE '{}' END AS "deliveredNotRegisteredSample",
  CASE WHEN c.all_schools = 1 THEN array(SELECT x FROM unnest(c.not_on_manifest_serials) x ORDER BY x LIMIT 20) ELSE '{}' END AS "registeredNotOnManifestSample",
  CASE WHEN c.all_schools = 1 THEN array(SELECT x FROM unnest(c.other_funding_serials) x ORDER BY x LIMIT 20) ELSE '{}' END AS "deliveredUnderOtherFundingSample"
FROM counted c
JOIN districts dt ON dt.id = c.district_id
LEFT JOIN schools sc ON sc.id = c.school_id
ORDER BY dt.name, c.district_id, c.all_schools DESC, sc.name NULLS FIRST, c.school_id NULLS FIRST;
\o /dev/null
WITH delivered AS (
  SELECT DISTINCT i.district_id, i.serial_number
  FROM shipments sh
  JOIN shipment_items i ON i.shipment_id = sh.id
  WHERE sh.funding_source = :'fs' AND (NULL::uuid IS NULL OR sh.district_id = NULL::uuid)
),
registered AS (
  SELECT id, district_id, school_id, serial_number, kind, status, last_sync_at
  FROM devices
  WHERE funding_source = :'fs' AND (NULL::uuid IS NULL OR district_id = NULL::uuid)
),
serials AS (
  SELECT coalesce(r.district_id, dl.district_id) AS district_id, coalesce(r.serial_number, dl.serial_number) AS serial_number,
    r.id AS device_id, r.school_id, r.kind, r.status, r.last_sync_at,
    dl.serial_number IS NOT NULL AS delivered, r.id IS NOT NULL AS registered
  FROM registered r
  FULL JOIN delivered dl ON dl.district_id = r.district_id AND dl.serial_number = r.serial_number
),
elsewhere AS (
  SELECT s.*, CASE WHEN NOT s.registered THEN (
      SELECT ARRAY[o.id, o.school_id] FROM devices o WHERE o.district_id = s.district_id AND o.serial_number = s.serial_number
    ) END AS other_device
  FROM serials s
),
facts AS (
  SELECT e.district_id, coalesce(e.school_id, e.other_device[2]) AS school_id, e.serial_number, e.delivered, e.registered, e.status,
    NOT e.registered AND e.other_device IS NULL AS not_registered,
    NOT e.registered AND e.other_device IS NOT NULL AS other_funding,
    NOT e.delivered AS not_on_manifest,
    a.id IS NOT NULL AS assigned,
    -- coalesce: a never-seen login or sync is no activity, and must not make the flag NULL.
    a.id IS NOT NULL AND (coalesce(st.last_login_at >= now() - interval '7 days', false)
      OR coalesce(e.kind = 'chromebook' AND e.last_sync_at >= now() - interval '7 days', false)) AS active
  FROM elsewhere e
  LEFT JOIN assignments a ON a.device_id = e.device_id AND a.ended_at IS NULL
  LEFT JOIN students st ON st.id = a.student_id
),
counted AS (
  SELECT district_id, school_id, GROUPING(school_id) AS all_schools,
    count(*) FILTER (WHERE delivered)::int AS delivered,
    count(*) FILTER (WHERE registered)::int AS registered,
    count(*) FILTER (WHERE assigned)::int AS assigned,
    count(*) FILTER (WHERE active)::int AS active_use,
    count(*) FILTER (WHERE assigned AND NOT active)::int AS idle,
    count(*) FILTER (WHERE status = 'in_stock')::int AS in_stock,
    count(*) FILTER (WHERE status = 'in_repair')::int AS in_repair,
    count(*) FILTER (WHERE status IN ('lost', 'stolen'))::int AS lost_or_stolen,
    count(*) FILTER (WHERE status = 'retired')::int AS retired,
    count(*) FILTER (WHERE not_registered)::int AS not_registered,
    count(*) FILTER (WHERE not_on_manifest)::int AS not_on_manifest,
    count(*) FILTER (WHERE other_funding)::int AS other_funding,
    array_agg(serial_number) FILTER (WHERE not_registered) AS not_registered_serials,
    array_agg(serial_number) FILTER (WHERE not_on_manifest) AS not_on_manifest_serials,
    array_agg(serial_number) FILTER (WHERE other_funding) AS other_funding_serials
  FROM facts
  GROUP BY GROUPING SETS ((district_id, school_id), (district_id))
)
SELECT c.district_id AS "districtId", dt.name AS "districtName", c.all_schools = 1 AS "isTotal",
  c.school_id AS "schoolId", sc.name AS "schoolName",
  c.delivered, c.registered, c.assigned, c.active_use AS "activeUse", c.idle, c.in_stock AS "inStock",
  c.in_repair AS "inRepair", c.lost_or_stolen AS "lostOrStolen", c.retired,
  c.not_registered AS "deliveredNotRegistered", c.not_on_manifest AS "registeredNotOnManifest",
  c.other_funding AS "deliveredUnderOtherFunding",
  CASE WHEN c.all_schools = 1 THEN array(SELECT x FROM unnest(c.not_registered_serials) x ORDER BY x LIMIT 20) ELSE '{}' END AS "deliveredNotRegisteredSample",
  CASE WHEN c.all_schools = 1 THEN array(SELECT x FROM unnest(c.not_on_manifest_serials) x ORDER BY x LIMIT 20) ELSE '{}' END AS "registeredNotOnManifestSample",
  CASE WHEN c.all_schools = 1 THEN array(SELECT x FROM unnest(c.other_funding_serials) x ORDER BY x LIMIT 20) ELSE '{}' END AS "deliveredUnderOtherFundingSample"
FROM counted c
JOIN districts dt ON dt.id = c.district_id
LEFT JOIN schools sc ON sc.id = c.school_id
ORDER BY dt.name, c.district_id, c.all_schools DESC, sc.name NULLS FIRST, c.school_id NULLS FIRST;
WITH delivered AS (
  SELECT DISTINCT i.district_id, i.serial_number
  FROM shipments sh
  JOIN shipment_items i ON i.shipment_id = sh.id
  WHERE sh.funding_source = :'fs' AND (NULL::uuid IS NULL OR sh.district_id = NULL::uuid)
),
registered AS (
  SELECT id, district_id, school_id, serial_number, kind, status, last_sync_at
  FROM devices
  WHERE funding_source = :'fs' AND (NULL::uuid IS NULL OR district_id = NULL::uuid)
),
serials AS (
  SELECT coalesce(r.district_id, dl.district_id) AS district_id, coalesce(r.serial_number, dl.serial_number) AS serial_number,
    r.id AS device_id, r.school_id, r.kind, r.status, r.last_sync_at,
    dl.serial_number IS NOT NULL AS delivered, r.id IS NOT NULL AS registered
  FROM registered r
  FULL JOIN delivered dl ON dl.district_id = r.district_id AND dl.serial_number = r.serial_number
),
elsewhere AS (
  SELECT s.*, CASE WHEN NOT s.registered THEN (
      SELECT ARRAY[o.id, o.school_id] FROM devices o WHERE o.district_id = s.district_id AND o.serial_number = s.serial_number
    ) END AS other_device
  FROM serials s
),
facts AS (
  SELECT e.district_id, coalesce(e.school_id, e.other_device[2]) AS school_id, e.serial_number, e.delivered, e.registered, e.status,
    NOT e.registered AND e.other_device IS NULL AS not_registered,
    NOT e.registered AND e.other_device IS NOT NULL AS other_funding,
    NOT e.delivered AS not_on_manifest,
    a.id IS NOT NULL AS assigned,
    -- coalesce: a never-seen login or sync is no activity, and must not make the flag NULL.
    a.id IS NOT NULL AND (coalesce(st.last_login_at >= now() - interval '7 days', false)
      OR coalesce(e.kind = 'chromebook' AND e.last_sync_at >= now() - interval '7 days', false)) AS active
  FROM elsewhere e
  LEFT JOIN assignments a ON a.device_id = e.device_id AND a.ended_at IS NULL
  LEFT JOIN students st ON st.id = a.student_id
),
counted AS (
  SELECT district_id, school_id, GROUPING(school_id) AS all_schools,
    count(*) FILTER (WHERE delivered)::int AS delivered,
    count(*) FILTER (WHERE registered)::int AS registered,
    count(*) FILTER (WHERE assigned)::int AS assigned,
    count(*) FILTER (WHERE active)::int AS active_use,
    count(*) FILTER (WHERE assigned AND NOT active)::int AS idle,
    count(*) FILTER (WHERE status = 'in_stock')::int AS in_stock,
    count(*) FILTER (WHERE status = 'in_repair')::int AS in_repair,
    count(*) FILTER (WHERE status IN ('lost', 'stolen'))::int AS lost_or_stolen,
    count(*) FILTER (WHERE status = 'retired')::int AS retired,
    count(*) FILTER (WHERE not_registered)::int AS not_registered,
    count(*) FILTER (WHERE not_on_manifest)::int AS not_on_manifest,
    count(*) FILTER (WHERE other_funding)::int AS other_funding,
    array_agg(serial_number) FILTER (WHERE not_registered) AS not_registered_serials,
    array_agg(serial_number) FILTER (WHERE not_on_manifest) AS not_on_manifest_serials,
    array_agg(serial_number) FILTER (WHERE other_funding) AS other_funding_serials
  FROM facts
  GROUP BY GROUPING SETS ((district_id, school_id), (district_id))
)
SELECT c.district_id AS "districtId", dt.name AS "districtName", c.all_schools = 1 AS "isTotal",
  c.school_id AS "schoolId", sc.name AS "schoolName",
  c.delivered, c.registered, c.assigned, c.active_use AS "activeUse", c.idle, c.in_stock AS "inStock",
  c.in_repair AS "inRepair", c.lost_or_stolen AS "lostOrStolen", c.retired,
  c.not_registered AS "deliveredNotRegistered", c.not_on_manifest AS "registeredNotOnManifest",
  c.other_funding AS "deliveredUnderOtherFunding",
  CASE WHEN c.all_schools = 1 THEN array(SELECT x FROM unnest(c.not_registered_serials) x ORDER BY x LIMIT 20) ELSE '{}' END AS "deliveredNotRegisteredSample",
  CASE WHEN c.all_schools = 1 THEN array(SELECT x FROM unnest(c.not_on_manifest_serials) x ORDER BY x LIMIT 20) ELSE '{}' END AS "registeredNotOnManifestSample",
  CASE WHEN c.all_schools = 1 THEN array(SELECT x FROM unnest(c.other_funding_serials) x ORDER BY x LIMIT 20) ELSE '{}' END AS "deliveredUnderOtherFundingSample"
FROM counted c
JOIN districts dt ON dt.id = c.district_id
LEFT JOIN schools sc ON sc.id = c.school_id
ORDER BY dt.name, c.district_id, c.all_schools DESC, sc.name NULLS FIRST, c.school_id NULLS FIRST;
WITH delivered AS (
  SELECT DISTINCT i.district_id, i.serial_number
  FROM shipments sh
  JOIN shipment_items i ON i.shipment_id = sh.id
  WHERE sh.funding_source = :'fs' AND (NULL::uuid IS NULL OR sh.district_id = NULL::uuid)
),
registered AS (
  SELECT id, district_id, school_id, serial_number, kind, status, last_sync_at
  FROM devices
  WHERE funding_source = :'fs' AND (NULL::uuid IS NULL OR district_id = NULL::uuid)
),
serials AS (
  SELECT coalesce(r.district_id, dl.district_id) AS district_id, coalesce(r.serial_number, dl.serial_number) AS serial_number,
    r.id AS device_id, r.school_id, r.kind, r.status, r.last_sync_at,
    dl.serial_number IS NOT NULL AS delivered, r.id IS NOT NULL AS registered
  FROM registered r
  FULL JOIN delivered dl ON dl.district_id = r.district_id AND dl.serial_number = r.serial_number
),
elsewhere AS (
  SELECT s.*, CASE WHEN NOT s.registered THEN (
      SELECT ARRAY[o.id, o.school_id] FROM devices o WHERE o.district_id = s.district_id AND o.serial_number = s.serial_number
    ) END AS other_device
  FROM serials s
),
facts AS (
  SELECT e.district_id, coalesce(e.school_id, e.other_device[2]) AS school_id, e.serial_number, e.delivered, e.registered, e.status,
    NOT e.registered AND e.other_device IS NULL AS not_registered,
    NOT e.registered AND e.other_device IS NOT NULL AS other_funding,
    NOT e.delivered AS not_on_manifest,
    a.id IS NOT NULL AS assigned,
    -- coalesce: a never-seen login or sync is no activity, and must not make the flag NULL.
    a.id IS NOT NULL AND (coalesce(st.last_login_at >= now() - interval '7 days', false)
      OR coalesce(e.kind = 'chromebook' AND e.last_sync_at >= now() - interval '7 days', false)) AS active
  FROM elsewhere e
  LEFT JOIN assignments a ON a.device_id = e.device_id AND a.ended_at IS NULL
  LEFT JOIN students st ON st.id = a.student_id
),
counted AS (
  SELECT district_id, school_id, GROUPING(school_id) AS all_schools,
    count(*) FILTER (WHERE delivered)::int AS delivered,
    count(*) FILTER (WHERE registered)::int AS registered,
    count(*) FILTER (WHERE assigned)::int AS assigned,
    count(*) FILTER (WHERE active)::int AS active_use,
    count(*) FILTER (WHERE assigned AND NOT active)::int AS idle,
    count(*) FILTER (WHERE status = 'in_stock')::int AS in_stock,
    count(*) FILTER (WHERE status = 'in_repair')::int AS in_repair,
    count(*) FILTER (WHERE status IN ('lost', 'stolen'))::int AS lost_or_stolen,
    count(*) FILTER (WHERE status = 'retired')::int AS retired,
    count(*) FILTER (WHERE not_registered)::int AS not_registered,
    count(*) FILTER (WHERE not_on_manifest)::int AS not_on_manifest,
    count(*) FILTER (WHERE other_funding)::int AS other_funding,
    array_agg(serial_number) FILTER (WHERE not_registered) AS not_registered_serials,
    array_agg(serial_number) FILTER (WHERE not_on_manifest) AS not_on_manifest_serials,
    array_agg(serial_number) FILTER (WHERE other_funding) AS other_funding_serials
  FROM facts
  GROUP BY GROUPING SETS ((district_id, school_id), (district_id))
)
SELECT c.district_id AS "districtId", dt.name AS "districtName", c.all_schools = 1 AS "isTotal",
  c.school_id AS "schoolId", sc.name AS "schoolName",
  c.delivered, c.registered, c.assigned, c.active_use AS "activeUse", c.idle, c.in_stock AS "inStock",
  c.in_repair AS "inRepair", c.lost_or_stolen AS "lostOrStolen", c.retired,
  c.not_registered AS "deliveredNotRegistered", c.not_on_manifest AS "registeredNotOnManifest",
  c.other_funding AS "deliveredUnderOtherFunding",
  CASE WHEN c.all_schools = 1 THEN array(SELECT x FROM unnest(c.not_registered_serials) x ORDER BY x LIMIT 20) ELSE '{}' END AS "deliveredNotRegisteredSample",
  CASE WHEN c.all_schools = 1 THEN array(SELECT x FROM unnest(c.not_on_manifest_serials) x ORDER BY x LIMIT 20) ELSE '{}' END AS "registeredNotOnManifestSample",
  CASE WHEN c.all_schools = 1 THEN array(SELECT x FROM unnest(c.other_funding_serials) x ORDER BY x LIMIT 20) ELSE '{}' END AS "deliveredUnderOtherFundingSample"
FROM counted c
JOIN districts dt ON dt.id = c.district_id
LEFT JOIN schools sc ON sc.id = c.school_id
ORDER BY dt.name, c.district_id, c.all_schools DESC, sc.name NULLS FIRST, c.school_id NULLS FIRST;
\o
ROLLBACK;
