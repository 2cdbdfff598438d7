import { afterEach, describe, expect, it } from '@jest/globals';
import { QUEUE_NAMES } from '../src/queue/queue.registry.js';
import { QueueService } from '../src/queue/queue.service.js';
import { startTestApp, type TestApp } from './support/test-app.js';

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

async function schedulerIds(app: TestApp): Promise<string[]> {
  const queues = app.app.get(QueueService);
  const found = await Promise.all(QUEUE_NAMES.map((name) => queues.queue(name).getJobSchedulers()));
  return found.flatMap((list) => list.map((s) => s.key)).sort();
}

describe('recurring jobs', () => {
  it('are registered by a worker', async () => {
    t = await startTestApp({ worker: true, env: { SCHEDULES: 'true' } });
    expect(await schedulerIds(t)).toEqual([
      'connector-reconcile',
      'gap-scan-schedule',
      'idempotency-cleanup',
      'import-reconcile',
      'login-event-partitions',
    ]);
  });

  it("give each active connector a scheduler in its district's time zone, shown as its next run", async () => {
    // A worker would tick the scheduler: this app is API-only, so nothing runs against the made-up server.
    t = await startTestApp({ env: { SCHEDULES: 'true', SECRETS_KEY: Buffer.alloc(32, 3).toString('base64') } });
    const [district] = (await t.db.query(
      `INSERT INTO districts (name, code, time_zone) VALUES ('Sched', 'sched', 'America/Chicago') RETURNING id`,
    )) as {
      id: string;
    }[];
    const res = await t
      .http()
      .post('/api/v1/connectors')
      .set('Authorization', `Bearer ${t.adminToken}`)
      .send({
        districtId: district!.id,
        kind: 'oneroster-rest',
        settings: { baseUrl: 'https://roster.example.org', tokenUrl: 'https://roster.example.org/token', clientId: 'c', clientSecret: 's' },
      })
      .expect(201);
    const id = res.body.id as string;
    const scheduler = await t.app.get(QueueService).queue('connectors').getJobScheduler(`connector:${id}`);
    expect(scheduler).toMatchObject({ pattern: '30 2 * * *', tz: 'America/Chicago', name: 'connector.tick' });
    expect(res.body.nextRunAt).toBe(new Date(scheduler!.next!).toISOString());
    // A new schedule replaces it.
    await t
      .http()
      .patch(`/api/v1/connectors/${id}`)
      .set('Authorization', `Bearer ${t.adminToken}`)
      .send({ settings: { schedule: '15 3 * * 1-5' } })
      .expect(200);
    expect(await t.app.get(QueueService).queue('connectors').getJobScheduler(`connector:${id}`)).toMatchObject({ pattern: '15 3 * * 1-5' });
  });

  // The hourly scan runs as of today: in a test it would scan districts the test set up for another day.
  it('are left out when SCHEDULES is off, as the tests run', async () => {
    t = await startTestApp({ worker: true });
    expect(await schedulerIds(t)).toEqual([]);
  });
});
