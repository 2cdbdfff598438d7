import type { EntityManager } from 'typeorm';
import type { BulkStage } from '../../database/bulk-stage.js';
import { q, run } from '../../database/sql.js';
import { CHROME_DEVICE_COLUMNS, upsertChromeDevices } from '../../devices/devices-bulk.repository.js';
import { GOOGLE_STATUSES } from '../../devices/device.domain.js';
import { CellError, date, epochMillisDate, text, timestamp } from '../parsing/values.js';
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

const KNOWN_GOOGLE_STATUSES: ReadonlySet<string> = new Set(GOOGLE_STATUSES);

function googleStatus(value: string): string {
  const status = value.toUpperCase().replace(/[\s-]/g, '_');
  if (!KNOWN_GOOGLE_STATUSES.has(status)) throw new CellError(`${quoted(value)} is not a Google device status`);
  return status;
}

/** autoUpdateExpiration is epoch milliseconds in the API, a date in the console's export. */
function autoUpdate(value: string): string {
  return /^\d+$/.test(value) ? epochMillisDate(value) : date(value);
}

/** The most recent user's email: recentUsers lists newest first. */
function firstEmail(value: string): string | null {
  const first = value.split(/[,;\s]+/).find((v) => v.includes('@'));
  return first && first.length <= 320 ? first : null;
}

const str = (value: unknown): string | undefined => {
  if (typeof value === 'string') return value.trim() || undefined;
  if (typeof value === 'number') return String(value);
  return undefined;
};

/** A Directory API ChromeOsDevice as the fields the CSV export would give. */
export function directoryDeviceFields(value: unknown): Fields | FieldProblem[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [{ field: null, message: 'not a device object' }];
  const device = value as Record<string, unknown>;
  const fields: Fields = {};
  for (const key of [
    'serialNumber',
    'annotatedAssetId',
    'annotatedUser',
    'deviceId',
    'status',
    'lastSync',
    'osVersion',
    'autoUpdateThrough',
    'autoUpdateExpiration',
    'model',
  ]) {
    const v = str(device[key]);
    if (v !== undefined) fields[key] = v;
  }
  const users = Array.isArray(device['recentUsers']) ? (device['recentUsers'] as unknown[]) : [];
  const emails = users
    .map((u) => (typeof u === 'object' && u !== null ? str((u as Record<string, unknown>)['email']) : undefined))
    .filter(Boolean);
  if (emails.length) fields['recentUsers'] = emails.join(',');
  return fields;
}

/**
 * Google Admin's Chrome devices (Directory API JSON or the console's CSV export), matched on serial
 * number. Google's view (status, last sync, OS, end of updates) is stored on the device; an unknown
 * serial becomes an unassigned Chromebook in stock. A Chromebook Google no longer manages
 * (DEPROVISIONED, RETURN_ARRIVED) is retired unless a student holds it or it is in repair (see
 * upsertChromeDevices). Who Google says uses a device is only suggested.
 */
