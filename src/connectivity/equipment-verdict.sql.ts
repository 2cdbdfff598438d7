import { q, type SqlText } from '../database/sql.js';
import type { Subjects } from './scan-tables.js';

/**
 * The equipment verdict for the students in `subjects` as of an instant, as one SQL statement.
 *
 * Device reasons come from the Chromebooks/laptops a student holds, internet reasons from hotspots
 * and home internet. A reason counts only when every device of that kind the student holds has a
 * problem: one working Chromebook is enough to learn on. Telemetry that is missing is no evidence:
 * a NULL last sync or last usage raises nothing.
 *
 * `device_id` names the Chromebook (or laptop) the device reasons are about, `hotspot_id` the hotspot the
 * internet reasons are about (a primary assignment first, then the lowest id, when several have problems);
 * NULL when the reason is about no device (no device, in repair without a loaner, no internet).
 */
export function equipmentVerdict(subjects: Subjects, districtId: string, asOf: Date): SqlText {
  return q`
WITH settings AS (
  SELECT sync_stale_days, hotspot_idle_days FROM districts WHERE id = ${districtId}
),
held AS (
  SELECT a.student_id, a.kind AS assignment_kind, d.*
  FROM ${subjects.ref} sub
  JOIN assignments a ON a.student_id = sub.student_id AND a.ended_at IS NULL
  JOIN devices d ON d.id = a.device_id
),
computer_problems AS (
  SELECT h.student_id, h.id AS device_id, h.assignment_kind,
    array_remove(ARRAY[
      CASE WHEN h.condition IN ('broken','damaged') THEN 'device_broken' END,
      CASE WHEN upper(h.google_status) IN ('DISABLED','DEPROVISIONED') THEN 'device_disabled' END,
      CASE WHEN h.last_sync_at < ${asOf}::timestamptz - make_interval(days => st.sync_stale_days) THEN 'device_not_syncing' END,
      CASE WHEN h.auto_update_through < (${asOf}::timestamptz)::date THEN 'device_unsupported' END
    ], NULL) AS problems,
    jsonb_build_object('deviceId', h.id, 'kind', h.kind, 'assetTag', h.asset_tag, 'serialNumber', h.serial_number,
      'assignment', h.assignment_kind, 'status', h.status, 'condition', h.condition, 'googleStatus', h.google_status,
      'lastSyncAt', h.last_sync_at, 'autoUpdateThrough', h.auto_update_through) AS facts
  FROM held h CROSS JOIN settings st
  WHERE h.kind IN ('chromebook','laptop')
),
hotspot_problems AS (
  SELECT h.student_id, h.id AS device_id, h.assignment_kind,
    array_remove(ARRAY[
      CASE WHEN h.line_status IN ('suspended','deactivated') THEN 'hotspot_suspended' END,
      CASE WHEN h.monthly_cap_mb > 0 AND h.monthly_used_mb >= h.monthly_cap_mb THEN 'hotspot_over_cap' END,
      CASE WHEN h.last_usage_at < ${asOf}::timestamptz - make_interval(days => st.hotspot_idle_days) THEN 'hotspot_idle' END,
      CASE WHEN h.condition IN ('broken','damaged') THEN 'hotspot_broken' END
    ], NULL) AS problems,
    jsonb_build_object('deviceId', h.id, 'assetTag', h.asset_tag, 'imei', h.imei, 'lineStatus', h.line_status,
      'condition', h.condition, 'monthlyCapMb', h.monthly_cap_mb, 'monthlyUsedMb', h.monthly_used_mb,
      'lastUsageAt', h.last_usage_at) AS facts
  FROM held h CROSS JOIN settings st
  WHERE h.kind = 'hotspot'
),
computers AS (
  SELECT student_id, bool_and(cardinality(problems) > 0) AS all_bad, jsonb_agg(facts ORDER BY device_id) AS facts,
    (array_agg(device_id ORDER BY assignment_kind = 'primary' DESC, device_id) FILTER (WHERE cardinality(problems) > 0))[1] AS named
  FROM computer_problems GROUP BY student_id
),
computer_reasons AS (
  SELECT cp.student_id, array_agg(DISTINCT p ORDER BY p) AS reasons
  FROM computer_problems cp CROSS JOIN LATERAL unnest(cp.problems) AS p GROUP BY cp.student_id
),
hotspots AS (
  SELECT student_id, bool_and(cardinality(problems) > 0) AS all_bad, jsonb_agg(facts ORDER BY device_id) AS facts,
    (array_agg(device_id ORDER BY assignment_kind = 'primary' DESC, device_id) FILTER (WHERE cardinality(problems) > 0))[1] AS named
  FROM hotspot_problems GROUP BY student_id
),
hotspot_reasons AS (
  SELECT hp.student_id, array_agg(DISTINCT p ORDER BY p) AS reasons
  FROM hotspot_problems hp CROSS JOIN LATERAL unnest(hp.problems) AS p GROUP BY hp.student_id
),
in_repair AS (
  SELECT DISTINCT r.student_id FROM repairs r JOIN ${subjects.ref} sub ON sub.student_id = r.student_id WHERE r.closed_at IS NULL
)
SELECT s.id AS student_id, s.school_id, s.home_internet, s.last_login_at,
  CASE
    WHEN c.student_id IS NULL THEN CASE WHEN ir.student_id IS NOT NULL THEN ARRAY['device_in_repair_no_loaner'] ELSE ARRAY['no_device'] END
    WHEN c.all_bad THEN cr.reasons
    ELSE '{}'::text[]
  END AS device_reasons,
  CASE
    WHEN s.home_internet = 'yes' THEN '{}'::text[]
    WHEN hs.student_id IS NULL THEN CASE s.home_internet WHEN 'no' THEN ARRAY['no_internet'] ELSE ARRAY['internet_unknown'] END
    WHEN hs.all_bad THEN hr.reasons
    ELSE '{}'::text[]
  END AS internet_reasons,
  coalesce(c.facts, '[]'::jsonb) AS devices,
  coalesce(hs.facts, '[]'::jsonb) AS hotspots,
  CASE WHEN c.all_bad THEN c.named END AS device_id,
  CASE WHEN s.home_internet <> 'yes' AND hs.all_bad THEN hs.named END AS hotspot_id
FROM ${subjects.ref} sub
JOIN students s ON s.id = sub.student_id
LEFT JOIN computers c ON c.student_id = s.id
LEFT JOIN computer_reasons cr ON cr.student_id = s.id
LEFT JOIN hotspots hs ON hs.student_id = s.id
LEFT JOIN hotspot_reasons hr ON hr.student_id = s.id
LEFT JOIN in_repair ir ON ir.student_id = s.id
`;
}
