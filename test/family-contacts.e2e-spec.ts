import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { bearer, startTestApp, tokenFor, type TestApp } from './support/test-app.js';
import { createDistrict, importFile, manifest, ORGS_HEADER, USERS_HEADER, zipOf } from './fixtures/imports/support.js';

let t: TestApp;
let district: string;
const tokens: Record<string, string> = {};

const ORGS = [ORGS_HEADER, 'dist-1,,,Groton Public Schools,district,GPS,', 'sch-lhs,,,Lincoln High School,school,LHS,dist-1'].join('\n');

/** A users.csv line (OneRoster 1.1). */
const user = (
  id: string,
  role: string,
  given: string,
  family: string,
  extra: { email?: string; sms?: string; phone?: string; agents?: string; status?: string } = {},
): string =>
  [
    id,
    extra.status ?? '',
    '',
    'true',
    'sch-lhs',
    role,
    `u-${id}`,
    '',
    given,
    family,
    '',
    role === 'student' ? `ID-${id}` : '',
    extra.email ?? '',
    extra.sms ?? '',
    extra.phone ?? '',
    extra.agents ?? '',
    role === 'student' ? '09' : '',
    '',
  ].join(',');

const roster = (users: string[], mode: 'bulk' | 'delta' = 'bulk') =>
  zipOf({ 'manifest.csv': manifest(mode, mode), 'orgs.csv': ORGS, 'users.csv': [USERS_HEADER, ...users].join('\n') });

async function studentId(sourcedId: string): Promise<string> {
  const [row] = (await t.db.query(`SELECT id FROM students WHERE district_id = $1 AND sourced_id = $2`, [district, sourcedId])) as {
    id: string;
  }[];
  return row!.id;
}

async function guardiansSeenBy(role: string, sourcedId: string): Promise<unknown> {
  const res = await t
    .http()
    .get(`/api/v1/students/${await studentId(sourcedId)}`)
    .set(...bearer(tokens[role]!))
    .expect(200);
  return res.body.guardians;
}

beforeAll(async () => {
  t = await startTestApp({ worker: true });
  district = await createDistrict(t, 'FAM');
  for (const role of ['district_admin', 'attendance', 'helpdesk', 'tech', 'auditor']) tokens[role] = await tokenFor(t, role, district);
}, 60_000);

afterAll(async () => {
  await t?.close();
});

describe('family contacts from the roster', () => {
  it('keeps parents, guardians and relatives linked either way, alongside the students', async () => {
    const result = await importFile(
      t,
      'oneroster',
      district,
      await roster([
        user('st-1', 'student', 'Ava', 'Jones'),
        // A guardian before the student that names it, in the same file.
        user('gd-2', 'guardian', 'Gus', 'Smith', { email: 'gus@example.org', sms: '860-555-0102' }),
        user('st-2', 'student', 'Ben', 'Smith', { agents: 'gd-2' }),
        user('pa-1', 'parent', 'Maria', 'Jones', { email: 'maria@example.org', phone: '860-555-0101', agents: '"st-1,st-2"' }),
        user('rel-1', 'relative', 'Bad', 'Mail', { email: 'not-an-email', agents: 'st-1' }),
        user('tch-1', 'teacher', 'Tom', 'Teacher'),
      ]),
      'roster.zip',
    );
    expect(result.status).toBe('completed');
    // Schools 1, students 2, guardians 2 created; the teacher, district org skipped; the relative's bad email refused.
    expect(result.counts).toMatchObject({ created: 5, failed: 1, skipped: 2 });
    expect(result.errors.data.map((e) => [e.part, e.line, e.field])).toEqual([['users.csv', 6, 'email']]);

    expect(await guardiansSeenBy('attendance', 'st-1')).toEqual([
      {
        sourcedId: 'pa-1',
        givenName: 'Maria',
        familyName: 'Jones',
        relation: 'parent',
        email: 'maria@example.org',
        phone: '860-555-0101',
        sms: null,
      },
    ]);
    expect(await guardiansSeenBy('helpdesk', 'st-2')).toEqual([
      expect.objectContaining({ sourcedId: 'pa-1' }),
      expect.objectContaining({ sourcedId: 'gd-2', relation: 'guardian', sms: '860-555-0102' }),
    ]);
    // Tech staff and auditors see the student, never the family's contacts.
    expect(await guardiansSeenBy('tech', 'st-1')).toBeUndefined();
    expect(await guardiansSeenBy('auditor', 'st-1')).toBeUndefined();
    // Audited by id, never with the contact details.
    const audits = (await t.db.query(`SELECT after::text AS after FROM audit_events WHERE entity_type = 'guardian' AND district_id = $1`, [
      district,
    ])) as { after: string }[];
    expect(audits.length).toBeGreaterThan(0);
    expect(audits.map((a) => a.after).join(' ')).not.toMatch(/maria|gus|860-555/i);
  });

  it('shows them, with the home language, on the student’s ticket for the teams that reach families', async () => {
    const attrs = await importFile(t, 'student-attributes', district, 'sourcedId,Home Language\nst-1,Spanish\n', 'attrs.csv');
    expect(attrs.counts).toMatchObject({ updated: 1, failed: 0 });
    const ticket = await t
      .http()
      .post('/api/v1/tickets')
      .set(...bearer(tokens['district_admin']!))
      .send({ type: 'outreach', studentId: await studentId('st-1') })
      .expect(201);
    const read = async (role: string) =>
      (
        await t
          .http()
          .get(`/api/v1/tickets/${ticket.body.id as string}`)
          .set(...bearer(tokens[role]!))
          .expect(200)
      ).body as Record<string, unknown>;
    expect((await read('attendance'))['familyContacts']).toEqual({
      homeLanguage: 'Spanish',
      guardians: [expect.objectContaining({ sourcedId: 'pa-1', phone: '860-555-0101' })],
    });
    expect((await read('tech'))['familyContacts']).toBeUndefined();
    const student = await t
      .http()
      .get(`/api/v1/students/${await studentId('st-1')}`)
      .set(...bearer(tokens['tech']!))
      .expect(200);
    expect(student.body.homeLanguage).toBe('Spanish');
  });

  it('forgets what a later bulk roster no longer names, and what a delta deletes', async () => {
    const again = await importFile(
      t,
      'oneroster',
      district,
      await roster([
        user('st-1', 'student', 'Ava', 'Jones'),
        user('st-2', 'student', 'Ben', 'Smith'),
        user('pa-1', 'parent', 'Maria', 'Jones', { email: 'maria@example.org', phone: '860-555-0101', agents: '"st-1,st-2"' }),
      ]),
      'roster.zip',
    );
    expect(again.status).toBe('completed');
    expect(again.stats).toMatchObject({ guardiansRemoved: 1 });
    expect(again.counts).toMatchObject({ created: 0, updated: 0 });
    expect(await guardiansSeenBy('attendance', 'st-2')).toEqual([expect.objectContaining({ sourcedId: 'pa-1' })]);

    const delta = await importFile(
      t,
      'oneroster',
      district,
      await roster([user('pa-1', 'parent', 'Maria', 'Jones', { status: 'tobedeleted', agents: 'st-1' })], 'delta'),
      'delta.zip',
    );
    expect(delta.stats).toMatchObject({ guardiansRemoved: 1 });
    expect(await guardiansSeenBy('attendance', 'st-1')).toEqual([]);
    expect(await t.db.query(`SELECT count(*)::int AS n FROM student_guardians WHERE district_id = $1`, [district])).toEqual([{ n: 0 }]);
  });
});

