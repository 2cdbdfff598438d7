import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { bearer, startTestApp, tokenFor, waitForJob, type TestApp } from './support/test-app.js';
import {
  count,
  createDistrict,
  finished,
  importFile,
  manifest,
  ORGS_HEADER,
  upload,
  uploadRefused,
  USERS_HEADER,
  zipOf,
} from './fixtures/imports/support.js';

let t: TestApp;
let importDir: string;

beforeAll(async () => {
  importDir = await mkdtemp(join(tmpdir(), 'rct-imports-'));
  t = await startTestApp({ worker: true, env: { IMPORT_DIR: importDir } });
});
afterAll(async () => {
  await t?.close();
  await rm(importDir, { recursive: true, force: true });
});

const ORGS = [
  ORGS_HEADER,
  'dist-1,,,Groton Public Schools,district,GPS,',
  'sch-lhs,,,Lincoln High School,school,LHS,dist-1',
  'sch-cms,,,Cutler Middle School,school,,dist-1',
  'dept-sci,,,Science Department,department,SCI,sch-lhs',
].join('\n');

const user = (
  id: string,
  org: string,
  given: string,
  family: string,
  extra: { role?: string; grades?: string; email?: string; status?: string } = {},
): string =>
  [
    id,
    extra.status ?? '',
    '',
    'true',
    org,
    extra.role ?? 'student',
    `u-${id}`,
    '',
    given,
    family,
    '',
    `ID-${id}`,
    extra.email ?? `${id}@students.groton.org`,
    '',
    '',
    '',
    extra.grades ?? '09',
    '',
  ].join(',');

const USERS = [
  USERS_HEADER,
  user('st-1', 'sch-lhs', 'Ava', 'Jones', { grades: '"10,11"' }),
  user('st-2', '"dept-sci,sch-lhs"', 'Ben', 'Smith'),
  user('st-3', 'sch-cms', 'Cara', 'Diaz', { grades: '07' }),
  user('tch-1', 'sch-lhs', 'Tom', 'Teacher', { role: 'teacher' }),
  user('st-4', 'sch-nowhere', 'Dan', 'Lost'),
  user('st-5', 'sch-lhs', '', 'Nameless'),
  user('st-6', 'sch-lhs', 'Eve', 'Adams', { email: 'not-an-email' }),
].join('\n');

