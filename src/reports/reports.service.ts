import { Injectable } from '@nestjs/common';
import type { Principal } from '../auth/principal.js';
import { districtFilter } from '../auth/scope.js';
import { domainError } from '../common/errors/error-codes.js';
import { cursorKey, DEFAULT_PAGE_SIZE, isSmallInt, isText, isUuidKey, page } from '../common/http/pagination.js';
import type { ReportFormat } from '../common/http/response-format.js';
import { CsvDocument, CsvStream } from './report-format.js';
import {
  collectionTable,
  FEDERAL_INVENTORY_COLUMNS,
  federalInventoryCells,
  healthTable,
  placeIds,
  reconciliationTable,
  rolloutTable,
  ticketsTable,
  ticketWeeksTable,
  weeklyTable,
  weeklyTrendTable,
  withPlaceNames,
} from './report-csv.presenter.js';
import type { CsvTable } from '../common/csv.js';
import type {
  CollectionItemDto,
  CollectionListDto,
  CollectionQueryDto,
  DeviceHealthDistrictDto,
  DeviceHealthQueryDto,
  DeviceHealthReportDto,
  FederalInventoryListDto,
  FederalInventoryQueryDto,
  HealthDeviceDto,
  HealthDeviceListDto,
  ReconciliationItemDto,
  ReconciliationListDto,
  ReconciliationQueryDto,
  RolloutCountsDto,
  RolloutDistrictDto,
  RolloutQueryDto,
  RolloutReportDto,
  TicketsReportDto,
  TicketsReportQueryDto,
  TicketWeeksQueryDto,
  TicketWeeksReportDto,
  WeeklyReportDto,
  WeeklyReportQueryDto,
  WeeklyTrendDto,
  WeeklyTrendQueryDto,
} from './reports.dto.js';
import { ReportsRepository, type FederalInventoryRow, type HealthDeviceRow, type RolloutRow } from './reports.repository.js';
import { addDays, mondayOf } from './week.js';

const DEFAULT_SAMPLE_SIZE = 20;
const DEFAULT_WEEKS = 12;
const DEFAULT_LIST_LIMIT = 100;
const DEVICE_LISTS = [
  'chromebooksNotSyncing',
  'chromebooksAutoUpdateEnding',
  'chromebooksDisabledWhileAssigned',
  'hotspotsSuspended',
  'hotspotsOverCap',
  'hotspotsIdle',
] as const;

const iso = (value: Date | string | null): string | null => (value === null ? null : new Date(value).toISOString());

function counts(row: RolloutRow): RolloutCountsDto {
  const { delivered, registered, assigned, activeUse, idle, inStock, inRepair, lostOrStolen, retired } = row;
  return { delivered, registered, assigned, activeUse, idle, inStock, inRepair, lostOrStolen, retired };
}

function emptyRollout(districtId: string, districtName: string): RolloutDistrictDto {
  const none = { count: 0, serialNumbers: [] };
  return {
    districtId,
    districtName,
    totals: { delivered: 0, registered: 0, assigned: 0, activeUse: 0, idle: 0, inStock: 0, inRepair: 0, lostOrStolen: 0, retired: 0 },
    schools: [],
    reconciliation: { deliveredNotRegistered: none, registeredNotOnManifest: none, deliveredUnderOtherFunding: none },
  };
}

function healthDevice(row: HealthDeviceRow): HealthDeviceDto {
  return {
    deviceId: row.deviceId,
    schoolId: row.schoolId,
    serialNumber: row.serialNumber,
    assetTag: row.assetTag,
    status: row.status,
    studentId: row.studentId,
    lastSyncAt: iso(row.lastSyncAt),
    autoUpdateThrough: row.autoUpdateThrough,
    googleStatus: row.googleStatus,
    lineStatus: row.lineStatus,
    monthlyCapMb: row.monthlyCapMb,
    monthlyUsedMb: row.monthlyUsedMb,
    lastUsageAt: iso(row.lastUsageAt),
  };
}

/** Groups rows by district, keeping their order. */
function byDistrict<T extends { districtId: string }>(rows: T[]): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const group = groups.get(row.districtId);
    if (group) group.push(row);
    else groups.set(row.districtId, [row]);
  }
  return groups;
}

