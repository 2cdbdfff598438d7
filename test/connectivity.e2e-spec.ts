import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { GapScanEngine } from '../src/connectivity/gap-scan.engine.js';
import { GapScansService } from '../src/connectivity/gap-scans.service.js';
import { addDays, todayIn } from '../src/connectivity/school-days.js';
import { QueueService } from '../src/queue/queue.service.js';
import { Seed } from './support/seed.js';
import { bearer, startTestApp, tokenFor, waitForJob, type TestApp } from './support/test-app.js';

let t: TestApp;
let seed: Seed;

beforeAll(async () => {
  t = await startTestApp({ worker: true });
  seed = new Seed(t.db);
});
afterAll(async () => {
  await t?.close();
});

const DAY = 86_400_000;
const daysAgo = (n: number) => new Date(Date.now() - n * DAY).toISOString();

async function scan(token: string, body: Record<string, unknown>): Promise<Record<string, number | string>> {
  const accepted = await t
    .http()
    .post('/api/v1/gap-scans')
    .set(...bearer(token))
    .send(body)
    .expect(202);
  expect(accepted.body.status).toBe('queued');
  await waitForJob(t, 'gap-scans', accepted.body.id as string);
  const res = await t
    .http()
    .get(`/api/v1/gap-scans/${accepted.body.id}`)
    .set(...bearer(token))
    .expect(200);
  expect(res.body.status).toBe('completed');
  return res.body as Record<string, number | string>;
}

async function openTickets(studentId: string): Promise<{ type: string; reasons: string[]; id: string }[]> {
  return (await t.db.query(
    `SELECT id, type, reasons FROM tickets WHERE student_id = $1 AND status IN ('open','in_progress','waiting') ORDER BY type`,
    [studentId],
  )) as { type: string; reasons: string[]; id: string }[];
}

async function count(sql: string, params: unknown[] = []): Promise<number> {
  const rows = (await t.db.query(sql, params)) as { n: number }[];
  return rows[0]!.n;
}

