import type { EntityManager } from 'typeorm';
import { AuditWriter, type AuditAuthor } from '../audit/audit-writer.js';
import type { BulkStage } from '../database/bulk-stage.js';
import { q, run, type SqlText } from '../database/sql.js';
import { GUARDIAN_RELATIONS } from './student.domain.js';

/*
 * The set-based writers of a roster's family contacts (`guardians`, `student_guardians`), called by the
 * OneRoster import with the users.csv stage (ROSTER_STUDENT_COLUMNS): a row whose `role` is a guardian
 * relation is a guardian, its `agent_ids` the students it is for; a student row's `agent_ids` are its
 * guardians. Each statement audits what it changed, by id, in the same statement; contact details are
 * never written into the audit trail, logs or queue payloads.
 */

export interface GuardiansBatch {
  districtId: string;
  importId: string;
  author: AuditAuthor;
}

const isGuardian = q`st.role = ANY(${[...GUARDIAN_RELATIONS]}::text[])`;

/**
 * Upserts the batch's guardians and links, drops a delta's `tobedeleted` guardians, and takes guardian
 * rows off the stage. Counts guardians created, updated (contact details changed) and removed.
 */
export async function applyRosterGuardians(
  em: EntityManager,
  stage: BulkStage,
  { districtId, importId, author }: GuardiansBatch,
): Promise<{ created: number; updated: number; removed: number }> {
  const upserted = await run<{ created: number; updated: number }>(
    em,
    q`WITH g AS (
       SELECT st.sourced_id, st.given_name, st.family_name, st.role AS relation, st.email, st.phone, st.sms
       FROM ${stage.rows} st WHERE ${stage.goodRows} AND ${isGuardian} AND st.enrollment_status = 'active'
     ), old AS (
       SELECT x.sourced_id, (x.given_name, x.family_name, x.relation, x.email, x.phone, x.sms)::text AS v
       FROM guardians x JOIN g ON x.district_id = ${districtId} AND x.sourced_id = g.sourced_id
     ), up AS (
       INSERT INTO guardians AS x (district_id, sourced_id, given_name, family_name, relation, email, phone, sms, seen_import_id)
       SELECT ${districtId}, sourced_id, given_name, family_name, relation, email, phone, sms, ${importId} FROM g ORDER BY sourced_id
       ON CONFLICT (district_id, sourced_id) DO UPDATE SET
         given_name = EXCLUDED.given_name, family_name = EXCLUDED.family_name, relation = EXCLUDED.relation,
         email = EXCLUDED.email, phone = EXCLUDED.phone, sms = EXCLUDED.sms, seen_import_id = EXCLUDED.seen_import_id,
         updated_at = CASE WHEN (x.given_name, x.family_name, x.relation, x.email, x.phone, x.sms)
                                IS DISTINCT FROM (EXCLUDED.given_name, EXCLUDED.family_name, EXCLUDED.relation, EXCLUDED.email, EXCLUDED.phone, EXCLUDED.sms)
                           THEN now() ELSE x.updated_at END
       RETURNING x.id, x.sourced_id, (x.given_name, x.family_name, x.relation, x.email, x.phone, x.sms)::text AS v
     ), changed AS (
       SELECT up.id, old.sourced_id IS NULL AS created FROM up LEFT JOIN old ON old.sourced_id = up.sourced_id
       WHERE old.v IS DISTINCT FROM up.v
     ), audited AS (
       ${AuditWriter.insertFrom(
         author,
         {
           districtId: q`${districtId}::uuid`,
           entityType: 'guardian',
           entityId: q`${author.requestId}::text || '#guardians'`,
           action: { literal: 'import' },
           after: q`jsonb_build_object('importId', ${importId}::uuid, 'created', count(*) FILTER (WHERE created), 'updated', count(*) FILTER (WHERE NOT created))`,
           entityIds: 'array_agg(id ORDER BY id)',
         },
         q`FROM changed HAVING count(*) > 0`,
       )}
     )
     SELECT count(*) FILTER (WHERE created)::int AS created, count(*) FILTER (WHERE NOT created)::int AS updated FROM changed`,
  );
  const links = (side: 'guardian' | 'student'): SqlText =>
    side === 'guardian'
      ? q`SELECT DISTINCT a.id AS student_sourced_id, st.sourced_id AS guardian_sourced_id
          FROM ${stage.rows} st CROSS JOIN LATERAL unnest(string_to_array(st.agent_ids, ',')) AS a(id)
          WHERE ${stage.goodRows} AND ${isGuardian} AND st.enrollment_status = 'active' AND a.id <> ''`
      : q`SELECT DISTINCT st.sourced_id AS student_sourced_id, a.id AS guardian_sourced_id
          FROM ${stage.rows} st CROSS JOIN LATERAL unnest(string_to_array(st.agent_ids, ',')) AS a(id)
          WHERE ${stage.goodRows} AND st.role = 'student' AND a.id <> ''`;
  for (const side of ['guardian', 'student'] as const) {
    await run(
      em,
      q`INSERT INTO student_guardians AS l (district_id, student_sourced_id, guardian_sourced_id, seen_import_id)
       SELECT ${districtId}::uuid, student_sourced_id, guardian_sourced_id, ${importId}::uuid
       FROM (${links(side)}) x
       ON CONFLICT (district_id, student_sourced_id, guardian_sourced_id) DO UPDATE SET seen_import_id = EXCLUDED.seen_import_id
       WHERE l.seen_import_id IS DISTINCT FROM EXCLUDED.seen_import_id`,
    );
  }
  // A delta's tobedeleted guardian goes, with its links.
  const removed = await removeGuardians(
    em,
    { districtId, author },
    q`SELECT st.sourced_id FROM ${stage.rows} st WHERE ${stage.goodRows} AND ${isGuardian} AND st.enrollment_status = 'withdrawn'`,
  );
  await run(em, q`DELETE FROM ${stage.rows} st WHERE ${isGuardian}`);
  return { created: upserted.rows[0]?.created ?? 0, updated: upserted.rows[0]?.updated ?? 0, removed };
}

