import type { ReconciliationList } from './report.domain.js';

/**
 * The donation-rollout audit as one statement, for a funding source in one district or all, with the
 * first serial numbers of each reconciliation list.
 *
 * One row per serial number: each device recorded with the funding source, and each distinct serial on
 * its manifests that no such device has (recorded under another funding source, at that device's
 * school, or none, in no school). "Active use" is judged against now(): the holder's login or the
 * Chromebook's sync within 7 days. For a school-scoped caller (`scoped`, $4 their schools) only serials
 * at those schools are counted: totals are theirs, and serials never registered are not among them.
 *
 * Every part below the grouping sets is parallel-safe, so workers share the devices, assignments and
 * students (city shape: 2.2 s to 1.3 s, bench/replays/rollout-report.sql). No FULL JOIN (PostgreSQL 15
 * cannot run one in workers): a device's delivery is a hashed NOT IN of the manifests, evaluated once, in
 * `listed`; the manifests' serials without a device of the source are a branch of their own. No
 * array_agg below the sets (no combine function in 15): rows are counted per school with, in the group
 * key, the serial of a row in a reconciliation list (`listed`, NULL for the others), which also merges a
 * serial listed on several manifests; the sets then add up those few thousand groups and gather the
 * listed serials for the samples.
 */
const rolloutSql = (scoped: boolean): string => `
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
        WHERE sh.funding_source = $1 AND ($2::uuid IS NULL OR sh.district_id = $2)
      ) THEN d.serial_number END AS listed,
      d.status,
      a.id IS NOT NULL AS assigned,
      -- coalesce: a never-seen login or sync is no activity, and must not make the flag NULL.
      a.id IS NOT NULL AND (coalesce(st.last_login_at >= now() - interval '7 days', false)
        OR coalesce(d.kind = 'chromebook' AND d.last_sync_at >= now() - interval '7 days', false)) AS active
    FROM devices d
    LEFT JOIN assignments a ON a.device_id = d.id AND a.ended_at IS NULL
    LEFT JOIN students st ON st.id = a.student_id
    WHERE d.funding_source = $1 AND ($2::uuid IS NULL OR d.district_id = $2)
    UNION ALL
    SELECT i.district_id, o.school_id, CASE WHEN o.id IS NULL THEN 'not_registered' ELSE 'other_funding' END,
      i.serial_number, NULL, false, false
    FROM shipments sh
    JOIN shipment_items i ON i.shipment_id = sh.id
    LEFT JOIN devices o ON o.district_id = i.district_id AND o.serial_number = i.serial_number
    WHERE sh.funding_source = $1 AND ($2::uuid IS NULL OR sh.district_id = $2)
      AND o.funding_source IS DISTINCT FROM $1
  ) f${scoped ? '\n  WHERE school_id = ANY($4::uuid[])' : ''}
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
  ${sample('not_registered_serials', 'deliveredNotRegisteredSample')},
  ${sample('not_on_manifest_serials', 'registeredNotOnManifestSample')},
  ${sample('other_funding_serials', 'deliveredUnderOtherFundingSample')}
FROM counted c
JOIN districts dt ON dt.id = c.district_id
LEFT JOIN schools sc ON sc.id = c.school_id
ORDER BY dt.name, c.district_id, c.all_schools DESC, sc.name NULLS FIRST, c.school_id NULLS FIRST`;

/** The first serials of a list, in the order the reconciliation route pages them; on district rows only. */
function sample(serials: string, alias: string): string {
  return `CASE WHEN c.all_schools = 1 THEN array(SELECT x FROM unnest(c.${serials}) x ORDER BY x LIMIT $3) ELSE '{}' END AS "${alias}"`;
}

/**
 * One reconciliation list, in (district, serial) order after the keyset, for a funding source; `scope`
 * is the filter a school-scoped caller adds (or '').
 */