describe('gap scan', () => {
  let district: string;
  let token: string;
  const s: Record<string, string> = {};

  beforeAll(async () => {
    district = await seed.district({ timeZone: 'UTC' });
    token = await tokenFor(t, 'district_admin', district);
    const school = await seed.school(district);
    // Logged in yesterday, working Chromebook: no gap.
    s.online = await seed.student(district, school, { lastLoginAt: daysAgo(1) });
    await seed.assign(district, await seed.device(district, school, { last_sync_at: daysAgo(1) }), s.online);
    // Never logged in, holds nothing, no internet at home.
    s.nothing = await seed.student(district, school, { homeInternet: 'no' });
    // Hybrid, silent for three weeks, broken Chromebook.
    s.broken = await seed.student(district, school, { learningModel: 'hybrid', lastLoginAt: daysAgo(21) });
    await seed.assign(district, await seed.device(district, school, { condition: 'broken' }), s.broken);
    // Working Chromebook, but the hotspot's line is suspended and there is no home internet.
    s.suspended = await seed.student(district, school, { homeInternet: 'no', lastLoginAt: daysAgo(21) });
    await seed.assign(district, await seed.device(district, school, { last_sync_at: daysAgo(1) }), s.suspended);
    await seed.assign(
      district,
      await seed.device(district, school, { kind: 'hotspot', line_status: 'suspended', imei: '35000000000001' }),
      s.suspended,
    );
    // Everything works: the cause is not technical.
    s.fine = await seed.student(district, school, { lastLoginAt: daysAgo(21) });
    await seed.assign(
      district,
      await seed.device(district, school, { last_sync_at: daysAgo(1), auto_update_through: '2099-01-01' }),
      s.fine,
    );
    // Disabled in Google and not synced for a month.
    s.disabled = await seed.student(district, school, { lastLoginAt: daysAgo(21) });
    await seed.assign(district, await seed.device(district, school, { google_status: 'DISABLED', last_sync_at: daysAgo(30) }), s.disabled);
    // A Chromebook with no Google data is judged on status and condition alone; internet unknown.
    s.noTelemetry = await seed.student(district, school, { homeInternet: 'unknown', lastLoginAt: daysAgo(21) });
    await seed.assign(district, await seed.device(district, school), s.noTelemetry);
    // Not expected online: in person, or withdrawn.
    s.inPerson = await seed.student(district, school, { learningModel: 'in_person' });
    s.withdrawn = await seed.student(district, school, { enrollmentStatus: 'withdrawn' });
  });

  it('opens gaps for silent remote and hybrid learners and raises the right ticket for each', async () => {
    const result = await scan(token, {});
    expect(result).toMatchObject({
      studentsScanned: 7,
      gapsOpened: 6,
      gapsClosed: 0,
      ticketsOpened: 7,
      ticketsUpdated: 0,
      districtId: district,
    });
    expect(result.asOf).toBe(todayIn('UTC'));

    expect(await openTickets(s.online!)).toEqual([]);
    expect((await openTickets(s.nothing!)).map((x) => [x.type, x.reasons])).toEqual([
      ['connectivity', ['no_internet']],
      ['replacement', ['no_device']],
    ]);
    expect((await openTickets(s.broken!)).map((x) => [x.type, x.reasons])).toEqual([['replacement', ['device_broken']]]);
    expect((await openTickets(s.suspended!)).map((x) => [x.type, x.reasons])).toEqual([['connectivity', ['hotspot_suspended']]]);
    expect((await openTickets(s.fine!)).map((x) => [x.type, x.reasons])).toEqual([['outreach', []]]);
    expect((await openTickets(s.disabled!)).map((x) => [x.type, x.reasons])).toEqual([
      ['replacement', ['device_disabled', 'device_not_syncing']],
    ]);
    expect((await openTickets(s.noTelemetry!)).map((x) => [x.type, x.reasons])).toEqual([['connectivity', ['internet_unknown']]]);
    expect(await openTickets(s.inPerson!)).toEqual([]);
    expect(await openTickets(s.withdrawn!)).toEqual([]);

    const gap = (await t.db.query(`SELECT last_login_at, opened_as_of::text AS as_of FROM gaps WHERE student_id = $1`, [s.broken])) as {
      last_login_at: Date;
      as_of: string;
    }[];
    expect(gap).toHaveLength(1);
    expect(gap[0]!.last_login_at.toISOString().slice(0, 10)).toBe(daysAgo(21).slice(0, 10));

    const detail = await t
      .http()
      .get(`/api/v1/tickets/${(await openTickets(s.suspended!))[0]!.id}`)
      .set(...bearer(token))
      .expect(200);
    expect(detail.body.evidence).toMatchObject({
      homeInternet: 'no',
      hotspots: [expect.objectContaining({ lineStatus: 'suspended', imei: '35000000000001' })],
    });
    expect(detail.body.history).toEqual([expect.objectContaining({ kind: 'opened', actor: 'system:gap-scan' })]);
  });

  it('writes nothing when scanned again with nothing changed', async () => {
    const audits = await count(`SELECT count(*)::int AS n FROM audit_events WHERE entity_type IN ('gap','ticket')`);
    const events = await count(`SELECT count(*)::int AS n FROM ticket_events`);
    const result = await scan(token, {});
    expect(result).toMatchObject({ studentsScanned: 7, gapsOpened: 0, gapsClosed: 0, ticketsOpened: 0, ticketsUpdated: 0 });
    expect(await count(`SELECT count(*)::int AS n FROM audit_events WHERE entity_type IN ('gap','ticket')`)).toBe(audits);
    expect(await count(`SELECT count(*)::int AS n FROM ticket_events`)).toBe(events);
  });

  it('never raises a second ticket when scans run at once', async () => {
    const more = await seed.student(district, await seed.school(district), { homeInternet: 'no' });
    const ids = await Promise.all(
      Array.from(
        { length: 4 },
        async () =>
          (
            await t
              .http()
              .post('/api/v1/gap-scans')
              .set(...bearer(token))
              .send({})
              .expect(202)
          ).body.id as string,
      ),
    );
    await Promise.all(ids.map((id) => waitForJob(t, 'gap-scans', id)));
    expect((await openTickets(more)).map((x) => x.type)).toEqual(['connectivity', 'replacement']);
    expect(await count(`SELECT count(*)::int AS n FROM gaps WHERE student_id = $1`, [more])).toBe(1);
  });

  it('records a change of reasons on the open ticket', async () => {
    const [device] = (await t.db.query(`SELECT device_id FROM assignments WHERE student_id = $1`, [s.broken])) as { device_id: string }[];
    await t.db.query(`UPDATE devices SET condition = 'working', auto_update_through = '2019-06-01' WHERE id = $1`, [device!.device_id]);
    const result = await scan(token, {});
    expect(result).toMatchObject({ ticketsOpened: 0, ticketsUpdated: 1 });
    const [ticket] = await openTickets(s.broken!);
    expect(ticket!.reasons).toEqual(['device_unsupported']);
    const history = await t
      .http()
      .get(`/api/v1/tickets/${ticket!.id}`)
      .set(...bearer(token))
      .expect(200);
    expect(history.body.history.map((e: { kind: string }) => e.kind)).toEqual(['opened', 'reasons_changed']);
    expect(history.body.history[1].data).toMatchObject({ before: ['device_broken'], after: ['device_unsupported'] });
  });

  it('closes the gap when the student logs in: outreach resolves itself, equipment tickets stay open with a note', async () => {
    await t.db.query(`UPDATE students SET last_login_at = now() WHERE id = ANY($1)`, [[s.fine, s.nothing]]);
    const result = await scan(token, {});
    expect(result).toMatchObject({ gapsClosed: 2, ticketsResolved: 1 });

    const outreach = (await t.db.query(`SELECT status, resolution FROM tickets WHERE student_id = $1`, [s.fine])) as {
      status: string;
      resolution: string;
    }[];
    expect(outreach).toEqual([{ status: 'resolved', resolution: 'reconnected' }]);
    expect((await openTickets(s.nothing!)).map((x) => x.type)).toEqual(['connectivity', 'replacement']);
    const notes = await count(
      `SELECT count(*)::int AS n FROM ticket_events e JOIN tickets tk ON tk.id = e.ticket_id WHERE tk.student_id = $1 AND e.kind = 'student_reconnected'`,
      [s.nothing],
    );
    expect(notes).toBe(2);
    const gaps = (await t.db.query(`SELECT resolution FROM gaps WHERE student_id = $1`, [s.fine])) as { resolution: string }[];
    expect(gaps).toEqual([{ resolution: 'reconnected' }]);
  });

  it('shows the last login, the open gap and the open tickets on the student equipment view', async () => {
    const view = await t
      .http()
      .get(`/api/v1/students/${s.suspended}/equipment`)
      .set(...bearer(token))
      .expect(200);
    expect(view.body.student.lastLoginAt).toBe(daysAgo(21).slice(0, 10) + view.body.student.lastLoginAt.slice(10));
    expect(view.body.openGap).toMatchObject({ openedAsOf: todayIn('UTC'), lastLoginAt: view.body.student.lastLoginAt });
    expect(view.body.openTickets).toEqual([
      expect.objectContaining({ type: 'connectivity', reasons: ['hotspot_suspended'], status: 'open' }),
    ]);
    const online = await t
      .http()
      .get(`/api/v1/students/${s.online}/equipment`)
      .set(...bearer(token))
      .expect(200);
    expect(online.body).toMatchObject({ openGap: null, openTickets: [] });
  });

  it('resolves the replacement ticket when a working Chromebook is issued, and connectivity when a hotspot is', async () => {
    const [{ school_id: school }] = (await t.db.query(`SELECT school_id FROM students WHERE id = $1`, [s.nothing])) as {
      school_id: string;
    }[];
    const chromebook = await seed.device(district, school!);
    const hotspot = await seed.device(district, school!, { kind: 'hotspot', imei: '35000000000099' });
    await t
      .http()
      .post('/api/v1/assignments')
      .set(...bearer(token))
      .send({ deviceId: chromebook, studentId: s.nothing })
      .expect(201);
    expect((await openTickets(s.nothing!)).map((x) => x.type)).toEqual(['connectivity']);
    await t
      .http()
      .post('/api/v1/assignments')
      .set(...bearer(token))
      .send({ deviceId: hotspot, studentId: s.nothing })
      .expect(201);
    expect(await openTickets(s.nothing!)).toEqual([]);
    const resolved = (await t.db.query(`SELECT type, resolution FROM tickets WHERE student_id = $1 ORDER BY type`, [
      s.nothing,
    ])) as unknown[];
    expect(resolved).toEqual([
      { type: 'connectivity', resolution: 'hotspot_issued' },
      { type: 'replacement', resolution: 'device_issued' },
    ]);
  });

  it('keeps a district token to its own district', async () => {
    const other = await seed.district();
    const otherToken = await tokenFor(t, 'tech', other);
    const mine = await t
      .http()
      .post('/api/v1/gap-scans')
      .set(...bearer(token))
      .send({})
      .expect(202);
    await waitForJob(t, 'gap-scans', mine.body.id as string);
    await t
      .http()
      .get(`/api/v1/gap-scans/${mine.body.id}`)
      .set(...bearer(otherToken))
      .expect(404);
    const foreign = await t
      .http()
      .post('/api/v1/gap-scans')
      .set(...bearer(otherToken))
      .send({ districtId: district })
      .expect(404);
    expect(foreign.body.code).toBe('district_not_found');
    const tickets = await t
      .http()
      .get('/api/v1/tickets')
      .set(...bearer(otherToken))
      .expect(200);
    expect(tickets.body.data).toEqual([]);
  });

  it('rejects a bad asOf and refuses the auditor', async () => {
    const bad = await t
      .http()
      .post('/api/v1/gap-scans')
      .set(...bearer(token))
      .send({ asOf: '2020-13-01' })
      .expect(400);
    expect(bad.body.errors).toEqual([{ field: 'asOf', message: 'must be a date YYYY-MM-DD' }]);
    const auditor = await tokenFor(t, 'auditor', district);
    await t
      .http()
      .post('/api/v1/gap-scans')
      .set(...bearer(auditor))
      .send({})
      .expect(403);
  });
});

