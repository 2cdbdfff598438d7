import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { DataSource, type MigrationInterface } from 'typeorm';
import { MIGRATIONS } from '../migrations/index.js';
import { LoginEventPartitions1764002300000 } from '../migrations/1764002300000-login-event-partitions.js';
import { LoginEventWeeklyPartitions1764003600000 } from '../migrations/1764003600000-login-event-weekly-partitions.js';
import { Clock } from '../src/common/clock.js';
import { dataSourceOptions } from '../src/database/database-options.js';
import { dropDatabase, ensureDatabase, runMigrations } from '../src/database/database-setup.js';
import { LoginEventPartitionsProcessor } from '../src/login-events/login-event-partitions.processor.js';
import { Seed } from './support/seed.js';
import { bearer, startTestApp, testConfig, tokenFor, type TestApp } from './support/test-app.js';

/** Partitions of login_events by name, with the rows each holds. */
async function partitions(db: DataSource): Promise<Record<string, number>> {
  const rows = (await db.query(`
    SELECT c.relname AS name, (SELECT count(*) FROM login_events e WHERE e.tableoid = c.oid)::int AS rows
    FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
    WHERE i.inhparent = 'login_events'::regclass ORDER BY 1`)) as { name: string; rows: number }[];
  return Object.fromEntries(rows.map((r) => [r.name, r.rows]));
}

/** Each partition's range (ISO instants), by name; the default has none. */
async function bounds(db: DataSource): Promise<Record<string, [string, string]>> {
  const rows = (await db.query(`SELECT name, range_from AS "from", range_to AS "to" FROM login_events_partition_bounds()`)) as {
    name: string;
    from: Date;
    to: Date;
  }[];
  return Object.fromEntries(rows.map((r) => [r.name, [r.from.toISOString(), r.to.toISOString()]]));
}

/** Where each of a student's events is stored, by time. */
async function placement(db: DataSource, studentId: string): Promise<Record<string, string>> {
  const rows = (await db.query(
    `SELECT to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI') AS at, tableoid::regclass::text AS part
     FROM login_events WHERE student_id = $1 ORDER BY occurred_at`,
    [studentId],
  )) as { at: string; part: string }[];
  return Object.fromEntries(rows.map((r) => [r.at, r.part]));
}

