import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { GapScansService } from '../src/connectivity/gap-scans.service.js';
import { ImportReconcileProcessor } from '../src/imports/import-reconcile.processor.js';
import { QueueService } from '../src/queue/queue.service.js';
import { Seed } from './support/seed.js';
import { bearer, startTestApp, tokenFor, type TestApp } from './support/test-app.js';

let t: TestApp;
let seed: Seed;

beforeAll(async () => {
  // No worker: jobs stay in Redis where the test can look at them.
  t = await startTestApp({ worker: false });
  seed = new Seed(t.db);
});
afterAll(async () => {
  await t?.close();
});

describe('jobs lost between PostgreSQL and Redis', () => {
  it('re-queues an import whose job Redis lost, once', async () => {
    const district = await seed.district();
    const token = await tokenFor(t, 'tech', district);
    const res = await t
      .http()
      .post('/api/v1/imports')
      .set(...bearer(token))
      .field('kind', 'login-events')
      .field('districtId', district)
      .attach('file', Buffer.from('occurred_at,student_sourced_id,source,event,unique_id\n'), 'logins.csv')
      .expect(202);
    const importId = res.body.id as string;
    const queue = t.app.get(QueueService).queue('imports');
    await queue.remove(importId);
    await t.db.query(`UPDATE imports SET created_at = now() - interval '20 minutes' WHERE id = $1`, [importId]);

    const reconciler = t.app.get(ImportReconcileProcessor);
    expect(await reconciler.handle()).toEqual({ requeued: 1 });
    expect((await queue.getJob(importId))?.data).toEqual({ importId });
    expect(await reconciler.handle()).toEqual({ requeued: 0 });
  });

  it('leaves a recent import alone: its job may simply not have run yet', async () => {
    const district = await seed.district();
    const token = await tokenFor(t, 'tech', district);
    const res = await t
      .http()
      .post('/api/v1/imports')
      .set(...bearer(token))
      .field('kind', 'login-events')
      .field('districtId', district)
      .attach('file', Buffer.from('occurred_at,student_sourced_id,source,event,unique_id\n'), 'logins.csv')
      .expect(202);
    await t.app
      .get(QueueService)
      .queue('imports')
      .remove(res.body.id as string);
    expect(await t.app.get(ImportReconcileProcessor).handle()).toEqual({ requeued: 0 });
  });

  it('re-queues a gap scan whose job never reached Redis', async () => {
    const district = await seed.district();
    const [{ id }] = (await t.db.query(
      `INSERT INTO gap_scans (district_id, trigger, created_at) VALUES ($1, 'manual', now() - interval '20 minutes') RETURNING id`,
      [district],
    )) as { id: string }[];
    await t.app.get(GapScansService).scheduleDue();
    expect((await t.app.get(QueueService).queue('gap-scans').getJob(id!))?.data).toEqual({ scanId: id });
  });
});
