-- The weekly learning-model report with a state token (every district, by grade, state total) for the week
-- :week, as src/reports/weekly.sql.ts builds it since commit 1c274c1: parallel-safe, the login probe an anti
-- join of its own, counts per school and grade before the grouping sets. In the city shape (520,000
-- students, 309,090 remote) on 2 cores: 1.2 s, against 2.25 s for the form before it (one NOT EXISTS per
-- remote student in the select list, run above any parallel workers: git show 1c274c1^:src/reports/weekly.sql.ts).
-- The first statement shows the plan (Gather over both halves); the next three time it. Read-only.
-- psql -h 127.0.0.1 -U postgres reconnect_bench_city -v week=2026-11-23 -f bench/replays/weekly-report.sql
\timing on
BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY;
SET LOCAL work_mem = '64MB';
SET LOCAL jit = off;
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF)
WITH week AS NOT MATERIALIZED (
  -- GROUP BY keeps this a subquery of its own: its expressions are computed once a district and week, not once a student.
  SELECT id, name, m.monday,
    m.monday::timestamp AT TIME ZONE time_zone AS starts_at,
    (m.monday + 7)::timestamp AT TIME ZONE time_zone AS ends_at,
    least(CASE WHEN m.monday + 0 <> ALL (closure_dates) AND (school_year_start IS NULL OR m.monday + 0 >= school_year_start)
        AND (school_year_end IS NULL OR m.monday + 0 <= school_year_end) THEN m.monday + 0 END,
      CASE WHEN m.monday + 1 <> ALL (closure_dates) AND (school_year_start IS NULL OR m.monday + 1 >= school_year_start)
        AND (school_year_end IS NULL OR m.monday + 1 <= school_year_end) THEN m.monday + 1 END,
      CASE WHEN m.monday + 2 <> ALL (closure_dates) AND (school_year_start IS NULL OR m.monday + 2 >= school_year_start)
        AND (school_year_end IS NULL OR m.monday + 2 <= school_year_end) THEN m.monday + 2 END,
      CASE WHEN m.monday + 3 <> ALL (closure_dates) AND (school_year_start IS NULL OR m.monday + 3 >= school_year_start)
        AND (school_year_end IS NULL OR m.monday + 3 <= school_year_end) THEN m.monday + 3 END,
      CASE WHEN m.monday + 4 <> ALL (closure_dates) AND (school_year_start IS NULL OR m.monday + 4 >= school_year_start)
        AND (school_year_end IS NULL OR m.monday + 4 <= school_year_end) THEN m.monday + 4 END) AS first_school_day
  FROM districts
  CROSS JOIN unnest(ARRAY[:'week']::date[]) AS m(monday)
  WHERE NULL::uuid IS NULL OR id = NULL::uuid
  GROUP BY id, m.monday
),
school_models AS (
  SELECT DISTINCT ON (m.monday, c.school_id) m.monday, c.school_id, c.learning_model
  FROM school_learning_model_changes c
  CROSS JOIN unnest(ARRAY[:'week']::date[]) AS m(monday)
  WHERE (NULL::uuid IS NULL OR c.district_id = NULL::uuid) AND m.monday BETWEEN c.from_date AND c.to_date
  ORDER BY m.monday, c.school_id, c.created_at DESC, c.id DESC
),
enrolled AS NOT MATERIALIZED (
  SELECT w.monday, w.id AS district_id, s.school_id, coalesce(s.grade, 'unknown') AS grade, s.id AS student_id,
    coalesce(m.learning_model, s.learning_model) AS model, w.starts_at, w.ends_at,
    coalesce(m.learning_model, s.learning_model) = 'remote' AND w.first_school_day IS NOT NULL
    AND (s.enrolled_on IS NULL OR s.enrolled_on <= w.first_school_day) AS expected_online
  FROM students s
  JOIN week w ON w.id = s.district_id
  LEFT JOIN school_models m ON m.monday = w.monday AND m.school_id = s.school_id
  WHERE s.enrollment_status = 'active'
),
per_grade AS (
  SELECT monday, district_id, school_id, grade,
    count(*) AS enrollment,
    count(*) FILTER (WHERE model = 'in_person') AS in_person,
    count(*) FILTER (WHERE model = 'hybrid') AS hybrid,
    count(*) FILTER (WHERE model = 'remote') AS remote
  FROM enrolled
  GROUP BY monday, district_id, school_id, grade
),
not_connected AS (
  SELECT monday, district_id, school_id, grade, count(*) AS remote_not_connected
  FROM enrolled s
  WHERE s.expected_online AND NOT EXISTS (
    SELECT 1 FROM login_events e
    WHERE e.district_id = s.district_id AND e.student_id = s.student_id AND e.event = 'login_success'
      AND e.occurred_at >= s.starts_at AND e.occurred_at < s.ends_at
  )
  GROUP BY monday, district_id, school_id, grade
),
counted AS (
  SELECT w.monday, w.id AS district_id, NULL::uuid AS school_id, 1 AS all_schools, g.grade, GROUPING(g.grade) AS all_grades, GROUPING(w.id) AS all_districts,
    max(w.name) AS district_name,
    coalesce(sum(g.enrollment), 0)::int AS enrollment,
    coalesce(sum(g.in_person), 0)::int AS in_person,
    coalesce(sum(g.hybrid), 0)::int AS hybrid,
    coalesce(sum(g.remote), 0)::int AS remote,
    coalesce(sum(n.remote_not_connected), 0)::int AS remote_not_connected
  FROM week w
  LEFT JOIN per_grade g ON g.monday = w.monday AND g.district_id = w.id
  LEFT JOIN not_connected n ON n.monday = g.monday AND n.district_id = g.district_id AND n.school_id = g.school_id AND n.grade = g.grade
  GROUP BY GROUPING SETS ((w.monday, w.id, g.grade), (w.monday, w.id), (w.monday))
  HAVING coalesce(sum(g.enrollment), 0) > 0 OR (GROUPING(g.grade) = 1)
)
SELECT to_char(monday, 'YYYY-MM-DD') AS "weekOf", district_id AS "districtId", CASE WHEN all_schools = 0 THEN school_id END AS "schoolId",
  CASE WHEN all_grades = 0 THEN grade END AS grade,
  enrollment, in_person AS "inPerson", hybrid, remote,
  coalesce(round(100.0 * remote / nullif(enrollment, 0), 1), 0)::float8 AS "percentRemote",
  remote_not_connected AS "remoteNotConnected",
  coalesce(round(100.0 * remote_not_connected / nullif(remote, 0), 1), 0)::float8 AS "percentRemoteNotConnected"
