import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { ImportKind } from '../src/imports/import-plan.js';
import type { ImportCounts } from '../src/imports/imports.repository.js';
import type { Tally } from './load.js';
import { renderLookups, type LookupFigures } from './lookups.js';
import {
  backgroundRate,
  MIXED_KINDS,
  mixedPass,
  type LatencySummary,
  type MixedFigures,
  type MixedKind,
  type MixedWindow,
} from './mixed.js';
import type { ConsoleBundle, StationFigures } from './console.js';
import type { CopyLimit, LoadResult, QueryTiming } from './measure.js';
import { rateMethod } from './paced-load.js';
import type { StatementStat } from './pg-profile.js';
import type { CpuUse, Machine } from './proc.js';
import type { StateShape } from './generator.js';

export interface Phase {
  name: string;
  cpu: CpuUse;
  /** CPU of the product's process doing the work: the API, the worker or the import child. */
  serviceSeconds: number;
  /** CPU of everything else on the machine: other processes, and other databases' backends. */
  otherSeconds: number | null;
  /** For a measured phase: how long it waited for the machine to be quiet, and whether it was. */
  quietWait: { seconds: number; quiet: boolean } | null;
  /** The statements that took longest, as the profiled process's pg client timed them. */
  profile: StatementStat[];
}

export interface ImportFigures extends ImportCounts {
  /** False when the kind was stopped at the time budget (counts are then what it had committed). */
  finished: boolean;
  files: number;
  seconds: number;
  rowsPerSecond: number;
  bootSeconds: number;
  maxRssMb: number;
  importerCpuSeconds: number;
  largest: { district: string; rows: number; seconds: number; rowsPerSecond: number } | null;
  /** seconds ≈ fixedMs/1000 + rows / marginalRowsPerSecond over the kind's files. */
  fit: { fixedMs: number; marginalRowsPerSecond: number } | null;
  notCompleted: string[];
  pid: number | null;
}

export interface ScanRun {
  id: string;
  /** Server-side: the scan's started_at to finished_at. */
  seconds: number;
  /** From POST /gap-scans to seeing it completed (queue and polling included). */
  endToEndSeconds: number;
  counts: {
    studentsScanned: number;
    gapsOpened: number;
    gapsClosed: number;
    ticketsOpened: number;
    ticketsUpdated: number;
    ticketsResolved: number;
  };
}

export interface ScanFigures {
  asOf: string;
  cutoff: string;
  full: ScanRun;
  rescan: ScanRun;
  rescanChanged: Record<string, number>;
  rescanWroteNothing: boolean;
  expectedGaps: number;
  handWritten: { fromLastLogin: QueryTiming; fromEvents: QueryTiming };
  discardedImportScans: number;
  scheduledScansDuringRun: number;
  /** When each table was last analysed before the full scan (null: never; the planner guessed). */
  analyzedBeforeScan: Record<string, string | null>;
}

export interface ReportTiming {
  path: string;
  firstMs: number;
  medianMs: number;
  maxMs: number;
  bytes: number;
  stateTotal: { remote: number; remoteNotConnected: number } | null;
}

/** Latencies of one request after another, in ms. */
export interface SequentialLatency {
  count: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
}

/** POST /labels for 2,000 devices of the largest district, and a station's tag lookups meanwhile. */
export interface LabelsFigures {
  template: string;
  labels: number;
  pages: number;
  bytes: number;
  firstByteMs: number;
  totalMs: number;
  /** GET /devices?assetTag= one after another: before the labels, and while they were drawn. */
  lookupBefore: SequentialLatency;
  lookupDuring: SequentialLatency;
}

export interface ApiFigures {
  district: string;
  districtStudents: number;
  endpoints: { name: string; route: string; role: string; distinctPaths: number; atRate: LoadResult; flatOut: LoadResult }[];
}