describe('oneroster zip', () => {
  let district: string;

  beforeAll(async () => {
    district = await createDistrict(t, 'ros-a');
  });

  it('creates schools and students, skips what is not ours, and reports bad rows by file and line', async () => {
    const zip = await zipOf({ 'manifest.csv': manifest('bulk', 'bulk'), 'orgs.csv': ORGS, 'users.csv': USERS });
    const result = await importFile(t, 'oneroster', district, zip, 'roster.zip');
    expect(result.status).toBe('completed');
    // orgs: 2 schools created, district and department skipped; users: 3 students, 1 teacher skipped, 3 bad.
    expect(result.counts).toEqual({ rows: 11, created: 5, updated: 0, unchanged: 0, failed: 3, skipped: 3 });
    expect(result.stats).toEqual({ withdrawn: 0 });
    expect(result.errors.data.map((e) => [e.part, e.line, e.field])).toEqual([
      ['users.csv', 6, 'orgSourcedIds'],
      ['users.csv', 7, 'givenName'],
      ['users.csv', 8, 'email'],
    ]);
    const schools = (await t.db.query(`SELECT sourced_id, code, name FROM schools WHERE district_id = $1 ORDER BY sourced_id`, [
      district,
    ])) as unknown[];
    expect(schools).toEqual([
      { sourced_id: 'sch-cms', code: 'sch-cms', name: 'Cutler Middle School' },
      { sourced_id: 'sch-lhs', code: 'LHS', name: 'Lincoln High School' },
    ]);
    const students = (await t.db.query(
      `SELECT st.sourced_id, sc.code AS school, st.given_name, st.grade, st.identifier, st.enrollment_status
       FROM students st JOIN schools sc ON sc.id = st.school_id WHERE st.district_id = $1 ORDER BY st.sourced_id`,
      [district],
    )) as unknown[];
    expect(students).toEqual([
      { sourced_id: 'st-1', school: 'LHS', given_name: 'Ava', grade: '10', identifier: 'ID-st-1', enrollment_status: 'active' },
      { sourced_id: 'st-2', school: 'LHS', given_name: 'Ben', grade: '09', identifier: 'ID-st-2', enrollment_status: 'active' },
      { sourced_id: 'st-3', school: 'sch-cms', given_name: 'Cara', grade: '07', identifier: 'ID-st-3', enrollment_status: 'active' },
    ]);
    // The batch's new students share one audit row that names them all, and each is found by its own id.
    const created = (await t.db.query(
      `SELECT e.after, cardinality(e.entity_ids) AS named FROM audit_events e WHERE e.entity_type = 'student' AND e.action = 'create' AND e.district_id = $1`,
      [district],
    )) as { after: Record<string, unknown>; named: number }[];
    expect(created).toEqual([
      { after: expect.objectContaining({ importId: result.id, firstLine: 2, lastLine: 4, students: 3 }), named: 3 },
    ]);
    const [ava] = (await t.db.query(`SELECT id FROM students WHERE district_id = $1 AND sourced_id = 'st-1'`, [district])) as {
      id: string;
    }[];
    const audit = await t
      .http()
      .get('/api/v1/audit-events')
      .query({ entityType: 'student', entityId: ava!.id })
      .set(...bearer(t.adminToken))
      .expect(200);
    const events = audit.body.data as { action: string; entityIds: string[] | null; requestId: string }[];
    expect(events.map((e) => [e.action, e.entityIds?.includes(ava!.id), e.requestId])).toEqual([['create', true, `import:${result.id}`]]);
    // The batches' students waited in the search index's pending list, which the import's end merged: a
    // search reads no pending list.
    await t.db.query(`CREATE EXTENSION IF NOT EXISTS pgstattuple`);
    const [gin] = (await t.db.query(`SELECT pending_pages FROM pgstatginindex('students_search_idx')`)) as { pending_pages: number }[];
    expect(gin).toEqual({ pending_pages: 0 });
    const found = await t
      .http()
      .get('/api/v1/students')
      .query({ q: 'ID-st-2', districtId: district })
      .set(...bearer(t.adminToken))
      .expect(200);
    expect(found.body.data.map((s: { sourcedId: string }) => s.sourcedId)).toEqual(['st-2']);
  });

  it('changes nothing when the same file comes again', async () => {
    const zip = await zipOf({ 'manifest.csv': manifest('bulk', 'bulk'), 'orgs.csv': ORGS, 'users.csv': USERS });
    const records = `SELECT count(*) AS n FROM audit_events WHERE district_id = $1 AND entity_type <> 'import'`;
    const audits = await count(t, records, [district]);
    const result = await importFile(t, 'oneroster', district, zip, 'roster.zip');
    expect(result.counts).toEqual({ rows: 11, created: 0, updated: 0, unchanged: 5, failed: 3, skipped: 3 });
    // No student or school changed, so none has a new audit entry.
    expect(await count(t, records, [district])).toBe(audits);
  });

  it('applies a newer bulk file: changes updated, students it no longer names withdrawn', async () => {
    const users = [
      USERS_HEADER,
      user('st-1', 'sch-lhs', 'Ava', 'Jones-Parker', { grades: '11' }),
      user('st-2', 'sch-lhs', 'Ben', 'Smith'),
    ].join('\n');
    const zip = await zipOf({ 'manifest.csv': manifest('absent', 'bulk'), 'users.csv': users });
    // One of three: more than the default share that waits for confirmation.
    await t.db.query(`UPDATE districts SET roster_withdrawal_limit_percent = 50 WHERE id = $1`, [district]);
    const result = await importFile(t, 'oneroster', district, zip, 'roster-2.zip');
    expect(result.counts).toEqual({ rows: 2, created: 0, updated: 1, unchanged: 1, failed: 0, skipped: 0 });
    expect(result.stats).toEqual({ withdrawn: 1, ticketsResolved: 0 });
    const rows = (await t.db.query(
      `SELECT sourced_id, family_name, grade, enrollment_status FROM students WHERE district_id = $1 ORDER BY sourced_id`,
      [district],
    )) as unknown[];
    expect(rows).toEqual([
      { sourced_id: 'st-1', family_name: 'Jones-Parker', grade: '11', enrollment_status: 'active' },
      { sourced_id: 'st-2', family_name: 'Smith', grade: '09', enrollment_status: 'active' },
      { sourced_id: 'st-3', family_name: 'Diaz', grade: '07', enrollment_status: 'withdrawn' },
    ]);
    const seen = await count(t, `SELECT count(*) AS n FROM import_seen_keys WHERE import_id = $1`, [result.id]);
    expect(seen).toBe(0);
  });

  it('applies a delta: tobedeleted withdraws, absence changes nothing', async () => {
    const users = [
      USERS_HEADER,
      user('st-2', 'sch-lhs', 'Ben', 'Smith', { status: 'tobedeleted' }),
      user('st-3', 'sch-cms', 'Cara', 'Diaz', { status: 'active', grades: '07' }),
    ].join('\n');
    const zip = await zipOf({ 'manifest.csv': manifest('absent', 'delta'), 'users.csv': users });
    const result = await importFile(t, 'oneroster', district, zip, 'delta.zip');
    expect(result.counts).toMatchObject({ rows: 2, updated: 2, failed: 0 });
    const rows = (await t.db.query(`SELECT sourced_id, enrollment_status FROM students WHERE district_id = $1 ORDER BY sourced_id`, [
      district,
    ])) as unknown[];
    expect(rows).toEqual([
      { sourced_id: 'st-1', enrollment_status: 'active' },
      { sourced_id: 'st-2', enrollment_status: 'withdrawn' },
      { sourced_id: 'st-3', enrollment_status: 'active' },
    ]);
  });

  it('enrolment dates: a re-activated student is expected from today; enrollments.csv gives the earliest current beginDate', async () => {
    await t.db.query(`UPDATE students SET enrolled_on = '2020-09-01' WHERE district_id = $1`, [district]);
    const enrolledOn = async () =>
      Object.fromEntries(
        (
          (await t.db.query(`SELECT sourced_id, enrolled_on::text AS d FROM students WHERE district_id = $1 ORDER BY sourced_id`, [
            district,
          ])) as { sourced_id: string; d: string }[]
        ).map((r) => [r.sourced_id, r.d]),
      );
    const versions = async () =>
      Object.fromEntries(
        (
          (await t.db.query(`SELECT sourced_id, version FROM students WHERE district_id = $1 ORDER BY sourced_id`, [district])) as {
            sourced_id: string;
            version: number;
          }[]
        ).map((r) => [r.sourced_id, r.version]),
      );
    const first = await versions();
    // st-2 was withdrawn by the delta above; naming it active again restarts its count today.
    const again = [USERS_HEADER, user('st-2', 'sch-lhs', 'Ben', 'Smith', { status: 'active' })].join('\n');
    await importFile(t, 'oneroster', district, await zipOf({ 'manifest.csv': manifest('absent', 'delta'), 'users.csv': again }), 're.zip');
    const today = (
      (await t.db.query(`SELECT (now() AT TIME ZONE time_zone)::date::text AS d FROM districts WHERE id = $1`, [district])) as {
        d: string;
      }[]
    )[0]!.d;
    expect(await enrolledOn()).toEqual({ 'st-1': '2020-09-01', 'st-2': today, 'st-3': '2020-09-01' });

    const enrollments = [
      'sourcedId,status,dateLastModified,classSourcedId,schoolSourcedId,userSourcedId,role,primary,beginDate,endDate',
      'e-1,,,cls-1,sch-lhs,st-1,student,false,2020-08-31,2099-06-18',
      'e-2,,,cls-2,sch-lhs,st-1,student,false,2021-01-11,',
      'e-3,,,cls-3,sch-lhs,st-1,student,false,2019-08-01,2019-10-01',
      'e-4,,,cls-1,sch-lhs,st-2,student,false,2021-02-01,',
      'e-5,,,cls-1,sch-lhs,tch-1,teacher,true,2020-08-31,',
      'e-6,,,cls-1,sch-lhs,st-3,student,false,not-a-date,',
      'e-7,,,cls-1,sch-lhs,st-nobody,student,false,2020-08-31,',
    ].join('\n');
    const zip = await zipOf({
      'manifest.csv':
        'propertyName,value\nmanifest.version,1.0\noneroster.version,1.1\nfile.orgs,absent\nfile.users,absent\nfile.enrollments,bulk\n',
      'enrollments.csv': enrollments,
    });
    const result = await importFile(t, 'oneroster', district, zip, 'enrollments.zip');
    expect(result.counts).toMatchObject({ rows: 7, failed: 1, skipped: 1 });
    // st-1: the earliest enrolment not ended (the 2019 one ended); st-3 keeps its date (its row was bad).
    expect(await enrolledOn()).toEqual({ 'st-1': '2020-08-31', 'st-2': '2021-02-01', 'st-3': '2020-09-01' });
    // Each statement that changed a student moved its version (its ETag) by exactly one.
    expect(await versions()).toEqual({ 'st-1': first['st-1'] + 1, 'st-2': first['st-2'] + 2, 'st-3': first['st-3'] });
    expect(await count(t, `SELECT count(*) AS n FROM import_enrollment_dates`)).toBe(0);
    // The new dates are audited in rows naming the students that share a before and an after.
    const moved = (await t.db.query(
      `SELECT e.before, e.after, s.sourced_id FROM audit_events e JOIN students s ON s.id = ANY(e.entity_ids)
       WHERE e.district_id = $1 AND e.entity_type = 'student' AND e.action = 'update' AND e.after ? 'enrolledOn' ORDER BY s.sourced_id`,
      [district],
    )) as unknown[];
    expect(moved).toEqual([
      { before: { enrolledOn: '2020-09-01' }, after: { enrolledOn: '2020-08-31' }, sourced_id: 'st-1' },
      { before: { enrolledOn: today }, after: { enrolledOn: '2021-02-01' }, sourced_id: 'st-2' },
    ]);
    const audits = `SELECT count(*) AS n FROM audit_events WHERE district_id = $1 AND entity_type = 'student'`;
    const before = await count(t, audits, [district]);
    await importFile(t, 'oneroster', district, zip, 'enrollments-again.zip');
    expect(await count(t, audits, [district])).toBe(before);
  });

  it("a first roster creates its students with enrollments.csv's dates: each written once, no date moved at the end", async () => {
    const other = await createDistrict(t, 'ros-dates');
    const users = [
      USERS_HEADER,
      user('st-1', 'sch-lhs', 'Ava', 'Jones'),
      user('st-2', 'sch-lhs', 'Ben', 'Smith'),
      user('st-3', 'sch-cms', 'Cara', 'Diaz'),
    ];
    const enrollments = [
      'sourcedId,status,dateLastModified,classSourcedId,schoolSourcedId,userSourcedId,role,primary,beginDate,endDate',
      'e-1,,,cls-1,sch-lhs,st-1,student,false,2021-01-11,',
      'e-2,,,cls-2,sch-lhs,st-1,student,false,2020-08-31,2099-06-18',
      'e-3,,,cls-1,sch-lhs,st-2,student,false,2019-08-01,2019-10-01',
    ];
    const zip = await zipOf({
      // users.csv first in the manifest and the zip: the import reads enrollments.csv first all the same.
      'manifest.csv': manifest('bulk', 'bulk').replace('file.enrollments,absent', 'file.enrollments,bulk'),
      'orgs.csv': ORGS,
      'users.csv': users.join('\n'),
      'enrollments.csv': enrollments.join('\n'),
    });
    const result = await importFile(t, 'oneroster', other, zip, 'first.zip');
    expect(result).toMatchObject({ status: 'completed', counts: { failed: 0 } });
    const today = (
      (await t.db.query(`SELECT (now() AT TIME ZONE time_zone)::date::text AS d FROM districts WHERE id = $1`, [other])) as { d: string }[]
    )[0]!.d;
    const rows = (await t.db.query(
      `SELECT sourced_id, enrolled_on::text AS enrolled_on, version FROM students WHERE district_id = $1 ORDER BY sourced_id`,
      [other],
    )) as unknown[];
    // st-2's only enrolment ended, st-3 has none: both are expected from the district's today.
    expect(rows).toEqual([
      { sourced_id: 'st-1', enrolled_on: '2020-08-31', version: 1 },
      { sourced_id: 'st-2', enrolled_on: today, version: 1 },
      { sourced_id: 'st-3', enrolled_on: today, version: 1 },
    ]);
    const moved = `SELECT count(*) AS n FROM audit_events WHERE district_id = $1 AND entity_type = 'student' AND action = 'update'`;
    expect(await count(t, moved, [other])).toBe(0);
  });

  it('refuses at upload a file whose header does not match, naming the columns, before writing anything', async () => {
    const other = await createDistrict(t, 'ros-b');
    const before = await count(t, `SELECT count(*) AS n FROM imports`);
    const badUsers = USERS.replace('givenName,familyName', 'givn_name,familyName');
    const zip = await zipOf({ 'manifest.csv': manifest('bulk', 'bulk'), 'orgs.csv': ORGS, 'users.csv': badUsers });
    const problem = await uploadRefused(t, t.adminToken, 'oneroster', other, zip, 'bad.zip');
    expect(problem).toMatchObject({
      code: 'import_file_refused',
      detail: 'The header of users.csv does not match: missing givenName (did you mean "givn_name"?). Nothing was imported.',
      errors: [
        {
          field: 'givenName',
          line: 1,
          message: 'users.csv: missing column (accepted names: "givenName"); did you mean "givn_name"?',
        },
      ],
    });
    expect(await count(t, `SELECT count(*) AS n FROM imports`)).toBe(before);
    // Not even the valid orgs.csv of the same zip was applied.
    expect(await count(t, `SELECT count(*) AS n FROM schools WHERE district_id = $1`, [other])).toBe(0);
    expect(await count(t, `SELECT count(*) AS n FROM students WHERE district_id = $1`, [other])).toBe(0);
  });

  it('refuses at upload a zip without manifest.csv, and a file of the wrong format', async () => {
    expect(await uploadRefused(t, t.adminToken, 'oneroster', district, await zipOf({ 'users.csv': USERS }), 'x.zip')).toMatchObject({
      detail: 'The OneRoster zip has no manifest.csv.',
      errors: [{ field: 'manifest.csv', line: 1, message: 'missing file' }],
    });
    expect(await uploadRefused(t, t.adminToken, 'devices', district, '{"chromeosdevices": []}', 'x.json')).toMatchObject({
      detail: 'A devices import is a CSV file, not JSON.',
    });
  });
});