@Injectable()
export class ReportsService {
  constructor(private readonly reports: ReportsRepository) {}

  /** A report's CSV, its district and school ids each followed by the name and code. */
  private async csv(filename: string, table: CsvTable): Promise<CsvDocument> {
    const { districtIds, schoolIds } = placeIds(table);
    const { districts, schools } = await this.reports.placeNames(districtIds, schoolIds);
    return new CsvDocument(filename, withPlaceNames(table, districts, schools));
  }

  async weeklyLearningModel(
    principal: Principal,
    query: WeeklyReportQueryDto,
    format: ReportFormat,
  ): Promise<WeeklyReportDto | CsvDocument> {
    const districtId = districtFilter(principal, query.districtId);
    const weekOf = mondayOf(query.weekOf);
    const rows = await this.reports.weekly([weekOf], districtId, principal.schoolIds, {
      bySchool: query.bySchool ?? false,
      stateTotal: districtId === null,
      byGrade: true,
    });
    // The query is driven by districts: no row means the district asked for does not exist.
    if (districtId && !rows.length) throw domainError('district_not_found', districtId);
    const report: WeeklyReportDto = { weekOf, weekEnd: addDays(weekOf, 6), rows: rows.map(({ weekOf: _week, ...row }) => row) };
    return format === 'csv' ? await this.csv(`weekly-learning-model-${weekOf}.csv`, weeklyTable(report)) : report;
  }

  /** The weekly report's totals for several weeks in one statement: the trend of the weekly collection. */
  async weeklyTrend(principal: Principal, query: WeeklyTrendQueryDto, format: ReportFormat): Promise<WeeklyTrendDto | CsvDocument> {
    const districtId = districtFilter(principal, query.districtId);
    const weekOf = mondayOf(query.weekOf);
    const weeks = query.weeks ?? DEFAULT_WEEKS;
    const mondays = Array.from({ length: weeks }, (_, i) => addDays(weekOf, 7 * (i - weeks + 1)));
    const rows = await this.reports.weekly(mondays, districtId, principal.schoolIds, {
      bySchool: query.bySchool ?? false,
      stateTotal: districtId === null,
      byGrade: false,
    });
    if (districtId && !rows.length) throw domainError('district_not_found', districtId);
    const report: WeeklyTrendDto = {
      weekOf,
      weeks,
      rows: rows.map((r) => ({
        weekOf: r.weekOf,
        districtId: r.districtId,
        schoolId: r.schoolId,
        enrollment: r.enrollment,
        remote: r.remote,
        remoteNotConnected: r.remoteNotConnected,
        percentRemoteNotConnected: r.percentRemoteNotConnected,
      })),
    };
    return format === 'csv' ? await this.csv(`weekly-learning-model-trend-${weekOf}.csv`, weeklyTrendTable(report.rows)) : report;
  }

  async rollout(principal: Principal, query: RolloutQueryDto, format: ReportFormat): Promise<RolloutReportDto | CsvDocument> {
    const districtId = districtFilter(principal, query.districtId);
    const sampleSize = query.sampleSize ?? DEFAULT_SAMPLE_SIZE;
    const generatedAt = new Date().toISOString();
    const rows = await this.reports.rollout(query.fundingSource, districtId, principal.schoolIds, sampleSize);
    const districts = [...byDistrict(rows).values()].map((group): RolloutDistrictDto => {
      const total = group.find((row) => row.isTotal)!;
      return {
        districtId: total.districtId,
        districtName: total.districtName,
        totals: counts(total),
        schools: group.filter((row) => !row.isTotal).map((row) => ({ schoolId: row.schoolId, schoolName: row.schoolName, ...counts(row) })),
        reconciliation: {
          deliveredNotRegistered: { count: total.deliveredNotRegistered, serialNumbers: total.deliveredNotRegisteredSample },
          registeredNotOnManifest: { count: total.registeredNotOnManifest, serialNumbers: total.registeredNotOnManifestSample },
          deliveredUnderOtherFunding: { count: total.deliveredUnderOtherFunding, serialNumbers: total.deliveredUnderOtherFundingSample },
        },
      };
    });
    // A district the programme never reached still answers, with zeros; one that does not exist is a 404.
    if (districtId && !districts.length) {
      const name = await this.reports.districtName(districtId);
      if (name === null) throw domainError('district_not_found', districtId);
      districts.push(emptyRollout(districtId, name));
    }
    const report: RolloutReportDto = { fundingSource: query.fundingSource, generatedAt, sampleSize, districts };
    return format === 'csv' ? await this.csv('rollout.csv', rolloutTable(report)) : report;
  }

