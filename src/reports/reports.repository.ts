import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { one, run, sql } from '../database/sql.js';
import { collectionList, type CollectionParams } from './collection.sql.js';
import { federalInventory, type FederalInventoryParams } from './federal-inventory.sql.js';
import { healthDevices, healthDistricts, healthKits, healthSpares, type HealthParams } from './health.sql.js';
import type { ReconciliationList } from './report.domain.js';
import { reconciliationList, rolloutReport } from './rollout.sql.js';
import { ticketWeeksReport } from './ticket-weeks.sql.js';
import { ticketsReport } from './tickets.sql.js';
import { weeklyReport } from './weekly.sql.js';

export interface WeeklyRow {
  weekOf: string;
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
  purchaseDate: string | null;
  orderNumber: string | null;
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

export interface TicketWeekRow {
  districtId: string;
  districtName: string;
  weekOf: string;
  weekEnd: string;
  type: string;
  opened: number;
  resolved: number;
  medianHoursToResolve: number | null;
  openAtWeekEnd: number;
  medianOpenAgeDays: number | null;
  oldestOpenAgeDays: number | null;
}

export interface CollectionDeviceRow {
  deviceId: string;
  kind: string;
  assetTag: string | null;
  serialNumber: string;
  assignmentKind: string;
  assignedAt: string;
}

export interface CollectionRow {
  districtId: string;
  districtName: string;
  districtCode: string;
  schoolId: string;
  schoolName: string;
  schoolCode: string;
  studentId: string;
  sourcedId: string;
  identifier: string | null;
  givenName: string;
  familyName: string;
  devices: CollectionDeviceRow[];
}

export interface FederalInventoryRow {
  districtId: string;
  districtName: string;
  districtCode: string;
  schoolId: string | null;
  schoolName: string | null;
  schoolCode: string | null;
  deviceId: string;
  deviceType: string;
  deviceKind: string;
  manufacturer: string | null;
  model: string | null;
  serialNumber: string;
  assetTag: string | null;
  recordedFundingSource: string | null;
  manifestReference: string | null;
  shippedOn: string | null;
  deviceStatus: string;
  deviceLossReportedOn: string | null;
  neverLoaned: boolean;
  loanNumber: number;
  assignmentId: string | null;
  assignmentKind: string | null;
  studentId: string | null;
  studentSchoolId: string | null;
  studentSourcedId: string | null;
  studentIdentifier: string | null;
  providedTo: string | null;
  loanedOn: string | null;
  returnedOn: string | null;
  endReason: string | null;
  incident: string | null;
  incidentOn: string | null;
  carrier: string | null;
  servicePlan: string | null;
  monthlyCapMb: number | null;
  lineNumber: string | null;
}

/** Rows a streamed report fetches from its server-side cursor at a time. */
const STREAM_BATCH_ROWS = 2000;

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

  /** In every report, `schoolIds` is a school-scoped caller's schools (null: the whole district): nothing of other schools is counted. */
  async weekly(
    mondays: string[],
    districtId: string | null,
    schoolIds: string[] | null,
    options: { bySchool: boolean; stateTotal: boolean; byGrade: boolean },
  ): Promise<WeeklyRow[]> {
    return this.snapshot(async (em) => (await sql<WeeklyRow>(em, ...weeklyReport({ mondays, districtId, schoolIds, ...options }))).rows);
  }

  async rollout(fundingSource: string, districtId: string | null, schoolIds: string[] | null, sampleSize: number): Promise<RolloutRow[]> {
    return this.snapshot(
      async (em) => (await sql<RolloutRow>(em, ...rolloutReport({ fundingSource, districtId, schoolIds, sampleSize }))).rows,
    );
  }

  /** `after` is the (districtId, serialNumber) of the previous page's last row; `limit` null: the whole list. */
  async reconciliation(
    list: ReconciliationList,
    fundingSource: string,
    scope: { districtId: string | null; schoolIds: string[] | null },
    after: [string, string] | null,
    limit: number | null,
  ): Promise<ReconciliationRow[]> {
    return this.snapshot(
      async (em) => (await sql<ReconciliationRow>(em, ...reconciliationList(list, { fundingSource, ...scope, after, limit }))).rows,
    );
  }

