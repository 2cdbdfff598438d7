import { describe, expect, it, jest } from '@jest/globals';
import { Client } from 'pg';
import { GapScanEngine } from '../src/connectivity/gap-scan.engine.js';
import { dropDatabase } from '../src/database/database-setup.js';
import { WorkerService } from '../src/queue/worker.service.js';
import { Seed } from './support/seed.js';
import { bearer, deleteQueueKeys, startTestApp, tokenFor, type TestApp } from './support/test-app.js';

/** Starts a scan whose district step blocks until `release` is called; resolves once it is running. */
async function blockedScan(t: TestApp): Promise<{ scanId: string; release: () => void }> {
  const seed = new Seed(t.db);
  const district = await seed.district();
  await seed.student(district, await seed.school(district));
  const token = await tokenFor(t, 'district_admin', district);
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  let started!: () => void;
  const running = new Promise<void>((resolve) => (started = resolve));
  const engine = t.app.get(GapScanEngine);
  const original = engine.scanDistrict.bind(engine);
  jest.spyOn(engine, 'scanDistrict').mockImplementation(async (...args) => {
    started();
    await gate;
    return original(...args);
  });
  const res = await t
    .http()
    .post('/api/v1/gap-scans')
    .set(...bearer(token))
    .send({})
    .expect(202);
  await running;
  return { scanId: res.body.id as string, release };
}

async function scanStatus(t: TestApp, scanId: string): Promise<string> {
  const client = new Client({ connectionString: t.config.databaseUrl });
  await client.connect();
  try {
    return (await client.query<{ status: string }>('SELECT status FROM gap_scans WHERE id = $1', [scanId])).rows[0]!.status;
  } finally {
    await client.end();
  }
}

async function cleanUp(t: TestApp): Promise<void> {
  await dropDatabase(t.config.databaseUrl);
  await deleteQueueKeys(t.config);
}

describe('graceful shutdown', () => {
  it('lets a running job finish before it closes', async () => {
    const t = await startTestApp({ worker: true });
    const { scanId, release } = await blockedScan(t);
    let closed = false;
    const closing = t.app.close().then(() => (closed = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(closed).toBe(false);
    release();
    await closing;
    expect(await scanStatus(t, scanId)).toBe('completed');
    await cleanUp(t);
  });

  it('stops waiting for jobs after SHUTDOWN_TIMEOUT_MS and leaves them to be retried', async () => {
    const t = await startTestApp({ worker: true, env: { SHUTDOWN_TIMEOUT_MS: '300' } });
    const { scanId, release } = await blockedScan(t);
    const started = Date.now();
    await t.app.get(WorkerService).beforeApplicationShutdown();
    expect(Date.now() - started).toBeLessThan(5000);
    // Its transaction has not committed: nothing half-done, and the scan is still there to be retried.
    expect(await scanStatus(t, scanId)).toBe('running');
    release();
    await t.app.close();
    await cleanUp(t);
  });
});
