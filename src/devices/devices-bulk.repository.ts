import type { EntityManager } from 'typeorm';
import { AuditWriter, type AuditAuthor } from '../audit/audit-writer.js';
import type { BulkStage, StageColumn } from '../database/bulk-stage.js';
import { join, q, raw, run, type SqlText } from '../database/sql.js';
import { GOOGLE_GONE_STATUSES } from './device.domain.js';

/*
 * The set-based writers of `devices` that imports call, each with the audit rows of what it changed in
 * the same statement. Staged rows a writer cannot apply become row errors of the stage.
 */

/** The district a batch writes, and who its audit rows name. */
export interface DevicesBatch {
  districtId: string;
  author: AuditAuthor;
}

/** The staged columns `upsertDevices` reads (after `line`): `school` is a school's code or name. */
export const DEVICE_LIST_COLUMNS = [
  { name: 'serial_number', type: 'text' },
  { name: 'kind', type: 'text' },
  { name: 'asset_tag', type: 'text' },
  { name: 'model', type: 'text' },
  { name: 'manufacturer', type: 'text' },
  { name: 'school', type: 'text' },
  { name: 'funding_source', type: 'text' },
  { name: 'status', type: 'text' },
  { name: 'imei', type: 'text' },
  { name: 'iccid', type: 'text' },
  { name: 'phone_number', type: 'text' },
  { name: 'carrier', type: 'text' },
  { name: 'notes', type: 'text' },
] as const satisfies readonly StageColumn[];

const DEVICE_JSON = `jsonb_build_object('id', up.id, 'kind', up.kind, 'serialNumber', up.serial_number, 'assetTag', up.asset_tag,
  'model', up.model, 'manufacturer', up.manufacturer, 'schoolId', up.school_id, 'fundingSource', up.funding_source, 'status', up.status,
  'imei', up.imei, 'iccid', up.iccid, 'phoneNumber', up.phone_number, 'carrier', up.carrier, 'notes', up.notes)`;

/** The unique identifiers a device list may give, as column:field. */
const UNIQUE_IDENTIFIERS = ['asset_tag:assetTag', 'imei:imei', 'iccid:iccid'];

/**
 * A device list, matched on serial number: new devices are created with their kind and status, known
 * ones get the non-blank cells (hotspot identifiers only on hotspots). Rows naming an unknown school,
 * or an identifier another device holds, become row errors.
 */
