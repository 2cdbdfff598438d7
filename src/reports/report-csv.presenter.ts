import type { CsvCell, CsvTable } from '../common/csv.js';
import type {
  CollectionItemDto,
  DeviceHealthReportDto,
  FederalInventoryRowDto,
  ReconciliationItemDto,
  RolloutCountsDto,
  RolloutReportDto,
  TicketsReportDto,
  TicketWeekRowDto,
  WeeklyReportDto,
  WeeklyTrendRowDto,
} from './reports.dto.js';

/**
 * The flat CSV shape of each report. Flat reports keep their JSON row fields as columns; nested ones
 * become one row per entity (rollout), per flagged item (device health) or per figure (tickets).
 */

export const WEEKLY_COLUMNS = [
  'districtId',
  'schoolId',
  'grade',
  'enrollment',
  'inPerson',
  'hybrid',
  'remote',
  'percentRemote',
  'remoteNotConnected',
  'percentRemoteNotConnected',
] as const;

/** A flat report: its JSON rows' fields as columns, one line per row. */
function flatTable<T>(columns: readonly (keyof T & string)[], rows: readonly T[]): CsvTable {
  return { columns: [...columns], rows: rows.map((row) => columns.map((column) => row[column] as CsvCell)) };
}

export function weeklyTable(report: WeeklyReportDto): CsvTable {
  return flatTable(WEEKLY_COLUMNS, report.rows);
}

export const WEEKLY_TREND_COLUMNS = [
  'weekOf',
  'districtId',
  'schoolId',
  'enrollment',
  'remote',
  'remoteNotConnected',
  'percentRemoteNotConnected',
] as const satisfies readonly (keyof WeeklyTrendRowDto)[];

export function weeklyTrendTable(rows: readonly WeeklyTrendRowDto[]): CsvTable {
  return flatTable(WEEKLY_TREND_COLUMNS, rows);
}

export const TICKET_WEEKS_COLUMNS = [
  'districtId',
  'districtName',
  'weekOf',
  'weekEnd',
  'type',
  'opened',
  'resolved',
  'medianHoursToResolve',
  'openAtWeekEnd',
  'medianOpenAgeDays',
  'oldestOpenAgeDays',
] as const satisfies readonly (keyof TicketWeekRowDto)[];

export function ticketWeeksTable(rows: readonly TicketWeekRowDto[]): CsvTable {
  return flatTable(TICKET_WEEKS_COLUMNS, rows);
}

const COUNT_COLUMNS = [
  'delivered',
  'registered',
  'assigned',
  'activeUse',
  'idle',
  'inStock',
  'inRepair',
  'lostOrStolen',
  'retired',
] as const;

export const ROLLOUT_COLUMNS = [
  'level',
  'districtId',
  'districtName',
  'schoolId',
  'schoolName',
  ...COUNT_COLUMNS,
  'deliveredNotRegistered',
  'registeredNotOnManifest',
  'deliveredUnderOtherFunding',
];

/** A `district` row (its totals and reconciliation counts) followed by one `school` row per school. */
export function rolloutTable(report: RolloutReportDto): CsvTable {
  const counts = (c: RolloutCountsDto) => COUNT_COLUMNS.map((column) => c[column]);
  return {
    columns: ROLLOUT_COLUMNS,
    rows: report.districts.flatMap((d) => [
      [
        'district',
        d.districtId,
        d.districtName,
        null,
        null,
        ...counts(d.totals),
        d.reconciliation.deliveredNotRegistered.count,
        d.reconciliation.registeredNotOnManifest.count,
        d.reconciliation.deliveredUnderOtherFunding.count,
      ],
      ...d.schools.map((s) => ['school', d.districtId, d.districtName, s.schoolId, s.schoolName, ...counts(s), null, null, null]),
    ]),
  };
}

export const RECONCILIATION_COLUMNS = [
  'districtId',
  'serialNumber',
  'shipmentId',
  'shippedOn',
  'reference',
  'deviceId',
  'schoolId',
  'deviceStatus',
  'deviceFundingSource',
  'purchaseDate',
  'orderNumber',
] as const;

export function reconciliationTable(items: ReconciliationItemDto[]): CsvTable {
  return flatTable(RECONCILIATION_COLUMNS, items);
}

