import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Queue } from 'bullmq';
import { Client } from 'pg';
import { todayIn, gapCutoff } from '../src/connectivity/school-days.js';
import { loadConfig } from '../src/config/app-config.js';
import { dropDatabase, ensureDatabase, runMigrations } from '../src/database/database-setup.js';
import { QUEUE_CONCURRENCY, QUEUE_NAMES, QUEUE_SCHEDULES } from '../src/queue/queue.registry.js';
import { Api, ApiError } from './api.js';
import { generateState, type GeneratedDistrict, type GeneratedState, type StateShape } from './generator.js';
import type { ImportChildResult, ImportJob } from './import-child.js';
import { addTallies, applyFaults, assignDevices, assignmentRequests, createDistrict, type Tally } from './load.js';
import { lookupEndpoints, lookupPhase, type LookupFigures, type LookupToken } from './lookups.js';
import { copyLimit, finalProfile, httpLoad, median, round, takeProfile, timeQuery, type CopyLimit } from './measure.js';
import type { StatementStat } from './pg-profile.js';
import { busyShare, childPids, cpuSnapshot, cpuUse, machine, type CpuUse } from './proc.js';
import { consoleBundle, stationScans, type StationFigures } from './console.js';
import { BACKFILL_EVENTS_PER_STUDENT, MIXED_P99_MS, MIXED_RATE, MixedForeground, writeBackfill, type MixedFigures } from './mixed.js';
import { freePort, mapLimit, ROOT, runNode, ServiceProcess, sleep, snapshotBuild, waitFor, type Build, type NodeRun } from './processes.js';
import {
  renderMixedOnly,
  renderResults,
  writeResults,
  type ApiFigures,
  type ImportFigures,
  type LabelsFigures,
  type LoadedKind,
  type Phase,
  type ReportTiming,
  type RunResults,
  type ScanFigures,
  type SequentialLatency,
} from './results.js';

/** The mixed load: free devices and students its station scans take turns with; seconds of it alone first. */
const MIXED_POOL = 500;
const MIXED_ALONE_SECONDS = 5;

/** The labels phase: a large school's worth of devices, on the commonest sheet. */
const LABEL_DEVICES = 2000;
const LABEL_TEMPLATE = 'avery-5160';

const HELP = `Usage: npm run bench -- [--students 20000] [--shape state|city] [--seed 1] [--weeks 4] [--out bench/RESULTS.md] [--json bench/results.json]
                        [--as-of YYYY-MM-DD] [--connections 10] [--rate 500] [--duration SECONDS]
                        [--analyze auto|always|never] [--import-budget 600] [--quiet-wait 300] [--keep-files] [--database reconnect_bench]
       npm run bench -- --render [--out bench/RESULTS.md] [--json bench/results.json]
       npm run bench -- --mixed-only STATE_DIR --database reconnect_bench_city [--mixed-skip-scan] [--cpu-prof]

Builds a synthetic state (deterministic from --seed) in a database of its own (reconnect_bench on the
server of DATABASE_URL, dropped and recreated each run, kept afterwards for inspection) and a Redis
prefix of its own, loads it through the product's import code and routes, and measures imports, the
gap scan, reports and API latency beside what PostgreSQL alone does on this machine. Results go to
--out (a section per student count; other sections are kept) and --json.

--analyze auto (the default) runs VACUUM (ANALYZE) after each loading step when the server's
autovacuum is off, standing in for what autovacuum does after a bulk load in production.
--import-budget: seconds one import kind may take for all districts; past it, the kind is stopped
(its committed batches stay), reported as not finished, and the run goes on.
--quiet-wait: seconds each measured phase may wait for the machine to be quiet (under 25% CPU busy)
before it starts; on a shared machine, others' work would otherwise be measured too.
--shape city: one district holds 500 of every 520 students, with three small ones beside it
(--students 520000 for a city of 500,000); results are kept apart from the state shape's.
--database: the database (and Redis prefix) of the run, so two runs on one server do not collide.
--render writes --out again from the runs in --json, measuring nothing.
--mixed-only runs only the mixed load (issue #17) against a database an earlier run loaded and left
(--database), with the state that run generated (STATE_DIR: its work directory's state/, kept with
--keep-files); it prints the mixed load's tables and writes nothing into --out or --json. Its backfill
has login ids of its own, so every such run imports new rows. --mixed-skip-scan leaves the gap scans
out; --cpu-prof has the API write a V8 CPU profile into the work directory.`;

interface Options {
  students: number;
  shape: StateShape;
  database: string;
  seed: number;
  weeks: number;
  asOf: string;
  out: string;
  json: string;
  connections: number;
  rate: number;
  duration: number;
  keepFiles: boolean;
  render: boolean;
  analyze: 'auto' | 'always' | 'never';
  importBudget: number;
  quietWait: number;
  command: string;
  /** The state directory of an earlier run whose database is reused: only the mixed load runs. */
  mixedOnly: string | null;
  mixedSkipScan: boolean;
  cpuProf: boolean;
}

function options(): Options {
  const { values } = parseArgs({
    options: {
      students: { type: 'string', default: '20000' },
      shape: { type: 'string', default: 'state' },
      database: { type: 'string', default: 'reconnect_bench' },
      seed: { type: 'string', default: '1' },
      weeks: { type: 'string', default: '4' },
      'as-of': { type: 'string' },
      out: { type: 'string', default: 'bench/RESULTS.md' },
      json: { type: 'string', default: 'bench/results.json' },
      connections: { type: 'string', default: '10' },
      rate: { type: 'string', default: '500' },
      duration: { type: 'string' },
      'keep-files': { type: 'boolean', default: false },
      render: { type: 'boolean', default: false },
      analyze: { type: 'string', default: 'auto' },
      'import-budget': { type: 'string', default: '600' },
      'quiet-wait': { type: 'string', default: '300' },
      'mixed-only': { type: 'string' },
      'mixed-skip-scan': { type: 'boolean', default: false },
      'cpu-prof': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${HELP}\n`);
    process.exit(0);
  }
  const whole = (name: string, value: string, min: number): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be a whole number of at least ${min}`);
    return n;
  };
  const students = whole('students', values.students, 100);
  const analyze = values.analyze;
  const shape = values.shape;
  if (shape !== 'state' && shape !== 'city') throw new Error('--shape must be state or city');
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(values.database)) throw new Error('--database must be a lower-case SQL identifier');
  if (analyze !== 'auto' && analyze !== 'always' && analyze !== 'never') throw new Error('--analyze must be auto, always or never');
  const args = process.argv.slice(2);
  return {
    students,
    shape,
    database: values.database,
    seed: whole('seed', values.seed, 0),
    weeks: whole('weeks', values.weeks, 2),
    asOf: values['as-of'] ?? todayIn('America/New_York'),
    out: resolve(ROOT, values.out),
    json: resolve(ROOT, values.json),
    connections: whole('connections', values.connections, 1),
    rate: whole('rate', values.rate, 1),
    // Long enough for a stable p99; the state run can afford more.
    duration: values.duration ? whole('duration', values.duration, 1) : students >= 100_000 ? 10 : 5,
    keepFiles: values['keep-files'],
    render: values.render,
    analyze,
    importBudget: whole('import-budget', values['import-budget'], 10),
    quietWait: whole('quiet-wait', values['quiet-wait'], 0),
    command: `npm run bench${args.length ? ` -- ${args.join(' ')}` : ''}`,
    mixedOnly: values['mixed-only'] ? resolve(values['mixed-only']) : null,
    mixedSkipScan: values['mixed-skip-scan'],
    cpuProf: values['cpu-prof'],
  };
}