export async function upsertDevices(
  em: EntityManager,
  stage: BulkStage,
  { districtId, author }: DevicesBatch,
): Promise<{ created: number; updated: number }> {
  await run(
    em,
    q`CREATE TEMP TABLE import_resolved ON COMMIT DROP AS
     SELECT st.*, school.id AS school_id
     FROM ${stage.rows} st
     LEFT JOIN LATERAL (
       SELECT s.id FROM schools s
       WHERE s.district_id = ${districtId} AND st.school IS NOT NULL AND (s.code = st.school OR lower(s.name) = lower(st.school))
       ORDER BY (s.code = st.school) DESC, s.id LIMIT 1
     ) school ON true
     WHERE ${stage.goodRows}`,
  );
  const taken: SqlText[] = UNIQUE_IDENTIFIERS.map((pair) => {
    const [column, field] = pair.split(':') as [string, string];
    return q`SELECT r.line, ${raw(`'${field}', '${field} ' || r.${column}`)} || ' already belongs to the device with serial ' || d.serial_number
       FROM import_resolved r
       JOIN devices d ON d.district_id = ${districtId} AND ${raw(`d.${column} = r.${column}`)} AND d.serial_number <> r.serial_number`;
  });
  // Unique identifiers another device (in the district, or earlier in this batch) already holds.
  await run(
    em,
    q`INSERT INTO ${stage.errors} (line, field, message)
     SELECT line, field, message FROM (
       SELECT r.line, 'school' AS field, 'no school with code or name ' || r.school AS message
       FROM import_resolved r WHERE r.school IS NOT NULL AND r.school_id IS NULL
       UNION ALL
       ${join(taken, '\n       UNION ALL\n       ')}
       UNION ALL
       SELECT line, field, field || ' ' || value || ' is also given on line ' || first_line
       FROM (
         SELECT r.line, c.field, c.value, min(r.line) OVER (PARTITION BY c.field, c.value) AS first_line
         FROM import_resolved r
         CROSS JOIN LATERAL (VALUES ('assetTag', r.asset_tag), ('imei', r.imei), ('iccid', r.iccid)) AS c(field, value)
         WHERE c.value IS NOT NULL
       ) repeated
       WHERE line > first_line
     ) e`,
  );
  const result = await run<{ created: number; updated: number }>(
    em,
    q`WITH good AS (
       SELECT r.* FROM import_resolved r WHERE NOT EXISTS (SELECT 1 FROM ${stage.errors} e WHERE e.line = r.line)
     ), old AS (
       SELECT d.id, ${raw(DEVICE_JSON.replace(/up\./g, 'd.'))} AS before
       FROM devices d JOIN good g ON d.district_id = ${districtId} AND d.serial_number = g.serial_number
     ), up AS (
       INSERT INTO devices AS d (district_id, kind, serial_number, asset_tag, model, manufacturer, school_id, funding_source,
                                 status, retired_at, imei, iccid, phone_number, carrier, notes)
       SELECT ${districtId}, kind, serial_number, asset_tag, model, manufacturer, school_id, funding_source,
              status, CASE WHEN status = 'retired' THEN now() END, imei, iccid, phone_number, carrier, notes
       FROM good
       ON CONFLICT (district_id, serial_number) DO UPDATE SET
         asset_tag = coalesce(EXCLUDED.asset_tag, d.asset_tag),
         model = coalesce(EXCLUDED.model, d.model),
         manufacturer = coalesce(EXCLUDED.manufacturer, d.manufacturer),
         school_id = coalesce(EXCLUDED.school_id, d.school_id),
         funding_source = coalesce(EXCLUDED.funding_source, d.funding_source),
         imei = CASE WHEN d.kind = 'hotspot' THEN coalesce(EXCLUDED.imei, d.imei) ELSE d.imei END,
         iccid = CASE WHEN d.kind = 'hotspot' THEN coalesce(EXCLUDED.iccid, d.iccid) ELSE d.iccid END,
         phone_number = CASE WHEN d.kind = 'hotspot' THEN coalesce(EXCLUDED.phone_number, d.phone_number) ELSE d.phone_number END,
         carrier = CASE WHEN d.kind = 'hotspot' THEN coalesce(EXCLUDED.carrier, d.carrier) ELSE d.carrier END,
         notes = coalesce(EXCLUDED.notes, d.notes),
         updated_at = now()
       WHERE (d.asset_tag, d.model, d.manufacturer, d.school_id, d.funding_source, d.notes)
             IS DISTINCT FROM (coalesce(EXCLUDED.asset_tag, d.asset_tag), coalesce(EXCLUDED.model, d.model),
                               coalesce(EXCLUDED.manufacturer, d.manufacturer), coalesce(EXCLUDED.school_id, d.school_id),
                               coalesce(EXCLUDED.funding_source, d.funding_source), coalesce(EXCLUDED.notes, d.notes))
          OR (d.kind = 'hotspot' AND (d.imei, d.iccid, d.phone_number, d.carrier)
             IS DISTINCT FROM (coalesce(EXCLUDED.imei, d.imei), coalesce(EXCLUDED.iccid, d.iccid),
                               coalesce(EXCLUDED.phone_number, d.phone_number), coalesce(EXCLUDED.carrier, d.carrier)))
       RETURNING d.*, (xmax = 0) AS created
     ), audit AS (
       ${AuditWriter.insertFrom(
         author,
         {
           districtId: q`${districtId}::uuid`,
           entityType: 'device',
           entityId: 'up.id::text',
           action: `CASE WHEN up.created THEN 'create' ELSE 'update' END`,
           before: 'old.before',
           after: DEVICE_JSON,
         },
         q`FROM up LEFT JOIN old ON old.id = up.id`,
       )}
     )
     SELECT count(*) FILTER (WHERE created)::int AS created, count(*) FILTER (WHERE NOT created)::int AS updated FROM up`,
  );
  return result.rows[0];
}

/** The staged columns `upsertChromeDevices` reads (after `line`). */
export const CHROME_DEVICE_COLUMNS = [
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
] as const satisfies readonly StageColumn[];

/**
 * Google's view of Chromebooks, matched on serial number: stored on the device; an unknown serial
 * becomes an unassigned Chromebook in stock. Google's asset id fills an empty asset tag, unless
 * another device already carries that tag. A Chromebook Google no longer manages
 * (GOOGLE_GONE_STATUSES) is retired when it is in stock or new, so it is never a spare; one a student
 * holds, or in repair, keeps its custody (the gap scan flags it) and is retired by the first sync that
 * finds it back in stock.
 */
