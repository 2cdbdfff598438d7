EXPLAIN (ANALYZE, BUFFERS) WITH quick AS (
      (SELECT id, district_id AS "districtId", school_id AS "schoolId", sourced_id AS "sourcedId", identifier,
  given_name AS "givenName", family_name AS "familyName", grade, enrollment_status AS "enrollmentStatus", true AS exact FROM students WHERE true AND (sourced_id = 'Chen' OR identifier = 'Chen' OR lower(email) = lower('Chen')))
      UNION ALL (SELECT id, district_id AS "districtId", school_id AS "schoolId", sourced_id AS "sourcedId", identifier,
  given_name AS "givenName", family_name AS "familyName", grade, enrollment_status AS "enrollmentStatus", false AS exact FROM students
        WHERE true AND lower(family_name) COLLATE "C" LIKE lower('Chen%') AND (given_name || ' ' || family_name || ' ' || coalesce(identifier, '') || ' ' || coalesce(email, '')) ILIKE '%Chen%'
        ORDER BY lower(family_name) COLLATE "C", lower(given_name) COLLATE "C", district_id, id LIMIT '8') UNION ALL (SELECT id, district_id AS "districtId", school_id AS "schoolId", sourced_id AS "sourcedId", identifier,
  given_name AS "givenName", family_name AS "familyName", grade, enrollment_status AS "enrollmentStatus", false AS exact FROM students
        WHERE true AND lower(given_name) COLLATE "C" LIKE lower('Chen%') AND (given_name || ' ' || family_name || ' ' || coalesce(identifier, '') || ' ' || coalesce(email, '')) ILIKE '%Chen%'
        ORDER BY lower(given_name) COLLATE "C", lower(family_name) COLLATE "C", district_id, id LIMIT '8')
    ), slow AS (SELECT id, district_id AS "districtId", school_id AS "schoolId", sourced_id AS "sourcedId", identifier,
  given_name AS "givenName", family_name AS "familyName", grade, enrollment_status AS "enrollmentStatus", false AS exact FROM students
        WHERE true AND (given_name || ' ' || family_name || ' ' || coalesce(identifier, '') || ' ' || coalesce(email, '')) ILIKE '%Chen%' AND (SELECT count(*) FROM quick) < '8' AND NOT EXISTS (SELECT FROM devices d WHERE true AND (lower(d.asset_tag) = lower('Chen') OR lower(d.serial_number) = lower('Chen') OR d.imei = 'Chen'))
        LIMIT '8')
    SELECT * FROM (
      SELECT DISTINCT ON (id) * FROM (SELECT * FROM quick UNION ALL SELECT * FROM slow) hits ORDER BY id, exact DESC
    ) hits
    ORDER BY exact DESC, "familyName", "givenName", id
    LIMIT '8';
EXPLAIN (ANALYZE, BUFFERS) WITH quick AS (
      (SELECT id, district_id AS "districtId", school_id AS "schoolId", sourced_id AS "sourcedId", identifier,
  given_name AS "givenName", family_name AS "familyName", grade, enrollment_status AS "enrollmentStatus", true AS exact FROM students WHERE true AND (sourced_id = 'Chen' OR identifier = 'Chen' OR lower(email) = lower('Chen')))
      UNION ALL (SELECT id, district_id AS "districtId", school_id AS "schoolId", sourced_id AS "sourcedId", identifier,
  given_name AS "givenName", family_name AS "familyName", grade, enrollment_status AS "enrollmentStatus", false AS exact FROM students
        WHERE true AND lower(family_name) COLLATE "C" LIKE lower('Chen%') AND (given_name || ' ' || family_name || ' ' || coalesce(identifier, '') || ' ' || coalesce(email, '')) ILIKE '%Chen%'
        ORDER BY lower(family_name) COLLATE "C", lower(given_name) COLLATE "C", district_id, id LIMIT '8') UNION ALL (SELECT id, district_id AS "districtId", school_id AS "schoolId", sourced_id AS "sourcedId", identifier,
  given_name AS "givenName", family_name AS "familyName", grade, enrollment_status AS "enrollmentStatus", false AS exact FROM students
        WHERE true AND lower(given_name) COLLATE "C" LIKE lower('Chen%') AND (given_name || ' ' || family_name || ' ' || coalesce(identifier, '') || ' ' || coalesce(email, '')) ILIKE '%Chen%'
        ORDER BY lower(given_name) COLLATE "C", lower(family_name) COLLATE "C", district_id, id LIMIT '8')
    ), slow AS (SELECT id, district_id AS "districtId", school_id AS "schoolId", sourced_id AS "sourcedId", identifier,
  given_name AS "givenName", family_name AS "familyName", grade, enrollment_status AS "enrollmentStatus", false AS exact FROM students
        WHERE true AND (given_name || ' ' || family_name || ' ' || coalesce(identifier, '') || ' ' || coalesce(email, '')) ILIKE '%Chen%' AND (SELECT count(*) FROM quick) < '8' AND NOT EXISTS (SELECT FROM devices d WHERE true AND (lower(d.asset_tag) = lower('Chen') OR lower(d.serial_number) = lower('Chen') OR d.imei = 'Chen'))
        LIMIT '8')
    SELECT * FROM (
      SELECT DISTINCT ON (id) * FROM (SELECT * FROM quick UNION ALL SELECT * FROM slow) hits ORDER BY id, exact DESC
    ) hits
    ORDER BY exact DESC, "familyName", "givenName", id
    LIMIT '8';
