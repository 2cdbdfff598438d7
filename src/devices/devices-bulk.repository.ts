import type { EntityManager } from 'typeorm';
import { AuditWriter, type AuditAuthor } from '../audit/audit-writer.js';
import { probingByKey, type BulkStage, type StageColumn } from '../database/bulk-stage.js';
import { join, q, raw, run, type SqlText } from '../database/sql.js';
import { GOOGLE_GONE_STATUSES } from './device.domain.js';
import { statusMeanings } from './status-mappings.repository.js';

/*
 * The set-based writers of `devices` that imports call, each with the audit rows of what it changed in
 * the same statement. Staged rows a writer cannot apply become row errors of the stage.
 */

/** The district a batch writes, and who its audit rows name. */
export interface DevicesBatch {
  districtId: string;
  author: AuditAuthor;
}

/**
 * The staged columns `upsertDevices` reads (after `line`): `school` is a school's code or name,
 * `status_key` the label key of an asset system's status label (see statusMeanings); the holder
 * columns are read by the importer's custody step, not here.
 */
export const DEVICE_LIST_COLUMNS = [
  { name: 'serial_number', type: 'text' },
  { name: 'kind', type: 'text' },
  { name: 'asset_tag', type: 'text' },
  { name: 'model', type: 'text' },
  { name: 'manufacturer', type: 'text' },
  { name: 'school', type: 'text' },
  { name: 'funding_source', type: 'text' },
  { name: 'status_label', type: 'text' },
  { name: 'status_key', type: 'text' },
  { name: 'imei', type: 'text' },
  { name: 'iccid', type: 'text' },
  { name: 'phone_number', type: 'text' },
  { name: 'carrier', type: 'text' },
  { name: 'notes', type: 'text' },
  { name: 'purchase_date', type: 'date' },
  { name: 'purchase_cost', type: 'numeric(12,2)' },
  { name: 'order_number', type: 'text' },
  { name: 'supplier', type: 'text' },
  { name: 'warranty_end', type: 'date' },
  { name: 'end_of_life', type: 'date' },
  { name: 'holder_name', type: 'text' },
  { name: 'holder_username', type: 'text' },
  { name: 'holder_email', type: 'text' },
  { name: 'holder_number', type: 'text' },
] as const satisfies readonly StageColumn[];

const DEVICE_JSON = `jsonb_build_object('id', up.id, 'kind', up.kind, 'serialNumber', up.serial_number, 'assetTag', up.asset_tag,
  'model', up.model, 'manufacturer', up.manufacturer, 'schoolId', up.school_id, 'fundingSource', up.funding_source, 'status', up.status,
  'condition', up.condition, 'holderUnknown', up.holder_unknown, 'imei', up.imei, 'iccid', up.iccid, 'phoneNumber', up.phone_number,
  'carrier', up.carrier, 'notes', up.notes, 'purchaseDate', up.purchase_date, 'purchaseCost', up.purchase_cost,
  'orderNumber', up.order_number, 'supplier', up.supplier, 'warrantyEnd', up.warranty_end, 'endOfLife', up.end_of_life)`;

/** The unique identifiers a device list may give, as column:field. */
const UNIQUE_IDENTIFIERS = ['asset_tag:assetTag', 'imei:imei', 'iccid:iccid'];

/** Columns a device list fills on a known device only where the file has a value, in a DO UPDATE. */
const KEPT_UNLESS_GIVEN = [
  'asset_tag',
  'model',
  'manufacturer',
  'school_id',
  'funding_source',
  'notes',
  'purchase_date',
  'purchase_cost',
  'order_number',
  'supplier',
  'warranty_end',
  'end_of_life',
];
const given = (column: string): string => `coalesce(EXCLUDED.${column}, d.${column})`;

/**
 * Whether the district had a device when the statement began: evaluated once (an InitPlan), it gates a
 * device list's per-row probes of devices, which then never run for a district's first batch. That batch
 * is the one planned on a devices table with no pages (a new server's first device files), where every
 * index costs the planner the same: it probed through an index whose district column is not its first,
 * reading all of it for each row while another district's import filled it (one statement 61 s of a
 * state's 65 s device import, bench/RESULTS.md). Later batches are planned on statistics that know the
 * district (BatchPipeline analyses them after the first).
 */
function districtHadDevices(districtId: string): SqlText {
  return q`(SELECT EXISTS (SELECT 1 FROM devices WHERE district_id = ${districtId}))`;
}

