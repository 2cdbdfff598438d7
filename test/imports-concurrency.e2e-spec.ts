import { afterEach, describe, expect, it } from '@jest/globals';
import { startTestApp, type TestApp } from './support/test-app.js';
import { count, createDistrict, importFile, manifest, ORGS_HEADER, USERS_HEADER, zipOf } from './fixtures/imports/support.js';

// IMPORT_APPLY_CONCURRENCY: how many batches of one import are applied at once. Each batch holds the
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
