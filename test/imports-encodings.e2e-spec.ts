import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DomainError } from '../src/common/errors/domain-error.js';
import { ImportsService } from '../src/imports/imports.service.js';
import { bearer, startTestApp, type TestApp } from './support/test-app.js';
import {
  count,
  createDistrict,
  createSchool,
  fixture,
  importFile,
  manifest,
  ORGS_HEADER,
  postImport,
  USERS_HEADER,
  zipOf,
} from './fixtures/imports/support.js';

let t: TestApp;
let importDir: string;

beforeAll(async () => {
  importDir = await mkdtemp(join(tmpdir(), 'rct-encodings-'));
  t = await startTestApp({ worker: true, env: { IMPORT_DIR: importDir } });
});
afterAll(async () => {
  await t?.close();
  await rm(importDir, { recursive: true, force: true });
});

/** A district with Lincoln High School (sch-lhs) and Cutler Middle School (sch-cms). */
async function rosterDistrict(code: string): Promise<string> {
  const district = await createDistrict(t, code);
  await createSchool(t, district, 'LHS', 'Lincoln High School', 'sch-lhs');
  await createSchool(t, district, 'CMS', 'Cutler Middle School', 'sch-cms');
  return district;
}

/** Each student's names as stored, with their UTF-8 bytes as PostgreSQL holds them. */
async function names(district: string): Promise<{ sourced_id: string; given_name: string; family_name: string; hex: string }[]> {
  return (await t.db.query(
    `SELECT sourced_id, given_name, family_name, encode(convert_to(given_name || '|' || family_name, 'UTF8'), 'hex') AS hex
     FROM students WHERE district_id = $1 ORDER BY sourced_id`,
    [district],
  )) as { sourced_id: string; given_name: string; family_name: string; hex: string }[];
}

const utf8Hex = (given: string, family: string): string => Buffer.from(`${given}|${family}`, 'utf8').toString('hex');

/** Posts a file and expects it refused at once: the problem, with nothing recorded or left on disk. */
async function refused(district: string, kind: string, content: Buffer | string, fileName: string): Promise<Record<string, unknown>> {
  const before = await count(t, `SELECT count(*) AS n FROM imports`);
  const res = await postImport(t, t.adminToken, kind, district, content, fileName);
  expect(res.status).toBe(422);
  expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
  expect(await count(t, `SELECT count(*) AS n FROM imports`)).toBe(before);
  await t.http().get('/health/live').expect(200);
  expect(await readdir(importDir)).toEqual([]);
  return res.body as Record<string, unknown>;
}

