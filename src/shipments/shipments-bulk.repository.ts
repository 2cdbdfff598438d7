import type { EntityManager } from 'typeorm';
import { AuditWriter, type AuditAuthor } from '../audit/audit-writer.js';
import type { BulkStage, StageColumn } from '../database/bulk-stage.js';
import { q, run } from '../database/sql.js';

/** The staged columns `recordManifestRows` reads (after `line`): one serial number a row. */
export const MANIFEST_ROW_COLUMNS = [
  { name: 'serial_number', type: 'text' },
  { name: 'funding_source', type: 'text' },
  { name: 'shipped_on', type: 'date' },
  { name: 'reference', type: 'text' },
] as const satisfies readonly StageColumn[];

const SHIPMENT_JSON = `jsonb_build_object('id', sh.id, 'districtId', sh.district_id, 'fundingSource', sh.funding_source,
  'shippedOn', to_char(sh.shipped_on, 'YYYY-MM-DD'), 'reference', sh.reference, 'itemCount', sh.item_count, 'createdAt', sh.created_at)`;

/**
 * Staged manifest rows, set-based: rows sharing a reference are one manifest, created by the first and
 * added to by the rest. A row whose funding source or day differ from its manifest's is a row error of
 * the stage.
 */
export async function recordManifestRows(
  em: EntityManager,
  stage: BulkStage,
  { districtId, author }: { districtId: string; author: AuditAuthor },
): Promise<{ added: number; manifestsCreated: number }> {
  // The first row of a reference describes its manifest. ON CONFLICT waits for a batch beside this one
  // that is creating the same manifest, and then leaves it to that batch.
  const created = await run<{ id: string }>(
    em,
    q`INSERT INTO shipments (district_id, funding_source, shipped_on, reference, created_by)
     SELECT DISTINCT ON (reference) ${districtId}::uuid, funding_source, shipped_on, reference, ${author.actor.tokenId}::uuid
     FROM ${stage.rows} st WHERE ${stage.goodRows}
     ORDER BY reference, line
     ON CONFLICT (district_id, reference) WHERE reference IS NOT NULL DO NOTHING
     RETURNING id`,
  );
  // A statement of its own, so that its snapshot sees the manifests the one above waited for.
  await run(
    em,
    q`CREATE TEMP TABLE import_resolved ON COMMIT DROP AS
     SELECT st.line, st.serial_number, st.funding_source, st.shipped_on, st.reference, sh.id AS shipment_id,
       sh.funding_source AS manifest_funding_source, sh.shipped_on AS manifest_shipped_on
     FROM ${stage.rows} st
     JOIN shipments sh ON sh.district_id = ${districtId} AND sh.reference = st.reference
     WHERE ${stage.goodRows}`,
  );
  await run(
    em,
    q`INSERT INTO ${stage.errors} (line, field, message)
     SELECT line, 'reference', 'manifest ' || reference || ' is recorded for ' || manifest_funding_source || ', delivered '
       || to_char(manifest_shipped_on, 'YYYY-MM-DD') || '; this row gives ' || funding_source || ', ' || to_char(shipped_on, 'YYYY-MM-DD')
     FROM import_resolved
     WHERE (funding_source, shipped_on) IS DISTINCT FROM (manifest_funding_source, manifest_shipped_on)`,
  );
  // A serial already on its manifest (this file repeating it, or an earlier import) is not added again,
  // and its row counts as unchanged. Only a manifest that gained serials gets an audit event.
  const counts = await run<{ added: number }>(
    em,
    q`WITH added AS (
       INSERT INTO shipment_items (district_id, shipment_id, serial_number)
       SELECT ${districtId}, r.shipment_id, r.serial_number
       FROM import_resolved r WHERE NOT EXISTS (SELECT 1 FROM ${stage.errors} e WHERE e.line = r.line)
       ON CONFLICT (shipment_id, serial_number) DO NOTHING
       RETURNING shipment_id
     ), per_manifest AS (
       SELECT shipment_id, count(*)::int AS added FROM added GROUP BY shipment_id
     ), up AS (
       UPDATE shipments sh SET item_count = sh.item_count + p.added
       FROM per_manifest p WHERE sh.id = p.shipment_id
       RETURNING sh.*, p.added
     ), audit AS (
       ${AuditWriter.insertFrom(
         author,
         {
           districtId: q`${districtId}::uuid`,
           entityType: 'shipment',
           entityId: 'sh.id::text',
           action: q`CASE WHEN sh.id = ANY(${created.rows.map((r) => r.id)}::uuid[]) THEN 'create' ELSE 'add_items' END`,
           after: `${SHIPMENT_JSON} || jsonb_build_object('added', sh.added)`,
         },
         q`FROM up sh`,
       )}
     )
     SELECT coalesce(sum(added), 0)::int AS added FROM per_manifest`,
  );
  return { added: counts.rows[0].added, manifestsCreated: created.rows.length };
}
