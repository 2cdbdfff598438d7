import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Test } from 'supertest';
import { OPEN_TICKET_STATUSES } from '../src/tickets/ticket.domain.js';
import { Seed } from './support/seed.js';
import { bearer, startTestApp, type TestApp } from './support/test-app.js';

/**
 * A school-scoped staff user (here a district admin confined to school A, so that every route's role
 * allows them and only the scope decides) works through a token they own and through a session that
 * token opened. Either way, school B's records answer as absent, bulk lines naming them are refused
 * like unknown ones, lists and reports hold only school A, and district-wide routes are refused.
 */
let t: TestApp;
let seed: Seed;
let district: string;
let schoolA: string;
let schoolB: string;
let staffUserId: string;
let token: string;
let cookie: string;

type Via = 'token' | 'session';
const VIAS: Via[] = ['token', 'session'];

/** The request made as the scoped user, with the owned token or with the session (from Reconnect's own pages). */
function as(via: Via, req: Test): Test {
  return via === 'token' ? req.set(...bearer(token)) : req.set('Cookie', cookie).set('Sec-Fetch-Site', 'same-origin');
}
const get = (via: Via, url: string) => as(via, t.http().get(url));
const post = (via: Via, url: string, body: object = {}) => as(via, t.http().post(url)).send(body);
const patch = (via: Via, url: string, body: object) => as(via, t.http().patch(url)).send(body);
const admin = (req: Test): Test => req.set(...bearer(t.adminToken));

async function value<T>(text: string, params: unknown[]): Promise<T> {
  const rows = (await t.db.query(text, params)) as Record<string, T>[];
  return Object.values(rows[0]!)[0]!;
}
const sourcedId = (student: string) => value<string>(`SELECT sourced_id FROM students WHERE id = $1`, [student]);
const assetTag = (device: string) => value<string>(`SELECT asset_tag FROM devices WHERE id = $1`, [device]);
const ids = (res: { body: { data: { id: string }[] } }) => res.body.data.map((row) => row.id);

/** A student, an in-stock Chromebook, and a Chromebook the student holds, at a school. */
async function atSchool(schoolId: string) {
  const student = await seed.student(district, schoolId);
  const spare = await seed.device(district, schoolId);
  const held = await seed.device(district, schoolId);
  await seed.assign(district, held, student);
  const assignment = await value<string>(`SELECT id FROM assignments WHERE device_id = $1 AND ended_at IS NULL`, [held]);
  return { student, spare, held, assignment };
}

beforeAll(async () => {
  t = await startTestApp();
  seed = new Seed(t.db);
  district = await seed.district();
  schoolA = await seed.school(district);
  schoolB = await seed.school(district);
  const staff = await admin(t.http().post('/api/v1/staff')).send({
    email: 'scoped@lincoln.org',
    name: 'Scoped Admin',
    role: 'district_admin',
    districtId: district,
    schoolIds: [schoolA],
  });
  expect(staff.status).toBe(201);
  staffUserId = staff.body.id as string;
  const created = await admin(t.http().post('/api/v1/tokens')).send({
    name: 'scoped',
    role: 'district_admin',
    districtId: district,
    staffUserId,
  });
  expect(created.status).toBe(201);
  token = created.body.secret as string;
  const session = await t.http().post('/api/v1/sessions').set('Sec-Fetch-Site', 'same-origin').send({ token });
  expect([session.status, session.body.schoolIds]).toEqual([201, [schoolA]]);
  cookie = ([] as string[])
    .concat(session.headers['set-cookie'] ?? [])
    .find((c) => c.startsWith('reconnect_session='))!
    .split(';')[0]!;
});

afterAll(async () => {
  await t?.close();
});

