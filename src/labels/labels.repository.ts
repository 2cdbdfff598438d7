import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { q, raw, run, type SqlText } from '../database/sql.js';
import { ASSET_TAG_PATTERN_SQL, type LabelDevice } from './labels.domain.js';

/** Which devices get labels. A device list keeps its order; a school's print by asset tag, a shipment's by serial number. */
export type LabelSelection =
  | { kind: 'devices'; deviceIds: string[]; districtId: string | null; schoolIds: string[] | null }
  | { kind: 'school'; schoolId: string; districtId: string }
  | { kind: 'shipment'; shipmentId: string; districtId: string };

/** A device the labels cannot be printed for, and why. */
export interface LabelProblem {
  /** 0-based index in the request's deviceIds (a device list only). */
  index: number | null;
  deviceId: string | null;
  serialNumber: string | null;
  assetTag: string | null;
  reason: 'not_found' | 'no_asset_tag' | 'not_printable' | 'too_long';
  /** How many problems there are in all (only the first few are returned), and how many of them are ids not found. */
  total: number;
  missingTotal: number;
}

type PageRow = LabelDevice & { k1: unknown; k2: unknown };

/** Devices a school or shipment hands out: the ones retired, lost or stolen get no new label. */
const IN_CIRCULATION = raw(`d.status NOT IN ('retired', 'lost', 'stolen')`);

/** Rows per query while streaming: a few sheets at a time. */
const PAGE_SIZE = 200;
const MAX_PROBLEMS_LISTED = 100;

const problemOf = (maxLength: number): SqlText =>
  q`CASE WHEN d.id IS NULL THEN 'not_found'
    WHEN d.asset_tag IS NULL THEN 'no_asset_tag'
    WHEN d.asset_tag !~ ${ASSET_TAG_PATTERN_SQL} THEN 'not_printable'
    WHEN length(d.asset_tag) > ${maxLength} THEN 'too_long' END`;

const printable = (maxLength: number): SqlText => q`d.asset_tag ~ ${ASSET_TAG_PATTERN_SQL} AND length(d.asset_tag) <= ${maxLength}`;

/**
 * The selection's devices (`d`): the tables they come from, the condition that picks them, and the
 * keyset they are paged by (its columns, and the condition for "after this key").
 */
interface Selected {
  from: SqlText;
  where: SqlText;
  order: SqlText;
  keys: SqlText;
  after: (key: [unknown, unknown]) => SqlText;
}

function selected(selection: LabelSelection): Selected {
  switch (selection.kind) {
    case 'devices':
      return {
        from: q`unnest(${selection.deviceIds}::uuid[]) WITH ORDINALITY AS s(id, pos) JOIN devices d ON d.id = s.id`,
        where: q`(${selection.districtId}::uuid IS NULL OR d.district_id = ${selection.districtId})
          AND (${selection.schoolIds}::uuid[] IS NULL OR d.school_id = ANY(${selection.schoolIds}::uuid[]))`,
        order: raw('s.pos'),
        keys: raw('s.pos AS k1, NULL AS k2'),
        after: ([pos]) => q`s.pos > ${pos}::bigint`,
      };
    case 'school':
      return {
        from: raw('devices d'),
        where: q`d.district_id = ${selection.districtId} AND d.school_id = ${selection.schoolId} AND ${IN_CIRCULATION}`,
        order: raw('lower(d.asset_tag), d.id'),
        keys: raw('lower(d.asset_tag) AS k1, d.id AS k2'),
        after: ([tag, id]) => q`(lower(d.asset_tag), d.id) > (${tag}::text, ${id}::uuid)`,
      };
    case 'shipment':
      return {
        from: raw('shipment_items i JOIN devices d ON d.district_id = i.district_id AND d.serial_number = i.serial_number'),
        where: q`i.shipment_id = ${selection.shipmentId} AND i.district_id = ${selection.districtId} AND ${IN_CIRCULATION}`,
        order: raw('i.serial_number'),
        keys: raw('i.serial_number AS k1, NULL AS k2'),
        after: ([serial]) => q`i.serial_number > ${serial}::text`,
      };
  }
}