describe('after an import', () => {
  it('scans again by itself once a login-events import completes, closing the gap', async () => {
    const district = await seed.district({ timeZone: 'UTC' });
    const token = await tokenFor(t, 'district_admin', district);
    const school = await seed.school(district);
    const student = await seed.student(district, school, { homeInternet: 'no' });
    await scan(token, {});
    const [{ sourced_id: sourcedId }] = (await t.db.query(`SELECT sourced_id FROM students WHERE id = $1`, [student])) as {
      sourced_id: string;
    }[];

    const csv = `occurred_at,student_sourced_id,source,event,unique_id\n${new Date().toISOString()},${sourcedId},canvas,login_success,ev-1\n`;
    const upload = await t
      .http()
      .post('/api/v1/imports')
      .set(...bearer(token))
      .field('kind', 'login-events')
      .field('districtId', district)
      .attach('file', Buffer.from(csv), 'logins.csv')
      .expect(202);
    await waitForJob(t, 'imports', upload.body.id as string);
    const [followUp] = (await t.db.query(`SELECT id FROM gap_scans WHERE district_id = $1 AND trigger = 'import'`, [district])) as {
      id: string;
    }[];
    await waitForJob(t, 'gap-scans', followUp!.id);

    const gaps = (await t.db.query(`SELECT resolution FROM gaps WHERE student_id = $1`, [student])) as unknown[];
    expect(gaps).toEqual([{ resolution: 'reconnected' }]);
  });
});

