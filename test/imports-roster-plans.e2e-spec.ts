import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it, jest } from '@jest/globals';
import type { QueryRunner } from 'typeorm';
import { nodesOf, type PlanNode } from './support/plans.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { count, createDistrict, createSchool, importFile, manifest, ORGS_HEADER, USERS_HEADER, zipOf } from './fixtures/imports/support.js';

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

/** A statement as the pg client is given it: a config object, or text and values. */
function statementOf(args: unknown[]): { text: string; values?: unknown[] } | null {
  const [first, second] = args;
  if (typeof first === 'string') return { text: first, ...(Array.isArray(second) ? { values: second } : {}) };
  if (typeof first === 'object' && first !== null && 'text' in first) return first as { text: string; values?: unknown[] };
  return null;
}

/**
 * Imports a file while recording the plan of each statement `explain` picks: explained on the
 * import's own connection, in its transaction (the stage is a temporary table of it), with the values
 * it was sent, just before it runs as usual. `analyze` also runs it, in a savepoint rolled back after, so
 * the plan holds what ran and how often.
 */
async function importRecordingPlans(
  kind: string,
  districtId: string,
  file: Buffer,
  fileName: string,
  explain: (text: string) => boolean,
  { analyze = false } = {},
): Promise<{ text: string; nodes: PlanNode[] }[]> {
  const plans: { text: string; nodes: PlanNode[] }[] = [];
  const create = t.db.createQueryRunner.bind(t.db);
  const spy = jest.spyOn(t.db, 'createQueryRunner').mockImplementation((mode) => {
    const runner: QueryRunner = create(mode);
    const connect = runner.connect.bind(runner) as () => Promise<Client>;
    runner.connect = async () => {
      const client = await connect();
      const query = async (...args: unknown[]): Promise<unknown> => {
        const statement = statementOf(args);
        if (statement && explain(statement.text.trimStart())) {
          if (analyze) await client.query('SAVEPOINT explained');
          const explained = (await client.query({
            text: `EXPLAIN (${analyze ? 'ANALYZE, ' : ''}FORMAT JSON) ${statement.text}`,
            values: statement.values,
          })) as { rows: { 'QUERY PLAN': { Plan: PlanNode }[] }[] };
          if (analyze) await client.query('ROLLBACK TO SAVEPOINT explained; RELEASE SAVEPOINT explained');
          plans.push({ text: statement.text, nodes: nodesOf(explained.rows[0]!['QUERY PLAN'][0]!.Plan) });
        }
        return client.query(...args);
      };
      return new Proxy(client, { get: (target, prop) => (prop === 'query' ? query : Reflect.get(target, prop)) });
    };
    return runner;
  });
  try {
    const done = await importFile(t, kind, districtId, file, fileName);
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

  const plans = await importRecordingPlans('oneroster', district, roster, 'roster.zip', (text) =>
    text.startsWith('CREATE TEMP TABLE import_resolved'),
  );

  expect(plans).toHaveLength(1);
  const students = plans[0]!.nodes.filter((node) => node['Relation Name'] === 'students');
  expect(students.map((node) => [node['Node Type'], node['Index Name']])).toEqual([['Index Scan', 'students_district_sourced_id_key']]);
  expect(await count(t, `SELECT count(*) AS n FROM students WHERE district_id = $1`, [district])).toBe(30);
});

it("reads devices through an index in a device batch's probing statements, even when planned on a devices table with no pages", async () => {
  const district = await createDistrict(t, 'plans-dev');
  await createSchool(t, district, 'LHS', 'Lincoln High School');
  await t.db.query('ANALYZE devices');
  expect(await count(t, `SELECT relpages AS n FROM pg_class WHERE oid = 'devices'::regclass`)).toBe(0);
  const rows = Array.from({ length: 30 }, (_, i) => `SN-${i},AT-${i},chromebook,Lenovo 100e,LHS`);
  const file = Buffer.from(['serialNumber,assetTag,kind,model,school', ...rows].join('\n'));

  // The statements that probe devices once a staged row: the stage's resolution (its known serial), its
  // row errors (identifiers another device holds) and the upsert (the stored state of each device).
  const plans = await importRecordingPlans(
    'devices',
    district,
    file,
    'devices.csv',
    (text) => /^(CREATE TEMP TABLE import_resolved|INSERT INTO import_stage_errors|WITH good AS)/.test(text),
    { analyze: true },
  );

  expect(plans.map((plan) => plan.text.trimStart().split(/\s+/).slice(0, 4).join(' '))).toEqual([
    'CREATE TEMP TABLE import_resolved',
    'INSERT INTO import_stage_errors (line,',
    'WITH good AS (',
  ]);
  const scans = plans.flatMap((plan) =>
    plan.nodes.filter(
      (node) => node['Node Type'] === 'Seq Scan' && ['devices', 'schools', 'students'].includes(node['Relation Name'] ?? ''),
    ),
  );
  expect(scans.map((node) => node['Relation Name'])).toEqual([]);
  // The district had no device yet: its probes did not run, whatever index the planner gave them (on a table
  // with no pages it had read a whole index not led by the district, a row at a time, as other imports filled
  // it). Only the checks that the district has none read devices, once each.
  const probes = plans.flatMap((plan) =>
    plan.nodes.filter(
      (node) => node['Relation Name'] === 'devices' && node['Node Type'] !== 'ModifyTable' && (node['Actual Loops'] ?? 0) > 0,
    ),
  );
  expect(probes.length).toBeGreaterThan(0);
  expect(probes.filter((node) => node['Actual Loops'] !== 1).map((node) => [node['Index Name'], node['Actual Loops']])).toEqual([]);
  expect(await count(t, `SELECT count(*) AS n FROM devices WHERE district_id = $1`, [district])).toBe(30);
});

it("probes devices for a Chrome OS export only before its upsert writes them, so a district's first export is not a scan per row of what it wrote", async () => {
  const district = await createDistrict(t, 'plans-cros');
  // Whatever the statistics: a district's first export (before its inventory) on a devices table planned
  // as empty made each probe inside the upsert a scan of the rows it had inserted so far.
  const chromeosdevices = Array.from({ length: 30 }, (_, i) => ({
    serialNumber: `CR-${i}`,
    annotatedAssetId: `AT-CR-${i}`,
    status: 'ACTIVE',
    lastSync: '2026-11-30T08:00:00.000Z',
    model: 'Acer Chromebook 311',
  }));
  const file = Buffer.from(JSON.stringify({ kind: 'admin#directory#chromeosdevices', chromeosdevices }));

  const plans = await importRecordingPlans('chromeos-devices', district, file, 'chromeos.json', (text) => /INSERT INTO devices/.test(text));

  expect(plans).toHaveLength(1);
  const reads = plans[0]!.nodes.filter((node) => node['Relation Name'] === 'devices' && node['Node Type'] !== 'ModifyTable');
  expect(reads.map((node) => node['Node Type'])).toEqual([]);
  expect(await count(t, `SELECT count(*) AS n FROM devices WHERE district_id = $1 AND asset_tag LIKE 'AT-CR-%'`, [district])).toBe(30);
});
