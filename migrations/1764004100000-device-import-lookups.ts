import type { MigrationInterface, QueryRunner } from 'typeorm';
import { build } from './1764002400000-state-lookups.js';

/**
 * Device imports (issue #17):
 * - a device list names a school by code or by name (Snipe-IT's Location is a name): the name is found
 *   by key, not by reading every school of the district for each school a batch names;
 * - devices_list_idx (district_id, id) repeated devices_district_id_id_key, the unique constraint on
 *   the same columns: every new device was written into both. The list reads the constraint's index.
 * Built and dropped CONCURRENTLY as in StateLookups.
 */
export class DeviceImportLookups1764004100000 implements MigrationInterface {
  name = 'DeviceImportLookups1764004100000';
  transaction = false;

  async up(q: QueryRunner): Promise<void> {
    await build(q, 'schools_name_lookup_idx', 'schools (district_id, lower(name), id)');
    await q.query(`DROP INDEX CONCURRENTLY IF EXISTS devices_list_idx`);
  }

  async down(q: QueryRunner): Promise<void> {
    await build(q, 'devices_list_idx', 'devices (district_id, id)');
    await q.query(`DROP INDEX CONCURRENTLY IF EXISTS schools_name_lookup_idx`);
  }
}