@Injectable()
export class LabelsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** The school's district, if the school exists (in `districtId`, when given). */
  async schoolDistrict(schoolId: string, districtId: string | null): Promise<string | null> {
    const { rows } = await run<{ districtId: string }>(
      this.db.manager,
      q`SELECT district_id AS "districtId" FROM schools WHERE id = ${schoolId} AND (${districtId}::uuid IS NULL OR district_id = ${districtId})`,
    );
    return rows[0]?.districtId ?? null;
  }

  async shipmentDistrict(shipmentId: string, districtId: string | null): Promise<string | null> {
    const { rows } = await run<{ districtId: string }>(
      this.db.manager,
      q`SELECT district_id AS "districtId" FROM shipments WHERE id = ${shipmentId} AND (${districtId}::uuid IS NULL OR district_id = ${districtId})`,
    );
    return rows[0]?.districtId ?? null;
  }

  /**
   * The first devices the labels cannot be printed for (with the total), in one statement over the
   * whole selection: named ids that are not there (or not the caller's), and tags that are missing,
   * not printable ASCII, or longer than the template's Code 128 can hold.
   */
  async problems(selection: LabelSelection, maxLength: number): Promise<LabelProblem[]> {
    const statement =
      selection.kind === 'devices'
        ? q`SELECT (s.pos - 1)::int AS index, d.id AS "deviceId", d.serial_number AS "serialNumber", d.asset_tag AS "assetTag",
              ${problemOf(maxLength)} AS reason, (count(*) OVER ())::int AS total,
              (count(*) FILTER (WHERE d.id IS NULL) OVER ())::int AS "missingTotal"
            FROM unnest(${selection.deviceIds}::uuid[]) WITH ORDINALITY AS s(id, pos)
            LEFT JOIN devices d ON d.id = s.id
              AND (${selection.districtId}::uuid IS NULL OR d.district_id = ${selection.districtId})
              AND (${selection.schoolIds}::uuid[] IS NULL OR d.school_id = ANY(${selection.schoolIds}::uuid[]))
            WHERE d.id IS NULL OR d.asset_tag IS NULL OR NOT (${printable(maxLength)})
            ORDER BY s.pos LIMIT ${MAX_PROBLEMS_LISTED}`
        : q`SELECT NULL::int AS index, d.id AS "deviceId", d.serial_number AS "serialNumber", d.asset_tag AS "assetTag",
              ${problemOf(maxLength)} AS reason, (count(*) OVER ())::int AS total, 0 AS "missingTotal"
            FROM ${selected(selection).from}
            WHERE ${selected(selection).where} AND (d.asset_tag IS NULL OR NOT (${printable(maxLength)}))
            ORDER BY d.serial_number LIMIT ${MAX_PROBLEMS_LISTED}`;
    return (await run<LabelProblem>(this.db.manager, statement)).rows;
  }

  /** How many labels a school or shipment selection prints (a device list prints one per id). */
  async count(selection: LabelSelection): Promise<number> {
    if (selection.kind === 'devices') return selection.deviceIds.length;
    const { from, where } = selected(selection);
    const { rows } = await run<{ n: number }>(this.db.manager, q`SELECT count(*)::int AS n FROM ${from} WHERE ${where}`);
    return rows[0].n;
  }

  /**
   * The selection's devices, a page at a time in keyset order: each page is one short query, so no
   * connection is held while the PDF is written out. A device whose tag stopped being printable since
   * the check is left out rather than printed wrong.
   */
  async *pages(selection: LabelSelection, maxLength: number, pageSize = PAGE_SIZE): AsyncGenerator<LabelDevice[]> {
    const { from, where, order, keys, after } = selected(selection);
    let last: [unknown, unknown] | null = null;
    for (;;) {
      const { rows }: { rows: PageRow[] } = await run<PageRow>(
        this.db.manager,
        q`SELECT d.id, d.asset_tag AS "assetTag", dist.name AS "districtName", ${keys}
          FROM ${from} JOIN districts dist ON dist.id = d.district_id
          WHERE ${where} AND ${printable(maxLength)} AND ${last ? after(last) : raw('true')}
          ORDER BY ${order} LIMIT ${pageSize}`,
      );
      if (rows.length) yield rows.map(({ id, assetTag, districtName }) => ({ id, assetTag, districtName }));
      if (rows.length < pageSize) return;
      const final: PageRow = rows[rows.length - 1];
      last = [final.k1, final.k2];
    }
  }
}