  async deviceHealth(filter: HealthParams): Promise<HealthRows> {
    return this.snapshot(async (em) => {
      const districts = await sql<HealthDistrictRow>(em, ...healthDistricts(filter));
      const devices = await sql<HealthDeviceRow>(em, ...healthDevices(filter));
      const kits = await sql<HealthKitRow>(em, ...healthKits(filter));
      const spares = await sql<HealthSpareRow>(em, ...healthSpares(filter));
      return { districts: districts.rows, devices: devices.rows, kits: kits.rows, spares: spares.rows };
    });
  }

  async tickets(districtId: string | null, schoolIds: string[] | null, from: string | null, to: string | null): Promise<TicketsRow[]> {
    return this.snapshot(async (em) => (await sql<TicketsRow>(em, ...ticketsReport({ districtId, schoolIds, from, to }))).rows);
  }

  /** `weekOf` null: the current week in each district's time zone. */
  async ticketWeeks(p: {
    districtId: string | null;
    schoolIds: string[] | null;
    weekOf: string | null;
    weeks: number;
  }): Promise<TicketWeekRow[]> {
    return this.snapshot(async (em) => (await sql<TicketWeekRow>(em, ...ticketWeeksReport(p))).rows);
  }

  /** Names and codes of the districts and schools a report's rows name. */
  async placeNames(
    districtIds: string[],
    schoolIds: string[],
  ): Promise<{ districts: Map<string, { name: string; code: string }>; schools: Map<string, { name: string; code: string }> }> {
    const result = await sql<{ kind: 'district' | 'school'; id: string; name: string; code: string }>(
      this.db.manager,
      `SELECT 'district' AS kind, id, name, code FROM districts WHERE id = ANY($1::uuid[])
       UNION ALL
       SELECT 'school', id, name, code FROM schools WHERE id = ANY($2::uuid[])`,
      [districtIds, schoolIds],
    );
    const of = (kind: string) => new Map(result.rows.filter((r) => r.kind === kind).map((r) => [r.id, { name: r.name, code: r.code }]));
    return { districts: of('district'), schools: of('school') };
  }

  async collection(params: CollectionParams): Promise<CollectionRow[]> {
    return this.snapshot(async (em) => (await sql<CollectionRow>(em, ...collectionList(params))).rows);
  }

  /** One page of the federal inventory. */
  async federalInventory(params: FederalInventoryParams): Promise<FederalInventoryRow[]> {
    return this.snapshot(async (em) => (await run<FederalInventoryRow>(em, federalInventory(params))).rows);
  }

  /**
   * The whole federal inventory in batches, for a CSV sent while it is read: one read-only snapshot and
   * a server-side cursor, so a state's inventory never sits in memory. The connection is held until the
   * last batch is read or the consumer stops (a client that hangs up ends the generator, which releases it).
   */
  async *federalInventoryBatches(params: Omit<FederalInventoryParams, 'after' | 'limit'>): AsyncGenerator<FederalInventoryRow[]> {
    const runner = this.db.createQueryRunner();
    try {
      await runner.connect();
      await runner.startTransaction('REPEATABLE READ');
      await runner.query(`SET TRANSACTION READ ONLY`);
      await runner.query(`SET LOCAL jit = off`);
      const { text, values } = federalInventory({ ...params, after: null, limit: null }).render();
      await runner.query(`DECLARE federal_inventory NO SCROLL CURSOR FOR ${text}`, values);
      for (;;) {
        const rows = (await runner.query(`FETCH ${STREAM_BATCH_ROWS} FROM federal_inventory`)) as FederalInventoryRow[];
        if (rows.length) yield rows;
        if (rows.length < STREAM_BATCH_ROWS) break;
      }
      await runner.commitTransaction();
    } finally {
      if (runner.isTransactionActive) await runner.rollbackTransaction();
      await runner.release();
    }
  }

  async districtName(districtId: string): Promise<string | null> {
    const row = await one<{ name: string }>(this.db.manager, `SELECT name FROM districts WHERE id = $1`, [districtId]);
    return row?.name ?? null;
  }
}
