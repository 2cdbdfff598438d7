import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Response } from 'supertest';
import { SEARCH_TEXT } from '../src/students/students.repository.js';
import { bearer, startTestApp, type TestApp, tokenFor } from './support/test-app.js';

let t: TestApp;
let districtA: string;
let districtB: string;
let schoolA1: string;
let schoolA2: string;
let schoolB1: string;
let techA: string;
let techB: string;

beforeAll(async () => {
  t = await startTestApp();
  districtA = await createDistrict('STU-A');
  districtB = await createDistrict('STU-B');
  techA = await tokenFor(t, 'tech', districtA);
  techB = await tokenFor(t, 'tech', districtB);
  schoolA1 = await createSchool(techA, 'A1');
  schoolA2 = await createSchool(techA, 'A2');
  schoolB1 = await createSchool(techB, 'B1');
});
afterAll(async () => {
  await t?.close();
});

async function createDistrict(code: string): Promise<string> {
  const res = await t
    .http()
    .post('/api/v1/districts')
    .set(...bearer(t.adminToken))
    .send({ name: code, code })
    .expect(201);
  return res.body.id as string;
}

async function createSchool(secret: string, code: string): Promise<string> {
  const res = await t
    .http()
    .post('/api/v1/schools')
    .set(...bearer(secret))
    .send({ name: `School ${code}`, code })
    .expect(201);
  return res.body.id as string;
}

let seq = 0;
function student(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  seq += 1;
  return { schoolId: schoolA1, sourcedId: `stu-${seq}`, givenName: 'Given', familyName: `Family${seq}`, ...overrides };
}

async function count(table: string): Promise<number> {
  const rows = (await t.db.query(`SELECT count(*)::int AS n FROM ${table}`)) as { n: number }[];
  return rows[0]!.n;
}

interface AuditRow {
  action: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  district_id: string | null;
}

async function auditOf(entityId: string): Promise<AuditRow[]> {
  return (await t.db.query(`SELECT action, before, after, district_id FROM audit_events WHERE entity_id = $1 ORDER BY id`, [
    entityId,
  ])) as AuditRow[];
}

/** The fields a problem names, each once. */
const fields = (body: { errors?: { field: string }[] }): string[] => [...new Set((body.errors ?? []).map((e) => e.field))].sort();

/** Follows nextCursor to the end and returns every id seen, in order. */
async function allPages(secret: string, query: Record<string, string | number>, limit: number): Promise<string[]> {
  const seen: string[] = [];
  let cursor: string | null = null;
  do {
    const res: Response = await t
      .http()
      .get('/api/v1/students')
      .query({ ...query, limit, ...(cursor ? { cursor } : {}) })
      .set(...bearer(secret))
      .expect(200);
    expect(res.body.data.length).toBeLessThanOrEqual(limit);
    seen.push(...res.body.data.map((s: { id: string }) => s.id));
    cursor = res.body.nextCursor;
  } while (cursor);
  return seen;
}

