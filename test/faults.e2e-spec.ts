import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { QueueService } from '../src/queue/queue.service.js';
import { PgRelay, PrivateRedis, waitFor } from './support/faults.js';
import { bearer, startTestApp, type TestApp } from './support/test-app.js';

const PG = new URL(process.env['TEST_DATABASE_URL'] ?? process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres');

/** A database URL of the test's own that goes through the relay. */
function viaRelay(relay: PgRelay): string {
  const url = new URL(PG);
  url.hostname = '127.0.0.1';
  url.port = String(relay.port);
  url.pathname = `/reconnect_test_faults_${process.pid}_${randomBytes(4).toString('hex')}`;
  return url.toString();
}

describe('while PostgreSQL is unreachable', () => {
  let relay: PgRelay;
  let t: TestApp;

  beforeAll(async () => {
    relay = await PgRelay.start({ host: PG.hostname, port: Number(PG.port || 5432) });
    t = await startTestApp({ env: { DATABASE_URL: viaRelay(relay) } });
  });
  afterAll(async () => {
    await relay.restore();
    await t.close();
    await relay.cut();
  });

  it('answers 503 database_unavailable with Retry-After, also for an unknown token, and recovers', async () => {
    const before = await t
      .http()
      .get('/api/v1/districts')
      .set(...bearer(t.adminToken));
    expect(before.status).toBe(200);

    await relay.cut();
    for (const token of [t.adminToken, `unknown-${randomBytes(16).toString('hex')}`]) {
      const res = await t
        .http()
        .get('/api/v1/districts')
        .set(...bearer(token));
      expect([res.status, res.body.code]).toEqual([503, 'database_unavailable']);
      expect(res.headers['retry-after']).toBe('5');
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    }
    const ready = await t.http().get('/health/ready');
    expect([ready.status, ready.body.postgres]).toEqual([503, 'down']);

    await relay.restore();
    await waitFor(
      'the API to answer again',
      async () =>
        (
          await t
            .http()
            .get('/api/v1/districts')
            .set(...bearer(t.adminToken))
        ).status === 200
          ? true
          : undefined,
      15_000,
    );
  });
});

async function schedulerIds(t: TestApp): Promise<string[]> {
  const queues = t.app.get(QueueService);
  const found = await Promise.all((['gap-scans', 'imports'] as const).map((name) => queues.queue(name).getJobSchedulers()));
  return found.flatMap((list) => list.map((s) => s.key)).sort();
}

describe('when Redis comes back empty under a running worker', () => {
  let redis: PrivateRedis;
  let t: TestApp | undefined;

  beforeAll(async () => {
    redis = await PrivateRedis.start();
  });
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });
  afterAll(async () => {
    await redis.stop();
  });

  const expected = ['gap-scan-schedule', 'import-reconcile'];
  const restored = async (app: TestApp) => ((await schedulerIds(app)).join() === expected.join() ? true : undefined);

  it('re-creates the job schedulers after FLUSHALL, within a minute', async () => {
    t = await startTestApp({ worker: true, env: { SCHEDULES: 'true', REDIS_URL: redis.url } });
    expect(await schedulerIds(t)).toEqual(expected);
    await redis.command((r) => r.flushall());
    expect(await schedulerIds(t)).toEqual([]);
    await waitFor('the schedulers to be re-created', () => restored(t as TestApp), 50_000, 250);
  }, 60_000);

  it('re-creates them when a restarted, empty Redis is reconnected', async () => {
    t = await startTestApp({ worker: true, env: { SCHEDULES: 'true', REDIS_URL: redis.url } });
    await redis.restart();
    await waitFor('the schedulers to be re-created', () => restored(t as TestApp), 50_000, 250);
  }, 60_000);
});
