import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DataSource } from 'typeorm';
import { createHttpApp } from '../src/app.factory.js';
import { TokensService } from '../src/auth/tokens.service.js';
import { logger } from '../src/common/logging/logger.js';
import { loadConfig, redact } from '../src/config/app-config.js';
import { preflight, StartupError } from '../src/preflight.js';
import { todayIn } from '../src/connectivity/school-days.js';
import { ensureDatabase, runMigrations } from '../src/database/database-setup.js';
import type { ImportKind } from '../src/imports/import-plan.js';
import { ImportRunner } from '../src/imports/import-runner.js';
import { ImportsService } from '../src/imports/imports.service.js';
import { Api } from './api.js';
import { generateState, type GeneratedDistrict } from './generator.js';
import { addTallies, applyFaults, assignDevices, assignmentRequests, createDistrict, type Tally } from './load.js';
import { waitFor } from './processes.js';

const HELP = `Usage: npm run demo [-- --students 500] [--seed 1] [--force]

Loads one small synthetic district into the database of DATABASE_URL through the product's own
imports (roster, learning models, devices, shipment manifests, Google devices, hotspot usage, four
weeks of logins) and routes (distribution day, repairs), runs a gap scan, and prints a token and
URLs to look at. Refuses a database that already holds districts, unless --force.`;

