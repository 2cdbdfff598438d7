/** The words of the device inventory: what the API, the repositories, the custody workflows and the imports share. */

export const DEVICE_KINDS = ['chromebook', 'hotspot', 'laptop', 'other'] as const;
export type DeviceKind = (typeof DEVICE_KINDS)[number];
export const DEVICE_STATUSES = ['in_stock', 'assigned', 'loaner', 'in_repair', 'lost', 'stolen', 'retired'] as const;
export type DeviceStatus = (typeof DEVICE_STATUSES)[number];
export const CONDITIONS = ['working', 'damaged', 'broken'] as const;
export type Condition = (typeof CONDITIONS)[number];
export const LINE_STATUSES = ['active', 'suspended', 'deactivated'] as const;
export type LineStatus = (typeof LINE_STATUSES)[number];
/** Google Admin's Chrome device statuses, as the Directory API spells them. */
export const GOOGLE_STATUSES = [
  'ACTIVE',
  'DISABLED',
  'DEPROVISIONED',
  'PRE_PROVISIONED',
  'INACTIVE',
  'DELINQUENT',
  'RETURN_ARRIVED',
  'RETURN_REQUESTED',
  'SHIPPED',
  'UNKNOWN',
] as const;

/**
 * Google statuses of a Chromebook the district no longer has in use: deprovisioned (wiped and released
 * from management) or sent back (a return that arrived). An import retires such a device (see
 * upsertChromeDevices): it must never count or be offered as a spare.
 */
export const GOOGLE_GONE_STATUSES = ['DEPROVISIONED', 'RETURN_ARRIVED'] as const satisfies readonly (typeof GOOGLE_STATUSES)[number][];

/** Fields that only a Chromebook or only a hotspot may carry. */
export const CHROMEBOOK_FIELDS = ['googleDeviceId', 'googleStatus', 'lastSyncAt', 'osVersion', 'autoUpdateThrough'] as const;
export const HOTSPOT_FIELDS = [
  'imei',
  'iccid',
  'phoneNumber',
  'carrier',
  'lineStatus',
  'monthlyCapMb',
  'monthlyUsedMb',
  'lastUsageAt',
] as const;

/** A device and its active assignment, if any. */
export interface DeviceRow {
  id: string;
  districtId: string;
  schoolId: string | null;
  kind: DeviceKind;
  assetTag: string | null;
  serialNumber: string;
  model: string | null;
  manufacturer: string | null;
  fundingSource: string | null;
  status: DeviceStatus;
  condition: Condition;
  notes: string | null;
  googleDeviceId: string | null;
  googleStatus: string | null;
  lastSyncAt: Date | null;
  osVersion: string | null;
  autoUpdateThrough: string | null;
  imei: string | null;
  iccid: string | null;
  phoneNumber: string | null;
  carrier: string | null;
  lineStatus: LineStatus | null;
  monthlyCapMb: number | null;
  monthlyUsedMb: number | null;
  lastUsageAt: Date | null;
  retiredAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  assignmentId: string | null;
  holderStudentId: string | null;
  assignmentKind: string | null;
  assignedAt: Date | null;
}