describe('creating students', () => {
  it('creates a student with the fields sent and the defaults for the rest, audited', async () => {
    const res = await t
      .http()
      .post('/api/v1/students')
      .set(...bearer(techA))
      .send({
        schoolId: schoolA1,
        sourcedId: 'or-1001',
        identifier: 'CT-1001',
        givenName: 'Ana',
        familyName: 'Alvarez',
        grade: '07',
        email: 'ana.alvarez@example.org',
        learningModel: 'remote',
        homeInternet: 'no',
      })
      .expect(201);
    expect(res.body).toMatchObject({
      districtId: districtA,
      schoolId: schoolA1,
      sourcedId: 'or-1001',
      identifier: 'CT-1001',
      givenName: 'Ana',
      familyName: 'Alvarez',
      grade: '07',
      email: 'ana.alvarez@example.org',
      learningModel: 'remote',
      homeInternet: 'no',
      enrollmentStatus: 'active',
      lastLoginAt: null,
    });

    const minimal = await t
      .http()
      .post('/api/v1/students')
      .set(...bearer(t.adminToken))
      .send({ districtId: districtB, schoolId: schoolB1, sourcedId: 'or-1001', givenName: 'Bo', familyName: 'Berg' })
      .expect(201);
    expect(minimal.body).toMatchObject({
      districtId: districtB,
      identifier: null,
      grade: null,
      email: null,
      learningModel: 'in_person',
      homeInternet: 'unknown',
    });

    const fetched = await t
      .http()
      .get(`/api/v1/students/${res.body.id}`)
      .set(...bearer(techA))
      .expect(200);
    expect(fetched.body).toEqual(res.body);
    expect(await auditOf(res.body.id)).toEqual([{ action: 'create', before: null, after: res.body, district_id: districtA }]);
  });

  it('rejects bad input naming each field, including the read-only lastLoginAt', async () => {
    const before = await count('students');
    const res = await t
      .http()
      .post('/api/v1/students')
      .set(...bearer(techA))
      .send({
        schoolId: 'school-1',
        sourcedId: '',
        familyName: 'X',
        email: 'not an email',
        learningModel: 'zoom',
        homeInternet: 'maybe',
        enrollmentStatus: 'graduated',
        lastLoginAt: '2020-10-05T13:02:11Z',
      })
      .expect(400);
    expect(res.body.code).toBe('validation_failed');
    expect(fields(res.body)).toEqual([
      'email',
      'enrollmentStatus',
      'givenName',
      'homeInternet',
      'lastLoginAt',
      'learningModel',
      'schoolId',
      'sourcedId',
    ]);
    expect(await count('students')).toBe(before);
  });

  it('answers 422 school_not_found for an unknown school or one of another district, writing nothing', async () => {
    const students = await count('students');
    const audits = await count('audit_events');
    for (const schoolId of [schoolB1, '00000000-0000-4000-8000-000000000000']) {
      const res = await t
        .http()
        .post('/api/v1/students')
        .set(...bearer(techA))
        .send(student({ schoolId }))
        .expect(422);
      expect(res.body).toMatchObject({ code: 'school_not_found', errors: [{ field: 'schoolId' }] });
      expect(JSON.stringify(res.body)).not.toContain('School B1');
    }
    const unknownDistrict = await t
      .http()
      .post('/api/v1/students')
      .set(...bearer(t.adminToken))
      .send(student({ districtId: '00000000-0000-4000-8000-000000000000' }))
      .expect(422);
    expect(unknownDistrict.body).toMatchObject({ code: 'district_not_found', errors: [{ field: 'districtId' }] });
    expect(await count('students')).toBe(students);
    expect(await count('audit_events')).toBe(audits);
  });

  it("keeps a student's district real through its school's key, whoever writes the row", async () => {
    // students_district_id_fkey is gone (it cost every roster row a check): the school's composite key holds it.
    await expect(
      t.db.query(
        `INSERT INTO students (district_id, school_id, sourced_id, given_name, family_name) VALUES ($1, $2, 'no-district', 'A', 'B')`,
        ['00000000-0000-4000-8000-000000000000', schoolB1],
      ),
    ).rejects.toThrow(/students_school_fkey/);
    await expect(t.db.query(`DELETE FROM districts WHERE id = (SELECT district_id FROM students LIMIT 1)`)).rejects.toThrow(/foreign key/);
  });

  it('answers 409 duplicate_sourced_id naming sourcedId within a district', async () => {
    await t
      .http()
      .post('/api/v1/students')
      .set(...bearer(techA))
      .send(student({ sourcedId: 'dup-1' }))
      .expect(201);
    const res = await t
      .http()
      .post('/api/v1/students')
      .set(...bearer(techA))
      .send(student({ sourcedId: 'dup-1' }))
      .expect(409);
    expect(res.body).toMatchObject({ code: 'duplicate_sourced_id', errors: [{ field: 'sourcedId' }] });
    await t
      .http()
      .post('/api/v1/students')
      .set(...bearer(techB))
      .send(student({ schoolId: schoolB1, sourcedId: 'dup-1' }))
      .expect(201);
  });

  it('lets only state admins, district admins and tech write students', async () => {
    for (const role of ['auditor', 'attendance', 'helpdesk'] as const) {
      const secret = await tokenFor(t, role, districtA);
      const res = await t
        .http()
        .post('/api/v1/students')
        .set(...bearer(secret))
        .send(student())
        .expect(403);
      expect(res.body.code).toBe('role_not_allowed');
      await t
        .http()
        .get('/api/v1/students')
        .set(...bearer(secret))
        .expect(200);
    }
    const admin = await tokenFor(t, 'district_admin', districtA);
    await t
      .http()
      .post('/api/v1/students')
      .set(...bearer(admin))
      .send(student())
      .expect(201);
  });
});

