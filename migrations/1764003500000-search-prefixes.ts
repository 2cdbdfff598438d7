import type { MigrationInterface, QueryRunner } from 'typeorm';
import { build } from './1764002400000-state-lookups.js';

/**
 * The search box's typed names and partial labels (issue #20): the trigram indexes hand back every
 * student of a common family name (12,000 of 500,000 in the city shape), all fetched and sorted for a
 * page of eight. A name typed is a prefix of a family or given name, a partial label the start of a tag
 * or serial: these btree indexes return such matches already in order, so a page reads a page. In the
 * "C" collation so LIKE 'abc%' is a range scan; district_id after the text, so one index serves a
 * district and a state-wide caller. The IMEI gets the state lookups' shape too ((imei, district_id)):
 * a scanned label probes it for every caller, and the unique (district_id, imei) index cannot answer
 * one without a district. Built CONCURRENTLY like the state lookups (same rerun rules).
 */
export class SearchPrefixes1764003500000 implements MigrationInterface {
  name = 'SearchPrefixes1764003500000';
  transaction = false;

  async up(q: QueryRunner): Promise<void> {
    await build(
      q,
      'students_family_prefix_idx',
      `students ((lower(family_name) COLLATE "C"), (lower(given_name) COLLATE "C"), district_id, id)`,
    );
    await build(
      q,
      'students_given_prefix_idx',
      `students ((lower(given_name) COLLATE "C"), (lower(family_name) COLLATE "C"), district_id, id)`,
    );
    await build(q, 'devices_tag_prefix_idx', `devices ((lower(asset_tag) COLLATE "C"), district_id, id) WHERE asset_tag IS NOT NULL`);
    await build(q, 'devices_serial_prefix_idx', `devices ((lower(serial_number) COLLATE "C"), district_id, id)`);
    await build(q, 'devices_imei_lookup_idx', 'devices (imei, district_id) WHERE imei IS NOT NULL');
    await q.query(`ANALYZE devices`);
    await q.query(`ANALYZE students`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const name of [
      'devices_imei_lookup_idx',
      'devices_serial_prefix_idx',
      'devices_tag_prefix_idx',
      'students_given_prefix_idx',
      'students_family_prefix_idx',
    ]) {
      await q.query(`DROP INDEX CONCURRENTLY IF EXISTS ${name}`);
    }
  }
}