describe('file encodings', () => {
  it('keeps Windows-1252 names intact, as Excel on Windows saves them', async () => {
    const district = await rosterDistrict('enc-1252');
    const result = await importFile(t, 'oneroster', district, await fixture('roster-windows-1252.csv'), 'users.csv');
    expect(result).toMatchObject({ status: 'completed', counts: { rows: 3, created: 3, failed: 0 } });
    expect(await names(district)).toEqual([
      { sourced_id: 'w-1', given_name: 'José', family_name: 'Peña', hex: utf8Hex('José', 'Peña') },
      { sourced_id: 'w-2', given_name: 'Zoë', family_name: 'Brontë', hex: utf8Hex('Zoë', 'Brontë') },
      { sourced_id: 'w-3', given_name: 'Renée', family_name: 'O\u2019Connor', hex: utf8Hex('Renée', 'O\u2019Connor') },
    ]);
  });

  it('reads UTF-16 LE and BE with a byte-order mark, and UTF-8 with one', async () => {
    const le = await rosterDistrict('enc-16le');
    const utf16 = await fixture('roster-utf16le.csv');
    expect(await importFile(t, 'oneroster', le, utf16, 'users.csv')).toMatchObject({ status: 'completed', counts: { created: 3 } });
    const expected = [
      { sourced_id: 'u-1', given_name: 'Łukasz', family_name: 'Żółć', hex: utf8Hex('Łukasz', 'Żółć') },
      { sourced_id: 'u-2', given_name: 'Thảo', family_name: 'Nguyễn', hex: utf8Hex('Thảo', 'Nguyễn') },
      { sourced_id: 'u-3', given_name: 'Ana 😀', family_name: 'Silva', hex: utf8Hex('Ana 😀', 'Silva') },
    ];
    expect(await names(le)).toEqual(expected);

    const be = await rosterDistrict('enc-16be');
    const bigEndian = Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(utf16.subarray(2)).swap16()]);
    expect(await importFile(t, 'oneroster', be, bigEndian, 'users.csv')).toMatchObject({ status: 'completed', counts: { created: 3 } });
    expect(await names(be)).toEqual(expected);

    const bom = await rosterDistrict('enc-bom');
    expect(await importFile(t, 'oneroster', bom, await fixture('roster-utf8-bom.csv'), 'users.csv')).toMatchObject({
      status: 'completed',
      counts: { created: 2 },
    });
    expect(await names(bom)).toEqual([
      { sourced_id: 'b-1', given_name: 'Søren', family_name: 'Kierkegård', hex: utf8Hex('Søren', 'Kierkegård') },
      { sourced_id: 'b-2', given_name: 'Zoë', family_name: 'Müller', hex: utf8Hex('Zoë', 'Müller') },
    ]);
  });

  it('refuses at upload a file whose encoding cannot be decided, naming what it found', async () => {
    const district = await rosterDistrict('enc-bad');
    const body = await refused(district, 'oneroster', await fixture('roster-undecidable.csv'), 'users.csv');
    expect(body).toMatchObject({ code: 'import_file_refused', status: 422 });
    expect(body['detail']).toMatch(
      /encoding cannot be decided: there is no byte-order mark; byte \d+ starts bytes 81 2C .*not UTF-8.*byte 81 is no Windows-1252/,
    );
    expect(body['errors']).toEqual([{ field: 'file', message: body['detail'] }]);
    // UTF-8 and Windows-1252 mixed in the first lines is refused as well.
    const mixed = Buffer.concat([
      Buffer.from(`${USERS_HEADER}\n1,,,true,sch-lhs,student,u1,,Zoë,Adams,,1,,,,,09,\n`, 'utf8'),
      Buffer.from('2,,,true,sch-lhs,student,u2,,Jos\xe9,Pe\xf1a,,2,,,,,09,\n', 'latin1'),
    ]);
    expect((await refused(district, 'oneroster', mixed, 'users.csv'))['detail']).toMatch(/mixes encodings/);
    expect(await count(t, `SELECT count(*) AS n FROM students WHERE district_id = $1`, [district])).toBe(0);
  });

  it('stops a UTF-8 file that turns to another encoding further down, never storing U+FFFD', async () => {
    const district = await rosterDistrict('enc-late');
    const rows = [USERS_HEADER, '1,,,true,sch-lhs,student,u1,,Zoë,Adams,,1,,,,,09,'];
    // Past the first chunk the upload check reads.
    for (let i = 2; i < 5000; i += 1) rows.push(`${i},,,true,sch-lhs,student,u${i},,Ann,Lee,,${i},,,,,09,`);
    const file = Buffer.concat([
      Buffer.from(`${rows.join('\n')}\n`, 'utf8'),
      Buffer.from('9999,,,true,sch-lhs,student,u9,,Jos\xe9,Pe\xf1a,,9,,,,,09,\n', 'latin1'),
    ]);
    const result = await importFile(t, 'oneroster', district, file, 'users.csv');
    expect(result.status).toBe('failed');
    expect(result.errorSummary).toMatch(/not valid UTF-8 at byte \d+ \(bytes E9 2C .*it mixes encodings/);
    expect(
      await count(
        t,
        `SELECT count(*) AS n FROM students WHERE district_id = $1 AND given_name || family_name LIKE '%' || chr(65533) || '%'`,
        [district],
      ),
    ).toBe(0);
  });
});

