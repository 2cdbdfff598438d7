import type { EntityManager } from 'typeorm';
import { issueImportedHolders, type ImportedHolders } from '../../custody/custody-bulk.repository.js';
import type { BulkStage } from '../../database/bulk-stage.js';
import { q, run } from '../../database/sql.js';
import { TempTable } from '../../database/temp-table.js';
import { MAPPABLE_STATUSES, statusLabelKey, type DeviceKind } from '../../devices/device.domain.js';
import { DEVICE_LIST_COLUMNS, knownSerial, upsertDevices } from '../../devices/devices-bulk.repository.js';
import { TicketBulkRepository } from '../../tickets/ticket-bulk.repository.js';
import { mappedLabelKeys } from '../../devices/status-mappings.repository.js';
import type { RowError } from '../parsing/file-error.js';
import { CellError, date, dayOf, text } from '../parsing/values.js';
import {
  attempt,
  auditAuthor,
  optional,
  quoted,
  required,
  type Applied,
  type BatchContext,
  type FieldProblem,
  type Fields,
  type Mapped,
  type Part,
  type ValueTally,
} from './part.js';

/** Our kinds, or an asset system's category ("Chromebooks", "MiFi Hotspots", "Windows Laptops"). */
export function deviceKind(value: string): DeviceKind {
  const v = value.toLowerCase();
  if (/chrome/.test(v)) return 'chromebook';
  if (/hot ?spot|mifi|jetpack|modem|wi-?fi/.test(v)) return 'hotspot';
  if (/laptop|notebook|macbook/.test(v)) return 'laptop';
  return 'other';
}

/** A status label as staged: as written (for messages) and its label key (what mappings match on). */
function statusLabel(value: string): [string, string] {
  const label = text(value, 100);
  const key = statusLabelKey(label);
  if (!key) throw new CellError(`${quoted(value)} is not a status label`);
  return [label, key];
}

/**
 * A date as asset systems export it: ISO (with or without a time), or US month/day/year as Excel
 * writes it.
 */
export function exportDate(value: string): string {
  const us = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(value);
  if (us) return date(`${us[3]}-${us[1].padStart(2, '0')}-${us[2].padStart(2, '0')}`);
  const iso = /^(\d{4}-\d{2}-\d{2})[ T]/.exec(value);
  return date(iso ? iso[1] : value);
}

/** An amount of money: "349", "$1,249.50", "USD 349.00". */
export function money(value: string): number {
  const amount = value.replace(/^[A-Z]{3}\s*/i, '').replace(/[$€£\s]/g, '');
  if (!/^\d{1,3}(,\d{3})*(\.\d{1,2})?$|^\d+(\.\d{1,2})?$/.test(amount)) throw new CellError('not an amount (e.g. 349.00)');
  const n = Number(amount.replace(/,/g, ''));
  if (n > 9_999_999_999) throw new CellError('amount out of range');
  return n;
}

