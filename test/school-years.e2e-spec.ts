import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { Clock } from '../src/common/clock.js';
import { addDays, todayIn } from '../src/connectivity/school-days.js';
import { Seed } from './support/seed.js';
import { bearer, startTestApp, waitForJob, type TestApp } from './support/test-app.js';

/*
 * School years, enrolment dates and tickets that name their device (issue 19): a gap counts only the
 * school days a student was expected online, from the later of the school year's first day and their
 * enrolledOn; outside the school year nobody is in a gap.
 */

let t: TestApp;
let seed: Seed;
let admin: string;

beforeAll(async () => {
  t = await startTestApp({ worker: true });
  seed = new Seed(t.db);
  admin = t.adminToken;
});
afterAll(async () => {
  await t?.close();
});

const YEAR = { schoolYearStart: '2020-08-31', schoolYearEnd: '2021-06-18' };

async function scan(districtId: string, asOf: string): Promise<Record<string, number | string>> {
  // A scan judges at most a day ahead: days to come are scanned with the clock moved to them.
  const clock = jest.spyOn(t.app.get(Clock), 'now').mockReturnValue(new Date(`${asOf}T12:00:00Z`));
  let accepted: { body: { id: string } };
  try {
    accepted = await t
      .http()
      .post('/api/v1/gap-scans')
      .set(...bearer(admin))
      .send({ districtId, asOf })
      .expect(202);
  } finally {
    clock.mockRestore();
  }
  await waitForJob(t, 'gap-scans', accepted.body.id as string);
  const res = await t
    .http()
    .get(`/api/v1/gap-scans/${accepted.body.id}`)
    .set(...bearer(admin))
    .expect(200);
  expect(res.body.status).toBe('completed');
  return res.body as Record<string, number | string>;
}

async function rows<T>(sql: string, params: unknown[] = []): Promise<T[]> {
  return (await t.db.query(sql, params)) as T[];
}

/** Everything a scan can write about gaps and tickets, as one comparable value. */
async function footprint(districtId: string): Promise<unknown> {
  return rows(
    `SELECT
       (SELECT count(*)::int FROM gaps WHERE district_id = $1) AS gaps,
       (SELECT count(*)::int FROM gaps WHERE district_id = $1 AND closed_at IS NULL) AS open_gaps,
       (SELECT count(*)::int FROM tickets WHERE district_id = $1) AS tickets,
       (SELECT max(updated_at) FROM tickets WHERE district_id = $1) AS tickets_updated,
       (SELECT count(*)::int FROM ticket_events e JOIN tickets k ON k.id = e.ticket_id WHERE k.district_id = $1) AS ticket_events,
       (SELECT count(*)::int FROM audit_events WHERE district_id = $1 AND entity_type IN ('gap','ticket','student')) AS audits`,
    [districtId],
  );
}

/** A second scan of the same day finds nothing new and writes nothing. */
async function expectRescanWritesNothing(districtId: string, asOf: string): Promise<void> {
  const before = await footprint(districtId);
  expect(await scan(districtId, asOf)).toMatchObject({
    gapsOpened: 0,
    gapsClosed: 0,
    ticketsOpened: 0,
    ticketsUpdated: 0,
    ticketsResolved: 0,
  });
  expect(await footprint(districtId)).toEqual(before);
}

async function openGaps(districtId: string): Promise<string[]> {
  const found = await rows<{ student_id: string }>(
    `SELECT student_id FROM gaps WHERE district_id = $1 AND closed_at IS NULL ORDER BY student_id`,
    [districtId],
  );
  return found.map((r) => r.student_id);
}

async function ticketsOf(
  studentId: string,
): Promise<{ type: string; status: string; resolution: string | null; device_id: string | null }[]> {
  return rows(`SELECT type, status, resolution, device_id FROM tickets WHERE student_id = $1 ORDER BY type`, [studentId]);
}

async function districtWithYear(year: { schoolYearStart: string; schoolYearEnd: string } | null): Promise<string> {
  const district = await seed.district({ timeZone: 'UTC' });
  if (year) {
    const res = await t
      .http()
      .patch(`/api/v1/districts/${district}`)
      .set(...bearer(admin))
      .send(year)
      .expect(200);
    expect(res.body).toMatchObject(year);
  }
  return district;
}

