import type { EntityManager } from 'typeorm';
import { one, sql } from '../../database/sql.js';
import { CellError, text } from '../parsing/values.js';
import { attempt, auditParams, duplicateKeyErrors, GOOD_ROWS, optional, quoted, required, type Applied, type BatchContext, type FieldProblem, type Fields, type Mapped, type Part } from './part.js';

type DeviceKind = 'chromebook' | 'hotspot' | 'laptop' | 'other';
type InitialStatus = 'in_stock' | 'lost' | 'stolen' | 'retired';

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

const digits = (pattern: RegExp, what: string) => (value: string): string => {
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
        'Name', 'Asset Name', 'Model Number', 'Model No.', 'Company', 'Purchase Date', 'Purchase Cost', 'Order Number', 'Supplier',
        'Warranty', 'Warranty Months', 'Checked Out To', 'Checked Out To: Username', 'Checked Out To: Email', 'EOL', 'Requestable',
      ],
      allowUnknown: true,
    },
    columns: [
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
    ],
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
      return { row: [serial, kind, v.assetTag, v.model, v.manufacturer, v.school, v.fundingSource, status, v.imei, v.iccid, v.phoneNumber, v.carrier, v.notes] };
    },
    apply: applyDevices,
  };
}

const DEVICE_JSON = `jsonb_build_object('id', up.id, 'kind', up.kind, 'serialNumber', up.serial_number, 'assetTag', up.asset_tag,
  'model', up.model, 'manufacturer', up.manufacturer, 'schoolId', up.school_id, 'fundingSource', up.funding_source, 'status', up.status,
  'imei', up.imei, 'iccid', up.iccid, 'phoneNumber', up.phone_number, 'carrier', up.carrier, 'notes', up.notes)`;

async function applyDevices(em: EntityManager, ctx: BatchContext): Promise<Applied> {
  const [token, actor, request] = auditParams(ctx);
  await sql(em, duplicateKeyErrors('serial_number', 'serialNumber'));
  await sql(
    em,
    `CREATE TEMP TABLE import_resolved ON COMMIT DROP AS
     SELECT st.*, school.id AS school_id
     FROM import_stage st
     LEFT JOIN LATERAL (
       SELECT s.id FROM schools s
       WHERE s.district_id = $1 AND st.school IS NOT NULL AND (s.code = st.school OR lower(s.name) = lower(st.school))
       ORDER BY (s.code = st.school) DESC, s.id LIMIT 1
     ) school ON true
     WHERE ${GOOD_ROWS}`,
    [ctx.districtId],
  );
  // Unique identifiers another device (in the district, or earlier in this batch) already holds.
  await sql(
    em,
    `INSERT INTO import_stage_errors (line, field, message)
     SELECT line, field, message FROM (
       SELECT r.line, 'school' AS field, 'no school with code or name ' || r.school AS message
       FROM import_resolved r WHERE r.school IS NOT NULL AND r.school_id IS NULL
       UNION ALL
       ${['asset_tag:assetTag', 'imei:imei', 'iccid:iccid'].map((pair) => {
         const [column, field] = pair.split(':');
         return `SELECT r.line, '${field}', '${field} ' || r.${column} || ' already belongs to the device with serial ' || d.serial_number
       FROM import_resolved r
       JOIN devices d ON d.district_id = $1 AND d.${column} = r.${column} AND d.serial_number <> r.serial_number`;
       }).join('\n       UNION ALL\n       ')}
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
    [ctx.districtId],
  );
  const counts = await one<{ created: number; updated: number }>(
    em,
    `WITH good AS (
       SELECT r.* FROM import_resolved r WHERE NOT EXISTS (SELECT 1 FROM import_stage_errors e WHERE e.line = r.line)
     ), old AS (
       SELECT d.id, ${DEVICE_JSON.replace(/up\./g, 'd.')} AS before
       FROM devices d JOIN good g ON d.district_id = $1 AND d.serial_number = g.serial_number
     ), up AS (
       INSERT INTO devices AS d (district_id, kind, serial_number, asset_tag, model, manufacturer, school_id, funding_source,
                                 status, retired_at, imei, iccid, phone_number, carrier, notes)
       SELECT $1, kind, serial_number, asset_tag, model, manufacturer, school_id, funding_source,
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
       INSERT INTO audit_events (actor_token_id, actor, request_id, district_id, entity_type, entity_id, action, before, after)
       SELECT $2, $3, $4, $1, 'device', up.id::text, CASE WHEN up.created THEN 'create' ELSE 'update' END, old.before, ${DEVICE_JSON}
       FROM up LEFT JOIN old ON old.id = up.id
     )
     SELECT count(*) FILTER (WHERE created)::int AS created, count(*) FILTER (WHERE NOT created)::int AS updated FROM up`,
    [ctx.districtId, token, actor, request],
  );
  return { created: counts!.created, updated: counts!.updated };
}