export interface RunResults {
  students: number;
  /** Runs from before the city shape have none: they are the state shape. */
  shape?: StateShape;
  /** Load averages (1, 5, 15 minutes) as the run began and ended; runs before it have none. */
  load?: { start: number[]; end: number[] };
  command: string;
  revision: { commit: string; changedFiles: number } | null;
  date: string;
  finishedAt: string;
  machine: Machine;
  /** Processes serving the API (API_PROCESSES); runs before it was recorded had one. */
  apiProcesses?: number;
  postgres: { version: string; settings: Record<string, string> };
  options: {
    seed: number;
    weeks: number;
    asOf: string;
    weekOf: string;
    connections: number;
    rate: number;
    duration: number;
    analyzeAfterLoads: boolean;
    importBudget: number;
    /** Imports the child ran at once (the worker's `imports` concurrency); runs before it had one at a time. */
    importsAtOnce?: number;
  };
  database: { url: string; kept: boolean; tables: Record<string, { rows: number; mb: number }> };
  workDir: string;
  state: Record<string, number | string>;
  /** Runs from before the benchmark imported manifests have no shipment-manifest entry. */
  imports: Record<Exclude<LoadedKind, 'shipment-manifest'>, ImportFigures> & Partial<Record<'shipment-manifest', ImportFigures>>;
  /** shipments: the manifests those earlier runs sent to POST /shipments instead. */
  custody: Record<'assignments' | 'faults', RouteStep> & { shipments?: RouteStep };
  limits: { ingest: { users: CopyLimit; devices: CopyLimit; logins: CopyLimit | null } };
  scan: ScanFigures;
  reports: Record<'weekly' | 'weeklyBySchool' | 'rollout' | 'deviceHealth' | 'tickets', ReportTiming | null> &
    Partial<Record<'trend' | 'ticketWeeks' | 'federalInventory', ReportTiming | null>>;
  api: ApiFigures;
  /** Absent in runs from before the labels route. */
  labels?: LabelsFigures | null;
  /** Runs from before issue #20 have none. */
  lookups?: LookupFigures;
  /** Runs from before the console have none. */
  console?: { bundle: ConsoleBundle; station: StationFigures & { district: string } };
  /** Runs from before issue #17's mixed load have none. */
  mixed?: MixedFigures;
  phases: Phase[];
}

/** The import kinds a benchmark loads (the product may have more). */
export type LoadedKind = Extract<
  ImportKind,
  'oneroster' | 'student-attributes' | 'devices' | 'chromeos-devices' | 'hotspot-usage' | 'login-events' | 'shipment-manifest'
>;

/** A loading step done through the product's routes. */
export type RouteStep = Tally & { seconds: number; path: string };

/** The kinds a run imported, in the order it imported them. */
const importsOf = (r: RunResults): [LoadedKind, ImportFigures][] => Object.entries(r.imports) as [LoadedKind, ImportFigures][];

/** The issue's targets, stated for the 500,000-student state run on a 2-core machine. */
const STATE_STUDENTS = 500_000;

const n = (v: number): string => v.toLocaleString('en-US');
const s = (seconds: number): string => (seconds < 10 ? seconds.toFixed(2) : seconds.toFixed(1));
const ms = (v: number): string => (v < 10 ? v.toFixed(1) : n(Math.round(v)));
const verdict = (pass: boolean | null): string => (pass === null ? '—' : pass ? '**pass**' : '**miss**');

interface Row {
  figure: string;
  measured: string;
  target: string;
  limit: string;
  ratio: string;
  pass: boolean | null;
}

const indexedText = (limit: CopyLimit): string =>
  limit.indexed
    ? `; then one INSERT … SELECT of them into a table like ${limit.indexed.table}${limit.indexed.partitioned ? ' in the same weekly partitions' : ''} (same indexes${limit.indexed.storage ? `, ${limit.indexed.storage}` : ''}, no foreign keys or audit): ${s(limit.indexed.seconds)} s`
    : '';

