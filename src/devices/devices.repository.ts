import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { DEFAULT_PAGE_SIZE } from '../common/http/pagination.js';
import { GENERIC_PLANS } from '../database/database-options.js';
import { countText, isoText, one, prepared, sql } from '../database/sql.js';
import type { Condition, DeviceKind, DeviceRow, DeviceStatus, LineStatus } from './device.domain.js';

/** The device columns an API client may write, by API field. */
export interface DeviceFields {
  schoolId?: string | null;
  kind?: DeviceKind;
  assetTag?: string | null;
  serialNumber?: string;
  model?: string | null;
  manufacturer?: string | null;
  fundingSource?: string | null;
  status?: DeviceStatus;
  condition?: Condition;
  notes?: string | null;
  googleDeviceId?: string | null;
  googleStatus?: string | null;
  lastSyncAt?: string | null;
  osVersion?: string | null;
  autoUpdateThrough?: string | null;
  imei?: string | null;
  iccid?: string | null;
  phoneNumber?: string | null;
  carrier?: string | null;
  lineStatus?: LineStatus | null;
  monthlyCapMb?: number | null;
  monthlyUsedMb?: number | null;
  lastUsageAt?: string | null;
  purchaseDate?: string | null;
  purchaseCost?: number | null;
  orderNumber?: string | null;
  supplier?: string | null;
  warrantyEnd?: string | null;
  endOfLife?: string | null;
}

const WRITABLE: Record<keyof DeviceFields, string> = {
  schoolId: 'school_id',
  kind: 'kind',
  assetTag: 'asset_tag',
  serialNumber: 'serial_number',
  model: 'model',
  manufacturer: 'manufacturer',
  fundingSource: 'funding_source',
  status: 'status',
  condition: 'condition',
  notes: 'notes',
  googleDeviceId: 'google_device_id',
  googleStatus: 'google_status',
  lastSyncAt: 'last_sync_at',
  osVersion: 'os_version',
  autoUpdateThrough: 'auto_update_through',
  imei: 'imei',
  iccid: 'iccid',
  phoneNumber: 'phone_number',
  carrier: 'carrier',
  lineStatus: 'line_status',
  monthlyCapMb: 'monthly_cap_mb',
  monthlyUsedMb: 'monthly_used_mb',
  lastUsageAt: 'last_usage_at',
  purchaseDate: 'purchase_date',
  purchaseCost: 'purchase_cost',
  orderNumber: 'order_number',
  supplier: 'supplier',
  warrantyEnd: 'warranty_end',
  endOfLife: 'end_of_life',
};

/**
 * A device and its active assignment, if any: one probe of assignments_one_active_per_device a device
 * (LATERAL with LIMIT, so that a plan never merge-joins that index, which a generic plan of a small
 * district's page would read to its end). Timestamps come as the API's text (isoText): making and
 * formatting a Date for each of a page's 300 was ~6% of the list's API time.
 */
const SELECT_DEVICE = `
  SELECT d.id, d.district_id AS "districtId", d.school_id AS "schoolId", d.kind, d.asset_tag AS "assetTag",
    d.serial_number AS "serialNumber", d.model, d.manufacturer, d.funding_source AS "fundingSource", d.status,
    d.condition, d.notes, d.google_device_id AS "googleDeviceId", d.google_status AS "googleStatus",
    ${isoText('d.last_sync_at')} AS "lastSyncAt", d.os_version AS "osVersion",
    to_char(d.auto_update_through, 'YYYY-MM-DD') AS "autoUpdateThrough", d.imei, d.iccid,
    d.phone_number AS "phoneNumber", d.carrier, d.line_status AS "lineStatus", d.monthly_cap_mb AS "monthlyCapMb",
    d.monthly_used_mb AS "monthlyUsedMb", ${isoText('d.last_usage_at')} AS "lastUsageAt",
    to_char(d.purchase_date, 'YYYY-MM-DD') AS "purchaseDate", d.purchase_cost::text AS "purchaseCost",
    d.order_number AS "orderNumber", d.supplier, to_char(d.warranty_end, 'YYYY-MM-DD') AS "warrantyEnd",
    to_char(d.end_of_life, 'YYYY-MM-DD') AS "endOfLife", d.holder_unknown AS "holderUnknown", ${isoText('d.retired_at')} AS "retiredAt",
    ${isoText('d.created_at')} AS "createdAt", ${isoText('d.updated_at')} AS "updatedAt", d.version,
    a.id AS "assignmentId", a.student_id AS "holderStudentId", a.kind AS "assignmentKind", ${isoText('a.started_at')} AS "assignedAt"
  FROM devices d
  LEFT JOIN LATERAL (
    SELECT a.id, a.student_id, a.kind, a.started_at FROM assignments a WHERE a.device_id = d.id AND a.ended_at IS NULL LIMIT 1
  ) a ON true`;

