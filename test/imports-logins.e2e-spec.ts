import { execFile } from 'node:child_process';
import { access, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ImportRunner } from '../src/imports/import-runner.js';
import { ImportsService } from '../src/imports/imports.service.js';
import { bearer, startTestApp, tokenFor, type TestApp } from './support/test-app.js';
import { count, createDistrict, createSchool, fixture, importFile } from './fixtures/imports/support.js';

let t: TestApp;
let district: string;
let ava: string;

beforeAll(async () => {
  t = await startTestApp({ worker: true, env: { IMPORT_BATCH_ROWS: '100' } });
  district = await createDistrict(t, 'log-a');
  const school = await createSchool(t, district, 'LHS');
  const rows = (await t.db.query(
    `INSERT INTO students (district_id, school_id, sourced_id, given_name, family_name, email)
     VALUES ($1, $2, 'st-ava', 'Ava', 'Jones', 'ava.jones@students.groton.org'), ($1, $2, 'st-ben', 'Ben', 'Smith', 'ben.smith@students.groton.org')
     RETURNING id`,
    [district, school],
  )) as { id: string }[];
  ava = rows[0]!.id;
});
afterAll(async () => {
  await t?.close();
});

const lastLogins = async (): Promise<Record<string, string | null>> => {
  const rows = (await t.db.query(`SELECT sourced_id, last_login_at FROM students WHERE district_id = $1`, [district])) as {
    sourced_id: string;
    last_login_at: Date | null;
  }[];
  return Object.fromEntries(rows.map((r) => [r.sourced_id, r.last_login_at?.toISOString() ?? null]));
};

/** A district of 50 students and a command-line import of 350 of their logins (3-4 batches of 100). */
async function localLoginImport(code: string): Promise<{ district: string; id: string; dir: string; path: string }> {
  const district = await createDistrict(t, code);
  const school = await createSchool(t, district, 'S');
  await t.db.query(
    `INSERT INTO students (district_id, school_id, sourced_id, given_name, family_name) SELECT $1, $2, 'r-' || i, 'G', 'F' FROM generate_series(1, 50) i`,
    [district, school],
  );
  const lines = ['occurred_at,student_sourced_id,source,event,unique_id'];
  for (let i = 0; i < 350; i += 1)
    lines.push(`2020-10-05T${String(8 + (i % 10)).padStart(2, '0')}:00:00Z,r-${(i % 50) + 1},lms,login_success,k-${i}`);
  const dir = await mkdtemp(join(tmpdir(), 'rct-logins-'));
  const path = join(dir, 'logins.csv');
  await writeFile(path, lines.join('\n'));
  return { district, id: await t.app.get(ImportsService).createLocal(district, 'login-events', path), dir, path };
}