describe('updating students', () => {
  it('changes only the fields sent, clears nullable ones with null, and audits before and after', async () => {
    const created = await t
      .http()
      .post('/api/v1/students')
      .set(...bearer(techA))
      .send(student({ email: 'old@example.org', grade: '03', learningModel: 'in_person' }))
      .expect(201);
    const id = created.body.id as string;
    const res = await t
      .http()
      .patch(`/api/v1/students/${id}`)
      .set(...bearer(techA))
      .send({ learningModel: 'remote', homeInternet: 'no', email: null, schoolId: schoolA2 })
      .expect(200);
    expect(res.body).toMatchObject({
      learningModel: 'remote',
      homeInternet: 'no',
      email: null,
      schoolId: schoolA2,
      grade: '03',
      givenName: 'Given',
    });

    const audit = await auditOf(id);
    expect(audit.map((a) => a.action)).toEqual(['create', 'update']);
    expect(audit[1]!.before).toEqual(created.body);
    expect(audit[1]!.after).toEqual(res.body);
  });

  it('refuses nulls for required fields, lastLoginAt and districtId, naming each', async () => {
    const created = await t
      .http()
      .post('/api/v1/students')
      .set(...bearer(techA))
      .send(student())
      .expect(201);
    const res = await t
      .http()
      .patch(`/api/v1/students/${created.body.id}`)
      .set(...bearer(techA))
      .send({ givenName: null, sourcedId: null, learningModel: null, lastLoginAt: '2020-10-05T00:00:00Z', districtId: districtB })
      .expect(400);
    expect(fields(res.body)).toEqual(['districtId', 'givenName', 'lastLoginAt', 'learningModel', 'sourcedId']);
    const stored = await t
      .http()
      .get(`/api/v1/students/${created.body.id}`)
      .set(...bearer(techA))
      .expect(200);
    expect(stored.body).toEqual(created.body);
  });

  it("answers 422 for a move to another district's school and 409 for a taken sourcedId, changing nothing", async () => {
    await t
      .http()
      .post('/api/v1/students')
      .set(...bearer(techA))
      .send(student({ sourcedId: 'taken' }))
      .expect(201);
    const created = await t
      .http()
      .post('/api/v1/students')
      .set(...bearer(techA))
      .send(student())
      .expect(201);
    const move = await t
      .http()
      .patch(`/api/v1/students/${created.body.id}`)
      .set(...bearer(techA))
      .send({ schoolId: schoolB1 })
      .expect(422);
    expect(move.body).toMatchObject({ code: 'school_not_found', errors: [{ field: 'schoolId' }] });
    const clash = await t
      .http()
      .patch(`/api/v1/students/${created.body.id}`)
      .set(...bearer(techA))
      .send({ sourcedId: 'taken', grade: '09' })
      .expect(409);
    expect(clash.body).toMatchObject({ code: 'duplicate_sourced_id', errors: [{ field: 'sourcedId' }] });
    const stored = await t
      .http()
      .get(`/api/v1/students/${created.body.id}`)
      .set(...bearer(techA))
      .expect(200);
    expect(stored.body).toEqual(created.body);
    expect((await auditOf(created.body.id)).map((a) => a.action)).toEqual(['create']);
  });

  it("answers 404 for another district's student and 403 to read-only roles", async () => {
    const other = await t
      .http()
      .post('/api/v1/students')
      .set(...bearer(techB))
      .send(student({ schoolId: schoolB1, givenName: 'Secret', familyName: 'Person' }))
      .expect(201);
    const get = await t
      .http()
      .get(`/api/v1/students/${other.body.id}`)
      .set(...bearer(techA))
      .expect(404);
    expect(get.body.code).toBe('student_not_found');
    expect(JSON.stringify(get.body)).not.toContain('Secret');
    await t
      .http()
      .patch(`/api/v1/students/${other.body.id}`)
      .set(...bearer(techA))
      .send({ grade: '12' })
      .expect(404);
    const auditor = await tokenFor(t, 'auditor', districtB);
    await t
      .http()
      .get(`/api/v1/students/${other.body.id}`)
      .set(...bearer(auditor))
      .expect(200);
    await t
      .http()
      .patch(`/api/v1/students/${other.body.id}`)
      .set(...bearer(auditor))
      .send({ grade: '12' })
      .expect(403);
    const attendance = await tokenFor(t, 'attendance', districtB);
    await t
      .http()
      .patch(`/api/v1/students/${other.body.id}`)
      .set(...bearer(attendance))
      .send({ grade: '12' })
      .expect(403);
    const stored = await t
      .http()
      .get(`/api/v1/students/${other.body.id}`)
      .set(...bearer(techB))
      .expect(200);
    expect(stored.body.grade).toBeNull();
  });
});

