import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { one, sql } from '../database/sql.js';
import { HEALTH_DEVICES_SQL, HEALTH_DISTRICTS_SQL, HEALTH_KITS_SQL, HEALTH_SPARES_SQL } from './health.sql.js';
import type { ReconciliationList } from './reports.dto.js';
import { RECONCILIATION_SQL, ROLLOUT_SQL } from './rollout.sql.js';
import { TICKETS_SQL } from './tickets.sql.js';
import { weeklySql } from './weekly.sql.js';

export interface WeeklyRow {
  districtId: string | null;
  schoolId: string | null;
  grade: string | null;
  enrollment: number;
  inPerson: number;
  hybrid: number;
  remote: number;
  percentRemote: number;
  remoteNotConnected: number;
  percentRemoteNotConnected: number;
}

export interface RolloutRow {
  districtId: string;
  districtName: string;
  isTotal: boolean;
  schoolId: string | null;
  schoolName: string | null;
  delivered: number;
  registered: number;
  assigned: number;
  activeUse: number;
  idle: number;
  inStock: number;
  inRepair: number;
  lostOrStolen: number;
  retired: number;
  deliveredNotRegistered: number;
  registeredNotOnManifest: number;
  deliveredUnderOtherFunding: number;
  deliveredNotRegisteredSample: string[];
  registeredNotOnManifestSample: string[];
  deliveredUnderOtherFundingSample: string[];
}

export interface ReconciliationRow {
  districtId: string;
  serialNumber: string;
  shipmentId: string | null;
  shippedOn: string | null;
  reference: string | null;
  deviceId: string | null;
  schoolId: string | null;
  deviceStatus: string | null;
  deviceFundingSource: string | null;
}

export interface HealthDistrictRow {
  districtId: string;
  districtName: string;
  syncStaleDays: number;
  hotspotIdleDays: number;
  sparePoolMinimum: number;
}

export interface HealthDeviceRow {
  districtId: string;
  category: string;
  total: number;
  deviceId: string;
  schoolId: string | null;
  serialNumber: string;
  assetTag: string | null;
  status: string;
  studentId: string | null;
  lastSyncAt: Date | null;
  autoUpdateThrough: string | null;
  googleStatus: string | null;
  lineStatus: string | null;
  monthlyCapMb: number | null;
  monthlyUsedMb: number | null;
  lastUsageAt: Date | null;
}

export interface HealthKitRow {
  districtId: string;
  total: number;
  kitId: string;
  studentId: string;
  schoolId: string | null;
  issuedAt: Date;
  returnedAt: Date | null;
  missingItems: { item: string; quantity: number }[];
}

export interface HealthSpareRow {
  districtId: string;
  total: number;
  schoolId: string;
  schoolName: string;
  spareChromebooks: number;
  minimum: number;
}

export interface HealthRows {
  districts: HealthDistrictRow[];
  devices: HealthDeviceRow[];
  kits: HealthKitRow[];
  spares: HealthSpareRow[];
}

export interface TicketsRow {
  districtId: string;
  districtName: string;
  from: string;
  to: string;
  opened: number;
  resolved: number;
  medianHoursToResolve: number | null;
  openNow: number;
  openByType: { replacement: number; connectivity: number; outreach: number; repair: number };
  openByReason: { reason: string; count: number }[];
  oldestOpen: { id: string; type: string; openedAt: string; ageHours: number } | null;
  outreach: {
    attempts: number;
    byChannel: { call: number; email: number; text: number; homeVisit: number };
    homeVisits: number;
    homeVisitsReached: number;
  };
}

export interface HealthFilter {
  districtId: string | null;
  syncStaleDays: number | null;
  hotspotIdleDays: number | null;
  /** null: whole lists (CSV). */
  listLimit: number | null;
}

/** Read-only SQL for the reports: set-based, over indexed data, never a query per student or device. */
@Injectable()
export class ReportsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * Statements of one report see one snapshot, read-only. Report queries hash hundreds of thousands of
   * rows: a larger work_mem keeps those hashes in memory, and JIT compilation would cost more than it saves.
   */
  private snapshot<T>(fn: (em: EntityManager) => Promise<T>): Promise<T> {
    return this.db.transaction('REPEATABLE READ', async (em) => {
      await sql(em, `SET TRANSACTION READ ONLY`);
      await sql(em, `SET LOCAL work_mem = '64MB'`);
      await sql(em, `SET LOCAL jit = off`);
      return fn(em);
    });
  }

  async weekly(monday: string, districtId: string | null, options: { bySchool: boolean; stateTotal: boolean }): Promise<WeeklyRow[]> {
    return this.snapshot(async (em) => (await sql<WeeklyRow>(em, weeklySql(options), [monday, districtId])).rows);
  }

  async rollout(fundingSource: string, districtId: string | null, sampleSize: number): Promise<RolloutRow[]> {
    return this.snapshot(async (em) => (await sql<RolloutRow>(em, ROLLOUT_SQL, [fundingSource, districtId, sampleSize])).rows);
  }

  /** `after` is the (districtId, serialNumber) of the previous page's last row; `limit` null: the whole list. */
  async reconciliation(
    list: ReconciliationList,
    fundingSource: string,
    districtId: string | null,
    after: [string, string] | null,
    limit: number | null,
  ): Promise<ReconciliationRow[]> {
    return this.snapshot(async (em) => {
      const params = [fundingSource, districtId, limit, after?.[0] ?? null, after?.[1] ?? null];
      return (await sql<ReconciliationRow>(em, RECONCILIATION_SQL[list], params)).rows;
    });
  }

  async deviceHealth(filter: HealthFilter): Promise<HealthRows> {
    return this.snapshot(async (em) => {
      const { districtId, syncStaleDays, hotspotIdleDays, listLimit } = filter;
      const districts = await sql<HealthDistrictRow>(em, HEALTH_DISTRICTS_SQL, [districtId, syncStaleDays, hotspotIdleDays]);
      const devices = await sql<HealthDeviceRow>(em, HEALTH_DEVICES_SQL, [districtId, syncStaleDays, hotspotIdleDays, listLimit]);
      const kits = await sql<HealthKitRow>(em, HEALTH_KITS_SQL, [districtId, listLimit]);
      const spares = await sql<HealthSpareRow>(em, HEALTH_SPARES_SQL, [districtId, listLimit]);
      return { districts: districts.rows, devices: devices.rows, kits: kits.rows, spares: spares.rows };
    });
  }

  async tickets(districtId: string | null, from: string | null, to: string | null): Promise<TicketsRow[]> {
    return this.snapshot(async (em) => (await sql<TicketsRow>(em, TICKETS_SQL, [districtId, from, to])).rows);
  }

  async districtName(districtId: string): Promise<string | null> {
    const row = await one<{ name: string }>(this.db.manager, `SELECT name FROM districts WHERE id = $1`, [districtId]);
    return row?.name ?? null;
  }
}