function targetRows(r: RunResults): Row[] {
  const scale = r.students / STATE_STUDENTS;
  const scaled = (seconds: number): number => seconds * scale;
  const perState = r.students === STATE_STUDENTS ? '' : ` (30 s per ${n(STATE_STUDENTS)} students)`;
  const rows: Row[] = [];
  const roster = r.imports.oneroster;
  const users = r.limits.ingest.users;
  rows.push({
    figure: `OneRoster import: ${n(Number(r.state['students']))} students (${n(roster.rows)} rows of orgs.csv + users.csv)`,
    measured: `${s(roster.seconds)} s · ${n(roster.rowsPerSecond)} rows/s`,
    target: `< ${s(scaled(30))} s${perState}`,
    limit: `raw COPY of users.csv: ${s(users.seconds)} s · ${n(users.rowsPerSecond)} rows/s${indexedText(users)}`,
    ratio: `${(roster.seconds / users.seconds).toFixed(1)}× COPY${users.indexed ? `; ${(roster.seconds / (users.seconds + users.indexed.seconds)).toFixed(1)}× COPY + indexed insert` : ''}`,
    pass: roster.seconds < scaled(30) && roster.failed === 0,
  });
  const logins = r.imports['login-events'];
  const copy = r.limits.ingest.logins;
  rows.push({
    figure: `Login events import: ${n(logins.rows)} events`,
    measured: `${s(logins.seconds)} s · ${n(logins.rowsPerSecond)} rows/s`,
    // 60 s for 5,000,000 events: 12 µs an event, whatever the count.
    target: `< ${s((logins.rows / 5_000_000) * 60)} s (60 s per 5,000,000 events), and ≤ 3× raw COPY`,
    limit: copy ? `raw COPY of the CSV: ${s(copy.seconds)} s · ${n(copy.rowsPerSecond)} rows/s${indexedText(copy)}` : 'n/a (JSON input)',
    ratio: copy
      ? `${(logins.seconds / copy.seconds).toFixed(1)}× COPY${copy.indexed ? `; ${(logins.seconds / (copy.seconds + copy.indexed.seconds)).toFixed(1)}× COPY + indexed insert` : ''}`
      : '—',
    pass: logins.seconds < (logins.rows / 5_000_000) * 60 && (copy ? logins.seconds <= 3 * copy.seconds : true),
  });
  const devices = r.imports.devices;
  rows.push({
    figure: `Device import: ${n(devices.rows)} devices (Snipe-IT CSV)`,
    measured: `${s(devices.seconds)} s · ${n(devices.rowsPerSecond)} rows/s`,
    target: 'none set',
    limit: `raw COPY of devices.csv: ${s(r.limits.ingest.devices.seconds)} s · ${n(r.limits.ingest.devices.rowsPerSecond)} rows/s${indexedText(r.limits.ingest.devices)}`,
    ratio: `${(devices.seconds / r.limits.ingest.devices.seconds).toFixed(1)}× COPY`,
    pass: null,
  });
  for (const [kind, i] of importsOf(r)) {
    if (i.finished) continue;
    rows.push({
      figure: `${kind} import of every district`,
      measured: `not finished: ${i.notCompleted.join('; ')}; ${n(i.rows)} rows committed (${n(i.rowsPerSecond)} rows/s)`,
      target: 'finishes (no target set for its speed)',
      limit: '—',
      ratio: '—',
      pass: false,
    });
  }
  const rss = Math.max(...importsOf(r).map(([, i]) => i.maxRssMb));
  const worst = importsOf(r).sort((a, b) => b[1].maxRssMb - a[1].maxRssMb)[0]![0];
  rows.push({
    figure: 'Peak RSS of an import process (any kind)',
    measured: `${rss} MB (${worst})`,
    target: '< 300 MB',
    limit: '—',
    ratio: '—',
    pass: rss < 300,
  });
  const scan = r.scan;
  rows.push({
    figure: `Full gap scan: ${n(scan.full.counts.studentsScanned)} remote/hybrid students, ${n(scan.full.counts.gapsOpened)} gaps, ${n(scan.full.counts.ticketsOpened)} tickets`,
    measured: `${s(scan.full.seconds)} s`,
    target: `< ${s(scaled(30))} s${perState}`,
    limit: `hand-written gap count: ${ms(scan.handWritten.fromLastLogin.bestMs)} ms (from login_events: ${ms(scan.handWritten.fromEvents.bestMs)} ms)`,
    ratio: `${Math.round((scan.full.seconds * 1000) / scan.handWritten.fromLastLogin.bestMs)}× the count`,
    pass: scan.full.seconds < scaled(30),
  });
  rows.push({
    figure: 'Re-scan with nothing changed',
    measured: `${s(scan.rescan.seconds)} s; wrote ${scan.rescanWroteNothing ? 'nothing' : `something: ${JSON.stringify(scan.rescanChanged)}`}`,
    target: 'writes nothing',
    limit: '—',
    ratio: `${(scan.rescan.seconds / scan.full.seconds).toFixed(2)}× full scan`,
    pass: scan.rescanWroteNothing,
  });
  for (const [key, label] of [
    ['weekly', 'Weekly learning-model report (state, every district)'],
    ['rollout', 'Rollout report (state, one funding source)'],
  ] as const) {
    const t = r.reports[key];
    rows.push(
      t
        ? {
            figure: label,
            measured: `${ms(t.medianMs)} ms (first ${ms(t.firstMs)} ms)`,
            target: '< 2,000 ms',
            limit: '—',
            ratio: '—',
            pass: t.firstMs < 2000 && t.medianMs < 2000,
          }
        : { figure: label, measured: 'not available yet', target: '< 2,000 ms', limit: '—', ratio: '—', pass: null },
    );
  }
  for (const e of r.api.endpoints) {
    const a = e.atRate;
    const latencyTarget = e.name !== 'ticket queue page';
    const clean = a.non2xx === 0 && a.errors === 0 && a.timeouts === 0;
    rows.push({
      figure: `${e.route} at ${n(a.rate ?? 0)} requests/s, ${a.connections} connections`,
      measured: `p50 ${a.p50} ms · p99 ${a.p99} ms · ${n(a.requestsPerSecond)} req/s served${clean ? '' : ` · ${a.non2xx} non-2xx, ${a.errors} errors`}`,
      target: latencyTarget ? `p99 < 25 ms at ${n(r.options.rate)} requests/s` : 'none set',
      limit: `flat out: ${n(e.flatOut.requestsPerSecond)} req/s (p99 ${e.flatOut.p99} ms)`,
      ratio: '—',
      pass: latencyTarget ? a.p99 < 25 && clean && a.requestsPerSecond >= 0.95 * r.options.rate : null,
    });
  }
  if (r.console) {
    const { station, bundle } = r.console;
    rows.push({
      figure: `Station scan round trip (GET /scan-lookup + POST /assignments), ${n(station.scans)} scans one after another, district ${station.district}`,
      measured: `p95 ${station.roundTrip.p95} ms · p50 ${station.roundTrip.p50} ms · max ${station.roundTrip.max} ms${station.refused ? ` · ${station.refused} refused` : ''}`,
      target: 'p95 < 150 ms',
      limit: `lookup p95 ${station.lookup.p95} ms · issue p95 ${station.issue.p95} ms`,
      ratio: '—',
      pass: station.roundTrip.p95 < 150 && station.refused === 0,
    });
    rows.push({
      figure: `Console first load: JavaScript (${bundle.scripts.length} file${bundle.scripts.length === 1 ? '' : 's'}) and CSS`,
      measured: `JS ${n(bundle.jsBytes)} bytes (${n(bundle.jsGzipBytes)} gzip) · CSS ${n(bundle.cssBytes)} bytes (${n(bundle.cssGzipBytes)} gzip)`,
      target: 'small (no number set)',
      limit: '—',
      ratio: '—',
      pass: null,
    });
  }
  if (r.mixed) {
    const m = r.mixed;
    const p99 = (k: Record<MixedKind, LatencySummary>): string => MIXED_KINDS.map(({ kind }) => `${kind} ${ms(k[kind].p99)}`).join(' · ');
    const errors = MIXED_KINDS.reduce((sum, { kind }) => sum + m.background[kind].errors, 0);
    rows.push({
      figure: `Mixed load: device lookups and station scans (scan lookup, issue, return) at ${n(m.rate)} requests/s in all, during a ${n(m.backfill.events)}-event login import and a full gap scan of ${m.district}`,
      measured: `p99 ${p99(m.background)} ms · ${n(backgroundRate(m))} req/s sent${errors ? ` · ${n(errors)} errors` : ''}`,
      target: `p99 < ${m.p99TargetMs} ms each`,
      limit: `the same load alone: p99 ${p99(m.windows.find((w) => w.window === 'alone')!.kinds)} ms`,
      ratio: '—',
      pass: mixedPass(m),
    });
  }
  return rows;
}