FROM counted
ORDER BY monday, all_districts, district_name, district_id, all_schools DESC, school_id, all_grades,
  CASE WHEN upper(grade) IN ('IT', 'PR', 'PK', 'TK') THEN 0 WHEN upper(grade) IN ('K', 'KG') THEN 1 WHEN grade ~ '^[0-9]{1,2}$' THEN 2 ELSE 3 END,
  CASE WHEN grade ~ '^[0-9]{1,2}$' THEN grade::int END, grade;
\o /dev/null
WITH week AS NOT MATERIALIZED (
  -- GROUP BY keeps this a subquery of its own: its expressions are computed once a district and week, not once a student.
  SELECT id, name, m.monday,
    m.monday::timestamp AT TIME ZONE time_zone AS starts_at,
    (m.monday + 7)::timestamp AT TIME ZONE time_zone AS ends_at,
    least(CASE WHEN m.monday + 0 <> ALL (closure_dates) AND (school_year_start IS NULL OR m.monday + 0 >= school_year_start)
        AND (school_year_end IS NULL OR m.monday + 0 <= school_year_end) THEN m.monday + 0 END,
      CASE WHEN m.monday + 1 <> ALL (closure_dates) AND (school_year_start IS NULL OR m.monday + 1 >= school_year_start)
        AND (school_year_end IS NULL OR m.monday + 1 <= school_year_end) THEN m.monday + 1 END,
      CASE WHEN m.monday + 2 <> ALL (closure_dates) AND (school_year_start IS NULL OR m.monday + 2 >= school_year_start)
        AND (school_year_end IS NULL OR m.monday + 2 <= school_year_end) THEN m.monday + 2 END,
      CASE WHEN m.monday + 3 <> ALL (closure_dates) AND (school_year_start IS NULL OR m.monday + 3 >= school_year_start)
        AND (school_year_end IS NULL OR m.monday + 3 <= school_year_end) THEN m.monday + 3 END,
      CASE WHEN m.monday + 4 <> ALL (closure_dates) AND (school_year_start IS NULL OR m.monday + 4 >= school_year_start)
        AND (school_year_end IS NULL OR m.monday + 4 <= school_year_end) THEN m.monday + 4 END) AS first_school_day
  FROM districts
  CROSS JOIN unnest(ARRAY[:'week']::date[]) AS m(monday)
  WHERE NULL::uuid IS NULL OR id = NULL::uuid
  GROUP BY id, m.monday
),
school_models AS (
  SELECT DISTINCT ON (m.monday, c.school_id) m.monday, c.school_id, c.learning_model
  FROM school_learning_model_changes c
  CROSS JOIN unnest(ARRAY[:'week']::date[]) AS m(monday)
  WHERE (NULL::uuid IS NULL OR c.district_id = NULL::uuid) AND m.monday BETWEEN c.from_date AND c.to_date
  ORDER BY m.monday, c.school_id, c.created_at DESC, c.id DESC
),
enrolled AS NOT MATERIALIZED (
  SELECT w.monday, w.id AS district_id, s.school_id, coalesce(s.grade, 'unknown') AS grade, s.id AS student_id,
    coalesce(m.learning_model, s.learning_model) AS model, w.starts_at, w.ends_at,
    coalesce(m.learning_model, s.learning_model) = 'remote' AND w.first_school_day IS NOT NULL
    AND (s.enrolled_on IS NULL OR s.enrolled_on <= w.first_school_day) AS expected_online
  FROM students s
  JOIN week w ON w.id = s.district_id
  LEFT JOIN school_models m ON m.monday = w.monday AND m.school_id = s.school_id
  WHERE s.enrollment_status = 'active'
),
per_grade AS (
  SELECT monday, district_id, school_id, grade,
    count(*) AS enrollment,
    count(*) FILTER (WHERE model = 'in_person') AS in_person,
    count(*) FILTER (WHERE model = 'hybrid') AS hybrid,
    count(*) FILTER (WHERE model = 'remote') AS remote
  FROM enrolled
  GROUP BY monday, district_id, school_id, grade
),
not_connected AS (
  SELECT monday, district_id, school_id, grade, count(*) AS remote_not_connected
  FROM enrolled s
  WHERE s.expected_online AND NOT EXISTS (
    SELECT 1 FROM login_events e
    WHERE e.district_id = s.district_id AND e.student_id = s.student_id AND e.event = 'login_success'
      AND e.occurred_at >= s.starts_at AND e.occurred_at < s.ends_at
  )
  GROUP BY monday, district_id, school_id, grade
),
counted AS (
  SELECT w.monday, w.id AS district_id, NULL::uuid AS school_id, 1 AS all_schools, g.grade, GROUPING(g.grade) AS all_grades, GROUPING(w.id) AS all_districts,
    max(w.name) AS district_name,
    coalesce(sum(g.enrollment), 0)::int AS enrollment,
    coalesce(sum(g.in_person), 0)::int AS in_person,
    coalesce(sum(g.hybrid), 0)::int AS hybrid,
    coalesce(sum(g.remote), 0)::int AS remote,
    coalesce(sum(n.remote_not_connected), 0)::int AS remote_not_connected
  FROM week w
  LEFT JOIN per_grade g ON g.monday = w.monday AND g.district_id = w.id
  LEFT JOIN not_connected n ON n.monday = g.monday AND n.district_id = g.district_id AND n.school_id = g.school_id AND n.grade = g.grade
  GROUP BY GROUPING SETS ((w.monday, w.id, g.grade), (w.monday, w.id), (w.monday))
  HAVING coalesce(sum(g.enrollment), 0) > 0 OR (GROUPING(g.grade) = 1)
)
SELECT to_char(monday, 'YYYY-MM-DD') AS "weekOf", district_id AS "districtId", CASE WHEN all_schools = 0 THEN school_id END AS "schoolId",
  CASE WHEN all_grades = 0 THEN grade END AS grade,
  enrollment, in_person AS "inPerson", hybrid, remote,
  coalesce(round(100.0 * remote / nullif(enrollment, 0), 1), 0)::float8 AS "percentRemote",
  remote_not_connected AS "remoteNotConnected",
  coalesce(round(100.0 * remote_not_connected / nullif(remote, 0), 1), 0)::float8 AS "percentRemoteNotConnected"