const DEVICE_CATEGORIES = [
  'chromebooksNotSyncing',
  'chromebooksAutoUpdateEnding',
  'chromebooksDisabledWhileAssigned',
  'hotspotsSuspended',
  'hotspotsOverCap',
  'hotspotsIdle',
] as const;

export const HEALTH_COLUMNS = [
  'districtId',
  'category',
  'deviceId',
  'kitId',
  'schoolId',
  'studentId',
  'serialNumber',
  'assetTag',
  'status',
  'lastSyncAt',
  'autoUpdateThrough',
  'googleStatus',
  'lineStatus',
  'monthlyCapMb',
  'monthlyUsedMb',
  'lastUsageAt',
  'missingItems',
  'spareChromebooks',
  'sparePoolMinimum',
] as const;

/** One row per flagged device, kit or school, named by its category (the JSON list it sits in). */
export function healthTable(report: DeviceHealthReportDto): CsvTable {
  // A row by column name: each category fills its own columns, the rest stay empty.
  const row = (cells: Partial<Record<(typeof HEALTH_COLUMNS)[number], CsvCell>>): CsvCell[] => HEALTH_COLUMNS.map((c) => cells[c] ?? null);
  const rows = report.districts.flatMap((d) => [
    ...DEVICE_CATEGORIES.flatMap((category) =>
      d[category].items.map((x) =>
        row({
          districtId: d.districtId,
          category,
          deviceId: x.deviceId,
          schoolId: x.schoolId,
          studentId: x.studentId,
          serialNumber: x.serialNumber,
          assetTag: x.assetTag,
          status: x.status,
          lastSyncAt: x.lastSyncAt,
          autoUpdateThrough: x.autoUpdateThrough,
          googleStatus: x.googleStatus,
          lineStatus: x.lineStatus,
          monthlyCapMb: x.monthlyCapMb,
          monthlyUsedMb: x.monthlyUsedMb,
          lastUsageAt: x.lastUsageAt,
        }),
      ),
    ),
    ...d.kitsMissingItems.items.map((k) =>
      row({
        districtId: d.districtId,
        category: 'kitsMissingItems',
        kitId: k.kitId,
        schoolId: k.schoolId,
        studentId: k.studentId,
        missingItems: k.missingItems.map((m) => `${m.item} x${m.quantity}`).join('; '),
      }),
    ),
    ...d.sparePoolBelowMinimum.items.map((s) =>
      row({
        districtId: d.districtId,
        category: 'sparePoolBelowMinimum',
        schoolId: s.schoolId,
        spareChromebooks: s.spareChromebooks,
        sparePoolMinimum: s.minimum,
      }),
    ),
  ]);
  return { columns: [...HEALTH_COLUMNS], rows };
}

export const TICKETS_COLUMNS = ['districtId', 'from', 'to', 'metric', 'key', 'value'];

/** Long form: one row per figure, `key` naming the type, reason or channel where a figure has one. */
export function ticketsTable(report: TicketsReportDto): CsvTable {
  const rows = report.districts.flatMap((d) => {
    const row = (metric: string, key: string | null, value: string | number | null) => [d.districtId, d.from, d.to, metric, key, value];
    return [
      row('opened', null, d.opened),
      row('resolved', null, d.resolved),
      row('medianHoursToResolve', null, d.medianHoursToResolve),
      row('openNow', null, d.openNow),
      ...(Object.entries(d.openByType) as [string, number][]).map(([type, count]) => row('openByType', type, count)),
      ...d.openByReason.map((r) => row('openByReason', r.reason, r.count)),
      row('oldestOpenId', null, d.oldestOpen?.id ?? null),
      row('oldestOpenOpenedAt', null, d.oldestOpen?.openedAt ?? null),
      row('oldestOpenAgeHours', null, d.oldestOpen?.ageHours ?? null),
      row('outreachAttempts', null, d.outreach.attempts),
      ...(Object.entries(d.outreach.byChannel) as [string, number][]).map(([channel, count]) => row('outreachByChannel', channel, count)),
      row('homeVisits', null, d.outreach.homeVisits),
      row('homeVisitsReached', null, d.outreach.homeVisitsReached),
    ];
  });
  return { columns: TICKETS_COLUMNS, rows };
}

/** A district's or school's name and code, by id. */
export type PlaceNames = Map<string, { name: string; code: string }>;

