import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { bearer, startTestApp, type TestApp, tokenFor } from './support/test-app.js';

let t: TestApp;
let district: string;
let admin: string;
let tech: string;
let school: string;
let student: string;
let device: string;
let ticket: string;
let kit: string;

beforeAll(async () => {
  t = await startTestApp();
  const post = async (secret: string, path: string, body: object): Promise<string> =>
    (
      await t
        .http()
        .post(path)
        .set(...bearer(secret))
        .send(body)
        .expect(201)
    ).body.id as string;
  district = await post(t.adminToken, '/api/v1/districts', { name: 'Versions', code: 'VER' });
  admin = await tokenFor(t, 'district_admin', district);
  tech = await tokenFor(t, 'tech', district);
  school = await post(tech, '/api/v1/schools', { name: 'School', code: 'S-1' });
  student = await post(tech, '/api/v1/students', { schoolId: school, sourcedId: 'stu-1', givenName: 'Ver', familyName: 'Sion' });
  device = await post(tech, '/api/v1/devices', { kind: 'chromebook', assetTag: 'CB-1', serialNumber: 'SN-1', schoolId: school });
  ticket = await post(admin, '/api/v1/tickets', { type: 'outreach', studentId: student });
  const template = await post(tech, '/api/v1/kit-templates', { name: 'Home kit', items: [{ item: 'charger', quantity: 1 }] });
  kit = await post(tech, '/api/v1/kits', { studentId: student, templateId: template });
});
afterAll(async () => {
  await t?.close();
});

/** Each mutable resource: where it lives, and two different changes to it. */
const RESOURCES = [
  { name: 'districts', url: () => `/api/v1/districts/${district}`, change: (n: number) => ({ name: `Versions ${n}` }), field: 'name' },
  { name: 'schools', url: () => `/api/v1/schools/${school}`, change: (n: number) => ({ name: `School ${n}` }), field: 'name' },
  { name: 'students', url: () => `/api/v1/students/${student}`, change: (n: number) => ({ givenName: `Ver${n}` }), field: 'givenName' },
  { name: 'devices', url: () => `/api/v1/devices/${device}`, change: (n: number) => ({ notes: `note ${n}` }), field: 'notes' },
  { name: 'tickets', url: () => `/api/v1/tickets/${ticket}`, change: (n: number) => ({ assignee: `agent-${n}` }), field: 'assignee' },
];

const read = (url: string) =>
  t
    .http()
    .get(url)
    .set(...bearer(admin))
    .expect(200);
const patch = (url: string, body: object, ifMatch?: string) => {
  const req = t
    .http()
    .patch(url)
    .set(...bearer(admin));
  return (ifMatch === undefined ? req : req.set('If-Match', ifMatch)).send(body);
};

