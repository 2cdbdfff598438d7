import type { EntityManager } from 'typeorm';
import { AuditWriter, type AuditAuthor } from '../audit/audit-writer.js';
import { q, raw, run } from '../database/sql.js';
import type { TempTable } from '../database/temp-table.js';
import { takeFromStock } from '../devices/device-stock.sql.js';
import { ASSIGNMENT_COLUMNS } from './assignments.repository.js';

/**
 * Holders an import names for devices, one row per device: (line integer, device_id uuid, student_id
 * uuid). The importing module makes it; `issueImportedHolders` reads it.
 */
export type ImportedHolders = TempTable<'imported_holders'>;

export interface ImportedIssue {
  studentId: string;
  kind: string;
  condition: string;
}

/**
 * Custody an asset export records, applied by the custody rules of the API in one statement: only an
 * active student of the district, only a device that may be issued (in stock, or deployed to a holder
 * not yet named: the conditional UPDATE of takeFromStock), and assignments_one_active_per_device
 * behind it. A device the student already holds, or another student holds, is left alone. Each
 * assignment and device move is audited as the single route audits it. Returns the assignments made,
 * with their device's kind and condition (what the tickets module resolves on issue).
 */
export async function issueImportedHolders(
  em: EntityManager,
  holders: ImportedHolders,
  { districtId, author }: { districtId: string; author: AuditAuthor },
): Promise<ImportedIssue[]> {
  const result = await run<ImportedIssue>(
    em,
    q`WITH eligible AS (
       SELECT h.device_id AS "deviceId", h.student_id AS "studentId", 'primary'::text AS kind
       FROM ${holders.ref} h
       JOIN students s ON s.district_id = ${districtId} AND s.id = h.student_id AND s.enrollment_status = 'active'
     ), before AS (
       SELECT d.id, d.kind, d.status, d.condition FROM devices d JOIN eligible e ON d.id = e."deviceId" WHERE d.district_id = ${districtId}
     ), taken AS (
       ${takeFromStock(districtId, raw('eligible'))}
     ), issued AS (
       INSERT INTO assignments AS a (district_id, device_id, student_id, kind, issued_by)
       SELECT ${districtId}, t."deviceId", t."studentId", 'primary', ${author.actor.tokenId}::uuid FROM taken t
       RETURNING ${raw(ASSIGNMENT_COLUMNS)}
     ), device_audit AS (
       ${AuditWriter.insertFrom(
         author,
         {
           districtId: q`${districtId}::uuid`,
           entityType: 'device',
           entityId: 'i."deviceId"::text',
           action: { literal: 'assign' },
           before: `jsonb_build_object('status', b.status, 'condition', b.condition)`,
           after: `jsonb_build_object('status', 'assigned', 'condition', b.condition)`,
         },
         q`FROM issued i JOIN before b ON b.id = i."deviceId"`,
       )}
     ), assignment_audit AS (
       ${AuditWriter.insertFrom(
         author,
         {
           districtId: q`${districtId}::uuid`,
           entityType: 'assignment',
           entityId: 'i.id::text',
           action: { literal: 'create' },
           after: `to_jsonb(i) || jsonb_build_object('active', true)`,
         },
         q`FROM issued i`,
       )}
     )
     SELECT i."studentId", b.kind, b.condition FROM issued i JOIN before b ON b.id = i."deviceId"`,
  );
  return result.rows;
}
