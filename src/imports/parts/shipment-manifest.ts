import { createHash } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { one, sql } from '../../database/sql.js';
import { MAX_SERIAL_LENGTH } from '../../shipments/manifest-serials.js';
import { CellError, date, text } from '../parsing/values.js';
import { attempt, auditParams, GOOD_ROWS, optional, required, type Applied, type BatchContext, type FieldProblem, type Fields, type Mapped, type Part } from './part.js';

/** shipments.funding_source and shipments.reference hold 1 to 200 characters. */
const MAX_SHIPMENT_TEXT = 200;

/** A delivery day: a whole date (a month is no day), in a range PostgreSQL's date takes. */
function shipDate(value: string): string {
  if (!/^\d{4}-\d{2}-\d{2}/.test(value)) throw new CellError('not a date (YYYY-MM-DD)');
  const day = date(value);
  const year = Number(day.slice(0, 4));
  if (year < 1970 || year > 2200) throw new CellError('date out of range');
  return day;
}

/**
 * The reference of a manifest the file names none for: one per funding source and day, derived from
 * them alone, so that a retried batch, a resumed import and the same file imported again all find the
 * manifest the first one created rather than recording the delivery twice.
 */
function defaultReference(fundingSource: string, shippedOn: string): string {
  const readable = `import:${shippedOn}:${fundingSource}`;
  return readable.length <= MAX_SHIPMENT_TEXT ? readable : `import:${shippedOn}:sha256:${createHash('sha256').update(fundingSource).digest('hex')}`;
}

/**
 * Delivery manifests (what POST /shipments records), from our field names or a vendor's packing list
 * or advance shipping notice: one serial number a row, with its funding source, delivery date and,
 * optionally, the delivery note or order number. Rows sharing a reference are one manifest, created
 * by the first and added to by the rest, in this file or a later one; a serial already on its
 * manifest is left alone, so a file imported again changes nothing.
 */
export function shipmentManifestPart(): Part {
  return {
    name: 'shipment-manifest',
    headers: {
      fields: [
        { field: 'serialNumber', aliases: ['Serial', 'Serial Number', 'Serial No', 'SN'], required: true },
        { field: 'fundingSource', aliases: ['Funding Source', 'Funding', 'Program', 'Programme', 'Donation Program'], required: true },
        { field: 'shippedOn', aliases: ['Ship Date', 'Shipped', 'Shipped On', 'Date Shipped', 'Delivery Date', 'Delivered', 'Delivered On'], required: true },
        {
          field: 'reference',
          aliases: ['PO', 'PO Number', 'Purchase Order', 'Order', 'Order Number', 'Shipment', 'Shipment Number', 'Shipment ID', 'ASN', 'Delivery Note', 'Packing Slip'],
        },
      ],
      ignored: ['Item', 'Description', 'Model', 'Manufacturer', 'SKU', 'Part Number', 'Qty', 'Quantity', 'Carrier', 'Tracking Number', 'Box', 'Carton', 'Asset Tag'],
      allowUnknown: true,
    },
    columns: [
      { name: 'serial_number', type: 'text' },
      { name: 'funding_source', type: 'text' },
      { name: 'shipped_on', type: 'date' },
      { name: 'reference', type: 'text' },
    ],
    map(fields: Fields): Mapped {
      const errors: FieldProblem[] = [];
      const serial = attempt(errors, 'serialNumber', () => required(fields, 'serialNumber', MAX_SERIAL_LENGTH));
      const fundingSource = attempt(errors, 'fundingSource', () => required(fields, 'fundingSource', MAX_SHIPMENT_TEXT));
      const shippedOn = attempt(errors, 'shippedOn', () => shipDate(required(fields, 'shippedOn', 64)));
      const reference = attempt(errors, 'reference', () => optional(fields, 'reference', (v) => text(v, MAX_SHIPMENT_TEXT)));
      if (errors.length) return { errors };
      return { row: [serial, fundingSource, shippedOn, reference ?? defaultReference(fundingSource!, shippedOn!)] };
    },
    apply: applyManifests,
  };
}

