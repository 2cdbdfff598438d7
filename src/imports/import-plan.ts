import { ImportFileError } from './parsing/file-error.js';
import { csvRecords } from './parsing/csv-records.js';
import { normalizeHeader, type HeaderSpec } from './parsing/headers.js';
import { plainFile, sniffFormat, ZipArchive, type InputFile } from './parsing/input.js';
import { chromeosDevicesPart } from './parts/chromeos-devices.js';
import { devicesPart } from './parts/devices.js';
import { hotspotUsagePart } from './parts/hotspot-usage.js';
import { loginEventsPart } from './parts/login-events.js';
import { enrollmentsPart, orgsPart, usersPart } from './parts/oneroster.js';
import type { Part } from './parts/part.js';
import { shipmentManifestPart } from './parts/shipment-manifest.js';
import { studentAttributesPart } from './parts/student-attributes.js';

export const IMPORT_KINDS = [
  'oneroster',
  'student-attributes',
  'devices',
  'chromeos-devices',
  'hotspot-usage',
  'login-events',
  'shipment-manifest',
] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

export interface PlannedPart {
  part: Part;
  input: InputFile;
  format: 'csv' | 'json';
}

/** The parts of one import file, in the order they are applied (OneRoster: orgs, users, then enrollments). */
export interface ImportPlan {
  parts: PlannedPart[];
  close(): void;
}

/** How row errors name a part: a OneRoster zip's member ("users.csv"); a single file's are unnamed. */
export function partLabel(kind: ImportKind, planned: PlannedPart): string | null {
  return kind === 'oneroster' ? planned.part.name : null;
}

/** The first record of a CSV: its header. */
export async function readHeader(input: InputFile): Promise<string[]> {
  const stream = await input.open();
  try {
    for await (const record of csvRecords(stream)) return record.cells;
    return [];
  } finally {
    stream.destroy();
  }
}

async function manifest(zip: ZipArchive): Promise<Map<string, string>> {
  const file = zip.file('manifest.csv');
  if (!file)
    throw new ImportFileError('The OneRoster zip has no manifest.csv.', [{ line: 1, field: 'manifest.csv', message: 'missing file' }]);
  const properties = new Map<string, string>();
  const stream = await file.open();
  for await (const { cells } of csvRecords(stream)) properties.set((cells[0] ?? '').trim(), (cells[1] ?? '').trim().toLowerCase());
  return properties;
}

async function oneRosterZip(path: string): Promise<ImportPlan> {
  const zip = await ZipArchive.open(path);
  try {
    const properties = await manifest(zip);
    const parts: PlannedPart[] = [];
    for (const [name, property] of [
      ['orgs.csv', 'file.orgs'],
      ['users.csv', 'file.users'],
      ['enrollments.csv', 'file.enrollments'],
    ] as const) {
      const mode = properties.get(property) ?? 'absent';
      if (mode === 'absent') continue;
      if (mode !== 'bulk' && mode !== 'delta') {
        throw new ImportFileError(`manifest.csv gives ${property} as "${mode}"; expected bulk, delta or absent.`, [
          { line: 1, field: property, message: 'must be bulk, delta or absent' },
        ]);
      }
      const input = zip.file(name);
      if (!input) {
        throw new ImportFileError(`manifest.csv announces ${name} (${mode}) but the zip has no ${name}.`, [
          { line: 1, field: name, message: 'missing file' },
        ]);
      }
      const part = name === 'orgs.csv' ? orgsPart(name) : name === 'users.csv' ? usersPart(name, mode) : enrollmentsPart(name);
      parts.push({ part, input, format: 'csv' });
    }
    if (!parts.length) throw new ImportFileError('manifest.csv announces neither orgs.csv nor users.csv.');
    return { parts, close: () => zip.close() };
  } catch (error) {
    zip.close();
    throw error;
  }
}

/**
 * A lone users.csv or orgs.csv, told apart by its header. Without a manifest there is no saying that
 * the file is the whole roster, so it is applied as a delta: no one is withdrawn for being absent.
 */
async function oneRosterCsv(input: InputFile): Promise<ImportPlan> {
  const header = new Set((await readHeader(input)).map(normalizeHeader));
  const part = header.has('role')
    ? usersPart('users.csv', 'delta')
    : header.has('type')
      ? orgsPart('orgs.csv')
      : usersPart('users.csv', 'delta');
  return { parts: [{ part, input, format: 'csv' }], close: () => undefined };
}

const SINGLE_PARTS: Record<Exclude<ImportKind, 'oneroster'>, () => Part> = {
  'student-attributes': studentAttributesPart,
  devices: devicesPart,
  'chromeos-devices': chromeosDevicesPart,
  'hotspot-usage': hotspotUsagePart,
  'login-events': loginEventsPart,
  'shipment-manifest': shipmentManifestPart,
};

/** The columns a single-file kind reads (a district's mapping names its own headers for them). */
export function headerSpecOf(kind: Exclude<ImportKind, 'oneroster'>): HeaderSpec {
  return SINGLE_PARTS[kind]().headers;
}

export async function planImport(kind: ImportKind, path: string, fileName: string): Promise<ImportPlan> {
  const format = await sniffFormat(path);
  if (kind === 'oneroster') {
    if (format === 'zip') return oneRosterZip(path);
    if (format === 'json') throw new ImportFileError('A OneRoster import is a zip of CSV files, or a single users.csv or orgs.csv.');
    return oneRosterCsv(await plainFile(path, fileName));
  }
  const part = SINGLE_PARTS[kind]();
  if (format === 'zip') throw new ImportFileError(`A ${kind} import is a single ${part.json ? 'JSON or CSV' : 'CSV'} file, not a zip.`);
  if (format === 'json' && !part.json) throw new ImportFileError(`A ${kind} import is a CSV file, not JSON.`);
  return { parts: [{ part, input: await plainFile(path, fileName), format }], close: () => undefined };
}