describe('headers', () => {
  let district: string;

  beforeAll(async () => {
    district = await rosterDistrict('hdr-a');
    await t.db.query(
      `INSERT INTO students (district_id, school_id, sourced_id, given_name, family_name)
       SELECT $1, id, 'st-' || n, 'G', 'F' FROM schools, generate_series(1, 2) n WHERE district_id = $1 AND code = 'LHS'`,
      [district],
    );
  });

  it('refuses a header with a typo at upload, with "did you mean", writing nothing', async () => {
    const body = await refused(
      district,
      'devices',
      'Asset Tag,Serail Number,Category,Cost Center\nCB-1,5CD1,Chromebooks,IT\n',
      'assets.csv',
    );
    expect(body).toMatchObject({
      code: 'import_file_refused',
      detail: 'The header does not match: missing serialNumber (did you mean "Serail Number"?). Nothing was imported.',
      errors: [
        {
          field: 'serialNumber',
          line: 1,
          message: 'missing column (accepted names: "serialNumber", "Serial", "Serial Number", "SN"); did you mean "Serail Number"?',
        },
      ],
    });
    expect(await count(t, `SELECT count(*) AS n FROM devices WHERE district_id = $1`, [district])).toBe(0);
  });

  it('ignores unknown columns, listing them as warnings on the import', async () => {
    const csv = 'sourcedId,learningModel,Homeroom,homeInternet\nst-1,remote,12B,none\nst-2,hybrid,12C,yes\n';
    const result = await importFile(t, 'student-attributes', district, csv, 'attributes.csv');
    expect(result).toMatchObject({ status: 'completed', counts: { rows: 2, updated: 2, failed: 0 }, ignoredColumns: ['Homeroom'] });
    expect(result.warnings).toEqual([{ part: null, column: 'Homeroom', message: 'unknown column, ignored' }]);
    expect(
      await t.db.query(`SELECT sourced_id, learning_model, home_internet FROM students WHERE district_id = $1 ORDER BY sourced_id`, [
        district,
      ]),
    ).toEqual([
      { sourced_id: 'st-1', learning_model: 'remote', home_internet: 'no' },
      { sourced_id: 'st-2', learning_model: 'hybrid', home_internet: 'yes' },
    ]);
  });

  it('refuses the same file at once on the command line, recording nothing', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rct-hdr-'));
    const path = join(dir, 'assets.csv');
    await writeFile(path, 'Asset Tag,Serail Number,Category\nCB-1,5CD1,Chromebooks\n');
    const before = await count(t, `SELECT count(*) AS n FROM imports`);
    const error = await t.app
      .get(ImportsService)
      .createLocal(district, 'devices', path)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ code: 'import_file_refused', message: expect.stringMatching(/did you mean "Serail Number"\?/) });
    expect(await count(t, `SELECT count(*) AS n FROM imports`)).toBe(before);
    await rm(dir, { recursive: true, force: true });
  });
});

