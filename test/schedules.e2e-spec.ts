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
    expect(await schedulerIds(t)).toEqual(['gap-scan-schedule', 'idempotency-cleanup', 'import-reconcile', 'login-event-partitions']);
  });

  // The hourly scan runs as of today: in a test it would scan districts the test set up for another day.
  it('are left out when SCHEDULES is off, as the tests run', async () => {
    t = await startTestApp({ worker: true });
    expect(await schedulerIds(t)).toEqual([]);
  });
});
