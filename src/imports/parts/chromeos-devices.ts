import type { EntityManager } from 'typeorm';
import { one, sql } from '../../database/sql.js';
import { CellError, date, epochMillisDate, text, timestamp } from '../parsing/values.js';
import { attempt, auditParams, duplicateKeyErrors, GOOD_ROWS, optional, quoted, required, type Applied, type BatchContext, type FieldProblem, type Fields, type Mapped, type Part } from './part.js';

const GOOGLE_STATUSES = new Set([
  'ACTIVE', 'DISABLED', 'DEPROVISIONED', 'PRE_PROVISIONED', 'INACTIVE', 'DELINQUENT', 'RETURN_ARRIVED', 'RETURN_REQUESTED', 'SHIPPED', 'UNKNOWN',
]);

function googleStatus(value: string): string {
  const status = value.toUpperCase().replace(/[\s-]/g, '_');
  if (!GOOGLE_STATUSES.has(status)) throw new CellError(`${quoted(value)} is not a Google device status`);
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
  for (const key of ['serialNumber', 'annotatedAssetId', 'annotatedUser', 'deviceId', 'status', 'lastSync', 'osVersion', 'autoUpdateThrough', 'autoUpdateExpiration', 'model']) {
    const v = str(device[key]);
    if (v !== undefined) fields[key] = v;
  }
  const users = Array.isArray(device['recentUsers']) ? (device['recentUsers'] as unknown[]) : [];
  const emails = users.map((u) => (typeof u === 'object' && u !== null ? str((u as Record<string, unknown>)['email']) : undefined)).filter(Boolean);
  if (emails.length) fields['recentUsers'] = emails.join(',');
  return fields;
}

/**
 * Google Admin's Chrome devices (Directory API JSON or the console's CSV export), matched on serial
 * number. Google's view (status, last sync, OS, end of updates) is stored on the device; an unknown
 * serial becomes an unassigned Chromebook in stock. Who Google says uses a device is only suggested.
 */
