import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * State-wide callers (no district) look up and list through indexes too (issue #20): an index that
 * leads with district_id cannot answer "asset tag X in any district", so the planner walked the table
 * in id order. Lookup indexes now lead with the looked-up value and end with district_id, which
 * serves both callers (district_id = $1 is the second equality); they replace the district-first
 * ones instead of joining them, so imports keep the same number of indexes to write. Lists get an
 * index in their keyset order without district_id beside the district one.
 *
 * Built CONCURRENTLY, outside a transaction, so a live state database keeps taking writes while
 * devices and students are indexed. An interrupted build leaves an invalid index: it is dropped and
 * built again when the migration runs again, and every step is IF [NOT] EXISTS so a rerun finishes.
 * TypeORM's revert opens a transaction whatever `transaction` says: revert this one with
 * `typeorm migration:revert -d dist/src/database/data-source.js --transaction none`.
 */
export class StateLookups1764002400000 implements MigrationInterface {
  name = 'StateLookups1764002400000';
  transaction = false;

  async up(q: QueryRunner): Promise<void> {
    await build(q, 'devices_asset_tag_lookup_idx', 'devices (lower(asset_tag), district_id)');
    await build(q, 'devices_serial_lookup_idx', 'devices (lower(serial_number), district_id)');
    await build(q, 'students_sourced_id_lookup_idx', 'students (sourced_id, district_id)');
    await build(q, 'students_email_lookup_idx', 'students (lower(email), district_id) WHERE email IS NOT NULL');
    await build(q, 'students_identifier_lookup_idx', 'students (identifier, district_id) WHERE identifier IS NOT NULL');
    await build(q, 'students_name_idx', 'students (family_name, given_name, id)');
    await build(q, 'tickets_state_queue_age_idx', `tickets (opened_at, id) WHERE status IN ('open','in_progress','waiting')`);
    await build(
      q,
      'tickets_state_queue_priority_idx',
      `tickets (priority, opened_at, id) WHERE status IN ('open','in_progress','waiting')`,
    );
    await build(q, 'tickets_opened_idx', 'tickets (opened_at, id)');
    await build(q, 'assignments_list_idx', 'assignments (started_at DESC, id DESC)');
    await build(q, 'assignments_district_list_idx', 'assignments (district_id, started_at DESC, id DESC)');
    await build(q, 'kits_list_idx', 'kits (issued_at DESC, id DESC)');
    await build(q, 'kits_district_list_idx', 'kits (district_id, issued_at DESC, id DESC)');
    await build(q, 'gap_scans_list_idx', 'gap_scans (created_at DESC, id DESC)');
    for (const name of ['devices_asset_tag_lower_idx', 'devices_serial_lower_idx', 'students_email_idx', 'students_identifier_idx']) {
      await q.query(`DROP INDEX CONCURRENTLY IF EXISTS ${name}`);
    }
    // The planner needs the new expressions' statistics to see that a lookup finds a row or two.
    await q.query(`ANALYZE devices`);
    await q.query(`ANALYZE students`);
  }

  async down(q: QueryRunner): Promise<void> {
    await build(q, 'devices_asset_tag_lower_idx', 'devices (district_id, lower(asset_tag))');
    await build(q, 'devices_serial_lower_idx', 'devices (district_id, lower(serial_number))');
    await build(q, 'students_email_idx', 'students (district_id, lower(email)) WHERE email IS NOT NULL');
    await build(q, 'students_identifier_idx', 'students (district_id, identifier) WHERE identifier IS NOT NULL');
    for (const name of [
      'gap_scans_list_idx',
      'kits_district_list_idx',
      'kits_list_idx',
      'assignments_district_list_idx',
      'assignments_list_idx',
      'tickets_opened_idx',
      'tickets_state_queue_priority_idx',
      'tickets_state_queue_age_idx',
      'students_name_idx',
      'students_identifier_lookup_idx',
      'students_email_lookup_idx',
      'students_sourced_id_lookup_idx',
      'devices_serial_lookup_idx',
      'devices_asset_tag_lookup_idx',
    ]) {
      await q.query(`DROP INDEX CONCURRENTLY IF EXISTS ${name}`);
    }
  }
}

/** CREATE INDEX CONCURRENTLY that can be run again: a left-over invalid build of the same name goes first (later migrations use it too). */
export async function build(q: QueryRunner, name: string, definition: string): Promise<void> {
  await dropInvalid(q, name);
  await q.query(`CREATE INDEX CONCURRENTLY IF NOT EXISTS ${name} ON ${definition}`);
}

/** Drops index `name` if an interrupted CONCURRENTLY build left it invalid, so that the build can run again. */
export async function dropInvalid(q: QueryRunner, name: string): Promise<void> {
  const rows = (await q.query(
    `SELECT NOT i.indisvalid AS invalid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
     WHERE c.relname = $1 AND c.relnamespace = current_schema()::regnamespace`,
    [name],
  )) as { invalid: boolean }[];
  if (rows[0]?.invalid) await q.query(`DROP INDEX CONCURRENTLY ${name}`);
}