  async reconciliation(
    principal: Principal,
    query: ReconciliationQueryDto,
    format: ReportFormat,
  ): Promise<ReconciliationListDto | CsvDocument> {
    const districtId = districtFilter(principal, query.districtId);
    if (districtId && (await this.reports.districtName(districtId)) === null) throw domainError('district_not_found', districtId);
    const scope = { districtId, schoolIds: principal.schoolIds };
    if (format === 'csv') {
      const rows = await this.reports.reconciliation(query.list, query.fundingSource, scope, null, null);
      return await this.csv(`rollout-${query.list}.csv`, reconciliationTable(rows));
    }
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const after = cursorKey<[string, string]>(query.cursor, [isUuidKey, isText]);
    const rows = await this.reports.reconciliation(query.list, query.fundingSource, scope, after, limit + 1);
    return page<ReconciliationItemDto>(rows, limit, (row) => [row.districtId, row.serialNumber]);
  }

  async deviceHealth(
    principal: Principal,
    query: DeviceHealthQueryDto,
    format: ReportFormat,
  ): Promise<DeviceHealthReportDto | CsvDocument> {
    const districtId = districtFilter(principal, query.districtId);
    const listLimit = query.listLimit ?? DEFAULT_LIST_LIMIT;
    const generatedAt = new Date().toISOString();
    const rows = await this.reports.deviceHealth({
      districtId,
      schoolIds: principal.schoolIds,
      syncStaleDays: query.syncStaleDays ?? null,
      hotspotIdleDays: query.hotspotIdleDays ?? null,
      // A CSV is the way to get every entry.
      listLimit: format === 'csv' ? null : listLimit,
    });
    if (districtId && !rows.districts.length) throw domainError('district_not_found', districtId);
    const devices = byDistrict(rows.devices);
    const kits = byDistrict(rows.kits);
    const spares = byDistrict(rows.spares);
    const districts = rows.districts.map((d): DeviceHealthDistrictDto => {
      const flagged = devices.get(d.districtId) ?? [];
      const list = (category: string): HealthDeviceListDto => {
        const items = flagged.filter((row) => row.category === category);
        return { count: items[0]?.total ?? 0, items: items.map(healthDevice) };
      };
      const districtKits = kits.get(d.districtId) ?? [];
      const districtSpares = spares.get(d.districtId) ?? [];
      return {
        ...d,
        ...(Object.fromEntries(DEVICE_LISTS.map((category) => [category, list(category)])) as Record<
          (typeof DEVICE_LISTS)[number],
          HealthDeviceListDto
        >),
        kitsMissingItems: {
          count: districtKits[0]?.total ?? 0,
          items: districtKits.map((k) => ({
            kitId: k.kitId,
            studentId: k.studentId,
            schoolId: k.schoolId,
            issuedAt: iso(k.issuedAt)!,
            returnedAt: iso(k.returnedAt),
            missingItems: k.missingItems,
          })),
        },
        sparePoolBelowMinimum: {
          count: districtSpares[0]?.total ?? 0,
          items: districtSpares.map(({ schoolId, schoolName, spareChromebooks, minimum }) => ({
            schoolId,
            schoolName,
            spareChromebooks,
            minimum,
          })),
        },
      };
    });
    const report: DeviceHealthReportDto = { generatedAt, listLimit, districts };
    return format === 'csv' ? await this.csv('device-health.csv', healthTable(report)) : report;
  }

