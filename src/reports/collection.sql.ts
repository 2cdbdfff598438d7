/**
 * The collection list: withdrawn students who still hold equipment (an assignment not ended), with
 * what they hold, in (district, student id) order. $1 district or NULL (all), $2 school or NULL,
 * $3 the caller's schools or NULL (all), $4/$5 the cursor (district id, student id), $6 the page size or NULL (all).
 */
const COLLECTION_SQL = `
SELECT s.district_id AS "districtId", dist.name AS "districtName", dist.code AS "districtCode",
  s.school_id AS "schoolId", sc.name AS "schoolName", sc.code AS "schoolCode",
  s.id AS "studentId", s.sourced_id AS "sourcedId", s.identifier, s.given_name AS "givenName", s.family_name AS "familyName",
  held.devices
FROM students s
JOIN districts dist ON dist.id = s.district_id
JOIN schools sc ON sc.id = s.school_id
CROSS JOIN LATERAL (
  SELECT jsonb_agg(jsonb_build_object(
           'deviceId', d.id, 'kind', d.kind, 'assetTag', d.asset_tag, 'serialNumber', d.serial_number,
           'assignmentKind', a.kind, 'assignedAt', a.started_at)
         ORDER BY a.started_at, d.id) AS devices
  FROM assignments a JOIN devices d ON d.id = a.device_id
  WHERE a.student_id = s.id AND a.ended_at IS NULL
  HAVING count(*) > 0
) held
WHERE s.enrollment_status = 'withdrawn'
  AND ($1::uuid IS NULL OR s.district_id = $1)
  AND ($2::uuid IS NULL OR s.school_id = $2)
  AND ($3::uuid[] IS NULL OR s.school_id = ANY($3))
  AND ($4::uuid IS NULL OR (s.district_id, s.id) > ($4::uuid, $5::uuid))
ORDER BY s.district_id, s.id
LIMIT $6`;

type Statement = [text: string, values: unknown[]];

export interface CollectionParams {
  districtId: string | null;
  schoolId: string | null;
  /** A school technician's schools; null: every school. */
  schoolIds: string[] | null;
  after: [string, string] | null;
  /** Rows to read; null: the whole list. */
  limit: number | null;
}

export const collectionList = (p: CollectionParams): Statement => [
  COLLECTION_SQL,
  [p.districtId, p.schoolId, p.schoolIds, p.after?.[0] ?? null, p.after?.[1] ?? null, p.limit],
];