describe('district school year settings', () => {
  it('are dates, start before end, set and cleared together', async () => {
    const district = await seed.district();
    const patch = (body: Record<string, unknown>) =>
      t
        .http()
        .patch(`/api/v1/districts/${district}`)
        .set(...bearer(admin))
        .send(body);
    expect((await patch({})).body).toMatchObject({ schoolYearStart: null, schoolYearEnd: null });
    const backwards = await patch({ schoolYearStart: '2021-06-18', schoolYearEnd: '2020-08-31' });
    expect(backwards.status).toBe(400);
    expect(backwards.body.errors).toEqual([{ field: 'schoolYearEnd', message: 'must be after schoolYearStart' }]);
    const half = await patch({ schoolYearStart: '2020-08-31' });
    expect(half.status).toBe(400);
    expect(half.body.errors[0]).toMatchObject({ field: 'schoolYearEnd' });
    expect((await patch({ schoolYearStart: '2020-02-30', schoolYearEnd: '2021-06-18' })).status).toBe(400);
    expect((await patch(YEAR)).body).toMatchObject(YEAR);
    // One side alone, against the stored other.
    expect((await patch({ schoolYearEnd: '2020-08-01' })).status).toBe(400);
    expect((await patch({ schoolYearEnd: '2021-06-25' })).body).toMatchObject({ ...YEAR, schoolYearEnd: '2021-06-25' });
    expect((await patch({ schoolYearStart: null, schoolYearEnd: null })).body).toMatchObject({
      schoolYearStart: null,
      schoolYearEnd: null,
    });
    const created = await t
      .http()
      .post('/api/v1/districts')
      .set(...bearer(admin))
      .send({ name: 'Year District', code: `YR-${Date.now()}`, ...YEAR });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject(YEAR);
  });
});