const PLACES = [
  { id: 'districtId', name: 'districtName', code: 'districtCode' },
  { id: 'schoolId', name: 'schoolName', code: 'schoolCode' },
] as const;

/** The district and school ids a table's rows name, for looking their names and codes up. */
export function placeIds(table: CsvTable): { districtIds: string[]; schoolIds: string[] } {
  const ids = (column: string): string[] => {
    const i = table.columns.indexOf(column);
    return i < 0 ? [] : [...new Set(table.rows.map((row) => row[i]).filter((v): v is string => typeof v === 'string'))];
  };
  return { districtIds: ids('districtId'), schoolIds: ids('schoolId') };
}

/**
 * The table with each district and school id followed by its name and code (a spreadsheet reader
 * knows "LHS", not a uuid). Name columns a report already has are kept; missing ones are added.
 */
export function withPlaceNames(table: CsvTable, districts: PlaceNames, schools: PlaceNames): CsvTable {
  const columns: string[] = [];
  const cells: ((row: CsvCell[]) => CsvCell)[] = [];
  for (const [i, column] of table.columns.entries()) {
    columns.push(column);
    cells.push((row) => row[i]);
    for (const place of PLACES) {
      const present = [place.id, place.name].filter((c) => table.columns.includes(c));
      if (column !== present[present.length - 1] || !table.columns.includes(place.id)) continue;
      const idAt = table.columns.indexOf(place.id);
      const lookup = place.id === 'districtId' ? districts : schools;
      const of = (row: CsvCell[]) => (typeof row[idAt] === 'string' ? lookup.get(row[idAt]) : undefined);
      for (const extra of [place.name, place.code].filter((c) => !table.columns.includes(c))) {
        columns.push(extra);
        cells.push((row) => of(row)?.[extra === place.name ? 'name' : 'code'] ?? null);
      }
    }
  }
  return { columns, rows: table.rows.map((row) => cells.map((cell) => cell(row))) };
}

/** The columns of a report's CSV once withPlaceNames has added names and codes. */
export function placeColumns(columns: string[]): string[] {
  return withPlaceNames({ columns, rows: [] }, new Map(), new Map()).columns;
}

export const COLLECTION_COLUMNS = [
  'districtId',
  'districtName',
  'districtCode',
  'schoolId',
  'schoolName',
  'schoolCode',
  'studentId',
  'sourcedId',
  'identifier',
  'givenName',
  'familyName',
  'devices',
  'assetTags',
  'serialNumbers',
];

/** One row per student; the devices they hold as counts and lists (asset tags, serial numbers), "; " between. */
export function collectionTable(items: CollectionItemDto[]): CsvTable {
  return {
    columns: COLLECTION_COLUMNS,
    rows: items.map((i) => [
      i.districtId,
      i.districtName,
      i.districtCode,
      i.schoolId,
      i.schoolName,
      i.schoolCode,
      i.studentId,
      i.sourcedId,
      i.identifier,
      i.givenName,
      i.familyName,
      i.devices.length,
      i.devices.map((d) => d.assetTag ?? '').join('; '),
      i.devices.map((d) => d.serialNumber).join('; '),
    ]),
  };
}

/** The federal inventory's CSV: its JSON rows' fields, in this order, one line per loan or never-loaned device. */
export const FEDERAL_INVENTORY_COLUMNS = [
  'districtId',
  'districtName',
  'districtCode',
  'schoolId',
  'schoolName',
  'schoolCode',
  'deviceId',
  'deviceType',
  'deviceKind',
  'manufacturer',
  'model',
  'serialNumber',
  'assetTag',
  'recordedFundingSource',
  'manifestReference',
  'shippedOn',
  'deviceStatus',
  'deviceLossReportedOn',
  'neverLoaned',
  'loanNumber',
  'assignmentId',
  'assignmentKind',
  'studentId',
  'studentSchoolId',
  'studentSourcedId',
  'studentIdentifier',
  'providedTo',
  'loanedOn',
  'returnedOn',
  'endReason',
  'incident',
  'incidentOn',
  'carrier',
  'servicePlan',
  'monthlyCapMb',
  'lineNumber',
] as const satisfies readonly (keyof FederalInventoryRowDto)[];

export function federalInventoryCells(rows: FederalInventoryRowDto[]): CsvCell[][] {
  return rows.map((row) => FEDERAL_INVENTORY_COLUMNS.map((column) => row[column]));
}