describe('family contacts from a OneRoster 1.2 roster', () => {
  it('takes guardians from roles.csv and their links from agentSourcedIds', async () => {
    const district12 = await createDistrict(t, 'FAM12');
    const attendance12 = await tokenFor(t, 'attendance', district12);
    const manifest12 = [
      'propertyName,value',
      'manifest.version,1.0',
      'oneroster.version,1.2',
      'file.orgs,bulk',
      'file.users,bulk',
      'file.roles,bulk',
    ].join('\n');
    const users = [
      'sourcedId,status,dateLastModified,enabledUser,username,userIds,givenName,familyName,middleName,identifier,email,sms,phone,agentSourcedIds,grades,password,userMasterIdentifier,primaryOrgSourcedId',
      'st-1,,,true,jpena,,José,Peña,,1001,jose@students.example.org,,,g-1,09,,,sch-lhs',
      'g-1,,,true,,,Rosa,Peña,,,rosa@example.org,860-555-0111,860-555-0112,st-1,,,,',
      't-1,,,true,,,Tom,Teacher,,T1,tom@example.org,,,,,,,sch-lhs',
    ].join('\n');
    const roles = [
      'sourcedId,status,dateLastModified,userSourcedId,roleType,role,beginDate,endDate,orgSourcedId,userProfileSourcedId',
      'r-1,,,st-1,primary,student,,,sch-lhs,',
      'r-2,,,g-1,primary,parent,,,sch-lhs,',
      'r-3,,,t-1,primary,teacher,,,sch-lhs,',
    ].join('\n');
    const zip = await zipOf({ 'manifest.csv': manifest12, 'orgs.csv': ORGS, 'users.csv': users, 'roles.csv': roles });
    const result = await importFile(t, 'oneroster', district12, zip, 'roster-1.2.zip');
    expect(result.errors.data).toEqual([]);
    expect(result.status).toBe('completed');
    const [student] = (await t.db.query(`SELECT id FROM students WHERE district_id = $1`, [district12])) as { id: string }[];
    expect(await t.db.query(`SELECT count(*)::int AS n FROM students WHERE district_id = $1`, [district12])).toEqual([{ n: 1 }]);
    const res = await t
      .http()
      .get(`/api/v1/students/${student!.id}`)
      .set(...bearer(attendance12))
      .expect(200);
    expect(res.body.guardians).toEqual([
      {
        sourcedId: 'g-1',
        givenName: 'Rosa',
        familyName: 'Peña',
        relation: 'parent',
        email: 'rosa@example.org',
        phone: '860-555-0112',
        sms: '860-555-0111',
      },
    ]);
  });
});