/** A date, or a number of months after the purchase date (Snipe-IT's "Warranty" and "EOL" in months). */
export function dateOrMonths(value: string, purchased: string | null): string {
  const months = /^(\d{1,3})(\s*months?)?$/i.exec(value);
  if (!months) return exportDate(value);
  if (!purchased) throw new CellError('a number of months needs a purchase date');
  const d = new Date(`${purchased}T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + Number(months[1]));
  return dayOf(d);
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
 * Manufacturer, Category, Location, Status, Checked Out To, purchase and warranty columns). Devices are
 * matched on serial number in any case; a blank cell leaves the stored value alone. Status labels mean
 * what the district's status mappings say (checked for the whole file first); a holder column that
 * names one active student of the district becomes their assignment, one naming none or several a
 * suggestion on the import.
 */
export function devicesPart(): Part {
  return {
    name: 'devices',
    plannedOn: ['devices'],
    headers: {
      fields: [
        { field: 'serialNumber', aliases: ['Serial', 'Serial Number', 'SN'], required: true },
        { field: 'kind', aliases: ['Category', 'Device Type', 'Type'], required: true },
        { field: 'assetTag', aliases: ['Asset Tag', 'Asset', 'Asset Number', 'Asset No', 'Tag'] },
        { field: 'model', aliases: ['Model Name'] },
        { field: 'manufacturer', aliases: ['Make', 'Brand'] },
        { field: 'school', aliases: ['Location', 'School Code', 'schoolCode', 'Default Location'] },
        { field: 'fundingSource', aliases: ['Funding Source', 'Funding'] },
        { field: 'status', aliases: ['Status Label', 'Asset Status'] },
        { field: 'imei' },
        { field: 'iccid', aliases: ['UICC', 'SIM'] },
        { field: 'phoneNumber', aliases: ['Phone Number', 'Phone', 'MDN'] },
        { field: 'carrier' },
        { field: 'notes' },
        { field: 'purchaseDate', aliases: ['Purchase Date', 'Purchased', 'Date Purchased', 'Purchased On'] },
        { field: 'purchaseCost', aliases: ['Purchase Cost', 'Cost', 'Price', 'Purchase Price', 'Unit Cost'] },
        { field: 'orderNumber', aliases: ['Order Number', 'Order No', 'Order', 'PO', 'PO Number', 'Purchase Order'] },
        { field: 'supplier', aliases: ['Vendor', 'Reseller'] },
        {
          field: 'warrantyEnd',
          aliases: ['Warranty Expires', 'Warranty Expiration', 'Warranty Expiration Date', 'Warranty End', 'Warranty End Date'],
        },
        { field: 'warrantyMonths', aliases: ['Warranty', 'Warranty Months'] },
        { field: 'endOfLife', aliases: ['EOL', 'EOL Date', 'End of Life', 'End of Life Date', 'Replacement Date'] },
        { field: 'holderName', aliases: ['Checked Out To', 'Assigned To', 'Checked Out To: Name', 'Holder', 'Assigned User'] },
        { field: 'holderUsername', aliases: ['Checked Out To: Username', 'Username', 'User Name', 'Assigned To: Username'] },
        { field: 'holderEmail', aliases: ['Checked Out To: Email', 'Email', 'User Email', 'Assigned To: Email'] },
        {
          field: 'holderNumber',
          aliases: [
            'Checked Out To: Employee Number',
            'Checked Out To: Employee No',
            'Employee Number',
            'Employee No',
            'Student Number',
            'Student ID',
            'Student Id Number',
            'Assigned To: Employee Number',
          ],
        },
      ],
      ignored: ['Name', 'Asset Name', 'Model Number', 'Model No.', 'Company', 'Requestable'],
    },
    columns: DEVICE_LIST_COLUMNS,
    map(fields: Fields): Mapped {
      const errors: FieldProblem[] = [];
      const serial = attempt(errors, 'serialNumber', () => required(fields, 'serialNumber', 100));
      const kind = attempt(errors, 'kind', () => deviceKind(required(fields, 'kind', 200)));
      const status = attempt(errors, 'status', () => optional(fields, 'status', statusLabel));
      const short = (field: string, max: number) => attempt(errors, field, () => optional(fields, field, (v) => text(v, max)));
      const purchaseDate = attempt(errors, 'purchaseDate', () => optional(fields, 'purchaseDate', exportDate));
      const months = (field: string) => attempt(errors, field, () => optional(fields, field, (v) => dateOrMonths(v, purchaseDate)));
      const values = {
        assetTag: short('assetTag', 100),
        model: short('model', 200),
        manufacturer: short('manufacturer', 200),
        school: short('school', 200),
        fundingSource: short('fundingSource', 200),
        imei: attempt(errors, 'imei', () => optional(fields, 'imei', imei)),
        iccid: attempt(errors, 'iccid', () => optional(fields, 'iccid', iccid)),
        phoneNumber: short('phoneNumber', 30),
        carrier: short('carrier', 100),
        notes: short('notes', 4000),
        purchaseCost: attempt(errors, 'purchaseCost', () => optional(fields, 'purchaseCost', money)),
        orderNumber: short('orderNumber', 200),
        supplier: short('supplier', 200),
        warrantyEnd: fields['warrantyEnd'] !== undefined ? months('warrantyEnd') : months('warrantyMonths'),
        endOfLife: months('endOfLife'),
        holderName: short('holderName', 320),
        holderUsername: short('holderUsername', 320),
        holderEmail: short('holderEmail', 320),
        holderNumber: short('holderNumber', 255),
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
          status?.[0] ?? null,
          status?.[1] ?? null,
          v.imei,
          v.iccid,
          v.phoneNumber,
          v.carrier,
          v.notes,
          purchaseDate,
          v.purchaseCost,
          v.orderNumber,
          v.supplier,
          v.warrantyEnd,
          v.endOfLife,
          v.holderName,
          v.holderUsername,
          v.holderEmail,
          v.holderNumber,
        ],
      };
    },
    precheck: { field: 'status', check: refuseUnmappedLabels },
    apply: applyDevices,
  };
}

/** Lines of an unmapped label its error names. */
const FIRST_LINES = 5;

/**
 * Status labels the district has not mapped (nor are built in) refuse the file, each label once with
 * its row count, first lines and how to map it.
 */
async function refuseUnmappedLabels(em: EntityManager, ctx: BatchContext, values: Map<string, ValueTally>): Promise<RowError[]> {
  // Spellings of one label ("Broken", "broken ") are one label.
  const byKey = new Map<string, { label: string; count: number; lines: number[] }>();
  for (const [value, tally] of values) {
    const key = statusLabelKey(value);
    const seen = byKey.get(key);
    if (seen) {
      seen.count += tally.count;
      seen.lines = [...seen.lines, ...tally.lines].sort((a, b) => a - b).slice(0, FIRST_LINES);
    } else {
      byKey.set(key, { label: value, count: tally.count, lines: [...tally.lines] });
    }
  }
  const mapped = await mappedLabelKeys(em, ctx.districtId, [...byKey.keys()]);
  return [...byKey.entries()]
    .filter(([key]) => key && !mapped.has(key))
    .map(([, u]) => u)
    .sort((a, b) => a.lines[0] - b.lines[0])
    .map((u) => ({
      line: u.lines[0],
      field: 'status',
      message:
        `status ${quoted(u.label)} is not mapped to a Reconnect status (${u.count.toLocaleString('en-US')} row(s), first on line(s) ` +
        `${u.lines.join(', ')}): map it with PUT /api/v1/status-mappings {"label": ${JSON.stringify(u.label)}, ` +
        `"status": one of ${MAPPABLE_STATUSES.join(', ')}, "condition": working, damaged, broken or null}, then import the file again.`,
    }));
}

/** The tickets module's set-based writer: it holds no state, so a part (a plain function) may use its own. */
const tickets = new TicketBulkRepository();

/** The devices, then the custody their holder columns record, and the tickets that custody answers. */
async function applyDevices(em: EntityManager, stage: BulkStage, ctx: BatchContext): Promise<Applied> {
  const counts = await upsertDevices(em, stage, { districtId: ctx.districtId, importId: ctx.importId, author: auditAuthor(ctx) });
  const holders = await matchHolders(em, stage, ctx.districtId);
  const author = auditAuthor(ctx);
  const issued = holders.matched ? await issueImportedHolders(em, holders.matches, { districtId: ctx.districtId, author }) : [];
  await tickets.resolveForIssued(em, author, issued);
  const suggested = holders.unmatched ? await suggestHolders(em, holders.rows, ctx) : 0;
  return { ...counts, stats: { holdersAssigned: issued.length, holderSuggestions: suggested } };
}

/** Rows of a batch with a holder: (line, device_id, holder, candidates, student_id: null unless exactly one). */
type HolderRows = TempTable<'import_holder_rows'>;

/**
 * The student each good row's holder columns name, matched against active students of the district:
 * by email (a username with an @ too), then student number (identifier or sourcedId), then username
 * (sourcedId, identifier or the email's local part), then full name ("Given Family" or "Family, Given").
 * The first of these that finds anyone decides; one student is a match, several are ambiguous.
 * Makes `imported_holders` (the matches, one per device) and `import_holder_rows` (every row with a holder).
 */
async function matchHolders(
  em: EntityManager,
  stage: BulkStage,
  districtId: string,
): Promise<{ rows: HolderRows; matches: ImportedHolders; matched: number; unmatched: number }> {
  const active = q`s.district_id = ${districtId} AND s.enrollment_status = 'active'`;
  const { table: rows } = await TempTable.as(
    em,
    'import_holder_rows',
    q`WITH named AS (
       SELECT st.*, ${knownSerial(districtId)} AS known_serial
       FROM ${stage.rows} st
       WHERE ${stage.goodRows} AND coalesce(st.holder_name, st.holder_username, st.holder_email, st.holder_number) IS NOT NULL
     ), h AS (
       SELECT DISTINCT ON (d.id) n.line, d.id AS device_id, n.holder_name, n.holder_username, n.holder_email, n.holder_number,
              left(concat_ws(' / ', n.holder_name, n.holder_username, n.holder_email, n.holder_number), 320) AS holder
       FROM named n
       JOIN devices d ON d.district_id = ${districtId} AND d.serial_number = n.known_serial
       ORDER BY d.id, n.line DESC
     ), candidates AS (
       SELECT h.line, 1 AS rank, s.id FROM h JOIN students s ON ${active} AND lower(s.email) = lower(h.holder_email)
       UNION ALL
       SELECT h.line, 1, s.id FROM h JOIN students s ON ${active} AND lower(s.email) = lower(h.holder_username) WHERE h.holder_username LIKE '%@%'
       UNION ALL
       SELECT h.line, 2, s.id FROM h JOIN students s ON ${active} AND s.identifier = h.holder_number
       UNION ALL
       SELECT h.line, 2, s.id FROM h JOIN students s ON ${active} AND s.sourced_id = h.holder_number
       UNION ALL
       SELECT h.line, 3, s.id FROM h JOIN students s ON ${active} AND s.sourced_id = h.holder_username
       UNION ALL
       SELECT h.line, 3, s.id FROM h JOIN students s ON ${active} AND s.identifier = h.holder_username
       UNION ALL
       SELECT h.line, 3, s.id FROM h JOIN students s ON ${active} AND lower(split_part(s.email, '@', 1)) = lower(h.holder_username)
       WHERE h.holder_username NOT LIKE '%@%'
       UNION ALL
       SELECT h.line, 4, s.id FROM h JOIN students s ON ${active} AND lower(s.given_name || ' ' || s.family_name) = lower(h.holder_name)
       UNION ALL
       SELECT h.line, 4, s.id FROM h JOIN students s ON ${active} AND lower(s.family_name || ', ' || s.given_name) = lower(h.holder_name)
     ), best AS (
       SELECT c.line, count(DISTINCT c.id)::int AS n, (array_agg(c.id))[1] AS student_id
       FROM candidates c
       WHERE c.rank = (SELECT min(x.rank) FROM candidates x WHERE x.line = c.line)
       GROUP BY c.line
     )
     SELECT h.line, h.device_id, h.holder, coalesce(b.n, 0) AS candidates, CASE WHEN b.n = 1 THEN b.student_id END AS student_id
     FROM h LEFT JOIN best b ON b.line = h.line`,
  );
  const { table: matches, rows: matched } = await TempTable.as(
    em,
    'imported_holders',
    q`SELECT line, device_id, student_id FROM ${rows.ref} WHERE student_id IS NOT NULL`,
  );
  const unmatched = await run<{ n: number }>(em, q`SELECT count(*)::int AS n FROM ${rows.ref} WHERE student_id IS NULL`);
  return { rows, matches, matched, unmatched: unmatched.rows[0].n };
}

/** Holders naming no active student of the district, or several, are listed on the import for someone to settle. */
async function suggestHolders(em: EntityManager, rows: HolderRows, ctx: BatchContext): Promise<number> {
  const result = await run(
    em,
    q`INSERT INTO import_suggestions (import_id, district_id, device_id, student_id, basis, line, holder, candidates)
     SELECT ${ctx.importId}, ${ctx.districtId}, h.device_id, NULL,
            CASE WHEN h.candidates = 0 THEN 'holder_unmatched' ELSE 'holder_ambiguous' END, h.line, h.holder, h.candidates
     FROM ${rows.ref} h WHERE h.student_id IS NULL
     -- In line order, so that the list (by id) reads like the file.
     ORDER BY h.line
     ON CONFLICT (import_id, device_id) DO NOTHING
     RETURNING id`,
  );
  return result.count;
}
