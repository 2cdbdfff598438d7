import { spawn, type ChildProcess } from 'node:child_process';
import { Client } from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { ADVISORY_LOCKS } from '../src/database/advisory-locks.js';
import { chromeDevice, FakeGoogle } from './support/fake-google.js';
import { ImportReconcileProcessor } from '../src/imports/import-reconcile.processor.js';
import { QueueService } from '../src/queue/queue.service.js';
import { freePort, PrivateRedis, waitFor } from './support/faults.js';
import { Seed } from './support/seed.js';
import { bearer, startTestApp, tokenFor, waitForStatus, type TestApp } from './support/test-app.js';

const MAIN = 'dist/src/main.js';
// A short job lock, so a killed worker's job is found stalled in seconds rather than a minute. Connectors
// need a secrets key, and take the fake Google's plain-http address.
const ENV = {
  IMPORT_BATCH_ROWS: '100',
  JOB_LOCK_MS: '3000',
  SECRETS_KEY: Buffer.alloc(32, 7).toString('base64'),
  CONNECTOR_ALLOW_HTTP: 'true',
};

let t: TestApp;
let seed: Seed;
const workers: ChildProcess[] = [];

beforeAll(async () => {
  t = await startTestApp({ env: ENV });
  seed = new Seed(t.db);
});
// Gracefully (SIGTERM lets running jobs, such as an import's follow-up scan, finish), so no test leaves work behind.
afterEach(async () => {
  const running = workers.splice(0).filter((worker) => worker.exitCode === null && worker.signalCode === null);
  await Promise.all(
    running.map((worker) => {
      const exited = new Promise((resolve) => worker.once('exit', resolve));
      worker.kill('SIGTERM');
      return exited;
    }),
  );
});
afterAll(async () => {
  await t.close();
});

