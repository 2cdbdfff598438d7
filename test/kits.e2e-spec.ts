import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Response } from 'supertest';
import { bearer, startTestApp, type TestApp, tokenFor } from './support/test-app.js';

let t: TestApp;
let districtA: string;
let districtB: string;
let helpdeskA: string;
let techB: string;
let studentA: string;
let studentB: string;
let templateA: string;
let templateB: string;

const HOME_KIT = [
  { item: 'charger', quantity: 1 },
  { item: 'headphones', quantity: 1 },
  { item: 'pencil', quantity: 12 },
];

beforeAll(async () => {
  t = await startTestApp();
  districtA = await createDistrict('KIT-A');
  districtB = await createDistrict('KIT-B');
  helpdeskA = await tokenFor(t, 'helpdesk', districtA);
  techB = await tokenFor(t, 'tech', districtB);
  studentA = await createStudent(await tokenFor(t, 'tech', districtA), 'a');
  studentB = await createStudent(techB, 'b');
  templateA = (
    await t
      .http()
      .post('/api/v1/kit-templates')
      .set(...bearer(helpdeskA))
      .send({ name: 'Home kit', items: HOME_KIT })
      .expect(201)
  ).body.id;
  templateB = (
    await t
      .http()
      .post('/api/v1/kit-templates')
      .set(...bearer(techB))
      .send({ name: 'Home kit', items: HOME_KIT })
      .expect(201)
  ).body.id;
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

async function createStudent(tech: string, suffix: string): Promise<string> {
  const school = await t
    .http()
    .post('/api/v1/schools')
    .set(...bearer(tech))
    .send({ name: `School ${suffix}`, code: `S-${suffix}` })
    .expect(201);
  const student = await t
    .http()
    .post('/api/v1/students')
    .set(...bearer(tech))
    .send({ schoolId: school.body.id, sourcedId: `stu-${suffix}`, givenName: 'Kit', familyName: `Holder ${suffix}` })
    .expect(201);
  return student.body.id as string;
}

async function issue(secret: string, studentId: string, templateId: string): Promise<{ id: string; items: unknown }> {
  const res = await t
    .http()
    .post('/api/v1/kits')
    .set(...bearer(secret))
    .send({ studentId, templateId })
    .expect(201);
  return res.body as { id: string; items: unknown };
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

describe('kit templates', () => {
  it('creates, reads and lists templates of the district, audited', async () => {
    const created = await t
      .http()
      .post('/api/v1/kit-templates')
      .set(...bearer(helpdeskA))
      .send({ name: 'Art kit', items: [{ item: 'crayons', quantity: 24 }] })
      .expect(201);
    expect(created.body).toMatchObject({ districtId: districtA, name: 'Art kit', items: [{ item: 'crayons', quantity: 24 }] });
    const fetched = await t
      .http()
      .get(`/api/v1/kit-templates/${created.body.id}`)
      .set(...bearer(helpdeskA))
      .expect(200);
    expect(fetched.body).toEqual(created.body);
    const listed = await t
      .http()
      .get('/api/v1/kit-templates')
      .set(...bearer(helpdeskA))
      .expect(200);
    expect(listed.body.data.map((k: { name: string }) => k.name)).toEqual(['Art kit', 'Home kit']);
    expect(listed.body.data.every((k: { districtId: string }) => k.districtId === districtA)).toBe(true);
    expect(await auditOf(created.body.id)).toEqual([{ action: 'create', before: null, after: created.body, district_id: districtA }]);
  });

  it('rejects bad item lists naming each line, and a duplicate name with 409', async () => {
    const before = await count('kit_templates');
    const empty = await t
      .http()
      .post('/api/v1/kit-templates')
      .set(...bearer(helpdeskA))
      .send({ name: 'Empty', items: [] })
      .expect(400);
    expect(empty.body.errors).toEqual([expect.objectContaining({ field: 'items' })]);
    const bad = await t
      .http()
      .post('/api/v1/kit-templates')
      .set(...bearer(helpdeskA))
      .send({
        name: 'Bad',
        items: [
          { item: 'glue', quantity: 0 },
          { item: '', quantity: 1 },
          { item: 'ruler', quantity: 1, colour: 'red' },
        ],
      })
      .expect(400);
    expect(new Set(bad.body.errors.map((e: { field: string }) => e.field))).toEqual(
      new Set(['items[0].quantity', 'items[1].item', 'items[2].colour']),
    );
    const twice = await t
      .http()
      .post('/api/v1/kit-templates')
      .set(...bearer(helpdeskA))
      .send({
        name: 'Twice',
        items: [
          { item: 'glue', quantity: 1 },
          { item: 'ruler', quantity: 1 },
          { item: 'glue', quantity: 2 },
        ],
      })
      .expect(400);
    expect(twice.body.errors).toEqual([{ field: 'items[2].item', message: 'glue is listed twice', line: 3 }]);
    const duplicate = await t
      .http()
      .post('/api/v1/kit-templates')
      .set(...bearer(helpdeskA))
      .send({ name: 'Home kit', items: HOME_KIT })
      .expect(409);
    expect(duplicate.body).toMatchObject({ code: 'duplicate_kit_template_name', errors: [{ field: 'name' }] });
    expect(await count('kit_templates')).toBe(before);
  });

  it('keeps templates to their district and refuses read-only roles', async () => {
    const other = await t
      .http()
      .get(`/api/v1/kit-templates/${templateB}`)
      .set(...bearer(helpdeskA))
      .expect(404);
    expect(other.body.code).toBe('kit_template_not_found');
    for (const role of ['auditor', 'attendance'] as const) {
      const secret = await tokenFor(t, role, districtA);
      await t
        .http()
        .get('/api/v1/kit-templates')
        .set(...bearer(secret))
        .expect(200);
      const res = await t
        .http()
        .post('/api/v1/kit-templates')
        .set(...bearer(secret))
        .send({ name: `By ${role}`, items: HOME_KIT })
        .expect(403);
      expect(res.body.code).toBe('role_not_allowed');
    }
  });
});

describe('issuing kits', () => {
  it('copies the template items into the kit, audited', async () => {
    const res = await t
      .http()
      .post('/api/v1/kits')
      .set(...bearer(helpdeskA))
      .send({ studentId: studentA, templateId: templateA })
      .expect(201);
    expect(res.body).toMatchObject({
      districtId: districtA,
      studentId: studentA,
      templateId: templateA,
      templateName: 'Home kit',
      items: HOME_KIT,
      returnedAt: null,
      missingItems: [],
    });
    const stored = (await t.db.query(`SELECT items FROM kits WHERE id = $1`, [res.body.id])) as { items: unknown }[];
    expect(stored[0]!.items).toEqual(HOME_KIT);
    expect(await auditOf(res.body.id)).toEqual([{ action: 'issue', before: null, after: res.body, district_id: districtA }]);
  });

  it('answers 422 naming the field for a student or template of another district, writing nothing', async () => {
    const kits = await count('kits');
    const audits = await count('audit_events');
    const student = await t
      .http()
      .post('/api/v1/kits')
      .set(...bearer(helpdeskA))
      .send({ studentId: studentB, templateId: templateA })
      .expect(422);
    expect(student.body).toMatchObject({ code: 'student_not_found', errors: [{ field: 'studentId' }] });
    const template = await t
      .http()
      .post('/api/v1/kits')
      .set(...bearer(helpdeskA))
      .send({ studentId: studentA, templateId: templateB })
      .expect(422);
    expect(template.body).toMatchObject({ code: 'kit_template_not_found', errors: [{ field: 'templateId' }] });
    // Even a state token cannot pair a student with another district's template.
    const mixed = await t
      .http()
      .post('/api/v1/kits')
      .set(...bearer(t.adminToken))
      .send({ studentId: studentB, templateId: templateA })
      .expect(422);
    expect(mixed.body.code).toBe('kit_template_not_found');
    const bad = await t
      .http()
      .post('/api/v1/kits')
      .set(...bearer(helpdeskA))
      .send({ studentId: 'x' })
      .expect(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['studentId', 'templateId']);
    expect(await count('kits')).toBe(kits);
    expect(await count('audit_events')).toBe(audits);
  });

  it('refuses auditors and attendance staff', async () => {
    for (const role of ['auditor', 'attendance'] as const) {
      const res = await t
        .http()
        .post('/api/v1/kits')
        .set(...bearer(await tokenFor(t, role, districtA)))
        .send({ studentId: studentA, templateId: templateA })
        .expect(403);
      expect(res.body.code).toBe('role_not_allowed');
    }
  });
});

describe('returning kits', () => {
  it('records what did not come back and refuses a second return', async () => {
    const kit = await issue(helpdeskA, studentA, templateA);
    const res = await t
      .http()
      .post(`/api/v1/kits/${kit.id}/return`)
      .set(...bearer(helpdeskA))
      .send({
        items: [
          { item: 'pencil', quantity: 9 },
          { item: 'charger', quantity: 1 },
        ],
      })
      .expect(200);
    expect(res.body.missingItems).toEqual([
      { item: 'headphones', quantity: 1 },
      { item: 'pencil', quantity: 3 },
    ]);
    expect(res.body.returnedAt).not.toBeNull();
    const stored = (await t.db.query(`SELECT missing_items, returned_at FROM kits WHERE id = $1`, [kit.id])) as {
      missing_items: unknown;
      returned_at: Date | null;
    }[];
    expect(stored[0]!.missing_items).toEqual([
      { item: 'headphones', quantity: 1 },
      { item: 'pencil', quantity: 3 },
    ]);

    const again = await t
      .http()
      .post(`/api/v1/kits/${kit.id}/return`)
      .set(...bearer(helpdeskA))
      .send({ items: [] })
      .expect(409);
    expect(again.body.code).toBe('kit_already_returned');

    const audit = await auditOf(kit.id);
    expect(audit.map((a) => a.action)).toEqual(['issue', 'return']);
    expect(audit[1]!.before).toMatchObject({ returnedAt: null, missingItems: [] });
    expect(audit[1]!.after).toEqual(res.body);
  });

  it('records nothing missing when everything came back, and everything when nothing did', async () => {
    const full = await issue(helpdeskA, studentA, templateA);
    const all = await t
      .http()
      .post(`/api/v1/kits/${full.id}/return`)
      .set(...bearer(helpdeskA))
      .send({ items: HOME_KIT })
      .expect(200);
    expect(all.body.missingItems).toEqual([]);
    const none = await issue(helpdeskA, studentA, templateA);
    const nothing = await t
      .http()
      .post(`/api/v1/kits/${none.id}/return`)
      .set(...bearer(helpdeskA))
      .send({ items: [] })
      .expect(200);
    expect(nothing.body.missingItems).toEqual(HOME_KIT);
  });

  it('answers 400 naming the line for items not in the kit or more than issued, changing nothing', async () => {
    const kit = await issue(helpdeskA, studentA, templateA);
    const res = await t
      .http()
      .post(`/api/v1/kits/${kit.id}/return`)
      .set(...bearer(helpdeskA))
      .send({
        items: [
          { item: 'charger', quantity: 1 },
          { item: 'calculator', quantity: 1 },
          { item: 'pencil', quantity: 13 },
          { item: 'charger', quantity: 1 },
        ],
      })
      .expect(400);
    expect(res.body.code).toBe('validation_failed');
    expect(res.body.errors).toEqual(
      expect.arrayContaining([
        { field: 'items[1].item', message: 'calculator is not in this kit', line: 2 },
        { field: 'items[2].quantity', message: 'more than the 12 issued', line: 3 },
        { field: 'items[3].item', message: 'charger is listed twice', line: 4 },
      ]),
    );
    const stored = (await t.db.query(`SELECT returned_at, missing_items FROM kits WHERE id = $1`, [kit.id])) as {
      returned_at: Date | null;
      missing_items: unknown;
    }[];
    expect(stored[0]).toEqual({ returned_at: null, missing_items: [] });
    expect((await auditOf(kit.id)).map((a) => a.action)).toEqual(['issue']);
  });

  it('lets exactly one of many simultaneous returns through', async () => {
    const kit = await issue(helpdeskA, studentA, templateA);
    const results = await Promise.all(
      Array.from({ length: 6 }, () =>
        t
          .http()
          .post(`/api/v1/kits/${kit.id}/return`)
          .set(...bearer(helpdeskA))
          .send({ items: [] }),
      ),
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, 409, 409, 409, 409, 409]);
    expect((await auditOf(kit.id)).map((a) => a.action)).toEqual(['issue', 'return']);
  });

  it("answers 404 for another district's kit and 403 to read-only roles", async () => {
    const kitB = await issue(techB, studentB, templateB);
    const get = await t
      .http()
      .get(`/api/v1/kits/${kitB.id}`)
      .set(...bearer(helpdeskA))
      .expect(404);
    expect(get.body.code).toBe('kit_not_found');
    await t
      .http()
      .post(`/api/v1/kits/${kitB.id}/return`)
      .set(...bearer(helpdeskA))
      .send({ items: [] })
      .expect(404);
    const auditorB = await tokenFor(t, 'auditor', districtB);
    await t
      .http()
      .get(`/api/v1/kits/${kitB.id}`)
      .set(...bearer(auditorB))
      .expect(200);
    await t
      .http()
      .post(`/api/v1/kits/${kitB.id}/return`)
      .set(...bearer(auditorB))
      .send({ items: [] })
      .expect(403);
    const stored = await t
      .http()
      .get(`/api/v1/kits/${kitB.id}`)
      .set(...bearer(techB))
      .expect(200);
    expect(stored.body.returnedAt).toBeNull();
  });
});

describe('listing kits', () => {
  it("lists a student's kits, and only those with missing items when asked", async () => {
    const student = await createStudent(await tokenFor(t, 'tech', districtA), 'list');
    const kept = await issue(helpdeskA, student, templateA);
    const short = await issue(helpdeskA, student, templateA);
    const complete = await issue(helpdeskA, student, templateA);
    await t
      .http()
      .post(`/api/v1/kits/${short.id}/return`)
      .set(...bearer(helpdeskA))
      .send({ items: [{ item: 'charger', quantity: 1 }] })
      .expect(200);
    await t
      .http()
      .post(`/api/v1/kits/${complete.id}/return`)
      .set(...bearer(helpdeskA))
      .send({ items: HOME_KIT })
      .expect(200);

    const all = await t
      .http()
      .get(`/api/v1/kits?studentId=${student}`)
      .set(...bearer(helpdeskA))
      .expect(200);
    expect(all.body.data.map((k: { id: string }) => k.id)).toEqual([complete.id, short.id, kept.id]);
    const missing = await t
      .http()
      .get(`/api/v1/kits?studentId=${student}&missing=true`)
      .set(...bearer(helpdeskA))
      .expect(200);
    expect(missing.body.data.map((k: { id: string }) => k.id)).toEqual([short.id]);
    expect(missing.body.data[0].missingItems).toEqual([
      { item: 'headphones', quantity: 1 },
      { item: 'pencil', quantity: 12 },
    ]);
    const none = await t
      .http()
      .get(`/api/v1/kits?studentId=${student}&missing=false`)
      .set(...bearer(helpdeskA))
      .expect(200);
    expect(none.body.data.map((k: { id: string }) => k.id)).toEqual([complete.id, kept.id]);
    const bad = await t
      .http()
      .get('/api/v1/kits?missing=maybe')
      .set(...bearer(helpdeskA))
      .expect(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field)).toEqual(['missing']);

    const attendance = await tokenFor(t, 'attendance', districtA);
    await t
      .http()
      .get(`/api/v1/kits?studentId=${student}`)
      .set(...bearer(attendance))
      .expect(200);
    const otherDistrict = await t
      .http()
      .get(`/api/v1/kits?studentId=${student}`)
      .set(...bearer(techB))
      .expect(200);
    expect(otherDistrict.body.data).toEqual([]);
  });

  it('pages through every kit once, newest first, even when issued in the same instant', async () => {
    const district = await createDistrict('KIT-PAGE');
    const tech = await tokenFor(t, 'tech', district);
    const student = await createStudent(tech, 'page');
    const template = (
      await t
        .http()
        .post('/api/v1/kit-templates')
        .set(...bearer(tech))
        .send({ name: 'Kit', items: HOME_KIT })
        .expect(201)
    ).body.id as string;
    for (let i = 0; i < 4; i += 1) await issue(tech, student, template);
    // A batch sharing one issued_at (with microseconds) makes the id break the ties.
    await t.db.query(
      `INSERT INTO kits (district_id, student_id, template_id, items, issued_at)
       SELECT $1, $2, $3, '[]', '2020-09-04 10:00:00.123456+00' FROM generate_series(1, 9)`,
      [district, student, template],
    );
    const expected = (
      (await t.db.query(`SELECT id FROM kits WHERE district_id = $1 ORDER BY issued_at DESC, id DESC`, [district])) as { id: string }[]
    ).map((r) => r.id);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: Response = await t
        .http()
        .get('/api/v1/kits')
        .query({ limit: 2, ...(cursor ? { cursor } : {}) })
        .set(...bearer(tech))
        .expect(200);
      seen.push(...res.body.data.map((k: { id: string }) => k.id));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(expected);
    expect(seen).toHaveLength(13);
    const forged = Buffer.from(JSON.stringify(['yesterday', expected[0]])).toString('base64url');
    const bad = await t
      .http()
      .get('/api/v1/kits')
      .query({ cursor: forged })
      .set(...bearer(tech))
      .expect(400);
    expect(bad.body.code).toBe('invalid_cursor');
  });
});