describe('first days of a school year, with last year logins', () => {
  let district: string;
  let school: string;
  const s: Record<string, string> = {};
  const d: Record<string, string> = {};

  beforeAll(async () => {
    district = await districtWithYear(YEAR);
    school = await seed.school(district);
    // Last logged in in June; a working Chromebook: the attendance team's (outreach) if silent.
    s.june = await seed.student(district, school, { lastLoginAt: '2020-06-10T15:00:00Z' });
    await seed.assign(district, await seed.device(district, school), s.june);
    // Never logged in.
    s.never = await seed.student(district, school, { lastLoginAt: null });
    await seed.assign(district, await seed.device(district, school), s.never);
    // A broken Chromebook, their only one.
    s.broken = await seed.student(district, school, { lastLoginAt: '2020-06-10T15:00:00Z' });
    d.broken = await seed.device(district, school, { condition: 'broken' });
    await seed.assign(district, d.broken, s.broken);
    // A working Chromebook and no home internet; the hotspot's line is suspended.
    s.hotspot = await seed.student(district, school, { homeInternet: 'no', lastLoginAt: '2020-06-10T15:00:00Z' });
    await seed.assign(district, await seed.device(district, school), s.hotspot);
    d.hotspot = await seed.device(district, school, { kind: 'hotspot', line_status: 'suspended', imei: '35000000000019' });
    await seed.assign(district, d.hotspot, s.hotspot);
    // Disabled in Google: the replacement ticket names this one.
    s.disabled = await seed.student(district, school, { lastLoginAt: '2020-06-10T15:00:00Z' });
    d.disabled = await seed.device(district, school, { google_status: 'DISABLED' });
    await seed.assign(district, d.disabled, s.disabled);
    // Logged in on the first day.
    s.present = await seed.student(district, school, { lastLoginAt: '2020-08-31T13:00:00Z' });
    await seed.assign(district, await seed.device(district, school), s.present);
  });

  it('opens no gap before the first day, on it, or before the threshold of school days since it has passed', async () => {
    for (const asOf of ['2020-08-20', '2020-08-31', '2020-09-01', '2020-09-04']) {
      expect(await scan(district, asOf)).toMatchObject({ asOf, studentsScanned: 6, gapsOpened: 0, ticketsOpened: 0 });
    }
    expect(await openGaps(district)).toEqual([]);
    expect(await rows(`SELECT id FROM tickets WHERE district_id = $1`, [district])).toEqual([]);
    await expectRescanWritesNothing(district, '2020-09-04');
  });

  it('opens gaps once five school days of the year have passed, and equipment tickets name their device', async () => {
    // 2020-09-07: Monday; Aug 31 - Sep 4 are the five school days missed.
    const result = await scan(district, '2020-09-07');
    expect(result).toMatchObject({ gapsOpened: 5, ticketsOpened: 5 });
    expect(await openGaps(district)).toEqual([s.june, s.never, s.broken, s.hotspot, s.disabled].sort());
    expect(await ticketsOf(s.june!)).toEqual([{ type: 'outreach', status: 'open', resolution: null, device_id: null }]);
    expect(await ticketsOf(s.broken!)).toEqual([{ type: 'replacement', status: 'open', resolution: null, device_id: d.broken }]);
    expect(await ticketsOf(s.disabled!)).toEqual([{ type: 'replacement', status: 'open', resolution: null, device_id: d.disabled }]);
    expect(await ticketsOf(s.hotspot!)).toEqual([{ type: 'connectivity', status: 'open', resolution: null, device_id: d.hotspot }]);
    await expectRescanWritesNothing(district, '2020-09-07');
  });

  it('lists the tickets about one device, and shows the device on the ticket', async () => {
    const list = await t
      .http()
      .get('/api/v1/tickets')
      .query({ districtId: district, deviceId: d.hotspot })
      .set(...bearer(admin))
      .expect(200);
    expect(list.body.data).toHaveLength(1);
    expect(list.body.data[0]).toMatchObject({
      type: 'connectivity',
      studentId: s.hotspot,
      deviceId: d.hotspot,
      reasons: ['hotspot_suspended'],
    });
    const detail = await t
      .http()
      .get(`/api/v1/tickets/${list.body.data[0].id}`)
      .set(...bearer(admin))
      .expect(200);
    expect(detail.body.deviceId).toBe(d.hotspot);
    const none = await t
      .http()
      .get('/api/v1/tickets')
      .query({ districtId: district, deviceId: d.broken, type: 'connectivity' })
      .set(...bearer(admin))
      .expect(200);
    expect(none.body.data).toEqual([]);
    expect(
      (
        await t
          .http()
          .get('/api/v1/tickets')
          .query({ deviceId: 'not-a-uuid' })
          .set(...bearer(admin))
      ).status,
    ).toBe(400);
  });

  it('renames the device when the problem moves to another Chromebook', async () => {
    // The broken one is swapped (by hand, here) for another that Google has disabled.
    await t.db.query(`UPDATE assignments SET ended_at = now(), end_reason = 'returned' WHERE device_id = $1`, [d.broken]);
    const other = await seed.device(district, school, { google_status: 'DISABLED' });
    await seed.assign(district, other, s.broken!);
    // The first-day login is now five school days old (Sep 1-4, 7): that student's outreach is the one new ticket.
    expect(await scan(district, '2020-09-08')).toMatchObject({ gapsOpened: 1, ticketsOpened: 1, ticketsUpdated: 1 });
    expect(await ticketsOf(s.present!)).toEqual([{ type: 'outreach', status: 'open', resolution: null, device_id: null }]);
    expect(await ticketsOf(s.broken!)).toEqual([{ type: 'replacement', status: 'open', resolution: null, device_id: other }]);
    await expectRescanWritesNothing(district, '2020-09-08');
  });
});

