import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource, QueryRunner } from 'typeorm';
import { AssignmentsRepository } from '../src/custody/assignments.repository.js';
import { GENERIC_PLANS } from '../src/database/database-options.js';
import { DevicesRepository } from '../src/devices/devices.repository.js';
import { KitsRepository } from '../src/kits/kits.repository.js';
import { StudentsRepository } from '../src/students/students.repository.js';
import { TicketsRepository } from '../src/tickets/tickets.repository.js';
import { nodesOf, type PlanNode } from './support/plans.js';
import { bearer, startTestApp, type TestApp, tokenFor } from './support/test-app.js';

/**
 * Issue #20: a state-wide caller (no district) looks up and lists through an index, as a district
 * caller does. The plans are those of the SQL the repositories really build, on enough rows (ANALYZEd)
 * that walking the table in id or name order would be the planner's choice without the right index.
 */

let t: TestApp;
let districtA: string;
let districtB: string;

const DISTRICTS = 20;
const PER_DISTRICT = 4000;

/**
 * The generic plan of a statement the repositories prepare (`prepared` in src/database/sql.ts): after
 * five runs a connection keeps it whenever it costs no more than the custom ones, so it is the plan to check.
 */
async function genericPlan(text: string, params: unknown[]): Promise<PlanNode[]> {
  const runner = t.db.createQueryRunner();
  let made = false;
  try {
    await runner.query(`SET plan_cache_mode = force_generic_plan`);
    await runner.query(`PREPARE generic_plan AS ${text}`);
    made = true;
    // EXECUTE takes its arguments as text of its own, not as parameters of the statement around it.
    const literal = (value: unknown): string =>
      value === null || value === undefined
        ? 'NULL'
        : `'${(Array.isArray(value) ? `{${value.map((v) => `"${String(v)}"`).join(',')}}` : String(value as string | number)).replace(/'/g, "''")}'`;
    const args = params.length ? `(${params.map(literal).join(', ')})` : '';
    const [row] = (await runner.query(`EXPLAIN (FORMAT JSON) EXECUTE generic_plan${args}`)) as {
      'QUERY PLAN': { Plan: PlanNode }[];
    }[];
    return nodesOf(row!['QUERY PLAN'][0]!.Plan);
  } finally {
    // Only this one: the connection goes back to the pool with the product's own prepared statements.
    if (made) await runner.query(`DEALLOCATE generic_plan`);
    await runner.query(`RESET plan_cache_mode`);
    await runner.release();
  }
}

interface QueryConfig {
  name?: string;
  text: string;
  values: unknown[];
}

/** A statement the sql helpers send (src/database/sql.ts): a config object, named when prepared. */
const isStatement = (config: unknown): config is QueryConfig => typeof config === 'object' && config !== null && 'text' in config;
const isPrepared = (config: unknown): config is QueryConfig & { name: string } => isStatement(config) && typeof config.name === 'string';

/**
 * The plan of every statement `work` runs through the data source it is given: each is run as
 * EXPLAIN (FORMAT JSON) instead (a prepared one: its generic plan), so a repository can be asked as it
 * is, with nothing test-only in it.
 */
async function plansOf(work: (db: DataSource) => Promise<unknown>): Promise<PlanNode[][]> {
  const runner: QueryRunner = t.db.createQueryRunner();
  const plans: PlanNode[][] = [];
  const query = runner.query.bind(runner) as (text: string, params?: unknown[], structured?: boolean) => Promise<unknown>;
  const explain = async (text: string, params?: unknown[]): Promise<unknown> => {
    const result = (await query(`EXPLAIN (FORMAT JSON) ${text}`, params, true)) as { records: { 'QUERY PLAN': { Plan: PlanNode }[] }[] };
    plans.push(nodesOf(result.records[0]!['QUERY PLAN'][0]!.Plan));
    return { records: [], affected: 0 };
  };
  const client = (await runner.connect()) as { query: (...args: unknown[]) => unknown };
  runner.query = explain as QueryRunner['query'];
  runner.connect = () =>
    Promise.resolve({
      query: async (...args: unknown[]) => {
        const [config] = args;
        if (!isStatement(config)) return client.query(...args);
        if (isPrepared(config)) plans.push(await genericPlan(config.text, config.values));
        else await explain(config.text, config.values);
        return { rows: [], fields: [], rowCount: 0 };
      },
    });
  try {
    await work({ manager: runner.manager } as unknown as DataSource);
  } finally {
    await runner.release();
  }
  return plans;
}

