/**
 * The weekly learning-model report as one statement, for the weeks starting on `mondays` (dates), in one
 * district or all (NULL); for a school-scoped caller, only the students of `schoolIds`. One Monday gives
 * the state's weekly collection; several give its trend, each week counted exactly as on its own.
 *
 * The week is [Monday 00:00, next Monday 00:00) in each district's own time zone. A student's model that
 * week is the school-wide change covering the Monday (the latest one created wins), else their own.
 * A remote learner counts as not connected only in a week the school was in session (a weekday of it
 * in the district's school year and not a closure date; its first such day is first_school_day) and
 * they were enrolled by its first school day (enrolled_on; NULL: enrolled).
 * Only fully remote students are probed for a login, each with one index-only probe of
 * login_events_success_idx (district_id, student_id, occurred_at): no per-student queries, and nothing read from
 * "now", so asking for the same week twice gives the same numbers.
 *
 * Parallel workers share the students (bench/RESULTS.md, city shape: 2.3 s to 1.8 s on two cores). So
 * every part below the grouping sets is parallel-safe: the week's figures are expressions, not
 * correlated subqueries; the login probe is an anti join in a statement of its own (a NOT EXISTS in
 * the select list runs above the workers); both count per school and grade (a plain GROUP BY, which
 * workers can share, as grouping sets cannot), and the sets add up those few thousand rows.
 * Districts drive the sets so that a district with no active students still gets its total row;
 * empty groups below the district total are dropped by HAVING. `byGrade` false leaves the grade rows
 * out (the trend needs only totals).
 */
export function weeklyReport(p: {
  mondays: string[];
  districtId: string | null;
  schoolIds: string[] | null;
  bySchool: boolean;
  stateTotal: boolean;
  byGrade: boolean;
}): [text: string, values: unknown[]] {
  const withGrade = (set: string[]) => (p.byGrade ? [[...set, 'g.grade'], set] : [set]);
  const sets = [
    ...withGrade(['w.monday', 'w.id']),
    ...(p.bySchool ? withGrade(['w.monday', 'w.id', 'g.school_id']) : []),
    ...(p.stateTotal ? [['w.monday']] : []),
  ].map((set) => `(${set.join(', ')})`);
  // GROUPING() may only name a grouped column: without the school (grade) sets, school_id (grade) is not one.
  const school = p.bySchool
    ? { columns: 'g.school_id, GROUPING(g.school_id) AS all_schools', total: ['GROUPING(g.school_id) = 1'] }
    : { columns: 'NULL::uuid AS school_id, 1 AS all_schools', total: [] };
  const grade = p.byGrade
    ? { columns: 'g.grade, GROUPING(g.grade) AS all_grades', total: ['GROUPING(g.grade) = 1'] }
    : { columns: 'NULL::text AS grade, 1 AS all_grades', total: [] };
  const total = [...school.total, ...grade.total].join(' AND ') || 'true';
  // The first weekday in session, as an expression (LEAST skips the NULLs of days out of session).
  const inSession = (day: string) =>
    `CASE WHEN ${day} <> ALL (closure_dates) AND (school_year_start IS NULL OR ${day} >= school_year_start)
        AND (school_year_end IS NULL OR ${day} <= school_year_end) THEN ${day} END`;
  const firstSchoolDay = `least(${[0, 1, 2, 3, 4].map((i) => inSession(`m.monday + ${i}`)).join(',\n      ')})`;
  const text = `
WITH week AS NOT MATERIALIZED (
  -- GROUP BY keeps this a subquery of its own: its expressions are computed once a district and week, not once a student.
  SELECT id, name, m.monday,
    m.monday::timestamp AT TIME ZONE time_zone AS starts_at,
    (m.monday + 7)::timestamp AT TIME ZONE time_zone AS ends_at,
    ${firstSchoolDay} AS first_school_day
  FROM districts
  CROSS JOIN unnest($1::date[]) AS m(monday)
  WHERE $2::uuid IS NULL OR id = $2
  GROUP BY id, m.monday
),
school_models AS (
  SELECT DISTINCT ON (m.monday, c.school_id) m.monday, c.school_id, c.learning_model
  FROM school_learning_model_changes c
  CROSS JOIN unnest($1::date[]) AS m(monday)
  WHERE ($2::uuid IS NULL OR c.district_id = $2) AND m.monday BETWEEN c.from_date AND c.to_date
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
  WHERE s.enrollment_status = 'active'${p.schoolIds ? ' AND s.school_id = ANY($3::uuid[])' : ''}
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
  SELECT w.monday, w.id AS district_id, ${school.columns}, ${grade.columns}, GROUPING(w.id) AS all_districts,
    max(w.name) AS district_name,
    coalesce(sum(g.enrollment), 0)::int AS enrollment,
    coalesce(sum(g.in_person), 0)::int AS in_person,
    coalesce(sum(g.hybrid), 0)::int AS hybrid,
    coalesce(sum(g.remote), 0)::int AS remote,
    coalesce(sum(n.remote_not_connected), 0)::int AS remote_not_connected
  FROM week w
  LEFT JOIN per_grade g ON g.monday = w.monday AND g.district_id = w.id
  LEFT JOIN not_connected n ON n.monday = g.monday AND n.district_id = g.district_id AND n.school_id = g.school_id AND n.grade = g.grade
  GROUP BY GROUPING SETS (${sets.join(', ')})
  HAVING coalesce(sum(g.enrollment), 0) > 0 OR (${total})
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
  CASE WHEN grade ~ '^[0-9]{1,2}$' THEN grade::int END, grade`;
  return [text, p.schoolIds ? [p.mondays, p.districtId, p.schoolIds] : [p.mondays, p.districtId]];
}