describe('file encodings', () => {
  it('reads a lone users.csv with a BOM, CRLF, quoted commas and line breaks, and blank trailing lines', async () => {
    const district = await createDistrict(t, 'enc-a');
    await t.db.query(`INSERT INTO schools (district_id, name, code, sourced_id) VALUES ($1, 'LHS', 'LHS', 'sch-lhs')`, [district]);
    const rows = [
      USERS_HEADER,
      'st-1,,,true,sch-lhs,student,u1,,"Mary ""Molly""","O\'Brien, Jr.",,1,m@students.groton.org,,,,"09,10",',
      'st-2,,,true,sch-lhs,student,u2,,Li,"Wei\r\nZhang",,2,,,,,10,',
      'st-3,,,true,sch-lhs,student,u3,,,Nogiven,,3,,,,,10,',
      'st-4,,,true,sch-lhs,student,u4,,Zoe,Quinn,,4,,,,,12,',
    ];
    const csv = `\uFEFF${rows.join('\r\n')}\r\n\r\n\r\n`;
    const result = await importFile(t, 'oneroster', district, csv, 'users.csv');
    expect(result.status).toBe('completed');
    expect(result.counts).toEqual({ rows: 4, created: 3, updated: 0, unchanged: 0, failed: 1, skipped: 0 });
    // st-2 spans lines 3 and 4, so st-3 starts on line 5.
    expect(result.errors.data).toEqual([
      expect.objectContaining({ part: 'users.csv', line: 5, field: 'givenName', message: 'is required' }),
    ]);
    const students = (await t.db.query(
      `SELECT sourced_id, given_name, family_name, grade FROM students WHERE district_id = $1 ORDER BY sourced_id`,
      [district],
    )) as unknown[];
    expect(students).toEqual([
      { sourced_id: 'st-1', given_name: 'Mary "Molly"', family_name: "O'Brien, Jr.", grade: '09' },
      { sourced_id: 'st-2', given_name: 'Li', family_name: 'Wei\r\nZhang', grade: '10' },
      { sourced_id: 'st-4', given_name: 'Zoe', family_name: 'Quinn', grade: '12' },
    ]);
  });
});

