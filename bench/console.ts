import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { gzipSync } from 'node:zlib';
import type { Api } from './api.js';
import { ROOT } from './processes.js';

/** What the console's first screen downloads: the entry script and what it preloads, and the stylesheet. */
export interface ConsoleBundle {
  scripts: { file: string; bytes: number; gzipBytes: number }[];
  jsBytes: number;
  jsGzipBytes: number;
  cssBytes: number;
  cssGzipBytes: number;
}

/** Builds src/web with vite into `outDir` and measures the files index.html loads (gzip level 6, as a proxy would send them). */
export function consoleBundle(outDir: string): ConsoleBundle {
  execFileSync(
    process.execPath,
    [
      join(ROOT, 'node_modules/vite/bin/vite.js'),
      'build',
      '--config',
      join(ROOT, 'src/web/vite.config.mjs'),
      '--outDir',
      outDir,
      '--emptyOutDir',
    ],
    {
      cwd: ROOT,
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  const html = readFileSync(join(outDir, 'index.html'), 'utf8');
  const size = (path: string) => {
    const bytes = readFileSync(join(outDir, path));
    return { file: path, bytes: bytes.length, gzipBytes: gzipSync(bytes, { level: 6 }).length };
  };
  const scripts = [...html.matchAll(/<script[^>]+src="\/([^"]+\.js)"|<link[^>]+rel="modulepreload"[^>]+href="\/([^"]+\.js)"/g)].map((m) =>
    size(m[1] ?? m[2]!),
  );
  const styles = [...html.matchAll(/<link[^>]+rel="stylesheet"[^>]+href="\/([^"]+\.css)"/g)].map((m) => size(m[1]!));
  const sum = (list: { bytes: number; gzipBytes: number }[], key: 'bytes' | 'gzipBytes') => list.reduce((n, f) => n + f[key], 0);
  return {
    scripts,
    jsBytes: sum(scripts, 'bytes'),
    jsGzipBytes: sum(scripts, 'gzipBytes'),
    cssBytes: sum(styles, 'bytes'),
    cssGzipBytes: sum(styles, 'gzipBytes'),
  };
}

export interface StationFigures {
  scans: number;
  /** One scan as the station makes it: GET /scan-lookup, then POST /assignments. */
  roundTrip: { p50: number; p95: number; max: number };
  lookup: { p50: number; p95: number };
  issue: { p50: number; p95: number };
  refused: number;
}

const percentile = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
const round1 = (n: number): number => Math.round(n * 10) / 10;

/**
 * A distribution morning at one table: scans one after another (a station waits for each answer), each
 * the lookup of a device's asset tag then its issue to the next student. The first `warmup` are not counted.
 */
export async function stationScans(api: Api, pairs: { assetTag: string; studentId: string }[], warmup = 10): Promise<StationFigures> {
  const total: number[] = [];
  const lookups: number[] = [];
  const issues: number[] = [];
  let refused = 0;
  for (const [i, pair] of pairs.entries()) {
    const started = performance.now();
    const found = await api.send<{ devices: { id: string; status: string }[] }>(
      'GET',
      `/api/v1/scan-lookup?code=${encodeURIComponent(pair.assetTag)}`,
    );
    const device = found.body.devices[0];
    let issueMs = 0;
    if (device && device.status === 'in_stock') {
      const issued = await api.send('POST', '/api/v1/assignments', { deviceId: device.id, studentId: pair.studentId });
      issueMs = issued.ms;
    } else refused += 1;
    const ms = performance.now() - started;
    if (i < warmup) continue;
    total.push(ms);
    lookups.push(found.ms);
    if (issueMs) issues.push(issueMs);
  }
  const sorted = (list: number[]) => [...list].sort((a, b) => a - b);
  const [t, l, s] = [sorted(total), sorted(lookups), sorted(issues)];
  return {
    scans: t.length,
    roundTrip: { p50: round1(percentile(t, 50)), p95: round1(percentile(t, 95)), max: round1(t[t.length - 1]!) },
    lookup: { p50: round1(percentile(l, 50)), p95: round1(percentile(l, 95)) },
    issue: { p50: round1(percentile(s, 50)), p95: round1(percentile(s, 95)) },
    refused,
  };
}
