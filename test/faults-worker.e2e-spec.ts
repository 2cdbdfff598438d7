import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { ImportReconcileProcessor } from '../src/imports/import-reconcile.processor.js';
import { QueueService } from '../src/queue/queue.service.js';
import { waitFor } from './support/faults.js';
import { Seed } from './support/seed.js';
import { bearer, startTestApp, tokenFor, waitForStatus, type TestApp } from './support/test-app.js';

const MAIN = 'dist/src/main.js';
// A short job lock, so a killed worker's job is found stalled in seconds rather than a minute.
const ENV = { IMPORT_BATCH_ROWS: '100', JOB_LOCK_MS: '3000' };

let t: TestApp;
let seed: Seed;
const workers: ChildProcess[] = [];

beforeAll(async () => {
  t = await startTestApp({ env: ENV });
  seed = new Seed(t.db);
});
afterEach(() => {
  for (const worker of workers.splice(0)) if (worker.exitCode === null) worker.kill('SIGKILL');
});
afterAll(async () => {
  await t.close();
});

/** The built service as a queue worker on the test's database and queues. */
function startWorker(): ChildProcess {
  const child = spawn(process.execPath, [MAIN, 'worker'], {
    env: {
      ...process.env,
      ...ENV,
      DATABASE_URL: t.config.databaseUrl,
      REDIS_URL: t.config.redisUrl,
      QUEUE_PREFIX: t.config.queuePrefix,
      IMPORT_DIR: t.config.importDir,
      SCHEDULES: 'false',
      MIGRATIONS_RUN: 'false',
      LOG_LEVEL: 'silent',
    },
    stdio: 'ignore',
  });
  workers.push(child);
  return child;
}

async function kill(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

async function ready(): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await t.http().get('/health/ready');
  return { status: res.status, body: res.body as Record<string, unknown> };
}

async function count(query: string, params: unknown[]): Promise<number> {
  const rows = (await t.db.query(query, params)) as { n: string }[];
  return Number(rows[0]!.n);
}

describe('a worker killed (SIGKILL) in the middle of an import', () => {
  it('leaves the import honest: readiness names it stuck, a new worker finishes it, nothing twice', async () => {
    const district = await seed.district();
    const school = await seed.school(district);
    await t.db.query(
      `INSERT INTO students (district_id, school_id, sourced_id, given_name, family_name) SELECT $1, $2, 'r-' || i, 'G', 'F' FROM generate_series(1, 50) i`,
      [district, school],
    );
    const events = 40_000;
    const lines = ['occurred_at,student_sourced_id,source,event,unique_id'];
    for (let i = 0; i < events; i += 1)
      lines.push(`2020-10-${String(1 + (i % 28)).padStart(2, '0')}T12:00:00Z,r-${(i % 50) + 1},lms,login_success,k-${i}`);
    const token = await tokenFor(t, 'tech', district);

    const first = startWorker();
    const accepted = await t
      .http()
      .post('/api/v1/imports')
      .set(...bearer(token))
      .field('kind', 'login-events')
      .field('districtId', district)
      .attach('file', Buffer.from(lines.join('\n')), 'logins.csv')
      .expect(202);
    const importId = accepted.body.id as string;
    const url = `/api/v1/imports/${importId}`;

    // Some batches committed, not all.
    await waitFor(
      'the import to be part way',
      async () => {
        const res = await t
          .http()
          .get(url)
          .set(...bearer(token));
        return res.body.status === 'running' && (res.body.counts?.rows as number) > 0 ? true : undefined;
      },
      30_000,
      20,
    );
    await kill(first);
    const partial = await count(`SELECT count(*) AS n FROM login_events WHERE district_id = $1`, [district]);
    expect(partial).toBeLessThan(events);

    // Once the dead worker's lock lapses, readiness says so, naming the import.
    const stuck = await waitFor(
      'readiness to report the import stuck',
      async () => {
        const res = await ready();
        return res.status === 503 ? res.body : undefined;
      },
      15_000,
    );
    expect(stuck).toMatchObject({ status: 'unavailable', postgres: 'up', redis: 'up', stuck: [{ kind: 'import', id: importId }] });

    startWorker();
    const done = await waitForStatus(t, url, token, 45_000);
    expect(done).toMatchObject({ status: 'completed', counts: { rows: events, failed: 0 } });
    expect(await count(`SELECT count(*) AS n FROM login_events WHERE district_id = $1`, [district])).toBe(events);
    expect(await count(`SELECT count(DISTINCT dedupe_key) AS n FROM login_events WHERE district_id = $1`, [district])).toBe(events);
    expect(await ready()).toMatchObject({ status: 200, body: { status: 'ok' } });
  }, 60_000);
});

describe('an import running with no job behind it', () => {
  it('is named by readiness and re-queued by the reconciler, which a worker then finishes', async () => {
    const district = await seed.district();
    const token = await tokenFor(t, 'tech', district);
    const accepted = await t
      .http()
      .post('/api/v1/imports')
      .set(...bearer(token))
      .field('kind', 'login-events')
      .field('districtId', district)
      .attach('file', Buffer.from('occurred_at,student_sourced_id,source,event,unique_id\n'), 'logins.csv')
      .expect(202);
    const importId = accepted.body.id as string;
    // As after an outage that used up the job's attempts before the import could be marked failed.
    const job = await t.app.get(QueueService).queue('imports').getJob(importId);
    await job?.remove();
    await t.db.query(`UPDATE imports SET status = 'running', started_at = now() - interval '5 minutes' WHERE id = $1`, [importId]);

    expect(await ready()).toMatchObject({ status: 503, body: { stuck: [{ kind: 'import', id: importId }] } });
    expect(await t.app.get(ImportReconcileProcessor).handle()).toEqual({ requeued: 1 });
    startWorker();
    expect(await waitForStatus(t, `/api/v1/imports/${importId}`, token, 30_000)).toMatchObject({ status: 'completed' });
    expect(await ready()).toMatchObject({ status: 200 });
  }, 60_000);
});
