import type { EntityManager } from 'typeorm';
import { AuditWriter, type AuditAuthor } from '../audit/audit-writer.js';
import type { BulkStage, StageColumn } from '../database/bulk-stage.js';
import { q, run } from '../database/sql.js';

/*
 * Schools staged from a roster, written set-based with their audit rows. The roster import calls these
 * after its own checks; staged rows with a recorded error are left alone.
 */

/** The staged columns these statements read (after `line`). */
export const ROSTER_SCHOOL_COLUMNS = [
  { name: 'sourced_id', type: 'text' },
  { name: 'name', type: 'text' },
  { name: 'code', type: 'text' },
] as const satisfies readonly StageColumn[];

/** The district whose schools a batch writes, and who its audit rows name. */
export interface SchoolsBatch {
  districtId: string;
  author: AuditAuthor;
}

/** A school entered by hand before the roster arrived is adopted by its code rather than duplicated. */
export async function adoptRosterSchools(em: EntityManager, stage: BulkStage, { districtId, author }: SchoolsBatch): Promise<number> {
  const result = await run<{ n: number }>(
    em,
    q`WITH adopted AS (
       UPDATE schools s SET sourced_id = st.sourced_id, name = st.name, updated_at = now()
       FROM ${stage.rows} st
       WHERE ${stage.goodRows} AND s.district_id = ${districtId} AND s.sourced_id IS NULL AND s.code = st.code
         AND NOT EXISTS (SELECT 1 FROM schools x WHERE x.district_id = ${districtId} AND x.sourced_id = st.sourced_id)
       RETURNING s.id, s.sourced_id, s.name, s.code
     ), audit AS (
       ${AuditWriter.insertFrom(
         author,
         {
           districtId: q`${districtId}::uuid`,
           entityType: 'school',
           entityId: 'a.id::text',
           action: { literal: 'update' },
           after: `jsonb_build_object('id', a.id, 'sourcedId', a.sourced_id, 'name', a.name, 'code', a.code)`,
         },
         q`FROM adopted a`,
       )}
     )
     SELECT count(*)::int AS n FROM adopted`,
  );
  return result.rows[0].n;
}

/** Creates the roster's new schools and updates the changed ones, keyed by sourcedId. */
export async function upsertRosterSchools(
  em: EntityManager,
  stage: BulkStage,
  { districtId, author }: SchoolsBatch,
): Promise<{ created: number; updated: number }> {
  const result = await run<{ created: number; updated: number }>(
    em,
    q`WITH old AS (
       SELECT s.id, jsonb_build_object('name', s.name, 'code', s.code) AS before
       FROM schools s JOIN ${stage.rows} st ON s.district_id = ${districtId} AND s.sourced_id = st.sourced_id
     ), up AS (
       INSERT INTO schools AS s (district_id, sourced_id, name, code)
       SELECT ${districtId}, st.sourced_id, st.name, st.code FROM ${stage.rows} st WHERE ${stage.goodRows}
       ON CONFLICT (district_id, sourced_id) DO UPDATE SET name = EXCLUDED.name, code = EXCLUDED.code, updated_at = now()
       WHERE (s.name, s.code) IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.code)
       RETURNING s.id, (xmax = 0) AS created, s.sourced_id, s.name, s.code
     ), audit AS (
       ${AuditWriter.insertFrom(
         author,
         {
           districtId: q`${districtId}::uuid`,
           entityType: 'school',
           entityId: 'up.id::text',
           action: `CASE WHEN up.created THEN 'create' ELSE 'update' END`,
           before: 'old.before',
           after: `jsonb_build_object('id', up.id, 'sourcedId', up.sourced_id, 'name', up.name, 'code', up.code)`,
         },
         q`FROM up LEFT JOIN old ON old.id = up.id`,
       )}
     )
     SELECT count(*) FILTER (WHERE created)::int AS created, count(*) FILTER (WHERE NOT created)::int AS updated FROM up`,
  );
  return result.rows[0];
}
