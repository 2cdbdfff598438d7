import { createReadStream } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { ApiError, type Api } from './api.js';
import { TextFile } from './files.js';
import { percentile, round1 } from './paced-load.js';
import type { ImportFigures, ScanRun } from './results.js';

/**
 * Issue #17's mixed load, a morning as it is: while a login import of about 5 M events (at 520,000
 * students) and then a full gap scan of the largest district run, a station scans devices out and back
 * and device lookups go on, at a fixed rate whatever the answers take (arrivals do not wait for answers).
 */

/** The rate and target: all kinds together, p99 of each. */
export const MIXED_RATE = 200;
export const MIXED_P99_MS = 100;
/** Login events of the background import per student of the state: 5 M at 520,000 students. */
export const BACKFILL_EVENTS_PER_STUDENT = 5_000_000 / 520_000;

export type MixedKind = 'device lookup' | 'scan lookup' | 'issue' | 'return';
export const MIXED_KINDS: { kind: MixedKind; route: string }[] = [
  { kind: 'device lookup', route: 'GET /api/v1/devices?assetTag=…' },
  { kind: 'scan lookup', route: 'GET /api/v1/scan-lookup?code=…' },
  { kind: 'issue', route: 'POST /api/v1/assignments' },
  { kind: 'return', route: 'POST /api/v1/assignments/:id/return' },
];
/** The foreground's windows: alone first (its quiet reference), then beside each background step. */
export type MixedWindow = 'alone' | 'import' | 'scan';