/** The commit measured, and how many files differed from it (work in progress is measured too). */
function revision(): { commit: string; changedFiles: number } | null {
  try {
    const git = (...args: string[]): string =>
      execFileSync('git', args, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    return { commit: git('rev-parse', '--short', 'HEAD'), changedFiles: git('status', '--porcelain').split('\n').filter(Boolean).length };
  } catch {
    return null;
  }
}

const log = (message: string): void => {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
};

const IMPORT_ORDER_BEFORE_CUSTODY: LoadedKind[] = ['oneroster', 'student-attributes', 'devices'];
/**
 * Manifests (they queue no scan), then logins before Google and carrier data, as the demo does: a scan
 * between them would find everyone disconnected.
 */
const IMPORT_ORDER_AFTER_CUSTODY: LoadedKind[] = ['shipment-manifest', 'login-events', 'chromeos-devices', 'hotspot-usage'];

const FILE_OF: Record<LoadedKind, (d: GeneratedDistrict) => string> = {
  oneroster: (d) => d.files.oneroster,
  'student-attributes': (d) => d.files.studentAttributes,
  devices: (d) => d.files.devices,
  'chromeos-devices': (d) => d.files.chromeosDevices,
  'hotspot-usage': (d) => d.files.hotspotUsage,
  'login-events': (d) => d.files.loginEvents,
  'shipment-manifest': (d) => d.files.shipmentManifest,
};

/**
 * Seconds = fixed + rows / rate, fitted over the files of one kind (least squares): what each import
 * costs whatever its size, and how fast rows go once it runs. Null with fewer than 3 files.
 */
function costFit(points: [rows: number, seconds: number][]): ImportFigures['fit'] {
  if (points.length < 3) return null;
  const n = points.length;
  const mx = points.reduce((a, [x]) => a + x, 0) / n;
  const my = points.reduce((a, [, y]) => a + y, 0) / n;
  const sxx = points.reduce((a, [x]) => a + (x - mx) ** 2, 0);
  if (sxx === 0) return null;
  const slope = points.reduce((a, [x, y]) => a + (x - mx) * (y - my), 0) / sxx;
  if (slope <= 0) return null;
  return { fixedMs: Math.round(Math.max(0, my - slope * mx) * 1000), marginalRowsPerSecond: Math.round(1 / slope) };
}

class Bench {
  private readonly work: string;
  private readonly env: NodeJS.ProcessEnv;
  private readonly db: Client;
  private readonly adminToken = `bench-${randomBytes(24).toString('hex')}`;
  private readonly phases: Phase[] = [];
  private api!: Api;
  private apiProcess!: ServiceProcess;
  private apiProcesses = 1;
  private workerPid: number | undefined;
  private analyzeAfterLoads = false;
  private state!: GeneratedState;
  private readonly districtIds = new Map<string, string>();
  private readonly databaseUrl: string;
  private readonly queuePrefix: string;
  private readonly build: Build;

  constructor(private readonly o: Options) {
    const base = loadConfig();
    const url = new URL(base.databaseUrl);
    url.pathname = `/${o.database}`;
    this.databaseUrl = url.toString();
    this.queuePrefix = o.database;
    this.work = mkdtempSync(join(tmpdir(), 'reconnect-bench-'));
    this.build = snapshotBuild(this.work);
    this.env = {
      ...process.env,
      DATABASE_URL: this.databaseUrl,
      REDIS_URL: base.redisUrl,
      QUEUE_PREFIX: this.queuePrefix,
      BOOTSTRAP_ADMIN_TOKEN: this.adminToken,
      IMPORT_DIR: join(this.work, 'uploads'),
      MIGRATIONS_RUN: 'false',
      // The load runs send hundreds of requests a second from one address and one token: above the default limits.
      RATE_LIMIT_PER_ADDRESS: '10000000',
      RATE_LIMIT_PER_TOKEN: '10000000',
    };
    this.db = new Client({ connectionString: this.databaseUrl, application_name: 'reconnect-bench' });
  }

  private get redisUrl(): string {
    return this.env['REDIS_URL']!;
  }

  private logFile(name: string): string {
    return join(this.work, `${name}.log`);
  }

  /**
   * Times a phase, with the CPU each party used and, if given, the statements a profiled process ran.
   * `serviceCpu` gives the CPU seconds of a process that reports its own (an import child). A measured
   * phase first waits (within --quiet-wait) for the machine to be quiet, so others' work on a shared
   * machine does not land in the figures.
   */
  private async phase<T>(
    name: string,
    fn: () => Promise<T>,
    opts: { profile?: () => Promise<StatementStat[]>; serviceCpu?: () => number; measured?: boolean } = {},
  ): Promise<T> {
    const waited = opts.measured ? await this.quiet() : null;
    log(`${name} ...`);
    const pids = (): Record<string, number | undefined> => ({ api: this.apiProcess?.pid, worker: this.workerPid, bench: process.pid });
    const before = cpuSnapshot(this.o.database, pids());
    const value = await fn();
    const cpu: CpuUse = cpuUse(before, cpuSnapshot(this.o.database, pids()));
    const profile = opts.profile ? await opts.profile() : [];
    const service = (cpu.processSeconds['api'] ?? 0) + (cpu.processSeconds['worker'] ?? 0) + (opts.serviceCpu?.() ?? 0);
    const others =
      cpu.machineBusySeconds === null || cpu.postgresSeconds === null
        ? null
        : Math.max(0, round(cpu.machineBusySeconds - cpu.postgresSeconds - service - (cpu.processSeconds['bench'] ?? 0), 2));
    this.phases.push({
      name,
      cpu,
      serviceSeconds: round(service, 2),
      otherSeconds: others,
      quietWait: waited,
      profile: profile.slice(0, 8),
    });
    log(`${name}: ${cpu.wallSeconds.toFixed(1)} s`);
    return value;
  }

  /** Waits until under a quarter of the machine's CPU is busy (someone else's work), or --quiet-wait runs out. */
  private async quiet(): Promise<{ seconds: number; quiet: boolean }> {
    const started = Date.now();
    for (;;) {
      const share = await busyShare(700);
      const seconds = round((Date.now() - started) / 1000, 1);
      if (share === null || share < 0.25) return { seconds, quiet: true };
      if (seconds >= this.o.quietWait) {
        log(`the machine is still busy (${Math.round(share * 100)}% CPU) after ${seconds} s: measuring anyway`);
        return { seconds, quiet: false };
      }
      if (seconds < 1) log(`waiting for the machine to be quiet (${Math.round(share * 100)}% CPU busy) ...`);
    }
  }

  private async startApi(): Promise<void> {
    const port = await freePort();
    const cpuProf = this.o.cpuProf ? ['--cpu-prof', `--cpu-prof-dir=${join(this.work, 'cpu-profiles')}`] : [];
    this.apiProcess = ServiceProcess.start(
      'api',
      this.build,
      'api',
      { ...this.env, PORT: String(port), BENCH_PG_PROFILE: join(this.work, 'api.profile.json') },
      this.logFile('api'),
      ['--require', this.build.pgProfileHook, ...cpuProf],
    );
    this.api = new Api(`http://127.0.0.1:${port}`, this.adminToken);
    await waitFor('the API', 60_000, async () => ((await fetch(`${this.api.baseUrl}/health/ready`)).ok ? true : null), 200);
    // The product's default: one a core, at most 4; more than one serve from the started process's children.
    this.apiProcesses = Math.max(1, childPids(this.apiProcess.pid ?? 0).length);
    // Start-up statements (the bootstrap token) belong to no phase.
    await this.apiProfile();
  }

  /**
   * `--mixed-only`: the mixed load alone, on the database and state an earlier run left, to try a change
   * to it in minutes instead of a whole run. Prints its tables; --out and --json are left alone.
   */
  async runMixedOnly(stateDir: string): Promise<string> {
    this.state = JSON.parse(readFileSync(join(stateDir, 'state.json'), 'utf8')) as GeneratedState;
    await this.resetQueues();
    await this.db.connect();
    const { rows } = await this.db.query<{ id: string; code: string }>('SELECT id, code FROM districts');
    for (const r of rows) this.districtIds.set(r.code, r.id);
    if (!this.districtIds.has(this.largest().code))
      throw new Error(`database ${this.o.database} has no district ${this.largest().code}: not the database of ${stateDir}`);
    await this.startApi();
    const mixed = await this.mixedLoad(null, join(this.work, 'login-backfill.csv'), `r${Date.now().toString(36)}`);
    await this.apiProcess.stop();
    await this.db.end();
    await this.resetQueues();
    const text = renderMixedOnly({ mixed, phases: this.phases, machine: machine() });
    writeFileSync(join(this.work, 'mixed.json'), `${JSON.stringify({ mixed, phases: this.phases }, null, 2)}\n`);
    if (!this.o.keepFiles) rmSync(join(this.work, 'dist'), { recursive: true, force: true });
    return `${text}\nWork files (mixed.json, logs${this.o.cpuProf ? ', cpu-profiles/' : ''}) in ${this.work}\n`;
  }

  private apiProfile(): Promise<StatementStat[]> {
    return takeProfile(this.apiProcess.pid, join(this.work, 'api.profile.json'));
  }

  async run(): Promise<RunResults> {
    const started = new Date();
    const loadAtStart = loadavg();
    // The code measured is the build this process was started from: name it before anyone commits meanwhile.
    const measured = revision();
    await this.resetQueues();
    await this.phase('create and migrate the database', async () => {
      await dropDatabase(this.databaseUrl);
      await ensureDatabase(this.databaseUrl);
      await runMigrations(this.databaseUrl);
    });
    await this.db.connect();
    const postgres = await this.postgresInfo();
    this.analyzeAfterLoads = this.o.analyze === 'always' || (this.o.analyze === 'auto' && postgres.settings['autovacuum'] === 'off');
    this.state = await this.phase('generate the state', () =>
      generateState({
        dir: join(this.work, 'state'),
        students: this.o.students,
        seed: this.o.seed,
        weeks: this.o.weeks,
        asOf: this.o.asOf,
        shape: this.o.shape,
      }),
    );
    log(
      `state: ${this.state.districts.length} districts, ${this.state.totals.students} students, ${this.state.totals.loginEvents} login events`,
    );

    await this.startApi();

    await this.phase(
      'create districts (POST /districts)',
      async () => {
        for (const d of this.state.districts) this.districtIds.set(d.code, await createDistrict(this.api, d));
      },
      { profile: () => this.apiProfile() },
    );

    const imports: Partial<Record<LoadedKind, ImportFigures>> = {};
    for (const kind of IMPORT_ORDER_BEFORE_CUSTODY) {
      imports[kind] = await this.importKind(kind);
      await this.autovacuumStandIn(kind);
    }
    const custody = await this.custody();
    await this.autovacuumStandIn('custody');
    for (const kind of IMPORT_ORDER_AFTER_CUSTODY) {
      imports[kind] = await this.importKind(kind);
      await this.autovacuumStandIn(kind);
    }

    const limits = await this.ingestLimits();
    const scan = await this.scans();
    // The scans open the queue's tickets: the lookups after them were planned on a ticket table analysed empty.
    await this.autovacuumStandIn('the gap scans');
    const reports = await this.reports();
    const api = await this.apiLoad();
    const labels = await this.phase(`labels: ${LABEL_DEVICES} devices (${LABEL_TEMPLATE})`, () => this.labels(), {
      profile: () => this.apiProfile(),
      measured: true,
    });
    const lookups = await this.lookupLoad();
    // Last: the station issues devices, which changes the state the runs above measured.
    const station = await this.station();
    // After every quiet figure: its import, scan and scans out and back change what those measured.
    const mixed = await this.mixedLoad(imports['login-events']!, join(this.work, 'state', this.largest().code, 'login-backfill.csv'), '');
    await this.apiProcess.stop();
    const bundle = await this.phase('build the console and measure its first load', () =>
      Promise.resolve(consoleBundle(join(this.work, 'web'))),
    );
    const tables = await this.tableSizes();
    await this.db.end();
    await this.resetQueues();
    if (!this.o.keepFiles) for (const dir of ['state', 'dist']) rmSync(join(this.work, dir), { recursive: true, force: true });

    return {
      students: this.o.students,
      shape: this.o.shape,
      command: this.o.command,
      revision: measured,
      date: started.toISOString(),
      finishedAt: new Date().toISOString(),
      machine: machine(),
      apiProcesses: this.apiProcesses,
      // Other work on a shared machine: 1-, 5- and 15-minute load averages as the run began and ended.
      load: { start: loadAtStart.map((v) => round(v, 2)), end: loadavg().map((v) => round(v, 2)) },
      postgres,
      options: {
        seed: this.o.seed,
        weeks: this.o.weeks,
        asOf: this.state.asOf,
        weekOf: this.state.weekOf,
        connections: this.o.connections,
        rate: this.o.rate,
        duration: this.o.duration,
        analyzeAfterLoads: this.analyzeAfterLoads,
        importBudget: this.o.importBudget,
        importsAtOnce: QUEUE_CONCURRENCY.imports,
      },
      database: { url: this.databaseUrl.replace(/\/\/[^@]*@/, '//'), kept: true, tables },
      workDir: this.work,
      state: {
        districts: this.state.districts.length,
        urbanDistricts: this.state.districts.filter((d) => d.urban).length,
        largest: this.largest().code,
        largestStudents: this.largest().counts.students,
        schoolDays: this.state.schoolDays,
        ...this.state.totals,
      },
      imports: imports as RunResults['imports'],
      custody,
      limits: { ingest: limits },
      scan,
      reports,
      api,
      labels,
      lookups,
      console: { bundle, station },
      mixed,
      phases: this.phases,
    };
  }

  /** Dead rows reclaimed and statistics gathered, as autovacuum would after a bulk load, when the server does not run it. */
  private async autovacuumStandIn(after: string): Promise<void> {
    if (this.analyzeAfterLoads)
      await this.phase(`VACUUM (ANALYZE) after ${after} (autovacuum stand-in)`, () => this.db.query('VACUUM (ANALYZE)'));
  }

  private async postgresInfo(): Promise<RunResults['postgres']> {
    const { rows } = await this.db.query<{ version: string }>('SELECT version()');
    const settings = await this.db.query<{ name: string; setting: string; unit: string | null }>(
      `SELECT name, setting, unit FROM pg_settings WHERE name IN ('shared_buffers','work_mem','maintenance_work_mem','effective_cache_size','max_wal_size','synchronous_commit','max_connections','random_page_cost','jit','autovacuum') ORDER BY name`,
    );
    const pretty = (s: { setting: string; unit: string | null }): string => {
      if (s.unit === '8kB') return `${Math.round((Number(s.setting) * 8) / 1024)}MB`;
      if (s.unit === 'kB') return `${Math.round(Number(s.setting) / 1024)}MB`;
      if (s.unit === 'MB') return `${s.setting}MB`;
      return s.setting;
    };
    return { version: rows[0]!.version.split(' on ')[0]!, settings: Object.fromEntries(settings.rows.map((s) => [s.name, pretty(s)])) };
  }

  private largest(): GeneratedDistrict {
    return [...this.state.districts].sort((a, b) => b.counts.students - a.counts.students)[0]!;
  }

  /** Leftover keys of an earlier run under the benchmark's own prefix (never anything else). */
  private async resetQueues(): Promise<void> {
    for (const name of QUEUE_NAMES) {
      const queue = new Queue(name, { connection: { url: this.redisUrl }, prefix: this.queuePrefix });
      await queue.obliterate({ force: true });
      await queue.close();
    }
  }

  /**
   * One kind for every district, in a child process of its own (its peak RSS is the kind's). A kind
   * still running at the budget is stopped: what it committed stays, and the run goes on.
   */
  private importKind(kind: LoadedKind): Promise<ImportFigures> {
    const jobs: ImportJob[] = this.state.districts.map((d) => ({ kind, district: d.code, file: FILE_OF[kind](d) }));
    return this.importJobs(`import ${kind} (${jobs.length} files)`, kind, kind, jobs, true);
  }

  /** `jobs` of one kind in one import child; `tag` names its work files. */
  private async importJobs(name: string, tag: string, kind: LoadedKind, jobs: ImportJob[], measured: boolean): Promise<ImportFigures> {
    const jobsFile = join(this.work, `jobs-${tag}.json`);
    writeFileSync(jobsFile, JSON.stringify(jobs));
    const profileFile = join(this.work, `import-${tag}.profile.json`);
    // The same heap cap as `npm run import`.
    const args = ['--max-old-space-size=192', '--require', this.build.pgProfileHook, this.build.importChild, jobsFile];
    const startedAt = new Date();
    let out!: NodeRun;
    await this.phase(
      name,
      async () => {
        out = await runNode(args, { ...this.env, ...this.build.env, BENCH_PG_PROFILE: profileFile }, this.logFile(`import-${tag}`), {
          ms: this.o.importBudget * 1000,
          beforeStop: (pid) => takeProfile(pid, profileFile),
        });
        // A killed client's statement runs on in its backend: end it inside the phase whose CPU it is.
        if (out.timedOut) await this.endBackendsSince(startedAt);
      },
      {
        profile: () => finalProfile(profileFile),
        serviceCpu: () =>
          out.timedOut ? (out.cpuSeconds ?? 0) : this.childResult(out).cpuUserSeconds + this.childResult(out).cpuSystemSeconds,
        measured,
      },
    );
    const figures = out.timedOut
      ? await this.stoppedImport(kind, jobs.length, startedAt, out)
      : this.finishedImport(this.childResult(out), out.pid);
    log(
      `${tag}: ${figures.rows} rows in ${figures.seconds} s (${figures.rowsPerSecond}/s), failed ${figures.failed}, peak RSS ${figures.maxRssMb} MB${figures.finished ? '' : ', STOPPED at the budget'}`,
    );
    return figures;
  }

  private childResult(out: NodeRun): ImportChildResult {
    return JSON.parse(out.stdout.trim().split('\n').pop()!) as ImportChildResult;
  }

  private finishedImport(result: ImportChildResult, pid: number | undefined): ImportFigures {
    const sum = (key: 'rows' | 'created' | 'updated' | 'unchanged' | 'failed' | 'skipped'): number =>
      result.imports.reduce((n, i) => n + i[key], 0);
    const stats: Record<string, number> = {};
    for (const i of result.imports) for (const [k, v] of Object.entries(i.stats)) stats[k] = (stats[k] ?? 0) + v;
    const largest = [...result.imports].sort((a, b) => b.rows - a.rows)[0]!;
    const notCompleted = result.imports
      .filter((i) => i.status !== 'completed')
      .map((i) => `${i.district}: ${i.status} ${i.errorSummary ?? ''}`);
    if (notCompleted.length) log(`WARNING: ${notCompleted.join('; ')}`);
    return {
      finished: true,
      files: result.imports.length,
      rows: sum('rows'),
      created: sum('created'),
      updated: sum('updated'),
      unchanged: sum('unchanged'),
      failed: sum('failed'),
      skipped: sum('skipped'),
      stats,
      seconds: round(result.seconds, 2),
      rowsPerSecond: Math.round(sum('rows') / result.seconds),
      bootSeconds: round(result.bootSeconds, 2),
      maxRssMb: result.maxRssMb,
      importerCpuSeconds: round(result.cpuUserSeconds + result.cpuSystemSeconds, 1),
      largest: {
        district: largest.district,
        rows: largest.rows,
        seconds: round(largest.seconds, 2),
        rowsPerSecond: Math.round(largest.rows / largest.seconds),
      },
      fit: costFit(result.imports.map((i) => [i.rows, i.seconds])),
      notCompleted,
      pid: pid ?? null,
    };
  }

  /** Terminates this database's backends that started since `since`, and waits until they have gone. */
  private async endBackendsSince(since: Date): Promise<void> {
    const others = `FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_start >= $1`;
    await this.db.query(`SELECT pg_terminate_backend(pid) ${others}`, [since]);
    await waitFor("the stopped import's backends to end", 60_000, async () => {
      const { rows } = await this.db.query<{ n: number }>(`SELECT count(*)::int AS n ${others}`, [since]);
      return rows[0]!.n === 0 ? true : null;
    });
  }

  /** A kind stopped at the budget: its progress as the imports table holds it. */
  private async stoppedImport(kind: LoadedKind, files: number, startedAt: Date, out: NodeRun): Promise<ImportFigures> {
    const { rows } = await this.db.query<{
      completed: number;
      running: string | null;
      rows: number;
      created: number;
      updated: number;
      failed: number;
      skipped: number;
    }>(
      `SELECT count(*) FILTER (WHERE i.status = 'completed')::int AS completed, min(d.code) FILTER (WHERE i.status = 'running') AS running,
         coalesce(sum(i.rows_read), 0)::int AS rows, coalesce(sum(i.created), 0)::int AS created, coalesce(sum(i.updated), 0)::int AS updated,
         coalesce(sum(i.failed), 0)::int AS failed, coalesce(sum(i.skipped), 0)::int AS skipped
       FROM imports i JOIN districts d ON d.id = i.district_id WHERE i.kind = $1 AND i.created_at >= $2`,
      [kind, startedAt],
    );
    const p = rows[0]!;
    const seconds = this.o.importBudget;
    return {
      finished: false,
      files,
      rows: p.rows,
      created: p.created,
      updated: p.updated,
      unchanged: 0,
      failed: p.failed,
      skipped: p.skipped,
      stats: {},
      seconds,
      rowsPerSecond: Math.round(p.rows / seconds),
      bootSeconds: 0,
      maxRssMb: out.peakRssMb ?? 0,
      importerCpuSeconds: round(out.cpuSeconds ?? 0, 1),
      largest: null,
      fit: null,
      notCompleted: [
        `stopped after ${seconds} s with ${p.completed} of ${files} files done${p.running ? `; ${p.running} was being imported` : ''}`,
      ],
      pid: out.pid ?? null,
    };
  }

  private async deviceIds(districtId: string, tags: string[]): Promise<Map<string, string>> {
    const { rows } = await this.db.query<{ id: string; tag: string }>(
      `SELECT id, asset_tag AS tag FROM devices WHERE district_id = $1 AND asset_tag = ANY($2)`,
      [districtId, tags],
    );
    return new Map(rows.map((r) => [r.tag, r.id]));
  }

  private async custody(): Promise<RunResults['custody']> {
    const districts = this.state.districts;
    const id = (d: GeneratedDistrict): string => this.districtIds.get(d.code)!;
    const empty = (): Tally => ({ requests: 0, lines: 0, outcomes: {} });
    const assignments = await this.phase(
      'assign devices (POST /assignments/bulk)',
      async () => {
        // Two requests at a time, whichever districts they are for: one big district gets both.
        const requests = districts.flatMap((d) => assignmentRequests(id(d), d));
        const tallies = await mapLimit(requests, 2, (r) => assignDevices(this.api, r));
        return tallies.reduce(addTallies, empty());
      },
      { profile: () => this.apiProfile() },
    );
    const faults = await this.phase(
      'break and repair devices (PATCH /devices, POST /devices/:id/repair-intake)',
      async () => {
        const tallies = await mapLimit(districts, 1, (d) =>
          applyFaults(this.api, id(d), d, (districtId, tags) => this.deviceIds(districtId, tags), 4),
        );
        return tallies.reduce(addTallies, empty());
      },
      { profile: () => this.apiProfile() },
    );
    const seconds = (name: string): number => this.phases.find((p) => p.name.startsWith(name))!.cpu.wallSeconds;
    return {
      assignments: {
        ...assignments,
        seconds: seconds('assign devices'),
        path: 'POST /api/v1/assignments/bulk (2,000 lines a request, 2 requests at a time)',
      },
      faults: {
        ...faults,
        seconds: seconds('break and repair'),
        path: 'PATCH /api/v1/devices/:id (condition) and POST /api/v1/devices/:id/repair-intake, 4 at a time',
      },
    };
  }

  private async ingestLimits(): Promise<RunResults['limits']['ingest']> {
    const files = (pick: (d: GeneratedDistrict) => string): string[] => this.state.districts.map(pick);
    // District and school ids derived from the sourcedIds ("BD001-stu-000001"): spread like the real ones.
    const users = await this.phase(
      'limit: raw COPY of users.csv, then into a table like students',
      () =>
        copyLimit(
          this.db,
          'bench_raw_users',
          Array.from({ length: 18 }, (_, i) => `c${i} text`).join(', '),
          files((d) => d.files.usersCsv),
          {
            like: 'students',
            insert: (
              raw,
              target,
            ) => `INSERT INTO ${target} (district_id, school_id, sourced_id, identifier, given_name, family_name, grade, email)
          SELECT md5(split_part(c0, '-', 1))::uuid, md5(c4)::uuid, c0, c11, c8, c9, c16, c12 FROM ${raw} WHERE c5 = 'student'`,
          },
        ),
      { measured: true },
    );
    const devices = await this.phase(
      'limit: raw COPY of devices.csv, then into a table like devices',
      () =>
        copyLimit(
          this.db,
          'bench_raw_devices',
          Array.from({ length: 14 }, (_, i) => `c${i} text`).join(', '),
          files((d) => d.files.devices),
          {
            like: 'devices',
            insert: (
              raw,
              target,
            ) => `INSERT INTO ${target} (district_id, kind, serial_number, asset_tag, model, manufacturer, funding_source, status, retired_at, imei, iccid, phone_number, carrier)
          SELECT md5(split_part(c0, '-', 1))::uuid, CASE WHEN c5 ILIKE '%chrome%' THEN 'chromebook' ELSE 'hotspot' END, c2, c0, c3, c4, c8,
                 CASE c7 WHEN 'Lost' THEN 'lost' WHEN 'Stolen' THEN 'stolen' WHEN 'Archived' THEN 'retired' ELSE 'in_stock' END,
                 CASE WHEN c7 = 'Archived' THEN now() END, c10, c11, c12, c13
          FROM ${raw}`,
          },
        ),
      { measured: true },
    );
    let logins: CopyLimit | null = null;
    if (this.state.loginFormat === 'csv') {
      logins = await this.phase(
        'limit: raw COPY of login-events.csv, then into a table like login_events',
        () =>
          copyLimit(
            this.db,
            'bench_raw_logins',
            'occurred_at timestamptz, student_sourced_id text, source text, event text, unique_id text',
            files((d) => d.files.loginEvents),
            {
              like: 'login_events',
              insert: (raw, target) => `INSERT INTO ${target} (district_id, student_id, occurred_at, event, source, dedupe_key)
            SELECT md5(split_part(student_sourced_id, '-', 1))::uuid, md5(student_sourced_id)::uuid, occurred_at, event, source, md5(unique_id)::uuid FROM ${raw}`,
              // login_events is kept in ISO-week partitions (Monday 00:00 UTC): the same ones here.
              partitioned: {
                key: 'occurred_at',
                partitions: (raw, target) => `DO $$ DECLARE w date; BEGIN
                  FOR w IN SELECT DISTINCT date_trunc('week', occurred_at AT TIME ZONE 'UTC')::date FROM ${raw} LOOP
                    EXECUTE format('CREATE TABLE %I PARTITION OF ${target} FOR VALUES FROM (%L) TO (%L)',
                      '${target}_' || to_char(w, 'YYYYMMDD'), w::timestamp AT TIME ZONE 'UTC', (w + 7)::timestamp AT TIME ZONE 'UTC');
                  END LOOP; END $$`,
              },
            },
          ),
        { measured: true },
      );
    }
    return { users, devices, logins };
  }

  // ------------------------------------------------------------------------- gap scans

  private async scans(): Promise<ScanFigures> {
    const asOf = this.state.asOf;
    // Any scan an import queued would run first and muddle the timing: count and discard it.
    const leftover = await this.pendingScanJobs();
    await this.resetQueues();
    const analyzed = await this.db.query<{ name: string; at: Date | null }>(
      `SELECT relname AS name, greatest(last_analyze, last_autoanalyze) AS at FROM pg_stat_user_tables
       WHERE relname IN ('students','devices','assignments','login_events','gaps','tickets') ORDER BY relname`,
    );
    const full = await this.scanOnce('gap scan: full (POST /gap-scans, worker)', asOf, { measured: true });
    const before = await this.writeCounts();
    const rescan = await this.scanOnce('gap scan: again, nothing changed', asOf, { measured: true });
    const after = await this.writeCounts();
    const changed = Object.fromEntries(Object.keys(before).map((k) => [k, after[k]! - before[k]!]));
    const cutoff = gapCutoff(asOf, 5, []);
    const handWritten = await this.phase(
      'limit: hand-written gap query',
      async () => ({
        fromLastLogin: await timeQuery(
          this.db,
          `SELECT count(*) AS n FROM students s JOIN districts d ON d.id = s.district_id
         WHERE s.enrollment_status = 'active' AND s.learning_model IN ('remote','hybrid')
           AND (s.enrolled_on IS NULL OR s.enrolled_on <= $1::date)
           AND (s.last_login_at IS NULL OR s.last_login_at < ($1::date)::timestamp AT TIME ZONE d.time_zone)`,
          [cutoff],
        ),
        fromEvents: await timeQuery(
          this.db,
          `SELECT count(*) AS n FROM students s JOIN districts d ON d.id = s.district_id
         LEFT JOIN (SELECT student_id, max(occurred_at) AS last FROM login_events WHERE event = 'login_success' GROUP BY student_id) l ON l.student_id = s.id
         WHERE s.enrollment_status = 'active' AND s.learning_model IN ('remote','hybrid')
           AND (s.enrolled_on IS NULL OR s.enrolled_on <= $1::date)
           AND (l.last IS NULL OR l.last < ($1::date)::timestamp AT TIME ZONE d.time_zone)`,
          [cutoff],
        ),
      }),
      { measured: true },
    );
    const scheduled = await this.db.query<{ n: string }>(`SELECT count(*) AS n FROM gap_scans WHERE trigger = 'schedule'`);
    return {
      asOf,
      cutoff,
      full,
      rescan,
      rescanChanged: changed,
      rescanWroteNothing:
        Object.values(changed).every((v) => v === 0) &&
        rescan.counts.gapsOpened +
          rescan.counts.gapsClosed +
          rescan.counts.ticketsOpened +
          rescan.counts.ticketsUpdated +
          rescan.counts.ticketsResolved ===
          0,
      expectedGaps: this.state.totals.expectedGaps,
      handWritten,
      discardedImportScans: leftover,
      scheduledScansDuringRun: Number(scheduled.rows[0]!.n),
      analyzedBeforeScan: Object.fromEntries(analyzed.rows.map((r) => [r.name, r.at ? r.at.toISOString() : null])),
    };
  }

  private async pendingScanJobs(): Promise<number> {
    const queue = new Queue('gap-scans', { connection: { url: this.redisUrl }, prefix: this.queuePrefix });
    const counts = await queue.getJobCounts('waiting', 'delayed', 'prioritized', 'active');
    await queue.close();
    return Object.values(counts).reduce((a, b) => a + b, 0);
  }

  /** Rows a scan could write; the scan's own request record (gap_scans, its audit row) aside. */
  private async writeCounts(): Promise<Record<string, number>> {
    const { rows } = await this.db.query<Record<string, string>>(`SELECT
      (SELECT count(*) FROM gaps) AS gaps,
      (SELECT count(*) FROM gaps WHERE closed_at IS NOT NULL) AS "gapsClosed",
      (SELECT count(*) FROM tickets) AS tickets,
      (SELECT coalesce(max(updated_at)::text, '') FROM tickets) AS "ticketsUpdatedAt",
      (SELECT count(*) FROM ticket_events) AS "ticketEvents",
      (SELECT count(*) FROM audit_events WHERE entity_type <> 'gap_scan') AS "auditEvents"`);
    const r = rows[0]!;
    return {
      gaps: Number(r['gaps']),
      gapsClosed: Number(r['gapsClosed']),
      tickets: Number(r['tickets']),
      ticketsUpdatedAt: Date.parse(r['ticketsUpdatedAt'] || '1970-01-01') || 0,
      ticketEvents: Number(r['ticketEvents']),
      auditEvents: Number(r['auditEvents']),
    };
  }

  /**
   * A worker of its own for one scan (of every district, or of `districtId`): it is profiled alone, and
   * its recurring jobs are removed.
   */
  private async scanOnce(name: string, asOf: string, opts: { districtId?: string; measured: boolean }): Promise<ScanFigures['full']> {
    const profileFile = join(this.work, `worker-${this.phases.length}.profile.json`);
    const worker = ServiceProcess.start(
      'worker',
      this.build,
      'worker',
      { ...this.env, BENCH_PG_PROFILE: profileFile },
      this.logFile('worker'),
      ['--require', this.build.pgProfileHook],
    );
    this.workerPid = worker.pid;
    const queues = new Map(
      QUEUE_NAMES.map((name) => [name, new Queue(name, { connection: { url: this.redisUrl }, prefix: this.queuePrefix })]),
    );
    try {
      // A worker upserts the recurring jobs once it is ready: the clock must not start anything mid-measurement.
      for (const schedule of QUEUE_SCHEDULES) {
        const queue = queues.get(schedule.queue)!;
        await waitFor('the worker', 60_000, async () => (await queue.getJobScheduler(schedule.id)) ?? null, 100);
        await queue.removeJobScheduler(schedule.id);
      }
      let scan!: {
        id: string;
        status: string;
        studentsScanned: number;
        gapsOpened: number;
        gapsClosed: number;
        ticketsOpened: number;
        ticketsUpdated: number;
        ticketsResolved: number;
        createdAt: string;
        startedAt: string;
        finishedAt: string;
        error: string | null;
      };
      let posted = 0;
      await this.phase(
        name,
        async () => {
          posted = Date.now();
          const { id } = await this.api.post<{ id: string }>('/api/v1/gap-scans', { asOf, districtId: opts.districtId });
          scan = await waitFor(
            `gap scan ${id}`,
            3_600_000,
            async () => {
              const s = await this.api.get<typeof scan>(`/api/v1/gap-scans/${id}`);
              return s.status === 'completed' || s.status === 'failed' ? s : null;
            },
            100,
          );
        },
        {
          profile: async () => {
            await worker.stop();
            return finalProfile(profileFile);
          },
          measured: opts.measured,
        },
      );
      if (scan.status !== 'completed') throw new Error(`gap scan ${scan.id} ${scan.status}: ${scan.error}`);
      const { studentsScanned, gapsOpened, gapsClosed, ticketsOpened, ticketsUpdated, ticketsResolved } = scan;
      return {
        id: scan.id,
        seconds: round((Date.parse(scan.finishedAt) - Date.parse(scan.startedAt)) / 1000, 2),
        endToEndSeconds: round((Date.now() - posted) / 1000, 2),
        counts: { studentsScanned, gapsOpened, gapsClosed, ticketsOpened, ticketsUpdated, ticketsResolved },
      };
    } finally {
      this.workerPid = undefined;
      for (const queue of queues.values()) await queue.close();
      await worker.stop();
    }
  }

  // ------------------------------------------------------------------------- reports

  private async reports(): Promise<RunResults['reports']> {
    const rollout = `/api/v1/reports/rollout?fundingSource=${encodeURIComponent(this.state.fundingSource)}`;
    const to = new Date(Date.parse(`${this.state.asOf}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
    return {
      weekly: await this.phase(
        'report: weekly learning model (state)',
        () => this.timeReport(`/api/v1/reports/weekly-learning-model?weekOf=${this.state.weekOf}`),
        { profile: () => this.apiProfile(), measured: true },
      ),
      weeklyBySchool: await this.phase(
        'report: weekly learning model by school (state)',
        () => this.timeReport(`/api/v1/reports/weekly-learning-model?weekOf=${this.state.weekOf}&bySchool=true`),
        { profile: () => this.apiProfile(), measured: true },
      ),
      rollout: await this.phase('report: rollout (state)', () => this.timeReport(rollout), {
        profile: () => this.apiProfile(),
        measured: true,
      }),
      deviceHealth: await this.phase('report: device health (state)', () => this.timeReport('/api/v1/reports/device-health'), {
        profile: () => this.apiProfile(),
        measured: true,
      }),
      tickets: await this.phase('report: tickets (state)', () => this.timeReport(`/api/v1/reports/tickets?to=${to}`), {
        profile: () => this.apiProfile(),
        measured: true,
      }),
      trend: await this.phase(
        'report: 12-week learning-model trend (state)',
        () => this.timeReport(`/api/v1/reports/weekly-learning-model/trend?weekOf=${this.state.weekOf}`),
        { profile: () => this.apiProfile(), measured: true },
      ),
      federalInventory: await this.phase(
        'report: federal inventory, every device of the funding source (state, CSV)',
        () => this.timeReport(`/api/v1/reports/federal-inventory?fundingSource=${encodeURIComponent(this.state.fundingSource)}&format=csv`),
        { profile: () => this.apiProfile(), measured: true },
      ),
      ticketWeeks: await this.phase(
        'report: tickets by week (state)',
        () => this.timeReport(`/api/v1/reports/tickets/weekly?weekOf=${this.state.weekOf}`),
        { profile: () => this.apiProfile(), measured: true },
      ),
    };
  }

  /** First request (cold), then five more: their median and worst. */
  private async timeReport(path: string): Promise<ReportTiming | null> {
    const times: number[] = [];
    let bytes = 0;
    let weekly: { remote: number; remoteNotConnected: number } | null = null;
    for (let i = 0; i < 6; i++) {
      try {
        const res = await this.api.send<{
          rows?: { districtId: string | null; grade: string | null; schoolId: string | null; remote: number; remoteNotConnected: number }[];
        }>('GET', path);
        times.push(res.ms);
        bytes = res.bytes;
        const total = res.body.rows?.find((r) => r.districtId === null);
        if (total) weekly = { remote: total.remote, remoteNotConnected: total.remoteNotConnected };
      } catch (error) {
        // No such route (yet): the report is not available in this build.
        if (error instanceof ApiError && error.code === 'route_not_found') return null;
        throw error;
      }
    }
    return {
      path,
      firstMs: round(times[0]!, 1),
      medianMs: round(median(times.slice(1)), 1),
      maxMs: round(Math.max(...times.slice(1)), 1),
      bytes,
      stateTotal: weekly,
    };
  }

  // ------------------------------------------------------------------------- labels

  /**
   * One PDF of asset labels for the largest district's first 2,000 tagged devices, read as it streams;
   * meanwhile one client looks asset tags up one after another, as a station scanning would.
   */
  private async labels(): Promise<LabelsFigures | null> {
    const districtId = this.districtIds.get(this.largest().code)!;
    const tech = this.api.as(
      (await this.api.post<{ secret: string }>('/api/v1/tokens', { name: 'bench labels', role: 'tech', districtId })).secret,
    );
    const { rows } = await this.db.query<{ id: string; tag: string }>(
      `SELECT id, asset_tag AS tag FROM devices WHERE district_id = $1 AND asset_tag IS NOT NULL ORDER BY asset_tag LIMIT ${LABEL_DEVICES}`,
      [districtId],
    );
    const lookups = async (until: () => boolean): Promise<SequentialLatency> => {
      const times: number[] = [];
      for (let i = 0; !until(); i += 1) {
        times.push((await tech.send('GET', `/api/v1/devices?assetTag=${encodeURIComponent(rows[(i * 7919) % rows.length]!.tag)}`)).ms);
      }
      const sorted = [...times].sort((a, b) => a - b);
      const at = (q: number): number => round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0, 1);
      return { count: times.length, p50Ms: at(0.5), p95Ms: at(0.95), maxMs: round(sorted[sorted.length - 1] ?? 0, 1) };
    };
    let before = 0;
    const lookupBefore = await lookups(() => before++ >= 200);
    let drawing = true;
    const during = lookups(() => !drawing);
    try {
      const started = performance.now();
      const res = await fetch(`${tech.baseUrl}/api/v1/labels`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${tech.token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ deviceIds: rows.map((r) => r.id), template: LABEL_TEMPLATE }),
      });
      if (res.status === 404) return null;
      if (res.status !== 200 || !res.body) throw new ApiError(res.status, await res.text(), 'POST /labels');
      const chunks: Buffer[] = [];
      let firstByteMs = 0;
      for await (const chunk of res.body) {
        if (!chunks.length) firstByteMs = performance.now() - started;
        chunks.push(Buffer.from(chunk as Uint8Array));
      }
      const totalMs = performance.now() - started;
      const pdf = Buffer.concat(chunks);
      drawing = false;
      return {
        template: LABEL_TEMPLATE,
        labels: rows.length,
        pages: pdf.toString('latin1').match(/\/Type \/Page\n/g)?.length ?? 0,
        bytes: pdf.length,
        firstByteMs: round(firstByteMs, 1),
        totalMs: round(totalMs, 1),
        lookupBefore,
        lookupDuring: await during,
      };
    } finally {
      drawing = false;
      await during;
    }
  }

  // ------------------------------------------------------------------------- API load

  private async apiLoad(): Promise<ApiFigures> {
    const district = this.largest();
    const districtId = this.districtIds.get(district.code)!;
    const token = async (role: string): Promise<string> =>
      (await this.api.post<{ secret: string }>('/api/v1/tokens', { name: `bench ${role}`, role, districtId })).secret;
    const tags = await this.db.query<{ tag: string }>(
      `SELECT asset_tag AS tag FROM devices WHERE district_id = $1 AND asset_tag IS NOT NULL ORDER BY md5(asset_tag) LIMIT 2000`,
      [districtId],
    );
    const students = await this.db.query<{ id: string }>(
      `SELECT id FROM students WHERE district_id = $1 ORDER BY md5(id::text) LIMIT 2000`,
      [districtId],
    );
    // The console's search box: half scanned asset tags (exact), half a family name typed (partial, trigram).
    const names = await this.db.query<{ name: string }>(
      `SELECT DISTINCT family_name AS name FROM students WHERE district_id = $1 AND length(family_name) >= 4 ORDER BY 1 LIMIT 1000`,
      [districtId],
    );
    const searches = tags.rows
      .slice(0, 1000)
      .flatMap((r, i) => [r.tag, names.rows[i % Math.max(1, names.rows.length)]?.name.slice(0, 5) ?? r.tag])
      .map((q) => `/api/v1/search?q=${encodeURIComponent(q)}`);
    const endpoints = [
      {
        name: 'device lookup by asset tag',
        route: 'GET /api/v1/devices?assetTag=…',
        role: 'tech',
        paths: tags.rows.map((r) => `/api/v1/devices?assetTag=${encodeURIComponent(r.tag)}`),
      },
      {
        name: 'student equipment',
        route: 'GET /api/v1/students/:id/equipment',
        role: 'attendance',
        paths: students.rows.map((r) => `/api/v1/students/${r.id}/equipment`),
      },
      { name: 'ticket queue page', route: 'GET /api/v1/tickets?limit=50', role: 'helpdesk', paths: ['/api/v1/tickets?limit=50'] },
      { name: 'console search (tag or name)', route: 'GET /api/v1/search?q=…', role: 'tech', paths: searches },
    ];
    const results: ApiFigures['endpoints'] = [];
    for (const e of endpoints) {
      const secret = await token(e.role);
      // Every path once, answered 200: a broken route is not benchmarked.
      await this.api.as(secret).get(e.paths[0]!);
      await httpLoad(this.api.baseUrl, secret, e.paths, { connections: this.o.connections, seconds: 2, rate: null });
      await this.apiProfile();
      const atRate = await this.phase(
        `API: ${e.name} at ${this.o.rate} requests/s`,
        () => httpLoad(this.api.baseUrl, secret, e.paths, { connections: this.o.connections, seconds: this.o.duration, rate: this.o.rate }),
        { profile: () => this.apiProfile(), measured: true },
      );
      const flatOut = await this.phase(
        `API: ${e.name} as fast as it answers`,
        () => httpLoad(this.api.baseUrl, secret, e.paths, { connections: this.o.connections, seconds: this.o.duration, rate: null }),
        { profile: () => this.apiProfile(), measured: true },
      );
      results.push({ name: e.name, route: e.route, role: e.role, distinctPaths: e.paths.length, atRate, flatOut });
      await sleep(500);
    }
    return { district: district.code, districtStudents: district.counts.students, endpoints: results };
  }

  /** Each lookup and first list page at the fixed rate, with the state token and a district admin's (issue #20). */
  private async lookupLoad(): Promise<LookupFigures> {
    const district = this.largest();
    const districtId = this.districtIds.get(district.code)!;
    const secrets: Record<LookupToken, string> = {
      state: this.adminToken,
      district: (await this.api.post<{ secret: string }>('/api/v1/tokens', { name: 'bench lookups', role: 'district_admin', districtId }))
        .secret,
    };
    const runs: LookupFigures['runs'] = [];
    for (const e of await lookupEndpoints(this.db, districtId)) {
      for (const token of ['state', 'district'] as const) {
        // Answered 200 first: a broken route is not benchmarked.
        await this.api.as(secrets[token]).get(e.paths[0]!);
        await httpLoad(this.api.baseUrl, secrets[token], e.paths, { connections: this.o.connections, seconds: 1, rate: this.o.rate });
        await this.apiProfile();
        const atRate = await this.phase(
          lookupPhase(e.name, token),
          () =>
            httpLoad(this.api.baseUrl, secrets[token], e.paths, {
              connections: this.o.connections,
              seconds: this.o.duration,
              rate: this.o.rate,
            }),
          { profile: () => this.apiProfile(), measured: true },
        );
        runs.push({ name: e.name, route: e.route, kind: e.kind, token, distinctPaths: e.paths.length, atRate });
      }
    }
    return { district: district.code, districtStudents: district.counts.students, rate: this.o.rate, runs };
  }

  /** The station's scan (lookup + issue) at the largest district: in-stock tagged devices to students holding nothing. */
  private async station(): Promise<StationFigures & { district: string }> {
    const district = this.largest();
    const districtId = this.districtIds.get(district.code)!;
    const secret = (await this.api.post<{ secret: string }>('/api/v1/tokens', { name: 'bench station', role: 'tech', districtId })).secret;
    const devices = await this.db.query<{ tag: string; school: string }>(
      `SELECT asset_tag AS tag, school_id AS school FROM devices
       WHERE district_id = $1 AND status = 'in_stock' AND kind = 'chromebook' AND asset_tag IS NOT NULL AND school_id IS NOT NULL
       ORDER BY md5(asset_tag) LIMIT 310`,
      [districtId],
    );
    const students = await this.db.query<{ id: string }>(
      `SELECT s.id FROM students s
       WHERE s.district_id = $1 AND s.enrollment_status = 'active'
         AND NOT EXISTS (SELECT 1 FROM assignments a WHERE a.student_id = s.id AND a.ended_at IS NULL)
       ORDER BY md5(s.id::text) LIMIT 310`,
      [districtId],
    );
    const pairs = devices.rows.slice(0, students.rows.length).map((d, i) => ({ assetTag: d.tag, studentId: students.rows[i]!.id }));
    const figures = await this.phase(
      `station: ${pairs.length} scans (lookup + issue), one after another`,
      () => stationScans(this.api.as(secret), pairs),
      {
        profile: () => this.apiProfile(),
        measured: true,
      },
    );
    // Collected again, so the mixed load's station finds stock in a small district too.
    if (pairs.length)
      await this.api.as(secret).post('/api/v1/assignments/bulk-return', {
        lines: pairs.map((p) => ({ assetTag: p.assetTag, condition: 'working' })),
      });
    return { ...figures, district: district.code };
  }

  /**
   * Issue #17's morning (bench/mixed.ts): device lookups and station scans at a fixed rate, alone and then
   * while a backfill of the largest district's logins is imported and its full gap scan runs. Before that,
   * the same scan quiet, for its reference; each scan starts from no open gaps (resetScanResults).
   */
  private async mixedLoad(quietLogins: ImportFigures | null, target: string, tag: string): Promise<MixedFigures> {
    const district = this.largest();
    const districtId = this.districtIds.get(district.code)!;
    const events = Math.round(this.state.totals.students * BACKFILL_EVENTS_PER_STUDENT);
    const span = await this.phase(`mixed load: write a backfill of ${events} login events for ${district.code}`, () =>
      writeBackfill(district.files.loginEvents, district.counts.loginEvents, target, events, this.state.asOf, this.state.weeks, tag),
    );
    const asOf = this.state.asOf;
    const withScan = !this.o.mixedSkipScan;
    let reset = { gaps: 0, tickets: 0 };
    let quietScan: ScanFigures['full'] | null = null;
    if (withScan) {
      reset = await this.phase('mixed load: remove the scan results of the district', () => this.resetScanResults(districtId));
      quietScan = await this.scanOnce(`mixed load: full gap scan of ${district.code}, quiet`, asOf, { districtId, measured: true });
      await this.phase('mixed load: remove the scan results of the district again', () => this.resetScanResults(districtId));
    }

    const secret = (await this.api.post<{ secret: string }>('/api/v1/tokens', { name: 'bench mixed load', role: 'tech', districtId }))
      .secret;
    const column = async (query: string): Promise<string[]> =>
      (await this.db.query<{ v: string }>(query, [districtId])).rows.map((r) => r.v);
    const foreground = new MixedForeground(
      this.api.as(secret),
      MIXED_RATE,
      await column(
        `SELECT asset_tag AS v FROM devices WHERE district_id = $1 AND asset_tag IS NOT NULL ORDER BY md5(asset_tag) LIMIT 2000`,
      ),
      await column(
        `SELECT asset_tag AS v FROM devices WHERE district_id = $1 AND status = 'in_stock' AND kind = 'chromebook'
           AND asset_tag IS NOT NULL AND school_id IS NOT NULL ORDER BY md5(asset_tag) LIMIT ${MIXED_POOL}`,
      ),
      await column(
        `SELECT s.id::text AS v FROM students s WHERE s.district_id = $1 AND s.enrollment_status = 'active'
           AND NOT EXISTS (SELECT 1 FROM assignments a WHERE a.student_id = s.id AND a.ended_at IS NULL)
         ORDER BY md5(s.id::text) LIMIT ${MIXED_POOL}`,
      ),
    );
    await this.apiProfile();
    let discarded!: number;
    let backfill!: ImportFigures;
    let underLoad: ScanFigures['full'] | null = null;
    try {
      await this.phase(
        `mixed load: lookups and station scans at ${MIXED_RATE} requests/s, alone`,
        async () => {
          foreground.start('alone');
          await sleep(MIXED_ALONE_SECONDS * 1000);
        },
        { profile: () => this.apiProfile(), measured: true },
      );
      foreground.mark('import');
      backfill = await this.importJobs(
        `mixed load: import ${events} login events into ${district.code}, under load`,
        'login-backfill',
        'login-events',
        [{ kind: 'login-events', district: district.code, file: target }],
        false,
      );
      // The scan the import queued would run first in the worker: the scan measured is the one asked for.
      discarded = await this.pendingScanJobs();
      await this.resetQueues();
      if (withScan) {
        foreground.mark('scan');
        underLoad = await this.scanOnce(`mixed load: full gap scan of ${district.code}, under load`, asOf, { districtId, measured: false });
      }
    } finally {
      await foreground.stop();
    }
    const partitions = await this.db.query<{ name: string; n: number }>(
      `SELECT c.relname AS name, count(*)::int AS n FROM login_events e JOIN pg_class c ON c.oid = e.tableoid
       WHERE e.district_id = $1 AND e.occurred_at >= $2::date AND e.occurred_at < $3::date GROUP BY 1 ORDER BY 1`,
      [districtId, span.from, span.to],
    );
    const quiet = quietLogins?.largest?.district === district.code ? quietLogins.largest : null;
    return {
      district: district.code,
      districtStudents: district.counts.students,
      rate: MIXED_RATE,
      p99TargetMs: MIXED_P99_MS,
      ...foreground.figures(),
      backfill: {
        events,
        ...span,
        import: backfill,
        quiet: quiet && { rows: quiet.rows, seconds: quiet.seconds, rowsPerSecond: quiet.rowsPerSecond },
        partitions: Object.fromEntries(partitions.rows.map((r) => [r.name, r.n])),
      },
      scan: quietScan && underLoad && { reset, quiet: quietScan, underLoad, discardedImportScans: discarded },
    };
  }

  /**
   * The district's open gaps and the tickets scans raised, removed from the benchmark's own database (with
   * their history), so that the next scan is a first one again. Closed gaps stay (no scan reopens them);
   * repair tickets stay; audit rows are append-only and stay too.
   */
  private async resetScanResults(districtId: string): Promise<{ gaps: number; tickets: number }> {
    await this.db.query('BEGIN');
    try {
      const scanTickets = `SELECT id FROM tickets WHERE district_id = $1 AND source = 'scan'`;
      await this.db.query(`DELETE FROM ticket_events WHERE ticket_id IN (${scanTickets})`, [districtId]);
      await this.db.query(`DELETE FROM outreach_attempts WHERE ticket_id IN (${scanTickets})`, [districtId]);
      const tickets = await this.db.query(`DELETE FROM tickets WHERE district_id = $1 AND source = 'scan'`, [districtId]);
      const gaps = await this.db.query(`DELETE FROM gaps WHERE district_id = $1 AND closed_at IS NULL`, [districtId]);
      await this.db.query('COMMIT');
      return { gaps: gaps.rowCount ?? 0, tickets: tickets.rowCount ?? 0 };
    } catch (error) {
      await this.db.query('ROLLBACK');
      throw error;
    }
  }

  private async tableSizes(): Promise<Record<string, { rows: number; mb: number }>> {
    const { rows } = await this.db.query<{ name: string; rows: string; mb: string }>(
      `SELECT relname AS name, n_live_tup AS rows, round(pg_total_relation_size(relid) / 1048576.0) AS mb
       FROM pg_stat_user_tables WHERE pg_total_relation_size(relid) > 1048576 ORDER BY pg_total_relation_size(relid) DESC`,
    );
    return Object.fromEntries(rows.map((r) => [r.name, { rows: Number(r.rows), mb: Number(r.mb) }]));
  }
}

async function main(): Promise<void> {
  const o = options();
  if (o.render) {
    log(`rendered ${renderResults(o.out, o.json)} run(s) from ${relative(process.cwd(), o.json)} into ${relative(process.cwd(), o.out)}`);
    return;
  }
  if (o.mixedOnly) {
    log(`${o.command}: the mixed load alone, on ${o.database}`);
    process.stdout.write(await new Bench(o).runMixedOnly(o.mixedOnly));
    return;
  }
  log(`${o.command}: ${o.students} students, seed ${o.seed}, ${o.weeks} weeks, as of ${o.asOf}`);
  const bench = new Bench(o);
  const results = await bench.run();
  mkdirSync(resolve(o.out, '..'), { recursive: true });
  writeResults(results, o.out, o.json);
  log(`results: ${relative(process.cwd(), o.out)} and ${relative(process.cwd(), o.json)}; work files in ${results.workDir}`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
