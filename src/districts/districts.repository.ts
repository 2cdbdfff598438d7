import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { one, sql } from '../database/sql.js';
import type { DistrictRow } from './district.domain.js';

export interface DistrictSettings {
  timeZone?: string;
  gapThresholdDays?: number;
  syncStaleDays?: number;
  hotspotIdleDays?: number;
  sparePoolMinimum?: number;
  closureDates?: string[];
  schoolYearStart?: string | null;
  schoolYearEnd?: string | null;
  rosterWithdrawalLimitPercent?: number;
  loginRetentionYears?: number;
}

export interface DistrictChanges extends DistrictSettings {
  name?: string;
}

/** Writable columns by API field. Only fields that were sent are written, so the rest keep their defaults. */
const WRITABLE: Record<keyof DistrictChanges, string> = {
  name: 'name',
  timeZone: 'time_zone',
  gapThresholdDays: 'gap_threshold_days',
  syncStaleDays: 'sync_stale_days',
  hotspotIdleDays: 'hotspot_idle_days',
  sparePoolMinimum: 'spare_pool_minimum',
  closureDates: 'closure_dates',
  schoolYearStart: 'school_year_start',
  schoolYearEnd: 'school_year_end',
  rosterWithdrawalLimitPercent: 'roster_withdrawal_limit_percent',
  loginRetentionYears: 'login_retention_years',
};

const COLUMNS = `id, name, code, time_zone AS "timeZone", gap_threshold_days AS "gapThresholdDays",
  sync_stale_days AS "syncStaleDays", hotspot_idle_days AS "hotspotIdleDays", spare_pool_minimum AS "sparePoolMinimum",
  closure_dates::text[] AS "closureDates",
  to_char(school_year_start, 'YYYY-MM-DD') AS "schoolYearStart", to_char(school_year_end, 'YYYY-MM-DD') AS "schoolYearEnd",
  roster_withdrawal_limit_percent::float8 AS "rosterWithdrawalLimitPercent", login_retention_years AS "loginRetentionYears",
  created_at AS "createdAt", updated_at AS "updatedAt", version`;

function sent(changes: DistrictChanges): (keyof DistrictChanges)[] {
  return (Object.keys(WRITABLE) as (keyof DistrictChanges)[]).filter((field) => changes[field] !== undefined);
}

@Injectable()
export class DistrictsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  findById(id: string, em: EntityManager = this.db.manager, options: { lock?: boolean } = {}): Promise<DistrictRow | null> {
    return one<DistrictRow>(em, `SELECT ${COLUMNS} FROM districts WHERE id = $1${options.lock ? ' FOR UPDATE' : ''}`, [id]);
  }

  /** Ordered by (name, id); `only` confines the list to one district. */
  async list(only: string | null, after: { name: string; id: string } | null, limit: number): Promise<DistrictRow[]> {
    const result = await sql<DistrictRow>(
      this.db.manager,
      `SELECT ${COLUMNS} FROM districts
       WHERE ($1::uuid IS NULL OR id = $1) AND ($2::text IS NULL OR (name, id) > ($2, $3::uuid))
       ORDER BY name, id LIMIT $4`,
      [only, after?.name ?? null, after?.id ?? null, limit],
    );
    return result.rows;
  }

  async insert(em: EntityManager, district: DistrictChanges & { name: string; code: string }): Promise<DistrictRow> {
    const fields = sent(district);
    const columns = ['code', ...fields.map((f) => WRITABLE[f])];
    const values = [district.code, ...fields.map((f) => district[f])];
    const row = await one<DistrictRow>(
      em,
      `INSERT INTO districts (${columns.join(', ')}) VALUES (${values.map((_, i) => `$${i + 1}`).join(', ')}) RETURNING ${COLUMNS}`,
      values,
    );
    return row!;
  }

  async update(em: EntityManager, id: string, changes: DistrictChanges): Promise<DistrictRow> {
    const fields = sent(changes);
    const assignments = fields.map((f, i) => `${WRITABLE[f]} = $${i + 2}`);
    const row = await one<DistrictRow>(
      em,
      `UPDATE districts SET ${[...assignments, 'updated_at = now()'].join(', ')} WHERE id = $1 RETURNING ${COLUMNS}`,
      [id, ...fields.map((f) => changes[f])],
    );
    return row!;
  }
}
