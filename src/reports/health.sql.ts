/**
 * Device health. Flagged devices, with sync and hotspot idle days NULL for the district's own and
 * the list limit NULL for all. Each list row carries `total`, the size of its whole list.
 *
 * Telemetry that is missing is no evidence (as in the gap scan's equipment verdict): a NULL last sync
 * or last use flags nothing. Retired, lost and stolen devices are out of circulation and not judged.
 */
const healthDevicesSql = (scope: string): string => `
WITH settings AS (
  SELECT id, time_zone, coalesce($2::int, sync_stale_days) AS sync_days, coalesce($3::int, hotspot_idle_days) AS idle_days
  FROM districts
  WHERE $1::uuid IS NULL OR id = $1
),
judged AS (
  SELECT d.district_id, d.id, d.school_id, d.serial_number, d.asset_tag, d.status, a.student_id,
    d.last_sync_at, d.auto_update_through, d.google_status, d.line_status, d.monthly_cap_mb, d.monthly_used_mb, d.last_usage_at,
    coalesce(d.kind = 'chromebook' AND d.last_sync_at < now() - make_interval(days => s.sync_days), false) AS not_syncing,
    coalesce(d.kind = 'chromebook' AND d.auto_update_through < (now() AT TIME ZONE s.time_zone)::date + 90, false) AS update_ending,
    coalesce(d.kind = 'chromebook' AND a.id IS NOT NULL AND upper(d.google_status) IN ('DISABLED', 'DEPROVISIONED'), false) AS disabled,
    coalesce(d.kind = 'hotspot' AND a.id IS NOT NULL AND d.line_status IN ('suspended', 'deactivated'), false) AS suspended,
    coalesce(d.kind = 'hotspot' AND a.id IS NOT NULL AND d.monthly_cap_mb > 0 AND d.monthly_used_mb >= d.monthly_cap_mb, false) AS over_cap,
    coalesce(d.kind = 'hotspot' AND a.id IS NOT NULL AND d.last_usage_at < now() - make_interval(days => s.idle_days), false) AS idle
  FROM settings s
  JOIN devices d ON d.district_id = s.id AND d.kind IN ('chromebook', 'hotspot') AND d.status NOT IN ('retired', 'lost', 'stolen')${scope}
  LEFT JOIN assignments a ON a.device_id = d.id AND a.ended_at IS NULL
),
flagged AS (
  SELECT j.*, f.category, f.sort_key
  FROM judged j
  CROSS JOIN LATERAL (VALUES
    ('chromebooksNotSyncing', j.not_syncing, j.last_sync_at),
    ('chromebooksAutoUpdateEnding', j.update_ending, j.auto_update_through::timestamptz),
    ('chromebooksDisabledWhileAssigned', j.disabled, NULL),
    ('hotspotsSuspended', j.suspended, NULL),
    ('hotspotsOverCap', j.over_cap, NULL),
    ('hotspotsIdle', j.idle, j.last_usage_at)
  ) AS f(category, hit, sort_key)
  -- Most devices are fine: only the flagged ones are spread over their categories.
  WHERE (j.not_syncing OR j.update_ending OR j.disabled OR j.suspended OR j.over_cap OR j.idle) AND f.hit
),
ranked AS (
  SELECT flagged.*, count(*) OVER (PARTITION BY district_id, category)::int AS total,
    row_number() OVER (PARTITION BY district_id, category ORDER BY sort_key NULLS LAST, serial_number, id) AS n
  FROM flagged
)
SELECT district_id AS "districtId", category, total, id AS "deviceId", school_id AS "schoolId", serial_number AS "serialNumber",
  asset_tag AS "assetTag", status, student_id AS "studentId", last_sync_at AS "lastSyncAt",
  to_char(auto_update_through, 'YYYY-MM-DD') AS "autoUpdateThrough",
  google_status AS "googleStatus", line_status AS "lineStatus", monthly_cap_mb AS "monthlyCapMb", monthly_used_mb AS "monthlyUsedMb",
  last_usage_at AS "lastUsageAt"
FROM ranked
WHERE $4::int IS NULL OR n <= $4
ORDER BY district_id, category, n`;