export async function upsertChromeDevices(
  em: EntityManager,
  stage: BulkStage,
  { districtId, author }: DevicesBatch,
): Promise<{ created: number; updated: number; retired: number }> {
  const gone = [...GOOGLE_GONE_STATUSES];
  const result = await run<{ created: number; updated: number; retired: number }>(
    em,
    q`WITH good AS (
       SELECT st.*,
              CASE WHEN st.asset_tag IS NOT NULL
                    AND row_number() OVER (PARTITION BY st.asset_tag ORDER BY st.line) = 1
                    AND NOT EXISTS (SELECT 1 FROM devices x WHERE x.district_id = ${districtId} AND x.asset_tag = st.asset_tag AND x.serial_number <> st.serial_number)
                   THEN st.asset_tag END AS free_asset_tag,
              coalesce(st.google_status = ANY(${gone}::text[]), false) AS gone
       FROM ${stage.rows} st WHERE ${stage.goodRows}
     ), old AS (
       SELECT d.id, d.asset_tag, d.model, d.status FROM devices d JOIN good g ON d.district_id = ${districtId} AND d.serial_number = g.serial_number
     ), up AS (
       INSERT INTO devices AS d (district_id, kind, serial_number, asset_tag, model, status, retired_at, google_device_id, google_status,
                                 last_sync_at, os_version, auto_update_through)
       SELECT ${districtId}, 'chromebook', serial_number, free_asset_tag, model, CASE WHEN gone THEN 'retired' ELSE 'in_stock' END,
              CASE WHEN gone THEN now() END, google_device_id, google_status, last_sync_at, os_version, auto_update_through
       FROM good
       ON CONFLICT (district_id, serial_number) DO UPDATE SET
         asset_tag = coalesce(d.asset_tag, EXCLUDED.asset_tag),
         model = coalesce(d.model, EXCLUDED.model),
         status = CASE WHEN d.status = 'in_stock' AND EXCLUDED.status = 'retired' THEN 'retired' ELSE d.status END,
         retired_at = CASE WHEN d.status = 'in_stock' AND EXCLUDED.status = 'retired' THEN now() ELSE d.retired_at END,
         google_device_id = coalesce(EXCLUDED.google_device_id, d.google_device_id),
         google_status = coalesce(EXCLUDED.google_status, d.google_status),
         last_sync_at = greatest(d.last_sync_at, EXCLUDED.last_sync_at),
         os_version = coalesce(EXCLUDED.os_version, d.os_version),
         auto_update_through = coalesce(EXCLUDED.auto_update_through, d.auto_update_through),
         updated_at = now()
       WHERE (d.asset_tag, d.model, d.status, d.google_device_id, d.google_status, d.last_sync_at, d.os_version, d.auto_update_through)
             IS DISTINCT FROM (coalesce(d.asset_tag, EXCLUDED.asset_tag), coalesce(d.model, EXCLUDED.model),
                               CASE WHEN d.status = 'in_stock' AND EXCLUDED.status = 'retired' THEN 'retired' ELSE d.status END,
                               coalesce(EXCLUDED.google_device_id, d.google_device_id), coalesce(EXCLUDED.google_status, d.google_status),
                               greatest(d.last_sync_at, EXCLUDED.last_sync_at), coalesce(EXCLUDED.os_version, d.os_version),
                               coalesce(EXCLUDED.auto_update_through, d.auto_update_through))
       RETURNING d.id, d.kind, d.serial_number, d.asset_tag, d.model, d.status, (xmax = 0) AS created
     ), audit AS (
       -- Google's telemetry (sync, OS, status) is observed, not edited: only new devices, identity changes and retirements are audited.
       ${AuditWriter.insertFrom(
         author,
         {
           districtId: q`${districtId}::uuid`,
           entityType: 'device',
           entityId: 'up.id::text',
           action: `CASE WHEN up.created THEN 'create' WHEN old.status IS DISTINCT FROM up.status THEN 'retire' ELSE 'update' END`,
           before: `CASE WHEN old.id IS NOT NULL THEN jsonb_build_object('assetTag', old.asset_tag, 'model', old.model, 'status', old.status) END`,
           after: `jsonb_build_object('id', up.id, 'kind', up.kind, 'serialNumber', up.serial_number, 'assetTag', up.asset_tag, 'model', up.model, 'status', up.status)`,
         },
         q`FROM up LEFT JOIN old ON old.id = up.id
       WHERE up.created OR (old.asset_tag, old.model, old.status) IS DISTINCT FROM (up.asset_tag, up.model, up.status)`,
       )}
     )
     SELECT count(*) FILTER (WHERE created)::int AS created, count(*) FILTER (WHERE NOT created)::int AS updated,
            count(*) FILTER (WHERE up.status = 'retired' AND old.status IS DISTINCT FROM 'retired')::int AS retired
     FROM up LEFT JOIN old ON old.id = up.id`,
  );
  return result.rows[0];
}