describe('converting login_events to partitions', () => {
  const config = testConfig();
  const before = MIGRATIONS.slice(0, MIGRATIONS.indexOf(LoginEventPartitions1764002300000));
  let db: DataSource;

  beforeAll(async () => {
    await ensureDatabase(config.databaseUrl);
    db = new DataSource({ ...dataSourceOptions(config.databaseUrl), migrations: before });
    await db.initialize();
    await db.runMigrations({ transaction: 'each' });
  });

  afterAll(async () => {
    await db.destroy();
    await dropDatabase(config.databaseUrl);
  });

  it('keeps every row, puts each in its month, then keeps the months holding rows beside weeks, and still deduplicates and checks students', async () => {
    const seed = new Seed(db);
    const district = await seed.district();
    const student = await seed.student(district, await seed.school(district));
    const sourcedId = ((await db.query(`SELECT sourced_id FROM students WHERE id = $1`, [student])) as { sourced_id: string }[])[0]!
      .sourced_id;
    // As the imports stored them: the key is md5 of the source's id.
    await db.query(
      `INSERT INTO login_events (district_id, student_id, occurred_at, event, source, dedupe_key)
       SELECT $1, $2, t, 'login_success', 'api', md5('api:' || k)::uuid
       FROM (VALUES ('2025-03-31T23:59:59Z'::timestamptz, 'a'), ('2025-04-01T00:00:00Z', 'b'), ('2025-11-15T08:00:00Z', 'c')) v(t, k)`,
      [district, student],
    );

    // This migration first, then any later ones (the weekly partitions among them).
    const applied = await runMigrations(config.databaseUrl);
    expect(applied[0]).toBe('LoginEventPartitions1764002300000');
    expect(applied).toContain('LoginEventWeeklyPartitions1764003600000');

    expect(await placement(db, student)).toEqual({
      '2025-03-31T23:59': 'login_events_2025_03',
      '2025-04-01T00:00': 'login_events_2025_04',
      '2025-11-15T08:00': 'login_events_2025_11',
    });
    let parts = await partitions(db);
    // The months holding events stay; the empty ones (the monthly migration made them up to three months
    // ahead) gave way to weeks, up to 13 ahead; the default is empty.
    expect(Object.keys(parts).filter((name) => /^login_events_\d{4}_\d{2}$/.test(name))).toEqual([
      'login_events_2025_03',
      'login_events_2025_04',
      'login_events_2025_11',
    ]);
    const ahead = (await db.query(
      `SELECT 'login_events_' || to_char(date_trunc('week', now() AT TIME ZONE 'UTC') + interval '13 weeks', 'IYYY_"w"IW') AS name`,
    )) as { name: string }[];
    expect(parts[ahead[0]!.name]).toBe(0);
    expect(parts['login_events_default']).toBe(0);
    expect(Object.values(parts).reduce((a, b) => a + b, 0)).toBe(3);

    // Weeks beside the months (as the job makes them on 15 January 2026, keeping from July 2024): a week
    // a month covers gets no partition, one overlapping a month gets the rest of the week.
    await db.query(`SELECT login_events_ensure_partitions('2026-01-15T12:00:00Z', 13)`);
    const ranges = await bounds(db);
    expect(ranges['login_events_2025_w09']).toEqual(['2025-02-24T00:00:00.000Z', '2025-03-01T00:00:00.000Z']);
    expect(ranges['login_events_2025_w14']).toBeUndefined();
    expect(ranges['login_events_2025_w18']).toEqual(['2025-05-01T00:00:00.000Z', '2025-05-05T00:00:00.000Z']);
    expect(ranges['login_events_2025_w44']).toEqual(['2025-10-27T00:00:00.000Z', '2025-11-01T00:00:00.000Z']);
    expect(ranges['login_events_2025_w48']).toBeUndefined();
    expect(ranges['login_events_2025_w49']).toEqual(['2025-12-01T00:00:00.000Z', '2025-12-08T00:00:00.000Z']);
    await db.query(
      `INSERT INTO login_events (district_id, student_id, occurred_at, event, source, dedupe_key)
       SELECT $1, $2, t, 'login_success', 'api', md5('api:' || k)::uuid
       FROM (VALUES ('2025-10-31T23:59:59Z'::timestamptz, 'd'), ('2025-11-30T12:00:00Z', 'e')) v(t, k)`,
      [district, student],
    );
    expect(await placement(db, student)).toMatchObject({
      '2025-10-31T23:59': 'login_events_2025_w44',
      '2025-11-30T12:00': 'login_events_2025_11',
    });
    parts = await partitions(db);
    expect(parts['login_events_default']).toBe(0);

    // The same event again is a duplicate, whichever partition holds it.
    const again = (await db.query(
      `INSERT INTO login_events (district_id, student_id, occurred_at, event, source, dedupe_key)
       VALUES ($1, $2, '2025-04-01T00:00:00Z', 'login_success', 'api', md5('api:b')::uuid)
       ON CONFLICT (district_id, occurred_at, dedupe_key) DO NOTHING RETURNING 1`,
      [district, student],
    )) as unknown[];
    expect(again).toHaveLength(0);
    // The statement trigger standing for the foreign key is on the new table.
    await expect(
      db.query(
        `INSERT INTO login_events (district_id, student_id, occurred_at, event, source, dedupe_key)
         VALUES ($1, gen_random_uuid(), now(), 'login_success', 'api', gen_random_uuid())`,
        [district],
      ),
    ).rejects.toMatchObject({ code: '23503' });
    // Deleting the student still removes its events, from every partition.
    expect(sourcedId).toBeTruthy();
    await db.query(`DELETE FROM students WHERE id = $1`, [student]);
    expect(((await db.query(`SELECT count(*)::int AS n FROM login_events`)) as { n: number }[])[0]!.n).toBe(0);
  });

  it('goes back to months when the weekly migration is reverted, and to weeks again, moving no row it need not', async () => {
    const seed = new Seed(db);
    const district = await seed.district();
    const student = await seed.student(district, await seed.school(district));
    await db.query(
      `INSERT INTO login_events (district_id, student_id, occurred_at, event, source, dedupe_key)
       SELECT $1, $2, t, 'login_success', 'api', gen_random_uuid()
       FROM unnest(ARRAY['2025-10-31T12:00:00Z', '2025-11-30T12:00:00Z', '2025-12-03T12:00:00Z']::timestamptz[]) t`,
      [district, student],
    );
    expect(await placement(db, student)).toEqual({
      '2025-10-31T12:00': 'login_events_2025_w44',
      '2025-11-30T12:00': 'login_events_2025_11',
      '2025-12-03T12:00': 'login_events_2025_w49',
    });
    const all = new DataSource({ ...dataSourceOptions(config.databaseUrl), migrations: MIGRATIONS });
    await all.initialize();
    // Later migrations are reverted first, those that build indexes CONCURRENTLY outside a transaction.
    const later = MIGRATIONS.slice(MIGRATIONS.indexOf(LoginEventWeeklyPartitions1764003600000) + 1);
    try {
      for (const migration of [...later].reverse())
        await all.undoLastMigration({ transaction: (new migration() as MigrationInterface).transaction === false ? 'none' : 'each' });
      await all.undoLastMigration({ transaction: 'each' });
    } finally {
      await all.destroy();
    }
    expect(await placement(db, student)).toEqual({
      '2025-10-31T12:00': 'login_events_2025_10',
      '2025-11-30T12:00': 'login_events_2025_11',
      '2025-12-03T12:00': 'login_events_2025_12',
    });
    expect(Object.keys(await partitions(db)).filter((name) => name.includes('_w'))).toEqual([]);

    expect(await runMigrations(config.databaseUrl)).toEqual([
      'LoginEventWeeklyPartitions1764003600000',
      ...later.map((migration) => migration.name),
    ]);
    // Months holding rows stay months.
    expect(await placement(db, student)).toEqual({
      '2025-10-31T12:00': 'login_events_2025_10',
      '2025-11-30T12:00': 'login_events_2025_11',
      '2025-12-03T12:00': 'login_events_2025_12',
    });
    expect((await partitions(db))['login_events_default']).toBe(0);
  });
});