/** The one statement's plan: its scans of `table`, by index (or "Seq Scan"). */
async function scansOf(table: string, work: (db: DataSource) => Promise<unknown>): Promise<string[]> {
  const plans = await plansOf(work);
  expect(plans).toHaveLength(1);
  return scansIn(table, plans[0]!);
}

/**
 * The scans of `table` in the plans of the statements on it that a GET with the state token runs:
 * the request is answered as usual while its statements are recorded, then they are explained with
 * the values they were sent (a prepared one: its generic plan), so the service's own filters, page size
 * and scope are what is planned.
 */
async function requestScans(table: string, url: string, query: Record<string, string> = {}, token = t.adminToken): Promise<string[]> {
  return scansIn(table, await requestPlans(table, url, query, token));
}

/** The nodes of the plans of the statements on `table` that a GET runs (see requestScans). */
async function requestPlans(table: string, url: string, query: Record<string, string>, token: string): Promise<PlanNode[]> {
  const statements = (await requestStatements(url, query, token)).filter((s) => new RegExp(`\\bFROM ${table}\\b`).test(s.text));
  expect(statements.length).toBeGreaterThan(0);
  const nodes: PlanNode[] = [];
  for (const { text, params, prepared } of statements) {
    if (prepared) {
      nodes.push(...(await genericPlan(text, params)));
      continue;
    }
    const [explained] = (await t.db.query(`EXPLAIN (FORMAT JSON) ${text}`, params)) as { 'QUERY PLAN': { Plan: PlanNode }[] }[];
    nodes.push(...nodesOf(explained!['QUERY PLAN'][0]!.Plan));
  }
  return nodes;
}