/** Kits returned with items missing, the most per district (NULL: all). */
const healthKitsSql = (scope: string): string => `
SELECT "districtId", total, "kitId", "studentId", "schoolId", "issuedAt", "returnedAt", "missingItems"
FROM (
  SELECT k.district_id AS "districtId", count(*) OVER w::int AS total,
    row_number() OVER (w ORDER BY k.returned_at DESC NULLS LAST, k.id) AS n, k.id AS "kitId",
    k.student_id AS "studentId", st.school_id AS "schoolId", k.issued_at AS "issuedAt", k.returned_at AS "returnedAt",
    k.missing_items AS "missingItems"
  FROM kits k
  JOIN students st ON st.id = k.student_id
  WHERE k.missing_items <> '[]'::jsonb AND ($1::uuid IS NULL OR k.district_id = $1)${scope}
  WINDOW w AS (PARTITION BY k.district_id)
) ranked
WHERE $2::int IS NULL OR n <= $2
ORDER BY "districtId", n`;

/**
 * Schools whose working in-stock Chromebooks fall short of the district's spare-pool minimum, fewest
 * first, the most per district (NULL: all).
 */
const healthSparesSql = (scope: string): string => `
SELECT "districtId", total, "schoolId", "schoolName", "spareChromebooks", minimum
FROM (
  SELECT s.district_id AS "districtId", count(*) OVER w::int AS total,
    row_number() OVER (w ORDER BY count(d.id), s.name, s.id) AS n, s.id AS "schoolId",
    s.name AS "schoolName", count(d.id)::int AS "spareChromebooks", dist.spare_pool_minimum AS minimum
  FROM schools s
  JOIN districts dist ON dist.id = s.district_id${scope}
  LEFT JOIN devices d ON d.district_id = s.district_id AND d.school_id = s.id
    AND d.kind = 'chromebook' AND d.status = 'in_stock' AND d.condition = 'working'
  WHERE $1::uuid IS NULL OR s.district_id = $1
  GROUP BY s.id, dist.id
  HAVING count(d.id) < dist.spare_pool_minimum
  WINDOW w AS (PARTITION BY s.district_id)
) ranked
WHERE $2::int IS NULL OR n <= $2
ORDER BY "districtId", n`;

/** Each district's thresholds as the report applies them. */
const HEALTH_DISTRICTS_SQL = `
SELECT id AS "districtId", name AS "districtName", coalesce($2::int, sync_stale_days) AS "syncStaleDays",
  coalesce($3::int, hotspot_idle_days) AS "hotspotIdleDays", spare_pool_minimum AS "sparePoolMinimum"
FROM districts
WHERE $1::uuid IS NULL OR id = $1
ORDER BY name, id`;

/**
 * What the health report is for: one district or all (NULL), with its thresholds overridden or not
 * (NULL); for a school-scoped caller, only the devices, kits (by student) and pools of `schoolIds`.
 */
export interface HealthParams {
  districtId: string | null;
  schoolIds: string[] | null;
  syncStaleDays: number | null;
  hotspotIdleDays: number | null;
  /** The most entries per list; null: whole lists. */
  listLimit: number | null;
}

type Statement = [text: string, values: unknown[]];

/** The statement with a school-scoped caller's filter (their schools bound after `values`), or as written. */
function scoped(sqlOf: (scope: string) => string, filter: string, values: unknown[], schoolIds: string[] | null): Statement {
  return schoolIds ? [sqlOf(` AND ${filter} = ANY($${values.length + 1}::uuid[])`), [...values, schoolIds]] : [sqlOf(''), values];
}

export const healthDevices = (p: HealthParams): Statement =>
  scoped(healthDevicesSql, 'd.school_id', [p.districtId, p.syncStaleDays, p.hotspotIdleDays, p.listLimit], p.schoolIds);
export const healthKits = (p: HealthParams): Statement => scoped(healthKitsSql, 'st.school_id', [p.districtId, p.listLimit], p.schoolIds);
export const healthSpares = (p: HealthParams): Statement => scoped(healthSparesSql, 's.id', [p.districtId, p.listLimit], p.schoolIds);
export const healthDistricts = (p: HealthParams): Statement => [HEALTH_DISTRICTS_SQL, [p.districtId, p.syncStaleDays, p.hotspotIdleDays]];
