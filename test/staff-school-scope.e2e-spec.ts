import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Seed } from './support/seed.js';
import { bearer, createStaffUser, startTestApp, tokenFor, type TestApp } from './support/test-app.js';

/**
 * An existing staff user's school scope changes with PATCH /staff/{id}: confined to schools of their
 * district or given the whole district back, audited; another district's school, an empty list, a state
 * admin's scope and one's own scope are refused naming `schoolIds`.
 */
describe('staff users: changing the school scope', () => {
  let t: TestApp;
  let district: string;
  let schoolA: string;
  let schoolB: string;
  let elsewhere: string;
  let admin: string;

  const patch = (id: string, body: object, token = admin) =>
    t
      .http()
      .patch(`/api/v1/staff/${id}`)
      .set(...bearer(token))
      .send(body);
  const create = (body: Record<string, unknown>, token = admin): Promise<string> => createStaffUser(t, body, token);

  beforeAll(async () => {
    t = await startTestApp();
    const seed = new Seed(t.db);
    district = await seed.district();
    [schoolA, schoolB] = [await seed.school(district), await seed.school(district)];
    elsewhere = await seed.school(await seed.district());
    admin = await tokenFor(t, 'district_admin', district);
  }, 60_000);

  afterAll(async () => {
    await t?.close();
  });

  it('confines a technician to schools of the district and gives the whole district back, audited', async () => {
    const id = await create({ email: 'tech@scope.example.org', name: 'Tess', role: 'tech' });
    const confined = await patch(id, { schoolIds: [schoolB, schoolA, schoolB] });
    expect(confined.status).toBe(200);
    expect([...(confined.body.schoolIds as string[])].sort()).toEqual([schoolA, schoolB].sort());
    const whole = await patch(id, { schoolIds: null });
    expect([whole.status, whole.body.schoolIds]).toEqual([200, null]);
    const audit = (await t.db.query(
      `SELECT before->'schoolIds' AS before, after->'schoolIds' AS after FROM audit_events
        WHERE entity_type = 'staff_user' AND entity_id = $1 AND action = 'update' ORDER BY id`,
      [id],
    )) as { before: string[] | null; after: string[] | null }[];
    expect(audit.map((row) => [row.before?.length ?? null, row.after?.length ?? null])).toEqual([
      [null, 2],
      [2, null],
    ]);
  });

  it('refuses another district’s school, an empty list and a state admin’s scope, naming schoolIds', async () => {
    const id = await create({ email: 'desk@scope.example.org', name: 'Desi', role: 'helpdesk' });
    const foreign = await patch(id, { schoolIds: [elsewhere] });
    expect([foreign.status, foreign.body.code, foreign.body.errors]).toEqual([
      422,
      'school_not_found',
      [{ field: 'schoolIds', message: 'no such school in this district' }],
    ]);
    const empty = await patch(id, { schoolIds: [] });
    expect([empty.status, empty.body.errors[0].field]).toEqual([400, 'schoolIds']);
    const state = await create({ email: 'state@scope.example.org', name: 'Stan', role: 'state_admin' }, t.adminToken);
    const stateScope = await patch(state, { schoolIds: [schoolA] }, t.adminToken);
    expect([stateScope.status, stateScope.body.errors[0].field]).toEqual([400, 'schoolIds']);
    const [row] = (await t.db.query(`SELECT school_ids FROM staff_users WHERE id = $1`, [id])) as { school_ids: string[] | null }[];
    expect(row!.school_ids).toBeNull();
  });

  it('lets an administrator confine another administrator, but not themselves', async () => {
    const other = await create({ email: 'other-admin@scope.example.org', name: 'Ola', role: 'district_admin' });
    expect((await patch(other, { schoolIds: [schoolA] })).status).toBe(200);
    // An admin signed in as themselves: a token they own.
    const self = await create({ email: 'self-admin@scope.example.org', name: 'Sam', role: 'district_admin' });
    const owned = await t
      .http()
      .post('/api/v1/tokens')
      .set(...bearer(admin))
      .send({ name: 'sam', role: 'district_admin', staffUserId: self });
    expect(owned.status).toBe(201);
    const own = await patch(self, { schoolIds: [schoolA] }, owned.body.secret as string);
    expect([own.status, own.body.errors]).toEqual([
      400,
      [{ field: 'schoolIds', message: 'your own school scope is changed by another administrator' }],
    ]);
    // Saying what it already is changes nothing and is no refusal.
    expect((await patch(self, { schoolIds: null, name: 'Samuel' }, owned.body.secret as string)).status).toBe(200);
  });
});