describe('login-events import', () => {
  it('stores Google login activity once across overlapping exports, and moves last_login_at to the newest success', async () => {
    const first = await importFile(t, 'login-events', district, await fixture('google-logins-1.json'), 'logins-1.json');
    expect(first.status).toBe('completed');
    // A teacher's login is not ours: skipped and counted, not a failure.
    expect(first.counts).toEqual({ rows: 5, created: 4, updated: 0, unchanged: 0, failed: 0, skipped: 1 });
    expect(first.stats).toEqual({ notStudents: 1, duplicates: 0 });
    expect(first.errors.data).toEqual([]);
    // The logout after the login is stored, but is not activity.
    expect(await lastLogins()).toEqual({ 'st-ava': '2020-10-05T13:02:11.000Z', 'st-ben': '2020-10-06T08:10:00.000Z' });

    const second = await importFile(t, 'login-events', district, await fixture('google-logins-2.json'), 'logins-2.json');
    expect(second.counts).toEqual({ rows: 4, created: 2, updated: 0, unchanged: 2, failed: 0, skipped: 0 });
    expect(second.stats).toEqual({ notStudents: 0, duplicates: 2 });
    // An older login in the newer file does not move the date back.
    expect(await lastLogins()).toEqual({ 'st-ava': '2020-10-07T09:00:00.000Z', 'st-ben': '2020-10-06T08:10:00.000Z' });
    // Each move of last_login_at moved the student's version (its ETag) once: Ava's twice, Ben's once.
    const versions = (await t.db.query(`SELECT sourced_id, version FROM students WHERE district_id = $1 ORDER BY sourced_id`, [
      district,
    ])) as { sourced_id: string; version: number }[];
    expect(versions).toEqual([
      { sourced_id: 'st-ava', version: 3 },
      { sourced_id: 'st-ben', version: 2 },
    ]);
    expect(await count(t, `SELECT count(*) AS n FROM login_events WHERE district_id = $1`, [district])).toBe(6);
    const events = (await t.db.query(
      `SELECT event, count(*)::int AS n FROM login_events WHERE student_id = $1 GROUP BY event ORDER BY event`,
      [ava],
    )) as unknown[];
    expect(events).toEqual([
      { event: 'login_success', n: 3 },
      { event: 'logout', n: 1 },
    ]);
  });

  it('reads the generic CSV by sourcedId or email, reporting bad rows and skipping unknown accounts', async () => {
    const result = await importFile(t, 'login-events', district, await fixture('logins.csv'), 'logins.csv');
    expect(result.counts).toEqual({ rows: 6, created: 2, updated: 0, unchanged: 1, failed: 2, skipped: 1 });
    expect(result.stats).toEqual({ notStudents: 1, duplicates: 1 });
    expect(result.errors.data.map((e) => [e.line, e.field])).toEqual([
      [4, 'studentSourcedId'],
      [5, 'occurredAt'],
    ]);
    expect(await lastLogins()).toEqual({ 'st-ava': '2020-10-08T12:00:00.000Z', 'st-ben': '2020-10-08T16:05:00.000Z' });
  });

  it('resumes a killed import after its last committed batch, without duplicates', async () => {
    const { district: other, id, dir, path } = await localLoginImport('log-b');
    const runner = t.app.get(ImportRunner);

    // The worker dies after its first committed batch: the retry must not start over.
    let batches = 0;
    const crash = runner.run(id, {
      finalAttempt: false,
      onProgress: () => {
        batches += 1;
        if (batches === 1) throw new Error('worker killed');
      },
    });
    await expect(crash).rejects.toThrow('worker killed');
    const stopped = (await t.db.query(`SELECT status, rows_read, created, checkpoint FROM imports WHERE id = $1`, [id])) as Record<
      string,
      unknown
    >[];
    expect(stopped[0]).toMatchObject({
      status: 'queued',
      created: expect.any(Number),
      checkpoint: { part: 'login-events', line: expect.any(Number) },
    });
    const committed = await count(t, `SELECT count(*) AS n FROM login_events WHERE district_id = $1`, [other]);
    expect(committed).toBe(stopped[0]!['created']);
    expect(committed).toBeGreaterThanOrEqual(100);
    expect(committed).toBeLessThan(350);

    const resumed = await runner.run(id);
    expect(resumed).toMatchObject({ status: 'completed', rows: 350, created: 350, unchanged: 0, failed: 0 });
    expect(await count(t, `SELECT count(*) AS n FROM login_events WHERE district_id = $1`, [other])).toBe(350);

    // Running it again (a job delivered twice) does nothing: the import has ended.
    expect(await runner.run(id)).toMatchObject({ status: 'completed', rows: 350 });
    expect(await count(t, `SELECT count(*) AS n FROM login_events WHERE district_id = $1`, [other])).toBe(350);
    // A file given on the command line is the operator's: it is left where it was.
    await access(path);
    await rm(dir, { recursive: true });
  });

  it('stops between batches when the worker shuts down, and resumes later, even on its last attempt', async () => {
    const { district: other, id, dir } = await localLoginImport('log-d');
    const runner = t.app.get(ImportRunner);

    const shutdown = new AbortController();
    const stopping = runner.run(id, { finalAttempt: true, signal: shutdown.signal, onProgress: () => shutdown.abort() });
    await expect(stopping).rejects.toThrow();
    const [stopped] = (await t.db.query(`SELECT status, error_summary, created FROM imports WHERE id = $1`, [id])) as Record<
      string,
      unknown
    >[];
    expect(stopped).toMatchObject({ status: 'queued', error_summary: expect.stringMatching(/shutdown/) });
    expect(stopped!['created']).toBeLessThan(350);

    expect(await runner.run(id)).toMatchObject({ status: 'completed', rows: 350, created: 350, failed: 0 });
    expect(await count(t, `SELECT count(*) AS n FROM login_events WHERE district_id = $1`, [other])).toBe(350);
    await rm(dir, { recursive: true });
  });
});