const RECONCILIATION_SQL: Record<ReconciliationList, (scope: string) => string> = {
  deliveredNotRegistered: (scope) => `
    SELECT DISTINCT ON (i.district_id, i.serial_number)
      i.district_id AS "districtId", i.serial_number AS "serialNumber", sh.id AS "shipmentId",
      to_char(sh.shipped_on, 'YYYY-MM-DD') AS "shippedOn", sh.reference,
      NULL::uuid AS "deviceId", NULL::uuid AS "schoolId", NULL AS "deviceStatus", NULL AS "deviceFundingSource",
      NULL AS "purchaseDate", NULL AS "orderNumber"
    FROM shipments sh
    JOIN shipment_items i ON i.shipment_id = sh.id
    WHERE sh.funding_source = $1 AND ($2::uuid IS NULL OR sh.district_id = $2)
      AND ($4::uuid IS NULL OR (i.district_id, i.serial_number) > ($4::uuid, $5::text))
      AND NOT EXISTS (SELECT 1 FROM devices d WHERE d.district_id = i.district_id AND d.serial_number = i.serial_number)${scope}
    ORDER BY i.district_id, i.serial_number, sh.shipped_on, sh.id
    LIMIT $3`,
  deliveredUnderOtherFunding: (scope) => `
    SELECT DISTINCT ON (i.district_id, i.serial_number)
      i.district_id AS "districtId", i.serial_number AS "serialNumber", sh.id AS "shipmentId",
      to_char(sh.shipped_on, 'YYYY-MM-DD') AS "shippedOn", sh.reference,
      d.id AS "deviceId", d.school_id AS "schoolId", d.status AS "deviceStatus", d.funding_source AS "deviceFundingSource",
      to_char(d.purchase_date, 'YYYY-MM-DD') AS "purchaseDate", d.order_number AS "orderNumber"
    FROM shipments sh
    JOIN shipment_items i ON i.shipment_id = sh.id
    JOIN devices d ON d.district_id = i.district_id AND d.serial_number = i.serial_number
    WHERE sh.funding_source = $1 AND ($2::uuid IS NULL OR sh.district_id = $2)
      AND ($4::uuid IS NULL OR (i.district_id, i.serial_number) > ($4::uuid, $5::text))
      AND d.funding_source IS DISTINCT FROM $1${scope}
    ORDER BY i.district_id, i.serial_number, sh.shipped_on, sh.id
    LIMIT $3`,
  registeredNotOnManifest: (scope) => `
    SELECT d.district_id AS "districtId", d.serial_number AS "serialNumber", NULL::uuid AS "shipmentId",
      NULL AS "shippedOn", NULL AS reference,
      d.id AS "deviceId", d.school_id AS "schoolId", d.status AS "deviceStatus", d.funding_source AS "deviceFundingSource",
      to_char(d.purchase_date, 'YYYY-MM-DD') AS "purchaseDate", d.order_number AS "orderNumber"
    FROM devices d
    WHERE d.funding_source = $1 AND ($2::uuid IS NULL OR d.district_id = $2)
      AND ($4::uuid IS NULL OR (d.district_id, d.serial_number) > ($4::uuid, $5::text))
      AND NOT EXISTS (
        SELECT 1 FROM shipment_items i JOIN shipments sh ON sh.id = i.shipment_id
        WHERE i.district_id = d.district_id AND i.serial_number = d.serial_number AND sh.funding_source = $1
      )${scope}
    ORDER BY d.district_id, d.serial_number
    LIMIT $3`,
};

/** The school of a list's serial, for a school-scoped caller's filter: a serial never registered is in none (NULL matches nothing). */
const LIST_SCHOOL: Record<ReconciliationList, string> = {
  deliveredNotRegistered: 'NULL::uuid',
  deliveredUnderOtherFunding: 'd.school_id',
  registeredNotOnManifest: 'd.school_id',
};

type Statement = [text: string, values: unknown[]];

/** `schoolIds`: a school-scoped caller's schools; null for the whole district. */
export function rolloutReport(p: {
  fundingSource: string;
  districtId: string | null;
  schoolIds: string[] | null;
  sampleSize: number;
}): Statement {
  const values = [p.fundingSource, p.districtId, p.sampleSize];
  return p.schoolIds ? [rolloutSql(true), [...values, p.schoolIds]] : [rolloutSql(false), values];
}

/** `after` is the (districtId, serialNumber) of the previous page's last row; `limit` null: the whole list. */
export function reconciliationList(
  list: ReconciliationList,
  p: {
    fundingSource: string;
    districtId: string | null;
    schoolIds: string[] | null;
    after: [string, string] | null;
    limit: number | null;
  },
): Statement {
  const values = [p.fundingSource, p.districtId, p.limit, p.after?.[0] ?? null, p.after?.[1] ?? null];
  return p.schoolIds
    ? [RECONCILIATION_SQL[list](`\n      AND ${LIST_SCHOOL[list]} = ANY($6::uuid[])`), [...values, p.schoolIds]]
    : [RECONCILIATION_SQL[list](''), values];
}
