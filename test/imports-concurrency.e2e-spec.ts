import { afterEach, describe, expect, it } from '@jest/globals';
import { ADVISORY_LOCKS } from '../src/database/advisory-locks.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import {
  count,
  createDistrict,
  finished,
  importFile,
  manifest,
  ORGS_HEADER,
  upload,
  USERS_HEADER,
  zipOf,
} from './fixtures/imports/support.js';

// IMPORT_APPLY_CONCURRENCY: how many batches a process's imports apply at once. Each batch holds the
// advisory lock of its turn (a bigint key: objsubid 1; the import run's lock has two int4 keys) for its
// whole transaction, so those held while the first batch is made to wait (the students table locked by
// the test) count the batches under way.
let t: TestApp | undefined;

afterEach(async () => {
  await t?.close();
  t = undefined;
});

const ORGS = [ORGS_HEADER, 'sch-a,,,School A,school,SA,'].join('\n');
const users = (n: number): string =>
  [
    USERS_HEADER,
    ...Array.from({ length: n }, (_, i) =>
      [`s-${i}`, '', '', 'true', 'sch-a', 'student', '', '', 'G', 'F', '', '', '', '', '', '', '09', ''].join(','),
    ),
  ].join('\n');
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The most batches seen under way at once while the students table is held, over about a second. */
async function batchesUnderWay(app: TestApp): Promise<number> {
  const district = await createDistrict(app, 'conc');
  const holder = app.db.createQueryRunner();
  await holder.connect();
  await holder.startTransaction();
  await holder.query('LOCK TABLE students IN EXCLUSIVE MODE');
  let seen = 0;
  const imported = importFile(
    app,
    'oneroster',
    district,
    await zipOf({ 'manifest.csv': manifest('bulk', 'bulk'), 'orgs.csv': ORGS, 'users.csv': users(500) }),
    'r.zip',
  );
  try {
    for (let i = 0; i < 20; i += 1) {
      await sleep(50);
      seen = Math.max(
        seen,
        await count(app, `SELECT count(*) AS n FROM pg_locks WHERE locktype = 'advisory' AND objsubid = 1 AND granted`),
      );
    }
  } finally {
    await holder.rollbackTransaction();
    await holder.release();
  }
  expect(await imported).toMatchObject({ status: 'completed', counts: { created: 501, failed: 0 } });
  return seen;
}

describe('IMPORT_APPLY_CONCURRENCY', () => {
  it('applies one batch at a time when set to 1', async () => {
    t = await startTestApp({ worker: true, env: { IMPORT_BATCH_ROWS: '100', IMPORT_APPLY_CONCURRENCY: '1' } });
    expect(await batchesUnderWay(t)).toBe(1);
  });

  it('applies two at a time by default', async () => {
    t = await startTestApp({ worker: true, env: { IMPORT_BATCH_ROWS: '100' } });
    expect(await batchesUnderWay(t)).toBe(2);
  });
});

/** Imports under way: each holds its run lock (two int4 keys: objsubid 2) while it runs. */
const IMPORTS_RUNNING = `SELECT count(*) AS n FROM pg_locks WHERE locktype = 'advisory' AND objsubid = 2 AND classid = ${ADVISORY_LOCKS.importRun} AND granted`;
/** Imports waiting for another import of their district. */
const IMPORTS_WAITING = `SELECT count(*) AS n FROM pg_locks WHERE locktype = 'advisory' AND objsubid = 2 AND classid = ${ADVISORY_LOCKS.importDistrict} AND NOT granted`;
const BATCHES_UNDER_WAY = `SELECT count(*) AS n FROM pg_locks WHERE locktype = 'advisory' AND objsubid = 1 AND granted`;

/** Polls `query` until it counts `n` (a lock taken by the worker), or fails after 10 s. */
async function reaches(app: TestApp, query: string, n: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  while ((await count(app, query)) !== n) {
    if (Date.now() > deadline) throw new Error(`still ${await count(app, query)} after 10 s, expected ${n}: ${query}`);
    await sleep(25);
  }
}

/** Runs `fn` while the students table is locked, so the worker's roster batches wait inside their transactions. */
async function withStudentsHeld<T>(app: TestApp, fn: () => Promise<T>): Promise<T> {
  const holder = app.db.createQueryRunner();
  await holder.connect();
  await holder.startTransaction();
  await holder.query('LOCK TABLE students IN EXCLUSIVE MODE');
  try {
    return await fn();
  } finally {
    await holder.rollbackTransaction();
    await holder.release();
  }
}

const roster = (): Promise<Buffer> => zipOf({ 'manifest.csv': manifest('bulk', 'bulk'), 'orgs.csv': ORGS, 'users.csv': users(500) });

describe('imports in the worker', () => {
  it("runs two districts' imports at once, sharing IMPORT_APPLY_CONCURRENCY between them", async () => {
    t = await startTestApp({ worker: true, env: { IMPORT_BATCH_ROWS: '100' } });
    const app = t;
    const [a, b] = [await createDistrict(app, 'da'), await createDistrict(app, 'db')];
    const ids = await withStudentsHeld(app, async () => {
      // Alone, the first import applies two batches (both wait on the students table).
      const first = await upload(app, app.adminToken, 'oneroster', a, await roster(), 'a.zip');
      await reaches(app, BATCHES_UNDER_WAY, 2);
      // The second runs beside it, with one batch: its share while two imports load.
      const second = await upload(app, app.adminToken, 'oneroster', b, await roster(), 'b.zip');
      await reaches(app, IMPORTS_RUNNING, 2);
      await reaches(app, BATCHES_UNDER_WAY, 3);
      let most = 0;
      for (let i = 0; i < 10; i += 1) {
        most = Math.max(most, await count(app, BATCHES_UNDER_WAY));
        await sleep(50);
      }
      expect(most).toBe(3);
      return [first, second];
    });
    for (const id of ids)
      expect(await finished(app, app.adminToken, id)).toMatchObject({ status: 'completed', counts: { created: 501, failed: 0 } });
  });

  it("runs one district's imports one after another, in the order they were asked for", async () => {
    t = await startTestApp({ worker: true, env: { IMPORT_BATCH_ROWS: '100' } });
    const app = t;
    const district = await createDistrict(app, 'dd');
    const [first, second] = await withStudentsHeld(app, async () => {
      const first = await upload(app, app.adminToken, 'oneroster', district, await roster(), 'first.zip');
      await reaches(app, IMPORTS_RUNNING, 1);
      const second = await upload(app, app.adminToken, 'oneroster', district, await roster(), 'second.zip');
      // The worker has taken the second import and holds it until the first ends; it is still queued.
      await reaches(app, IMPORTS_WAITING, 1);
      expect(await count(app, IMPORTS_RUNNING)).toBe(2);
      expect(await count(app, `SELECT count(*) AS n FROM imports WHERE id = $1 AND status = 'queued'`, [second])).toBe(1);
      return [first, second];
    });
    expect(await finished(app, app.adminToken, first)).toMatchObject({ status: 'completed', counts: { created: 501 } });
    expect(await finished(app, app.adminToken, second)).toMatchObject({ status: 'completed', counts: { created: 0, unchanged: 501 } });
    expect(
      await count(app, `SELECT count(*) AS n FROM imports a, imports b WHERE a.id = $1 AND b.id = $2 AND b.started_at >= a.finished_at`, [
        first,
        second,
      ]),
    ).toBe(1);
  });
});