describe('POST /login-events', () => {
  const event = (n: number, extra: Record<string, string> = {}) => ({
    studentSourcedId: 'st-ben',
    occurredAt: `2020-10-09T1${n}:00:00Z`,
    source: 'canvas',
    event: 'login_success',
    uniqueId: `api-${n}`,
    ...extra,
  });

  it('records a batch set-based, counting duplicates and unknown students', async () => {
    const token = await tokenFor(t, 'tech', district);
    const body = {
      events: [
        event(1),
        event(2),
        event(1),
        { ...event(3), studentSourcedId: 'st-nobody' },
        { occurredAt: '2020-10-09T18:00:00+02:00', email: 'AVA.JONES@students.groton.org', event: 'logout' },
      ],
    };
    const res = await t
      .http()
      .post('/api/v1/login-events')
      .set(...bearer(token))
      .send(body)
      .expect(200);
    expect(res.body).toEqual({ received: 5, inserted: 3, duplicates: 1, unknownStudents: 1 });
    expect((await lastLogins())['st-ben']).toBe('2020-10-09T12:00:00.000Z');
    const again = await t
      .http()
      .post('/api/v1/login-events')
      .set(...bearer(token))
      .send(body)
      .expect(200);
    expect(again.body).toEqual({ received: 5, inserted: 0, duplicates: 4, unknownStudents: 1 });
    const stored = (await t.db.query(
      `SELECT source FROM login_events WHERE student_id = $1 AND event = 'logout' AND occurred_at = '2020-10-09T16:00:00Z'`,
      [ava],
    )) as unknown[];
    expect(stored).toEqual([{ source: 'api' }]);
  });

  it('rejects bad events naming their index, and writes nothing', async () => {
    const before = await count(t, `SELECT count(*) AS n FROM login_events`);
    const res = await t
      .http()
      .post('/api/v1/login-events')
      .set(...bearer(t.adminToken))
      .send({
        districtId: district,
        events: [event(4), { ...event(5), occurredAt: '2020-10-09 10:00' }, { ...event(6), studentSourcedId: undefined }],
      })
      .expect(400);
    expect(res.body.errors).toEqual([
      { field: 'events[1].occurredAt', message: expect.stringContaining('time zone') },
      { field: 'events[2].studentSourcedId', message: 'studentSourcedId or email is required' },
    ]);
    const typed = await t
      .http()
      .post('/api/v1/login-events')
      .set(...bearer(t.adminToken))
      .send({ districtId: district, events: [{ ...event(7), event: 5 }] })
      .expect(400);
    expect(typed.body.errors).toEqual([expect.objectContaining({ field: 'events[0].event' })]);
    const many = await t
      .http()
      .post('/api/v1/login-events')
      .set(...bearer(t.adminToken))
      .send({
        districtId: district,
        events: Array.from({ length: 10_001 }, () => ({
          studentSourcedId: 'x',
          occurredAt: '2020-10-09T10:00:00Z',
          event: 'login_success',
        })),
      })
      .expect(400);
    expect(many.body.errors).toEqual([expect.objectContaining({ field: 'events' })]);
    expect(await count(t, `SELECT count(*) AS n FROM login_events`)).toBe(before);
  });

  it('keeps each district to its own students', async () => {
    const other = await createDistrict(t, 'log-c');
    const theirs = await tokenFor(t, 'district_admin', other);
    await t
      .http()
      .post('/api/v1/login-events')
      .set(...bearer(theirs))
      .send({ districtId: district, events: [event(8)] })
      .expect(404);
    // In their own district, our students are unknown.
    const res = await t
      .http()
      .post('/api/v1/login-events')
      .set(...bearer(theirs))
      .send({ events: [event(8)] })
      .expect(200);
    expect(res.body).toEqual({ received: 1, inserted: 0, duplicates: 0, unknownStudents: 1 });
    const missing = await t
      .http()
      .post('/api/v1/login-events')
      .set(...bearer(t.adminToken))
      .send({ districtId: '00000000-0000-4000-8000-000000000000', events: [event(8)] })
      .expect(422);
    expect(missing.body.code).toBe('district_not_found');
    const auditor = await tokenFor(t, 'auditor', district);
    await t
      .http()
      .post('/api/v1/login-events')
      .set(...bearer(auditor))
      .send({ events: [event(8)] })
      .expect(403);
  });
});