/**
 * lockSpare's statement ($1 district, $2 school, $3 kind): devices_spare_idx hands the school's devices of
 * the kind in this order, so it reads that school's range up to the first free working spare, never the
 * district (status is not indexed, so that custody updates stay HOT: see the HotCustody migration).
 */
export const LOCK_SPARE_SQL = `SELECT id FROM devices
  WHERE district_id = $1 AND school_id = $2 AND kind = $3 AND status = 'in_stock' AND condition = 'working'
  ORDER BY asset_tag NULLS LAST, id
  LIMIT 1 FOR UPDATE SKIP LOCKED`;

export interface DeviceFilter {
  districtId: string | null;
  /** A school-scoped caller's schools; null: no such limit. */
  schoolIds?: string[] | null;
  assetTag?: string;
  serialNumber?: string;
  kind?: DeviceKind;
  status?: DeviceStatus;
  schoolId?: string;
  fundingSource?: string;
}

export interface SparePoolRow {
  districtId: string;
  schoolId: string;
  schoolName: string;
  schoolCode: string;
  chromebooks: number;
  workingChromebooks: number;
  hotspots: number;
  workingHotspots: number;
  spareMinimum: number;
}

/** A status change made by a custody workflow; `retire` also stamps retired_at and may append a note. */
export interface DeviceStateChange {
  status: DeviceStatus;
  condition?: Condition;
  retireNote?: string | null;
}

function sent(fields: DeviceFields): (keyof DeviceFields)[] {
  return (Object.keys(WRITABLE) as (keyof DeviceFields)[]).filter((field) => fields[field] !== undefined);
}

