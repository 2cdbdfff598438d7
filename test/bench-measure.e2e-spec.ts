import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Client } from 'pg';
import { copyLimit } from '../bench/measure.js';
import { dropDatabase, ensureDatabase } from '../src/database/database-setup.js';
import { testConfig } from './support/test-app.js';

const config = testConfig();
const db = new Client({ connectionString: config.databaseUrl });
let dir: string;
let csv: string;

beforeAll(async () => {
  await ensureDatabase(config.databaseUrl);
  await db.connect();
  dir = await mkdtemp(join(tmpdir(), 'rct-bench-measure-'));
  csv = join(dir, 'rows.csv');
  await writeFile(csv, ['code,n', ...Array.from({ length: 50 }, (_, i) => `c${i},${i}`)].join('\n') + '\n');
  // A table that keeps half its pages free, as students and devices do, and one with the defaults.
  await db.query(`CREATE TABLE roomy (code text PRIMARY KEY, n int CHECK (n >= 0)) WITH (fillfactor = 50)`);
  await db.query(`CREATE TABLE plain (code text PRIMARY KEY, n int CHECK (n >= 0))`);
});

afterAll(async () => {
  await db.end();
  await dropDatabase(config.databaseUrl);
  await rm(dir, { recursive: true, force: true });
});

describe('PostgreSQL alone (copyLimit)', () => {
  // The rows land only if the target was created with the storage parameters of the table it is like.
  const into = (like: string) => ({
    like,
    insert: (raw: string, target: string) => `INSERT INTO ${target} (code, n) SELECT c0, c1::int FROM ${raw}
      WHERE (SELECT reloptions FROM pg_class WHERE oid = '${target}'::regclass) IS NOT DISTINCT FROM
            (SELECT reloptions FROM pg_class WHERE oid = '${like}'::regclass)`,
  });

  it("moves the rows into a table with the real one's storage parameters, which LIKE leaves out", async () => {
    const limit = await copyLimit(db, 'raw_rows', 'c0 text, c1 text', [csv], into('roomy'));
    expect(limit.rows).toBe(50);
    expect(limit.indexed).toMatchObject({ table: 'roomy', partitioned: false, storage: 'fillfactor=50', rows: 50 });
  });

  it('names no storage parameters for a table with the defaults, and leaves no table behind', async () => {
    const limit = await copyLimit(db, 'raw_rows', 'c0 text, c1 text', [csv], into('plain'));
    expect(limit.indexed).toMatchObject({ table: 'plain', storage: null, rows: 50 });
    const { rows } = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_class WHERE relname IN ('raw_rows', 'raw_rows_like')`,
    );
    expect(rows[0]!.n).toBe(0);
  });
});
