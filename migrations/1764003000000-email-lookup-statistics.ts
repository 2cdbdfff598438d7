import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Statistics on lower(email), so the planner sees that a student email names one student. The
 * lookup's index (students_email_lookup_idx) is partial, and PostgreSQL takes no estimates from a
 * partial index's expressions: it guessed 0.5% of the students and, for a state-wide caller, walked
 * students_name_idx in list order filtering every row (most of a state) instead of probing the index.
 */
export class EmailLookupStatistics1764003000000 implements MigrationInterface {
  name = 'EmailLookupStatistics1764003000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE STATISTICS IF NOT EXISTS students_email_lower_stats ON (lower(email)) FROM students`);
    await q.query(`ANALYZE students`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP STATISTICS IF EXISTS students_email_lower_stats`);
  }
}
