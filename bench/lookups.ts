import type { Client } from 'pg';
import type { LoadResult } from './measure.js';
import { rateMethod } from './paced-load.js';

/**
 * Issue #20: every exact lookup and the first page of every list, with a state token (no district)
 * and with a district token, at the benchmark's fixed rate. The paths cycle through 2,000 values of
 * the largest district, so both tokens ask for the same things.
 */

export type LookupToken = 'state' | 'district';

export interface LookupEndpoint {
  name: string;
  route: string;
  paths: string[];
  /** Exact lookups carry the latency target; first pages of lists too. */
  kind: 'lookup' | 'first page';
}

export interface LookupRun {
  name: string;
  route: string;
  kind: LookupEndpoint['kind'];
  token: LookupToken;
  distinctPaths: number;
  atRate: LoadResult;
}

export interface LookupFigures {
  district: string;
  districtStudents: number;
  /** Requests per second asked for; the p99 target is 25 ms at it. */
  rate: number;
  runs: LookupRun[];
}

const SAMPLE = 2000;

/** The lookups and lists to load, with values sampled (deterministically) from one district. */
export async function lookupEndpoints(db: Client, districtId: string): Promise<LookupEndpoint[]> {
  const sample = async (column: string, table: string, where = 'true'): Promise<string[]> =>
    (
      await db.query<{ v: string }>(
        `SELECT ${column} AS v FROM ${table} WHERE district_id = $1 AND ${column} IS NOT NULL AND ${where}
         ORDER BY md5(${column}::text) LIMIT ${SAMPLE}`,
        [districtId],
      )
    ).rows.map((r) => r.v);
  const paths = (route: string, param: string, values: string[]): string[] =>
    values.map((v) => `${route}?${param}=${encodeURIComponent(v)}`);
  const families = await db.query<{ v: string }>(
    `SELECT DISTINCT family_name AS v FROM students WHERE district_id = $1 ORDER BY 1 LIMIT ${SAMPLE}`,
    [districtId],
  );
  const lookups: LookupEndpoint[] = [
    {
      name: 'device by asset tag',
      route: 'GET /api/v1/devices?assetTag=…',
      paths: paths('/api/v1/devices', 'assetTag', await sample('asset_tag', 'devices')),
    },
    {
      name: 'device by serial',
      route: 'GET /api/v1/devices?serialNumber=…',
      paths: paths('/api/v1/devices', 'serialNumber', await sample('serial_number', 'devices')),
    },
    {
      name: 'student by sourcedId',
      route: 'GET /api/v1/students?sourcedId=…',
      paths: paths('/api/v1/students', 'sourcedId', await sample('sourced_id', 'students')),
    },
    {
      name: 'student by identifier',
      route: 'GET /api/v1/students?identifier=…',
      paths: paths('/api/v1/students', 'identifier', await sample('identifier', 'students')),
    },
    {
      name: 'student by email',
      route: 'GET /api/v1/students?email=…',
      paths: paths('/api/v1/students', 'email', await sample('email', 'students')),
    },
    {
      name: 'student text search (family name)',
      route: 'GET /api/v1/students?q=…',
      paths: paths(
        '/api/v1/students',
        'q',
        families.rows.map((r) => r.v),
      ),
    },
    {
      name: 'student equipment',
      route: 'GET /api/v1/students/:id/equipment',
      paths: (await sample('id', 'students')).map((id) => `/api/v1/students/${id}/equipment`),
    },
  ].map((e) => ({ ...e, kind: 'lookup' as const }));
  const lists = ['students', 'devices', 'tickets', 'assignments', 'kits', 'imports', 'shipments', 'audit-events', 'gap-scans'].map(
    (list): LookupEndpoint => ({
      name: `${list} first page`,
      route: `GET /api/v1/${list}?limit=50`,
      paths: [`/api/v1/${list}?limit=50`],
      kind: 'first page',
    }),
  );
  return [...lookups, ...lists].filter((e) => e.paths.length > 0);
}

const n = (x: number): string => x.toLocaleString('en-US');

/** The markdown of a run's lookups: one row per route and token. */
export function renderLookups(f: LookupFigures, perRequest: (phase: string, requests: number) => string): string {
  const line = (cells: string[]): string => `| ${cells.map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`;
  const header = [
    'route',
    'token',
    'req/s served',
    'p50',
    'p90',
    'p99',
    'max',
    'non-2xx/errors/timeouts',
    'p99 < 25 ms',
    'statements, CPU ms API / PostgreSQL per request',
  ];
  const rows = f.runs.map((r) => {
    const a = r.atRate;
    const clean = a.non2xx === 0 && a.errors === 0 && a.timeouts === 0;
    const pass = a.p99 < 25 && clean && a.requestsPerSecond >= 0.95 * f.rate;
    return line([
      r.route,
      r.token,
      n(a.requestsPerSecond),
      String(a.p50),
      String(a.p90),
      String(a.p99),
      String(a.max),
      `${a.non2xx}/${a.errors}/${a.timeouts}`,
      pass ? 'yes' : '**no**',
      perRequest(lookupPhase(r.name, r.token), a.requests),
    ]);
  });
  return [
    `### Lookups and first pages, state token and district token (issue #20; district ${f.district} of ${n(f.districtStudents)} students supplies the values; ${n(f.rate)} requests/s, ${rateMethod(f.runs.map((r) => r.atRate))}; latencies in ms)`,
    '',
    line(header),
    line(header.map(() => '---')),
    ...rows,
  ].join('\n');
}

export function lookupPhase(name: string, token: LookupToken): string {
  return `API lookup: ${name}, ${token} token`;
}