describe('OneRoster', () => {
  it('accepts vendor extension and unknown columns, listing them as warnings; a member may be Windows-1252', async () => {
    const district = await createDistrict(t, 'ext-a');
    const orgs = [
      `${ORGS_HEADER},metadata.ncesId`,
      'sch-lhs,,,Lincoln High School,school,LHS,,090123',
      'dist,,,Groton,district,GPS,,',
    ].join('\n');
    const users = [
      `${USERS_HEADER},ext_clever_id,metadata.homeroom,nickname`,
      'st-1,,,true,sch-lhs,student,u1,,José,Peña,,S1,jose@students.groton.org,,,,10,,c-1,12B,Pepe',
      'st-2,,,true,sch-lhs,student,u2,,Zoë,Adams,,S2,,,,,11,,c-2,12C,',
    ].join('\n');
    // users.csv saved from Excel on Windows, orgs.csv in UTF-8.
    const zip = await zipOf({ 'manifest.csv': manifest('bulk', 'bulk'), 'orgs.csv': orgs, 'users.csv': Buffer.from(users, 'latin1') });
    const result = await importFile(t, 'oneroster', district, zip, 'roster.zip');
    expect(result).toMatchObject({ status: 'completed', counts: { created: 3, failed: 0, skipped: 1 } });
    expect(result.warnings).toEqual([
      { part: 'orgs.csv', column: 'metadata.ncesId', message: 'extension column, ignored' },
      { part: 'users.csv', column: 'ext_clever_id', message: 'extension column, ignored' },
      { part: 'users.csv', column: 'metadata.homeroom', message: 'extension column, ignored' },
      { part: 'users.csv', column: 'nickname', message: 'unknown column, ignored' },
    ]);
    expect(
      await t.db.query(
        `SELECT s.sourced_id, s.given_name, s.family_name, s.identifier, s.grade, sc.code FROM students s JOIN schools sc ON sc.id = s.school_id
         WHERE s.district_id = $1 ORDER BY s.sourced_id`,
        [district],
      ),
    ).toEqual([
      { sourced_id: 'st-1', given_name: 'José', family_name: 'Peña', identifier: 'S1', grade: '10', code: 'LHS' },
      { sourced_id: 'st-2', given_name: 'Zoë', family_name: 'Adams', identifier: 'S2', grade: '11', code: 'LHS' },
    ]);
  });

  it('imports a OneRoster 1.2 roster: who is a student and of which school from roles.csv', async () => {
    const district = await createDistrict(t, 'or12-a');
    const manifest12 = [
      'propertyName,value',
      'manifest.version,1.0',
      'oneroster.version,1.2',
      'file.academicSessions,absent',
      'file.orgs,bulk',
      'file.users,bulk',
      'file.roles,bulk',
      'file.enrollments,absent',
      'file.userProfiles,absent',
    ].join('\n');
    const orgs = [
      ORGS_HEADER,
      'dist,,,Groton,district,GPS,',
      'sch-lhs,,,Lincoln High School,school,LHS,dist',
      'sch-cms,,,Cutler Middle School,school,CMS,dist',
    ].join('\n');
    const users = [
      'sourcedId,status,dateLastModified,enabledUser,username,userIds,givenName,familyName,middleName,identifier,email,sms,phone,agentSourcedIds,grades,password,userMasterIdentifier,resourceSourcedIds,preferredGivenName,preferredMiddleName,preferredFamilyName,primaryOrgSourcedId,pronouns',
      'st-1,,,true,jpena,{sis:1001},José,Peña,,1001,jose@students.groton.org,,,"g-1,g-2",09,,STATE-1,,Pepe,,,sch-lhs,he/him',
      'st-2,,,true,zadams,,Zoë,Adams,,,,,,,07,,STATE-2,,,,,,',
      't-1,,,true,tteacher,,Tom,Teacher,,T1,tom@groton.org,,,,,,,,,,,sch-lhs,',
    ].join('\n');
    const roles = [
      'sourcedId,status,dateLastModified,userSourcedId,roleType,role,beginDate,endDate,orgSourcedId,userProfileSourcedId',
      'r-1,,,st-1,primary,student,2020-08-20,,sch-lhs,',
      'r-2,,,st-2,secondary,student,,,sch-lhs,',
      'r-3,,,st-2,primary,student,,,sch-cms,',
      'r-4,,,t-1,primary,teacher,,,sch-lhs,',
    ].join('\n');
    const zip = await zipOf({ 'manifest.csv': manifest12, 'orgs.csv': orgs, 'users.csv': users, 'roles.csv': roles });
    const result = await importFile(t, 'oneroster', district, zip, 'roster-1.2.zip');
    expect(result.errors.data).toEqual([]);
    // Schools 2 (+1 district org skipped), role rows 4 (the teacher's skipped), users 3 (the teacher skipped).
    expect(result).toMatchObject({ status: 'completed', counts: { rows: 10, created: 4, failed: 0, skipped: 3 } });
    expect(result.warnings).toEqual([]);
    expect(
      await t.db.query(
        `SELECT s.sourced_id, s.given_name, s.family_name, s.identifier, s.grade, s.email, sc.code, s.enrollment_status
         FROM students s JOIN schools sc ON sc.id = s.school_id WHERE s.district_id = $1 ORDER BY s.sourced_id`,
        [district],
      ),
    ).toEqual([
      {
        sourced_id: 'st-1',
        given_name: 'José',
        family_name: 'Peña',
        identifier: '1001',
        grade: '09',
        email: 'jose@students.groton.org',
        code: 'LHS',
        enrollment_status: 'active',
      },
      // No identifier: the master identifier; no primary org: the primary role's school first.
      {
        sourced_id: 'st-2',
        given_name: 'Zoë',
        family_name: 'Adams',
        identifier: 'STATE-2',
        grade: '07',
        email: null,
        code: 'CMS',
        enrollment_status: 'active',
      },
    ]);
    expect(await count(t, `SELECT count(*) AS n FROM import_roster_roles`)).toBe(0);

    const withoutRoles = await zipOf({
      'manifest.csv': manifest12.replace('file.roles,bulk', 'file.roles,absent'),
      'orgs.csv': orgs,
      'users.csv': users,
    });
    const body = await refused(district, 'oneroster', withoutRoles, 'roster-1.2.zip');
    expect(body['detail']).toMatch(/users\.csv has no role column \(OneRoster 1\.2\).*no roles\.csv/);
  });
});

