import type { EntityManager } from 'typeorm';
import type { BulkStage } from '../../database/bulk-stage.js';
import { run } from '../../database/sql.js';
import { DEVICE_LIST_COLUMNS, upsertDevices } from '../../devices/devices-bulk.repository.js';
import type { DeviceKind, DeviceStatus } from '../../devices/device.domain.js';
import { CellError, text } from '../parsing/values.js';
import {
  attempt,
  auditAuthor,
  duplicateKeyErrors,
  optional,
  quoted,
  required,
  type Applied,
  type BatchContext,
  type FieldProblem,
  type Fields,
  type Mapped,
  type Part,
} from './part.js';

/** The statuses a device may be imported with: custody comes from assignments, not from a file. */
type InitialStatus = Extract<DeviceStatus, 'in_stock' | 'lost' | 'stolen' | 'retired'>;

/** Our kinds, or an asset system's category ("Chromebooks", "MiFi Hotspots", "Windows Laptops"). */
export function deviceKind(value: string): DeviceKind {
  const v = value.toLowerCase();
  if (/chrome/.test(v)) return 'chromebook';
  if (/hot ?spot|mifi|jetpack|modem|wi-?fi/.test(v)) return 'hotspot';
  if (/laptop|notebook|macbook/.test(v)) return 'laptop';
  return 'other';
}

/**
 * The status a new device starts in, from our names or Snipe-IT's status labels. Custody states
 * (assigned, loaner, in repair) come from the custody workflows, which keep their own records, so a
 * "Deployed" or "Out for Repair" device arrives in stock.
 */
const STATUSES: Record<string, InitialStatus> = {
  instock: 'in_stock',
  readytodeploy: 'in_stock',
  deployable: 'in_stock',
  deployed: 'in_stock',
  assigned: 'in_stock',
  loaner: 'in_stock',
  pending: 'in_stock',
  available: 'in_stock',
  inrepair: 'in_stock',
  outforrepair: 'in_stock',
  outfordiagnostics: 'in_stock',
  lost: 'lost',
  stolen: 'stolen',
  loststolen: 'lost',
  retired: 'retired',
  archived: 'retired',
  brokennotfixable: 'retired',
  disposed: 'retired',
  recycled: 'retired',
};

export function initialStatus(value: string): InitialStatus {
  const found = STATUSES[value.toLowerCase().replace(/[^a-z]/g, '')];
  if (!found) throw new CellError(`${quoted(value)} is not a known status`);
  return found;
}

const digits =
  (pattern: RegExp, what: string) =>
  (value: string): string => {
    const compact = value.replace(/[\s-]/g, '');
    if (!pattern.test(compact)) throw new CellError(`not a valid ${what}`);
    return compact;
  };
export const imei = digits(/^\d{14,16}$/, 'IMEI (14 to 16 digits)');
export const iccid = digits(/^\d{18,22}[Ff]?$/, 'ICCID (18 to 22 digits)');

/**
 * A device list: our own field names, or an asset system's export (Snipe-IT: Asset Tag, Serial, Model,
 * Manufacturer, Category, Location, Status). Devices are matched on serial number; a blank cell
 * leaves the stored value alone. Kind and status are set when a device is created: later changes go
 * through the inventory and custody workflows.
 */
export function devicesPart(): Part {
  return {
    name: 'devices',
    headers: {
      fields: [
        { field: 'serialNumber', aliases: ['Serial', 'Serial Number', 'SN'], required: true },
        { field: 'kind', aliases: ['Category', 'Device Type', 'Type'], required: true },
        { field: 'assetTag', aliases: ['Asset Tag', 'Asset'] },
        { field: 'model', aliases: ['Model Name'] },
        { field: 'manufacturer', aliases: ['Make', 'Brand'] },
        { field: 'school', aliases: ['Location', 'School Code', 'schoolCode', 'Default Location'] },
        { field: 'fundingSource', aliases: ['Funding Source', 'Funding'] },
        { field: 'status', aliases: ['Status Label'] },
        { field: 'imei' },
        { field: 'iccid', aliases: ['UICC', 'SIM'] },
        { field: 'phoneNumber', aliases: ['Phone Number', 'Phone', 'MDN'] },
        { field: 'carrier' },
        { field: 'notes' },
      ],
      ignored: [
        'Name',
        'Asset Name',
        'Model Number',
        'Model No.',
        'Company',
        'Purchase Date',
        'Purchase Cost',
        'Order Number',
        'Supplier',
        'Warranty',
        'Warranty Months',
        'Checked Out To',
        'Checked Out To: Username',
        'Checked Out To: Email',
        'EOL',
        'Requestable',
      ],
    },
    columns: DEVICE_LIST_COLUMNS,
    map(fields: Fields): Mapped {
      const errors: FieldProblem[] = [];
      const serial = attempt(errors, 'serialNumber', () => required(fields, 'serialNumber', 100));
      const kind = attempt(errors, 'kind', () => deviceKind(required(fields, 'kind', 200)));
      const status = attempt(errors, 'status', () => optional(fields, 'status', initialStatus)) ?? 'in_stock';
      const values = {
        assetTag: attempt(errors, 'assetTag', () => optional(fields, 'assetTag', (v) => text(v, 100))),
        model: attempt(errors, 'model', () => optional(fields, 'model', (v) => text(v, 200))),
        manufacturer: attempt(errors, 'manufacturer', () => optional(fields, 'manufacturer', (v) => text(v, 200))),
        school: attempt(errors, 'school', () => optional(fields, 'school', (v) => text(v, 200))),
        fundingSource: attempt(errors, 'fundingSource', () => optional(fields, 'fundingSource', (v) => text(v, 200))),
        imei: attempt(errors, 'imei', () => optional(fields, 'imei', imei)),
        iccid: attempt(errors, 'iccid', () => optional(fields, 'iccid', iccid)),
        phoneNumber: attempt(errors, 'phoneNumber', () => optional(fields, 'phoneNumber', (v) => text(v, 30))),
        carrier: attempt(errors, 'carrier', () => optional(fields, 'carrier', (v) => text(v, 100))),
        notes: attempt(errors, 'notes', () => optional(fields, 'notes', (v) => text(v, 4000))),
      };
      if (kind && kind !== 'hotspot') {
        for (const field of ['imei', 'iccid', 'phoneNumber', 'carrier'] as const) {
          if (values[field] !== null) errors.push({ field, message: `only a hotspot has ${field}, and this device is a ${kind}` });
        }
      }
      if (errors.length) return { errors };
      const v = values;
      return {
        row: [
          serial,
          kind,
          v.assetTag,
          v.model,
          v.manufacturer,
          v.school,
          v.fundingSource,
          status,
          v.imei,
          v.iccid,
          v.phoneNumber,
          v.carrier,
          v.notes,
        ],
      };
    },
    apply: applyDevices,
  };
}

async function applyDevices(em: EntityManager, stage: BulkStage, ctx: BatchContext): Promise<Applied> {
  await run(em, duplicateKeyErrors(stage, 'serial_number', 'serialNumber'));
  return upsertDevices(em, stage, { districtId: ctx.districtId, author: auditAuthor(ctx) });
}
