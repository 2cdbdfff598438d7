import { execFile } from 'node:child_process';
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { QueueService } from '../src/queue/queue.service.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { createDistrict } from './fixtures/imports/support.js';

let t: TestApp;

// No worker here: a job the command queues stays waiting where the test can see it.
beforeAll(async () => {
  t = await startTestApp({ worker: false });
});
afterAll(async () => {
  await t?.close();
});

const cli = join(process.cwd(), 'dist', 'src', 'imports', 'cli', 'import-cli.js');
const googleExport = join(process.cwd(), 'test', 'fixtures', 'imports', 'chromeos-console-export.csv');

/** Runs the built command (npm test builds first) against this test's database and queue prefix. */
async function run(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const base = {
    ...process.env,
    DATABASE_URL: t.config.databaseUrl,
    REDIS_URL: t.config.redisUrl,
    QUEUE_PREFIX: t.config.queuePrefix,
    LOG_LEVEL: 'silent',
  };
  try {
    const { stdout, stderr } = await promisify(execFile)('node', [cli, ...args], { env: { ...base, ...env } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

async function importScans(districtId: string): Promise<{ id: string; status: string }[]> {
  return (await t.db.query(`SELECT id, status FROM gap_scans WHERE district_id = $1 AND trigger = 'import'`, [districtId])) as {
    id: string;
    status: string;
  }[];
}

describe('the import command and follow-up jobs', () => {
  it('adds the follow-up gap scan to the queues at REDIS_URL without running it', async () => {
    await access(cli);
    const district = await createDistrict(t, 'cli-q');
    const result = await run(['--kind', 'chromeos-devices', '--district', 'cli-q', googleExport]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/completed in/);
    expect(result.stderr).not.toMatch(/warning/);
    const scans = await importScans(district);
    expect(scans).toEqual([{ id: expect.any(String), status: 'queued' }]);
    const job = await t.app.get(QueueService).queue('gap-scans').getJob(scans[0]!.id);
    expect(job?.name).toBe('gap-scan.run');
    expect(job?.data).toEqual({ scanId: scans[0]!.id });
    expect(await job?.getState()).toBe('waiting');
  });

  it('--dry-run reports the counts, writes no device and queues no follow-up', async () => {
    const district = await createDistrict(t, 'cli-d');
    const result = await run(['--kind', 'chromeos-devices', '--district', 'cli-d', '--dry-run', '--json', googleExport]);
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout) as { status: string; dryRun: boolean; counts: { created: number } };
    expect(summary).toMatchObject({ status: 'completed', dryRun: true });
    expect(summary.counts.created).toBeGreaterThan(0);
    expect(await t.db.query(`SELECT count(*)::int AS n FROM devices WHERE district_id = $1`, [district])).toEqual([{ n: 0 }]);
    expect(await importScans(district)).toEqual([]);
    const misuse = await run(['--resume', '00000000-0000-0000-0000-000000000000', '--dry-run']);
    expect(misuse.code).toBe(2);
  });

  it('completes the import when Redis does not answer, and warns that the reconciler will queue the follow-up', async () => {
    const district = await createDistrict(t, 'cli-r');
    const started = Date.now();
    const result = await run(['--kind', 'chromeos-devices', '--district', district, googleExport], { REDIS_URL: 'redis://127.0.0.1:1' });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/completed in/);
    expect(result.stderr).toMatch(
      /warning: 1 follow-up job\(s\) of this import \(such as a gap scan\) could not be queued in Redis at redis:\/\/127\.0\.0\.1:1 \(connect ECONNREFUSED/,
    );
    expect(result.stderr).toMatch(/The import itself is complete; the worker's hourly reconciler will queue the follow-up\./);
    // Only that line: no raw connection errors from the queues' client.
    expect(result.stderr).not.toMatch(/^(Error|\s+at )/m);
    // Bounded: the queues' connection gives up after a few seconds instead of waiting for Redis.
    expect(Date.now() - started).toBeLessThan(30_000);
    // PostgreSQL still holds the request, which is what the reconciler queues from.
    const scans = await importScans(district);
    expect(scans).toEqual([{ id: expect.any(String), status: 'queued' }]);
    expect(await t.app.get(QueueService).queue('gap-scans').getJob(scans[0]!.id)).toBeUndefined();
  }, 40_000);
});