describe.each(VIAS)('a school-scoped user (%s)', (via) => {
  it("answers another school's students, their equipment and schools as absent", async () => {
    const a = await atSchool(schoolA);
    const b = await atSchool(schoolB);
    expect((await get(via, `/api/v1/students/${a.student}/equipment`)).status).toBe(200);
    const other = await get(via, `/api/v1/students/${b.student}/equipment`);
    expect([other.status, other.body.code]).toEqual([404, 'student_not_found']);

    const schools = await get(via, '/api/v1/schools?limit=100');
    expect(ids(schools)).toEqual([schoolA]);
    expect((await get(via, `/api/v1/schools/${schoolA}`)).status).toBe(200);
    expect((await get(via, `/api/v1/schools/${schoolB}`)).status).toBe(404);
    expect((await patch(via, `/api/v1/schools/${schoolB}`, { name: 'Renamed' })).status).toBe(404);

    const pool = await get(via, `/api/v1/spare-pool?districtId=${district}`);
    expect(pool.body.data.map((row: { schoolId: string }) => row.schoolId)).toEqual([schoolA]);
    expect((await get(via, `/api/v1/spare-pool?schoolId=${schoolB}`)).body.data).toEqual([]);
  });

  it('lists, shows and acknowledges only the assignments of its schools, and issues only to its students', async () => {
    const a = await atSchool(schoolA);
    const b = await atSchool(schoolB);
    const list = ids(await get(via, '/api/v1/assignments?limit=500'));
    expect(list).toContain(a.assignment);
    expect(list).not.toContain(b.assignment);
    expect((await get(via, `/api/v1/assignments?deviceId=${b.held}`)).body.data).toEqual([]);
    expect((await get(via, `/api/v1/assignments/${a.assignment}`)).status).toBe(200);
    expect((await get(via, `/api/v1/assignments/${b.assignment}`)).status).toBe(404);
    const ackB = await post(via, `/api/v1/assignments/${b.assignment}/acknowledgement`, { signerName: 'Parent' });
    expect([ackB.status, ackB.body.code]).toEqual([404, 'assignment_not_found']);
    expect((await post(via, `/api/v1/assignments/${a.assignment}/acknowledgement`, { signerName: 'Parent' })).status).toBe(200);
    expect((await post(via, `/api/v1/assignments/${b.assignment}/return`, { condition: 'working' })).status).toBe(404);

    const toTheirs = await post(via, '/api/v1/assignments', { deviceId: a.spare, studentId: b.student });
    expect([toTheirs.status, toTheirs.body.code, toTheirs.body.errors?.[0]?.field]).toEqual([422, 'student_not_found', 'studentId']);
    expect(await value<string>(`SELECT status FROM devices WHERE id = $1`, [a.spare])).toBe('in_stock');
    const theirDevice = await post(via, '/api/v1/assignments', { deviceId: b.spare, studentId: a.student });
    expect([theirDevice.status, theirDevice.body.code]).toEqual([422, 'device_not_found']);
    expect((await post(via, '/api/v1/assignments', { deviceId: a.spare, studentId: a.student })).status).toBe(201);
    expect((await post(via, `/api/v1/assignments/${a.assignment}/return`, { condition: 'working' })).status).toBe(200);
  });

  it("refuses bulk lines naming another school's device or student as unknown, and does the rest", async () => {
    const a = await atSchool(schoolA);
    const b = await atSchool(schoolB);
    const second = await seed.device(district, schoolA);
    const assign = await post(via, '/api/v1/assignments/bulk', {
      lines: [
        { assetTag: await assetTag(a.spare), studentSourcedId: await sourcedId(a.student) },
        { assetTag: await assetTag(b.spare), studentSourcedId: await sourcedId(a.student) },
        { assetTag: await assetTag(second), studentSourcedId: await sourcedId(b.student) },
      ],
    });
    expect(assign.status).toBe(200);
    expect(assign.body.results.map((r: { outcome: string; code?: string }) => [r.outcome, r.code])).toEqual([
      ['assigned', undefined],
      ['rejected', 'device_not_found'],
      ['rejected', 'student_not_found'],
    ]);
    expect(await value<string>(`SELECT status FROM devices WHERE id = $1`, [b.spare])).toBe('in_stock');

    const back = await post(via, '/api/v1/assignments/bulk-return', {
      lines: [
        { assetTag: await assetTag(a.held), condition: 'working' },
        { assetTag: await assetTag(b.held), condition: 'working' },
      ],
    });
    expect(back.body.results.map((r: { outcome: string; code?: string }) => [r.outcome, r.code])).toEqual([
      ['returned', undefined],
      ['rejected', 'device_not_found'],
    ]);
    expect(await value<string>(`SELECT status FROM devices WHERE id = $1`, [b.held])).toBe('assigned');
  });

  it("runs the help desk's device workflows only on its schools' devices, lending from its schools' pools", async () => {
    const a = await atSchool(schoolA);
    const b = await atSchool(schoolB);
    for (const [path, body] of [
      ['repair-intake', { problem: 'broken' }],
      ['repair-return', { returnTo: 'stock' }],
      ['report-loss', { kind: 'lost' }],
      ['retire', {}],
    ] as const) {
      const res = await post(via, `/api/v1/devices/${b.held}/${path}`, body);
      expect([path, res.status, res.body.code]).toEqual([path, 404, 'device_not_found']);
    }
    expect(await value<string>(`SELECT status FROM devices WHERE id = $1`, [b.held])).toBe('assigned');

    const intake = await post(via, `/api/v1/devices/${a.held}/repair-intake`, { problem: 'broken', issueLoaner: true });
    expect(intake.status).toBe(200);
    expect(intake.body.loanerAssignment).toMatchObject({ studentId: a.student, kind: 'loaner' });
    expect(await value<string>(`SELECT school_id FROM devices WHERE id = $1`, [intake.body.loanerAssignment.deviceId])).toBe(schoolA);
    // Back to the student it came from, who is of this school.
    const back = await post(via, `/api/v1/devices/${a.held}/repair-return`, { returnTo: 'student' });
    expect([back.status, back.body.assignment?.studentId]).toEqual([200, a.student]);

    // A device of school A held by a student of school B: no loaner from B's pool, nor back to that student.
    const crossing = await seed.device(district, schoolA);
    const outsider = await seed.student(district, schoolB);
    await seed.device(district, schoolB);
    await seed.assign(district, crossing, outsider);
    const noLoaner = await post(via, `/api/v1/devices/${crossing}/repair-intake`, { problem: 'broken', issueLoaner: true });
    expect([noLoaner.status, noLoaner.body.code]).toEqual([409, 'no_loaner_available']);
    expect((await post(via, `/api/v1/devices/${crossing}/repair-intake`, { problem: 'broken' })).status).toBe(200);
    const notTheirs = await post(via, `/api/v1/devices/${crossing}/repair-return`, { returnTo: 'student' });
    expect([notTheirs.status, notTheirs.body.code]).toEqual([422, 'student_not_found']);
    expect((await post(via, `/api/v1/devices/${crossing}/repair-return`, { returnTo: 'stock' })).status).toBe(200);
  });

  it("keeps to its schools' kits", async () => {
    const a = await atSchool(schoolA);
    const b = await atSchool(schoolB);
    const template = (
      await admin(t.http().post('/api/v1/kit-templates'))
        .send({ districtId: district, name: `Kit ${via} ${a.student}`, items: [{ item: 'charger', quantity: 1 }] })
        .expect(201)
    ).body.id as string;
    const kitB = (await admin(t.http().post('/api/v1/kits')).send({ studentId: b.student, templateId: template }).expect(201)).body
      .id as string;
    const refused = await post(via, '/api/v1/kits', { studentId: b.student, templateId: template });
    expect([refused.status, refused.body.code]).toEqual([422, 'student_not_found']);
    const kitA = await post(via, '/api/v1/kits', { studentId: a.student, templateId: template });
    expect(kitA.status).toBe(201);
    const list = ids(await get(via, '/api/v1/kits?limit=500'));
    expect(list).toContain(kitA.body.id);
    expect(list).not.toContain(kitB);
    expect((await get(via, `/api/v1/kits/${kitB}`)).status).toBe(404);
    expect((await post(via, `/api/v1/kits/${kitB}/return`, { items: [{ item: 'charger', quantity: 1 }] })).status).toBe(404);
    expect((await post(via, `/api/v1/kits/${kitA.body.id as string}/return`, { items: [{ item: 'charger', quantity: 1 }] })).status).toBe(
      200,
    );
  });

  it("keeps to its schools' tickets, and names the staff user in the history", async () => {
    const a = await atSchool(schoolA);
    const b = await atSchool(schoolB);
    const ticketB = (
      await admin(t.http().post('/api/v1/tickets')).send({ type: 'outreach', districtId: district, studentId: b.student }).expect(201)
    ).body.id as string;
    const refused = await post(via, '/api/v1/tickets', { type: 'outreach', studentId: b.student });
    expect([refused.status, refused.body.code]).toEqual([422, 'student_not_found']);
    const ticketA = await post(via, '/api/v1/tickets', { type: 'outreach', studentId: a.student });
    expect(ticketA.status).toBe(201);
    const list = ids(await get(via, '/api/v1/tickets?limit=500'));
    expect(list).toContain(ticketA.body.id);
    expect(list).not.toContain(ticketB);
    expect((await get(via, `/api/v1/tickets?schoolId=${schoolB}`)).body.data).toEqual([]);
    expect((await get(via, `/api/v1/tickets/${ticketB}`)).status).toBe(404);
    expect((await patch(via, `/api/v1/tickets/${ticketB}`, { assignee: 'me' })).status).toBe(404);
    expect((await post(via, `/api/v1/tickets/${ticketB}/comments`, { body: 'hello' })).status).toBe(404);
    expect((await post(via, `/api/v1/tickets/${ticketB}/outreach-attempts`, { channel: 'call', outcome: 'reached' })).status).toBe(404);
    expect(await value<number>(`SELECT count(*)::int FROM ticket_events WHERE ticket_id = $1`, [ticketB])).toBe(1);

    const commented = await post(via, `/api/v1/tickets/${ticketA.body.id as string}/comments`, { body: 'called home' });
    expect(commented.status).toBe(201);
    const comment = commented.body.history.find((e: { kind: string }) => e.kind === 'comment');
    expect(comment).toMatchObject({ actor: 'scoped', actorStaffUserId: staffUserId });
    expect(typeof comment.actorTokenId).toBe('string');
  });

  it('checks the remote readiness and changes the learning model of its schools only', async () => {
    expect((await get(via, `/api/v1/schools/${schoolA}/remote-readiness`)).status).toBe(200);
    const other = await get(via, `/api/v1/schools/${schoolB}/remote-readiness`);
    expect([other.status, other.body.code]).toEqual([404, 'school_not_found']);
    const change = { learningModel: 'in_person', from: '2020-01-06', to: '2020-01-10' };
    expect((await post(via, `/api/v1/schools/${schoolB}/learning-model-changes`, change)).status).toBe(404);
    expect((await post(via, `/api/v1/schools/${schoolA}/learning-model-changes`, change)).status).toBe(201);
  });

  it('is refused what acts on the whole district', async () => {
    const refusals: [string, () => Test][] = [
      ['POST /imports', () => post(via, '/api/v1/imports')],
      ['GET /imports', () => get(via, '/api/v1/imports')],
      ['POST /login-events', () => post(via, '/api/v1/login-events', { events: [] })],
      ['GET /audit-events', () => get(via, '/api/v1/audit-events')],
      ['POST /gap-scans', () => post(via, '/api/v1/gap-scans')],
      ['GET /gap-scans', () => get(via, '/api/v1/gap-scans')],
      ['GET /shipments', () => get(via, '/api/v1/shipments')],
      ['POST /staff', () => post(via, '/api/v1/staff', { email: 'x@lincoln.org', name: 'X', role: 'tech' })],
      ['GET /tokens', () => get(via, '/api/v1/tokens')],
      ['POST /tokens', () => post(via, '/api/v1/tokens', { name: 'wider', role: 'tech' })],
      ['PATCH /districts', () => patch(via, `/api/v1/districts/${district}`, { name: 'Renamed' })],
      ['POST /schools', () => post(via, '/api/v1/schools', { name: 'New', code: 'NEW' })],
      ['POST /kit-templates', () => post(via, '/api/v1/kit-templates', { name: 'T', items: [{ item: 'x', quantity: 1 }] })],
    ];
    for (const [route, request] of refusals) {
      const res = await request();
      expect([route, res.status, res.body.code]).toEqual([route, 403, 'outside_school_scope']);
    }
    expect(await value<number>(`SELECT count(*)::int FROM imports`, [])).toBe(0);
  });
});

