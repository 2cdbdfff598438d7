import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Seed } from './support/seed.js';
import { bearer, startTestApp, tokenFor, type TestApp } from './support/test-app.js';

let t: TestApp;
let seed: Seed;

const URL = '/api/v1/reports/weekly-learning-model';

interface Row {
  districtId: string | null;
  schoolId: string | null;
  grade: string | null;
  enrollment: number;
  inPerson: number;
  hybrid: number;
  remote: number;
  percentRemote: number;
  remoteNotConnected: number;
  percentRemoteNotConnected: number;
}

const counts = (
  enrollment: number,
  inPerson: number,
  hybrid: number,
  remote: number,
  percentRemote: number,
  remoteNotConnected: number,
  percentRemoteNotConnected: number,
) => ({ enrollment, inPerson, hybrid, remote, percentRemote, remoteNotConnected, percentRemoteNotConnected });

// The week of Wednesday 7 October 2020 runs from Monday 5 October. In Los Angeles (UTC-7 in October)
// that is [2020-10-05T07:00Z, 2020-10-12T07:00Z); in New York (UTC-4) [2020-10-05T04:00Z, 2020-10-12T04:00Z).
let west: string;
let east: string;
let empty: string;
let formula: string;
let westSchool: string;
let remoteSchool: string;
const s: Record<string, string> = {};

beforeAll(async () => {
  t = await startTestApp();
  seed = new Seed(t.db);

  west = await seed.district({ timeZone: 'America/Los_Angeles' });
  westSchool = await seed.school(west);
  s.a1 = await seed.student(west, westSchool, { grade: '9', learningModel: 'remote' });
  await seed.loginEvent(west, s.a1, '2020-10-06T15:00:00Z');
  // Sunday 23:30 in Los Angeles: the week before.
  s.a2 = await seed.student(west, westSchool, { grade: '9', learningModel: 'remote' });
  await seed.loginEvent(west, s.a2, '2020-10-05T06:30:00Z');
  // Sunday 23:59 in Los Angeles: still this week, though it is Monday in UTC.
  s.a3 = await seed.student(west, westSchool, { grade: '9', learningModel: 'remote' });
  await seed.loginEvent(west, s.a3, '2020-10-12T06:59:00Z');
  // Only failed logins: not connected.
  s.a4 = await seed.student(west, westSchool, { grade: '9', learningModel: 'remote' });
  await seed.loginEvent(west, s.a4, '2020-10-07T15:00:00Z', 'login_failure');
  s.a5 = await seed.student(west, westSchool, { grade: '10', learningModel: 'hybrid' });
  s.a6 = await seed.student(west, westSchool, { grade: '10', learningModel: 'in_person' });
  // Monday 00:00 in Los Angeles: the next week.
  s.a7 = await seed.student(west, westSchool, { grade: '10', learningModel: 'remote' });
  await seed.loginEvent(west, s.a7, '2020-10-12T07:00:00Z');
  // Withdrawn students are not enrolled.
  await seed.student(west, westSchool, { grade: '9', learningModel: 'remote', enrollmentStatus: 'withdrawn' });
  // A change that starts the week after does not count.
  await seed.learningModelChange(west, westSchool, {
    learningModel: 'in_person',
    from: '2020-10-12',
    to: '2020-10-16',
    createdAt: '2020-10-01T00:00:00Z',
  });

  // This school went all-remote for the week: the latest change covering Monday wins over each student's own model.
  remoteSchool = await seed.school(west);
  await seed.learningModelChange(west, remoteSchool, {
    learningModel: 'hybrid',
    from: '2020-10-01',
    to: '2020-10-31',
    createdAt: '2020-09-20T00:00:00Z',
  });
  await seed.learningModelChange(west, remoteSchool, {
    learningModel: 'remote',
    from: '2020-10-05',
    to: '2020-10-09',
    createdAt: '2020-10-02T00:00:00Z',
  });
  // Created last, but starts on Tuesday: it does not cover Monday.
  await seed.learningModelChange(west, remoteSchool, {
    learningModel: 'in_person',
    from: '2020-10-06',
    to: '2020-10-09',
    createdAt: '2020-10-03T00:00:00Z',
  });
  s.b1 = await seed.student(west, remoteSchool, { grade: '9', learningModel: 'in_person' });
  await seed.loginEvent(west, s.b1, '2020-10-08T15:00:00Z');
  s.b2 = await seed.student(west, remoteSchool, { grade: '10', learningModel: 'in_person' });
  s.b3 = await seed.student(west, remoteSchool, { grade: '10', learningModel: 'hybrid' });
  await seed.loginEvent(west, s.b3, '2020-10-07T15:00:00Z');

  east = await seed.district({ timeZone: 'America/New_York' });
  const eastSchool = await seed.school(east);
  // Monday 00:30 in New York (Sunday evening in Los Angeles): this week.
  s.c1 = await seed.student(east, eastSchool, { grade: 'KG', learningModel: 'remote' });
  await seed.loginEvent(east, s.c1, '2020-10-05T04:30:00Z');
  s.c2 = await seed.student(east, eastSchool, { grade: 'KG', learningModel: 'in_person' });
  // Sunday 23:59 in New York: the week before. No grade on record.
  s.c3 = await seed.student(east, eastSchool, { learningModel: 'remote' });
  await t.db.query(`UPDATE students SET grade = NULL WHERE id = $1`, [s.c3]);
  await seed.loginEvent(east, s.c3, '2020-10-05T03:59:00Z');

  empty = await seed.district({ timeZone: 'UTC' });
  await seed.school(empty);

  formula = await seed.district({ timeZone: 'UTC' });
  await seed.student(formula, await seed.school(formula), { grade: '=HYPERLINK("http://x","y")', learningModel: 'in_person' });
});
afterAll(async () => {
  await t?.close();
});