export interface LatencySummary {
  count: number;
  /** Answers outside 2xx, and requests that got no answer. */
  errors: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export interface WindowFigures {
  window: MixedWindow;
  seconds: number;
  sent: number;
  requestsPerSecond: number;
  kinds: Record<MixedKind, LatencySummary>;
}

export interface MixedFigures {
  district: string;
  districtStudents: number;
  rate: number;
  p99TargetMs: number;
  windows: WindowFigures[];
  /** The import and scan windows together: what the target is judged on. */
  background: Record<MixedKind, LatencySummary>;
  /** Station scans started, ended with the device back in stock, found the device not in stock, or not started (no free device or student). */
  scans: { started: number; completed: number; refused: number; notStarted: number };
  /** Longest a request was sent after its turn (the benchmark's own lag; latencies are from the send). */
  sendLagMaxMs: number;
  backfill: {
    events: number;
    /** Earlier copies of the district's login history, each shifted back by whole weeks. */
    from: string;
    to: string;
    import: ImportFigures;
    /** The quiet import of the same district's main file (largest file of the login-events kind). */
    quiet: { rows: number; seconds: number; rowsPerSecond: number } | null;
    /** Where the backfill's rows are stored: events per partition (login_events_default: a week with none). */
    partitions: Record<string, number>;
  };
  /** Null when the run left the scan out (`--mixed-only --mixed-skip-scan`). */
  scan: {
    /** Open gaps and scan-raised tickets of the district removed before each scan, so each is a first scan. */
    reset: { gaps: number; tickets: number };
    quiet: ScanRun;
    underLoad: ScanRun;
    /** Scans the backfill import queued, discarded unrun (the measured scan is the one asked for). */
    discardedImportScans: number;
  } | null;
}

/**
 * Writes `events` login events for the largest district: copies of its login file, each shifted back by
 * `weeks` whole weeks (weekdays stay weekdays) with unique ids of their own, oldest first; the oldest copy
 * is the newest part of its period when only part of it is wanted. Returns the dates it covers. `tag`
 * makes the ids differ from an earlier backfill's, so a run on a database that has one inserts anew.
 */
export async function writeBackfill(
  source: string,
  sourceEvents: number,
  target: string,
  events: number,
  asOf: string,
  weeks: number,
  tag = '',
): Promise<{ from: string; to: string }> {
  const period = weeks * 7 * 86_400_000;
  const whole = Math.floor(events / sourceEvents);
  const part = events - whole * sourceEvents;
  const copies = whole + (part > 0 ? 1 : 0);
  const file = new TextFile(target);
  file.line('occurred_at,student_sourced_id,source,event,unique_id');
  for (let copy = copies; copy >= 1; copy--) {
    const skip = copy > whole ? sourceEvents - part : 0;
    let line = -1;
    for await (const text of createInterface({ input: createReadStream(source), crlfDelay: Infinity })) {
      line += 1;
      if (line === 0 || line - 1 < skip || !text) continue;
      const first = text.indexOf(',');
      const at = new Date(Date.parse(text.slice(0, first)) - copy * period).toISOString();
      file.line(`${at}${text.slice(first)}-b${copy}${tag}`);
    }
  }
  file.close();
  const day = (back: number): string => new Date(Date.parse(`${asOf}T00:00:00Z`) - back * period).toISOString().slice(0, 10);
  return { from: day(copies + 1), to: day(1) };
}

interface Sample {
  kind: MixedKind;
  window: MixedWindow;
  ms: number;
  ok: boolean;
}

function summarize(samples: Sample[]): Record<MixedKind, LatencySummary> {
  const out = {} as Record<MixedKind, LatencySummary>;
  for (const { kind } of MIXED_KINDS) {
    const mine = samples.filter((s) => s.kind === kind);
    const sorted = mine.map((s) => s.ms).sort((a, b) => a - b);
    out[kind] = {
      count: mine.length,
      errors: mine.filter((s) => !s.ok).length,
      p50: round1(percentile(sorted, 50)),
      p95: round1(percentile(sorted, 95)),
      p99: round1(percentile(sorted, 99)),
      max: round1(sorted[sorted.length - 1] ?? 0),
    };
  }
  return out;
}

/**
 * The foreground at a fixed rate: every 2/rate seconds, alternately, a device lookup or the start of a
 * station scan (scan lookup, then the issue once it answers, then the return once that answers), so with
 * every scan going through, rate requests a second in all. Devices and students are taken from pools and
 * given back after the return, so stock never runs out and no two scans share either.
 */
export class MixedForeground {
  private readonly samples: Sample[] = [];
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly windows: { window: MixedWindow; started: number; ended: number; sent: number }[] = [];
  private readonly scans = { started: 0, completed: 0, refused: 0, notStarted: 0 };
  private timer: NodeJS.Timeout | undefined;
  private lagMax = 0;
  private turn = 0;
  private started = 0;

  constructor(
    private readonly api: Api,
    private readonly rate: number,
    private readonly lookupTags: string[],
    private readonly freeDevices: string[],
    private readonly freeStudents: string[],
  ) {}

  start(window: MixedWindow): void {
    this.started = performance.now();
    this.mark(window);
    this.tick();
  }

  /** Requests sent from now on belong to `window`. */
  mark(window: MixedWindow): void {
    const now = performance.now();
    const last = this.windows[this.windows.length - 1];
    if (last) last.ended = now;
    this.windows.push({ window, started: now, ended: now, sent: 0 });
  }

  /** Stops sending, and waits for the requests and scans under way to end. */
  async stop(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.windows[this.windows.length - 1]!.ended = performance.now();
    while (this.inFlight.size) await Promise.all([...this.inFlight]);
  }

  figures(): Pick<MixedFigures, 'windows' | 'background' | 'scans' | 'sendLagMaxMs'> {
    const windows = this.windows.map((w) => {
      const seconds = (w.ended - w.started) / 1000;
      return {
        window: w.window,
        seconds: round1(seconds),
        sent: w.sent,
        requestsPerSecond: Math.round(w.sent / Math.max(seconds, 0.001)),
        kinds: summarize(this.samples.filter((s) => s.window === w.window)),
      };
    });
    return {
      windows,
      background: summarize(this.samples.filter((s) => s.window !== 'alone')),
      scans: { ...this.scans },
      sendLagMaxMs: round1(this.lagMax),
    };
  }

