import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The tables of SafeRetriesVersions1764001400000, whose records carry a version every UPDATE moves on. */
const VERSIONED = ['districts', 'schools', 'students', 'devices', 'tickets', 'kits'];

/**
 * The version trigger runs its function only for a row whose new version is not already its old one
 * plus one: a bulk statement that moves the version itself (the end of a login import, which writes
 * last_login_at of half a million students) is spared a PL/pgSQL call per row. Every row still ends
 * with version = old version + 1, whoever wrote it.
 */
export class VersionBumpWhenNeeded1764004400000 implements MigrationInterface {
  name = 'VersionBumpWhenNeeded1764004400000';

  async up(q: QueryRunner): Promise<void> {
    for (const table of VERSIONED) {
      await q.query(`
        CREATE OR REPLACE TRIGGER ${table}_bump_version BEFORE UPDATE ON ${table}
        FOR EACH ROW WHEN (NEW.version IS DISTINCT FROM OLD.version + 1) EXECUTE FUNCTION bump_version()`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of VERSIONED) {
      await q.query(
        `CREATE OR REPLACE TRIGGER ${table}_bump_version BEFORE UPDATE ON ${table} FOR EACH ROW EXECUTE FUNCTION bump_version()`,
      );
    }
  }
}