async function weekly(token: string, query: Record<string, string>): Promise<{ weekOf: string; weekEnd: string; rows: Row[] }> {
  const res = await t
    .http()
    .get(URL)
    .query(query)
    .set(...bearer(token))
    .expect(200);
  return res.body as { weekOf: string; weekEnd: string; rows: Row[] };
}

describe('weekly learning model report', () => {
  it('counts per grade and district in the district time zone, with school-wide changes and a district total', async () => {
    const report = await weekly(t.adminToken, { weekOf: '2020-10-07', districtId: west });
    expect(report.weekOf).toBe('2020-10-05');
    expect(report.weekEnd).toBe('2020-10-11');
    expect(report.rows).toEqual([
      // a1..a4 and b1 (remote all week through its school); a2 and a4 never connected.
      { districtId: west, schoolId: null, grade: '9', ...counts(5, 0, 0, 5, 100, 2, 40) },
      // a5 hybrid, a6 in person, a7, b2 and b3 remote; a7 (next week) and b2 not connected.
      { districtId: west, schoolId: null, grade: '10', ...counts(5, 1, 1, 3, 60, 2, 66.7) },
      { districtId: west, schoolId: null, grade: null, ...counts(10, 1, 1, 8, 80, 4, 50) },
    ]);
  });

  it('gives every district and a state total to a state token, an empty district included', async () => {
    const report = await weekly(t.adminToken, { weekOf: '2020-10-05' });
    const byDistrict = (id: string | null) => report.rows.filter((row) => row.districtId === id);
    expect(byDistrict(east)).toEqual([
      { districtId: east, schoolId: null, grade: 'KG', ...counts(2, 1, 0, 1, 50, 0, 0) },
      { districtId: east, schoolId: null, grade: 'unknown', ...counts(1, 0, 0, 1, 100, 1, 100) },
      { districtId: east, schoolId: null, grade: null, ...counts(3, 1, 0, 2, 66.7, 1, 50) },
    ]);
    expect(byDistrict(empty)).toEqual([{ districtId: empty, schoolId: null, grade: null, ...counts(0, 0, 0, 0, 0, 0, 0) }]);
    expect(byDistrict(west)).toHaveLength(3);
    expect(byDistrict(formula)).toHaveLength(2);
    // 10 + 3 + 0 + 1 enrolled; 8 + 2 remote; 4 + 1 not connected. The state row comes last.
    expect(report.rows[report.rows.length - 1]).toEqual({
      districtId: null,
      schoolId: null,
      grade: null,
      ...counts(14, 3, 1, 10, 71.4, 5, 50),
    });
    expect(byDistrict(null)).toHaveLength(1);
  });

  it('normalises any day of the week to its Monday and gives the same numbers every time', async () => {
    const monday = await weekly(t.adminToken, { weekOf: '2020-10-05', districtId: west });
    const sunday = await weekly(t.adminToken, { weekOf: '2020-10-11', districtId: west });
    expect(sunday).toEqual(monday);
    // Activity after the week (a login today) changes nothing about that week.
    await seed.loginEvent(west, s.a2, new Date().toISOString());
    expect(await weekly(t.adminToken, { weekOf: '2020-10-08', districtId: west })).toEqual(monday);
    // The week before: only a2's Sunday login (and a7's, which falls in the next) exist, so everyone remote but a2 is disconnected.
    const before = await weekly(t.adminToken, { weekOf: '2020-09-30', districtId: west });
    expect(before.weekOf).toBe('2020-09-28');
    // No school-wide change covers 28 September: b1 and b2 are in person, b3 hybrid.
    expect(before.rows.find((row) => row.grade === null)).toEqual({
      districtId: west,
      schoolId: null,
      grade: null,
      ...counts(10, 3, 2, 5, 50, 4, 80),
    });
  });

  it('breaks districts down per school on request', async () => {
    const report = await weekly(t.adminToken, { weekOf: '2020-10-07', districtId: west, bySchool: 'true' });
    const perSchool = (schoolId: string) => report.rows.filter((row) => row.schoolId === schoolId);
    expect(perSchool(westSchool)).toEqual([
      { districtId: west, schoolId: westSchool, grade: '9', ...counts(4, 0, 0, 4, 100, 2, 50) },
      { districtId: west, schoolId: westSchool, grade: '10', ...counts(3, 1, 1, 1, 33.3, 1, 100) },
      { districtId: west, schoolId: westSchool, grade: null, ...counts(7, 1, 1, 5, 71.4, 3, 60) },
    ]);
    expect(perSchool(remoteSchool)).toEqual([
      { districtId: west, schoolId: remoteSchool, grade: '9', ...counts(1, 0, 0, 1, 100, 0, 0) },
      { districtId: west, schoolId: remoteSchool, grade: '10', ...counts(2, 0, 0, 2, 100, 1, 50) },
      { districtId: west, schoolId: remoteSchool, grade: null, ...counts(3, 0, 0, 3, 100, 1, 33.3) },
    ]);
    // The district rows come first, unchanged.
    expect(report.rows.slice(0, 3).map((row) => [row.schoolId, row.grade, row.enrollment])).toEqual([
      [null, '9', 5],
      [null, '10', 5],
      [null, null, 10],
    ]);
    expect(report.rows).toHaveLength(9);
  });

  it('confines a district token to its own district, without a state row', async () => {
    const token = await tokenFor(t, 'district_admin', east);
    const own = await weekly(token, { weekOf: '2020-10-07' });
    expect(new Set(own.rows.map((row) => row.districtId))).toEqual(new Set([east]));
    const other = await t
      .http()
      .get(URL)
      .query({ weekOf: '2020-10-07', districtId: west })
      .set(...bearer(token))
      .expect(404);
    expect(other.body.code).toBe('district_not_found');
    expect(JSON.stringify(other.body)).not.toContain('enrollment');
  });

  it('answers 404 for a district that does not exist and 400 for a bad week', async () => {
    const missing = await t
      .http()
      .get(URL)
      .query({ weekOf: '2020-10-07', districtId: '00000000-0000-4000-8000-000000000000' })
      .set(...bearer(t.adminToken))
      .expect(404);
    expect(missing.body.code).toBe('district_not_found');
    for (const weekOf of ['2020-02-30', '7 Oct 2020', '']) {
      const bad = await t
        .http()
        .get(URL)
        .query({ weekOf })
        .set(...bearer(t.adminToken))
        .expect(400);
      expect(bad.body.errors.map((e: { field: string }) => e.field)).toContain('weekOf');
    }
    await t
      .http()
      .get(URL)
      .set(...bearer(t.adminToken))
      .expect(400);
    await t
      .http()
      .get(URL)
      .query({ weekOf: '2020-10-07', format: 'xml' })
      .set(...bearer(t.adminToken))
      .expect(400);
  });

  it('lets attendance and auditors read it, and refuses tech and help desk', async () => {
    for (const role of ['attendance', 'auditor']) {
      await t
        .http()
        .get(URL)
        .query({ weekOf: '2020-10-07' })
        .set(...bearer(await tokenFor(t, role, west)))
        .expect(200);
    }
    for (const role of ['tech', 'helpdesk']) {
      const res = await t
        .http()
        .get(URL)
        .query({ weekOf: '2020-10-07' })
        .set(...bearer(await tokenFor(t, role, west)))
        .expect(403);
      expect(res.body.code).toBe('role_not_allowed');
    }
  });
});

