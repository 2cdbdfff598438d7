import type { MigrationInterface, QueryRunner } from 'typeorm';
import { build } from './1764002400000-state-lookups.js';

/**
 * The students list is ordered by district, then name, for every caller (issue #17): a state-wide list now
 * walks students_list_idx (district_id, family_name, given_name, id) as a district's does, so
 * students_name_idx (family_name, given_name, id), which served only the state-wide first page, goes. It
 * was the dearest btree a roster writes: BD001's 500,000-student roster took 36.1 s with it and 31.4 s
 * without it (median of 4 alternated runs; bench/RESULTS.md, 6 December). Same rerun rules as StateLookups.
 */
export class StudentsListByDistrict1764004500000 implements MigrationInterface {
  name = 'StudentsListByDistrict1764004500000';
  transaction = false;

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX CONCURRENTLY IF EXISTS students_name_idx`);
  }

  async down(q: QueryRunner): Promise<void> {
    await build(q, 'students_name_idx', 'students (family_name, given_name, id)');
  }
}