  async tickets(principal: Principal, query: TicketsReportQueryDto, format: ReportFormat): Promise<TicketsReportDto | CsvDocument> {
    const districtId = districtFilter(principal, query.districtId);
    if (query.from && query.to && query.from > query.to) {
      throw domainError('validation_failed', [{ field: 'from', message: 'must not be after to' }]);
    }
    const generatedAt = new Date().toISOString();
    const rows = await this.reports.tickets(districtId, principal.schoolIds, query.from ?? null, query.to ?? null);
    if (districtId && !rows.length) throw domainError('district_not_found', districtId);
    const report: TicketsReportDto = {
      generatedAt,
      districts: rows.map((row) => ({
        ...row,
        oldestOpen: row.oldestOpen && { ...row.oldestOpen, openedAt: iso(row.oldestOpen.openedAt)! },
      })),
    };
    return format === 'csv' ? await this.csv('tickets.csv', ticketsTable(report)) : report;
  }

  /** Tickets per district, week and type: volume, time to resolve, and the open queue at each week's end. */
  async ticketWeeks(principal: Principal, query: TicketWeeksQueryDto, format: ReportFormat): Promise<TicketWeeksReportDto | CsvDocument> {
    const districtId = districtFilter(principal, query.districtId);
    const weekOf = query.weekOf ? mondayOf(query.weekOf) : null;
    const weeks = query.weeks ?? DEFAULT_WEEKS;
    const generatedAt = new Date().toISOString();
    const rows = await this.reports.ticketWeeks({ districtId, schoolIds: principal.schoolIds, weekOf, weeks });
    if (districtId && !rows.length) throw domainError('district_not_found', districtId);
    const report: TicketWeeksReportDto = { generatedAt, weeks, rows };
    return format === 'csv' ? await this.csv(`tickets-weekly${weekOf ? `-${weekOf}` : ''}.csv`, ticketWeeksTable(rows)) : report;
  }

  /** Withdrawn students who still hold equipment: a page of them, or the whole list as CSV. */
  async collection(principal: Principal, query: CollectionQueryDto, format: ReportFormat): Promise<CollectionListDto | CsvDocument> {
    const districtId = districtFilter(principal, query.districtId);
    if (districtId && (await this.reports.districtName(districtId)) === null) throw domainError('district_not_found', districtId);
    const filter = { districtId, schoolId: query.schoolId ?? null, schoolIds: principal.schoolIds };
    if (format === 'csv') {
      const rows = await this.reports.collection({ ...filter, after: null, limit: null });
      return new CsvDocument('collection.csv', collectionTable(rows));
    }
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const after = cursorKey<[string, string]>(query.cursor, [isUuidKey, isUuidKey]);
    const rows = await this.reports.collection({ ...filter, after, limit: limit + 1 });
    return page<CollectionItemDto>(rows, limit, (row) => [row.districtId, row.studentId]);
  }

  /**
   * The federal programme inventory: a page of rows, or every row as a CSV streamed from a server-side
   * cursor (a state's inventory is never held in memory).
   */
  async federalInventory(
    principal: Principal,
    query: FederalInventoryQueryDto,
    format: ReportFormat,
  ): Promise<FederalInventoryListDto | CsvStream> {
    const districtId = districtFilter(principal, query.districtId);
    if (districtId && (await this.reports.districtName(districtId)) === null) throw domainError('district_not_found', districtId);
    const filter = { fundingSource: query.fundingSource, districtId, schoolId: query.schoolId ?? null, schoolIds: principal.schoolIds };
    if (format === 'csv') {
      const batches = this.reports.federalInventoryBatches(filter);
      return new CsvStream('federal-inventory.csv', [...FEDERAL_INVENTORY_COLUMNS], mapBatches(batches, federalInventoryCells));
    }
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const after = cursorKey<[string, string, number]>(query.cursor, [isUuidKey, isUuidKey, isSmallInt]);
    const rows = await this.reports.federalInventory({ ...filter, after, limit: limit + 1 });
    return {
      fundingSource: query.fundingSource,
      ...page<FederalInventoryRow>(rows, limit, (r) => [r.districtId, r.deviceId, r.loanNumber]),
    };
  }
}

async function* mapBatches<T, U>(batches: AsyncIterable<T>, fn: (batch: T) => U): AsyncGenerator<U> {
  for await (const batch of batches) yield fn(batch);
}