function table(header: string[], rows: string[][]): string {
  const line = (cells: string[]): string => `| ${cells.map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

function phaseRows(r: Pick<RunResults, 'phases' | 'machine'>): string[][] {
  return r.phases.map((p) => {
    const c = p.cpu;
    const busy =
      c.machineBusySeconds === null
        ? '—'
        : `${c.machineBusySeconds} s (${Math.round((c.machineBusySeconds / (c.wallSeconds * r.machine.cores)) * 100)}%)`;
    const top = p.profile
      .slice(0, 3)
      .map(
        (st) =>
          `${Math.round((st.ms / 1000 / Math.max(c.wallSeconds, 0.001)) * 100)}% ${n(st.calls)}× ${ms(st.ms / st.calls)} ms \`${st.statement.slice(0, 70)}\``,
      );
    const secs = (v: number | null | undefined): string => (v === null || v === undefined ? '—' : `${v} s`);
    const wait =
      p.quietWait && p.quietWait.seconds >= 1
        ? ` (after waiting ${s(p.quietWait.seconds)} s for ${p.quietWait.quiet ? 'a quiet machine' : 'a quiet machine, in vain'})`
        : '';
    return [
      `${p.name}${wait}`,
      s(c.wallSeconds),
      busy,
      secs(c.postgresSeconds),
      secs(p.serviceSeconds),
      secs(c.processSeconds['bench']),
      secs(p.otherSeconds),
      secs(c.iowaitSeconds),
      top.join('<br>') || '—',
    ];
  });
}

/** What one request cost during a load phase: round trips to PostgreSQL, and CPU on each side. */
function perRequest(r: RunResults, phasePrefix: string, requests: number): string {
  const p = r.phases.find((ph) => ph.name.startsWith(phasePrefix));
  if (!p || !requests) return '—';
  const statements = p.profile.reduce((sum, st) => sum + st.calls, 0) / requests;
  const cpu = (seconds: number | null | undefined): string =>
    seconds === null || seconds === undefined ? '—' : ((seconds * 1000) / requests).toFixed(2);
  return `${statements.toFixed(1)}, ${cpu(p.serviceSeconds)} / ${cpu(p.cpu.postgresSeconds)}`;
}

/** `npm run bench -- --mixed-only`: the mixed load's tables and its phases' CPU, on their own. */
export function renderMixedOnly(r: Pick<RunResults, 'phases' | 'machine'> & { mixed: MixedFigures }): string {
  return [
    ...mixedSection(r.mixed),
    table(
      ['phase', 'wall s', 'machine CPU', 'PostgreSQL', 'product process', 'bench process', 'others', 'iowait', 'top statements'],
      phaseRows(r),
    ),
    '',
  ].join('\n');
}