describe('a mid-year enrolment', () => {
  it('counts school days from the enrolment, never from the days before it', async () => {
    const district = await districtWithYear(YEAR);
    const school = await seed.school(district);
    const res = await t
      .http()
      .post('/api/v1/students')
      .set(...bearer(admin))
      .send({
        districtId: district,
        schoolId: school,
        sourcedId: 'transfer-1',
        givenName: 'Tia',
        familyName: 'Transfer',
        learningModel: 'remote',
        homeInternet: 'yes',
        enrolledOn: '2021-01-11',
      })
      .expect(201);
    const transfer = res.body.id as string;
    expect(res.body.enrolledOn).toBe('2021-01-11');
    await seed.assign(district, await seed.device(district, school), transfer);

    // Friday of the first week: four school days since the enrolment.
    expect(await scan(district, '2021-01-15')).toMatchObject({ studentsScanned: 1, gapsOpened: 0, ticketsOpened: 0 });
    await expectRescanWritesNothing(district, '2021-01-15');
    // Monday after: five school days (Jan 11-15) missed.
    expect(await scan(district, '2021-01-18')).toMatchObject({ gapsOpened: 1, ticketsOpened: 1 });
    expect(await openGaps(district)).toEqual([transfer]);
    expect(await ticketsOf(transfer)).toEqual([{ type: 'outreach', status: 'open', resolution: null, device_id: null }]);
    await expectRescanWritesNothing(district, '2021-01-18');
  });

  it('a student created a minute ago (no school year set) is expected from today: not in a gap at once', async () => {
    const district = await districtWithYear(null);
    const school = await seed.school(district);
    const res = await t
      .http()
      .post('/api/v1/students')
      .set(...bearer(admin))
      .send({ districtId: district, schoolId: school, sourcedId: 'new-1', givenName: 'Ned', familyName: 'New', learningModel: 'remote' })
      .expect(201);
    expect(res.body.enrolledOn).toBe(todayIn('UTC'));
    const today = todayIn('UTC');
    expect(await scan(district, today)).toMatchObject({ studentsScanned: 1, gapsOpened: 0, ticketsOpened: 0 });
    expect(await rows(`SELECT id FROM tickets WHERE district_id = $1`, [district])).toEqual([]);
    await expectRescanWritesNothing(district, today);
    // A week on, five school days have passed without a login.
    expect(await scan(district, addDays(today, 7))).toMatchObject({ gapsOpened: 1 });
  });
});

describe('a re-activated student', () => {
  it('starts the count again: the open gap closes, its outreach resolves, and a new gap needs the threshold again', async () => {
    const today = todayIn('UTC');
    const district = await districtWithYear({ schoolYearStart: addDays(today, -60), schoolYearEnd: addDays(today, 60) });
    const school = await seed.school(district);
    const student = await seed.student(district, school, { lastLoginAt: null });
    await seed.assign(district, await seed.device(district, school), student);
    expect(await scan(district, today)).toMatchObject({ gapsOpened: 1, ticketsOpened: 1 });

    const patch = (enrollmentStatus: string) =>
      t
        .http()
        .patch(`/api/v1/students/${student}`)
        .set(...bearer(admin))
        .send({ enrollmentStatus })
        .expect(200);
    await patch('withdrawn');
    const active = await patch('active');
    expect(active.body.enrolledOn).toBe(today);

    expect(await scan(district, today)).toMatchObject({ gapsOpened: 0, gapsClosed: 1, ticketsResolved: 1 });
    expect(await rows(`SELECT resolution FROM gaps WHERE student_id = $1`, [student])).toEqual([{ resolution: 're_enrolled' }]);
    expect(await ticketsOf(student)).toEqual([{ type: 'outreach', status: 'resolved', resolution: 're_enrolled', device_id: null }]);
    await expectRescanWritesNothing(district, today);

    // Withdrawn and scanned: the gap closes as withdrawn; active again, the count starts from that day.
    expect(await scan(district, addDays(today, 7))).toMatchObject({ gapsOpened: 1, ticketsOpened: 1 });
    await patch('withdrawn');
    expect(await scan(district, addDays(today, 7))).toMatchObject({ gapsClosed: 1 });
    await t.db.query(`UPDATE students SET enrollment_status = 'active', enrolled_on = $2 WHERE id = $1`, [student, addDays(today, 7)]);
    expect(await scan(district, addDays(today, 8))).toMatchObject({ gapsOpened: 0 });
    await expectRescanWritesNothing(district, addDays(today, 8));
    expect(await scan(district, addDays(today, 14))).toMatchObject({ gapsOpened: 1 });
  });
});

