import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it, jest } from '@jest/globals';
import type { QueryRunner } from 'typeorm';
import { nodesOf, type PlanNode } from './support/plans.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { count, createDistrict, importFile, manifest, ORGS_HEADER, USERS_HEADER, zipOf } from './fixtures/imports/support.js';

let t: TestApp;
let importDir: string;

beforeAll(async () => {
  importDir = await mkdtemp(join(tmpdir(), 'rct-roster-plans-'));
  t = await startTestApp({ worker: true, env: { IMPORT_DIR: importDir } });
});
afterAll(async () => {
  await t?.close();
  await rm(importDir, { recursive: true, force: true });
});

type Client = { query: (...args: unknown[]) => unknown };
const isStatement = (config: unknown): config is { text: string; values?: unknown[] } =>
  typeof config === 'object' && config !== null && 'text' in config;

/**
 * Imports a roster while recording the plan of each `CREATE TEMP TABLE import_resolved …` it runs:
 * explained on the import's own connection, in its transaction (the stage is a temporary table of
 * it), with the values it was sent, just before it runs as usual.
 */
async function importRecordingPlans(districtId: string, file: Buffer): Promise<PlanNode[][]> {
  const plans: PlanNode[][] = [];
  const create = t.db.createQueryRunner.bind(t.db);
  const spy = jest.spyOn(t.db, 'createQueryRunner').mockImplementation((mode) => {
    const runner: QueryRunner = create(mode);
    const connect = runner.connect.bind(runner) as () => Promise<Client>;
    runner.connect = async () => {
      const client = await connect();
      const query = async (...args: unknown[]): Promise<unknown> => {
        const [config] = args;
        if (isStatement(config) && config.text.trimStart().startsWith('CREATE TEMP TABLE import_resolved')) {
          const explained = (await client.query({ text: `EXPLAIN (FORMAT JSON) ${config.text}`, values: config.values })) as {
            rows: { 'QUERY PLAN': { Plan: PlanNode }[] }[];
          };
          plans.push(nodesOf(explained.rows[0]!['QUERY PLAN'][0]!.Plan));
        }
        return client.query(...args);
      };
      return new Proxy(client, { get: (target, prop) => (prop === 'query' ? query : Reflect.get(target, prop)) });
    };
    return runner;
  });
  try {
    const done = await importFile(t, 'oneroster', districtId, file, 'roster.zip');
    expect(done.status).toBe('completed');
  } finally {
    spy.mockRestore();
  }
  return plans;
}

it("probes students through the sourcedId key even when planned on a students table with no pages (another district's roster filling it meanwhile)", async () => {
  const district = await createDistrict(t, 'plans');
  // As a new server's first rosters find it: no students, and statistics saying so (the import analyses
  // a table the district's rows are missing from). A scan of it then costs nothing to the planner.
  await t.db.query('ANALYZE students');
  expect(await count(t, `SELECT relpages AS n FROM pg_class WHERE oid = 'students'::regclass`)).toBe(0);
  const users = Array.from({ length: 30 }, (_, i) =>
    [`s-${i}`, '', '', 'true', 'sch-a', 'student', '', '', 'G', 'F', '', '', '', '', '', '', '09', ''].join(','),
  );
  const roster = await zipOf({
    'manifest.csv': manifest('bulk', 'bulk'),
    'orgs.csv': [ORGS_HEADER, 'sch-a,,,School A,school,SA,'].join('\n'),
    'users.csv': [USERS_HEADER, ...users].join('\n'),
  });

  const plans = await importRecordingPlans(district, roster);

  expect(plans).toHaveLength(1);
  const students = plans[0]!.filter((node) => node['Relation Name'] === 'students');
  expect(students.map((node) => [node['Node Type'], node['Index Name']])).toEqual([['Index Scan', 'students_district_sourced_id_key']]);
  expect(await count(t, `SELECT count(*) AS n FROM students WHERE district_id = $1`, [district])).toBe(30);
});