describe('login-event partitions and retention', () => {
  let t: TestApp;
  let seed: Seed;
  let token: string;
  const students: Record<string, { id: string; sourcedId: string; districtId: string }> = {};
  /** The first run of the maintenance job, as of 4 December 2026. */
  let firstRun: Awaited<ReturnType<LoginEventPartitionsProcessor['handle']>> | undefined;

  async function student(name: string, districtId: string, schoolId: string): Promise<void> {
    const id = await seed.student(districtId, schoolId, { learningModel: 'remote' });
    const rows = (await t.db.query(`SELECT sourced_id FROM students WHERE id = $1`, [id])) as { sourced_id: string }[];
    students[name] = { id, sourcedId: rows[0]!.sourced_id, districtId };
  }

  async function post(name: string, ...times: string[]): Promise<number> {
    const s = students[name]!;
    const res = await t
      .http()
      .post('/api/v1/login-events')
      .set(...bearer(token))
      .send({
        districtId: s.districtId,
        events: times.map((occurredAt) => ({ studentSourcedId: s.sourcedId, occurredAt, event: 'login_success', uniqueId: occurredAt })),
      })
      .expect(200);
    return (res.body as { inserted: number }).inserted;
  }

  async function maintainAsOf(at: string): Promise<{ created: string[]; dropped: string[]; expired: Record<string, number> }> {
    const clock = jest.spyOn(t.app.get(Clock), 'now').mockReturnValue(new Date(at));
    try {
      return await t.app.get(LoginEventPartitionsProcessor).handle();
    } finally {
      clock.mockRestore();
    }
  }

  async function weekly(districtId: string, monday: string): Promise<unknown> {
    const res = await t
      .http()
      .get(`/api/v1/reports/weekly-learning-model?districtId=${districtId}&weekOf=${monday}`)
      .set(...bearer(token))
      .expect(200);
    return res.body;
  }

  beforeAll(async () => {
    t = await startTestApp();
    seed = new Seed(t.db);
    token = await tokenFor(t, 'state_admin', null);
    // Both keep events from 20 August 2025 on (2 school years) as of December 2026; "short" from 20 August 2026.
    const year = { school_year_start: '2026-08-20', school_year_end: '2027-06-15' };
    for (const [name, years] of [
      ['long', 2],
      ['short', 1],
    ] as const) {
      const districtId = await seed.district();
      await t.db.query(`UPDATE districts SET school_year_start = $2, school_year_end = $3, login_retention_years = $4 WHERE id = $1`, [
        districtId,
        year.school_year_start,
        year.school_year_end,
        years,
      ]);
      const schoolId = await seed.school(districtId);
      for (const n of [1, 2, 3, 4]) await student(`${name}${n}`, districtId, schoolId);
    }
    // A fixed layout whatever today is: no weekly partition yet, and August 2025 as a database upgraded
    // from months keeps it (a month holding events), beside the weeks the job makes.
    for (const name of Object.keys(await partitions(t.db)).filter((n) => n !== 'login_events_default'))
      await t.db.query(`DROP TABLE "${name}"`);
    await t.db.query(
      `CREATE TABLE login_events_2025_08 PARTITION OF login_events FOR VALUES FROM ('2025-08-01T00:00:00Z') TO ('2025-09-01T00:00:00Z')`,
    );
  });

  afterAll(async () => {
    await t?.close();
  });

  it('stores events of a week with no partition in the default one, and gives them their week on the next run', async () => {
    expect(await post('long1', '2025-07-10T15:00:00Z', '2025-08-10T15:00:00Z', '2026-09-29T15:00:00Z')).toBe(3);
    expect(await post('long2', '2026-10-02T15:00:00Z')).toBe(1);
    expect(await post('long3', '2026-10-05T15:00:00Z')).toBe(1);
    expect(await post('short1', '2025-07-10T15:00:00Z', '2025-08-10T15:00:00Z', '2026-01-15T15:00:00Z', '2026-09-29T15:00:00Z')).toBe(4);
    // Older than any retention, and further ahead than any partition: still stored.
    expect(await post('long4', '2019-03-10T15:00:00Z', '2031-01-10T15:00:00Z')).toBe(2);
    expect(await placement(t.db, students['long4']!.id)).toEqual({
      '2019-03-10T15:00': 'login_events_default',
      '2031-01-10T15:00': 'login_events_default',
    });
    // The student's last login moved as for any other event.
    const last = (await t.db.query(`SELECT last_login_at FROM students WHERE id = $1`, [students['long4']!.id])) as {
      last_login_at: Date;
    }[];
    expect(last[0]!.last_login_at.toISOString()).toBe('2031-01-10T15:00:00.000Z');
    // The week of 28 September 2026 spans two months: long1 and long2 logged in, long3 only after it.
    const before = await weekly(students['long1']!.districtId, '2026-09-28');
    expect(before).toMatchObject({
      rows: expect.arrayContaining([expect.objectContaining({ grade: null, remote: 4, remoteNotConnected: 2 })]),
    });

    firstRun = await maintainAsOf('2026-12-04T12:00:00Z');
    // Weeks (Mondays) out of the default and from long's retention on; August 2025's weeks keep their month.
    expect(firstRun.created).toEqual(expect.arrayContaining(['2019-03-04', '2025-07-07', '2025-09-01', '2031-01-06']));
    expect(firstRun.created).not.toContain('2025-08-25');
    expect(await placement(t.db, students['long4']!.id)).toEqual({ '2031-01-10T15:00': 'login_events_2031_w02' });
    expect(await placement(t.db, students['long2']!.id)).toEqual({ '2026-10-02T15:00': 'login_events_2026_w40' });
    expect(await placement(t.db, students['long1']!.id)).toMatchObject({ '2026-09-29T15:00': 'login_events_2026_w40' });
    // The same report once the job ran.
    expect(await weekly(students['long1']!.districtId, '2026-09-28')).toEqual(before);
    // A duplicate of an event in its month's partition is still one.
    expect(await post('long2', '2026-10-02T15:00:00Z')).toBe(0);
  });

  it('drops only whole partitions past every district, deletes the older events of a shorter retention, and audits both', async () => {
    const result = firstRun!;
    // long keeps from 2025-08-20 (New York): the weeks of March 2019 and July 2025 are past both; the month
    // of August 2025, partly expired, still holds some of long's and stays whole.
    expect(result.dropped).toEqual(['login_events_2019_w10', 'login_events_2025_w28']);
    expect(result.expired).toEqual({ [students['short1']!.districtId]: 2 });
    const parts = await partitions(t.db);
    expect(parts['login_events_2025_w28']).toBeUndefined();
    expect(parts['login_events_2025_08']).toBe(1);
    expect(parts['login_events_default']).toBe(0);
    expect(await placement(t.db, students['long1']!.id)).toEqual({
      '2025-08-10T15:00': 'login_events_2025_08',
      '2026-09-29T15:00': 'login_events_2026_w40',
    });
    expect(await placement(t.db, students['short1']!.id)).toEqual({ '2026-09-29T15:00': 'login_events_2026_w40' });

    const audits = (await t.db.query(
      `SELECT actor, district_id AS "districtId", entity_type AS "entityType", entity_id AS "entityId", action, before
       FROM audit_events WHERE entity_type IN ('login_events_partition', 'login_events') ORDER BY id`,
    )) as Record<string, unknown>[];
    const dropped = (name: string, from: string, to: string) => ({
      actor: 'system',
      districtId: null,
      entityType: 'login_events_partition',
      entityId: name,
      action: 'drop',
      before: { from, to, approximateRows: expect.any(Number) },
    });
    expect(audits).toEqual([
      dropped('login_events_2019_w10', '2019-03-04T00:00:00.000Z', '2019-03-11T00:00:00.000Z'),
      dropped('login_events_2025_w28', '2025-07-07T00:00:00.000Z', '2025-07-14T00:00:00.000Z'),
      {
        actor: 'system',
        districtId: students['short1']!.districtId,
        entityType: 'login_events',
        entityId: students['short1']!.districtId,
        action: 'expire',
        before: { occurredBefore: '2026-08-20T04:00:00.000Z', events: 2 },
      },
    ]);

    // Nothing more to do on a second run.
    expect(await maintainAsOf('2026-12-04T12:00:00Z')).toEqual({ created: [], dropped: [], expired: {} });
  });

  it('creates the partitions of the coming weeks ahead of time', async () => {
    const result = await maintainAsOf('2030-05-10T12:00:00Z');
    // The week of 6 May 2030 and the 13 after it.
    expect(result.created).toEqual(expect.arrayContaining(['2030-05-06', '2030-05-13', '2030-07-29', '2030-08-05']));
    expect(result.created).not.toContain('2030-08-12');
    expect(await post('long3', '2030-08-11T23:00:00Z')).toBe(1);
    expect(await placement(t.db, students['long3']!.id)).toMatchObject({ '2030-08-11T23:00': 'login_events_2030_w32' });
    // Four years on, every partition before long's retention (from 20 August 2029) is gone, month and weeks.
    expect(result.dropped).toEqual(expect.arrayContaining(['login_events_2025_08', 'login_events_2025_w36', 'login_events_2026_w40']));
  });
});
