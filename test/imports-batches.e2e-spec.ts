import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { ImportsRepository } from '../src/imports/imports.repository.js';
import { bearer, startTestApp, type TestApp } from './support/test-app.js';
import { count, createDistrict, createSchool, importFile, manifest, ORGS_HEADER, USERS_HEADER, zipOf } from './fixtures/imports/support.js';

// Batches of 100 rows, applied two at a time: every file below spans several batches.
let t: TestApp;

beforeAll(async () => {
  t = await startTestApp({ worker: true, env: { IMPORT_BATCH_ROWS: '100' } });
});
afterAll(async () => {
  await t?.close();
});

const ORGS = [ORGS_HEADER, 'sch-a,,,School A,school,SA,', 'sch-b,,,School B,school,SB,'].join('\n');
const user = (id: string, family: string, org = 'sch-a'): string =>
  [id, '', '', 'true', org, 'student', '', '', 'Given', family, '', '', '', '', '', '', '09', ''].join(',');
const roster = (ids: number[], family: (i: number) => string = () => 'Family'): string =>
  [USERS_HEADER, ...ids.map((i) => user(`s-${i}`, family(i)))].join('\n');
const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('a first load into an empty table', () => {
  it('applies the first batch alone and analyses the table before the next batch is planned', async () => {
    // Planned on an empty table's statistics, the next batches' key probes scanned every row written before.
    const reltuples = async (): Promise<number> => count(t, `SELECT reltuples AS n FROM pg_class WHERE oid = 'devices'::regclass`);
    expect(await reltuples()).toBeLessThanOrEqual(0);
    const district = await createDistrict(t, 'bat-first');
    const devices = ['Serial,Category', ...range(1, 250).map((i) => `FIRST${i},Chromebooks`)].join('\n');
    const result = await importFile(t, 'devices', district, devices, 'devices.csv');
    expect(result).toMatchObject({ status: 'completed', counts: { rows: 250, created: 250, failed: 0 } });
    // Analysed once, after the first batch of 100: no later batch found the table nearly empty.
    expect(await reltuples()).toBe(100);
  });

  it('overlaps the first batch with the next when the statistics already expect the district', async () => {
    // Running every first batch alone cost a small state's many small files their second core (issue #17).
    const devices = (prefix: string): string => ['Serial,Category', ...range(1, 250).map((i) => `${prefix}${i},Chromebooks`)].join('\n');
    const district = await createDistrict(t, 'bat-known');
    await importFile(t, 'devices', district, devices('KNOWNA'), 'devices.csv');
    await t.db.query('ANALYZE devices');

    // The first batch's totals wait (at most 2 s) for the second batch to take its turn: it does only if
    // the second was dispatched while the first was still open.
    const imports = t.app.get(ImportsRepository);
    const events: string[] = [];
    const turns = new Set<number>();
    let secondStarted = (): void => undefined;
    const second = new Promise<void>((resolve) => {
      secondStarted = resolve;
    });
    const takeTurn = imports.takeBatchTurn.bind(imports);
    const saveTotals = imports.saveTotals.bind(imports);
    const turnSpy = jest.spyOn(imports, 'takeBatchTurn').mockImplementation(async (em, id, seq) => {
      if (!turns.has(seq)) {
        turns.add(seq);
        events.push('start');
        if (turns.size === 2) secondStarted();
      }
      return takeTurn(em, id, seq);
    });
    const saveSpy = jest.spyOn(imports, 'saveTotals').mockImplementation(async (em, id, totals) => {
      if (!events.includes('end')) await Promise.race([second, new Promise((resolve) => setTimeout(resolve, 2000))]);
      events.push('end');
      return saveTotals(em, id, totals);
    });
    try {
      const result = await importFile(t, 'devices', district, devices('KNOWNB'), 'devices.csv');
      expect(result).toMatchObject({ status: 'completed', counts: { rows: 250, created: 250, failed: 0 } });
    } finally {
      turnSpy.mockRestore();
      saveSpy.mockRestore();
    }
    expect(events.slice(0, 3)).toEqual(['start', 'start', 'end']);
    // Not analysed again: its statistics already held more than a batch of the district.
    expect(await count(t, `SELECT reltuples AS n FROM pg_class WHERE oid = 'devices'::regclass`)).toBe(
      (await count(t, 'SELECT count(*) AS n FROM devices')) - 250,
    );
  });

  it("analyses a filled table after a new district's first batch, and not for a file of one batch", async () => {
    // In a state, each district's first load comes after others': statistics that did not know the
    // district planned its second batch's probes as scans of the district's rows (120 s for 404,340 devices).
    const reltuples = async (): Promise<number> => count(t, `SELECT reltuples AS n FROM pg_class WHERE oid = 'devices'::regclass`);
    const devices = (prefix: string, n: number): string =>
      ['Serial,Category', ...range(1, n).map((i) => `${prefix}${i},Chromebooks`)].join('\n');
    await t.db.query('ANALYZE devices');
    const before = await count(t, 'SELECT count(*) AS n FROM devices');
    expect(await reltuples()).toBe(before);

    const small = await createDistrict(t, 'bat-new-small');
    await importFile(t, 'devices', small, devices('SMALL', 60), 'devices.csv');
    expect(await reltuples()).toBe(before);

    const district = await createDistrict(t, 'bat-new');
    const result = await importFile(t, 'devices', district, devices('NEW', 250), 'devices.csv');
    expect(result).toMatchObject({ status: 'completed', counts: { rows: 250, created: 250, failed: 0 } });
    // Analysed once its first batch of 100 had committed.
    expect(await reltuples()).toBe(before + 60 + 100);
    const plan = (await t.db.query(`EXPLAIN (FORMAT JSON) SELECT FROM devices WHERE district_id = $1`, [district])) as {
      'QUERY PLAN': [{ Plan: { 'Plan Rows': number } }];
    }[];
    expect(plan[0]!['QUERY PLAN'][0].Plan['Plan Rows']).toBeGreaterThanOrEqual(100);
  });
});

