import type { ReconciliationList } from './report.domain.js';

/**
 * The donation-rollout audit as one statement, for a funding source in one district or all, with the
 * first serial numbers of each reconciliation list.
 *
 * One row per serial number: the distinct serials on manifests of the funding source, fully joined to
 * the devices recorded with it. A delivered serial recorded under another funding source (or none) is
 * looked up by devices_district_serial_number_key only for those few rows (the CASE keeps the subquery
 * lazy). A device's school is its school_id; a serial never recorded has none. Counts per (district,
 * school) and per district come from one pass; the reconciliation samples are sorted only at the end.
 * "Active use" is judged against now(): the holder's login or the Chromebook's sync within 7 days.
 * For a school-scoped caller (`scoped`, $4 their schools) only serials at those schools are counted:
 * totals are theirs, and serials never registered (in no school) are not among them.
 */
const rolloutSql = (scoped: boolean): string => `
WITH delivered AS (
  SELECT DISTINCT i.district_id, i.serial_number
  FROM shipments sh
  JOIN shipment_items i ON i.shipment_id = sh.id
  WHERE sh.funding_source = $1 AND ($2::uuid IS NULL OR sh.district_id = $2)
),
registered AS (
  SELECT id, district_id, school_id, serial_number, kind, status, last_sync_at
  FROM devices
  WHERE funding_source = $1 AND ($2::uuid IS NULL OR district_id = $2)
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
  FROM facts${scoped ? '\n  WHERE school_id = ANY($4::uuid[])' : ''}
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