describe('scan calendar', () => {
  it('counts school days in the district calendar: a closure week is not a gap', async () => {
    const district = await seed.district({ timeZone: 'UTC', gapThresholdDays: 5 });
    const token = await tokenFor(t, 'district_admin', district);
    const school = await seed.school(district);
    // Friday 9 Oct 2020; last login Thu 1 Oct. Five school days before the 9th begin on Fri 2 Oct.
    const student = await seed.student(district, school, { lastLoginAt: '2020-10-01T15:00:00Z' });
    await seed.assign(district, await seed.device(district, school), student);
    expect(await scan(token, { asOf: '2020-10-09' })).toMatchObject({ gapsOpened: 1, asOf: '2020-10-09' });

    const closed = await seed.district({ timeZone: 'UTC', gapThresholdDays: 5, closureDates: ['2020-10-05', '2020-10-06'] });
    const closedToken = await tokenFor(t, 'district_admin', closed);
    const closedSchool = await seed.school(closed);
    await seed.student(closed, closedSchool, { lastLoginAt: '2020-10-01T15:00:00Z' });
    expect(await scan(closedToken, { asOf: '2020-10-09' })).toMatchObject({ gapsOpened: 0, studentsScanned: 1 });
  });

  it('asks for each district’s daily scan at most once a day', async () => {
    const service = t.app.get(GapScansService);
    await service.scheduleDue();
    await service.scheduleDue();
    const perDistrict = (await t.db.query(
      `SELECT district_id, count(*)::int AS n FROM gap_scans WHERE trigger = 'schedule' GROUP BY district_id HAVING count(*) > 1`,
    )) as unknown[];
    expect(perDistrict).toEqual([]);
    // Let the scans it asked for finish before other tests count tickets.
    const scheduled = (await t.db.query(`SELECT id FROM gap_scans WHERE trigger = 'schedule'`)) as { id: string }[];
    await Promise.all(scheduled.map((s) => waitForJob(t, 'gap-scans', s.id)));
  });
});