describe('weekly report as CSV', () => {
  it('answers text/csv to Accept: text/csv with the row fields as columns', async () => {
    const res = await t
      .http()
      .get(URL)
      .query({ weekOf: '2020-10-07', districtId: west })
      .set(...bearer(t.adminToken))
      .set('Accept', 'text/csv')
      .expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.headers['content-disposition']).toBe('attachment; filename="weekly-learning-model-2020-10-05.csv"');
    const [place] = (await t.db.query(`SELECT name, code FROM districts WHERE id = $1`, [west])) as { name: string; code: string }[];
    // Each id is followed by the district's (or school's) name and code.
    const d = `${west},${place!.name},${place!.code}`;
    expect(res.text).toBe(
      'districtId,districtName,districtCode,schoolId,schoolName,schoolCode,grade,enrollment,inPerson,hybrid,remote,percentRemote,' +
        'remoteNotConnected,percentRemoteNotConnected\r\n' +
        `${d},,,,9,5,0,0,5,100,2,40\r\n` +
        `${d},,,,10,5,1,1,3,60,2,66.7\r\n` +
        `${d},,,,,10,1,1,8,80,4,50\r\n`,
    );
  });

  it('answers CSV to ?format=csv, and JSON to */* or format=json', async () => {
    const csv = await t
      .http()
      .get(URL)
      .query({ weekOf: '2020-10-07', districtId: west, format: 'csv' })
      .set(...bearer(t.adminToken))
      .expect(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const json = await t
      .http()
      .get(URL)
      .query({ weekOf: '2020-10-07', districtId: west })
      .set(...bearer(t.adminToken))
      .set('Accept', '*/*')
      .expect(200);
    expect(json.headers['content-type']).toMatch(/^application\/json/);
    const forced = await t
      .http()
      .get(URL)
      .query({ weekOf: '2020-10-07', districtId: west, format: 'json' })
      .set(...bearer(t.adminToken))
      .set('Accept', 'text/csv')
      .expect(200);
    expect(forced.body.rows).toHaveLength(3);
  });

  it('neutralises a cell that a spreadsheet would run as a formula', async () => {
    const res = await t
      .http()
      .get(URL)
      .query({ weekOf: '2020-10-07', districtId: formula, format: 'csv' })
      .set(...bearer(t.adminToken))
      .expect(200);
    const lines = res.text.split('\r\n');
    const [place] = (await t.db.query(`SELECT name, code FROM districts WHERE id = $1`, [formula])) as { name: string; code: string }[];
    expect(lines[1]).toBe(`${formula},${place!.name},${place!.code},,,,"'=HYPERLINK(""http://x"",""y"")",1,1,0,0,0,0,0`);
  });

  it('still answers errors as problem documents', async () => {
    const res = await t
      .http()
      .get(URL)
      .query({ weekOf: 'nope', format: 'csv' })
      .set(...bearer(t.adminToken))
      .expect(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  });
});

describe('weekly trend in one request', () => {
  const TREND = '/api/v1/reports/weekly-learning-model/trend';
  // A trend row: the weekly report's total row of that week, without the per-model breakdown.
  const FIELDS = ['weekOf', 'districtId', 'schoolId', 'enrollment', 'remote', 'remoteNotConnected', 'percentRemoteNotConnected'] as const;
  const total = (row: Row & { weekOf: string }) => Object.fromEntries(FIELDS.map((field) => [field, row[field]]));

  it('gives, week by week, the total rows each single-week report gives', async () => {
    const res = await t
      .http()
      .get(TREND)
      .query({ weekOf: '2020-10-21', weeks: 3, bySchool: 'true' })
      .set(...bearer(t.adminToken))
      .expect(200);
    expect(res.body).toMatchObject({ weekOf: '2020-10-19', weeks: 3 });
    const expected = [];
    for (const weekOf of ['2020-10-05', '2020-10-12', '2020-10-19']) {
      const single = await weekly(t.adminToken, { weekOf, bySchool: 'true' });
      expected.push(...single.rows.filter((row) => row.grade === null).map((row) => total({ ...row, weekOf })));
    }
    expect(res.body.rows).toEqual(expected);
    // The week of 5 October as counted above: the west district's total and the state total.
    expect(res.body.rows).toContainEqual({
      weekOf: '2020-10-05',
      districtId: west,
      schoolId: null,
      enrollment: 10,
      remote: 8,
      remoteNotConnected: 4,
      percentRemoteNotConnected: 50,
    });
    expect(res.body.rows.filter((row: Row) => row.districtId === null)).toHaveLength(3);
  });

  it('confines a district token to its district, and answers CSV', async () => {
    const token = await tokenFor(t, 'attendance', east);
    const own = await t
      .http()
      .get(TREND)
      .query({ weekOf: '2020-10-07', weeks: 2 })
      .set(...bearer(token))
      .expect(200);
    expect(own.body.rows.map((row: Row & { weekOf: string }) => [row.weekOf, row.districtId, row.schoolId])).toEqual([
      ['2020-09-28', east, null],
      ['2020-10-05', east, null],
    ]);
    await t
      .http()
      .get(TREND)
      .query({ weekOf: '2020-10-07', districtId: west })
      .set(...bearer(token))
      .expect(404);
    const csv = await t
      .http()
      .get(TREND)
      .query({ weekOf: '2020-10-07', weeks: 1, format: 'csv' })
      .set(...bearer(token))
      .expect(200);
    expect(csv.headers['content-disposition']).toBe('attachment; filename="weekly-learning-model-trend-2020-10-05.csv"');
    const [place] = (await t.db.query(`SELECT name, code FROM districts WHERE id = $1`, [east])) as { name: string; code: string }[];
    expect(csv.text).toBe(
      'weekOf,districtId,districtName,districtCode,schoolId,schoolName,schoolCode,enrollment,remote,remoteNotConnected,percentRemoteNotConnected\r\n' +
        `2020-10-05,${east},${place!.name},${place!.code},,,,3,2,1,50\r\n`,
    );
    await t
      .http()
      .get(TREND)
      .query({ weekOf: '2020-10-07', weeks: 0 })
      .set(...bearer(token))
      .expect(400);
  });
});

describe('OpenAPI', () => {
  it('documents each report as JSON with its schema and as text/csv', async () => {
    const res = await t.http().get('/api/docs-json').expect(200);
    const paths = res.body.paths as Record<
      string,
      { get: { responses: Record<string, { content: Record<string, { schema: Record<string, unknown> }> }> } }
    >;
    const expected: Record<string, string> = {
      '/api/v1/reports/weekly-learning-model': 'WeeklyReportDto',
      '/api/v1/reports/rollout': 'RolloutReportDto',
      '/api/v1/reports/rollout/reconciliation': 'ReconciliationListDto',
      '/api/v1/reports/device-health': 'DeviceHealthReportDto',
      '/api/v1/reports/tickets': 'TicketsReportDto',
      '/api/v1/reports/tickets/weekly': 'TicketWeeksReportDto',
      '/api/v1/reports/weekly-learning-model/trend': 'WeeklyTrendDto',
    };
    for (const [path, schema] of Object.entries(expected)) {
      const content = paths[path]!.get.responses['200']!.content;
      expect(content['application/json']!.schema).toEqual({ $ref: `#/components/schemas/${schema}` });
      expect(content['text/csv']!.schema).toMatchObject({ type: 'string' });
      expect(res.body.components.schemas[schema]).toBeDefined();
    }
  });
});