describe('a school year ending with open gaps', () => {
  it('closes them as school_year_ended, resolves their outreach, keeps equipment tickets, and opens nothing until the next year', async () => {
    const district = await districtWithYear(YEAR);
    const school = await seed.school(district);
    const quiet = await seed.student(district, school, { lastLoginAt: '2021-05-03T14:00:00Z' });
    await seed.assign(district, await seed.device(district, school), quiet);
    const broken = await seed.student(district, school, { lastLoginAt: '2021-05-03T14:00:00Z' });
    const device = await seed.device(district, school, { condition: 'broken' });
    await seed.assign(district, device, broken);

    expect(await scan(district, '2021-06-14')).toMatchObject({ gapsOpened: 2, ticketsOpened: 2 });
    // The last day is still in the year.
    expect(await scan(district, '2021-06-18')).toMatchObject({ gapsOpened: 0, gapsClosed: 0 });

    const ended = await scan(district, '2021-06-21');
    expect(ended).toMatchObject({ studentsScanned: 2, gapsOpened: 0, gapsClosed: 2, ticketsOpened: 0, ticketsResolved: 1 });
    expect(await rows(`SELECT DISTINCT resolution FROM gaps WHERE district_id = $1`, [district])).toEqual([
      { resolution: 'school_year_ended' },
    ]);
    expect(await ticketsOf(quiet)).toEqual([{ type: 'outreach', status: 'resolved', resolution: 'school_year_ended', device_id: null }]);
    expect(await ticketsOf(broken)).toEqual([{ type: 'replacement', status: 'open', resolution: null, device_id: device }]);
    await expectRescanWritesNothing(district, '2021-06-21');
    // Summer: nobody is in a gap.
    expect(await scan(district, '2021-07-19')).toMatchObject({ gapsOpened: 0, gapsClosed: 0 });
    await expectRescanWritesNothing(district, '2021-07-19');
  });

  it('a gap left open from last year closes when the next year is set, before any new one opens', async () => {
    const district = await districtWithYear(YEAR);
    const school = await seed.school(district);
    const student = await seed.student(district, school, { lastLoginAt: '2021-05-03T14:00:00Z' });
    await seed.assign(district, await seed.device(district, school), student);
    expect(await scan(district, '2021-06-14')).toMatchObject({ gapsOpened: 1 });
    // No scan over the summer; the next year is set.
    await t
      .http()
      .patch(`/api/v1/districts/${district}`)
      .set(...bearer(admin))
      .send({ schoolYearStart: '2021-08-30', schoolYearEnd: '2022-06-17' })
      .expect(200);
    expect(await scan(district, '2021-08-30')).toMatchObject({ gapsOpened: 0, gapsClosed: 1, ticketsResolved: 1 });
    expect(await rows(`SELECT resolution FROM gaps WHERE student_id = $1`, [student])).toEqual([{ resolution: 'school_year_ended' }]);
    await expectRescanWritesNothing(district, '2021-08-30');
    expect(await scan(district, '2021-09-06')).toMatchObject({ gapsOpened: 1 });
  });
});

describe('weekly learning-model report', () => {
  it('counts a remote learner as not connected only in weeks they were enrolled and the school was in session', async () => {
    const district = await seed.district({
      timeZone: 'UTC',
      closureDates: ['2020-11-23', '2020-11-24', '2020-11-25', '2020-11-26', '2020-11-27'],
    });
    await t
      .http()
      .patch(`/api/v1/districts/${district}`)
      .set(...bearer(admin))
      .send(YEAR)
      .expect(200);
    const school = await seed.school(district);
    await seed.student(district, school, { learningModel: 'remote' });
    const late = await seed.student(district, school, { learningModel: 'remote' });
    await t.db.query(`UPDATE students SET enrolled_on = '2021-01-13' WHERE id = $1`, [late]);

    const report = async (weekOf: string) => {
      const res = await t
        .http()
        .get('/api/v1/reports/weekly-learning-model')
        .query({ weekOf, districtId: district })
        .set(...bearer(admin))
        .expect(200);
      const total = (res.body.rows as { grade: string | null; remote: number; remoteNotConnected: number }[]).find((r) => r.grade === null);
      return { remote: total!.remote, remoteNotConnected: total!.remoteNotConnected };
    };
    // In session; the late student enrolled on the Wednesday: not counted that week.
    expect(await report('2021-01-11')).toEqual({ remote: 2, remoteNotConnected: 1 });
    expect(await report('2021-01-18')).toEqual({ remote: 2, remoteNotConnected: 2 });
    // Thanksgiving week closed, summer, and before the year: nobody counts as not connected.
    expect(await report('2020-11-23')).toEqual({ remote: 2, remoteNotConnected: 0 });
    expect(await report('2021-07-12')).toEqual({ remote: 2, remoteNotConnected: 0 });
    expect(await report('2020-08-24')).toEqual({ remote: 2, remoteNotConnected: 0 });
    // The year's first week counts (Monday is its first day).
    expect(await report('2020-08-31')).toEqual({ remote: 2, remoteNotConnected: 1 });
  });
});
