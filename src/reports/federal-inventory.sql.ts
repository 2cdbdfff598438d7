import { q, raw, type SqlText } from '../database/sql.js';

export interface FederalInventoryParams {
  fundingSource: string;
  districtId: string | null;
  /** Only this school's devices and loans (the device's school, or the holder's for a loan). */
  schoolId: string | null;
  /** A school-scoped caller's schools; null: every school. */
  schoolIds: string[] | null;
  /** The (district, device, loan number) of the previous page's last row. */
  after: [string, string, number] | null;
  /** Rows to read; null: all of them. */
  limit: number | null;
}

/**
 * The federal programme inventory (47 CFR 54.1715): one row per loan (custody period) of every device
 * bought with a funding source, and one row for a device never loaned, in (district, device, loan)
 * order. A device is the programme's when it is recorded with the funding source or its serial number is
 * on a manifest of it. Loans are numbered per device in the order they started (1, 2, ...; 0 for the
 * row of a device never loaned), so the numbering of rows already read never changes: a keyset cursor.
 *
 * Dates are days in the district's time zone. A loan that ended lost or stolen has no return date: the
 * day the school learned of it is `incidentOn`; one that ended in a repair intake or came back damaged
 * or broken was returned, and that day is also when the school learned of the damage.
 */
export function federalInventory(p: FederalInventoryParams): SqlText {
  const scope = p.schoolIds
    ? q`AND (d.school_id = ANY(${p.schoolIds}::uuid[]) OR l.student_school_id = ANY(${p.schoolIds}::uuid[]))`
    : raw('');
  const school = p.schoolId ? q`AND (d.school_id = ${p.schoolId}::uuid OR l.student_school_id = ${p.schoolId}::uuid)` : raw('');
  // The device part of the key bounds the index scan of devices; the loan number only the cursor's own device.
  const after = p.after
    ? q`AND (d.district_id, d.id) >= (${p.after[0]}::uuid, ${p.after[1]}::uuid)
        AND ((d.district_id, d.id) > (${p.after[0]}::uuid, ${p.after[1]}::uuid) OR l.loan_number > ${p.after[2]}::int)`
    : raw('');
  const limit = p.limit === null ? raw('') : q`LIMIT ${p.limit}`;
  return q`
SELECT d.district_id AS "districtId", dist.name AS "districtName", dist.code AS "districtCode",
  d.school_id AS "schoolId", sc.name AS "schoolName", sc.code AS "schoolCode", d.id AS "deviceId",
  CASE d.kind WHEN 'hotspot' THEN 'mobile hotspot' WHEN 'other' THEN 'other' ELSE 'laptop' END AS "deviceType",
  d.kind AS "deviceKind", d.manufacturer, d.model, d.serial_number AS "serialNumber", d.asset_tag AS "assetTag",
  d.funding_source AS "recordedFundingSource", m.reference AS "manifestReference", m.shipped_on::text AS "shippedOn",
  d.status AS "deviceStatus",
  (SELECT (max(x.reported_at) AT TIME ZONE dist.time_zone)::date::text FROM device_losses x WHERE x.device_id = d.id) AS "deviceLossReportedOn",
  l.loan_number = 0 AS "neverLoaned", l.loan_number AS "loanNumber", l.id AS "assignmentId", l.kind AS "assignmentKind",
  l.student_id AS "studentId", l.student_school_id AS "studentSchoolId", l.student_sourced_id AS "studentSourcedId",
  l.student_identifier AS "studentIdentifier", l.provided_to AS "providedTo",
  (l.started_at AT TIME ZONE dist.time_zone)::date::text AS "loanedOn",
  CASE WHEN l.end_reason NOT IN ('lost', 'stolen') THEN (l.ended_at AT TIME ZONE dist.time_zone)::date::text END AS "returnedOn",
  l.end_reason AS "endReason",
  CASE WHEN l.end_reason IN ('lost', 'stolen') THEN l.end_reason
       WHEN l.end_reason = 'repair' OR l.returned_condition IN ('damaged', 'broken') THEN 'damaged' END AS "incident",
  CASE WHEN l.end_reason IN ('lost', 'stolen', 'repair') OR l.returned_condition IN ('damaged', 'broken')
       THEN (l.ended_at AT TIME ZONE dist.time_zone)::date::text END AS "incidentOn",
  CASE WHEN d.kind = 'hotspot' THEN d.carrier END AS "carrier",
  CASE WHEN d.kind = 'hotspot' THEN d.service_plan END AS "servicePlan",
  CASE WHEN d.kind = 'hotspot' THEN d.monthly_cap_mb END AS "monthlyCapMb",
  CASE WHEN d.kind = 'hotspot' THEN d.phone_number END AS "lineNumber"
FROM devices d
JOIN districts dist ON dist.id = d.district_id
LEFT JOIN schools sc ON sc.id = d.school_id
LEFT JOIN LATERAL (
  SELECT sh.reference, sh.shipped_on FROM shipment_items i JOIN shipments sh ON sh.id = i.shipment_id
  WHERE i.district_id = d.district_id AND i.serial_number = d.serial_number AND sh.funding_source = ${p.fundingSource}
  ORDER BY sh.shipped_on, sh.id LIMIT 1
) m ON true
CROSS JOIN LATERAL (
  -- The holder is looked up per loan, by key, in here: joined outside, a misestimate made it a scan per row.
  SELECT a.id, a.kind, a.student_id, a.started_at, a.ended_at, a.end_reason, a.returned_condition,
    row_number() OVER (ORDER BY a.started_at, a.id)::int AS loan_number,
    st.school_id AS student_school_id, st.sourced_id AS student_sourced_id, st.identifier AS student_identifier,
    st.given_name || ' ' || st.family_name AS provided_to
  FROM assignments a JOIN students st ON st.id = a.student_id
  WHERE a.device_id = d.id
  UNION ALL
  SELECT NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0, NULL, NULL, NULL, NULL
  WHERE NOT EXISTS (SELECT 1 FROM assignments a WHERE a.device_id = d.id)
) l
WHERE (${p.districtId}::uuid IS NULL OR d.district_id = ${p.districtId}::uuid)
  AND (d.funding_source = ${p.fundingSource} OR m.reference IS NOT NULL OR m.shipped_on IS NOT NULL)
  ${scope} ${school} ${after}
ORDER BY d.district_id, d.id, l.loan_number
${limit}`;
}
