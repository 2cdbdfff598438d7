import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { ZipLimits } from '../config/app-config.js';
import { ImportFileError, type RowError } from './parsing/file-error.js';
import { csvRecords } from './parsing/csv-records.js';
import { decodedText } from './parsing/encoding.js';
import { describeHeaderProblems, mapHeader, normalizeHeader, type HeaderSpec } from './parsing/headers.js';
import { plainFile, sniffFormat, ZipArchive, type InputFile, type InputFormat } from './parsing/input.js';
import { chromeosDevicesPart } from './parts/chromeos-devices.js';
import { devicesPart } from './parts/devices.js';
import { hotspotUsagePart } from './parts/hotspot-usage.js';
import { loginEventsPart } from './parts/login-events.js';
import { enrollmentsPart, orgsPart, rolesPart, usersPart, type EnrolmentDates } from './parts/oneroster.js';
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

/** The parts of one import file, in the order they are applied (OneRoster: orgs, roles, users, then enrollments). */
export interface ImportPlan {
  format: InputFormat;
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

async function manifest(zip: RosterFiles): Promise<Map<string, string>> {
  const file = zip.file('manifest.csv');
  if (!file)
    throw new ImportFileError('The OneRoster zip has no manifest.csv.', [{ line: 1, field: 'manifest.csv', message: 'missing file' }]);
  const properties = new Map<string, string>();
  const stream = await file.open();
  for await (const { cells } of csvRecords(stream)) properties.set((cells[0] ?? '').trim(), (cells[1] ?? '').trim().toLowerCase());
  return properties;
}

/** The members of a OneRoster zip, or of a folder of its CSV files (what a roster connector writes). */
interface RosterFiles {
  file(name: string): InputFile | null;
  close(): void;
}

async function rosterFolder(path: string): Promise<RosterFiles> {
  const files = new Map<string, InputFile>();
  for (const name of await readdir(path)) files.set(name.toLowerCase(), await plainFile(join(path, name), name));
  return { file: (name) => files.get(name.toLowerCase()) ?? null, close: () => undefined };
}

async function oneRosterZip(path: string, limits: ZipLimits, folder = false): Promise<ImportPlan> {
  const zip: RosterFiles = folder ? await rosterFolder(path) : await ZipArchive.open(path, limits);
  try {
    const properties = await manifest(zip);
    const mode = (property: string): 'bulk' | 'delta' | 'absent' => {
      const value = properties.get(property) ?? 'absent';
      if (value !== 'bulk' && value !== 'delta' && value !== 'absent') {
        throw new ImportFileError(`manifest.csv gives ${property} as "${value}"; expected bulk, delta or absent.`, [
          { line: 1, field: property, message: 'must be bulk, delta or absent' },
        ]);
      }
      return value;
    };
    const member = (name: string, announced: string): InputFile => {
      const input = zip.file(name);
      if (!input) {
        throw new ImportFileError(`manifest.csv announces ${name} (${announced}) but the zip has no ${name}.`, [
          { line: 1, field: name, message: 'missing file' },
        ]);
      }
      return input;
    };
    const parts: PlannedPart[] = [];
    const orgs = mode('file.orgs');
    if (orgs !== 'absent') parts.push({ part: orgsPart('orgs.csv'), input: member('orgs.csv', orgs), format: 'csv' });
    // enrollments.csv before users.csv: its dates, kept here as its batches are read, are given to the
    // students users.csv creates, instead of each new student being updated when the import ends (the
    // settle, which still applies what this misses: a resumed import, students users.csv does not create,
    // a district past enrollmentsPart's bound).
    const dates: EnrolmentDates = new Map();
    const enrollments = mode('file.enrollments');
    if (enrollments !== 'absent') {
      parts.push({ part: enrollmentsPart('enrollments.csv', dates), input: member('enrollments.csv', enrollments), format: 'csv' });
    }
    const users = mode('file.users');
    if (users !== 'absent') {
      const input = member('users.csv', users);
      // OneRoster 1.2 moved role and orgs to roles.csv: a users.csv without a role column needs it.
      if (new Set((await readHeader(input)).map(normalizeHeader)).has('role')) {
        parts.push({ part: usersPart('users.csv', users, 'users.csv', dates), input, format: 'csv' });
      } else {
        const roles = mode('file.roles');
        if (roles === 'absent') {
          throw new ImportFileError(
            'users.csv has no role column (OneRoster 1.2), and manifest.csv announces no roles.csv to say who is a student.',
            [{ line: 1, field: 'roles.csv', message: 'missing file: OneRoster 1.2 gives roles in roles.csv' }],
          );
        }
        parts.push({ part: rolesPart('roles.csv'), input: member('roles.csv', roles), format: 'csv' });
        parts.push({ part: usersPart('users.csv', users, 'roles.csv', dates), input, format: 'csv' });
      }
    }
    if (!parts.length) throw new ImportFileError('manifest.csv announces neither orgs.csv nor users.csv.');
    return { format: 'zip', parts, close: () => zip.close() };
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
  return { format: 'csv', parts: [{ part, input, format: 'csv' }], close: () => undefined };
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

export async function planImport(kind: ImportKind, path: string, fileName: string, limits: ZipLimits): Promise<ImportPlan> {
  if (kind === 'oneroster' && (await stat(path)).isDirectory()) return oneRosterZip(path, limits, true);
  const format = await sniffFormat(path);
  if (kind === 'oneroster') {
    if (format === 'zip') return oneRosterZip(path, limits);
    if (format === 'json') throw new ImportFileError('A OneRoster import is a zip of CSV files, or a single users.csv or orgs.csv.');
    return oneRosterCsv(await plainFile(path, fileName));
  }
  const part = SINGLE_PARTS[kind]();
  if (format === 'zip') throw new ImportFileError(`A ${kind} import is a single ${part.json ? 'JSON or CSV' : 'CSV'} file, not a zip.`);
  if (format === 'json' && !part.json) throw new ImportFileError(`A ${kind} import is a CSV file, not JSON.`);
  return { format, parts: [{ part, input: await plainFile(path, fileName), format }], close: () => undefined };
}

/** A column the import leaves unused, found when the file was checked: never a reason to refuse it. */
export interface ImportWarning {
  /** The member of a zip (users.csv); null for a single file. */
  part: string | null;
  column: string;
  message: string;
}

/** What the check of a file found harmless: the columns it leaves unused, and why. */
export interface FileCheck {
  format: InputFormat;
  ignored: string[];
  warnings: ImportWarning[];
}

/**
 * Checks every CSV header of a planned file (each member of a zip), and the text encoding of every part
 * as far as its first chunk shows it: a mismatch, or an encoding that cannot be decided, refuses the
 * whole file before anything is written.
 */
export async function checkPlan(kind: ImportKind, plan: ImportPlan): Promise<FileCheck> {
  const problems: RowError[] = [];
  const summaries: string[] = [];
  const ignored: string[] = [];
  const warnings: ImportWarning[] = [];
  for (const planned of plan.parts) {
    const label = partLabel(kind, planned);
    if (planned.format === 'json') {
      await readFirstText(planned.input);
      continue;
    }
    const result = mapHeader(await readHeader(planned.input), planned.part.headers);
    if ('problems' in result) {
      problems.push(...result.problems.map((p) => ({ part: label, line: 1, field: p.field, message: p.message })));
      summaries.push(describeHeaderProblems(result.problems, label));
    } else {
      ignored.push(...result.mapping.ignored);
      warnings.push(...result.mapping.warnings.map((w) => ({ part: label, ...w })));
    }
  }
  if (problems.length) throw new ImportFileError(`${summaries.join(' ')} Nothing was imported.`, problems);
  return { format: plan.format, ignored: [...new Set(ignored)], warnings };
}

/**
 * Plans and checks a file as it arrives (an upload, a file given to the command line); `adapt` reads
 * the plan through the district's saved column mappings first, as the run will.
 */
export async function checkImportFile(
  kind: ImportKind,
  path: string,
  fileName: string,
  limits: ZipLimits,
  adapt: (plan: ImportPlan) => Promise<void>,
): Promise<FileCheck> {
  const plan = await planImport(kind, path, fileName, limits);
  try {
    await adapt(plan);
    return await checkPlan(kind, plan);
  } finally {
    plan.close();
  }
}

/** Decodes the first chunk of a part: an encoding that cannot be decided shows there. */
async function readFirstText(input: InputFile): Promise<void> {
  const stream = await input.open();
  try {
    for await (const text of decodedText(stream as AsyncIterable<Buffer>)) if (text) return;
  } finally {
    stream.destroy();
  }
}