EXPLAIN (ANALYZE, BUFFERS) WITH quick AS (
      (SELECT id, district_id AS "districtId", school_id AS "schoolId", sourced_id AS "sourcedId", identifier,
  given_name AS "givenName", family_name AS "familyName", grade, enrollment_status AS "enrollmentStatus", true AS exact FROM students WHERE true AND (sourced_id = 'lopez mar' OR identifier = 'lopez mar' OR lower(email) = lower('lopez mar')))
      UNION ALL (SELECT id, district_id AS "districtId", school_id AS "schoolId", sourced_id AS "sourcedId", identifier,
  given_name AS "givenName", family_name AS "familyName", grade, enrollment_status AS "enrollmentStatus", false AS exact FROM students
        WHERE true AND lower(family_name) COLLATE "C" LIKE lower('lopez%') AND (given_name || ' ' || family_name || ' ' || coalesce(identifier, '') || ' ' || coalesce(email, '')) ILIKE '%lopez%' AND (given_name || ' ' || family_name || ' ' || coalesce(identifier, '') || ' ' || coalesce(email, '')) ILIKE '%mar%'
        ORDER BY lower(family_name) COLLATE "C", lower(given_name) COLLATE "C", district_id, id LIMIT '8') UNION ALL (SELECT id, district_id AS "districtId", school_id AS "schoolId", sourced_id AS "sourcedId", identifier,
  given_name AS "givenName", family_name AS "familyName", grade, enrollment_status AS "enrollmentStatus", false AS exact FROM students
        WHERE true AND lower(given_name) COLLATE "C" LIKE lower('lopez%') AND (given_name || ' ' || family_name || ' ' || coalesce(identifier, '') || ' ' || coalesce(email, '')) ILIKE '%lopez%' AND (given_name || ' ' || family_name || ' ' || coalesce(identifier, '') || ' ' || coalesce(email, '')) ILIKE '%mar%'
        ORDER BY lower(given_name) COLLATE "C", lower(family_name) COLLATE "C", district_id, id LIMIT '8')
    ), slow AS (SELECT id, district_id AS "districtId", school_id AS "schoolId", sourced_id AS "sourcedId", identifier,
  given_name AS "givenName", family_name AS "familyName", grade, enrollment_status AS "enrollmentStatus", false AS exact FROM students
        WHERE true AND (given_name || ' ' || family_name || ' ' || coalesce(identifier, '') || ' ' || coalesce(email, '')) ILIKE '%lopez%' AND (given_name || ' ' || family_name || ' ' || coalesce(identifier, '') || ' ' || coalesce(email, '')) ILIKE '%mar%' AND (SELECT count(*) FROM quick) < '8' AND NOT EXISTS (SELECT FROM devices d WHERE true AND (lower(d.asset_tag) = lower('lopez mar') OR lower(d.serial_number) = lower('lopez mar') OR d.imei = 'lopez mar'))
        LIMIT '8')
    SELECT * FROM (
      SELECT DISTINCT ON (id) * FROM (SELECT * FROM quick UNION ALL SELECT * FROM slow) hits ORDER BY id, exact DESC
    ) hits
    ORDER BY exact DESC, "familyName", "givenName", id
    LIMIT '8';
