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
 * Districts drive the query so that a district with no active students still gets its total row;
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
  const withGrade = (set: string[]) => (p.byGrade ? [[...set, 'grade'], set] : [set]);
  const sets = [
    ...withGrade(['monday', 'district_id']),
    ...(p.bySchool ? withGrade(['monday', 'district_id', 'school_id']) : []),
    ...(p.stateTotal ? [['monday']] : []),
  ].map((set) => `(${set.join(', ')})`);
  // GROUPING() may only name a grouped column: without the school (grade) sets, school_id (grade) is not one.
  const school = p.bySchool
    ? { columns: 'school_id, GROUPING(school_id) AS all_schools', total: ['GROUPING(school_id) = 1'] }
    : { columns: 'NULL::uuid AS school_id, 1 AS all_schools', total: [] };
  const grade = p.byGrade
    ? { columns: 'grade, GROUPING(grade) AS all_grades', total: ['GROUPING(grade) = 1'] }
    : { columns: 'NULL::text AS grade, 1 AS all_grades', total: [] };
  const total = [...school.total, ...grade.total].join(' AND ') || 'true';
  const text = `
WITH week AS (
  SELECT id, name, m.monday,
    m.monday::timestamp AT TIME ZONE time_zone AS starts_at,
    (m.monday + 7)::timestamp AT TIME ZONE time_zone AS ends_at,
    (SELECT min(d.day)::date FROM generate_series(m.monday, m.monday + 4, interval '1 day') AS d(day)
     WHERE d.day::date <> ALL (closure_dates)
       AND (school_year_start IS NULL OR d.day::date >= school_year_start)
       AND (school_year_end IS NULL OR d.day::date <= school_year_end)) AS first_school_day
  FROM districts
  CROSS JOIN unnest($1::date[]) AS m(monday)
  WHERE $2::uuid IS NULL OR id = $2
),
school_models AS (
  SELECT DISTINCT ON (w.monday, c.school_id) w.monday, c.school_id, c.learning_model
  FROM school_learning_model_changes c
  JOIN week w ON w.id = c.district_id
  WHERE w.monday BETWEEN c.from_date AND c.to_date
  ORDER BY w.monday, c.school_id, c.created_at DESC, c.id DESC
),
enrolled AS (
  SELECT w.monday, w.id AS district_id, w.name AS district_name, s.school_id, coalesce(s.grade, 'unknown') AS grade, s.id AS student_id,
    coalesce(m.learning_model, s.learning_model) AS model,
    coalesce(m.learning_model, s.learning_model) = 'remote' AND w.first_school_day IS NOT NULL
    AND (s.enrolled_on IS NULL OR s.enrolled_on <= w.first_school_day) AND NOT EXISTS (
      SELECT 1 FROM login_events e
      WHERE e.district_id = s.district_id AND e.student_id = s.id AND e.event = 'login_success' AND e.occurred_at >= w.starts_at AND e.occurred_at < w.ends_at
    ) AS not_connected
  FROM week w
  -- Students in key order, so that consecutive login probes read neighbouring pages of the success
  -- index: in physical order, a 500,000-student district's probes read a page from outside shared
  -- buffers for most students (bench/RESULTS.md, city notes).
  LEFT JOIN (
    SELECT x.district_id, x.id, x.school_id, x.grade, x.learning_model, x.enrolled_on FROM students x
    WHERE x.enrollment_status = 'active'${p.schoolIds ? ' AND x.school_id = ANY($3::uuid[])' : ''}
    ORDER BY x.district_id, x.id
  ) s ON s.district_id = w.id
  LEFT JOIN school_models m ON m.monday = w.monday AND m.school_id = s.school_id
),
counted AS (
  SELECT monday, district_id, ${school.columns}, ${grade.columns}, GROUPING(district_id) AS all_districts,
    max(district_name) AS district_name,
    count(student_id)::int AS enrollment,
    count(*) FILTER (WHERE model = 'in_person')::int AS in_person,
    count(*) FILTER (WHERE model = 'hybrid')::int AS hybrid,
    count(*) FILTER (WHERE model = 'remote')::int AS remote,
    count(*) FILTER (WHERE not_connected)::int AS remote_not_connected
  FROM enrolled
  GROUP BY GROUPING SETS (${sets.join(', ')})
  HAVING count(student_id) > 0 OR (${total})
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
