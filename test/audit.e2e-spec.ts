import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Response } from 'supertest';
import { bearer, startTestApp, type TestApp, tokenFor } from './support/test-app.js';

let t: TestApp;
let districtA: string;
let districtB: string;
let adminA: string;
let schoolA: string;
let schoolB: string;

beforeAll(async () => {
  t = await startTestApp();
  districtA = await createDistrict('AUD-A');
  districtB = await createDistrict('AUD-B');
  adminA = await tokenFor(t, 'district_admin', districtA);
  schoolA = (
    await t
      .http()
      .post('/api/v1/schools')
      .set(...bearer(adminA))
      .send({ name: 'A School', code: 'A1' })
      .expect(201)
  ).body.id;
  schoolB = (
    await t
      .http()
      .post('/api/v1/schools')
      .set(...bearer(t.adminToken))
      .send({ districtId: districtB, name: 'B School', code: 'B1' })
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

interface EventBody {
  id: string;
  districtId: string | null;
  entityType: string;
  entityId: string;
  action: string;
  actor: string;
  actorTokenId: string | null;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

describe('audit events', () => {
  it('lists the history of one record, newest first, with who did it and the values before and after', async () => {
    await t
      .http()
      .patch(`/api/v1/schools/${schoolA}`)
      .set(...bearer(adminA))
      .send({ name: 'A School Renamed' })
      .expect(200);
    const res = await t
      .http()
      .get('/api/v1/audit-events')
      .query({ entityType: 'school', entityId: schoolA })
      .set(...bearer(adminA))
      .expect(200);
    const events = res.body.data as EventBody[];
    expect(events.map((e) => e.action)).toEqual(['update', 'create']);
    expect(events[0]).toMatchObject({
      districtId: districtA,
      entityType: 'school',
      entityId: schoolA,
      actor: 'district_admin token',
      before: { name: 'A School' },
      after: { name: 'A School Renamed' },
    });
    expect(events[0]!.actorTokenId).toMatch(/^[0-9a-f-]{36}$/);
    expect(events[1]!.before).toBeNull();
    expect(res.body.nextCursor).toBeNull();
  });

  it('records on each row the id of the request that wrote it, also for requests of one token back to back', async () => {
    const rename = (name: string, requestId?: string) => {
      const req = t
        .http()
        .patch(`/api/v1/schools/${schoolB}`)
        .set(...bearer(t.adminToken));
      return (requestId ? req.set('X-Request-Id', requestId) : req).send({ name }).expect(200);
    };
    await rename('B School 1', 'audit-request-1');
    await rename('B School 2', 'audit-request-2');
    const generated = (await rename('B School 3')).headers['x-request-id'] as string;
    const res = await t
      .http()
      .get('/api/v1/audit-events')
      .query({ entityType: 'school', entityId: schoolB })
      .set(...bearer(t.adminToken))
      .expect(200);
    const updates = (res.body.data as (EventBody & { requestId: string | null })[]).filter((e) => e.action === 'update');
    expect(updates.slice(0, 3).map((e) => [e.after?.['name'], e.requestId])).toEqual([
      ['B School 3', generated],
      ['B School 2', 'audit-request-2'],
      ['B School 1', 'audit-request-1'],
    ]);
  });

  it("shows a district token only its own district's events; a state token sees all or one district", async () => {
    const own = await t
      .http()
      .get('/api/v1/audit-events?limit=500')
      .set(...bearer(adminA))
      .expect(200);
    const events = own.body.data as EventBody[];
    expect(events.length).toBeGreaterThan(0);
    expect(new Set(events.map((e) => e.districtId))).toEqual(new Set([districtA]));
    const other = await t
      .http()
      .get('/api/v1/audit-events')
      .query({ entityType: 'school', entityId: schoolB })
      .set(...bearer(adminA))
      .expect(200);
    expect(other.body.data).toEqual([]);
    const elsewhere = await t
      .http()
      .get(`/api/v1/audit-events?districtId=${districtB}`)
      .set(...bearer(adminA))
      .expect(404);
    expect(elsewhere.body.code).toBe('district_not_found');

    const state = await t
      .http()
      .get('/api/v1/audit-events?limit=500')
      .set(...bearer(t.adminToken))
      .expect(200);
    // null: state-level events such as the bootstrap token's, which only state tokens see.
    const districts = new Set((state.body.data as EventBody[]).map((e) => e.districtId));
    expect(districts).toEqual(new Set([districtA, districtB, null]));
    const onlyB = await t
      .http()
      .get(`/api/v1/audit-events?districtId=${districtB}&limit=500`)
      .set(...bearer(t.adminToken))
      .expect(200);
    expect((onlyB.body.data as EventBody[]).map((e) => e.entityId)).toContain(schoolB);
    expect(new Set((onlyB.body.data as EventBody[]).map((e) => e.districtId))).toEqual(new Set([districtB]));
  });

  it('lets auditors read, and no one else below district admin', async () => {
    const auditor = await tokenFor(t, 'auditor', districtA);
    await t
      .http()
      .get('/api/v1/audit-events')
      .set(...bearer(auditor))
      .expect(200);
    for (const role of ['tech', 'helpdesk', 'attendance'] as const) {
      const res = await t
        .http()
        .get('/api/v1/audit-events')
        .set(...bearer(await tokenFor(t, role, districtA)))
        .expect(403);
      expect(res.body.code).toBe('role_not_allowed');
    }
  });

  it('pages through every event once, by id descending', async () => {
    for (let i = 0; i < 7; i += 1) {
      await t
        .http()
        .patch(`/api/v1/schools/${schoolA}`)
        .set(...bearer(adminA))
        .send({ name: `Name ${i}` })
        .expect(200);
    }
    const expected = (
      (await t.db.query(`SELECT e.id::text AS id FROM audit_events e WHERE e.district_id = $1 ORDER BY e.id DESC`, [districtA])) as {
        id: string;
      }[]
    ).map((r) => r.id);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: Response = await t
        .http()
        .get('/api/v1/audit-events')
        .query({ limit: 3, ...(cursor ? { cursor } : {}) })
        .set(...bearer(adminA))
        .expect(200);
      seen.push(...(res.body.data as EventBody[]).map((e) => e.id));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(expected);
    expect(seen.length).toBeGreaterThan(9);
  });

  it('rejects an entityId without its entityType and a cursor it did not hand out', async () => {
    const res = await t
      .http()
      .get(`/api/v1/audit-events?entityId=${schoolA}`)
      .set(...bearer(adminA))
      .expect(400);
    expect(res.body.errors).toContainEqual({ field: 'entityType', message: 'entityType is required with entityId' });
    const forged = Buffer.from(JSON.stringify(['1; DROP TABLE x'])).toString('base64url');
    const cursor = await t
      .http()
      .get(`/api/v1/audit-events?cursor=${forged}`)
      .set(...bearer(adminA))
      .expect(400);
    expect(cursor.body.code).toBe('invalid_cursor');
  });

  it('cannot be edited or deleted, through the API or in the database', async () => {
    const [event] = (await t.db.query(`SELECT id::text AS id FROM audit_events ORDER BY id LIMIT 1`)) as { id: string }[];
    for (const method of ['patch', 'put', 'delete'] as const) {
      const res = await t
        .http()
        [method](`/api/v1/audit-events/${event!.id}`)
        .set(...bearer(t.adminToken))
        .send({ action: 'forged' })
        .expect(404);
      expect(res.body.code).toBe('route_not_found');
    }
    await expect(t.db.query(`UPDATE audit_events SET action = 'forged' WHERE id = $1`, [event!.id])).rejects.toThrow(/append-only/);
    await expect(t.db.query(`DELETE FROM audit_events WHERE id = $1`, [event!.id])).rejects.toThrow(/append-only/);
  });
});
