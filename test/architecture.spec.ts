import { readdirSync, readFileSync } from 'node:fs';
import { join, dirname, normalize, relative } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import * as ts from 'typescript';

/**
 * The module boundaries of README's "Layout", checked on the source: who may write which table, which
 * folders may import which, and no import circles (type-only imports included, unlike ESLint's no-cycle).
 */

/** Each table's one owning module (a folder under src/): only its code writes the table. */
const TABLE_OWNERS: Record<string, string> = {
  api_tokens: 'auth',
  staff_users: 'auth',
  staff_sessions: 'auth',
  district_identity_providers: 'auth',
  audit_events: 'audit',
  districts: 'districts',
  schools: 'districts',
  students: 'students',
  guardians: 'students',
  student_guardians: 'students',
  devices: 'devices',
  device_status_mappings: 'devices',
  assignments: 'custody',
  repairs: 'custody',
  device_losses: 'custody',
  kit_templates: 'kits',
  kits: 'kits',
  imports: 'imports',
  import_errors: 'imports',
  import_seen_keys: 'imports',
  import_latest_logins: 'imports',
  import_suggestions: 'imports',
  import_enrollment_dates: 'imports',
  import_roster_roles: 'imports',
  import_withdrawals: 'imports',
  import_mappings: 'imports',
  login_events: 'login-events',
  login_events_default: 'login-events',
  gap_scans: 'connectivity',
  gaps: 'connectivity',
  school_learning_model_changes: 'connectivity',
  tickets: 'tickets',
  ticket_events: 'tickets',
  outreach_attempts: 'tickets',
  shipments: 'shipments',
  shipment_items: 'shipments',
  idempotency_keys: 'idempotency',
  connectors: 'connectors',
  connector_runs: 'connectors',
  google_write_backs: 'connectors',
};

/** Folders that feature modules build on; they import no feature module. */
const INFRASTRUCTURE = ['common', 'config', 'database', 'queue'];

function sourceFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') && !entry.name.endsWith('.d.ts'))
    .map((entry) => normalize(join(entry.parentPath, entry.name)));
}

const files = sourceFiles('src');
const text = new Map(files.map((file) => [file, readFileSync(file, 'utf8')]));
const moduleOf = (file: string): string => file.split('/')[1]!;

/** Relative imports of a file (type-only ones included), as the files they resolve to. */
const imports = new Map(
  files.map((file) => [
    file,
    ts
      .preProcessFile(text.get(file)!, true, false)
      .importedFiles.map((ref) => ref.fileName)
      .filter((name) => name.startsWith('.'))
      .map((name) => normalize(join(dirname(file), name.replace(/\.js$/, '.ts')))),
  ]),
);

describe('architecture', () => {
  it('has every table written only by its owning module', () => {
    const tables = new Set(
      readdirSync('migrations')
        .filter((name) => name.endsWith('.ts'))
        .flatMap((name) =>
          [...readFileSync(join('migrations', name), 'utf8').matchAll(/CREATE TABLE (?:IF NOT EXISTS )?"?(\w+)/g)].map((m) => m[1]!),
        ),
    );
    expect([...tables].filter((table) => !TABLE_OWNERS[table])).toEqual([]);
    const trespasses: string[] = [];
    for (const [file, source] of text) {
      for (const match of source.matchAll(/\b(?:INSERT INTO|UPDATE|DELETE FROM|COPY|TRUNCATE)\s+"?(\w+)/g)) {
        const table = match[1]!;
        if (tables.has(table) && TABLE_OWNERS[table] !== moduleOf(file))
          trespasses.push(`${file} writes ${table} (owned by ${TABLE_OWNERS[table]})`);
      }
    }
    expect(trespasses).toEqual([]);
  });

  it('keeps infrastructure free of feature modules', () => {
    const upward = files
      .filter((file) => INFRASTRUCTURE.includes(moduleOf(file)))
      .flatMap((file) =>
        imports
          .get(file)!
          .filter((target) => !INFRASTRUCTURE.includes(moduleOf(target)) && target.startsWith('src/'))
          .map((target) => `${file} -> ${target}`),
      );
    expect(upward).toEqual([]);
  });

  it('learns domain words from domain files, not from HTTP DTOs', () => {
    const fromDto = files
      // Controllers, services and presenters speak HTTP; the rest (repositories, SQL, domain files) must not.
      .filter((file) => !/\.(dto|controller|service|presenter)\.ts$/.test(file))
      .flatMap((file) =>
        imports
          .get(file)!
          .filter((target) => target.endsWith('.dto.ts'))
          .map((target) => `${file} -> ${target}`),
      );
    expect(fromDto).toEqual([]);
  });

  it('has no import circles between files', () => {
    // Tarjan's strongly connected components over the import graph.
    const index = new Map<string, number>();
    const low = new Map<string, number>();
    const stack: string[] = [];
    const circles: string[][] = [];
    const visit = (file: string): void => {
      index.set(file, index.size);
      low.set(file, index.get(file)!);
      stack.push(file);
      for (const target of imports.get(file) ?? []) {
        if (!imports.has(target)) continue;
        if (!index.has(target)) {
          visit(target);
          low.set(file, Math.min(low.get(file)!, low.get(target)!));
        } else if (stack.includes(target)) low.set(file, Math.min(low.get(file)!, index.get(target)!));
      }
      if (low.get(file) === index.get(file)) {
        const component = stack.splice(stack.indexOf(file));
        if (component.length > 1) circles.push(component.map((f) => relative('.', f)));
      }
    };
    for (const file of files) if (!index.has(file)) visit(file);
    expect(circles).toEqual([]);
  });
});
