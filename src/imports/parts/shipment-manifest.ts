import { createHash } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { BulkStage } from '../../database/bulk-stage.js';
import { MANIFEST_ROW_COLUMNS, recordManifestRows } from '../../shipments/shipments-bulk.repository.js';
import { MAX_SERIAL_LENGTH } from '../../shipments/manifest-serials.js';
import { CellError, date, text } from '../parsing/values.js';
import {
  attempt,
  auditAuthor,
  optional,
  required,
  type Applied,
  type BatchContext,
  type FieldProblem,
  type Fields,
  type Mapped,
  type Part,
} from './part.js';

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
  return readable.length <= MAX_SHIPMENT_TEXT
    ? readable
    : `import:${shippedOn}:sha256:${createHash('sha256').update(fundingSource).digest('hex')}`;
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
        {
          field: 'shippedOn',
          aliases: ['Ship Date', 'Shipped', 'Shipped On', 'Date Shipped', 'Delivery Date', 'Delivered', 'Delivered On'],
          required: true,
        },
        {
          field: 'reference',
          aliases: [
            'PO',
            'PO Number',
            'Purchase Order',
            'Order',
            'Order Number',
            'Shipment',
            'Shipment Number',
            'Shipment ID',
            'ASN',
            'Delivery Note',
            'Packing Slip',
          ],
        },
      ],
      ignored: [
        'Item',
        'Description',
        'Model',
        'Manufacturer',
        'SKU',
        'Part Number',
        'Qty',
        'Quantity',
        'Carrier',
        'Tracking Number',
        'Box',
        'Carton',
        'Asset Tag',
      ],
    },
    columns: MANIFEST_ROW_COLUMNS,
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

async function applyManifests(em: EntityManager, stage: BulkStage, ctx: BatchContext): Promise<Applied> {
  const counts = await recordManifestRows(em, stage, { districtId: ctx.districtId, author: auditAuthor(ctx) });
  return { created: counts.added, updated: 0, stats: { manifestsCreated: counts.manifestsCreated } };
}