describe('Google device states', () => {
  it('retires Chromebooks Google deprovisioned or took back, unless a student holds one; disabled ones are flagged', async () => {
    const district = await createDistrict(t, 'goo-a');
    const school = await createSchool(t, district, 'LHS');
    const [student] = (await t.db.query(
      `INSERT INTO students (district_id, school_id, sourced_id, given_name, family_name) VALUES ($1, $2, 'st-1', 'Ava', 'Jones') RETURNING id`,
      [district, school],
    )) as { id: string }[];
    const [held] = (await t.db.query(
      `INSERT INTO devices (district_id, school_id, kind, serial_number, status) VALUES
         ($1, $2, 'chromebook', 'HELD-1', 'assigned'), ($1, $2, 'chromebook', 'STOCK-1', 'in_stock'), ($1, $2, 'chromebook', 'STOCK-2', 'in_stock')
       RETURNING id`,
      [district, school],
    )) as { id: string }[];
    await t.db.query(`INSERT INTO assignments (district_id, device_id, student_id) VALUES ($1, $2, $3)`, [district, held!.id, student!.id]);
    const page = {
      kind: 'admin#directory#chromeosdevices',
      chromeosdevices: [
        { serialNumber: 'STOCK-1', status: 'DEPROVISIONED' },
        { serialNumber: 'HELD-1', status: 'DEPROVISIONED' },
        { serialNumber: 'NEW-1', status: 'DEPROVISIONED', model: 'Lenovo 300e' },
        { serialNumber: 'NEW-2', status: 'RETURN_ARRIVED' },
        { serialNumber: 'STOCK-2', status: 'DISABLED' },
        { serialNumber: 'NEW-3', status: 'ACTIVE' },
      ],
    };
    const result = await importFile(t, 'chromeos-devices', district, JSON.stringify(page), 'devices.json');
    expect(result).toMatchObject({ status: 'completed', counts: { rows: 6, created: 3, updated: 3, failed: 0 } });
    expect(result.stats).toMatchObject({ devicesCreated: 3, retired: 3 });
    expect(
      await t.db.query(
        `SELECT serial_number, status, google_status, retired_at IS NOT NULL AS retired FROM devices WHERE district_id = $1 ORDER BY serial_number`,
        [district],
      ),
    ).toEqual([
      { serial_number: 'HELD-1', status: 'assigned', google_status: 'DEPROVISIONED', retired: false },
      { serial_number: 'NEW-1', status: 'retired', google_status: 'DEPROVISIONED', retired: true },
      { serial_number: 'NEW-2', status: 'retired', google_status: 'RETURN_ARRIVED', retired: true },
      { serial_number: 'NEW-3', status: 'in_stock', google_status: 'ACTIVE', retired: false },
      { serial_number: 'STOCK-1', status: 'retired', google_status: 'DEPROVISIONED', retired: true },
      { serial_number: 'STOCK-2', status: 'in_stock', google_status: 'DISABLED', retired: false },
    ]);
    const audit = (await t.db.query(
      `SELECT e.action, e.before->>'status' AS before, e.after->>'status' AS after FROM audit_events e JOIN devices d ON d.id::text = e.entity_id
       WHERE d.serial_number = 'STOCK-1' AND d.district_id = $1`,
      [district],
    )) as unknown[];
    expect(audit).toEqual([{ action: 'retire', before: 'in_stock', after: 'retired' }]);
    // No deprovisioned Chromebook is a spare (STOCK-2, disabled, is; NEW-3 has no school yet).
    const pool = await t
      .http()
      .get(`/api/v1/spare-pool?districtId=${district}`)
      .set(...bearer(t.adminToken))
      .expect(200);
    expect(pool.body.data).toEqual([expect.objectContaining({ schoolCode: 'LHS', chromebooks: { inStock: 1, working: 1 } })]);
  });
});

