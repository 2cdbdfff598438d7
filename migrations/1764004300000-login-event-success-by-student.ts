import type { MigrationInterface, QueryRunner } from 'typeorm';
import { build } from './1764002400000-state-lookups.js';

const SUCCESS = `WHERE event = 'login_success'`;

/**
 * login_events_success_idx without district_id: (student_id, occurred_at) of successes. A student's id is
 * unique and names its district (the statement triggers of migration 1764000600000 check it), so the
 * district told the weekly report's probe nothing, and its 16 bytes made every entry a third larger. A
 * batch inserts at random all over the week's part of this index (student ids are random): a smaller
 * index means fewer pages read, dirtied and logged as full-page images per batch (issue #17, city shape).
 *
 * A partitioned index cannot be built CONCURRENTLY: the new one is made on the table alone (invalid),
 * each partition's index is built CONCURRENTLY (plainly when the partition is empty) and attached,
 * which makes the parent valid; then the old index is dropped and the new one takes its name. Every
 * step can run again after an interruption. Revert with `--transaction none`, as StateLookups.
 */
export class LoginEventSuccessByStudent1764004300000 implements MigrationInterface {
  name = 'LoginEventSuccessByStudent1764004300000';
  transaction = false;

  async up(q: QueryRunner): Promise<void> {
    await replaceSuccessIndex(q, 'student_id, occurred_at', 'by_student');
  }

  async down(q: QueryRunner): Promise<void> {
    await replaceSuccessIndex(q, 'district_id, student_id, occurred_at', 'by_district');
  }
}

/** Rebuilds login_events_success_idx on `columns`; `tag` names the partitions' indexes (`<partition>_success_<tag>`). */
async function replaceSuccessIndex(q: QueryRunner, columns: string, tag: string): Promise<void> {
  const [current] = (await q.query(`SELECT pg_get_indexdef(to_regclass('login_events_success_idx')) AS definition`)) as {
    definition: string | null;
  }[];
  if (current?.definition?.includes(`USING btree (${columns}) WHERE`)) {
    await q.query(`DROP INDEX IF EXISTS login_events_success_next_idx`);
    return;
  }
  await q.query(`CREATE INDEX IF NOT EXISTS login_events_success_next_idx ON ONLY login_events (${columns}) ${SUCCESS}`);
  // Partitions whose index is not attached yet (one created meanwhile got its own with the table).
  const parts = (await q.query(
    `SELECT c.relname AS name, pg_relation_size(c.oid) = 0 AS empty
     FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
     WHERE i.inhparent = 'login_events'::regclass
       AND NOT EXISTS (SELECT 1 FROM pg_inherits ii JOIN pg_index x ON x.indexrelid = ii.inhrelid
                       WHERE ii.inhparent = 'login_events_success_next_idx'::regclass AND x.indrelid = c.oid)
     ORDER BY 1`,
  )) as { name: string; empty: boolean }[];
  for (const { name, empty } of parts) {
    const index = `${name}_success_${tag}`;
    if (empty) {
      // An empty partition's index builds at once: no need to wait out other transactions as CONCURRENTLY does.
      await q.query(`DROP INDEX IF EXISTS ${index}`);
      await q.query(`CREATE INDEX ${index} ON ${name} (${columns}) ${SUCCESS}`);
    } else await build(q, index, `${name} (${columns}) ${SUCCESS}`);
    await q.query(`ALTER INDEX login_events_success_next_idx ATTACH PARTITION ${index}`);
  }
  await q.startTransaction();
  try {
    await q.query(`DROP INDEX IF EXISTS login_events_success_idx`);
    await q.query(`ALTER INDEX login_events_success_next_idx RENAME TO login_events_success_idx`);
    await q.commitTransaction();
  } catch (error) {
    await q.rollbackTransaction();
    throw error;
  }
}
