import type { MigrationInterface, QueryRunner } from 'typeorm';
import { build } from './1764002400000-state-lookups.js';

/**
 * Custody changes only a device's status, condition, holder_unknown, version and updated_at (issue #17).
 * PostgreSQL 15 updates a row in place (HOT: no index entry written) when no indexed column changes and
 * the page has room; `status` was the one such column, in devices_pool_idx, so every issue and return
 * wrote a new entry into each of the table's 14 indexes. The pool index gives way to devices_spare_idx
 * (district_id, school_id, kind, asset_tag, id): lockSpare's ORDER BY read from one school's range, the
 * spare counts filtered on the heap rows of that range. Nothing may index status (nor use it in a
 * partial index's predicate) without undoing this.
 *
 * The fillfactor keeps room on each page for the new versions of its rows: half, because a distribution
 * day changes every row of a page in one statement (a school's devices are recorded, and scanned, together),
 * and the old versions stay until that transaction ends; at 90 only about one row in nine of such a page
 * stayed HOT (bench/replays/custody-hot.sql). The price is a heap twice as long for sequential reads of
 * devices (exports, reports). It applies to pages written from now on: an existing district's devices stay on full pages, where an issue moves the row to a page
 * with room (a normal, non-HOT update) once, after which it is HOT; `VACUUM FULL devices` (or
 * pg_repack) in a quiet hour re-packs them all at once. Built CONCURRENTLY as in StateLookups.
 */
const FILLFACTOR = 50;

export class HotCustody1764003200000 implements MigrationInterface {
  name = 'HotCustody1764003200000';
  transaction = false;

  async up(q: QueryRunner): Promise<void> {
    await build(q, 'devices_spare_idx', 'devices (district_id, school_id, kind, asset_tag, id)');
    await q.query(`DROP INDEX CONCURRENTLY IF EXISTS devices_pool_idx`);
    await q.query(`ALTER TABLE devices SET (fillfactor = ${FILLFACTOR})`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE devices RESET (fillfactor)`);
    await build(q, 'devices_pool_idx', 'devices (district_id, school_id, kind, status)');
    await q.query(`DROP INDEX CONCURRENTLY IF EXISTS devices_spare_idx`);
  }
}