describe('batches applied side by side', () => {
  it('commit in file order: a student named again in a later batch ends as the later row says', async () => {
    const district = await createDistrict(t, 'bat-a');
    // s-1..s-50 come back 300 lines later under a new name, in batches that overlap the first ones.
    const users = [
      USERS_HEADER,
      ...range(1, 300).map((i) => user(`s-${i}`, 'First')),
      ...range(1, 50).map((i) => user(`s-${i}`, 'Second', 'sch-b')),
    ].join('\n');
    const result = await importFile(
      t,
      'oneroster',
      district,
      await zipOf({ 'manifest.csv': manifest('bulk', 'bulk'), 'orgs.csv': ORGS, 'users.csv': users }),
      'r.zip',
    );
    expect(result).toMatchObject({ status: 'completed', counts: { rows: 352, created: 302, updated: 50, unchanged: 0, failed: 0 } });
    const renamed = (await t.db.query(
      `SELECT count(*)::int AS n FROM students st JOIN schools sc ON sc.id = st.school_id WHERE st.district_id = $1 AND st.family_name = 'Second' AND sc.code = 'SB'`,
      [district],
    )) as { n: number }[];
    expect(renamed[0]!.n).toBe(50);

    // The audit of a record holds its creation and each change, the change naming only what changed.
    const [s1] = (await t.db.query(`SELECT id, school_id FROM students WHERE district_id = $1 AND sourced_id = 's-1'`, [district])) as {
      id: string;
      school_id: string;
    }[];
    const audit = await t
      .http()
      .get('/api/v1/audit-events')
      .query({ entityType: 'student', entityId: s1!.id })
      .set(...bearer(t.adminToken))
      .expect(200);
    const [update, create] = audit.body.data as {
      action: string;
      before: unknown;
      after: unknown;
      requestId: string;
      entityIds: string[] | null;
    }[];
    // Created in the first batch's one audit row; what it was created with is in the update's "before".
    expect(create).toMatchObject({ action: 'create', before: null, after: { importId: result.id, firstLine: 2 } });
    expect(create!.entityIds).toContain(s1!.id);
    expect(update).toMatchObject({ action: 'update', requestId: `import:${result.id}` });
    expect(update!.before).toEqual({ familyName: 'First', schoolId: expect.any(String) });
    expect(update!.after).toEqual({ familyName: 'Second', schoolId: s1!.school_id });
    expect(audit.body.data).toHaveLength(2);

    // The next bulk file names s-1..s-250 only: the other 50 are withdrawn, in one pass at the end
    // (a sixth of the district: more than the default share that waits for confirmation).
    await t.db.query(`UPDATE districts SET roster_withdrawal_limit_percent = 20 WHERE id = $1`, [district]);
    const again = await importFile(
      t,
      'oneroster',
      district,
      await zipOf({
        'manifest.csv': manifest('absent', 'bulk'),
        'users.csv': roster(range(1, 250), (i) => (i <= 50 ? 'Second' : 'First')),
      }),
      'r2.zip',
    );
    expect(again).toMatchObject({
      status: 'completed',
      counts: { rows: 250, created: 0, updated: 50, unchanged: 200 },
      stats: { withdrawn: 50 },
    });
    expect(
      await count(t, `SELECT count(*) AS n FROM students WHERE district_id = $1 AND enrollment_status = 'withdrawn'`, [district]),
    ).toBe(50);
    expect(await count(t, `SELECT count(*) AS n FROM import_seen_keys`)).toBe(0);
  });

  it('end the same way when two batches in flight write the same students', async () => {
    const district = await createDistrict(t, 'bat-d');
    await createSchool(t, district, 'SA', 'School A', 'sch-a');
    // Lines 2-101 and 102-201 (batches 1 and 2, applied side by side) create the same students: whichever
    // gets to a student first, the second batch's row is the one that stays.
    const users = [
      USERS_HEADER,
      ...range(1, 100).map((i) => user(`s-${i}`, 'First')),
      ...range(1, 100).map((i) => user(`s-${i}`, 'Second')),
    ].join('\n');
    const result = await importFile(
      t,
      'oneroster',
      district,
      await zipOf({ 'manifest.csv': manifest('absent', 'delta'), 'users.csv': users }),
      'r.zip',
    );
    expect(result).toMatchObject({ status: 'completed', counts: { rows: 200, created: 100, updated: 100, failed: 0 } });
    expect(await count(t, `SELECT count(*) AS n FROM students WHERE district_id = $1 AND family_name = 'Second'`, [district])).toBe(100);
  });

  it('store a login event once however far apart its copies are, and move last_login_at once the import ends', async () => {
    const district = await createDistrict(t, 'bat-b');
    const school = await createSchool(t, district, 'S');
    await t.db.query(
      `INSERT INTO students (district_id, school_id, sourced_id, given_name, family_name) SELECT $1, $2, 'r-' || i, 'G', 'F' FROM generate_series(1, 20) i`,
      [district, school],
    );
    const lines = ['occurred_at,student_sourced_id,source,event,unique_id'];
    for (let i = 0; i < 400; i += 1) {
      const day = String(1 + (i % 28)).padStart(2, '0');
      lines.push(`2020-10-${day}T12:00:00Z,r-${(i % 20) + 1},lms,${i % 3 ? 'login_success' : 'logout'},k-${i}`);
    }
    // The first 150 events again, in the batches that the first copies are applied beside.
    lines.push(...lines.slice(1, 151));
    const result = await importFile(t, 'login-events', district, lines.join('\n'), 'logins.csv');
    expect(result).toMatchObject({
      status: 'completed',
      counts: { rows: 550, created: 400, unchanged: 150, failed: 0 },
      stats: { duplicates: 150, notStudents: 0 },
    });
    expect(await count(t, `SELECT count(*) AS n FROM login_events WHERE district_id = $1`, [district])).toBe(400);
    const wrong = await count(
      t,
      `SELECT count(*) AS n FROM students s
       WHERE s.district_id = $1 AND s.last_login_at IS DISTINCT FROM (SELECT max(occurred_at) FROM login_events e WHERE e.student_id = s.id AND e.event = 'login_success')`,
      [district],
    );
    expect(wrong).toBe(0);
    expect(await count(t, `SELECT count(*) AS n FROM import_latest_logins`)).toBe(0);
  });

  it('keep what committed batches did when the file turns out broken further down', async () => {
    const district = await createDistrict(t, 'bat-c');
    const school = await createSchool(t, district, 'S');
    await t.db.query(
      `INSERT INTO students (district_id, school_id, sourced_id, given_name, family_name) VALUES ($1, $2, 'r-1', 'G', 'F')`,
      [district, school],
    );
    const lines = ['occurred_at,student_sourced_id,source,event,unique_id'];
    for (let i = 0; i < 300; i += 1)
      lines.push(`2020-10-05T${String(8 + (i % 10)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}:00Z,r-1,lms,login_success,k-${i}`);
    lines.push('2020-10-06T09:00:00Z,r-1,lms,login_success,"never closed');
    const result = await importFile(t, 'login-events', district, lines.join('\n'), 'broken.csv');
    expect(result).toMatchObject({ status: 'failed', errorSummary: expect.stringMatching(/not valid CSV at line 302/) });
    const stored = await count(t, `SELECT count(*) AS n FROM login_events WHERE district_id = $1`, [district]);
    expect(stored).toBe(result.counts.created);
    expect(stored).toBeGreaterThan(0);
    const [student] = (await t.db.query(`SELECT last_login_at FROM students WHERE district_id = $1`, [district])) as {
      last_login_at: Date | null;
    }[];
    const [newest] = (await t.db.query(`SELECT max(occurred_at) AS at FROM login_events WHERE district_id = $1`, [district])) as {
      at: Date;
    }[];
    expect(student!.last_login_at).toEqual(newest!.at);
  });
});