export function renderSection(r: RunResults): string {
  const m = r.machine;
  const pg = r.postgres;
  const settings = Object.entries(pg.settings)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
  const importRows = importsOf(r).map(([kind, i]) => [
    kind,
    String(i.files),
    n(i.rows),
    n(i.created),
    n(i.updated),
    n(i.failed),
    s(i.seconds),
    n(i.rowsPerSecond),
    i.largest
      ? `${i.largest.district}: ${n(i.largest.rows)} in ${s(i.largest.seconds)} s`
      : `**not finished**: ${i.notCompleted.join('; ')}`,
    i.fit ? `${n(i.fit.fixedMs)} ms + ${n(i.fit.marginalRowsPerSecond)} rows/s` : '—',
    `${i.maxRssMb} MB`,
    `${i.importerCpuSeconds} s`,
  ]);
  const custodyRows = (Object.entries(r.custody) as [string, RouteStep][]).map(([name, t]) => [
    name,
    t.path,
    n(t.lines),
    n(t.requests),
    s(t.seconds),
    Object.entries(t.outcomes)
      .map(([k, v]) => `${k} ${n(v)}`)
      .join(', '),
  ]);
  const reportRows = (Object.entries(r.reports) as [string, ReportTiming | null][]).map(([name, t]) =>
    t
      ? [name, `\`${t.path.replace('/api/v1', '')}\``, ms(t.firstMs), ms(t.medianMs), ms(t.maxMs), n(t.bytes)]
      : [name, 'not available yet', '—', '—', '—', '—'],
  );
  const apiRows = r.api.endpoints.flatMap((e) =>
    [e.atRate, e.flatOut].map((l) => [
      e.route,
      e.role,
      l.rate ? `${n(l.rate)}/s` : 'flat out',
      String(l.connections),
      n(l.requestsPerSecond),
      String(l.p50),
      String(l.p90),
      String(l.p99),
      String(l.max),
      `${l.non2xx}/${l.errors}/${l.timeouts}`,
      perRequest(r, `API: ${e.name} ${l.rate ? 'at' : 'as fast'}`, l.requests),
    ]),
  );
  const sc = r.scan;
  const weekly = r.reports.weekly?.stateTotal;
  const st = r.state;
  return [
    r.shape === 'city'
      ? `## ${n(r.students)} students, city shape — one district of ${n(Number(st['largestStudents'] ?? 0))} and ${Number(st['districts']) - 1} small ones`
      : `## ${n(r.students)} students${r.students === STATE_STUDENTS ? ' — the state run' : ''}`,
    '',
    `- Command: \`${r.command}\` (seed ${r.options.seed}, ${r.options.weeks} weeks of logins, as of ${r.options.asOf})`,
    `- Date: ${r.date.slice(0, 16).replace('T', ' ')} UTC to ${r.finishedAt.slice(11, 16)} UTC; code: ${r.revision ? `commit ${r.revision.commit}${r.revision.changedFiles ? ` with ${r.revision.changedFiles} files changed or added since (work in progress, measured as it stood)` : ''}` : 'unknown'}`,
    `- Machine: ${m.cpuModel}, ${m.cores} cores, ${m.ramGb} GB RAM, ${m.os}; Node ${m.node}; the API in ${r.apiProcesses ?? 1} process${(r.apiProcesses ?? 1) > 1 ? 'es (API_PROCESSES)' : ''}` +
      (r.load ? `; load average (1/5/15 min) ${r.load.start.join(' / ')} at the start, ${r.load.end.join(' / ')} at the end` : ''),
    `- PostgreSQL: ${pg.version}, stock settings (${settings}); benchmark and service on the same machine` +
      (r.options.analyzeAfterLoads
        ? '; autovacuum is off on this server, so the benchmark runs VACUUM (ANALYZE) after each loading step in its stead (phases below)'
        : ''),
    `- State: ${n(Number(st['districts']))} districts (${st['urbanDistricts']} urban; largest ${st['largest']}), ${n(Number(st['schools']))} schools, ${n(Number(st['students']))} students ` +
      `(${n(Number(st['remote']))} remote, ${n(Number(st['hybrid']))} hybrid), ${n(Number(st['teachers']))} teachers, ${n(Number(st['chromebooks']))} Chromebooks, ` +
      `${n(Number(st['hotspots']))} hotspots, ${n(Number(st['assignments']))} assignments, ${n(Number(st['loginEvents']))} login events over ${st['schoolDays']} school days`,
    '',
    '### Against the targets',
    '',
    table(
      ['figure', 'measured', 'target', 'PostgreSQL alone (same rows, same machine)', 'ratio', 'result'],
      targetRows(r).map((row) => [row.figure, row.measured, row.target, row.limit, row.ratio, verdict(row.pass)]),
    ),
    '',
    `### Imports (each kind: every district's file, ${(r.options.importsAtOnce ?? 1) > 1 ? `${r.options.importsAtOnce} districts at a time as the worker runs them` : 'one after another'}, in one child process running the import CLI's code)`,
    '',
    table(
      [
        'kind',
        'files',
        'rows',
        'created',
        'updated',
        'failed',
        'seconds',
        'rows/s',
        'largest file',
        'per file + per row (fit over the files)',
        'peak RSS',
        'importer CPU',
      ],
      importRows,
    ),
    '',
    `${r.custody.shipments ? 'Assignments, repairs and manifests' : 'Assignments and repairs'} have no import: they went through the product's routes (an API child process), as a district would send them.`,
    '',
    table(['step', 'route', 'lines', 'requests', 'seconds', 'outcomes'], custodyRows),
    '',
    '### Gap scan',
    '',
    `As of ${sc.asOf} (cutoff ${sc.cutoff}: 5 school days), one POST /gap-scans for every district, run by a worker process. ` +
      `Gaps found: ${n(sc.full.counts.gapsOpened)} by the scan, ${n(sc.handWritten.fromLastLogin.value)} by the hand-written query on last_login_at, ` +
      `${n(sc.handWritten.fromEvents.value)} by the one on login_events, ${n(sc.expectedGaps)} expected by the generator.`,
    '',
    table(
      [
        'scan',
        'seconds (server)',
        'end to end',
        'scanned',
        'gaps opened',
        'gaps closed',
        'tickets opened',
        'tickets updated',
        'tickets resolved',
      ],
      [
        ['full', sc.full],
        ['again, nothing changed', sc.rescan],
      ].map(([name, run]) => {
        const x = run as ScanRun;
        return [
          name as string,
          s(x.seconds),
          s(x.endToEndSeconds),
          n(x.counts.studentsScanned),
          n(x.counts.gapsOpened),
          n(x.counts.gapsClosed),
          n(x.counts.ticketsOpened),
          n(x.counts.ticketsUpdated),
          n(x.counts.ticketsResolved),
        ];
      }),
    ),
    '',
    `Rows changed by the second scan: ${Object.entries(sc.rescanChanged)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}.` +
      (sc.discardedImportScans
        ? ` The ${sc.discardedImportScans} scan job(s) the imports queued (one per district and login, Google or carrier import) were discarded unrun, so that the measured scan starts from no gaps.`
        : '') +
      (sc.scheduledScansDuringRun ? ` Scheduled scans that ran during the run: ${sc.scheduledScansDuringRun}.` : '') +
      ` Statistics before the scan: ${Object.entries(sc.analyzedBeforeScan)
        .map(([t, at]) => `${t} ${at ? `analysed ${at.slice(11, 19)}` : 'never analysed'}`)
        .join(', ')}.`,
    '',
    `Hand-written query: first run ${ms(sc.handWritten.fromLastLogin.firstMs)} ms, best of 3 more ${ms(sc.handWritten.fromLastLogin.bestMs)} ms; from login_events ${ms(sc.handWritten.fromEvents.firstMs)} / ${ms(sc.handWritten.fromEvents.bestMs)} ms (plans in results.json).`,
    '',
    '### Reports (state token, every district; first request, then the median and worst of five more)',
    '',
    table(['report', 'request', 'first ms', 'median ms', 'max ms', 'bytes'], reportRows),
    '',
    weekly
      ? `Weekly report state total for the week of ${r.options.weekOf}: ${n(weekly.remoteNotConnected)} of ${n(weekly.remote)} remote learners not connected (the generator expected ${n(Number(st['remoteNotConnectedWeekOf']))}).`
      : '',
    '',
    `### API latency (127.0.0.1, district ${r.api.district} of ${n(r.api.districtStudents)} students, district tokens; ${r.options.duration} s per run after a 2 s warm-up; at the fixed rate: ${rateMethod(r.api.endpoints.map((e) => e.atRate))}; flat out: autocannon, every connection busy; latencies in ms)`,
    '',
    table(
      [
        'route',
        'token',
        'rate',
        'connections',
        'req/s',
        'p50',
        'p90',
        'p99',
        'max',
        'non-2xx/errors/timeouts',
        'per request: statements, CPU ms of API / PostgreSQL',
      ],
      apiRows,
    ),
    '',
    ...labelsSection(r.labels),
    ...(r.lookups ? [renderLookups(r.lookups, (phase, requests) => perRequest(r, phase, requests)), ''] : []),
    ...mixedSection(r.mixed),
    '### Where the time went',
    '',
    'CPU seconds from /proc: the whole machine (and its share of wall × cores); PostgreSQL serving this benchmark; the product process doing the work ' +
      '(API, worker or import child); the benchmark process itself (generator, COPY client, HTTP load); and everything else on the machine, ' +
      "other databases' backends included. Top statements by time as the profiled product process's pg client saw them: share of the phase's " +
      'wall time (statements in parallel connections can add up to more than 100%), calls, mean time per call.',
    '',
    table(
      ['phase', 'wall s', 'machine CPU', 'PostgreSQL', 'product process', 'bench process', 'others', 'iowait', 'top statements'],
      phaseRows(r),
    ),
    '',
    `Database \`${r.database.url}\` is kept for inspection until the next run; largest tables: ${Object.entries(r.database.tables)
      .slice(0, 8)
      .map(([t, v]) => `${t} ${n(v.rows)} rows ${n(v.mb)} MB`)
      .join(', ')}.`,
  ].join('\n');
}