/** The built service as a queue worker on the test's database and queues. */
function startWorker(env: Record<string, string> = {}): ChildProcess {
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
      ...env,
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

/** A district of 50 students and a login-events file of `events` distinct events for them. */
async function loginImport(events: number): Promise<{ district: string; token: string; file: Buffer }> {
  const district = await seed.district();
  const school = await seed.school(district);
  await t.db.query(
    `INSERT INTO students (district_id, school_id, sourced_id, given_name, family_name) SELECT $1, $2, 'r-' || i, 'G', 'F' FROM generate_series(1, 50) i`,
    [district, school],
  );
  const lines = ['occurred_at,student_sourced_id,source,event,unique_id'];
  for (let i = 0; i < events; i += 1)
    lines.push(`2020-10-${String(1 + (i % 28)).padStart(2, '0')}T12:00:00Z,r-${(i % 50) + 1},lms,login_success,k-${i}`);
  return { district, token: await tokenFor(t, 'tech', district), file: Buffer.from(lines.join('\n')) };
}

async function upload(token: string, district: string, file: Buffer): Promise<string> {
  const accepted = await t
    .http()
    .post('/api/v1/imports')
    .set(...bearer(token))
    .field('kind', 'login-events')
    .field('districtId', district)
    .attach('file', file, 'logins.csv')
    .expect(202);
  return accepted.body.id as string;
}

/** Until some of the import's batches committed, not all. */
async function partWay(url: string, token: string): Promise<void> {
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
}

describe('a worker killed (SIGKILL) in the middle of an import', () => {
  it('leaves the import honest: readiness names it stuck, a new worker finishes it, nothing twice', async () => {
    const events = 40_000;
    const { district, token, file } = await loginImport(events);
    const first = startWorker();
    const importId = await upload(token, district, file);
    const url = `/api/v1/imports/${importId}`;
    await partWay(url, token);
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

describe('a worker killed (SIGKILL) in the middle of a connector run', () => {
  it('resumes from the saved page in a new worker: the first page is not read again, nothing is kept twice', async () => {
    const google = new FakeGoogle();
    await google.start();
    try {
      const district = await seed.district();
      google.devices = ['KS-1', 'KS-2', 'KS-3', 'KS-4', 'KS-5'].map((serial) => chromeDevice(serial));
      const created = await t
        .http()
        .post('/api/v1/connectors')
        .set(...bearer(t.adminToken))
        .send({
          districtId: district,
          kind: 'google-workspace',
          settings: { serviceAccountKey: google.keyFile(), adminEmail: google.adminEmail, apiRootUrl: google.url, writeBack: 'off' },
        })
        .expect(201);
      const connector = created.body.id as string;
      // The second page is held until the worker that asked for it is dead.
      let secondPageAsked!: () => void;
      const asked = new Promise<void>((resolve) => (secondPageAsked = resolve));
      google.beforeList = (_path, query) => {
        if (!query['pageToken']) return;
        secondPageAsked();
        return new Promise<void>(() => undefined);
      };
      const first = startWorker();
      const run = await t
        .http()
        .post(`/api/v1/connectors/${connector}/runs`)
        .set(...bearer(t.adminToken))
        .send({ streams: ['devices'] })
        .expect(202);
      const url = `/api/v1/connectors/${connector}/runs/${run.body.id as string}`;
      await asked;
      await kill(first);
      google.beforeList = null;

      startWorker();
      const done = await waitForStatus(t, url, t.adminToken, 45_000);
      expect(done).toMatchObject({ status: 'completed', read: 5 });
      expect(google.requests('/devices/chromeos').filter((r) => !r.query['pageToken'])).toHaveLength(1);
      expect(await count(`SELECT count(*) AS n FROM devices WHERE district_id = $1`, [district])).toBe(5);
      expect(await count(`SELECT count(*) AS n FROM imports WHERE district_id = $1`, [district])).toBe(1);
    } finally {
      await google.stop();
    }
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

describe('every PostgreSQL connection cut (pg_terminate_backend) in the middle of an import', () => {
  it('retries the batch that was cut and completes, each event once', async () => {
    const events = 30_000;
    const { district, token, file } = await loginImport(events);
    startWorker();
    const importId = await upload(token, district, file);
    const url = `/api/v1/imports/${importId}`;
    await partWay(url, token);
    const database = new URL(t.config.databaseUrl).pathname.slice(1);
    const cut = (await t.db.query(
      `SELECT count(pg_terminate_backend(pid)) AS n FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`,
      [database],
    )) as { n: string }[];
    expect(Number(cut[0]!.n)).toBeGreaterThan(0);

    const done = await waitForStatus(t, url, token, 45_000);
    expect(done).toMatchObject({ status: 'completed', counts: { rows: events, failed: 0 } });
    expect(await count(`SELECT count(*) AS n FROM login_events WHERE district_id = $1`, [district])).toBe(events);
    expect(await ready()).toMatchObject({ status: 200 });
  }, 60_000);
});

describe('Redis restarted empty with an import in its queue', () => {
  let redis: PrivateRedis;
  let api: TestApp;

  beforeAll(async () => {
    redis = await PrivateRedis.start();
    api = await startTestApp({ env: { ...ENV, REDIS_URL: redis.url } });
  });
  afterAll(async () => {
    await api.close();
    await redis.stop();
  });

  it('is not ready while Redis is down; the reconciler re-queues the lost job and a worker completes the import once', async () => {
    const district = await new Seed(api.db).district();
    const token = await tokenFor(api, 'tech', district);
    const accepted = await api
      .http()
      .post('/api/v1/imports')
      .set(...bearer(token))
      .field('kind', 'login-events')
      .field('districtId', district)
      .attach('file', Buffer.from('occurred_at,student_sourced_id,source,event,unique_id\n'), 'logins.csv')
      .expect(202);
    const importId = accepted.body.id as string;
    expect(await api.app.get(QueueService).queue('imports').getJob(importId)).toBeDefined();

    await redis.stop();
    const down = await api.http().get('/health/ready');
    expect([down.status, down.body.redis]).toEqual([503, 'down']);
    await redis.launch();
    await waitFor(
      'the queue connection to come back',
      async () => ((await api.http().get('/health/ready')).status === 200 ? true : undefined),
      20_000,
    );
    expect(await api.app.get(QueueService).queue('imports').getJob(importId)).toBeUndefined();

    // Past the reconciler's grace period for a job that may not have been added yet.
    await api.db.query(`UPDATE imports SET created_at = now() - interval '5 minutes' WHERE id = $1`, [importId]);
    expect(await api.app.get(ImportReconcileProcessor).handle()).toEqual({ requeued: 1 });
    expect(await api.app.get(ImportReconcileProcessor).handle()).toEqual({ requeued: 0 });
    startWorker({ DATABASE_URL: api.config.databaseUrl, REDIS_URL: redis.url, QUEUE_PREFIX: api.config.queuePrefix });
    expect(await waitForStatus(api, `/api/v1/imports/${importId}`, token, 30_000)).toMatchObject({ status: 'completed' });
  }, 60_000);
});

describe('a worker killed (SIGKILL) in the middle of a gap scan', () => {
  it('leaves the scan honest: readiness names it stuck, a new worker completes it, one ticket per student and type', async () => {
    const district = await seed.district({ timeZone: 'UTC' });
    const school = await seed.school(district);
    await Promise.all(Array.from({ length: 5 }, () => seed.student(district, school, { homeInternet: 'no' })));
    const token = await tokenFor(t, 'district_admin', district);
    // The district's scan lock, held here, keeps the scan waiting inside its district step.
    const holder = new Client({ connectionString: t.config.databaseUrl });
    await holder.connect();
    try {
      await holder.query('SELECT pg_advisory_lock($1, hashtext($2))', [ADVISORY_LOCKS.gapScan, district]);
      const first = startWorker();
      const accepted = await t
        .http()
        .post('/api/v1/gap-scans')
        .set(...bearer(token))
        .send({})
        .expect(202);
      const scanId = accepted.body.id as string;
      const url = `/api/v1/gap-scans/${scanId}`;
      await waitFor(
        'the scan to be running',
        async () =>
          (
            await t
              .http()
              .get(url)
              .set(...bearer(token))
          ).body.status === 'running'
            ? true
            : undefined,
        20_000,
        20,
      );
      await kill(first);
      const stuck = await waitFor(
        'readiness to report the scan stuck',
        async () => {
          const res = await ready();
          return res.status === 503 ? res.body : undefined;
        },
        15_000,
      );
      expect(stuck).toMatchObject({ stuck: [{ kind: 'gap_scan', id: scanId }] });
      await holder.query('SELECT pg_advisory_unlock($1, hashtext($2))', [ADVISORY_LOCKS.gapScan, district]);

      startWorker();
      expect(await waitForStatus(t, url, token, 40_000)).toMatchObject({ status: 'completed' });
      const tickets = (await t.db.query(
        `SELECT count(*) AS n, count(DISTINCT (student_id, type)) AS distinct_n FROM tickets WHERE district_id = $1`,
        [district],
      )) as { n: string; distinct_n: string }[];
      expect(Number(tickets[0]!.n)).toBeGreaterThan(0);
      expect(tickets[0]!.n).toBe(tickets[0]!.distinct_n);
      expect(await ready()).toMatchObject({ status: 200 });
    } finally {
      await holder.end();
    }
  }, 60_000);
});

describe('the process serving a bulk assignment killed (SIGKILL) part way', () => {
  it('applies none of it; the retried request applies it once', async () => {
    const district = await seed.district();
    const school = await seed.school(district);
    const lines: { assetTag: string; studentSourcedId: string }[] = [];
    for (let i = 0; i < 20; i += 1) {
      const tag = `KILL-${i}-${district.slice(0, 8)}`;
      await seed.device(district, school, { asset_tag: tag });
      const studentId = await seed.student(district, school);
      const [row] = (await t.db.query('SELECT sourced_id FROM students WHERE id = $1', [studentId])) as { sourced_id: string }[];
      lines.push({ assetTag: tag, studentSourcedId: row!.sourced_id });
    }
    const token = await tokenFor(t, 'tech', district);
    const port = await freePort();
    const api = spawn(process.execPath, [MAIN, 'api'], {
      env: {
        ...process.env,
        DATABASE_URL: t.config.databaseUrl,
        REDIS_URL: t.config.redisUrl,
        QUEUE_PREFIX: t.config.queuePrefix,
        MIGRATIONS_RUN: 'false',
        PORT: String(port),
        LOG_LEVEL: 'silent',
      },
      stdio: 'ignore',
    });
    workers.push(api);
    await waitFor(
      'the API process to answer',
      async () => ((await fetch(`http://127.0.0.1:${port}/health/live`)).ok ? true : undefined),
      20_000,
    );

    // A student row locked here stops the assignment's writes part way through its transaction.
    const holder = new Client({ connectionString: t.config.databaseUrl });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query(`SELECT id FROM students WHERE district_id = $1 AND sourced_id = $2 FOR UPDATE`, [
        district,
        lines[19]!.studentSourcedId,
      ]);
      const pending = fetch(`http://127.0.0.1:${port}/api/v1/assignments/bulk`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ lines }),
      }).then(
        () => 'answered',
        () => 'dropped',
      );
      await waitFor(
        'the assignment to wait on the locked student',
        async () => {
          const rows = (await t.db.query(
            `SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
          )) as { n: string }[];
          return Number(rows[0]!.n) > 0 ? true : undefined;
        },
        20_000,
        20,
      );
      await kill(api);
      expect(await pending).toBe('dropped');
      await holder.query('COMMIT');
    } finally {
      await holder.end();
    }

    // The killed process's transaction never committed: nothing of it is visible, then or ever.
    await waitFor(
      "the killed request's backend to be gone",
      async () => {
        const rows = (await t.db.query(
          `SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND state IN ('active', 'idle in transaction') AND pid <> pg_backend_pid()`,
        )) as { n: string }[];
        return Number(rows[0]!.n) === 0 ? true : undefined;
      },
      20_000,
    );
    expect(await count(`SELECT count(*) AS n FROM assignments WHERE district_id = $1`, [district])).toBe(0);

    const retried = await t
      .http()
      .post('/api/v1/assignments/bulk')
      .set(...bearer(token))
      .send({ lines });
    expect(retried.status).toBe(200);
    expect(await count(`SELECT count(*) AS n FROM assignments WHERE district_id = $1 AND ended_at IS NULL`, [district])).toBe(lines.length);
  }, 60_000);
});