describe('searching students', () => {
  let one: string;
  let other: string;
  let techOne: string;
  /** Each student made, with the tier a search for "smith" puts it in (null: no match). */
  const made: { id: string; districtId: string; givenName: string; familyName: string; tier: number | null }[] = [];

  beforeAll(async () => {
    one = await createDistrict('STU-SEARCH-1');
    other = await createDistrict('STU-SEARCH-2');
    techOne = await tokenFor(t, 'tech', one);
    const techOther = await tokenFor(t, 'tech', other);
    const schools = new Map([
      [one, await createSchool(techOne, 'S1')],
      [other, await createSchool(techOther, 'S2')],
    ]);
    const rows: [string, number | null, Record<string, string>][] = [
      // The text is the sourcedId, identifier or email: first, whatever the name.
      [one, 0, { sourcedId: 'smith', givenName: 'Zoe', familyName: 'Zamora' }],
      [one, 0, { identifier: 'smith', givenName: 'Yara', familyName: 'Young' }],
      // Family names starting with it, by family then given name, equal names by id.
      [one, 1, { givenName: 'Ana', familyName: 'Smith' }],
      [one, 1, { givenName: 'ana', familyName: 'SMITH' }],
      [one, 1, { givenName: 'Ben', familyName: 'Smith' }],
      [one, 1, { givenName: 'Abe', familyName: 'Smithers' }],
      [other, 1, { givenName: 'Ana', familyName: 'Smith' }],
      // Given names starting with it (a family name that does is tier 1 already).
      [one, 2, { givenName: 'Smithson', familyName: 'Adams' }],
      [one, 2, { givenName: 'Smith', familyName: 'Baker' }],
      // Inside the name, identifier or email.
      [one, 3, { givenName: 'Cy', familyName: 'Goldsmith' }],
      [one, 3, { givenName: 'Di', familyName: 'Brown', email: 'di.smith@example.org' }],
      [one, 3, { givenName: 'Ed', familyName: 'Arden', identifier: 'ID-SMITH-9' }],
      [other, 3, { givenName: 'Fay', familyName: 'Blacksmith' }],
      [one, null, { givenName: 'Gil', familyName: 'Smyth' }],
    ];
    for (const [districtId, tier, fields] of rows) {
      const tech = districtId === one ? techOne : techOther;
      const res = await t
        .http()
        .post('/api/v1/students')
        .set(...bearer(tech))
        .send({ schoolId: schools.get(districtId), sourcedId: `search-${made.length}`, ...fields })
        .expect(201);
      made.push({ id: res.body.id, districtId, givenName: fields.givenName!, familyName: fields.familyName!, tier });
    }
  });

  /** The order the API promises: tier, the tier's names (family first but for tier 2), district, id. */
  const expected = (districts: string[]): string[] =>
    made
      .filter((s) => s.tier !== null && districts.includes(s.districtId))
      .map((s) => {
        const [family, given] = [s.familyName.toLowerCase(), s.givenName.toLowerCase()];
        return {
          ...s,
          key: [String(s.tier), ...(s.tier === 0 ? ['', ''] : s.tier === 2 ? [given, family] : [family, given]), s.districtId, s.id],
        };
      })
      .sort((x, y) => {
        const i = x.key.findIndex((part, n) => part !== y.key[n]);
        return i < 0 ? 0 : x.key[i]! < y.key[i]! ? -1 : 1;
      })
      .map((s) => s.id);

  it('puts exact ids first, then family names, given names and text inside, paging across the tiers at every page size', async () => {
    const inOne = expected([one]);
    expect(inOne).toHaveLength(11);
    for (const limit of [1, 2, 3, 4, 5, 50]) {
      expect(await allPages(techOne, { q: 'smith' }, limit)).toEqual(inOne);
    }
    // The text inside names is searched when the starts of names leave a page short, then only then.
    const first = await t
      .http()
      .get('/api/v1/students')
      .query({ q: 'smith', limit: 9 })
      .set(...bearer(techOne))
      .expect(200);
    expect(first.body.data.map((s: { id: string }) => s.id)).toEqual(inOne.slice(0, 9));
    expect(first.body.data.map((s: { familyName: string }) => s.familyName).slice(-2)).toEqual(['Adams', 'Arden']);
  });

  it('confines a district token to its district and gives a state token every district, equal names by district', async () => {
    const everywhere = expected([one, other]);
    expect(everywhere).toHaveLength(13);
    for (const limit of [1, 4, 50]) {
      expect(await allPages(t.adminToken, { q: 'smith' }, limit)).toEqual(everywhere);
      expect(await allPages(t.adminToken, { q: 'smith', districtId: other }, limit)).toEqual(expected([other]));
    }
    const tech = await tokenFor(t, 'tech', other);
    expect(await allPages(tech, { q: 'smith' }, 2)).toEqual(expected([other]));
  });

  it('matches only ids and the starts of names for text shorter than three characters', async () => {
    // Lower-cased: names equal but for case come in id order, which is random here.
    const names = async (q: string): Promise<string[]> =>
      (
        await t
          .http()
          .get('/api/v1/students')
          .query({ q, limit: 50 })
          .set(...bearer(techOne))
          .expect(200)
      ).body.data.map((s: { givenName: string; familyName: string }) => `${s.givenName} ${s.familyName}`.toLowerCase());
    expect(await names('sm')).toEqual([
      'ana smith',
      'ana smith',
      'ben smith',
      'abe smithers',
      'gil smyth',
      'smith baker',
      'smithson adams',
    ]);
    expect(await names('th')).toEqual([]);
  });

  it('streams the same order as CSV, and refuses a list cursor for a search', async () => {
    const csv = await t
      .http()
      .get('/api/v1/students')
      .query({ q: 'smith', format: 'csv' })
      .set(...bearer(techOne))
      .expect(200);
    const ids = csv.text
      .trim()
      .split('\n')
      .slice(1)
      .map((line) => line.split(',')[0]);
    expect(ids).toEqual(expected([one]));
    const listed = await t
      .http()
      .get('/api/v1/students')
      .query({ limit: 1 })
      .set(...bearer(techOne))
      .expect(200);
    const res = await t
      .http()
      .get('/api/v1/students')
      .query({ q: 'smith', cursor: listed.body.nextCursor })
      .set(...bearer(techOne))
      .expect(400);
    expect(res.body.code).toBe('invalid_cursor');
  });
});