const SHIPMENT_JSON = `jsonb_build_object('id', sh.id, 'districtId', sh.district_id, 'fundingSource', sh.funding_source,
  'shippedOn', to_char(sh.shipped_on, 'YYYY-MM-DD'), 'reference', sh.reference, 'itemCount', sh.item_count, 'createdAt', sh.created_at)`;

async function applyManifests(em: EntityManager, ctx: BatchContext): Promise<Applied> {
  const [token, actor, request] = auditParams(ctx);
  // The first row of a reference describes its manifest. ON CONFLICT waits for a batch beside this one
  // that is creating the same manifest, and then leaves it to that batch.
  const created = await sql<{ id: string }>(
    em,
    `INSERT INTO shipments (district_id, funding_source, shipped_on, reference, created_by)
     SELECT DISTINCT ON (reference) $1::uuid, funding_source, shipped_on, reference, $2::uuid
     FROM import_stage st WHERE ${GOOD_ROWS}
     ORDER BY reference, line
     ON CONFLICT (district_id, reference) WHERE reference IS NOT NULL DO NOTHING
     RETURNING id`,
    [ctx.districtId, token],
  );
  // A statement of its own, so that its snapshot sees the manifests the one above waited for.
  await sql(
    em,
    `CREATE TEMP TABLE import_resolved ON COMMIT DROP AS
     SELECT st.line, st.serial_number, st.funding_source, st.shipped_on, st.reference, sh.id AS shipment_id,
       sh.funding_source AS manifest_funding_source, sh.shipped_on AS manifest_shipped_on
     FROM import_stage st
     JOIN shipments sh ON sh.district_id = $1 AND sh.reference = st.reference
     WHERE ${GOOD_ROWS}`,
    [ctx.districtId],
  );
  await sql(
    em,
    `INSERT INTO import_stage_errors (line, field, message)
     SELECT line, 'reference', 'manifest ' || reference || ' is recorded for ' || manifest_funding_source || ', delivered '
       || to_char(manifest_shipped_on, 'YYYY-MM-DD') || '; this row gives ' || funding_source || ', ' || to_char(shipped_on, 'YYYY-MM-DD')
     FROM import_resolved
     WHERE (funding_source, shipped_on) IS DISTINCT FROM (manifest_funding_source, manifest_shipped_on)`,
  );
  // A serial already on its manifest (this file repeating it, or an earlier import) is not added again,
  // and its row counts as unchanged. Only a manifest that gained serials gets an audit event.
  const counts = await one<{ added: number }>(
    em,
    `WITH added AS (
       INSERT INTO shipment_items (district_id, shipment_id, serial_number)
       SELECT $1, r.shipment_id, r.serial_number
       FROM import_resolved r WHERE NOT EXISTS (SELECT 1 FROM import_stage_errors e WHERE e.line = r.line)
       ON CONFLICT (shipment_id, serial_number) DO NOTHING
       RETURNING shipment_id
     ), per_manifest AS (
       SELECT shipment_id, count(*)::int AS added FROM added GROUP BY shipment_id
     ), up AS (
       UPDATE shipments sh SET item_count = sh.item_count + p.added
       FROM per_manifest p WHERE sh.id = p.shipment_id
       RETURNING sh.*, p.added
     ), audit AS (
       INSERT INTO audit_events (actor_token_id, actor, request_id, district_id, entity_type, entity_id, action, after)
       SELECT $2, $3, $4, $1, 'shipment', sh.id::text, CASE WHEN sh.id = ANY($5::uuid[]) THEN 'create' ELSE 'add_items' END,
         ${SHIPMENT_JSON} || jsonb_build_object('added', sh.added)
       FROM up sh
     )
     SELECT coalesce(sum(added), 0)::int AS added FROM per_manifest`,
    [ctx.districtId, token, actor, request, created.rows.map((r) => r.id)],
  );
  return { created: counts!.added, updated: 0, stats: { manifestsCreated: created.rows.length } };
}