function labelsSection(l: LabelsFigures | null | undefined): string[] {
  if (!l) return [];
  const latency = (x: SequentialLatency): string => `p50 ${ms(x.p50Ms)}, p95 ${ms(x.p95Ms)}, max ${ms(x.maxMs)} ms (${n(x.count)} lookups)`;
  return [
    `### Asset labels (POST /labels, ${n(l.labels)} devices of the largest district, ${l.template})`,
    '',
    table(
      [
        'labels',
        'pages',
        'PDF bytes',
        'first byte ms',
        'total ms',
        'ms per label',
        'asset tag lookups before',
        'the same while the labels were drawn',
      ],
      [
        [
          n(l.labels),
          n(l.pages),
          n(l.bytes),
          ms(l.firstByteMs),
          ms(l.totalMs),
          (l.totalMs / l.labels).toFixed(2),
          latency(l.lookupBefore),
          latency(l.lookupDuring),
        ],
      ],
    ),
    '',
    'Lookups are `GET /devices?assetTag=` sent one after another by one client, as a station scanning; the PDF was read as fast as it came.',
    '',
  ];
}

export function mixedSection(m: MixedFigures | undefined): string[] {
  if (!m) return [];
  const inWindow = (window: MixedWindow, kind: MixedKind): string => {
    const l = m.windows.find((w) => w.window === window)?.kinds[kind];
    return l ? `${ms(l.p50)} / ${ms(l.p99)} / ${ms(l.max)}` : '—';
  };
  const rate = (window: MixedWindow): string => {
    const w = m.windows.find((x) => x.window === window);
    return w ? `${s(w.seconds)} s at ${n(w.requestsPerSecond)} req/s` : '—';
  };
  const b = m.backfill;
  const scan = (x: ScanRun): string =>
    `${s(x.seconds)} s (end to end ${s(x.endToEndSeconds)} s): ${n(x.counts.gapsOpened)} gaps, ${n(x.counts.ticketsOpened)} tickets opened`;
  return [
    `### Mixed load (issue #17: district ${m.district} of ${n(m.districtStudents)} students; ${n(m.rate)} requests/s in all; latencies in ms)`,
    '',
    `One client sends, every ${ms(2000 / m.rate)} ms whatever the answers take, alternately a device lookup by asset tag or the start of a station scan: ` +
      'the scan lookup of an in-stock device, then (once it answers) its issue to a student holding nothing, then its return, so stock never runs out; ' +
      "all with a district tech token. First alone, then while the background work runs in the product's own processes: an import child imports " +
      `${n(b.events)} login events into ${m.district} (copies of its login history shifted back by whole weeks, ${b.from} to ${b.to}: new rows, earlier partitions), ` +
      `then a worker runs the district's full gap scan. Windows: alone ${rate('alone')}; import ${rate('import')}; scan (worker start included) ${rate('scan')}.`,
    '',
    table(
      [
        'kind',
        'route',
        'alone p50 / p99 / max',
        'during the import',
        'during the scan',
        'background: requests',
        'p50',
        'p95',
        'p99',
        'max',
        'errors',
        'target',
        'result',
      ],
      MIXED_KINDS.map(({ kind, route }) => {
        const l = m.background[kind];
        return [
          kind,
          route,
          inWindow('alone', kind),
          inWindow('import', kind),
          inWindow('scan', kind),
          n(l.count),
          ms(l.p50),
          ms(l.p95),
          ms(l.p99),
          ms(l.max),
          n(l.errors),
          `p99 < ${m.p99TargetMs} ms`,
          verdict(l.count > 0 && l.errors === 0 && l.p99 < m.p99TargetMs),
        ];
      }),
    ),
    '',
    `Station scans: ${n(m.scans.started)} started, ${n(m.scans.completed)} returned, ${n(m.scans.refused)} found the device not in stock, ` +
      `${n(m.scans.notStarted)} not started for want of a free device or student. Longest a request left after its turn: ${ms(m.sendLagMaxMs)} ms ` +
      `(latencies are from the send). Requests a second sent during the background work: ${n(backgroundRate(m))} (result: ${verdict(mixedPass(m))}).`,
    '',
    table(
      ['background work', 'quiet', 'under the load above'],
      [
        [
          `login import into ${m.district}`,
          b.quiet ? `${n(b.quiet.rows)} rows (its main file) in ${s(b.quiet.seconds)} s · ${n(b.quiet.rowsPerSecond)} rows/s` : '—',
          `${n(b.import.rows)} rows (${n(b.import.created)} new) in ${s(b.import.seconds)} s · ${n(b.import.rowsPerSecond)} rows/s` +
            (b.import.finished ? '' : ` · **not finished**: ${b.import.notCompleted.join('; ')}`),
        ],
        ...(m.scan ? [[`full gap scan of ${m.district}`, scan(m.scan.quiet), scan(m.scan.underLoad)]] : []),
      ],
    ),
    '',
    `The backfill's events by partition: ${Object.entries(b.partitions)
      .map(([p, v]) => `${p} ${n(v)}`)
      .join(', ')}. ` +
      (m.scan
        ? "Before each scan the district's open gaps and scan tickets were removed " +
          `(before the quiet one: ${n(m.scan.reset.gaps)} gaps and ${n(m.scan.reset.tickets)} tickets the run's first scans left), so both are first scans` +
          (m.scan.discardedImportScans ? `; the ${m.scan.discardedImportScans} scan job(s) the import queued were discarded unrun.` : '.')
        : 'No gap scan (--mixed-skip-scan).'),
    '',
  ];
}

