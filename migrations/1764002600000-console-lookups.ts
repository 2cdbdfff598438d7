import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What the console's pages read: a device's repairs (newest first) and the search box's partial asset
 * tag or serial number (trigram, like students_search_idx). Exact tag and serial lookups keep their
 * (district_id, lower(...)) indexes.
 */
export class ConsoleLookups1764002600000 implements MigrationInterface {
  name = 'ConsoleLookups1764002600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX repairs_device_idx ON repairs (device_id, opened_at DESC, id DESC)`);
    await q.query(`
      CREATE INDEX devices_search_idx ON devices USING gin (
        (coalesce(asset_tag, '') || ' ' || serial_number) gin_trgm_ops
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX devices_search_idx`);
    await q.query(`DROP INDEX repairs_device_idx`);
  }
}