describe('reports for a school-scoped user', () => {
  const EL = 'Everybody Learns';
  let a: Awaited<ReturnType<typeof atSchool>>;
  let b: Awaited<ReturnType<typeof atSchool>>;

  beforeAll(async () => {
    a = await atSchool(schoolA);
    b = await atSchool(schoolB);
    await t.db.query(`UPDATE devices SET funding_source = $1 WHERE id = ANY($2::uuid[])`, [EL, [a.held, b.held, b.spare]]);
    await admin(t.http().post('/api/v1/shipments'))
      .send({ districtId: district, fundingSource: EL, shippedOn: '2020-09-01', serialNumbers: ['NEVER-REGISTERED'] })
      .expect(201);
    await t.db.query(`UPDATE devices SET status = 'in_stock', last_sync_at = now() - interval '60 days' WHERE id = ANY($1::uuid[])`, [
      [a.spare, b.spare],
    ]);
    await admin(t.http().post('/api/v1/tickets')).send({ type: 'outreach', districtId: district, studentId: b.student }).expect(201);
    // Every school falls short of this pool minimum.
    await t.db.query(`UPDATE districts SET spare_pool_minimum = 1000 WHERE id = $1`, [district]);
  });

  const activeIn = (school: string) =>
    value<number>(`SELECT count(*)::int FROM students WHERE school_id = $1 AND enrollment_status = 'active'`, [school]);

  it.each(VIAS)('counts only its schools in the weekly learning-model report (%s)', async (via) => {
    const res = await get(via, `/api/v1/reports/weekly-learning-model?weekOf=2020-09-07&bySchool=true`);
    expect(res.status).toBe(200);
    const rows = res.body.rows as { schoolId: string | null; grade: string | null; enrollment: number }[];
    expect(new Set(rows.map((r) => r.schoolId))).toEqual(new Set([null, schoolA]));
    const total = rows.find((r) => r.schoolId === null && r.grade === null)!;
    expect(total.enrollment).toBe(await activeIn(schoolA));
    const full = await admin(t.http().get(`/api/v1/reports/weekly-learning-model?weekOf=2020-09-07&districtId=${district}`));
    expect(full.body.rows.find((r: { grade: string | null }) => r.grade === null).enrollment).toBe(
      (await activeIn(schoolA)) + (await activeIn(schoolB)),
    );
  });

  it.each(VIAS)('counts only its schools in the rollout report and its reconciliation lists (%s)', async (via) => {
    const res = await get(via, `/api/v1/reports/rollout?fundingSource=${encodeURIComponent(EL)}`);
    expect(res.status).toBe(200);
    const [report] = res.body.districts;
    expect(report.schools.map((s: { schoolId: string }) => s.schoolId)).toEqual([schoolA]);
    expect(report.totals).toMatchObject({ delivered: 0, registered: 1, assigned: 1 });
    expect(report.reconciliation.deliveredNotRegistered.count).toBe(0);
    const notOnManifest = await get(
      via,
      `/api/v1/reports/rollout/reconciliation?fundingSource=${encodeURIComponent(EL)}&list=registeredNotOnManifest`,
    );
    expect(notOnManifest.body.data.map((r: { deviceId: string }) => r.deviceId)).toEqual([a.held]);
    const neverRegistered = await get(
      via,
      `/api/v1/reports/rollout/reconciliation?fundingSource=${encodeURIComponent(EL)}&list=deliveredNotRegistered`,
    );
    expect(neverRegistered.body.data).toEqual([]);
  });

  it.each(VIAS)('lists only its schools in the device-health report (%s)', async (via) => {
    const res = await get(via, '/api/v1/reports/device-health');
    expect(res.status).toBe(200);
    const [report] = res.body.districts;
    const stale = report.chromebooksNotSyncing.items.map((d: { deviceId: string }) => d.deviceId);
    expect(stale).toContain(a.spare);
    expect(stale).not.toContain(b.spare);
    for (const item of report.chromebooksNotSyncing.items) expect(item.schoolId).toBe(schoolA);
    expect(report.sparePoolBelowMinimum.items.map((s: { schoolId: string }) => s.schoolId)).toEqual([schoolA]);
    const all = await admin(t.http().get(`/api/v1/reports/device-health?districtId=${district}`));
    expect(all.body.districts[0].sparePoolBelowMinimum.count).toBe(2);
  });

  it.each(VIAS)("counts only its schools' tickets in the tickets report (%s)", async (via) => {
    const res = await get(via, '/api/v1/reports/tickets');
    expect(res.status).toBe(200);
    const open = await value<number>(`SELECT count(*)::int FROM tickets WHERE school_id = $1 AND status = ANY($2::text[])`, [
      schoolA,
      [...OPEN_TICKET_STATUSES],
    ]);
    expect(res.body.districts[0].openNow).toBe(open);
    const all = await admin(t.http().get(`/api/v1/reports/tickets?districtId=${district}`));
    expect(all.body.districts[0].openNow).toBeGreaterThan(open);
  });

  it('answers another district as not found', async () => {
    const elsewhere = await seed.district();
    expect((await get('token', `/api/v1/reports/tickets?districtId=${elsewhere}`)).status).toBe(404);
  });
});

describe('sessions and tokens of a scoped user', () => {
  it('says who is signed in, for the session and the token alike', async () => {
    const viaSession = await get('session', '/api/v1/sessions/current');
    expect(viaSession.body).toMatchObject({ via: 'session', schoolIds: [schoolA], token: { name: 'scoped' } });
    const viaToken = await get('token', '/api/v1/sessions/current');
    expect(viaToken.body).toMatchObject({ via: 'bearer', schoolIds: [schoolA] });
    expect((await get('token', '/api/v1/tokens/me')).body.staffUserId).toBe(staffUserId);
  });
});
