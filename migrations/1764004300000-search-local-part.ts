import type { MigrationInterface, QueryRunner } from 'typeorm';
import { build, dropInvalid } from './1764002400000-state-lookups.js';

const WITH_LOCAL_PART = `(given_name || ' ' || family_name || ' ' || coalesce(identifier, '') || ' ' || coalesce(split_part(email, '@', 1), ''))`;
const WITH_EMAIL = `(given_name || ' ' || family_name || ' ' || coalesce(identifier, '') || ' ' || coalesce(email, ''))`;

/**
 * students_search_idx indexes the e-mail's local part instead of the whole address (issue #17): every
 * student of a district shares its domain, so its trigrams were in every student's entry, found everyone
 * and cost a 500,000-student roster import about 3 s of index maintenance. Text with an '@' is matched on
 * the e-mail itself (students.repository.ts, `textInside`); text inside a domain alone is no longer
 * found. The expression must stay SEARCH_TEXT's. Built CONCURRENTLY under a new name, then swapped in
 * (same rerun rules as StateLookups).
 */
export class SearchLocalPart1764004300000 implements MigrationInterface {
  name = 'SearchLocalPart1764004300000';
  transaction = false;

  async up(q: QueryRunner): Promise<void> {
    await swap(q, WITH_LOCAL_PART);
  }

  async down(q: QueryRunner): Promise<void> {
    await swap(q, WITH_EMAIL);
  }
}

/** Builds the trigram index of `expression` as students_search_new and makes it students_search_idx. */
async function swap(q: QueryRunner, expression: string): Promise<void> {
  await build(q, 'students_search_new', `students USING gin (${expression} gin_trgm_ops)`);
  await dropInvalid(q, 'students_search_idx');
  await q.query(`DROP INDEX CONCURRENTLY IF EXISTS students_search_idx`);
  await q.query(`ALTER INDEX students_search_new RENAME TO students_search_idx`);
}
