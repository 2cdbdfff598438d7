import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Tables whose records carry a version (the ETag) that every UPDATE moves on. */
const VERSIONED = ['districts', 'schools', 'students', 'devices', 'tickets', 'kits'];

/**
 * Safe retries and no lost updates:
 * - idempotency_keys: one row per (caller, Idempotency-Key) claimed by INSERT … ON CONFLICT before the
 *   work runs, holding a hash of the request and, once the work is done, the answer to replay;
 * - `version` on the mutable records, moved on by a trigger so that every writer (PATCH, imports, custody,
 *   bulk work) makes an older ETag stale without having to remember to.
 */
export class SafeRetriesVersions1764001400000 implements MigrationInterface {
  name = 'SafeRetriesVersions1764001400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE idempotency_keys (
        scope text NOT NULL CHECK (scope ~ '^(token|staff):'),
        key text NOT NULL CHECK (length(key) BETWEEN 1 AND 255),
        fingerprint text NOT NULL CHECK (fingerprint ~ '^[0-9a-f]{64}$'),
        state text NOT NULL CHECK (state IN ('running','done')),
        status_code integer,
        response_headers jsonb,
        response_body jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        PRIMARY KEY (scope, key),
        CHECK ((state = 'done') = (status_code IS NOT NULL))
      )`);
    await q.query(`CREATE INDEX idempotency_keys_expires_at ON idempotency_keys (expires_at)`);
    await q.query(`
      CREATE FUNCTION bump_version() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        NEW.version := OLD.version + 1;
        RETURN NEW;
      END $$`);
    for (const table of VERSIONED) {
      await q.query(`ALTER TABLE ${table} ADD COLUMN version integer NOT NULL DEFAULT 1`);
      await q.query(`CREATE TRIGGER ${table}_bump_version BEFORE UPDATE ON ${table} FOR EACH ROW EXECUTE FUNCTION bump_version()`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of VERSIONED) {
      await q.query(`DROP TRIGGER ${table}_bump_version ON ${table}`);
      await q.query(`ALTER TABLE ${table} DROP COLUMN version`);
    }
    await q.query(`DROP FUNCTION bump_version()`);
    await q.query(`DROP TABLE idempotency_keys`);
  }
}
