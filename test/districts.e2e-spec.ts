import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Response } from 'supertest';
import { bearer, startTestApp, type TestApp, tokenFor } from './support/test-app.js';

let t: TestApp;

beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.close();
});

async function createDistrict(code: string, settings: Record<string, unknown> = {}): Promise<string> {
  const res = await t
    .http()
    .post('/api/v1/districts')
    .set(...bearer(t.adminToken))
    .send({ name: `District ${code}`, code, ...settings })
    .expect(201);
  return res.body.id as string;
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

describe('districts', () => {
  it('creates a district with default settings, or with the settings sent, and audits it', async () => {
    const plain = await t
      .http()
      .post('/api/v1/districts')
      .set(...bearer(t.adminToken))
      .send({ name: 'Groton', code: 'GROTON' })
      .expect(201);
    expect(plain.body).toMatchObject({
      name: 'Groton',
      code: 'GROTON',
      timeZone: 'America/New_York',
      gapThresholdDays: 5,
      syncStaleDays: 7,
      hotspotIdleDays: 7,
      sparePoolMinimum: 0,
      closureDates: [],
    });

    const custom = await t
      .http()
      .post('/api/v1/districts')
      .set(...bearer(t.adminToken))
      .send({
        name: 'Hartford',
        code: 'HPS',
        timeZone: 'america/new_york',
        gapThresholdDays: 3,
        sparePoolMinimum: 12,
        closureDates: ['2020-11-27', '2020-11-26', '2020-11-27'],
      })
      .expect(201);
    // The zone is stored as Intl spells it; closure dates sorted, each once.
    expect(custom.body).toMatchObject({
      timeZone: 'America/New_York',
      gapThresholdDays: 3,
      sparePoolMinimum: 12,
      closureDates: ['2020-11-26', '2020-11-27'],
    });

    const audit = await auditOf(custom.body.id);
    expect(audit).toEqual([{ action: 'create', before: null, after: custom.body, district_id: custom.body.id }]);
  });

  it('rejects bad input naming each field, and writes nothing', async () => {
    const before = await count('districts');
    const res = await t
      .http()
      .post('/api/v1/districts')
      .set(...bearer(t.adminToken))
      .send({
        name: '',
        code: 'has space',
        timeZone: 'Mars/Olympus_Mons',
        gapThresholdDays: 0,
        syncStaleDays: 1.5,
        closureDates: ['2021-02-29', '10/05/2020'],
      })
      .expect(400);
    expect(res.body.code).toBe('validation_failed');
    expect(fields(res.body)).toEqual(['closureDates', 'code', 'gapThresholdDays', 'name', 'syncStaleDays', 'timeZone']);

    // An offset is not a zone: PostgreSQL would read "+05:00" with the sign reversed.
    const offset = await t
      .http()
      .post('/api/v1/districts')
      .set(...bearer(t.adminToken))
      .send({ name: 'X', code: 'X1', timeZone: '+05:00' })
      .expect(400);
    expect(fields(offset.body)).toContain('timeZone');
    expect(await count('districts')).toBe(before);
  });

  it('answers 409 naming code for a duplicate code', async () => {
    await createDistrict('DUP');
    const before = await count('audit_events');
    const res = await t
      .http()
      .post('/api/v1/districts')
      .set(...bearer(t.adminToken))
      .send({ name: 'Again', code: 'DUP' })
      .expect(409);
    expect(res.body).toMatchObject({
      code: 'duplicate_district_code',
      errors: [{ field: 'code', message: 'already used by another district' }],
    });
    expect(await count('audit_events')).toBe(before);
  });

  it('lets only a state admin create districts', async () => {
    const own = await createDistrict('ONLY-SA');
    for (const role of ['district_admin', 'tech', 'auditor'] as const) {
      const res = await t
        .http()
        .post('/api/v1/districts')
        .set(...bearer(await tokenFor(t, role, own)))
        .send({ name: 'Mine', code: `M-${role}` })
        .expect(403);
      expect(res.body.code).toBe('role_not_allowed');
    }
  });

  it('shows a district token its own district only, and answers 404 for another', async () => {
    const a = await createDistrict('ISO-A');
    const b = await createDistrict('ISO-B');
    const helpdesk = await tokenFor(t, 'helpdesk', a);

    const listed = await t
      .http()
      .get('/api/v1/districts')
      .set(...bearer(helpdesk))
      .expect(200);
    expect(listed.body).toEqual({ data: [expect.objectContaining({ id: a, code: 'ISO-A' })], nextCursor: null });
    await t
      .http()
      .get(`/api/v1/districts/${a}`)
      .set(...bearer(helpdesk))
      .expect(200);
    const other = await t
      .http()
      .get(`/api/v1/districts/${b}`)
      .set(...bearer(helpdesk))
      .expect(404);
    expect(other.body.code).toBe('district_not_found');
    expect(JSON.stringify(other.body)).not.toContain('ISO-B');

    const all = await t
      .http()
      .get('/api/v1/districts?limit=500')
      .set(...bearer(t.adminToken))
      .expect(200);
    expect(all.body.data.map((d: { id: string }) => d.id)).toEqual(expect.arrayContaining([a, b]));
    const unknown = await t
      .http()
      .get('/api/v1/districts/00000000-0000-4000-8000-000000000000')
      .set(...bearer(t.adminToken))
      .expect(404);
    expect(unknown.body.code).toBe('district_not_found');
  });

  it('pages through every district once, in name order', async () => {
    for (const code of ['PG-1', 'PG-2', 'PG-3', 'PG-4', 'PG-5']) await createDistrict(code);
    const expected = ((await t.db.query(`SELECT id FROM districts ORDER BY name, id`)) as { id: string }[]).map((r) => r.id);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: Response = await t
        .http()
        .get('/api/v1/districts')
        .query({ limit: 2, ...(cursor ? { cursor } : {}) })
        .set(...bearer(t.adminToken))
        .expect(200);
      expect(res.body.data.length).toBeLessThanOrEqual(2);
      seen.push(...res.body.data.map((d: { id: string }) => d.id));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(expected);

    const bad = await t
      .http()
      .get('/api/v1/districts?cursor=bm90LWEtY3Vyc29y')
      .set(...bearer(t.adminToken))
      .expect(400);
    expect(bad.body.code).toBe('invalid_cursor');
    const forged = Buffer.from(JSON.stringify(['x', 'not-a-uuid'])).toString('base64url');
    await t
      .http()
      .get(`/api/v1/districts?cursor=${forged}`)
      .set(...bearer(t.adminToken))
      .expect(400);
  });
});

describe('district settings', () => {
  it('lets the district admin change name and settings, audited with before and after', async () => {
    const id = await createDistrict('SET-A');
    const admin = await tokenFor(t, 'district_admin', id);
    const res = await t
      .http()
      .patch(`/api/v1/districts/${id}`)
      .set(...bearer(admin))
      .send({
        name: 'Renamed',
        timeZone: 'America/Chicago',
        gapThresholdDays: 10,
        syncStaleDays: 14,
        hotspotIdleDays: 21,
        sparePoolMinimum: 4,
        closureDates: ['2020-12-24'],
      })
      .expect(200);
    expect(res.body).toMatchObject({
      id,
      name: 'Renamed',
      code: 'SET-A',
      timeZone: 'America/Chicago',
      gapThresholdDays: 10,
      syncStaleDays: 14,
      hotspotIdleDays: 21,
      sparePoolMinimum: 4,
      closureDates: ['2020-12-24'],
    });
    const stored = (await t.db.query(`SELECT time_zone, closure_dates::text AS closures FROM districts WHERE id = $1`, [id])) as {
      time_zone: string;
      closures: string;
    }[];
    expect(stored[0]).toEqual({ time_zone: 'America/Chicago', closures: '{2020-12-24}' });

    // Fields not sent stay as they were.
    const partial = await t
      .http()
      .patch(`/api/v1/districts/${id}`)
      .set(...bearer(t.adminToken))
      .send({ closureDates: [] })
      .expect(200);
    expect(partial.body).toMatchObject({ name: 'Renamed', gapThresholdDays: 10, closureDates: [] });

    const audit = await auditOf(id);
    expect(audit.map((a) => a.action)).toEqual(['create', 'update', 'update']);
    expect(audit[1]!.before).toMatchObject({ name: 'District SET-A', gapThresholdDays: 5, timeZone: 'America/New_York' });
    expect(audit[1]!.after).toEqual(res.body);
    expect(audit[2]!.before).toMatchObject({ closureDates: ['2020-12-24'] });
    expect(audit[2]!.after).toMatchObject({ closureDates: [] });
  });

  it('refuses a code change, nulls and out-of-range settings, naming the fields', async () => {
    const id = await createDistrict('SET-B');
    const res = await t
      .http()
      .patch(`/api/v1/districts/${id}`)
      .set(...bearer(t.adminToken))
      .send({ code: 'NEW', gapThresholdDays: null, hotspotIdleDays: 366, sparePoolMinimum: -1, timeZone: 'EST5EDT/Nowhere' })
      .expect(400);
    expect(fields(res.body)).toEqual(
      expect.arrayContaining(['code', 'gapThresholdDays', 'hotspotIdleDays', 'sparePoolMinimum', 'timeZone']),
    );
    expect(res.body.errors).toContainEqual({ field: 'code', message: 'unknown field' });
    const stored = await t
      .http()
      .get(`/api/v1/districts/${id}`)
      .set(...bearer(t.adminToken))
      .expect(200);
    expect(stored.body).toMatchObject({ code: 'SET-B', gapThresholdDays: 5 });
  });

  it('answers 404 to a district admin of another district and 403 to other roles, changing nothing', async () => {
    const a = await createDistrict('SET-C');
    const b = await createDistrict('SET-D');
    const adminA = await tokenFor(t, 'district_admin', a);
    const res = await t
      .http()
      .patch(`/api/v1/districts/${b}`)
      .set(...bearer(adminA))
      .send({ name: 'Taken over' })
      .expect(404);
    expect(res.body.code).toBe('district_not_found');
    for (const role of ['tech', 'auditor', 'helpdesk'] as const) {
      await t
        .http()
        .patch(`/api/v1/districts/${a}`)
        .set(...bearer(await tokenFor(t, role, a)))
        .send({ name: 'Nope' })
        .expect(403);
    }
    const names = (await t.db.query(`SELECT name FROM districts WHERE id = ANY($1) ORDER BY code`, [[a, b]])) as { name: string }[];
    expect(names.map((n) => n.name)).toEqual(['District SET-C', 'District SET-D']);
    expect((await auditOf(b)).map((e) => e.action)).toEqual(['create']);
  });
});

describe('schools', () => {
  it("creates schools for the token's district, or the one a state admin names", async () => {
    const a = await createDistrict('SCH-A');
    const tech = await tokenFor(t, 'tech', a);
    const created = await t
      .http()
      .post('/api/v1/schools')
      .set(...bearer(tech))
      .send({ name: 'Lincoln-Bassett', code: 'LB', sourcedId: 'org-1' })
      .expect(201);
    expect(created.body).toMatchObject({ districtId: a, name: 'Lincoln-Bassett', code: 'LB', sourcedId: 'org-1' });

    const byState = await t
      .http()
      .post('/api/v1/schools')
      .set(...bearer(t.adminToken))
      .send({ districtId: a, name: 'Hill Central', code: 'HC' })
      .expect(201);
    expect(byState.body).toMatchObject({ districtId: a, sourcedId: null });

    const noDistrict = await t
      .http()
      .post('/api/v1/schools')
      .set(...bearer(t.adminToken))
      .send({ name: 'Where', code: 'W' })
      .expect(400);
    expect(fields(noDistrict.body)).toEqual(['districtId']);
    const unknown = await t
      .http()
      .post('/api/v1/schools')
      .set(...bearer(t.adminToken))
      .send({ districtId: '00000000-0000-4000-8000-000000000000', name: 'Where', code: 'W' })
      .expect(422);
    expect(unknown.body).toMatchObject({ code: 'district_not_found', errors: [{ field: 'districtId', message: 'no such district' }] });

    const audit = await auditOf(created.body.id);
    expect(audit).toEqual([{ action: 'create', before: null, after: created.body, district_id: a }]);
  });

  it('answers 409 naming the field for a duplicate code or sourcedId within a district only', async () => {
    const a = await createDistrict('SCH-B');
    const b = await createDistrict('SCH-C');
    const tech = await tokenFor(t, 'tech', a);
    await t
      .http()
      .post('/api/v1/schools')
      .set(...bearer(tech))
      .send({ name: 'One', code: 'S1', sourcedId: 'org-s1' })
      .expect(201);
    const code = await t
      .http()
      .post('/api/v1/schools')
      .set(...bearer(tech))
      .send({ name: 'Two', code: 'S1' })
      .expect(409);
    expect(code.body).toMatchObject({ code: 'duplicate_school_code', errors: [{ field: 'code' }] });
    const sourced = await t
      .http()
      .post('/api/v1/schools')
      .set(...bearer(tech))
      .send({ name: 'Two', code: 'S2', sourcedId: 'org-s1' })
      .expect(409);
    expect(sourced.body).toMatchObject({ code: 'duplicate_sourced_id', errors: [{ field: 'sourcedId' }] });
    // The same code in another district is another school.
    await t
      .http()
      .post('/api/v1/schools')
      .set(...bearer(t.adminToken))
      .send({ districtId: b, name: 'One', code: 'S1', sourcedId: 'org-s1' })
      .expect(201);
    const names = (await t.db.query(`SELECT name FROM schools WHERE district_id = $1`, [a])) as { name: string }[];
    expect(names).toEqual([{ name: 'One' }]);
  });

  it('updates a school, audited with before and after; a clash on code is 409', async () => {
    const a = await createDistrict('SCH-D');
    const admin = await tokenFor(t, 'district_admin', a);
    const one = await t
      .http()
      .post('/api/v1/schools')
      .set(...bearer(admin))
      .send({ name: 'One', code: 'D1', sourcedId: 'org-d1' })
      .expect(201);
    await t
      .http()
      .post('/api/v1/schools')
      .set(...bearer(admin))
      .send({ name: 'Two', code: 'D2' })
      .expect(201);
    const res = await t
      .http()
      .patch(`/api/v1/schools/${one.body.id}`)
      .set(...bearer(admin))
      .send({ name: 'One Renamed', sourcedId: null })
      .expect(200);
    expect(res.body).toMatchObject({ name: 'One Renamed', code: 'D1', sourcedId: null });
    const clash = await t
      .http()
      .patch(`/api/v1/schools/${one.body.id}`)
      .set(...bearer(admin))
      .send({ code: 'D2' })
      .expect(409);
    expect(clash.body).toMatchObject({ code: 'duplicate_school_code', errors: [{ field: 'code' }] });
    const bad = await t
      .http()
      .patch(`/api/v1/schools/${one.body.id}`)
      .set(...bearer(admin))
      .send({ name: null, code: '', districtId: a })
      .expect(400);
    expect(fields(bad.body)).toEqual(['code', 'districtId', 'name']);

    const audit = await auditOf(one.body.id);
    expect(audit.map((e) => e.action)).toEqual(['create', 'update']);
    expect(audit[1]).toMatchObject({ before: { name: 'One', sourcedId: 'org-d1' }, after: res.body });
  });

  it('keeps each district to its own schools and refuses writes to read-only roles', async () => {
    const a = await createDistrict('SCH-E');
    const b = await createDistrict('SCH-F');
    const techA = await tokenFor(t, 'tech', a);
    const schoolB = await t
      .http()
      .post('/api/v1/schools')
      .set(...bearer(t.adminToken))
      .send({ districtId: b, name: 'B School', code: 'B1' })
      .expect(201);
    await t
      .http()
      .post('/api/v1/schools')
      .set(...bearer(techA))
      .send({ name: 'A School', code: 'A1' })
      .expect(201);

    const get = await t
      .http()
      .get(`/api/v1/schools/${schoolB.body.id}`)
      .set(...bearer(techA))
      .expect(404);
    expect(get.body.code).toBe('school_not_found');
    expect(JSON.stringify(get.body)).not.toContain('B School');
    await t
      .http()
      .patch(`/api/v1/schools/${schoolB.body.id}`)
      .set(...bearer(techA))
      .send({ name: 'Mine now' })
      .expect(404);
    const list = await t
      .http()
      .get('/api/v1/schools')
      .set(...bearer(techA))
      .expect(200);
    expect(list.body.data.map((s: { name: string }) => s.name)).toEqual(['A School']);
    const otherFilter = await t
      .http()
      .get(`/api/v1/schools?districtId=${b}`)
      .set(...bearer(techA))
      .expect(404);
    expect(otherFilter.body.code).toBe('district_not_found');
    const stateFiltered = await t
      .http()
      .get(`/api/v1/schools?districtId=${b}`)
      .set(...bearer(t.adminToken))
      .expect(200);
    expect(stateFiltered.body.data.map((s: { id: string }) => s.id)).toEqual([schoolB.body.id]);

    for (const role of ['auditor', 'helpdesk', 'attendance'] as const) {
      const secret = await tokenFor(t, role, a);
      await t
        .http()
        .get('/api/v1/schools')
        .set(...bearer(secret))
        .expect(200);
      const denied = await t
        .http()
        .post('/api/v1/schools')
        .set(...bearer(secret))
        .send({ name: 'X', code: `X-${role}` })
        .expect(403);
      expect(denied.body.code).toBe('role_not_allowed');
    }
    const stored = (await t.db.query(`SELECT name FROM schools WHERE id = $1`, [schoolB.body.id])) as { name: string }[];
    expect(stored[0]!.name).toBe('B School');
  });

  it("pages through a district's schools once each", async () => {
    const a = await createDistrict('SCH-G');
    const tech = await tokenFor(t, 'tech', a);
    // Equal names: the id breaks the tie.
    for (const [i, name] of ['Elm', 'Oak', 'Elm', 'Ash', 'Oak', 'Elm', 'Birch'].entries()) {
      await t
        .http()
        .post('/api/v1/schools')
        .set(...bearer(tech))
        .send({ name, code: `P${i}` })
        .expect(201);
    }
    const expected = ((await t.db.query(`SELECT id FROM schools WHERE district_id = $1 ORDER BY name, id`, [a])) as { id: string }[]).map(
      (r) => r.id,
    );
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: Response = await t
        .http()
        .get('/api/v1/schools')
        .query({ limit: 3, ...(cursor ? { cursor } : {}) })
        .set(...bearer(tech))
        .expect(200);
      seen.push(...res.body.data.map((s: { id: string }) => s.id));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(expected);
    expect(seen).toHaveLength(7);
  });
});
