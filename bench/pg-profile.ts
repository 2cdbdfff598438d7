import cluster from 'node:cluster';
import { writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';

/**
 * Preloaded into the product's processes during a benchmark (`node --require dist-bench/bench/pg-profile.js`)
 * when BENCH_PG_PROFILE names a file: times every statement as the pg client sees it (send to last
 * row, COPY included) and writes the totals per statement shape there on SIGUSR2 and when the process
 * exits. It changes no behaviour; the product does not load it.
 */
export interface StatementStat {
  statement: string;
  calls: number;
  ms: number;
  maxMs: number;
}

/** One profile of several processes' statements: calls and time added, the longest kept. */
export function mergeProfiles(profiles: StatementStat[][]): StatementStat[] {
  if (profiles.length === 1) return profiles[0]!;
  const merged = new Map<string, StatementStat>();
  for (const stat of profiles.flat()) {
    const into = merged.get(stat.statement);
    if (!into) merged.set(stat.statement, { ...stat });
    else Object.assign(into, { calls: into.calls + stat.calls, ms: into.ms + stat.ms, maxMs: Math.max(into.maxMs, stat.maxMs) });
  }
  return [...merged.values()].sort((a, b) => b.ms - a.ms);
}

type QueryFn = (this: unknown, ...args: unknown[]) => unknown;

/** The first 160 characters of a statement, whitespace collapsed: its shape, without parameter values. */
export function statementShape(text: string): string {
  return text.replace(/\s+/g, ' ').trim().slice(0, 160);
}

function install(target: string): void {
  const stats = new Map<string, StatementStat>();
  const record = (shape: string, started: number): void => {
    const ms = performance.now() - started;
    const stat = stats.get(shape) ?? { statement: shape, calls: 0, ms: 0, maxMs: 0 };
    stat.calls += 1;
    stat.ms += ms;
    stat.maxMs = Math.max(stat.maxMs, ms);
    stats.set(shape, stat);
  };
  const proto = Client.prototype as unknown as { query: QueryFn };
  const original = proto.query;
  proto.query = function profiledQuery(this: unknown, ...args: unknown[]): unknown {
    const first = args[0] as { text?: unknown; submit?: unknown; once?: (event: string, fn: () => void) => void } | string | undefined;
    const text = typeof first === 'string' ? first : typeof first?.text === 'string' ? first.text : 'submittable';
    const shape = statementShape(text);
    const started = performance.now();
    const last = args[args.length - 1];
    if (typeof last === 'function') {
      args[args.length - 1] = (...results: unknown[]): unknown => {
        record(shape, started);
        return (last as (...r: unknown[]) => unknown)(...results);
      };
      return original.apply(this, args);
    }
    const result = original.apply(this, args);
    if (typeof first === 'object' && first !== null && typeof first.submit === 'function' && typeof first.once === 'function') {
      // A COPY stream or other submittable: done when it finishes, ends or fails.
      let done = false;
      const finish = (): void => {
        if (!done) record(shape, started);
        done = true;
      };
      for (const event of ['finish', 'end', 'error']) first.once(event, finish);
    } else if (result && typeof (result as Promise<unknown>).then === 'function') {
      (result as Promise<unknown>).then(
        () => record(shape, started),
        () => record(shape, started),
      );
    }
    return result;
  };
  const dump = (): void => {
    writeFileSync(target, JSON.stringify([...stats.values()].sort((a, b) => b.ms - a.ms)));
    stats.clear();
  };
  // SIGUSR2: write what was timed since the last dump and start over, so one process yields a profile per phase.
  process.on('SIGUSR2', dump);
  process.once('exit', dump);
}

const target = process.env['BENCH_PG_PROFILE'];
// An API process of a cluster writes beside the file its parent writes (takeProfile in measure.ts merges them).
if (target) install(cluster.isWorker ? `${target}.${process.pid}` : target);