export function chromeosDevicesPart(): Part {
  return {
    name: 'chromeos-devices',
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
      allowUnknown: true,
    },
    json: { key: 'chromeosdevices', fields: directoryDeviceFields },
    columns: [
      { name: 'serial_number', type: 'text' },
      { name: 'asset_tag', type: 'text' },
      { name: 'annotated_user', type: 'text' },
      { name: 'recent_user', type: 'text' },
      { name: 'google_device_id', type: 'text' },
      { name: 'google_status', type: 'text' },
      { name: 'last_sync_at', type: 'timestamptz' },
      { name: 'os_version', type: 'text' },
      { name: 'auto_update_through', type: 'date' },
      { name: 'model', type: 'text' },
    ],
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

async function applyChromeDevices(em: EntityManager, ctx: BatchContext): Promise<Applied> {
  const [token, actor, request] = auditParams(ctx);
  await sql(em, duplicateKeyErrors('serial_number', 'serialNumber'));
  await sql(
    em,
    `INSERT INTO import_stage_errors (line, field, message)
     SELECT st.line, 'serialNumber', 'the device with serial ' || st.serial_number || ' is a ' || d.kind || ', not a Chromebook'
     FROM import_stage st JOIN devices d ON d.district_id = $1 AND d.serial_number = st.serial_number AND d.kind <> 'chromebook'
     WHERE ${GOOD_ROWS}`,
    [ctx.districtId],
  );
  // Google's asset id fills an empty asset tag, unless another device already carries that tag.
  const counts = await one<{ created: number; updated: number }>(
    em,
    `WITH good AS (
       SELECT st.*,
              CASE WHEN st.asset_tag IS NOT NULL
                    AND row_number() OVER (PARTITION BY st.asset_tag ORDER BY st.line) = 1
                    AND NOT EXISTS (SELECT 1 FROM devices x WHERE x.district_id = $1 AND x.asset_tag = st.asset_tag AND x.serial_number <> st.serial_number)
                   THEN st.asset_tag END AS free_asset_tag
       FROM import_stage st WHERE ${GOOD_ROWS}
     ), old AS (
       SELECT d.id, d.asset_tag, d.model FROM devices d JOIN good g ON d.district_id = $1 AND d.serial_number = g.serial_number
     ), up AS (
       INSERT INTO devices AS d (district_id, kind, serial_number, asset_tag, model, status, google_device_id, google_status,
                                 last_sync_at, os_version, auto_update_through)
       SELECT $1, 'chromebook', serial_number, free_asset_tag, model, 'in_stock', google_device_id, google_status,
              last_sync_at, os_version, auto_update_through
       FROM good
       ON CONFLICT (district_id, serial_number) DO UPDATE SET
         asset_tag = coalesce(d.asset_tag, EXCLUDED.asset_tag),
         model = coalesce(d.model, EXCLUDED.model),
         google_device_id = coalesce(EXCLUDED.google_device_id, d.google_device_id),
         google_status = coalesce(EXCLUDED.google_status, d.google_status),
         last_sync_at = greatest(d.last_sync_at, EXCLUDED.last_sync_at),
         os_version = coalesce(EXCLUDED.os_version, d.os_version),
         auto_update_through = coalesce(EXCLUDED.auto_update_through, d.auto_update_through),
         updated_at = now()
       WHERE (d.asset_tag, d.model, d.google_device_id, d.google_status, d.last_sync_at, d.os_version, d.auto_update_through)
             IS DISTINCT FROM (coalesce(d.asset_tag, EXCLUDED.asset_tag), coalesce(d.model, EXCLUDED.model),
                               coalesce(EXCLUDED.google_device_id, d.google_device_id), coalesce(EXCLUDED.google_status, d.google_status),
                               greatest(d.last_sync_at, EXCLUDED.last_sync_at), coalesce(EXCLUDED.os_version, d.os_version),
                               coalesce(EXCLUDED.auto_update_through, d.auto_update_through))
       RETURNING d.id, d.kind, d.serial_number, d.asset_tag, d.model, d.status, (xmax = 0) AS created
     ), audit AS (
       -- Google's telemetry (sync, OS, status) is observed, not edited: only new devices and identity changes are audited.
       INSERT INTO audit_events (actor_token_id, actor, request_id, district_id, entity_type, entity_id, action, before, after)
       SELECT $2, $3, $4, $1, 'device', up.id::text, CASE WHEN up.created THEN 'create' ELSE 'update' END,
              CASE WHEN old.id IS NOT NULL THEN jsonb_build_object('assetTag', old.asset_tag, 'model', old.model) END,
              jsonb_build_object('id', up.id, 'kind', up.kind, 'serialNumber', up.serial_number, 'assetTag', up.asset_tag, 'model', up.model, 'status', up.status)
       FROM up LEFT JOIN old ON old.id = up.id
       WHERE up.created OR (old.asset_tag, old.model) IS DISTINCT FROM (up.asset_tag, up.model)
     )
     SELECT count(*) FILTER (WHERE created)::int AS created, count(*) FILTER (WHERE NOT created)::int AS updated FROM up`,
    [ctx.districtId, token, actor, request],
  );
  const suggestions = ctx.importId ? await suggestAssignments(em, ctx) : 0;
  return { created: counts!.created, updated: counts!.updated, stats: { devicesCreated: counts!.created, suggestions } };
}

/**
 * Google's annotatedUser (or, failing that, its most recent user) that is an active student of the
 * district, and does not already hold the device, becomes a suggested assignment on the import.
 */
async function suggestAssignments(em: EntityManager, ctx: BatchContext): Promise<number> {
  const result = await sql(
    em,
    `INSERT INTO import_suggestions (import_id, district_id, device_id, student_id, basis, line)
     SELECT DISTINCT ON (d.id) $2, $1, d.id, s.id, c.basis, c.line
     FROM (
       SELECT st.line, st.serial_number, st.annotated_user AS email, 'annotated_user' AS basis, 1 AS rank FROM import_stage st
       WHERE st.annotated_user IS NOT NULL AND ${GOOD_ROWS}
       UNION ALL
       SELECT st.line, st.serial_number, st.recent_user, 'recent_user', 2 FROM import_stage st
       WHERE st.recent_user IS NOT NULL AND ${GOOD_ROWS}
     ) c
     JOIN devices d ON d.district_id = $1 AND d.serial_number = c.serial_number AND d.kind = 'chromebook'
     -- The first active student by id with that email, found through the email index: a per-row
     -- "ORDER BY id LIMIT 1" lets the planner walk every student in id order looking for the email.
     JOIN (
       SELECT DISTINCT ON (lower(x.email)) lower(x.email) AS email, x.id
       FROM students x
       WHERE x.district_id = $1 AND x.email IS NOT NULL AND x.enrollment_status = 'active'
         AND lower(x.email) IN (SELECT lower(annotated_user) FROM import_stage UNION SELECT lower(recent_user) FROM import_stage)
       ORDER BY lower(x.email), x.id
     ) s ON s.email = lower(c.email)
     WHERE NOT EXISTS (SELECT 1 FROM assignments a WHERE a.device_id = d.id AND a.student_id = s.id AND a.ended_at IS NULL)
     ORDER BY d.id, c.rank
     ON CONFLICT (import_id, device_id) DO NOTHING
     RETURNING id`,
    [ctx.districtId, ctx.importId],
  );
  return result.count;
}
