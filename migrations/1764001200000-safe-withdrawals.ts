import type { MigrationInterface, QueryRunner } from 'typeorm';

const STATUSES = ['queued', 'running', 'completed', 'failed'];
const statusCheck = (values: string[]): string => `CHECK (status IN (${values.map((v) => `'${v}'`).join(',')}))`;

/**
 * Imports that write nothing, or wait before withdrawing students, and carriers' exports named by the district:
 * - imports.dry_run: the import reports what it would do; the district's tables are left as they were;
 * - imports.status `needs_confirmation`: a bulk roster that would withdraw more than the district's
 *   share of its active students waits for an admin (districts.roster_withdrawal_limit_percent, default 5);
 * - import_withdrawals: the students a bulk roster withdraws (or would, for a dry run or one awaiting confirmation);
 * - import_mappings: a district's own column names for a kind of file (our field → their header).
 */
export class SafeWithdrawals1764001200000 implements MigrationInterface {
  name = 'SafeWithdrawals1764001200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE imports
        DROP CONSTRAINT imports_status_check,
        ADD CONSTRAINT imports_status_check ${statusCheck([...STATUSES, 'needs_confirmation'])},
        ADD COLUMN dry_run boolean NOT NULL DEFAULT false`);
    await q.query(`
      ALTER TABLE districts
        ADD COLUMN roster_withdrawal_limit_percent numeric(5,2) NOT NULL DEFAULT 5
          CONSTRAINT districts_roster_withdrawal_limit_check CHECK (roster_withdrawal_limit_percent BETWEEN 0 AND 100)`);
    await q.query(`
      CREATE TABLE import_withdrawals (
        import_id uuid NOT NULL REFERENCES imports(id) ON DELETE CASCADE,
        student_id uuid NOT NULL REFERENCES students(id),
        PRIMARY KEY (import_id, student_id)
      )`);
    await q.query(`
      CREATE TABLE import_mappings (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        district_id uuid NOT NULL REFERENCES districts(id),
        kind text NOT NULL,
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
        -- { "usedGb": "Data (GB)", "phoneNumber": "Line" }: our field -> the district's header.
        columns jsonb NOT NULL CHECK (jsonb_typeof(columns) = 'object'),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT import_mappings_name_key UNIQUE (district_id, kind, name)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE import_mappings`);
    await q.query(`DROP TABLE import_withdrawals`);
    await q.query(`ALTER TABLE districts DROP COLUMN roster_withdrawal_limit_percent`);
    await q.query(`UPDATE imports SET status = 'failed', finished_at = now() WHERE status = 'needs_confirmation'`);
    await q.query(
      `ALTER TABLE imports DROP COLUMN dry_run, DROP CONSTRAINT imports_status_check, ADD CONSTRAINT imports_status_check ${statusCheck(STATUSES)}`,
    );
  }
}
