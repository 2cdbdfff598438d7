import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Imports that lose nothing without saying so:
 * - imports.warnings: what the header check found harmless (unknown, extension or unused columns),
 *   listed on the import; imports.input_format: csv, json or zip, so that row errors of JSON input name
 *   the item, of CSV the line;
 * - import_roster_roles: the student roles of a OneRoster 1.2 roles.csv (which moved role and org out of
 *   users.csv), kept until the import ends so that users.csv, read after it, finds each student's schools.
 */
export class ImportEncodingsRoster121764001000000 implements MigrationInterface {
  name = 'ImportEncodingsRoster121764001000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE imports
        ADD COLUMN warnings jsonb NOT NULL DEFAULT '[]',
        ADD COLUMN input_format text CHECK (input_format IN ('csv','json','zip'))`);
    await q.query(`
      CREATE TABLE import_roster_roles (
        import_id uuid NOT NULL REFERENCES imports(id) ON DELETE CASCADE,
        user_sourced_id text NOT NULL,
        org_sourced_id text NOT NULL,
        is_primary boolean NOT NULL,
        line integer NOT NULL
      )`);
    await q.query(`CREATE INDEX import_roster_roles_user_idx ON import_roster_roles (import_id, user_sourced_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE import_roster_roles`);
    await q.query(`ALTER TABLE imports DROP COLUMN input_format, DROP COLUMN warnings`);
  }
}
