import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * import_enrollment_dates keyed by student: a OneRoster import now reads enrollments.csv before users.csv,
 * so that the students users.csv creates get their enrolment date in the insert that creates them. The
 * date was set when the import ended, by an UPDATE of every student of a district's first roster: a new
 * version of each row in every index of students, 14.9 s of the city's 42.7 s (bench/RESULTS.md, issue #17).
 * A row per (import, student) holds the earliest date the committed batches found; users.csv probes it by key.
 * The rows of imports running across this migration are dropped: those imports keep today's date.
 */
export class EnrolmentDatesByStudent1764004000000 implements MigrationInterface {
  name = 'EnrolmentDatesByStudent1764004000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE import_enrollment_dates`);
    await q.query(`
      CREATE TABLE import_enrollment_dates (
        import_id uuid NOT NULL REFERENCES imports(id) ON DELETE CASCADE,
        sourced_id text NOT NULL,
        begin_date date NOT NULL,
        PRIMARY KEY (import_id, sourced_id)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE import_enrollment_dates`);
    await q.query(`
      CREATE TABLE import_enrollment_dates (
        import_id uuid NOT NULL REFERENCES imports(id) ON DELETE CASCADE,
        sourced_ids text[] NOT NULL,
        begin_dates date[] NOT NULL
      )`);
    await q.query(`CREATE INDEX import_enrollment_dates_import_idx ON import_enrollment_dates (import_id)`);
  }
}
