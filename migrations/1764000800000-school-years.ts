import type { MigrationInterface, QueryRunner } from 'typeorm';

const RESOLUTIONS = ['reconnected', 'withdrawn', 'not_remote'];
const resolutionCheck = (values: string[]): string => `CHECK (resolution IN (${values.map((v) => `'${v}'`).join(',')}))`;

/**
 * School years and enrolment dates, so that a gap counts only school days a student was expected online:
 * - districts.school_year_start / school_year_end: the current school year's first and last day (both or
 *   neither; unset: no bound, every day counts as in session);
 * - students.enrolled_on: the day the student was expected from (the roster's enrolment begin date, else
 *   the day they were created or re-activated); NULL for students that predate it: counted from the
 *   school year's first day;
 * - gaps close with `school_year_ended` (the year is over) or `re_enrolled` (re-activated: the count restarts);
 * - tickets name their device (the column exists since the connectivity migration): indexed for the filter;
 * - import_enrollment_dates: each batch's earliest current enrolment per student of a OneRoster
 *   enrollments.csv, applied once when the import ends.
 */
export class SchoolYears1764000800000 implements MigrationInterface {
  name = 'SchoolYears1764000800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE districts
        ADD COLUMN school_year_start date,
        ADD COLUMN school_year_end date,
        ADD CONSTRAINT districts_school_year_check CHECK (
          (school_year_start IS NULL) = (school_year_end IS NULL) AND (school_year_start IS NULL OR school_year_start < school_year_end))`);
    await q.query(`ALTER TABLE students ADD COLUMN enrolled_on date`);
    await q.query(
      `ALTER TABLE gaps DROP CONSTRAINT gaps_resolution_check, ADD CONSTRAINT gaps_resolution_check ${resolutionCheck([...RESOLUTIONS, 'school_year_ended', 're_enrolled'])}`,
    );
    await q.query(`CREATE INDEX tickets_device_idx ON tickets (device_id, opened_at, id) WHERE device_id IS NOT NULL`);
    await q.query(`
      CREATE TABLE import_enrollment_dates (
        import_id uuid NOT NULL REFERENCES imports(id) ON DELETE CASCADE,
        sourced_ids text[] NOT NULL,
        begin_dates date[] NOT NULL
      )`);
    await q.query(`CREATE INDEX import_enrollment_dates_import_idx ON import_enrollment_dates (import_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE import_enrollment_dates`);
    await q.query(`DROP INDEX tickets_device_idx`);
    await q.query(
      `UPDATE gaps SET resolution = CASE resolution WHEN 're_enrolled' THEN 'withdrawn' ELSE 'not_remote' END WHERE resolution IN ('school_year_ended','re_enrolled')`,
    );
    await q.query(
      `ALTER TABLE gaps DROP CONSTRAINT gaps_resolution_check, ADD CONSTRAINT gaps_resolution_check ${resolutionCheck(RESOLUTIONS)}`,
    );
    await q.query(`ALTER TABLE students DROP COLUMN enrolled_on`);
    await q.query(
      `ALTER TABLE districts DROP CONSTRAINT districts_school_year_check, DROP COLUMN school_year_start, DROP COLUMN school_year_end`,
    );
  }
}