/** A run's section and JSON entry: its size, and its shape when not the state's (so both are kept). */
const keyOf = (r: RunResults): string => (r.shape === 'city' ? `city-${r.students}` : String(r.students));
const START = (key: string): string => `<!-- bench:${key}:start -->`;
const END = (key: string): string => `<!-- bench:${key}:end -->`;
/** State sections first, largest first; then the city's. */
const order = (key: string): [number, number] => [key.startsWith('city-') ? 1 : 0, -Number(key.replace('city-', ''))];

const PREAMBLE = `# Benchmark results

Written by \`npm run bench\` (bench/README.md says what it does). Each section is one run at one size; a
new run at a size replaces its section and leaves the others. Targets are the issue's, stated for
500,000 students on a 2-core machine; at other sizes the time targets are scaled linearly.
`;

/** Writes the markdown: the sections given replace those of their size; the others, and any text around them, stay. */
function writeMarkdown(mdPath: string, runs: RunResults[]): void {
  const existing = existsSync(mdPath) ? readFileSync(mdPath, 'utf8') : PREAMBLE;
  const sections = new Map<string, string>();
  const pattern = /<!-- bench:((?:city-)?\d+):start -->\n([\s\S]*?)\n<!-- bench:\1:end -->/g;
  for (const match of existing.matchAll(pattern)) sections.set(match[1]!, match[2]!);
  for (const r of runs) sections.set(keyOf(r), renderSection(r));
  const firstSection = existing.search(/<!-- bench:(?:city-)?\d+:start -->/);
  const lastEnd = [...existing.matchAll(/<!-- bench:(?:city-)?\d+:end -->\n?/g)].pop();
  const head = firstSection >= 0 ? existing.slice(0, firstSection) : `${existing.trimEnd()}\n\n`;
  const tail = lastEnd ? existing.slice(lastEnd.index + lastEnd[0].length) : '';
  const body = [...sections.entries()]
    .sort((a, b) => {
      const [x, y] = [order(a[0]), order(b[0])];
      return x[0] - y[0] || x[1] - y[1];
    })
    .map(([key, text]) => `${START(key)}\n${text}\n${END(key)}\n`)
    .join('\n');
  writeFileSync(mdPath, `${head}${body}${tail}`);
}

function readRuns(jsonPath: string): Record<string, RunResults> {
  return existsSync(jsonPath) ? ((JSON.parse(readFileSync(jsonPath, 'utf8')) as { runs?: Record<string, RunResults> }).runs ?? {}) : {};
}

/** Replaces this size's section in the markdown and its entry in the JSON. */
export function writeResults(r: RunResults, mdPath: string, jsonPath: string): void {
  writeMarkdown(mdPath, [r]);
  writeFileSync(jsonPath, `${JSON.stringify({ runs: { ...readRuns(jsonPath), [keyOf(r)]: r } }, null, 2)}\n`);
}

/** Renders every run of the JSON into the markdown again (after a change to how results are shown). */
export function renderResults(mdPath: string, jsonPath: string): number {
  const runs = Object.values(readRuns(jsonPath));
  writeMarkdown(mdPath, runs);
  return runs.length;
}