describe('login activity', () => {
  let district: string;

  beforeAll(async () => {
    district = await createDistrict(t, 'act-a');
    const school = await createSchool(t, district, 'LHS');
    await t.db.query(
      `INSERT INTO students (district_id, school_id, sourced_id, given_name, family_name, email) VALUES ($1, $2, 'st-1', 'Ava', 'Jones', 'ava@students.groton.org')`,
      [district, school],
    );
  });

  const activity = (time: string, email: string | null, name = 'login_success'): Record<string, unknown> => ({
    id: { time, uniqueQualifier: `q-${time}`, applicationName: 'login' },
    ...(email ? { actor: { email } } : {}),
    events: [{ type: 'login', name }],
  });

  it('skips the logins of staff and other non-students, counted, and names JSON items', async () => {
    const items = [
      activity('2020-10-05T13:00:00.000Z', 'ava@students.groton.org'),
      activity('2020-10-05T13:05:00.000Z', 'mr.teacher@groton.org'),
      activity('2020-10-05T13:10:00.000Z', null),
      activity('2020-10-05T13:15:00.000Z', 'principal@groton.org'),
    ];
    const result = await importFile(
      t,
      'login-events',
      district,
      JSON.stringify({ kind: 'admin#reports#activities', items }),
      'activity.json',
    );
    expect(result).toMatchObject({ status: 'completed', counts: { rows: 4, created: 1, failed: 1, skipped: 2 } });
    expect(result.stats).toEqual({ notStudents: 2, duplicates: 0 });
    expect(result.errors.data).toEqual([
      { id: expect.any(String), part: null, line: null, item: 3, field: 'actor.email', message: 'is required' },
    ]);
    expect(
      await t.db.query(
        `SELECT s.sourced_id, e.event, e.occurred_at FROM login_events e JOIN students s ON s.id = e.student_id WHERE e.district_id = $1`,
        [district],
      ),
    ).toEqual([{ sourced_id: 'st-1', event: 'login_success', occurred_at: new Date('2020-10-05T13:00:00.000Z') }]);
  });

  it('names CSV lines', async () => {
    const csv =
      'occurred_at,email,event\n2020-10-06T08:00:00Z,ava@students.groton.org,login_success\n2020-10-06T08:01:00Z,coach@groton.org,login_success\nnot-a-time,ava@students.groton.org,login_success\n';
    const result = await importFile(t, 'login-events', district, csv, 'activity.csv');
    expect(result).toMatchObject({ status: 'completed', counts: { rows: 3, created: 1, failed: 1, skipped: 1 } });
    expect(result.errors.data).toEqual([expect.objectContaining({ line: 4, item: null, field: 'occurredAt' })]);
  });
});
