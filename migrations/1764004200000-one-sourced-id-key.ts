import type { MigrationInterface, QueryRunner } from 'typeorm';
import { build, dropInvalid } from './1764002400000-state-lookups.js';

/**
 * Students' sourcedId had two indexes: the unique key (district_id, sourced_id) INCLUDE (id), and
 * (sourced_id, district_id) for state-wide callers (StateLookups). One unique key led by the sourcedId
 * serves both (district_id = $1 is its second equality, ON CONFLICT (district_id, sourced_id) infers it
 * whatever the column order, the imports' probes stay index-only), and every new student is written
 * into one index fewer (issue #17). The constraint keeps its name (the API's duplicate_sourced_id).
 * Built CONCURRENTLY as in StateLookups (same rerun rules); the swap of the constraint is one short
 * ALTER TABLE.
 */
export class OneSourcedIdKey1764004200000 implements MigrationInterface {
  name = 'OneSourcedIdKey1764004200000';
  transaction = false;

  async up(q: QueryRunner): Promise<void> {
    await swapKey(q, 'students_sourced_id_district_key', '(sourced_id, district_id)');
    await q.query(`DROP INDEX CONCURRENTLY IF EXISTS students_sourced_id_lookup_idx`);
  }

  async down(q: QueryRunner): Promise<void> {
    await build(q, 'students_sourced_id_lookup_idx', 'students (sourced_id, district_id)');
    await swapKey(q, 'students_district_sourced_id_new', '(district_id, sourced_id)');
  }
}

/** Builds the unique index `name` on `columns` INCLUDE (id) and makes it students_district_sourced_id_key, dropping the old one. */
async function swapKey(q: QueryRunner, name: string, columns: string): Promise<void> {
  await dropInvalid(q, name);
  await q.query(`CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS ${name} ON students ${columns} INCLUDE (id)`);
  await q.query(`
    ALTER TABLE students DROP CONSTRAINT students_district_sourced_id_key,
      ADD CONSTRAINT students_district_sourced_id_key UNIQUE USING INDEX ${name}`);
}
