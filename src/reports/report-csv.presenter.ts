import type { CsvTable } from './csv.js';
import type {
  CollectionItemDto,
  DeviceHealthReportDto,
  ReconciliationItemDto,
  RolloutCountsDto,
  RolloutReportDto,
  TicketsReportDto,
  WeeklyReportDto,
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

export function weeklyTable(report: WeeklyReportDto): CsvTable {
  return { columns: [...WEEKLY_COLUMNS], rows: report.rows.map((row) => WEEKLY_COLUMNS.map((column) => row[column])) };
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
] as const;

export function reconciliationTable(items: ReconciliationItemDto[]): CsvTable {
  return { columns: [...RECONCILIATION_COLUMNS], rows: items.map((item) => RECONCILIATION_COLUMNS.map((column) => item[column])) };
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
];

/** One row per flagged device, kit or school, named by its category (the JSON list it sits in). */
export function healthTable(report: DeviceHealthReportDto): CsvTable {
  const rows = report.districts.flatMap((d) => [
    ...DEVICE_CATEGORIES.flatMap((category) =>
      d[category].items.map((x) => [
        d.districtId,
        category,
        x.deviceId,
        null,
        x.schoolId,
        x.studentId,
        x.serialNumber,
        x.assetTag,
        x.status,
        x.lastSyncAt,
        x.autoUpdateThrough,
        x.googleStatus,
        x.lineStatus,
        x.monthlyCapMb,
        x.monthlyUsedMb,
        x.lastUsageAt,
        null,
        null,
        null,
      ]),
    ),
    ...d.kitsMissingItems.items.map((k) => [
      d.districtId,
      'kitsMissingItems',
      null,
      k.kitId,
      k.schoolId,
      k.studentId,
      null,
      null,
      null,
      null,
      null,
      null,
      null,
      null,
      null,
      null,
      k.missingItems.map((m) => `${m.item} x${m.quantity}`).join('; '),
      null,
      null,
    ]),
    ...d.sparePoolBelowMinimum.items.map((s) => [
      d.districtId,
      'sparePoolBelowMinimum',
      null,
      null,
      s.schoolId,
      null,
      null,
      null,
      null,
      null,
      null,
      null,
      null,
      null,
      null,
      null,
      null,
      s.spareChromebooks,
      s.minimum,
    ]),
  ]);
  return { columns: HEALTH_COLUMNS, rows };
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