/**
 * The serial number a staged row (`st`) names, as the district's device spells it when one matches in
 * another case (devices_serial_lookup_idx): "5cd0001aaa" updates the device recorded as "5CD0001AAA".
 */
export function knownSerial(districtId: string): SqlText {
  return q`CASE WHEN ${districtHadDevices(districtId)} THEN coalesce(
       (SELECT x.serial_number FROM devices x WHERE x.district_id = ${districtId} AND lower(x.serial_number) = lower(st.serial_number)
        ORDER BY (x.serial_number = st.serial_number) DESC, x.id LIMIT 1),
       st.serial_number) ELSE st.serial_number END`;
}

/**
 * A device list, matched on serial number in any case: new devices are created with their kind, and
 * the status and condition their status label means in the district; known ones get the non-blank
 * cells (hotspot identifiers only on hotspots), and a known device in stock that the file says is
 * deployed leaves the spare pool (assigned, holder unknown, until custody names the holder). Rows
 * naming an unknown school, an unmapped status label, or an identifier another device holds, become
 * row errors.
 */
export async function upsertDevices(
  em: EntityManager,
  stage: BulkStage,
  { districtId, importId, author }: DevicesBatch & { importId: string },
): Promise<{ created: number; updated: number }> {
  // Each staged row probes devices by key: its serial, its identifiers, its stored state.
  return probingByKey(em, async () => {
    await run(
      em,
      q`CREATE TEMP TABLE import_resolved ON COMMIT DROP AS
       SELECT st.*, ${knownSerial(districtId)} AS known_serial,
              -- A school's code, else its name: two key probes (schools_district_code_key, schools_name_lookup_idx).
              -- As one lookup on either, each school of a batch read every school of the district (0.4 s a batch in a city).
              coalesce(
                (SELECT s.id FROM schools s WHERE s.district_id = ${districtId} AND s.code = st.school),
                (SELECT s.id FROM schools s WHERE s.district_id = ${districtId} AND lower(s.name) = lower(st.school) ORDER BY s.id LIMIT 1)
              ) AS school_id,
              meaning.label_key IS NOT NULL AS status_mapped, coalesce(meaning.status, 'in_stock') AS status,
              meaning.condition
       FROM ${stage.rows} st
       LEFT JOIN (${statusMeanings(districtId)}) meaning ON meaning.label_key = st.status_key
       WHERE ${stage.goodRows}`,
    );
    const taken: SqlText[] = UNIQUE_IDENTIFIERS.map((pair) => {
      const [column, field] = pair.split(':') as [string, string];
      return q`SELECT r.line, ${raw(`'${field}', '${field} ' || r.${column}`)} || ' already belongs to the device with serial ' || d.serial_number
         FROM (SELECT * FROM import_resolved ORDER BY ${raw(column)}) r
         CROSS JOIN LATERAL (
           SELECT d.serial_number FROM devices d
           WHERE d.district_id = ${districtId} AND ${raw(`d.${column} = r.${column}`)} AND d.serial_number <> r.known_serial LIMIT 1
         ) d
         WHERE ${districtHadDevices(districtId)}`;
    });
    // Unique identifiers another device (in the district, or earlier in this batch) already holds.
    await run(
      em,
      q`INSERT INTO ${stage.errors} (line, field, message)
       SELECT line, field, message FROM (
         SELECT r.line, 'school' AS field, 'no school with code or name ' || r.school AS message
         FROM import_resolved r WHERE r.school IS NOT NULL AND r.school_id IS NULL
         UNION ALL
         -- Labels are checked for the whole file before it is read; a mapping deleted meanwhile lands here.
         SELECT r.line, 'status', 'status "' || r.status_label || '" is not mapped; map it with PUT /api/v1/status-mappings'
         FROM import_resolved r WHERE r.status_key IS NOT NULL AND NOT r.status_mapped
         UNION ALL
         SELECT line, 'serialNumber', 'serialNumber ' || serial_number || ' names the same device as line ' || last_line || ', which was used'
         FROM (SELECT line, serial_number, max(line) OVER (PARTITION BY known_serial) AS last_line FROM import_resolved) s
         WHERE line < last_line
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
    const keptUnlessGiven = KEPT_UNLESS_GIVEN.map((c) => `${c} = ${given(c)}`).join(',\n         ');
    const result = await run<{ created: number; updated: number }>(
      em,
      q`WITH good AS (
         SELECT r.* FROM import_resolved r WHERE NOT EXISTS (SELECT 1 FROM ${stage.errors} e WHERE e.line = r.line)
       ), old AS (
         -- One probe of the serial key per row, in key order: as a join, every device of the district was
         -- hashed per batch (bench/replays/city-lookups.sql).
         SELECT d.id, d.before FROM (SELECT * FROM good ORDER BY known_serial) g CROSS JOIN LATERAL (
           SELECT d.id, ${raw(DEVICE_JSON.replace(/up\./g, 'd.'))} AS before
           FROM devices d WHERE d.district_id = ${districtId} AND d.serial_number = g.known_serial LIMIT 1
         ) d
         WHERE ${districtHadDevices(districtId)}
       ), up AS (
         INSERT INTO devices AS d (district_id, kind, serial_number, asset_tag, model, manufacturer, school_id, funding_source,
                                   status, condition, holder_unknown, retired_at, imei, iccid, phone_number, carrier, notes,
                                   purchase_date, purchase_cost, order_number, supplier, warranty_end, end_of_life)
         SELECT ${districtId}, kind, known_serial, asset_tag, model, manufacturer, school_id, funding_source,
                status, coalesce(condition, 'working'), status = 'assigned', CASE WHEN status = 'retired' THEN now() END,
                imei, iccid, phone_number, carrier, notes,
                purchase_date, purchase_cost, order_number, supplier, warranty_end, end_of_life
         FROM good
         ON CONFLICT (district_id, serial_number) DO UPDATE SET
           ${raw(keptUnlessGiven)},
           imei = CASE WHEN d.kind = 'hotspot' THEN coalesce(EXCLUDED.imei, d.imei) ELSE d.imei END,
           iccid = CASE WHEN d.kind = 'hotspot' THEN coalesce(EXCLUDED.iccid, d.iccid) ELSE d.iccid END,
           phone_number = CASE WHEN d.kind = 'hotspot' THEN coalesce(EXCLUDED.phone_number, d.phone_number) ELSE d.phone_number END,
           carrier = CASE WHEN d.kind = 'hotspot' THEN coalesce(EXCLUDED.carrier, d.carrier) ELSE d.carrier END,
           -- In stock means no one holds it: a deployed one is no spare, whoever holds it.
           status = CASE WHEN d.status = 'in_stock' AND EXCLUDED.status = 'assigned' THEN 'assigned' ELSE d.status END,
           holder_unknown = d.holder_unknown OR (d.status = 'in_stock' AND EXCLUDED.status = 'assigned'),
           updated_at = now(),
           -- Bulk updates here move the version themselves: the version trigger then calls no function per row.
           version = d.version + 1
         WHERE (${raw(KEPT_UNLESS_GIVEN.map((c) => `d.${c}`).join(', '))})
               IS DISTINCT FROM (${raw(KEPT_UNLESS_GIVEN.map(given).join(', '))})
            OR (d.status = 'in_stock' AND EXCLUDED.status = 'assigned')
            OR (d.kind = 'hotspot' AND (d.imei, d.iccid, d.phone_number, d.carrier)
               IS DISTINCT FROM (coalesce(EXCLUDED.imei, d.imei), coalesce(EXCLUDED.iccid, d.iccid),
                                 coalesce(EXCLUDED.phone_number, d.phone_number), coalesce(EXCLUDED.carrier, d.carrier)))
         RETURNING d.*, (xmax = 0) AS created
       ), audit_updated AS (
         ${AuditWriter.insertFrom(
           author,
           {
             districtId: q`${districtId}::uuid`,
             entityType: 'device',
             entityId: 'up.id::text',
             action: { literal: 'update' },
             before: 'old.before',
             after: DEVICE_JSON,
           },
           q`FROM up LEFT JOIN old ON old.id = up.id WHERE NOT up.created`,
         )}
       ), audit_created AS (
         -- One row for the batch's new devices, as for a roster's new students: a row of its own each was a
         -- quarter to a third of a batch (bench/RESULTS.md, city notes). What a device was created with is
         -- its row, or the "before" of its next change.
         ${AuditWriter.insertFrom(
           author,
           {
             districtId: q`${districtId}::uuid`,
             entityType: 'device',
             entityId: q`${author.requestId}::text || '#' || min(g.line) || '-' || max(g.line)`,
             action: { literal: 'create' },
             after: q`jsonb_build_object('importId', ${importId}::uuid, 'firstLine', min(g.line), 'lastLine', max(g.line), 'devices', count(*))`,
             entityIds: 'array_agg(up.id ORDER BY up.id)',
           },
           q`FROM up JOIN good g ON g.known_serial = up.serial_number
         WHERE up.created
         HAVING count(*) > 0`,
         )}
       )
       SELECT count(*) FILTER (WHERE created)::int AS created, count(*) FILTER (WHERE NOT created)::int AS updated FROM up`,
    );
    return result.rows[0];
  });
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
 * becomes an unassigned Chromebook in stock, and a serial of another kind of device is a row error.
 * Google's asset id fills an empty asset tag, unless another device already carries that tag. A
 * Chromebook Google no longer manages (GOOGLE_GONE_STATUSES) is retired when it is in stock or new, so
 * it is never a spare; one a student holds, or in repair, keeps its custody (the gap scan flags it)
 * and is retired by the first sync that finds it back in stock.
 */
export async function upsertChromeDevices(
  em: EntityManager,
  stage: BulkStage,
  { districtId, author }: DevicesBatch,
): Promise<{ created: number; updated: number; retired: number }> {
  await run(
    em,
    q`INSERT INTO ${stage.errors} (line, field, message)
     SELECT st.line, 'serialNumber', 'the device with serial ' || st.serial_number || ' is a ' || d.kind || ', not a Chromebook'
     FROM ${stage.rows} st JOIN devices d ON d.district_id = ${districtId} AND d.serial_number = st.serial_number AND d.kind <> 'chromebook'
     WHERE ${stage.goodRows}`,
  );
  // Each row's device as stored and whether its asset tag is free are found before the upsert writes. As
  // parts of the upsert, the probes also read the rows it had inserted so far: planned on a devices table
  // with no pages (a district's Google export before its inventory), each probe was a scan of them, and
  // one batch of 17,000 new Chromebooks took 20 s (bench/RESULTS.md).
  const gone = [...GOOGLE_GONE_STATUSES];
  await run(
    em,
    q`CREATE TEMP TABLE import_resolved ON COMMIT DROP AS
     SELECT st.*,
            CASE WHEN st.asset_tag IS NOT NULL
                  AND row_number() OVER (PARTITION BY st.asset_tag ORDER BY st.line) = 1
                  AND NOT EXISTS (SELECT 1 FROM devices x WHERE x.district_id = ${districtId} AND x.asset_tag = st.asset_tag AND x.serial_number <> st.serial_number)
                 THEN st.asset_tag END AS free_asset_tag,
            coalesce(st.google_status = ANY(${gone}::text[]), false) AS gone,
            d.id AS old_id, d.asset_tag AS old_asset_tag, d.model AS old_model, d.status AS old_status
     -- One probe of the serial key per row, in key order.
     FROM (SELECT * FROM ${stage.rows} st WHERE ${stage.goodRows} ORDER BY serial_number) st
     LEFT JOIN LATERAL (
       SELECT d.id, d.asset_tag, d.model, d.status FROM devices d
       WHERE d.district_id = ${districtId} AND d.serial_number = st.serial_number LIMIT 1
     ) d ON true`,
  );
  const result = await run<{ created: number; updated: number; retired: number }>(
    em,
    q`WITH good AS (
       SELECT * FROM import_resolved
     ), old AS (
       SELECT old_id AS id, old_asset_tag AS asset_tag, old_model AS model, old_status AS status FROM import_resolved WHERE old_id IS NOT NULL
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
         updated_at = now(),
         version = d.version + 1
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
  { name: 'plan', type: 'text' },
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
         service_plan = coalesce(g.plan, d.service_plan),
         last_usage_at = CASE
           WHEN g.last_usage_at IS NOT NULL THEN greatest(d.last_usage_at, g.last_usage_at)
           WHEN g.used_mb > d.monthly_used_mb THEN now()
           ELSE d.last_usage_at END,
         updated_at = now(),
         version = d.version + 1
       FROM good g
       WHERE d.id = g.device_id
         AND ((d.line_status, d.monthly_cap_mb, d.monthly_used_mb, d.service_plan) IS DISTINCT FROM
              (coalesce(g.line_status, d.line_status), coalesce(g.cap_mb, d.monthly_cap_mb), coalesce(g.used_mb, d.monthly_used_mb),
               coalesce(g.plan, d.service_plan))
              OR g.last_usage_at > coalesce(d.last_usage_at, '-infinity'))
       RETURNING d.id
     )
     SELECT count(*)::int AS updated FROM up`,
  );
  return result.rows[0].updated;
}
