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

/** A device and its active assignment, if any; timestamps as ISO text (isoText). */
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
  lastSyncAt: string | null;
  osVersion: string | null;
  autoUpdateThrough: string | null;
  imei: string | null;
  iccid: string | null;
  phoneNumber: string | null;
  carrier: string | null;
  lineStatus: LineStatus | null;
  monthlyCapMb: number | null;
  monthlyUsedMb: number | null;
  lastUsageAt: string | null;
  purchaseDate: string | null;
  /** numeric(12,2), as PostgreSQL writes it ("349.00"). */
  purchaseCost: string | null;
  orderNumber: string | null;
  supplier: string | null;
  warrantyEnd: string | null;
  endOfLife: string | null;
  holderUnknown: boolean;
  retiredAt: string | null;
  createdAt: string;
  updatedAt: string;
  assignmentId: string | null;
  holderStudentId: string | null;
  assignmentKind: string | null;
  assignedAt: string | null;
  /** Moved on by every UPDATE (a trigger): the record's ETag. */
  version: number;
}

/**
 * The statuses an asset system's label may map to. `loaner` is not among them: a loaner exists only
 * with the loaner assignment that custody makes for a repair.
 */
export const MAPPABLE_STATUSES = ['in_stock', 'assigned', 'in_repair', 'lost', 'stolen', 'retired'] as const;
export type MappableStatus = (typeof MAPPABLE_STATUSES)[number];

/** What a status label means here: a status, and a condition (null: the device's own, `working` when new). */
export interface StatusMeaning {
  status: MappableStatus;
  condition: Condition | null;
}

/** "Lost/Stolen", "lost - stolen" and "LOST STOLEN" are one label. */
export function statusLabelKey(label: string): string {
  return label.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/**
 * The labels asset systems ship with (Snipe-IT's defaults and the common variants), by label key. A
 * district's own mappings (device_status_mappings) add to and override these. A deployed device goes
 * to `assigned` (its holder column names who holds it); labels that keep a device off the shelf
 * (broken, pending, undeployable) keep it in stock in a condition that is not `working`, so it is
 * never handed out as a spare.
 */
export const DEFAULT_STATUS_LABELS: Readonly<Record<string, StatusMeaning & { label: string }>> = Object.fromEntries(
  (
    [
      ['Ready to Deploy', 'in_stock', 'working'],
      ['Deployable', 'in_stock', 'working'],
      ['Available', 'in_stock', 'working'],
      ['In Stock', 'in_stock', 'working'],
      ['Spare', 'in_stock', 'working'],
      ['Loaner', 'in_stock', 'working'],
      ['Deployed', 'assigned', null],
      ['Assigned', 'assigned', null],
      ['Checked Out', 'assigned', null],
      ['In Use', 'assigned', null],
      ['Pending', 'in_stock', 'damaged'],
      ['Pending Diagnostics', 'in_stock', 'damaged'],
      ['Out for Diagnostics', 'in_repair', 'damaged'],
      ['Out for Repair', 'in_repair', 'broken'],
      ['In Repair', 'in_repair', 'broken'],
      ['Broken', 'in_stock', 'broken'],
      ['Undeployable', 'in_stock', 'broken'],
      ['Lost', 'lost', null],
      ['Lost/Stolen', 'lost', null],
      ['Missing', 'lost', null],
      ['Stolen', 'stolen', null],
      ['Archived', 'retired', null],
      ['Retired', 'retired', null],
      ['Broken - Not Fixable', 'retired', 'broken'],
      ['Disposed', 'retired', null],
      ['Recycled', 'retired', null],
    ] as const
  ).map(([label, status, condition]) => [statusLabelKey(label), { label, status, condition }]),
);