describe.each(RESOURCES)('ETag and If-Match: $name', ({ url, change, field }) => {
  it('answers GET and PATCH with a strong ETag that every change moves on', async () => {
    const first = await read(url());
    expect(first.headers.etag).toMatch(/^"\d+"$/);
    const changed = await patch(url(), change(1), first.headers.etag).expect(200);
    expect(changed.headers.etag).toMatch(/^"\d+"$/);
    expect(changed.headers.etag).not.toBe(first.headers.etag);
    expect((await read(url())).headers.etag).toBe(changed.headers.etag);
    // The version is a header, not part of the record's JSON.
    expect(changed.body).not.toHaveProperty('version');
  });

  it('refuses a PATCH with a stale If-Match (412) and changes nothing', async () => {
    const stale = (await read(url())).headers.etag!;
    await patch(url(), change(2), stale).expect(200);
    const refused = await patch(url(), change(3), stale).expect(412);
    expect(refused.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(refused.body).toMatchObject({ code: 'precondition_failed', status: 412, errors: [{ field: 'If-Match' }] });
    const now = await read(url());
    expect(now.body[field]).toBe(Object.values(change(2))[0]);
    expect(refused.body.currentETag).toBe(now.headers.etag);
  });

  it('refuses a bogus If-Match (412) instead of ignoring it, and accepts * and no header', async () => {
    const current = (await read(url())).headers.etag!;
    for (const bogus of ['garbage', '"abc"', `W/${current}`, '""', `${current}, nonsense`, '"99999"']) {
      const res = await patch(url(), change(4), bogus);
      expect([bogus, res.status, res.body.code]).toEqual([bogus, 412, 'precondition_failed']);
    }
    expect((await read(url())).headers.etag).toBe(current);
    await patch(url(), change(5), '*').expect(200);
    await patch(url(), change(6), `"0", ${(await read(url())).headers.etag}`).expect(200);
    await patch(url(), change(7)).expect(200);
    expect((await read(url())).body[field]).toBe(Object.values(change(7))[0]);
  });
});

describe('no lost updates', () => {
  it("keeps another agent's ticket assignment: the stale PATCH is 412", async () => {
    const agentA = await tokenFor(t, 'helpdesk', district);
    const agentB = await tokenFor(t, 'attendance', district);
    const seenByA = await t
      .http()
      .get(`/api/v1/tickets/${ticket}`)
      .set(...bearer(agentA))
      .expect(200);
    const seenByB = await t
      .http()
      .get(`/api/v1/tickets/${ticket}`)
      .set(...bearer(agentB))
      .expect(200);
    expect(seenByA.headers.etag).toBe(seenByB.headers.etag);
    await t
      .http()
      .patch(`/api/v1/tickets/${ticket}`)
      .set(...bearer(agentB))
      .set('If-Match', seenByB.headers.etag!)
      .send({ assignee: 'agent-b' })
      .expect(200);
    const lost = await t
      .http()
      .patch(`/api/v1/tickets/${ticket}`)
      .set(...bearer(agentA))
      .set('If-Match', seenByA.headers.etag!)
      .send({ assignee: 'agent-a' })
      .expect(412);
    expect(lost.body.code).toBe('precondition_failed');
    const after = await read(`/api/v1/tickets/${ticket}`);
    expect(after.body.assignee).toBe('agent-b');
  });

  it('lets exactly one of three concurrent PATCHes with the same If-Match win (the check holds the row lock)', async () => {
    const etag = (await read(`/api/v1/devices/${device}`)).headers.etag!;
    const results = await Promise.all([1, 2, 3].map((n) => patch(`/api/v1/devices/${device}`, { notes: `race ${n}` }, etag)));
    expect(results.map((res) => res.status).sort()).toEqual([200, 412, 412]);
  });

  it('moves the version on any write, not only PATCH: an import or custody change makes the ETag stale', async () => {
    const etag = (await read(`/api/v1/devices/${device}`)).headers.etag!;
    await t.db.query(`UPDATE devices SET condition = 'damaged' WHERE id = $1`, [device]);
    await patch(`/api/v1/devices/${device}`, { notes: 'after the import' }, etag).expect(412);
  });

  it('moves the version by exactly one per update, whether or not the statement sets it', async () => {
    const version = async (): Promise<number> =>
      ((await t.db.query(`SELECT version FROM students WHERE id = $1`, [student])) as { version: number }[])[0]!.version;
    const start = await version();
    await t.db.query(`UPDATE students SET grade = 'a' WHERE id = $1`, [student]);
    expect(await version()).toBe(start + 1);
    // A bulk statement that moves it itself (the end of a login import) is not bumped twice.
    await t.db.query(`UPDATE students SET grade = 'b', version = version + 1 WHERE id = $1`, [student]);
    expect(await version()).toBe(start + 2);
    // Nor may a writer set it back or ahead.
    await t.db.query(`UPDATE students SET grade = 'c', version = 1 WHERE id = $1`, [student]);
    expect(await version()).toBe(start + 3);
    await t.db.query(`UPDATE students SET grade = 'd', version = version + 5 WHERE id = $1`, [student]);
    expect(await version()).toBe(start + 4);
  });

  it('gives kits an ETag and refuses a return with a stale If-Match', async () => {
    const first = await read(`/api/v1/kits/${kit}`);
    expect(first.headers.etag).toMatch(/^"\d+"$/);
    await t.db.query(`UPDATE kits SET items = items WHERE id = $1`, [kit]);
    const stale = await t
      .http()
      .post(`/api/v1/kits/${kit}/return`)
      .set(...bearer(tech))
      .set('If-Match', first.headers.etag!)
      .send({ items: [{ item: 'charger', quantity: 1 }] })
      .expect(412);
    expect(stale.body.code).toBe('precondition_failed');
    expect((await read(`/api/v1/kits/${kit}`)).body.returnedAt).toBeNull();
    const current = (await read(`/api/v1/kits/${kit}`)).headers.etag!;
    const returned = await t
      .http()
      .post(`/api/v1/kits/${kit}/return`)
      .set(...bearer(tech))
      .set('If-Match', current)
      .send({ items: [{ item: 'charger', quantity: 1 }] })
      .expect(200);
    expect(returned.headers.etag).not.toBe(current);
  });
});