const say = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      students: { type: 'string', default: '500' },
      seed: { type: 'string', default: '1' },
      force: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    say(HELP);
    return 0;
  }
  const students = Number(values.students);
  if (!Number.isInteger(students) || students < 10 || students > 20_000) {
    process.stderr.write('demo: --students must be a whole number from 10 to 20000\n');
    return 2;
  }
  const config = loadConfig();
  try {
    await preflight(config, { http: false });
  } catch (error) {
    if (error instanceof StartupError) {
      process.stderr.write(`demo: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
  const started = Date.now();
  await ensureDatabase(config.databaseUrl);
  if (config.migrationsRun) await runMigrations(config.databaseUrl);

  // The service's request log would bury the demo's own lines.
  if (!process.env['LOG_LEVEL']) logger.level = 'warn';
  const app = await createHttpApp(config, { worker: true });
  const work = mkdtempSync(join(tmpdir(), 'reconnect-demo-'));
  try {
    const db = app.get(DataSource);
    const codes = (await db.query<{ code: string }[]>(`SELECT code FROM districts`)).map((r) => r.code);
    if (codes.length && !values.force) {
      process.stderr.write(
        `demo: ${redact(config.databaseUrl)} already holds ${codes.length} district(s); the demo loads into an empty database.\n` +
          '      Point DATABASE_URL at a new database, or run `npm run demo -- --force` to add a demo district anyway.\n',
      );
      return 2;
    }
    let code = 'DEMO';
    for (let i = 2; codes.includes(code); i++) code = `DEMO${i}`;

    const token = config.bootstrapAdminToken ?? `demo-${randomBytes(20).toString('hex')}`;
    await app.get(TokensService).ensureBootstrapToken(token);
    await app.listen(0, '127.0.0.1');
    const api = new Api(await app.getUrl().then((url) => url.replace('[::1]', '127.0.0.1').replace('localhost', '127.0.0.1')), token);

    const asOf = todayIn('America/New_York');
    const state = await generateState({ dir: work, students, seed: Number(values.seed), weeks: 4, asOf, districts: 1, codePrefix: code });
    const district = state.districts[0];
    const districtId = await createDistrict(api, district);
    say(`District ${district.code} (${district.name}): ${district.counts.schools} schools, ${district.counts.students} students.`);

    const load = async (kind: ImportKind, file: string): Promise<void> => {
      const id = await app.get(ImportsService).createLocal(districtId, kind, file);
      const row = await app.get(ImportRunner).run(id);
      if (row?.status !== 'completed') throw new Error(`the ${kind} import ${id} ${row?.status ?? 'vanished'}: ${row?.errorSummary ?? ''}`);
      say(
        `  imported ${kind.padEnd(18)} ${String(row.rows).padStart(7)} rows (${row.created} created, ${row.updated} updated, ${row.failed} failed)`,
      );
    };
    const files = district.files;
    await load('oneroster', files.oneroster);
    await load('student-attributes', files.studentAttributes);
    await load('devices', files.devices);
    let assigned: Tally = { requests: 0, lines: 0, outcomes: {} };
    for (const request of assignmentRequests(districtId, district)) assigned = addTallies(assigned, await assignDevices(api, request));
    say(`  assigned ${assigned.outcomes['assigned'] ?? 0} devices (POST /api/v1/assignments/bulk)`);
    const deviceIds = async (id: string, tags: string[]): Promise<Map<string, string>> =>
      new Map(
        (
          await db.query<{ id: string; tag: string }[]>(
            `SELECT id, asset_tag AS tag FROM devices WHERE district_id = $1 AND asset_tag = ANY($2)`,
            [id, tags],
          )
        ).map((r) => [r.tag, r.id]),
      );
    const faults = await applyFaults(api, districtId, district, deviceIds, 2);
    say(`  marked ${faults.lines} devices broken, damaged or in repair`);
    await load('shipment-manifest', files.shipmentManifest);
    // Logins before Google and carrier data: each of these imports queues a scan, and a scan with no
    // logins yet would find everyone disconnected.
    await load('login-events', files.loginEvents);
    await load('chromeos-devices', files.chromeosDevices);
    await load('hotspot-usage', files.hotspotUsage);

    const { id: scanId } = await api.post<{ id: string }>('/api/v1/gap-scans', { districtId, asOf });
    await waitFor('the gap scan', 60_000, async () => {
      const scan = await api.get<{ status: string }>(`/api/v1/gap-scans/${scanId}`);
      return scan.status === 'completed' || scan.status === 'failed' ? scan : null;
    });
    await summary(db, district, districtId, asOf, token, config.port, state.weekOf, (Date.now() - started) / 1000);
    return 0;
  } finally {
    await app.close();
    rmSync(work, { recursive: true, force: true });
  }
}

async function summary(
  db: DataSource,
  district: GeneratedDistrict,
  districtId: string,
  asOf: string,
  token: string,
  port: number,
  weekOf: string,
  seconds: number,
): Promise<void> {
  const [gaps] = await db.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM gaps WHERE district_id = $1 AND closed_at IS NULL`, [
    districtId,
  ]);
  const tickets = await db.query<{ type: string; n: number }[]>(
    `SELECT type, count(*)::int AS n FROM tickets WHERE district_id = $1 AND status IN ('open','in_progress','waiting') GROUP BY type ORDER BY type`,
    [districtId],
  );
  const base = `http://localhost:${port}/api/v1`;
  const curl = (path: string): string => `  curl -H 'Authorization: Bearer ${token}' '${base}${path}'`;
  say('');
  say(
    `Gap scan as of ${asOf}: ${gaps?.n ?? 0} remote or hybrid students without a login for 5 school days; open tickets: ${tickets.map((t) => `${t.n} ${t.type}`).join(', ') || 'none'}.`,
  );
  say(`Loaded in ${seconds.toFixed(1)} s.`);
  say('');
  say('Start the service with the admin token (it is stored in the database, so it keeps working without the variable too):');
  say(`  BOOTSTRAP_ADMIN_TOKEN=${token} npm start`);
  say('');
  say('Then look at:');
  say(curl(`/students?districtId=${districtId}&limit=5`));
  say(curl(`/devices?districtId=${districtId}&limit=5`));
  say(curl(`/tickets?districtId=${districtId}&sort=priority&limit=10`));
  say(curl(`/reports/weekly-learning-model?weekOf=${weekOf}&districtId=${districtId}`));
  say(`  http://localhost:${port}/api/docs   (the API reference; "Authorize" with the token)`);
  say('');
  say(`District ${district.code} is ordinary data: it stays until you drop the database.`);
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`demo: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