describe('the reference from login events to students (statement triggers, not a foreign key)', () => {
  const insertEvent = (districtId: string, studentId: string, key: string): Promise<unknown> =>
    t.db.query(
      `INSERT INTO login_events (district_id, student_id, occurred_at, event, source, dedupe_key)
       VALUES ($1, $2, '2020-10-05T13:00:00Z', 'login_success', 'test', md5($3)::uuid)`,
      [districtId, studentId, key],
    );
  const sqlState = async (work: Promise<unknown>): Promise<{ code?: string; constraint?: string }> => {
    const error = (await work.then(
      () => null,
      (e: unknown) => e,
    )) as { driverError?: { code?: string; constraint?: string } } | null;
    return { code: error?.driverError?.code, constraint: error?.driverError?.constraint };
  };

  it('refuses an event naming no student of its district, as the foreign key did', async () => {
    const other = await createDistrict(t, 'log-ref');
    expect(await sqlState(insertEvent(district, '00000000-0000-4000-8000-000000000001', 'ref-1'))).toEqual({
      code: '23503',
      constraint: 'login_events_student_fkey',
    });
    // A student of another district is no student of this one.
    expect(await sqlState(insertEvent(other, ava, 'ref-2'))).toEqual({ code: '23503', constraint: 'login_events_student_fkey' });
    expect(await count(t, `SELECT count(*) AS n FROM login_events WHERE dedupe_key IN (md5('ref-1')::uuid, md5('ref-2')::uuid)`)).toBe(0);
  });

  it("removes a deleted student's events, and refuses to move a student with events to another key", async () => {
    const school = (await t.db.query(`SELECT school_id FROM students WHERE id = $1`, [ava])) as { school_id: string }[];
    const [cara] = (await t.db.query(
      `INSERT INTO students (district_id, school_id, sourced_id, given_name, family_name) VALUES ($1, $2, 'st-cara', 'Cara', 'Diaz') RETURNING id`,
      [district, school[0]!.school_id],
    )) as { id: string }[];
    await insertEvent(district, cara!.id, 'ref-3');
    expect(await sqlState(t.db.query(`UPDATE students SET id = gen_random_uuid() WHERE id = $1`, [cara!.id]))).toEqual({
      code: '23503',
      constraint: 'login_events_student_fkey',
    });
    await t.db.query(`DELETE FROM students WHERE id = $1`, [cara!.id]);
    expect(await count(t, `SELECT count(*) AS n FROM login_events WHERE student_id = $1`, [cara!.id])).toBe(0);
  });
});

describe('the insert whose students were resolved under the lock (login_events_lock_for_resolved_insert)', () => {
  const newStudent = async (sourcedId: string): Promise<string> => {
    const rows = (await t.db.query(
      `INSERT INTO students (district_id, school_id, sourced_id, given_name, family_name)
       SELECT district_id, school_id, $2, 'G', 'F' FROM students WHERE id = $1 RETURNING id`,
      [ava, sourcedId],
    )) as { id: string }[];
    return rows[0]!.id;
  };
  const insertSql = `INSERT INTO login_events (district_id, student_id, occurred_at, event, source, dedupe_key)
     VALUES ($1, $2, '2020-10-05T13:00:00Z', 'login_success', 'test', md5($3)::uuid)`;
  /** Runs `work` in a transaction of its own connection; answers the SQLSTATE it failed with, or null. */
  const inTransaction = async (
    work: (query: (text: string, params: unknown[]) => Promise<unknown>) => Promise<void>,
  ): Promise<string | null> => {
    const runner = t.db.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    try {
      await work((text, params) => runner.query(text, params));
      await runner.commitTransaction();
      return null;
    } catch (error) {
      await runner.rollbackTransaction();
      return (error as { driverError?: { code?: string } }).driverError?.code ?? 'unknown';
    } finally {
      await runner.release();
    }
  };

  it('is still checked when it names another district, and the mark covers one insert only', async () => {
    const other = await createDistrict(t, 'log-mark');
    // Marked for this district, an event of another one naming this district's student is refused.
    expect(
      await inTransaction(async (query) => {
        await query(`SELECT login_events_lock_for_resolved_insert($1)`, [district]);
        await query(insertSql, [other, ava, 'mark-1']);
      }),
    ).toBe('23503');
    // The mark is taken back by the insert after it: the next one is checked again.
    expect(
      await inTransaction(async (query) => {
        await query(`SELECT login_events_lock_for_resolved_insert($1)`, [district]);
        await query(insertSql, [district, ava, 'mark-2']);
        await query(insertSql, [district, '00000000-0000-4000-8000-000000000002', 'mark-3']);
      }),
    ).toBe('23503');
    // An insert naming a student of its district, marked, is stored.
    expect(
      await inTransaction(async (query) => {
        await query(`SELECT login_events_lock_for_resolved_insert($1)`, [district]);
        await query(insertSql, [district, ava, 'mark-4']);
      }),
    ).toBeNull();
    expect(
      await count(
        t,
        `SELECT count(*) AS n FROM login_events WHERE dedupe_key IN (md5('mark-1')::uuid, md5('mark-2')::uuid, md5('mark-3')::uuid, md5('mark-4')::uuid)`,
      ),
    ).toBe(1);
  });

  it('leaves no event of a student deleted while the insert held the lock: the deletion waits, then removes them', async () => {
    const dan = await newStudent('st-dan');
    const runner = t.db.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    try {
      await runner.query(`SELECT login_events_lock_for_resolved_insert($1)`, [district]);
      const deleting = t.db.query(`DELETE FROM students WHERE id = $1`, [dan]);
      // The deletion has removed the row and waits for the district's lock in its statement trigger.
      let waiting = 0;
      for (let tries = 0; waiting === 0 && tries < 250; tries += 1) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        waiting = await count(t, `SELECT count(*) AS n FROM pg_locks WHERE locktype = 'advisory' AND classid = 727004 AND NOT granted`);
      }
      expect(waiting).toBe(1);
      // The insert's snapshot still holds the student, found in students as the import finds it.
      await runner.query(
        `INSERT INTO login_events (district_id, student_id, occurred_at, event, source, dedupe_key)
         SELECT district_id, id, '2020-10-05T13:00:00Z', 'login_success', 'test', md5('dan-1')::uuid FROM students WHERE sourced_id = 'st-dan' AND district_id = $1`,
        [district],
      );
      await runner.commitTransaction();
      await deleting;
    } finally {
      await runner.release();
    }
    expect(await count(t, `SELECT count(*) AS n FROM login_events WHERE student_id = $1`, [dan])).toBe(0);
  });
});