describe('reliability', () => {
  it('retries a scan that died half way, with no duplicate gaps or tickets', async () => {
    const district = await seed.district({ timeZone: 'UTC' });
    const token = await tokenFor(t, 'district_admin', district);
    const school = await seed.school(district);
    const students = await Promise.all(Array.from({ length: 5 }, () => seed.student(district, school, { homeInternet: 'no' })));

    const engine = t.app.get(GapScanEngine);
    const original = engine.applyVerdict.bind(engine);
    let killed = false;
    const spy = jest.spyOn(engine, 'applyVerdict').mockImplementation(async (...args) => {
      const result = await original(...args);
      if (args[2] === district && !killed) {
        killed = true;
        throw new Error('worker killed');
      }
      return result;
    });
    const accepted = await t
      .http()
      .post('/api/v1/gap-scans')
      .set(...bearer(token))
      .send({})
      .expect(202);
    await waitForJob(t, 'gap-scans', accepted.body.id as string);
    expect(spy.mock.calls.filter((call) => call[2] === district)).toHaveLength(2);
    spy.mockRestore();
    const job = await t.app
      .get(QueueService)
      .queue('gap-scans')
      .getJob(accepted.body.id as string);
    expect(job?.attemptsMade).toBe(2);

    const done = await t
      .http()
      .get(`/api/v1/gap-scans/${accepted.body.id}`)
      .set(...bearer(token))
      .expect(200);
    expect(done.body).toMatchObject({ status: 'completed', gapsOpened: 5, ticketsOpened: 10 });
    expect(await count(`SELECT count(*)::int AS n FROM gaps WHERE district_id = $1`, [district])).toBe(5);
    expect(await count(`SELECT count(*)::int AS n FROM tickets WHERE district_id = $1`, [district])).toBe(10);
    for (const student of students) expect((await openTickets(student)).map((x) => x.type)).toEqual(['connectivity', 'replacement']);
  });
});

describe('a school goes remote', () => {
  it('lists who would lack equipment and raises tickets before a login is missed', async () => {
    const district = await seed.district({ timeZone: 'UTC' });
    const admin = await tokenFor(t, 'district_admin', district);
    const school = await seed.school(district);
    const ready = await seed.student(district, school, { learningModel: 'in_person' });
    await seed.assign(district, await seed.device(district, school), ready);
    const unready = await seed.student(district, school, { learningModel: 'in_person', homeInternet: 'no' });

    const readiness = await t
      .http()
      .get(`/api/v1/schools/${school}/remote-readiness`)
      .set(...bearer(admin))
      .expect(200);
    expect(readiness.body.studentsChecked).toBe(2);
    expect(readiness.body.students).toEqual([
      expect.objectContaining({ studentId: unready, deviceReasons: ['no_device'], internetReasons: ['no_internet'] }),
    ]);

    // Tomorrow: the furthest day a scan may judge (asOf at most one day ahead).
    const from = addDays(todayIn('UTC'), 1);
    const change = await t
      .http()
      .post(`/api/v1/schools/${school}/learning-model-changes`)
      .set(...bearer(admin))
      .send({ learningModel: 'remote', from, to: addDays(from, 4) })
      .expect(201);
    expect(change.body).toMatchObject({ ticketsOpened: 2, ticketsUpdated: 0 });
    expect((await openTickets(unready)).map((x) => [x.type, x.reasons])).toEqual([
      ['connectivity', ['no_internet', 'school_going_remote']],
      ['replacement', ['no_device', 'school_going_remote']],
    ]);
    expect(await openTickets(ready)).toEqual([]);

    // In the window, the school's students count as remote for the scan.
    const inWindow = await scan(admin, { asOf: from });
    expect(inWindow.studentsScanned).toBe(2);

    const bad = await t
      .http()
      .post(`/api/v1/schools/${school}/learning-model-changes`)
      .set(...bearer(admin))
      .send({ learningModel: 'remote', from: '2020-11-20', to: '2020-11-16' })
      .expect(400);
    expect(bad.body.errors[0].field).toBe('to');
  });
});
