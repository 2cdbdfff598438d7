import { createReadStream, existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { pipeline } from 'node:stream/promises';
import autocannon from 'autocannon';
import type { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { pacedLoad } from './paced-load.js';
import { mergeProfiles, type StatementStat } from './pg-profile.js';
import { sleep, waitFor } from './processes.js';
import { childPids } from './proc.js';

/** Measurements that do not depend on the product: PostgreSQL's own limits, HTTP load, profiles. */

export interface CopyLimit {
  rows: number;
  megabytes: number;
  seconds: number;
  rowsPerSecond: number;
  /**
   * The same rows then moved by one INSERT … SELECT into a table with the real table's columns, indexes
   * and storage parameters (`storage`, e.g. "fillfactor=50"; absent in runs before they were copied).
   */
  indexed: { table: string; partitioned: boolean; storage?: string | null; rows: number; seconds: number; rowsPerSecond: number } | null;
}

/** How to move the raw rows into a copy of a real table: its name, and the INSERT … SELECT from `raw` into `target`. */
export interface IndexedStep {
  like: string;
  insert: (raw: string, target: string) => string;
  /**
   * For a partitioned table: its partition key, and the statement that creates target's partitions for the
   * rows of raw (the product's own layout, so the figure is what the product's rows cost, not a heap's).
   */
  partitioned?: { key: string; partitions: (raw: string, target: string) => string };
}

/**
 * The ingest limit: the same files COPYed as they are into a plain table without indexes, constraints
 * or keys, over one connection, as fast as PostgreSQL takes them on this machine; then, if asked,
 * the same rows in one statement into a table LIKE the real one (its indexes and checks; no foreign
 * keys, triggers or audit rows): what the schema alone costs.
 */
export async function copyLimit(
  client: Client,
  table: string,
  columns: string,
  files: string[],
  indexed?: IndexedStep,
): Promise<CopyLimit> {
  await client.query(`DROP TABLE IF EXISTS ${table}`);
  await client.query(`CREATE TABLE ${table} (${columns})`);
  let bytes = 0;
  const started = performance.now();
  for (const file of files) {
    bytes += statSync(file).size;
    await pipeline(createReadStream(file), client.query(copyFrom(`COPY ${table} FROM STDIN (FORMAT csv, HEADER true)`)));
  }
  const seconds = (performance.now() - started) / 1000;
  const { rows } = await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`);
  const n = Number(rows[0]!.n);
  let into: CopyLimit['indexed'] = null;
  if (indexed) {
    const target = `${table}_like`;
    await client.query(`DROP TABLE IF EXISTS ${target}`);
    const by = indexed.partitioned;
    // LIKE copies no storage parameters; a partitioned table has none of its own.
    const storage = by ? null : await storageOf(client, indexed.like);
    await client.query(
      `CREATE TABLE ${target} (LIKE ${indexed.like} INCLUDING ALL)${by ? ` PARTITION BY RANGE (${by.key})` : storage ? ` WITH (${storage})` : ''}`,
    );
    if (by) await client.query(by.partitions(table, target));
    const t0 = performance.now();
    const inserted = await client.query(indexed.insert(table, target));
    const s = (performance.now() - t0) / 1000;
    await client.query(`DROP TABLE ${target}`);
    const count = inserted.rowCount ?? 0;
    into = {
      table: indexed.like,
      partitioned: by !== undefined,
      storage,
      rows: count,
      seconds: round(s, 2),
      rowsPerSecond: Math.round(count / s),
    };
  }
  await client.query(`DROP TABLE ${table}`);
  return {
    rows: n,
    megabytes: Math.round(bytes / 1024 ** 2),
    seconds: round(seconds, 2),
    rowsPerSecond: Math.round(n / seconds),
    indexed: into,
  };
}

/**
 * A table's storage parameters as CREATE TABLE … WITH takes them, or null. students and devices keep half
 * their pages free (fillfactor 50) for in-page updates, which costs their inserts about 7 % (bench/RESULTS.md,
 * 7 December, 19:20–21:00 UTC).
 */
async function storageOf(client: Client, table: string): Promise<string | null> {
  const { rows } = await client.query<{ storage: string | null }>(
    `SELECT array_to_string(reloptions, ', ') AS storage FROM pg_class WHERE oid = $1::regclass`,
    [table],
  );
  return rows[0]?.storage ?? null;
}

export interface QueryTiming {
  value: number;
  /** First run (cold caches), then the best of the next runs. */
  firstMs: number;
  bestMs: number;
  plan: string[];
}

/** A query run `runs` times, then once under EXPLAIN (ANALYZE, BUFFERS) for the record. */
export async function timeQuery(client: Client, text: string, params: unknown[], runs = 4): Promise<QueryTiming> {
  const times: number[] = [];
  let value = 0;
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    const { rows } = await client.query<{ n: string }>(text, params);
    times.push(performance.now() - started);
    value = Number(rows[0]!.n);
  }
  const explained = await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS) ${text}`, params);
  return {
    value,
    firstMs: round(times[0]!, 1),
    bestMs: round(Math.min(...times.slice(1)), 1),
    plan: explained.rows.map((r) => r['QUERY PLAN']),
  };
}

export interface LoadResult {
  connections: number;
  /** The fixed request rate asked for, or null for as fast as it answers. */
  rate: number | null;
  seconds: number;
  requests: number;
  requestsPerSecond: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  /**
   * Paced runs only: the longest a request went out after its turn (the benchmark's own lag). Runs
   * recorded before pacing (autocannon's rate, a burst each second) have none.
   */
  sendLagMaxMs?: number;
}

/**
 * HTTP load against 127.0.0.1, cycling through `paths` so each request asks for something else. With a
 * rate, requests go out evenly spaced (`pacedLoad`); without, autocannon keeps every connection busy.
 */
export async function httpLoad(
  baseUrl: string,
  token: string,
  paths: string[],
  options: { connections: number; seconds: number; rate: number | null },
): Promise<LoadResult> {
  if (!baseUrl.startsWith('http://127.0.0.1:')) throw new Error('load is only ever sent to 127.0.0.1');
  if (options.rate) return pacedLoad(baseUrl, token, paths, { ...options, rate: options.rate });
  let next = 0;
  const result = await autocannon({
    url: baseUrl,
    connections: options.connections,
    duration: options.seconds,
    headers: { authorization: `Bearer ${token}` },
    requests: [{ method: 'GET', setupRequest: (request) => ({ ...request, path: paths[next++ % paths.length]! }) }],
  });
  return {
    connections: options.connections,
    rate: null,
    seconds: result.duration,
    requests: result.requests.total,
    requestsPerSecond: Math.round(result.requests.total / result.duration),
    p50: result.latency.p50,
    p90: result.latency.p90,
    p99: result.latency.p99,
    max: result.latency.max,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
  };
}

/** The statements a profiled process and its children ran since their last dump (see pg-profile.ts). */
export async function takeProfile(pid: number | undefined, file: string): Promise<StatementStat[]> {
  if (!pid) return [];
  const files = [{ pid, file }, ...childPids(pid).map((child) => ({ pid: child, file: `${file}.${child}` }))];
  for (const f of files) rmSync(f.file, { force: true });
  for (const f of files) process.kill(f.pid, 'SIGUSR2');
  const profiles = await Promise.all(
    files.map((f) =>
      waitFor(`profile of process ${f.pid}`, 10_000, () => Promise.resolve(existsSync(f.file) ? readProfile(f.file) : null), 20),
    ),
  );
  return mergeProfiles(profiles);
}

export function readProfile(file: string): StatementStat[] | null {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as StatementStat[];
  } catch {
    // Being written: read again shortly.
    return null;
  }
}

/** The profile a process left when it exited. */
export async function finalProfile(file: string): Promise<StatementStat[]> {
  for (let i = 0; i < 50 && !existsSync(file); i++) await sleep(20);
  return readProfile(file) ?? [];
}

export function round(n: number, digits = 0): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
