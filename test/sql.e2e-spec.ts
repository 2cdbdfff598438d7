import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { QueryFailedError } from 'typeorm';
import { pgError } from '../src/database/pg-errors.js';
import { prepared, sql } from '../src/database/sql.js';
import { startTestApp, type TestApp } from './support/test-app.js';

let t: TestApp;

beforeAll(async () => {
  t = await startTestApp({ worker: false });
});
afterAll(async () => {
  await t?.close();
});

// Wider than the ~19 columns past which pg's own rows became dictionaries (the reason sql.ts makes them),
// with a repeated name, nulls and values pg parses (integers, booleans, json, arrays, timestamps).
const WIDE = `SELECT g AS n, ${Array.from({ length: 30 }, (_, i) => `'c${i}-' || g AS c${i}`).join(', ')},
  g % 2 = 0 AS even, NULL::text AS nothing, jsonb_build_object('g', g) AS doc, ARRAY[g, g + 1] AS pair,
  timestamptz '2026-12-07 00:00:00+00' AS at, 'first' AS twice, 'second' AS twice
  FROM generate_series(1, $1::int) g`;

describe('sql helpers', () => {
  it('answer the rows pg itself would make, for a statement run as is or prepared', async () => {
    const expected = (await t.db.query(WIDE, [3])) as Record<string, unknown>[];
    expect(expected).toHaveLength(3);
    expect(expected[0]).toMatchObject({ n: 1, c29: 'c29-1', even: false, nothing: null, doc: { g: 1 }, pair: [1, 2], twice: 'second' });
    for (const run of [sql, prepared, prepared]) {
      const result = await run<Record<string, unknown>>(t.db.manager, WIDE, [3]);
      expect(result.count).toBe(3);
      expect(result.rows).toEqual(expected);
      expect(Object.keys(result.rows[0]!)).toEqual(Object.keys(expected[0]!));
    }
  });

  it('give each row its own object: a change to one leaves the others, and later answers, alone', async () => {
    const first = (await sql<Record<string, unknown>>(t.db.manager, WIDE, [2])).rows;
    first[0]!['c0'] = 'changed';
    expect(first[1]!['c0']).toBe('c0-2');
    expect((await sql<Record<string, unknown>>(t.db.manager, WIDE, [1])).rows[0]!['c0']).toBe('c0-1');
  });

  it('count what a write changed, and answer no rows for several statements in one text', async () => {
    await t.db.transaction(async (em) => {
      await sql(em, `CREATE TEMP TABLE sql_helpers_t (n int) ON COMMIT DROP`);
      expect(await sql(em, `INSERT INTO sql_helpers_t SELECT generate_series(1, 4)`)).toEqual({ rows: [], count: 4 });
      expect(await sql(em, `UPDATE sql_helpers_t SET n = n + 1 WHERE n > $1`, [2])).toEqual({ rows: [], count: 2 });
      expect(await sql(em, `SELECT 1 AS a; SELECT 2 AS b`)).toEqual({ rows: [], count: 0 });
      expect(await sql(em, `SELECT 1 AS a WHERE false`)).toEqual({ rows: [], count: 0 });
    });
  });

  it('throw what TypeORM threw, with PostgreSQL’s code', async () => {
    for (const run of [sql, prepared]) {
      const error = await run(t.db.manager, `SELECT 1 / $1::int AS x`, [0]).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(QueryFailedError);
      expect(pgError(error)?.code).toBe('22012');
    }
  });
});