FROM counted
ORDER BY monday, all_districts, district_name, district_id, all_schools DESC, school_id, all_grades,
  CASE WHEN upper(grade) IN ('IT', 'PR', 'PK', 'TK') THEN 0 WHEN upper(grade) IN ('K', 'KG') THEN 1 WHEN grade ~ '^[0-9]{1,2}$' THEN 2 ELSE 3 END,
  CASE WHEN grade ~ '^[0-9]{1,2}$' THEN grade::int END, grade;
WITH week AS NOT MATERIALIZED (
  -- GROUP BY keeps this a subquery of its own: its expressions are computed once a district and week, not once a student.
  SELECT id, name, m.monday,
    m.monday::timestamp AT TIME ZONE time_zone AS starts_at,
    (m.monday + 7)::timestamp AT TIME ZONE time_zone AS ends_at,
    least(CASE WHEN m.monday + 0 <> ALL (closure_dates) AND (school_year_start IS NULL OR m.monday + 0 >= school_year_start)
        AND (school_year_end IS NULL OR m.monday + 0 <= school_year_end) THEN m.monday + 0 END,
      CASE WHEN m.monday + 1 <> ALL (closure_dates) AND (school_year_start IS NULL OR m.monday + 1 >= school_year_start)
        AND (school_year_end IS NULL OR m.monday + 1 <= school_year_end) THEN m.monday + 1 END,
      CASE WHEN m.monday + 2 <> ALL (closure_dates) AND (school_year_start IS NULL OR m.monday + 2 >= school_year_start)
        AND (school_year_end IS NULL OR m.monday + 2 <= school_year_end) THEN m.monday + 2 END,
      CASE WHEN m.monday + 3 <> ALL (closure_dates) AND (school_year_start IS NULL OR m.monday + 3 >= school_year_start)
        AND (school_year_end IS NULL OR m.monday + 3 <= school_year_end) THEN m.monday + 3 END,
      CASE WHEN m.monday + 4 <> ALL (closure_dates) AND (school_year_start IS NULL OR m.monday + 4 >= school_year_start)
        AND (school_year_end IS NULL OR m.monday + 4 <= school_year_end) THEN m.monday + 4 END) AS first_school_day
  FROM districts
  CROSS JOIN unnest(ARRAY[:'week']::date[]) AS m(monday)
  WHERE NULL::uuid IS NULL OR id = NULL::uuid
  GROUP BY id, m.monday
),
school_models AS (
  SELECT DISTINCT ON (m.monday, c.school_id) m.monday, c.school_id, c.learning_model
  FROM school_learning_model_changes c
  CROSS JOIN unnest(ARRAY[:'week']::date[]) AS m(monday)
  WHERE (NULL::uuid IS NULL OR c.district_id = NULL::uuid) AND m.monday BETWEEN c.from_date AND c.to_date
  ORDER BY m.monday, c.school_id, c.created_at DESC, c.id DESC
),
enrolled AS NOT MATERIALIZED (
  SELECT w.monday, w.id AS district_id, s.school_id, coalesce(s.grade, 'unknown') AS grade, s.id AS student_id,
    coalesce(m.learning_model, s.learning_model) AS model, w.starts_at, w.ends_at,
    coalesce(m.learning_model, s.learning_model) = 'remote' AND w.first_school_day IS NOT NULL
    AND (s.enrolled_on IS NULL OR s.enrolled_on <= w.first_school_day) AS expected_online
  FROM students s
  JOIN week w ON w.id = s.district_id
  LEFT JOIN school_models m ON m.monday = w.monday AND m.school_id = s.school_id
  WHERE s.enrollment_status = 'active'
),
per_grade AS (
  SELECT monday, district_id, school_id, grade,
    count(*) AS enrollment,
    count(*) FILTER (WHERE model = 'in_person') AS in_person,
    count(*) FILTER (WHERE model = 'hybrid') AS hybrid,
    count(*) FILTER (WHERE model = 'remote') AS remote
  FROM enrolled
  GROUP BY monday, district_id, school_id, grade
),
not_connected AS (
  SELECT monday, district_id, school_id, grade, count(*) AS remote_not_connected
  FROM enrolled s
  WHERE s.expected_online AND NOT EXISTS (
    SELECT 1 FROM login_events e
    WHERE e.district_id = s.district_id AND e.student_id = s.student_id AND e.event = 'login_success'
      AND e.occurred_at >= s.starts_at AND e.occurred_at < s.ends_at
  )
  GROUP BY monday, district_id, school_id, grade
),
counted AS (
  SELECT w.monday, w.id AS district_id, NULL::uuid AS school_id, 1 AS all_schools, g.grade, GROUPING(g.grade) AS all_grades, GROUPING(w.id) AS all_districts,
    max(w.name) AS district_name,
    coalesce(sum(g.enrollment), 0)::int AS enrollment,
    coalesce(sum(g.in_person), 0)::int AS in_person,
    coalesce(sum(g.hybrid), 0)::int AS hybrid,
    coalesce(sum(g.remote), 0)::int AS remote,
    coalesce(sum(n.remote_not_connected), 0)::int AS remote_not_connected
  FROM week w
  LEFT JOIN per_grade g ON g.monday = w.monday AND g.district_id = w.id
  LEFT JOIN not_connected n ON n.monday = g.monday AND n.district_id = g.district_id AND n.school_id = g.school_id AND n.grade = g.grade
  GROUP BY GROUPING SETS ((w.monday, w.id, g.grade), (w.monday, w.id), (w.monday))
  HAVING coalesce(sum(g.enrollment), 0) > 0 OR (GROUPING(g.grade) = 1)
)
SELECT to_char(monday, 'YYYY-MM-DD') AS "weekOf", district_id AS "districtId", CASE WHEN all_schools = 0 THEN school_id END AS "schoolId",
  CASE WHEN all_grades = 0 THEN grade END AS grade,
  enrollment, in_person AS "inPerson", hybrid, remote,
  coalesce(round(100.0 * remote / nullif(enrollment, 0), 1), 0)::float8 AS "percentRemote",
  remote_not_connected AS "remoteNotConnected",
  coalesce(round(100.0 * remote_not_connected / nullif(remote, 0), 1), 0)::float8 AS "percentRemoteNotConnected"