export function chromeosDevicesPart(): Part {
  return {
    name: 'chromeos-devices',
    plannedOn: ['devices'],
    headers: {
      fields: [
        { field: 'serialNumber', aliases: ['Serial', 'Serial Number'], required: true },
        { field: 'annotatedAssetId', aliases: ['Asset ID', 'Asset Tag', 'Asset Identifier'] },
        { field: 'annotatedUser', aliases: ['User', 'Annotated User', 'Assigned User'] },
        { field: 'deviceId', aliases: ['Device ID'] },
        { field: 'status', aliases: ['Device Status'] },
        { field: 'lastSync', aliases: ['Last Sync', 'Last Policy Sync'] },
        { field: 'osVersion', aliases: ['OS Version', 'Chrome OS Version'] },
        { field: 'autoUpdateThrough', aliases: ['Auto Update Through', 'AUE Date', 'Auto Update Expiration Date'] },
        { field: 'autoUpdateExpiration', aliases: ['Auto Update Expiration', 'AUE'] },
        { field: 'recentUsers', aliases: ['Recent Users', 'Recent User', 'Most Recent User', 'recentUsers.0.email'] },
        { field: 'model', aliases: ['Model'] },
      ],
    },
    json: { key: 'chromeosdevices', fields: directoryDeviceFields },
    columns: CHROME_DEVICE_COLUMNS,
    map(fields: Fields): Mapped {
      const errors: FieldProblem[] = [];
      const serial = attempt(errors, 'serialNumber', () => required(fields, 'serialNumber', 100));
      const assetTag = attempt(errors, 'annotatedAssetId', () => optional(fields, 'annotatedAssetId', (v) => text(v, 100)));
      const deviceId = attempt(errors, 'deviceId', () => optional(fields, 'deviceId', (v) => text(v, 200)));
      const status = attempt(errors, 'status', () => optional(fields, 'status', googleStatus));
      const lastSync = attempt(errors, 'lastSync', () => optional(fields, 'lastSync', timestamp));
      const os = attempt(errors, 'osVersion', () => optional(fields, 'osVersion', (v) => text(v, 100)));
      const through = fields['autoUpdateThrough'] ? 'autoUpdateThrough' : 'autoUpdateExpiration';
      const aue = attempt(errors, through, () => optional(fields, through, autoUpdate));
      const model = attempt(errors, 'model', () => optional(fields, 'model', (v) => text(v, 200)));
      if (errors.length) return { errors };
      const annotated = fields['annotatedUser'] ? firstEmail(fields['annotatedUser']) : null;
      const recent = fields['recentUsers'] ? firstEmail(fields['recentUsers']) : null;
      return { row: [serial, assetTag, annotated, recent, deviceId, status, lastSync, os, aue, model] };
    },
    apply: applyChromeDevices,
  };
}

async function applyChromeDevices(em: EntityManager, stage: BulkStage, ctx: BatchContext): Promise<Applied> {
  await run(em, duplicateKeyErrors(stage, 'serial_number', 'serialNumber', ctx.unit));
  const counts = await upsertChromeDevices(em, stage, { districtId: ctx.districtId, author: auditAuthor(ctx) });
  const suggestions = await suggestAssignments(em, stage, ctx.districtId, ctx.importId);
  return {
    created: counts.created,
    updated: counts.updated,
    stats: { devicesCreated: counts.created, suggestions, ...(counts.retired ? { retired: counts.retired } : {}) },
  };
}

/**
 * Google's annotatedUser (or, failing that, its most recent user) that is an active student of the
 * district, and does not already hold the device, becomes a suggested assignment on the import.
 */
async function suggestAssignments(em: EntityManager, stage: BulkStage, districtId: string, importId: string): Promise<number> {
  const result = await run(
    em,
    q`INSERT INTO import_suggestions (import_id, district_id, device_id, student_id, basis, line)
     SELECT DISTINCT ON (d.id) ${importId}, ${districtId}, d.id, s.id, c.basis, c.line
     FROM (
       SELECT st.line, st.serial_number, st.annotated_user AS email, 'annotated_user' AS basis, 1 AS rank FROM ${stage.rows} st
       WHERE st.annotated_user IS NOT NULL AND ${stage.goodRows}
       UNION ALL
       SELECT st.line, st.serial_number, st.recent_user, 'recent_user', 2 FROM ${stage.rows} st
       WHERE st.recent_user IS NOT NULL AND ${stage.goodRows}
     ) c
     JOIN devices d ON d.district_id = ${districtId} AND d.serial_number = c.serial_number AND d.kind = 'chromebook'
     -- The first active student by id with that email, found through the email index: a per-row
     -- "ORDER BY id LIMIT 1" lets the planner walk every student in id order looking for the email.
     JOIN (
       SELECT DISTINCT ON (lower(x.email)) lower(x.email) AS email, x.id
       FROM students x
       WHERE x.district_id = ${districtId} AND x.email IS NOT NULL AND x.enrollment_status = 'active'
         AND lower(x.email) IN (SELECT lower(annotated_user) FROM ${stage.rows} UNION SELECT lower(recent_user) FROM ${stage.rows})
       ORDER BY lower(x.email), x.id
     ) s ON s.email = lower(c.email)
     WHERE NOT EXISTS (SELECT 1 FROM assignments a WHERE a.device_id = d.id AND a.student_id = s.id AND a.ended_at IS NULL)
     ORDER BY d.id, c.rank
     ON CONFLICT (import_id, device_id) DO NOTHING
     RETURNING id`,
  );
  return result.count;
}