describe('student-attributes', () => {
  it('sets learning model and home internet, reporting unknown students and values', async () => {
    const district = await createDistrict(t, 'att-a');
    const school = (await t.db.query(`INSERT INTO schools (district_id, name, code) VALUES ($1, 'S', 'S') RETURNING id`, [district])) as {
      id: string;
    }[];
    await t.db.query(
      `INSERT INTO students (district_id, school_id, sourced_id, given_name, family_name) VALUES ($1, $2, 'a', 'A', 'A'), ($1, $2, 'b', 'B', 'B')`,
      [district, school[0]!.id],
    );
    const csv = 'sourcedId,learningModel,homeInternet\na,Fully Remote,no\nb,In-Person,\nzz,hybrid,yes\nb,teleport,yes\n';
    const result = await importFile(t, 'student-attributes', district, csv, 'attributes.csv');
    expect(result.counts).toEqual({ rows: 4, created: 0, updated: 1, unchanged: 1, failed: 2, skipped: 0 });
    expect(result.errors.data.map((e) => [e.line, e.field])).toEqual([
      [4, 'sourcedId'],
      [5, 'learningModel'],
    ]);
    const rows = (await t.db.query(
      `SELECT sourced_id, learning_model, home_internet FROM students WHERE district_id = $1 ORDER BY sourced_id`,
      [district],
    )) as unknown[];
    expect(rows).toEqual([
      { sourced_id: 'a', learning_model: 'remote', home_internet: 'no' },
      { sourced_id: 'b', learning_model: 'in_person', home_internet: 'unknown' },
    ]);
    const again = await importFile(t, 'student-attributes', district, csv, 'attributes.csv');
    expect(again.counts).toMatchObject({ updated: 0, unchanged: 2, failed: 2 });
  });
});