  /** Sends every turn that is due (catching up after a late timer), then sleeps until the next. */
  private tick(): void {
    // Two turns send four requests (a lookup; a scan's three): a turn every 2/rate seconds makes the rate.
    const every = 2000 / this.rate;
    const now = performance.now();
    for (;;) {
      const due = this.started + this.turn * every;
      if (due > now) {
        this.timer = setTimeout(() => this.tick(), due - now);
        return;
      }
      this.lagMax = Math.max(this.lagMax, now - due);
      const tag = this.lookupTags[(this.turn >> 1) % this.lookupTags.length]!;
      this.track(
        this.turn % 2 ? this.stationScan() : this.send('device lookup', 'GET', `/api/v1/devices?assetTag=${encodeURIComponent(tag)}`),
      );
      this.turn += 1;
    }
  }

  private track(work: Promise<unknown>): void {
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work));
  }

  /** One request, timed from its send; any failure is counted, never thrown. */
  private async send<T>(kind: MixedKind, method: string, path: string, body?: unknown): Promise<T | null> {
    const window = this.windows[this.windows.length - 1]!;
    window.sent += 1;
    const started = performance.now();
    try {
      const res = await this.api.send<T>(method, path, body);
      this.samples.push({ kind, window: window.window, ms: res.ms, ok: true });
      return res.body;
    } catch (error) {
      // A refusal (ApiError) or no answer at all (fetch's TypeError): counted against the kind either way.
      if (!(error instanceof ApiError) && !(error instanceof TypeError)) process.stderr.write(`mixed load: ${String(error)}\n`);
      this.samples.push({ kind, window: window.window, ms: performance.now() - started, ok: false });
      return null;
    }
  }

  private async stationScan(): Promise<void> {
    const assetTag = this.freeDevices.shift();
    const studentId = this.freeStudents.shift();
    if (!assetTag || !studentId) {
      if (assetTag) this.freeDevices.push(assetTag);
      if (studentId) this.freeStudents.push(studentId);
      this.scans.notStarted += 1;
      return;
    }
    this.scans.started += 1;
    let returned = true;
    try {
      const found = await this.send<{ devices: { id: string; status: string }[] }>(
        'scan lookup',
        'GET',
        `/api/v1/scan-lookup?code=${encodeURIComponent(assetTag)}`,
      );
      const device = found?.devices[0];
      if (!device || device.status !== 'in_stock') {
        this.scans.refused += 1;
        return;
      }
      const issued = await this.send<{ id: string }>('issue', 'POST', '/api/v1/assignments', { deviceId: device.id, studentId });
      if (!issued) return;
      // Until the return answers, the device is out: a failed return keeps it (and its student) out of the pools.
      returned = false;
      returned = (await this.send('return', 'POST', `/api/v1/assignments/${issued.id}/return`, { condition: 'working' })) !== null;
      if (returned) this.scans.completed += 1;
    } finally {
      if (returned) {
        this.freeDevices.push(assetTag);
        this.freeStudents.push(studentId);
      }
    }
  }
}

/** The requests a second the background windows were sent at, in all. */
export function backgroundRate(f: MixedFigures): number {
  const during = f.windows.filter((w) => w.window !== 'alone');
  const seconds = during.reduce((sum, w) => sum + w.seconds, 0);
  return seconds ? Math.round(during.reduce((sum, w) => sum + w.sent, 0) / seconds) : 0;
}

/** Every kind answered, without errors, under the p99 target, at (within 5% of) the rate. */
export function mixedPass(f: MixedFigures): boolean {
  return (
    MIXED_KINDS.every(({ kind }) => {
      const l = f.background[kind];
      return l.count > 0 && l.errors === 0 && l.p99 < f.p99TargetMs;
    }) && backgroundRate(f) >= 0.95 * f.rate
  );
}
