/** The words of the gap scans: what their routes, repository, engine and processor share. */

export const SCAN_STATUSES = ['queued', 'running', 'completed', 'failed'] as const;
export type ScanStatus = (typeof SCAN_STATUSES)[number];
/** Who asked for a scan: a person, the daily schedule, or an import that changed what a scan would find. */
export const SCAN_TRIGGERS = ['manual', 'schedule', 'import'] as const;
export type ScanTrigger = (typeof SCAN_TRIGGERS)[number];

export interface GapScanRow extends ScanCounts {
  id: string;
  districtId: string | null;
  asOf: string | null;
  trigger: ScanTrigger;
  status: ScanStatus;
  error: string | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
}

export interface ScanCounts {
  studentsScanned: number;
  gapsOpened: number;
  gapsClosed: number;
  ticketsOpened: number;
  ticketsUpdated: number;
  ticketsResolved: number;
}

export const EMPTY_COUNTS: ScanCounts = {
  studentsScanned: 0,
  gapsOpened: 0,
  gapsClosed: 0,
  ticketsOpened: 0,
  ticketsUpdated: 0,
  ticketsResolved: 0,
};