describe('listing students', () => {
  let listDistrict: string;
  let listTech: string;
  let listSchool: string;
  let otherSchool: string;

  beforeAll(async () => {
    listDistrict = await createDistrict('STU-LIST');
    listTech = await tokenFor(t, 'tech', listDistrict);
    listSchool = await createSchool(listTech, 'L1');
    otherSchool = await createSchool(listTech, 'L2');
    // A roster's worth at once, with many equal family and given names so the id must break ties.
    await t.db.query(
      `INSERT INTO students (district_id, school_id, sourced_id, given_name, family_name, grade, learning_model, enrollment_status)
       SELECT $1, CASE WHEN g % 3 = 0 THEN $3::uuid ELSE $2::uuid END, 'bulk-' || g,
              (ARRAY['Ana','Ben','Cy'])[1 + g % 3], (ARRAY['Nguyen','Smith','Garcia','Smith'])[1 + g % 4],
              lpad((1 + g % 12)::text, 2, '0'), (ARRAY['in_person','hybrid','remote'])[1 + g % 3],
              CASE WHEN g % 10 = 0 THEN 'withdrawn' ELSE 'active' END
       FROM generate_series(1, 73) AS g`,
      [listDistrict, listSchool, otherSchool],
    );
  });

  it('pages through every student once, ordered by family name, given name and id', async () => {
    const expected = (
      (await t.db.query(`SELECT id FROM students WHERE district_id = $1 ORDER BY family_name, given_name, id`, [listDistrict])) as {
        id: string;
      }[]
    ).map((r) => r.id);
    expect(expected).toHaveLength(73);
    expect(await allPages(listTech, {}, 10)).toEqual(expected);
    expect(await allPages(listTech, {}, 7)).toEqual(expected);
    const first = await t
      .http()
      .get('/api/v1/students?limit=73')
      .set(...bearer(listTech))
      .expect(200);
    expect(first.body.nextCursor).toBeNull();
  });

  it('pages a state token through every district in turn, each by name, every student once', async () => {
    const expected = (
      (await t.db.query(`SELECT id FROM students ORDER BY district_id, family_name, given_name, id`)) as { id: string }[]
    ).map((r) => r.id);
    const [{ districts }] = (await t.db.query(`SELECT count(DISTINCT district_id)::int AS districts FROM students`)) as {
      districts: number;
    }[];
    expect(districts).toBeGreaterThan(1);
    expect(await allPages(t.adminToken, {}, 9)).toEqual(expected);
  });

  it('filters by school, grade, learning model and enrollment status', async () => {
    const query = { schoolId: otherSchool, learningModel: 'in_person', enrollmentStatus: 'active' };
    const expected = (
      (await t.db.query(
        `SELECT id FROM students WHERE district_id = $1 AND school_id = $2 AND learning_model = 'in_person' AND enrollment_status = 'active'
       ORDER BY family_name, given_name, id`,
        [listDistrict, otherSchool],
      )) as { id: string }[]
    ).map((r) => r.id);
    expect(expected.length).toBeGreaterThan(5);
    expect(await allPages(listTech, query, 4)).toEqual(expected);

    const grade = await t
      .http()
      .get('/api/v1/students?grade=07&limit=500')
      .set(...bearer(listTech))
      .expect(200);
    expect(grade.body.data.length).toBeGreaterThan(0);
    expect(grade.body.data.every((s: { grade: string }) => s.grade === '07')).toBe(true);
    const bad = await t
      .http()
      .get('/api/v1/students?learningModel=zoom&schoolId=nope&limit=0')
      .set(...bearer(listTech))
      .expect(400);
    expect(fields(bad.body)).toEqual(['learningModel', 'limit', 'schoolId']);
  });

  it('searches names, identifiers and emails case-insensitively, taking % and _ literally', async () => {
    const make = (body: Record<string, unknown>) =>
      t
        .http()
        .post('/api/v1/students')
        .set(...bearer(listTech))
        .send({ schoolId: listSchool, ...body })
        .expect(201);
    const marisol = await make({
      sourcedId: 's-1',
      givenName: 'Marisol',
      familyName: 'Quintero',
      identifier: 'CT-55501',
      email: 'mq@nhps.example',
    });
    const marcus = await make({
      sourcedId: 's-2',
      givenName: 'Marcus',
      familyName: 'Quill',
      identifier: 'CT-55502',
      email: 'marcus.quill@nhps.example',
    });
    const odd = await make({ sourcedId: 's-3', givenName: '100%', familyName: 'Under_score', identifier: 'CT-55503' });

    const search = async (q: string, extra: Record<string, string> = {}): Promise<string[]> =>
      (
        await t
          .http()
          .get('/api/v1/students')
          .query({ q, ...extra })
          .set(...bearer(listTech))
          .expect(200)
      ).body.data.map((s: { id: string }) => s.id);
    expect(await search('quinTERO')).toEqual([marisol.body.id]);
    expect(await search('ct-5550')).toEqual([marcus.body.id, marisol.body.id, odd.body.id]);
    // Text with an '@' is looked for in the e-mail: part of an address, or its domain.
    expect(await search('quill@NHPS')).toEqual([marcus.body.id]);
    expect(await search('MQ@nhps.ex')).toEqual([marisol.body.id]);
    expect(await search('s.quill@')).toEqual([marcus.body.id]);
    expect(await search('@NHPS.example')).toEqual([marcus.body.id, marisol.body.id]);
    expect(await search('quill@other.example')).toEqual([]);
    // Without one, only the e-mail's local part is searched: every student of a district shares the domain.
    expect(await search('NHPS.example')).toEqual([]);
    expect(await search('cus.qu')).toEqual([marcus.body.id]);
    expect(await search('00%')).toEqual([odd.body.id]);
    expect(await search('r_s')).toEqual([odd.body.id]);
    expect(await search('55502')).toEqual([marcus.body.id]);
    expect(await search('Quill', { learningModel: 'remote' })).toEqual([]);
    // Another district's students are never found.
    expect(await search('Alvarez')).toEqual([]);
  });

  it('uses the trigram index for the search expression', async () => {
    const runner = t.db.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction();
      await runner.query('SET LOCAL enable_seqscan = off');
      const plan = (await runner.query(`EXPLAIN SELECT id FROM students WHERE ${SEARCH_TEXT} ILIKE $1`, ['%quinter%'])) as {
        'QUERY PLAN': string;
      }[];
      expect(plan.map((p) => p['QUERY PLAN']).join('\n')).toContain('students_search_idx');
      await runner.rollbackTransaction();
    } finally {
      await runner.release();
    }
  });

  it('confines a district token to its district, and lets a state token choose', async () => {
    const own = await t
      .http()
      .get('/api/v1/students?limit=500')
      .set(...bearer(techA))
      .expect(200);
    expect(new Set(own.body.data.map((s: { districtId: string }) => s.districtId))).toEqual(new Set([districtA]));
    const elsewhere = await t
      .http()
      .get(`/api/v1/students?districtId=${listDistrict}`)
      .set(...bearer(techA))
      .expect(404);
    expect(elsewhere.body.code).toBe('district_not_found');
    const state = await t
      .http()
      .get(`/api/v1/students?districtId=${listDistrict}&limit=500`)
      .set(...bearer(t.adminToken))
      .expect(200);
    expect(state.body.data).toHaveLength(76);
  });

  it('refuses a cursor it did not hand out', async () => {
    for (const cursor of [
      'garbage',
      Buffer.from(JSON.stringify(['a', 'b', 'not-a-uuid'])).toString('base64url'),
      Buffer.from('[1,2,3]').toString('base64url'),
    ]) {
      const res = await t
        .http()
        .get('/api/v1/students')
        .query({ cursor })
        .set(...bearer(listTech))
        .expect(400);
      expect(res.body).toMatchObject({ code: 'invalid_cursor', errors: [{ field: 'cursor' }] });
    }
  });
});