FROM counted
ORDER BY monday, all_districts, district_name, district_id, all_schools DESC, school_id, all_grades,
  CASE WHEN upper(grade) IN ('IT', 'PR', 'PK', 'TK') THEN 0 WHEN upper(grade) IN ('K', 'KG') THEN 1 WHEN grade ~ '^[0-9]{1,2}$' THEN 2 ELSE 3 END,
  CASE WHEN grade ~ '^[0-9]{1,2}$' THEN grade::int END, grade;
WITH week AS NOT MATERIALIZED (
  -- GROUP BY keeps this a subquery of its own: its expressions are computed once a district and week, not once a student.
  SELECT id, name, m.monday,
    m.monday::timestamp AT TIME ZONE time_zone AS starts_at,
    (m.monday + 7)::timestamp AT TIME ZONE time_zone AS ends_at,
    least(CASE WHEN m.monday + 0 <> ALL (closure_dates) AND (school_year_start IS NULL OR m.monday + 0 >= school_year_start)
        AND (school_year_end IS NULL OR m.monday + 0 <= school_year_end) THEN m.monday + 0 END,
      CASE WHEN m.monday + 1 <> ALL (closure_dates) AND (school_year_start IS NULL OR m.monday + 1 >= school_year_start)
        AND (school_year_end IS NULL OR m.monday + 1 <= school_year_end) THEN m.monday + 1 END,
      CASE WHEN m.monday + 2 <> ALL (closure_dates) AND (school_year_start IS NULL OR m.monday + 2 >= school_year_start)
        AND (school_year_end IS NULL OR m.monday + 2 <= school_year_end) THEN m.monday + 2 END,
      CASE WHEN m.monday + 3 <> ALL (closure_dates) AND (school_year_start IS NULL OR m.monday + 3 >= school_year_start)
        AND (school_year_end IS NULL OR m.monday + 3 <= school_year_end) THEN m.monday + 3 END,
      CASE WHEN m.monday + 4 <> ALL (closure_dates) AND (school_year_start IS NULL OR m.monday + 4 >= school_year_start)
        AND (school_year_end IS NULL OR m.monday + 4 <= school_year_end) THEN m.monday + 4 END) AS first_school_day
  FROM districts
  CROSS JOIN unnest(ARRAY[:'week']::date[]) AS m(monday)
  WHERE NULL::uuid IS NULL OR id = NULL::uuid
  GROUP BY id, m.monday
),
school_models AS (
  SELECT DISTINCT ON (m.monday, c.school_id) m.monday, c.school_id, c.learning_model
  FROM school_learning_model_changes c
  CROSS JOIN unnest(ARRAY[:'week']::date[]) AS m(monday)
  WHERE (NULL::uuid IS NULL OR c.district_id = NULL::uuid) AND m.monday BETWEEN c.from_date AND c.to_date
  ORDER BY m.monday, c.school_id, c.created_at DESC, c.id DESC
),
enrolled AS NOT MATERIALIZED (
  SELECT w.monday, w.id AS district_id, s.school_id, coalesce(s.grade, 'unknown') AS grade, s.id AS student_id,
    coalesce(m.learning_model, s.learning_model) AS model, w.starts_at, w.ends_at,
    coalesce(m.learning_model, s.learning_model) = 'remote' AND w.first_school_day IS NOT NULL
    AND (s.enrolled_on IS NULL OR s.enrolled_on <= w.first_school_day) AS expected_online
  FROM students s
  JOIN week w ON w.id = s.district_id
  LEFT JOIN school_models m ON m.monday = w.monday AND m.school_id = s.school_id
  WHERE s.enrollment_status = 'active'
),
per_grade AS (
  SELECT monday, district_id, school_id, grade,
    count(*) AS enrollment,
    count(*) FILTER (WHERE model = 'in_person') AS in_person,
    count(*) FILTER (WHERE model = 'hybrid') AS hybrid,
    count(*) FILTER (WHERE model = 'remote') AS remote
  FROM enrolled
  GROUP BY monday, district_id, school_id, grade
),
not_connected AS (
  SELECT monday, district_id, school_id, grade, count(*) AS remote_not_connected
  FROM enrolled s
  WHERE s.expected_online AND NOT EXISTS (
    SELECT 1 FROM login_events e
    WHERE e.district_id = s.district_id AND e.student_id = s.student_id AND e.event = 'login_success'
      AND e.occurred_at >= s.starts_at AND e.occurred_at < s.ends_at
  )
  GROUP BY monday, district_id, school_id, grade
),
counted AS (
  SELECT w.monday, w.id AS district_id, NULL::uuid AS school_id, 1 AS all_schools, g.grade, GROUPING(g.grade) AS all_grades, GROUPING(w.id) AS all_districts,
    max(w.name) AS district_name,
    coalesce(sum(g.enrollment), 0)::int AS enrollment,
    coalesce(sum(g.in_person), 0)::int AS in_person,
    coalesce(sum(g.hybrid), 0)::int AS hybrid,
    coalesce(sum(g.remote), 0)::int AS remote,
    coalesce(sum(n.remote_not_connected), 0)::int AS remote_not_connected
  FROM week w
  LEFT JOIN per_grade g ON g.monday = w.monday AND g.district_id = w.id
  LEFT JOIN not_connected n ON n.monday = g.monday AND n.district_id = g.district_id AND n.school_id = g.school_id AND n.grade = g.grade
  GROUP BY GROUPING SETS ((w.monday, w.id, g.grade), (w.monday, w.id), (w.monday))
  HAVING coalesce(sum(g.enrollment), 0) > 0 OR (GROUPING(g.grade) = 1)
)
SELECT to_char(monday, 'YYYY-MM-DD') AS "weekOf", district_id AS "districtId", CASE WHEN all_schools = 0 THEN school_id END AS "schoolId",
  CASE WHEN all_grades = 0 THEN grade END AS grade,
  enrollment, in_person AS "inPerson", hybrid, remote,
  coalesce(round(100.0 * remote / nullif(enrollment, 0), 1), 0)::float8 AS "percentRemote",
  remote_not_connected AS "remoteNotConnected",
  coalesce(round(100.0 * remote_not_connected / nullif(remote, 0), 1), 0)::float8 AS "percentRemoteNotConnected"
FROM counted
ORDER BY monday, all_districts, district_name, district_id, all_schools DESC, school_id, all_grades,
  CASE WHEN upper(grade) IN ('IT', 'PR', 'PK', 'TK') THEN 0 WHEN upper(grade) IN ('K', 'KG') THEN 1 WHEN grade ~ '^[0-9]{1,2}$' THEN 2 ELSE 3 END,
  CASE WHEN grade ~ '^[0-9]{1,2}$' THEN grade::int END, grade;
\o
COMMIT;