describe('the import command', () => {
  const cli = join(process.cwd(), 'dist', 'src', 'imports', 'cli', 'import-cli.js');
  const run = async (args: string[]): Promise<{ code: number; stdout: string; stderr: string }> => {
    try {
      const { stdout, stderr } = await promisify(execFile)('node', [cli, ...args], {
        env: { ...process.env, DATABASE_URL: t.config.databaseUrl, LOG_LEVEL: 'silent' },
      });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const e = error as { code: number; stdout: string; stderr: string };
      return { code: e.code, stdout: e.stdout, stderr: e.stderr };
    }
  };

  it('imports a file in-process, with progress lines and the summary, and exits by the outcome', async () => {
    // The command runs from the build, as `npm run import` does (npm test builds first).
    await access(cli);
    const other = await createDistrict(t, 'cli-a');
    await createSchool(t, other, 'LHS', 'Lincoln High School');
    const ok = await run([
      '--kind',
      'devices',
      '--district',
      'cli-a',
      join(process.cwd(), 'test', 'fixtures', 'imports', 'snipeit-assets.csv'),
    ]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/completed in/);
    expect(ok.stdout).toMatch(/created\s+4/);
    expect(ok.stdout).toMatch(/line 6 serialNumber: is required/);
    expect(ok.stderr).toMatch(/devices 7 rows/);
    expect(await count(t, `SELECT count(*) AS n FROM devices WHERE district_id = $1`, [other])).toBe(4);
    const listed = await t
      .http()
      .get('/api/v1/imports')
      .query({ districtId: other })
      .set(...bearer(t.adminToken))
      .expect(200);
    expect(listed.body.data).toEqual([
      expect.objectContaining({ origin: 'cli', status: 'completed', fileName: 'snipeit-assets.csv', requestedBy: null }),
    ]);

    const failed = await run([
      '--kind',
      'hotspot-usage',
      '--district',
      other,
      join(process.cwd(), 'test', 'fixtures', 'imports', 'snipeit-assets.csv'),
    ]);
    // A file whose header does not fit is refused at once, as an upload is, and nothing is recorded.
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/^import: The header does not match: .*Nothing was imported\.\n {2}line 1 \w+: /);
    expect(await count(t, `SELECT count(*) AS n FROM imports WHERE district_id = $1`, [other])).toBe(1);
    const usage = await run(['--kind', 'devices', 'a.csv']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/--district is required/);
    const help = await run(['--help']);
    expect(help.stdout).toMatch(/Usage: npm run import -- --kind KIND --district DISTRICT FILE/);
  });
});