/** A bulk roster is the whole truth: the district's guardians and links it did not name are forgotten. */
export async function forgetUnnamedGuardians(em: EntityManager, { districtId, importId, author }: GuardiansBatch): Promise<number> {
  await run(em, q`DELETE FROM student_guardians WHERE district_id = ${districtId} AND seen_import_id IS DISTINCT FROM ${importId}::uuid`);
  return removeGuardians(
    em,
    { districtId, author },
    q`SELECT sourced_id FROM guardians WHERE district_id = ${districtId} AND seen_import_id IS DISTINCT FROM ${importId}::uuid`,
  );
}

async function removeGuardians(
  em: EntityManager,
  { districtId, author }: { districtId: string; author: AuditAuthor },
  sourcedIds: SqlText,
): Promise<number> {
  const result = await run<{ removed: number }>(
    em,
    q`WITH gone AS (
       DELETE FROM guardians WHERE district_id = ${districtId} AND sourced_id IN (${sourcedIds}) RETURNING id, sourced_id
     ), unlinked AS (
       DELETE FROM student_guardians l USING gone WHERE l.district_id = ${districtId} AND l.guardian_sourced_id = gone.sourced_id
     ), audited AS (
       ${AuditWriter.insertFrom(
         author,
         {
           districtId: q`${districtId}::uuid`,
           entityType: 'guardian',
           entityId: q`${author.requestId}::text || '#guardians-removed'`,
           action: { literal: 'delete' },
           after: q`jsonb_build_object('removed', count(*))`,
           entityIds: 'array_agg(id ORDER BY id)',
         },
         q`FROM gone HAVING count(*) > 0`,
       )}
     )
     SELECT count(*)::int AS removed FROM gone`,
  );
  return result.rows[0]?.removed ?? 0;
}