describe('the imports API', () => {
  let district: string;
  let elsewhere: string;

  beforeAll(async () => {
    district = await createDistrict(t, 'api-a');
    elsewhere = await createDistrict(t, 'api-b');
  });

  it('names the missing or bad field, and leaves no file or row behind', async () => {
    const before = await count(t, `SELECT count(*) AS n FROM imports`);
    const noKind = await t
      .http()
      .post('/api/v1/imports')
      .set(...bearer(t.adminToken))
      .field('districtId', district)
      .attach('file', Buffer.from('a'), 'a.csv')
      .expect(400);
    expect(noKind.body.errors).toEqual([expect.objectContaining({ field: 'kind' })]);
    const badKind = await t
      .http()
      .post('/api/v1/imports')
      .set(...bearer(t.adminToken))
      .field('kind', 'spreadsheet')
      .field('districtId', district)
      .attach('file', Buffer.from('a'), 'a.csv')
      .expect(400);
    expect(badKind.body.errors).toEqual([expect.objectContaining({ field: 'kind' })]);
    const noFile = await t
      .http()
      .post('/api/v1/imports')
      .set(...bearer(t.adminToken))
      .field('kind', 'devices')
      .field('districtId', district)
      .expect(400);
    expect(noFile.body.errors).toEqual([{ field: 'file', message: 'is required' }]);
    const noDistrict = await t
      .http()
      .post('/api/v1/imports')
      .set(...bearer(t.adminToken))
      .field('kind', 'devices')
      .attach('file', Buffer.from('a'), 'a.csv')
      .expect(400);
    expect(noDistrict.body.errors).toEqual([expect.objectContaining({ field: 'districtId' })]);
    const unknownDistrict = await t
      .http()
      .post('/api/v1/imports')
      .set(...bearer(t.adminToken))
      .field('kind', 'devices')
      .field('districtId', '00000000-0000-4000-8000-000000000000')
      .attach('file', Buffer.from('a'), 'a.csv')
      .expect(422);
    expect(unknownDistrict.body).toMatchObject({
      code: 'district_not_found',
      errors: [{ field: 'districtId', message: 'no such district' }],
    });
    expect(await count(t, `SELECT count(*) AS n FROM imports`)).toBe(before);
    // The rejected uploads were removed from the import directory once the response was sent.
    await t.http().get('/health/live').expect(200);
    expect(await readdir(importDir)).toEqual([]);
  });

  it('lets tech import and the auditor only read; another district sees nothing of it', async () => {
    const tech = await tokenFor(t, 'tech', district);
    const auditor = await tokenFor(t, 'auditor', district);
    const helpdesk = await tokenFor(t, 'helpdesk', district);
    const outsider = await tokenFor(t, 'district_admin', elsewhere);

    const id = await upload(t, tech, 'devices', null, 'serialNumber,kind\nSN-1,chromebook\n', 'd.csv');
    const done = await finished(t, auditor, id);
    expect(done).toMatchObject({ status: 'completed', counts: { created: 1 } });
    // The uploaded file is gone once the import's job has ended (it is removed after the status is saved).
    await waitForJob(t, 'imports', id);
    expect(await readdir(importDir)).toEqual([]);

    const denied = await t
      .http()
      .post('/api/v1/imports')
      .set(...bearer(auditor))
      .field('kind', 'devices')
      .attach('file', Buffer.from('a'), 'a.csv')
      .expect(403);
    expect(denied.body.code).toBe('role_not_allowed');
    await t
      .http()
      .get(`/api/v1/imports/${id}`)
      .set(...bearer(helpdesk))
      .expect(403);
    const hidden = await t
      .http()
      .get(`/api/v1/imports/${id}`)
      .set(...bearer(outsider))
      .expect(404);
    expect(hidden.body.code).toBe('import_not_found');
    await t
      .http()
      .get(`/api/v1/imports/${id}/errors`)
      .set(...bearer(outsider))
      .expect(404);
    const theirs = await t
      .http()
      .get('/api/v1/imports')
      .set(...bearer(outsider))
      .expect(200);
    expect(theirs.body.data).toEqual([]);
    await t
      .http()
      .get(`/api/v1/imports?districtId=${district}`)
      .set(...bearer(outsider))
      .expect(404);
    // Nor can a district token import into another district.
    await t
      .http()
      .post('/api/v1/imports')
      .set(...bearer(outsider))
      .field('kind', 'devices')
      .field('districtId', district)
      .attach('file', Buffer.from('a'), 'a.csv')
      .expect(404);
  });

  it('pages through every row error and the import list', async () => {
    // Enough errors that their ids cross a power of ten: sorted as text, "100" would come before "99".
    const rows = ['serialNumber,kind', ...Array.from({ length: 120 }, (_, i) => `,chromebook${i}`)].join('\n');
    const result = await importFile(t, 'devices', district, rows, 'bad.csv');
    expect(result.counts.failed).toBe(120);
    const lines: number[] = [];
    let cursor: string | null = null;
    do {
      const res: { body: { data: { line: number }[]; nextCursor: string | null } } = await t
        .http()
        .get(`/api/v1/imports/${result.id}/errors`)
        .query({ limit: 25, ...(cursor ? { cursor } : {}) })
        .set(...bearer(t.adminToken))
        .expect(200);
      lines.push(...res.body.data.map((e) => e.line));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(lines).toEqual(Array.from({ length: 120 }, (_, i) => i + 2));
    await t
      .http()
      .get(`/api/v1/imports/${result.id}/errors?cursor=bm9wZQ`)
      .set(...bearer(t.adminToken))
      .expect(400);

    const ids: string[] = [];
    cursor = null;
    do {
      const res: { body: { data: { id: string }[]; nextCursor: string | null } } = await t
        .http()
        .get('/api/v1/imports')
        .query({ districtId: district, limit: 1, ...(cursor ? { cursor } : {}) })
        .set(...bearer(t.adminToken))
        .expect(200);
      ids.push(...res.body.data.map((i) => i.id));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(ids.length).toBe(2);
    expect(ids[0]).toBe(result.id);
    expect(new Set(ids).size).toBe(2);
  });
});