/** The statements a GET sends, each with its values and whether it went as a prepared statement. */
async function requestStatements(
  url: string,
  query: Record<string, string>,
  token: string,
): Promise<{ text: string; params: unknown[]; prepared: boolean; generic: boolean }[]> {
  const sent: { text: string; params: unknown[]; prepared: boolean; generic: boolean }[] = [];
  // The main connections and those that always run generic plans (GENERIC_PLANS).
  const spies = [t.db, t.app.get<DataSource>(getDataSourceToken(GENERIC_PLANS))].map((db) => {
    const create = db.createQueryRunner.bind(db);
    return jest.spyOn(db, 'createQueryRunner').mockImplementation((mode) => {
      const runner = create(mode);
      const connect = runner.connect.bind(runner) as () => Promise<{ query: (...args: unknown[]) => unknown }>;
      runner.connect = async () => {
        const client = await connect();
        return {
          query: (...args: unknown[]) => {
            const [config, values] = args;
            // The sql helpers send a config object; TypeORM's own query() sends the text and its values.
            const generic = db !== t.db;
            if (isStatement(config)) sent.push({ text: config.text, params: config.values, prepared: isPrepared(config), generic });
            else if (typeof config === 'string')
              sent.push({ text: config, params: (values as unknown[] | undefined) ?? [], prepared: false, generic });
            return client.query(...args);
          },
        };
      };
      return runner;
    });
  });
  try {
    await t
      .http()
      .get(url)
      .query(query)
      .set(...bearer(token))
      .expect(200);
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
  return sent;
}

/** A plan's scans of `table`, by index name (or "Seq Scan"). */
async function scansIn(table: string, nodes: PlanNode[]): Promise<string[]> {
  const indexesOfTable = new Set(
    (
      (await t.db.query(`SELECT indexrelid::regclass::text AS name FROM pg_index WHERE indrelid = $1::regclass`, [table])) as {
        name: string;
      }[]
    ).map((r) => r.name),
  );
  return nodes
    .filter(
      (n) => (n['Index Name'] && indexesOfTable.has(n['Index Name'])) || (n['Node Type'] === 'Seq Scan' && n['Relation Name'] === table),
    )
    .map((n) => n['Index Name'] ?? 'Seq Scan');
}

beforeAll(async () => {
  t = await startTestApp();
  // Many districts with the same shapes of tags, serials, sourced ids, identifiers and emails.
  const districts = (await t.db.query(
    `INSERT INTO districts (name, code) SELECT 'District ' || n, 'D' || n FROM generate_series(1, ${DISTRICTS}) n RETURNING id`,
  )) as { id: string }[];
  [districtA, districtB] = districts.map((d) => d.id) as [string, string];
  await t.db.query(`INSERT INTO schools (district_id, name, code) SELECT id, 'High', 'HS' FROM districts`);
  await t.db.query(
    `INSERT INTO devices (district_id, school_id, kind, asset_tag, serial_number)
     SELECT s.district_id, s.id, 'chromebook', s.district_id::text || '-' || n, 'SN-' || s.district_id::text || '-' || n
     FROM schools s, generate_series(1, ${PER_DISTRICT}) n`,
  );
  await t.db.query(
    `INSERT INTO students (district_id, school_id, sourced_id, identifier, given_name, family_name, email)
     SELECT s.district_id, s.id, 'src-' || s.district_id::text || '-' || n, 'id-' || s.district_id::text || '-' || n,
       'Given' || n, 'Family' || (n % 997), 'st' || n || '.' || s.district_id::text || '@example.org'
     FROM schools s, generate_series(1, ${PER_DISTRICT}) n`,
  );
  // A family name common enough to be in the statistics, and last in name order: a walk of the name
  // order looking for it reads every other student first.
  await t.db.query(
    `INSERT INTO students (district_id, school_id, sourced_id, given_name, family_name)
     SELECT s.district_id, s.id, 'zeller-' || n, 'Zoe' || n, 'Zeller' FROM schools s, generate_series(1, ${PER_DISTRICT / 30}) n`,
  );
  // Most tickets long closed, the open queue a small part of them, as in a district that has run a while.
  await t.db.query(
    `INSERT INTO tickets (district_id, school_id, student_id, type, status, source, opened_at, resolved_at)
     SELECT district_id, school_id, id, 'outreach', CASE WHEN n % 20 = 0 THEN 'open' ELSE 'closed' END, 'scan',
       now() - make_interval(days => (n % 300)::int), CASE WHEN n % 20 = 0 THEN NULL ELSE now() END
     FROM (SELECT s.*, row_number() OVER () AS n FROM students s) x`,
  );
  // A device out to most students, and a kit to every tenth, issued over the last weeks.
  await t.db.query(
    `INSERT INTO assignments (district_id, device_id, student_id, started_at)
     SELECT district_id, d.id, s.id, now() - make_interval(mins => n::int)
     FROM (SELECT id, district_id, row_number() OVER (PARTITION BY district_id ORDER BY id) AS n FROM devices) d
     JOIN (SELECT id, district_id, row_number() OVER (PARTITION BY district_id ORDER BY id) AS n FROM students) s USING (district_id, n)`,
  );
  await t.db.query(
    `INSERT INTO kit_templates (district_id, name, items) SELECT id, 'Hotspot kit', '[{"item":"charger","quantity":1}]' FROM districts`,
  );
  await t.db.query(
    `INSERT INTO kits (district_id, student_id, template_id, items, issued_at)
     SELECT s.district_id, s.id, k.id, k.items, now() - make_interval(mins => (row_number() OVER (ORDER BY s.id))::int)
     FROM students s JOIN kit_templates k ON k.district_id = s.district_id WHERE s.sourced_id LIKE '%0'`,
  );
  // The same tag, serial, sourced id, identifier and email in two districts: both are answered.
  for (const district of [districtA, districtB]) {
    await t.db.query(
      `INSERT INTO devices (district_id, school_id, kind, asset_tag, serial_number)
       SELECT $1, id, 'chromebook', 'CB-SHARED', 'SN-SHARED' FROM schools WHERE district_id = $1`,
      [district],
    );
    await t.db.query(
      `INSERT INTO students (district_id, school_id, sourced_id, identifier, given_name, family_name, email)
       SELECT $1, id, 'SRC-SHARED', 'ID-SHARED', 'Sam', 'Shared', 'Shared@Example.org' FROM schools WHERE district_id = $1`,
      [district],
    );
  }
  // Imports and audit events enough that reading them whole and sorting would be the worse plan.
  await t.db.query(
    `INSERT INTO imports (district_id, kind, status, origin, file_name, file_path, file_owned, file_size, created_at)
     SELECT d.id, 'devices', 'queued', 'cli', 'devices.csv', '/tmp/devices.csv', false, 100, now() - make_interval(mins => n)
     FROM districts d, generate_series(1, 500) n`,
  );
  await t.db.query(
    `INSERT INTO audit_events (district_id, actor, entity_type, entity_id, action)
     SELECT district_id, 'test', 'student', id::text, 'update' FROM students`,
  );
  await t.db.query('ANALYZE districts, schools, devices, students, tickets, assignments, kit_templates, kits, imports, audit_events');
}, 300_000);

afterAll(async () => {
  await t?.close();
});

describe('exact lookups go through an index, with or without a district', () => {
  const devices = (db: DataSource): DevicesRepository => new DevicesRepository(db, db);
  const students = (db: DataSource): StudentsRepository => new StudentsRepository(db, db);

  it.each([
    ['asset tag', { assetTag: 'cb-shared' }, 'devices_asset_tag_lookup_idx'],
    ['serial number', { serialNumber: 'sn-shared' }, 'devices_serial_lookup_idx'],
  ])('devices by %s', async (_, filter, index) => {
    for (const districtId of [null, districtA]) {
      expect(await scansOf('devices', (db) => devices(db).list({ districtId, ...filter }, null, 50))).toEqual([index]);
    }
  });

  it.each([
    ['sourcedId', { sourcedId: 'SRC-SHARED' }, 'students_district_sourced_id_key', null],
    ['identifier', { identifier: 'ID-SHARED' }, 'students_identifier_lookup_idx', null],
    ['email', { email: 'shared@example.org' }, 'students_email_lookup_idx', null],
  ])('students by %s', async (_, filter, index, districtIndex) => {
    expect(await scansOf('students', (db) => students(db).list({ districtId: null, ...filter }, null, 51))).toEqual([index]);
    // A district caller may as well use the district's unique key; either is one probe.
    expect([[index], [districtIndex]]).toContainEqual(
      await scansOf('students', (db) => students(db).list({ districtId: districtA, ...filter }, null, 51)),
    );
  });
});

describe('first pages of lists are read in their index order by a state-wide caller', () => {
  it('students, by district then name', async () => {
    expect(await scansOf('students', (db) => new StudentsRepository(db, db).list({ districtId: null }, null, 51))).toEqual([
      'students_list_idx',
    ]);
    expect(await scansOf('students', (db) => new StudentsRepository(db, db).list({ districtId: districtA }, null, 51))).toEqual([
      'students_list_idx',
    ]);
  });

  it('devices, by id', async () => {
    expect(await scansOf('devices', (db) => new DevicesRepository(db, db).list({ districtId: null }, null, 50))).toEqual(['devices_pkey']);
  });

  it('assignments and kits, newest first', async () => {
    const assignments = (districtId: string | null) => (db: DataSource) =>
      new AssignmentsRepository(db).list({ districtId, schoolIds: null }, null, 50);
    const kits = (districtId: string | null) => (db: DataSource) =>
      new KitsRepository(db).listKits({ districtId, schoolIds: null }, null, 50);
    expect(await scansOf('assignments', assignments(null))).toEqual(['assignments_list_idx']);
    expect(await scansOf('kits', kits(null))).toEqual(['kits_list_idx']);
    // A district's page may also be read from the state-wide order, skipping other districts: both are in list order.
    expect([['assignments_district_list_idx'], ['assignments_list_idx']]).toContainEqual(
      await scansOf('assignments', assignments(districtA)),
    );
    expect([['kits_district_list_idx'], ['kits_list_idx']]).toContainEqual(await scansOf('kits', kits(districtA)));
  });

  it('the ticket queue, by age and by priority', async () => {
    const open = ['open', 'in_progress', 'waiting'] as ('open' | 'in_progress' | 'waiting')[];
    const queue = (districtId: string | null, sort: 'age' | 'priority') => (db: DataSource) =>
      new TicketsRepository(db, db).list({ districtId, schoolIds: null, statuses: open }, sort, 50, null);
    expect(await scansOf('tickets', queue(null, 'age'))).toEqual(['tickets_state_queue_age_idx']);
    expect(await scansOf('tickets', queue(null, 'priority'))).toEqual(['tickets_state_queue_priority_idx']);
    expect(await scansOf('tickets', queue(districtA, 'age'))).toEqual(['tickets_queue_age_idx']);
  });
});

/** A district admin's token, for the same requests confined to district A. */
let districtAdmin: string | undefined;
async function districtToken(): Promise<string> {
  districtAdmin ??= await tokenFor(t, 'district_admin', districtA);
  return districtAdmin;
}

describe("a state token's searches and first pages, planned as the API sends them", () => {
  const students = (query: Record<string, string>, token?: string) => requestScans('students', '/api/v1/students', query, token);

  it('finds text through its lookup, prefix and trigram indexes, never by walking the name order for matches', async () => {
    const [sample] = (await t.db.query(`SELECT sourced_id FROM students WHERE district_id = $1 LIMIT 1`, [districtA])) as {
      sourced_id: string;
    }[];
    const probes = [
      ...['students_district_sourced_id_key', 'students_identifier_lookup_idx', 'students_email_lookup_idx'],
      ...['students_identifier_idx', 'students_email_idx'],
    ];
    // "zeller" is 3% of students, all at the end of name order, where a walk in that order would find
    // its first page; a sourced id is an exact match and in no name.
    for (const q of [sample!.sourced_id, 'zeller', 'Family99', 'shared']) {
      for (const token of [undefined, await districtToken()]) {
        const scans = await students({ q }, token);
        expect(scans).toEqual(expect.arrayContaining(['students_family_prefix_idx', 'students_given_prefix_idx']));
        // The text inside names (the trigram index) is read only when the starts of names leave a page short.
        if (!['zeller', 'Family99'].includes(q)) expect(scans).toContain('students_search_idx');
        const ranges = ['students_family_prefix_idx', 'students_given_prefix_idx', 'students_search_idx'];
        // A district token's unordered branches may also take their district's rows by (district_id, id).
        if (token) ranges.push('students_district_id_id_key');
        expect(scans.filter((scan) => !probes.includes(scan) && !ranges.includes(scan))).toEqual([]);
      }
    }
  });

  it("reads a district's page of a common name in the prefix index's order, under the generic plan it always runs", async () => {
    // "zeller" is 3% of every district: its first page is the first rows of its range. The search runs
    // its generic plan (GENERIC_PLANS), blind to how many of them a district holds: with its range
    // estimated as a range, in a state of 100,000 students it expected 15 of a district's 40,000 and
    // bitmap-read and sorted all 968 (6 ms a search, 59 ms with a cold cache).
    for (const token of [t.adminToken, await districtToken()]) {
      const search = (await requestStatements('/api/v1/students', { q: 'zeller' }, token)).filter((s) => /\bFROM students\b/.test(s.text));
      expect(search.map((s) => s.prepared)).toEqual([true]);
      const plan = await requestPlans('students', '/api/v1/students', { q: 'zeller' }, token);
      const prefixes = plan.filter((n) => ['students_family_prefix_idx', 'students_given_prefix_idx'].includes(n['Index Name'] ?? ''));
      expect(prefixes.map((n) => n['Node Type'])).toEqual(['Index Scan', 'Index Scan']);
      // Each range ends inside the index: a rare text reads its few rows, not the rest of the index.
      for (const n of prefixes) expect(n['Index Cond']).toMatch(/ROW\(.*\) < ROW\(\$\d+, ''::text\)/);
    }
    // A filter the plan cannot see (a school) is planned for its values.
    const [school] = (await t.db.query(`SELECT school_id FROM students WHERE district_id = $1 LIMIT 1`, [districtA])) as {
      school_id: string;
    }[];
    const filtered = await requestStatements('/api/v1/students', { q: 'zeller', schoolId: school!.school_id }, t.adminToken);
    expect(filtered.filter((s) => /\bFROM students\b/.test(s.text)).map((s) => s.prepared)).toEqual([false]);
  });

  it("runs a district's first page of devices and of the open ticket queue on the generic-plan connections, a filtered one on the others", async () => {
    const token = await districtToken();
    const pools = async (url: string, query: Record<string, string> = {}): Promise<boolean[]> =>
      (await requestStatements(url, query, token)).filter((s) => /\bFROM (devices|tickets)\b/.test(s.text)).map((s) => s.generic);
    expect(await pools('/api/v1/devices')).toEqual([true]);
    expect(await pools('/api/v1/tickets')).toEqual([true]);
    expect(await pools('/api/v1/tickets', { sort: 'priority' })).toEqual([true]);
    // A filter the generic plan cannot see (a status of few rows) leaves the plan to the values.
    expect(await pools('/api/v1/devices', { status: 'lost' })).toEqual([false]);
    expect(await pools('/api/v1/tickets', { status: 'open' })).toEqual([false]);
  });

  it('runs generic plans on the connections meant for them, and only there', async () => {
    const generic = t.app.get<DataSource>(getDataSourceToken(GENERIC_PLANS));
    expect(await generic.query(`SHOW plan_cache_mode`)).toEqual([{ plan_cache_mode: 'force_generic_plan' }]);
    expect(await t.db.query(`SHOW plan_cache_mode`)).toEqual([{ plan_cache_mode: 'auto' }]);
  });

  it('looks an email up through its index', async () => {
    expect(await students({ email: 'SHARED@example.org' })).toEqual(['students_email_lookup_idx']);
  });

  it('reads the ticket queue, imports and audit events in their index order', async () => {
    expect(await requestScans('tickets', '/api/v1/tickets')).toEqual(['tickets_state_queue_age_idx']);
    expect(await requestScans('imports', '/api/v1/imports')).toEqual(['imports_list_idx']);
    expect(await requestScans('audit_events', '/api/v1/audit-events')).toEqual(['audit_events_pkey']);
  });

  it("reads a district's audit events in its own index order, not the state's newest filtered", async () => {
    expect(await requestScans('audit_events', '/api/v1/audit-events', {}, await districtToken())).toEqual(['audit_events_district_idx']);
    expect(await requestScans('audit_events', '/api/v1/audit-events', { entityType: 'student' }, await districtToken())).toEqual([
      'audit_events_district_idx',
    ]);
  });
});

describe('what a state-wide caller is answered', () => {
  it('answers an asset tag (and serial) found in two districts with both, each with its district', async () => {
    for (const query of [{ assetTag: 'cb-shared' }, { serialNumber: 'SN-shared' }]) {
      const res = await t
        .http()
        .get('/api/v1/devices')
        .query(query)
        .set(...bearer(t.adminToken))
        .expect(200);
      expect(res.body.data.map((d: { districtId: string }) => d.districtId).sort()).toEqual([districtA, districtB].sort());
      expect(res.body.data.every((d: { assetTag: string }) => d.assetTag === 'CB-SHARED')).toBe(true);
    }
  });

  it('answers a student looked up by sourcedId, identifier or email in each district that has one', async () => {
    for (const query of [{ sourcedId: 'SRC-SHARED' }, { identifier: 'ID-SHARED' }, { email: 'SHARED@example.ORG' }]) {
      const res = await t
        .http()
        .get('/api/v1/students')
        .query(query)
        .set(...bearer(t.adminToken))
        .expect(200);
      expect(res.body.data.map((s: { districtId: string }) => s.districtId).sort()).toEqual([districtA, districtB].sort());
    }
  });

  it('confines a district token to its own district for the same lookups', async () => {
    const tech = await tokenFor(t, 'tech', districtB);
    const devicesRes = await t
      .http()
      .get('/api/v1/devices')
      .query({ assetTag: 'CB-SHARED' })
      .set(...bearer(tech))
      .expect(200);
    expect(devicesRes.body.data.map((d: { districtId: string }) => d.districtId)).toEqual([districtB]);
    const studentsRes = await t
      .http()
      .get('/api/v1/students')
      .query({ sourcedId: 'SRC-SHARED' })
      .set(...bearer(tech))
      .expect(200);
    expect(studentsRes.body.data.map((s: { districtId: string }) => s.districtId)).toEqual([districtB]);
    // Exact means exact: part of a sourced id finds nothing.
    const partial = await t
      .http()
      .get('/api/v1/students')
      .query({ sourcedId: 'SRC-SHA' })
      .set(...bearer(tech))
      .expect(200);
    expect(partial.body.data).toEqual([]);
  });

  it('refuses a lookup value that is too long, naming the field', async () => {
    const res = await t
      .http()
      .get('/api/v1/students')
      .query({ email: `${'x'.repeat(320)}@example.org` })
      .set(...bearer(t.adminToken))
      .expect(400);
    expect(JSON.stringify(res.body)).toContain('email');
  });
});