/** The staged columns `applyHotspotUsage` reads (after `line`): `phone` holds digits only. */
export const HOTSPOT_USAGE_COLUMNS = [
  { name: 'imei', type: 'text' },
  { name: 'iccid', type: 'text' },
  { name: 'phone', type: 'text' },
  { name: 'line_status', type: 'text' },
  { name: 'cap_mb', type: 'integer' },
  { name: 'used_mb', type: 'integer' },
  { name: 'last_usage_at', type: 'timestamptz' },
] as const satisfies readonly StageColumn[];

/**
 * A carrier's line usage: each line is matched to a hotspot on IMEI, else ICCID, else phone number
 * (a line matching none, or the same hotspot as a later line, is a row error). Usage is observed data,
 * so it updates devices without audit rows. Returns how many devices changed.
 */
export async function applyHotspotUsage(em: EntityManager, stage: BulkStage, { districtId }: { districtId: string }): Promise<number> {
  await run(
    em,
    q`CREATE TEMP TABLE import_resolved ON COMMIT DROP AS
     SELECT st.*, coalesce(
       (SELECT d.id FROM devices d WHERE d.district_id = ${districtId} AND d.kind = 'hotspot' AND d.imei = st.imei),
       (SELECT d.id FROM devices d WHERE d.district_id = ${districtId} AND d.kind = 'hotspot' AND d.iccid = st.iccid),
       (SELECT (array_agg(d.id))[1] FROM devices d
        WHERE d.district_id = ${districtId} AND d.kind = 'hotspot' AND st.phone IS NOT NULL AND d.phone_number IS NOT NULL
          AND regexp_replace(d.phone_number, '\\D', '', 'g') = st.phone
        HAVING count(*) = 1)
     ) AS device_id
     FROM ${stage.rows} st WHERE ${stage.goodRows}`,
  );
  await run(
    em,
    q`INSERT INTO ${stage.errors} (line, field, message)
     SELECT line, CASE WHEN imei IS NOT NULL THEN 'imei' WHEN iccid IS NOT NULL THEN 'iccid' ELSE 'phoneNumber' END,
            'no hotspot with ' || concat_ws(', ', 'IMEI ' || imei, 'ICCID ' || iccid, 'phone number ' || phone)
     FROM import_resolved WHERE device_id IS NULL
     UNION ALL
     SELECT line, 'imei', 'this line is for the same hotspot as line ' || last_line || ', which was used'
     FROM (SELECT line, max(line) OVER (PARTITION BY device_id) AS last_line FROM import_resolved WHERE device_id IS NOT NULL) d
     WHERE line < last_line`,
  );
  // Without a last-usage time from the carrier, usage that grew since the last file is taken as use now.
  const result = await run<{ updated: number }>(
    em,
    q`WITH good AS (
       SELECT r.* FROM import_resolved r WHERE NOT EXISTS (SELECT 1 FROM ${stage.errors} e WHERE e.line = r.line)
     ), up AS (
       UPDATE devices d SET
         line_status = coalesce(g.line_status, d.line_status),
         monthly_cap_mb = coalesce(g.cap_mb, d.monthly_cap_mb),
         monthly_used_mb = coalesce(g.used_mb, d.monthly_used_mb),
         last_usage_at = CASE
           WHEN g.last_usage_at IS NOT NULL THEN greatest(d.last_usage_at, g.last_usage_at)
           WHEN g.used_mb > d.monthly_used_mb THEN now()
           ELSE d.last_usage_at END,
         updated_at = now()
       FROM good g
       WHERE d.id = g.device_id
         AND ((d.line_status, d.monthly_cap_mb, d.monthly_used_mb) IS DISTINCT FROM
              (coalesce(g.line_status, d.line_status), coalesce(g.cap_mb, d.monthly_cap_mb), coalesce(g.used_mb, d.monthly_used_mb))
              OR g.last_usage_at > coalesce(d.last_usage_at, '-infinity'))
       RETURNING d.id
     )
     SELECT count(*)::int AS updated FROM up`,
  );
  return result.rows[0].updated;
}