@Injectable()
export class DevicesRepository {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @InjectDataSource(GENERIC_PLANS) private readonly genericPlans: DataSource,
  ) {}

  /**
   * `districtId` null means any district (a state token). `lock` takes the device row for the rest of
   * the transaction: every custody workflow locks the device before its assignments, in that order.
   */
  findById(
    id: string,
    districtId: string | null,
    em: EntityManager = this.db.manager,
    options: { lock?: boolean } = {},
  ): Promise<DeviceRow | null> {
    return one<DeviceRow>(
      em,
      `${SELECT_DEVICE} WHERE d.id = $1 AND ($2::uuid IS NULL OR d.district_id = $2)${options.lock ? ' FOR UPDATE OF d' : ''}`,
      [id, districtId],
    );
  }

  /**
   * Ordered by id, the order of devices_district_id_id_key (the primary key for a state-wide caller). Filters are
   * added only when given, so an asset tag or serial lookup (in any case) is one probe of its
   * (lower(...), district_id) index, with or without a district: a tag found in several districts
   * answers one row for each.
   */
  async list(filter: DeviceFilter, afterId: string | null, limit: number): Promise<DeviceRow[]> {
    const params: unknown[] = [];
    const where: string[] = [];
    const bind = (value: unknown): string => `$${params.push(value)}`;
    if (filter.districtId) where.push(`d.district_id = ${bind(filter.districtId)}`);
    if (filter.assetTag !== undefined) where.push(`lower(d.asset_tag) = lower(${bind(filter.assetTag)})`);
    if (filter.serialNumber !== undefined) where.push(`lower(d.serial_number) = lower(${bind(filter.serialNumber)})`);
    if (filter.kind) where.push(`d.kind = ${bind(filter.kind)}`);
    if (filter.status) where.push(`d.status = ${bind(filter.status)}`);
    if (filter.schoolIds) where.push(`d.school_id = ANY(${bind(filter.schoolIds)}::uuid[])`);
    if (filter.schoolId) where.push(`d.school_id = ${bind(filter.schoolId)}`);
    if (filter.fundingSource !== undefined) where.push(`d.funding_source = ${bind(filter.fundingSource)}`);
    const onlyDistrict = where.length === (filter.districtId ? 1 : 0);
    if (afterId) where.push(`d.id > ${bind(afterId)}::uuid`);
    // The LIMIT as text: as a parameter, a generic plan would expect to read a tenth of the table. A page at
    // the default size is prepared (its generic plan walks the same index); other sizes are planned each
    // time, as each is a text of its own and a connection keeps few. With no filter but a district it runs
    // its generic plan always (GENERIC_PLANS): expecting fewer of a district's rows than a big district
    // holds, that plan is costed above the custom ones, so PostgreSQL planned it each time (0.2 ms).
    const text = `${SELECT_DEVICE} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY d.id LIMIT ${countText(limit + 1)}`;
    if (limit !== DEFAULT_PAGE_SIZE) return (await sql<DeviceRow>(this.db.manager, text, params)).rows;
    return (await prepared<DeviceRow>((onlyDistrict ? this.genericPlans : this.db).manager, text, params)).rows;
  }

  async insert(em: EntityManager, districtId: string, fields: DeviceFields): Promise<string> {
    const columns = sent(fields);
    const params: unknown[] = [districtId, ...columns.map((field) => fields[field])];
    const row = await one<{ id: string }>(
      em,
      `INSERT INTO devices (district_id, ${columns.map((field) => WRITABLE[field]).join(', ')})
       VALUES ($1, ${columns.map((_, i) => `$${i + 2}`).join(', ')}) RETURNING id`,
      params,
    );
    return row!.id;
  }

  /** Returns false when nothing was sent. */
  async update(em: EntityManager, id: string, fields: DeviceFields): Promise<boolean> {
    const columns = sent(fields);
    if (!columns.length) return false;
    await sql(
      em,
      // A status set by hand names the device's state: a deployed device's unknown holder is no longer waited for.
      `UPDATE devices SET ${columns.map((field, i) => `${WRITABLE[field]} = $${i + 2}`).join(', ')},${
        fields.status !== undefined ? ' holder_unknown = false,' : ''
      } updated_at = now() WHERE id = $1`,
      [id, ...columns.map((field) => fields[field])],
    );
    return true;
  }

  async setState(em: EntityManager, id: string, change: DeviceStateChange): Promise<void> {
    await sql(
      em,
      `UPDATE devices SET status = $2, condition = coalesce($3, condition), holder_unknown = false,
         retired_at = CASE WHEN $2 = 'retired' THEN coalesce(retired_at, now()) ELSE retired_at END,
         notes = CASE WHEN $4::text IS NULL THEN notes ELSE concat_ws(E'\\n', notes, $4::text) END,
         updated_at = now()
       WHERE id = $1`,
      [id, change.status, change.condition ?? null, change.retireNote ?? null],
    );
  }

  /**
   * The first working spare of a kind in a school's stock, locked for this transaction. SKIP LOCKED
   * lets two repair intakes at once each take a different spare instead of queueing for the same one.
   */
  async lockSpare(em: EntityManager, districtId: string, schoolId: string, kind: DeviceKind): Promise<string | null> {
    const row = await one<{ id: string }>(em, LOCK_SPARE_SQL, [districtId, schoolId, kind]);
    return row?.id ?? null;
  }

  /** One row per school (of `schoolIds`, for a school-scoped caller): in-stock Chromebooks and hotspots, and how many of them work. */
  async sparePool(districtId: string | null, schoolId: string | null, schoolIds: string[] | null): Promise<SparePoolRow[]> {
    const result = await sql<SparePoolRow>(
      this.db.manager,
      `SELECT s.district_id AS "districtId", s.id AS "schoolId", s.name AS "schoolName", s.code AS "schoolCode",
         count(d.id) FILTER (WHERE d.kind = 'chromebook')::int AS chromebooks,
         count(d.id) FILTER (WHERE d.kind = 'chromebook' AND d.condition = 'working')::int AS "workingChromebooks",
         count(d.id) FILTER (WHERE d.kind = 'hotspot')::int AS hotspots,
         count(d.id) FILTER (WHERE d.kind = 'hotspot' AND d.condition = 'working')::int AS "workingHotspots",
         dist.spare_pool_minimum AS "spareMinimum"
       FROM schools s
       JOIN districts dist ON dist.id = s.district_id
       LEFT JOIN devices d ON d.district_id = s.district_id AND d.school_id = s.id
         AND d.status = 'in_stock' AND d.kind IN ('chromebook', 'hotspot')
       WHERE ($1::uuid IS NULL OR s.district_id = $1) AND ($2::uuid IS NULL OR s.id = $2)${schoolIds ? ' AND s.id = ANY($3::uuid[])' : ''}
       GROUP BY s.id, dist.id
       ORDER BY dist.name, s.name, s.id`,
      schoolIds ? [districtId, schoolId, schoolIds] : [districtId, schoolId],
    );
    return result.rows;
  }
}
