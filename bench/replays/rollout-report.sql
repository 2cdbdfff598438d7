-- The donation-rollout report with a state token (every district), as src/reports/rollout.sql.ts builds it at commit
-- e170bc6 (the parallel rewrite) for GET /reports/rollout?fundingSource=Everybody%20Learns (sampleSize 20), in the
-- service's read-only snapshot settings. City shape (520,000 students; 361,585 devices and 359,839 delivered serials
-- of the source), 2 cores shared with other work (load average 2-4): EXPLAIN ANALYZE 1.27 s, against 2.2 s for the
-- statement before it (552c0f9) in the same hour; both give the same 985 rows, byte for byte.
-- Before: one serial plan, a FULL JOIN of registered and delivered serials (0.9 s with its DISTINCT of the
-- manifests), hash joins to assignments (0.2 s build) and to all students (0.33 s build), a sort of 363,376 rows
-- for grouping sets whose array_agg has no combine function in PostgreSQL 15 (0.3 s).
-- Now: a Gather under the grouping sets. Devices of the source join assignments and students through shared
-- Parallel Hashes; a device's delivery is a hashed NOT IN of the manifests (each worker hashes them: 360k rows, about
-- 0.1 s); the delivered serials without such a device are a branch of their own (a Parallel Hash Left Join to all
-- devices), run beside it under the Parallel Append; the workers count per school with the serial of each
-- reconciliation row in the group key (6,305 groups), and the grouping sets add those up and gather the samples.
-- Tried (not kept): the same branches with a LEFT JOIN to a DISTINCT of the manifests instead of the NOT IN: each
-- worker builds two hashes of 360k rows, 2.07 s; counting per (district, school, serial) after the FULL JOIN: the
-- planner still sorts the 363,376 rows (externally), 2.10 s. The NOT IN falls back to a plain (unhashed) subplan if
-- the manifests' serials outgrow hash_mem (work_mem 64MB x 2: well over a million serials of one source).
-- The first statement shows the plan; the next three time it. Read-only.
-- psql -h 127.0.0.1 -U postgres reconnect_bench_city -v fs='Everybody Learns' -f bench/replays/rollout-report.sql
\timing on
BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY;
SET LOCAL work_mem = '64MB';
SET LOCAL jit = off;
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF)
WITH grouped AS (
  SELECT district_id, school_id, kind, listed, count(*)::int AS n,
    count(*) FILTER (WHERE assigned)::int AS assigned,
    count(*) FILTER (WHERE active)::int AS active_use,
    count(*) FILTER (WHERE assigned AND NOT active)::int AS idle,
    count(*) FILTER (WHERE status = 'in_stock')::int AS in_stock,
    count(*) FILTER (WHERE status = 'in_repair')::int AS in_repair,
    count(*) FILTER (WHERE status IN ('lost', 'stolen'))::int AS lost_or_stolen,
    count(*) FILTER (WHERE status = 'retired')::int AS retired
  FROM (
    SELECT d.district_id, d.school_id, 'registered' AS kind,
      CASE WHEN (d.district_id, d.serial_number) NOT IN (
        SELECT i.district_id, i.serial_number
        FROM shipments sh
        JOIN shipment_items i ON i.shipment_id = sh.id
        WHERE sh.funding_source = :'fs' AND (NULL::uuid IS NULL OR sh.district_id = NULL::uuid)
      ) THEN d.serial_number END AS listed,
      d.status,
      a.id IS NOT NULL AS assigned,
      -- coalesce: a never-seen login or sync is no activity, and must not make the flag NULL.
      a.id IS NOT NULL AND (coalesce(st.last_login_at >= now() - interval '7 days', false)
        OR coalesce(d.kind = 'chromebook' AND d.last_sync_at >= now() - interval '7 days', false)) AS active
    FROM devices d
    LEFT JOIN assignments a ON a.device_id = d.id AND a.ended_at IS NULL
    LEFT JOIN students st ON st.id = a.student_id
    WHERE d.funding_source = :'fs' AND (NULL::uuid IS NULL OR d.district_id = NULL::uuid)
    UNION ALL
    SELECT i.district_id, o.school_id, CASE WHEN o.id IS NULL THEN 'not_registered' ELSE 'other_funding' END,
      i.serial_number, NULL, false, false
    FROM shipments sh
    JOIN shipment_items i ON i.shipment_id = sh.id
    LEFT JOIN devices o ON o.district_id = i.district_id AND o.serial_number = i.serial_number
    WHERE sh.funding_source = :'fs' AND (NULL::uuid IS NULL OR sh.district_id = NULL::uuid)
      AND o.funding_source IS DISTINCT FROM :'fs'
  ) f
  GROUP BY district_id, school_id, kind, listed
),
counted AS (
  SELECT district_id, school_id, GROUPING(school_id) AS all_schools,
    -- A group of another kind is one delivered serial, however many manifests list it.
    (coalesce(sum(n) FILTER (WHERE kind = 'registered' AND listed IS NULL), 0) + count(*) FILTER (WHERE kind <> 'registered'))::int AS delivered,
    coalesce(sum(n) FILTER (WHERE kind = 'registered'), 0)::int AS registered,
    sum(assigned)::int AS assigned,
    sum(active_use)::int AS active_use,
    sum(idle)::int AS idle,
    sum(in_stock)::int AS in_stock,
    sum(in_repair)::int AS in_repair,
    sum(lost_or_stolen)::int AS lost_or_stolen,
    sum(retired)::int AS retired,
    count(*) FILTER (WHERE kind = 'not_registered')::int AS not_registered,
    count(*) FILTER (WHERE kind = 'registered' AND listed IS NOT NULL)::int AS not_on_manifest,
    count(*) FILTER (WHERE kind = 'other_funding')::int AS other_funding,
    array_agg(listed) FILTER (WHERE kind = 'not_registered') AS not_registered_serials,
    array_agg(listed) FILTER (WHERE kind = 'registered' AND listed IS NOT NULL) AS not_on_manifest_serials,
    array_agg(listed) FILTER (WHERE kind = 'other_funding') AS other_funding_serials
  FROM grouped
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
WITH grouped AS (
  SELECT district_id, school_id, kind, listed, count(*)::int AS n,
    count(*) FILTER (WHERE assigned)::int AS assigned,
    count(*) FILTER (WHERE active)::int AS active_use,
    count(*) FILTER (WHERE assigned AND NOT active)::int AS idle,
    count(*) FILTER (WHERE status = 'in_stock')::int AS in_stock,
    count(*) FILTER (WHERE status = 'in_repair')::int AS in_repair,
    count(*) FILTER (WHERE status IN ('lost', 'stolen'))::int AS lost_or_stolen,
    count(*) FILTER (WHERE status = 'retired')::int AS retired
  FROM (
    SELECT d.district_id, d.school_id, 'registered' AS kind,
      CASE WHEN (d.district_id, d.serial_number) NOT IN (
        SELECT i.district_id, i.serial_number
        FROM shipments sh
        JOIN shipment_items i ON i.shipment_id = sh.id
        WHERE sh.funding_source = :'fs' AND (NULL::uuid IS NULL OR sh.district_id = NULL::uuid)
      ) THEN d.serial_number END AS listed,
      d.status,
      a.id IS NOT NULL AS assigned,
      -- coalesce: a never-seen login or sync is no activity, and must not make the flag NULL.
      a.id IS NOT NULL AND (coalesce(st.last_login_at >= now() - interval '7 days', false)
        OR coalesce(d.kind = 'chromebook' AND d.last_sync_at >= now() - interval '7 days', false)) AS active
    FROM devices d
    LEFT JOIN assignments a ON a.device_id = d.id AND a.ended_at IS NULL
    LEFT JOIN students st ON st.id = a.student_id
    WHERE d.funding_source = :'fs' AND (NULL::uuid IS NULL OR d.district_id = NULL::uuid)
    UNION ALL
    SELECT i.district_id, o.school_id, CASE WHEN o.id IS NULL THEN 'not_registered' ELSE 'other_funding' END,
      i.serial_number, NULL, false, false
    FROM shipments sh
    JOIN shipment_items i ON i.shipment_id = sh.id
    LEFT JOIN devices o ON o.district_id = i.district_id AND o.serial_number = i.serial_number
    WHERE sh.funding_source = :'fs' AND (NULL::uuid IS NULL OR sh.district_id = NULL::uuid)
      AND o.funding_source IS DISTINCT FROM :'fs'
  ) f
  GROUP BY district_id, school_id, kind, listed
),
counted AS (
  SELECT district_id, school_id, GROUPING(school_id) AS all_schools,
    -- A group of another kind is one delivered serial, however many manifests list it.
    (coalesce(sum(n) FILTER (WHERE kind = 'registered' AND listed IS NULL), 0) + count(*) FILTER (WHERE kind <> 'registered'))::int AS delivered,
    coalesce(sum(n) FILTER (WHERE kind = 'registered'), 0)::int AS registered,
    sum(assigned)::int AS assigned,
    sum(active_use)::int AS active_use,
    sum(idle)::int AS idle,
    sum(in_stock)::int AS in_stock,
    sum(in_repair)::int AS in_repair,
    sum(lost_or_stolen)::int AS lost_or_stolen,
    sum(retired)::int AS retired,
    count(*) FILTER (WHERE kind = 'not_registered')::int AS not_registered,
    count(*) FILTER (WHERE kind = 'registered' AND listed IS NOT NULL)::int AS not_on_manifest,
    count(*) FILTER (WHERE kind = 'other_funding')::int AS other_funding,
    array_agg(listed) FILTER (WHERE kind = 'not_registered') AS not_registered_serials,
    array_agg(listed) FILTER (WHERE kind = 'registered' AND listed IS NOT NULL) AS not_on_manifest_serials,
    array_agg(listed) FILTER (WHERE kind = 'other_funding') AS other_funding_serials
  FROM grouped
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
WITH grouped AS (
  SELECT district_id, school_id, kind, listed, count(*)::int AS n,
    count(*) FILTER (WHERE assigned)::int AS assigned,
    count(*) FILTER (WHERE active)::int AS active_use,
    count(*) FILTER (WHERE assigned AND NOT active)::int AS idle,
    count(*) FILTER (WHERE status = 'in_stock')::int AS in_stock,
    count(*) FILTER (WHERE status = 'in_repair')::int AS in_repair,
    count(*) FILTER (WHERE status IN ('lost', 'stolen'))::int AS lost_or_stolen,
    count(*) FILTER (WHERE status = 'retired')::int AS retired
  FROM (
    SELECT d.district_id, d.school_id, 'registered' AS kind,
      CASE WHEN (d.district_id, d.serial_number) NOT IN (
        SELECT i.district_id, i.serial_number
        FROM shipments sh
        JOIN shipment_items i ON i.shipment_id = sh.id
        WHERE sh.funding_source = :'fs' AND (NULL::uuid IS NULL OR sh.district_id = NULL::uuid)
      ) THEN d.serial_number END AS listed,
      d.status,
      a.id IS NOT NULL AS assigned,
      -- coalesce: a never-seen login or sync is no activity, and must not make the flag NULL.
      a.id IS NOT NULL AND (coalesce(st.last_login_at >= now() - interval '7 days', false)
        OR coalesce(d.kind = 'chromebook' AND d.last_sync_at >= now() - interval '7 days', false)) AS active
    FROM devices d
    LEFT JOIN assignments a ON a.device_id = d.id AND a.ended_at IS NULL
    LEFT JOIN students st ON st.id = a.student_id
    WHERE d.funding_source = :'fs' AND (NULL::uuid IS NULL OR d.district_id = NULL::uuid)
    UNION ALL
    SELECT i.district_id, o.school_id, CASE WHEN o.id IS NULL THEN 'not_registered' ELSE 'other_funding' END,
      i.serial_number, NULL, false, false
    FROM shipments sh
    JOIN shipment_items i ON i.shipment_id = sh.id
    LEFT JOIN devices o ON o.district_id = i.district_id AND o.serial_number = i.serial_number
    WHERE sh.funding_source = :'fs' AND (NULL::uuid IS NULL OR sh.district_id = NULL::uuid)
      AND o.funding_source IS DISTINCT FROM :'fs'
  ) f
  GROUP BY district_id, school_id, kind, listed
),
counted AS (
  SELECT district_id, school_id, GROUPING(school_id) AS all_schools,
    -- A group of another kind is one delivered serial, however many manifests list it.
    (coalesce(sum(n) FILTER (WHERE kind = 'registered' AND listed IS NULL), 0) + count(*) FILTER (WHERE kind <> 'registered'))::int AS delivered,
    coalesce(sum(n) FILTER (WHERE kind = 'registered'), 0)::int AS registered,
    sum(assigned)::int AS assigned,
    sum(active_use)::int AS active_use,
    sum(idle)::int AS idle,
    sum(in_stock)::int AS in_stock,
    sum(in_repair)::int AS in_repair,
    sum(lost_or_stolen)::int AS lost_or_stolen,
    sum(retired)::int AS retired,
    count(*) FILTER (WHERE kind = 'not_registered')::int AS not_registered,
    count(*) FILTER (WHERE kind = 'registered' AND listed IS NOT NULL)::int AS not_on_manifest,
    count(*) FILTER (WHERE kind = 'other_funding')::int AS other_funding,
    array_agg(listed) FILTER (WHERE kind = 'not_registered') AS not_registered_serials,
    array_agg(listed) FILTER (WHERE kind = 'registered' AND listed IS NOT NULL) AS not_on_manifest_serials,
    array_agg(listed) FILTER (WHERE kind = 'other_funding') AS other_funding_serials
  FROM grouped
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
WITH grouped AS (
  SELECT district_id, school_id, kind, listed, count(*)::int AS n,
    count(*) FILTER (WHERE assigned)::int AS assigned,
    count(*) FILTER (WHERE active)::int AS active_use,
    count(*) FILTER (WHERE assigned AND NOT active)::int AS idle,
    count(*) FILTER (WHERE status = 'in_stock')::int AS in_stock,
    count(*) FILTER (WHERE status = 'in_repair')::int AS in_repair,
    count(*) FILTER (WHERE status IN ('lost', 'stolen'))::int AS lost_or_stolen,
    count(*) FILTER (WHERE status = 'retired')::int AS retired
  FROM (
    SELECT d.district_id, d.school_id, 'registered' AS kind,
      CASE WHEN (d.district_id, d.serial_number) NOT IN (
        SELECT i.district_id, i.serial_number
        FROM shipments sh
        JOIN shipment_items i ON i.shipment_id = sh.id
        WHERE sh.funding_source = :'fs' AND (NULL::uuid IS NULL OR sh.district_id = NULL::uuid)
      ) THEN d.serial_number END AS listed,
      d.status,
      a.id IS NOT NULL AS assigned,
      -- coalesce: a never-seen login or sync is no activity, and must not make the flag NULL.
      a.id IS NOT NULL AND (coalesce(st.last_login_at >= now() - interval '7 days', false)
        OR coalesce(d.kind = 'chromebook' AND d.last_sync_at >= now() - interval '7 days', false)) AS active
    FROM devices d
    LEFT JOIN assignments a ON a.device_id = d.id AND a.ended_at IS NULL
    LEFT JOIN students st ON st.id = a.student_id
    WHERE d.funding_source = :'fs' AND (NULL::uuid IS NULL OR d.district_id = NULL::uuid)
    UNION ALL
    SELECT i.district_id, o.school_id, CASE WHEN o.id IS NULL THEN 'not_registered' ELSE 'other_funding' END,
      i.serial_number, NULL, false, false
    FROM shipments sh
    JOIN shipment_items i ON i.shipment_id = sh.id
    LEFT JOIN devices o ON o.district_id = i.district_id AND o.serial_number = i.serial_number
    WHERE sh.funding_source = :'fs' AND (NULL::uuid IS NULL OR sh.district_id = NULL::uuid)
      AND o.funding_source IS DISTINCT FROM :'fs'
  ) f
  GROUP BY district_id, school_id, kind, listed
),
counted AS (
  SELECT district_id, school_id, GROUPING(school_id) AS all_schools,
    -- A group of another kind is one delivered serial, however many manifests list it.
    (coalesce(sum(n) FILTER (WHERE kind = 'registered' AND listed IS NULL), 0) + count(*) FILTER (WHERE kind <> 'registered'))::int AS delivered,
    coalesce(sum(n) FILTER (WHERE kind = 'registered'), 0)::int AS registered,
    sum(assigned)::int AS assigned,
    sum(active_use)::int AS active_use,
    sum(idle)::int AS idle,
    sum(in_stock)::int AS in_stock,
    sum(in_repair)::int AS in_repair,
    sum(lost_or_stolen)::int AS lost_or_stolen,
    sum(retired)::int AS retired,
    count(*) FILTER (WHERE kind = 'not_registered')::int AS not_registered,
    count(*) FILTER (WHERE kind = 'registered' AND listed IS NOT NULL)::int AS not_on_manifest,
    count(*) FILTER (WHERE kind = 'other_funding')::int AS other_funding,
    array_agg(listed) FILTER (WHERE kind = 'not_registered') AS not_registered_serials,
    array_agg(listed) FILTER (WHERE kind = 'registered' AND listed IS NOT NULL) AS not_on_manifest_serials,
    array_agg(listed) FILTER (WHERE kind = 'other_funding') AS other_funding_serials
  FROM grouped
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
