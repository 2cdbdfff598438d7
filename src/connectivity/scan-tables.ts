import type { EntityManager } from 'typeorm';
import { q, run } from '../database/sql.js';
import { TempTable } from '../database/temp-table.js';

/**
 * scan_population (student_id, last_login_at, enrolled_on): who is expected online on the scan's day,
 * and since when (NULL: no enrolment date).
 */
export type ScanPopulation = TempTable<'scan_population'>;
/** subjects (student_id): the students an equipment verdict is for. */
export type Subjects = TempTable<'subjects'>;

/**
 * Who is expected online on `asOf`: active students, remote or hybrid that day (school-wide changes
 * win). Indexed and analysed, since the scan's statements join it against whole districts.
 */
export async function createScanPopulation(
  em: EntityManager,
  districtId: string,
  asOf: string,
): Promise<{ table: ScanPopulation; rows: number }> {
  const population = await TempTable.as(
    em,
    'scan_population',
    q`WITH changes AS (
       SELECT DISTINCT ON (school_id) school_id, learning_model
       FROM school_learning_model_changes
       WHERE district_id = ${districtId} AND ${asOf}::date BETWEEN from_date AND to_date
       ORDER BY school_id, created_at DESC
     )
     SELECT s.id AS student_id, s.last_login_at, s.enrolled_on
     FROM students s LEFT JOIN changes c ON c.school_id = s.school_id
     WHERE s.district_id = ${districtId} AND s.enrollment_status = 'active'
       AND coalesce(c.learning_model, s.learning_model) IN ('remote','hybrid')`,
  );
  await run(em, q`CREATE UNIQUE INDEX ON ${population.table.ref} (student_id)`);
  await run(em, q`ANALYZE ${population.table.ref}`);
  return population;
}

/** The population's students with an open gap in the district. */
export async function subjectsWithOpenGaps(em: EntityManager, districtId: string, population: ScanPopulation): Promise<Subjects> {
  const subjects = await TempTable.as(
    em,
    'subjects',
    q`SELECT g.student_id FROM gaps g JOIN ${population.ref} p ON p.student_id = g.student_id
       WHERE g.district_id = ${districtId} AND g.closed_at IS NULL`,
  );
  return subjects.table;
}

/** A school's active students. */
export async function subjectsOfSchool(em: EntityManager, schoolId: string): Promise<Subjects> {
  const subjects = await TempTable.as(
    em,
    'subjects',
    q`SELECT id AS student_id FROM students WHERE school_id = ${schoolId} AND enrollment_status = 'active'`,
  );
  return subjects.table;
}
