import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { bearer, startTestApp, type TestApp, tokenFor } from './support/test-app.js';

let t: TestApp;
let districtA: string;
let districtB: string;
let schoolA1: string;
let schoolA2: string;
let schoolB1: string;
let helpdeskA: string;
let helpdeskB: string;

type Row = Record<string, unknown>;

async function rows(text: string, params: unknown[] = []): Promise<Row[]> {
  return (await t.db.query(text, params)) as Row[];
}

async function insert(text: string, params: unknown[]): Promise<string> {
  return (await rows(`${text} RETURNING id`, params))[0]!['id'] as string;
}

let seq = 0;
async function student(schoolId = schoolA1, districtId = districtA, status = 'active'): Promise<string> {
  seq += 1;
  return insert(
    `INSERT INTO students (district_id, school_id, sourced_id, given_name, family_name, enrollment_status) VALUES ($1, $2, $3, 'Ada', $4, $5)`,
    [districtId, schoolId, `stu-${seq}`, `Family${seq}`, status],
  );
}

async function device(options: { kind?: string; schoolId?: string; districtId?: string; condition?: string } = {}): Promise<string> {
  seq += 1;
  return insert(`INSERT INTO devices (district_id, school_id, kind, asset_tag, serial_number, condition) VALUES ($1, $2, $3, $4, $4, $5)`, [
    options.districtId ?? districtA,
    options.schoolId ?? schoolA1,
    options.kind ?? 'chromebook',
    `T-${seq}`,
    options.condition ?? 'working',
  ]);
}

async function deviceState(id: string): Promise<{ status: string; condition: string }> {
  return (await rows(`SELECT status, condition FROM devices WHERE id = $1`, [id]))[0] as { status: string; condition: string };
}

async function activeAssignments(deviceId: string): Promise<Row[]> {
  return rows(`SELECT * FROM assignments WHERE device_id = $1 AND ended_at IS NULL`, [deviceId]);
}

/** Everything a rejected request must leave as it was. */
async function snapshot(): Promise<string> {
  const tables = ['devices', 'assignments', 'repairs', 'device_losses', 'audit_events'];
  const parts = await Promise.all(
    tables.map((table) => rows(`SELECT md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) AS h FROM ${table} x`)),
  );
  return parts.map((p) => p[0]!['h']).join(':');
}

function post(secret: string, url: string, body: object = {}) {
  return t
    .http()
    .post(`/api/v1${url}`)
    .set(...bearer(secret))
    .send(body);
}

async function assign(deviceId: string, studentId: string, secret = helpdeskA): Promise<Row> {
  const res = await post(secret, '/assignments', { deviceId, studentId });
  expect(res.status).toBe(201);
  return res.body as Row;
}

beforeAll(async () => {
  t = await startTestApp();
  districtA = await insert(`INSERT INTO districts (name, code) VALUES ('Cus A', 'CUS-A')`, []);
  districtB = await insert(`INSERT INTO districts (name, code) VALUES ('Cus B', 'CUS-B')`, []);
  schoolA1 = await insert(`INSERT INTO schools (district_id, name, code) VALUES ($1, 'Lincoln', 'A1')`, [districtA]);
  schoolA2 = await insert(`INSERT INTO schools (district_id, name, code) VALUES ($1, 'Washington', 'A2')`, [districtA]);
  schoolB1 = await insert(`INSERT INTO schools (district_id, name, code) VALUES ($1, 'Adams', 'B1')`, [districtB]);
  helpdeskA = await tokenFor(t, 'helpdesk', districtA);
  helpdeskB = await tokenFor(t, 'helpdesk', districtB);
});
afterAll(async () => {
  await t?.close();
});

describe('assigning and returning', () => {
  it('hands an in-stock device to a student with the acknowledgement, and audits both records', async () => {
    const [d, s] = [await device(), await student()];
    const res = await post(helpdeskA, '/assignments', {
      deviceId: d,
      studentId: s,
      acknowledgement: { signerName: 'Maria Lopez', signedAt: '2020-09-08T15:00:00.000Z' },
    }).expect(201);
    expect(res.body).toMatchObject({
      deviceId: d,
      studentId: s,
      districtId: districtA,
      kind: 'primary',
      active: true,
      endedAt: null,
      endReason: null,
      loanerForDeviceId: null,
      acknowledgement: { signerName: 'Maria Lopez', signedAt: '2020-09-08T15:00:00.000Z' },
    });
    expect(await deviceState(d)).toEqual({ status: 'assigned', condition: 'working' });
    expect(await activeAssignments(d)).toHaveLength(1);
    const audit = await rows(
      `SELECT entity_type, entity_id, action, before, after, actor FROM audit_events WHERE entity_id IN ($1, $2) ORDER BY id`,
      [d, res.body.id],
    );
    expect(audit).toEqual([
      {
        entity_type: 'device',
        entity_id: d,
        action: 'assign',
        before: { status: 'in_stock', condition: 'working' },
        after: { status: 'assigned', condition: 'working' },
        actor: 'helpdesk token',
      },
      { entity_type: 'assignment', entity_id: res.body.id, action: 'create', before: null, after: res.body, actor: 'helpdesk token' },
    ]);

    const device$ = await t
      .http()
      .get(`/api/v1/devices/${d}`)
      .set(...bearer(helpdeskA))
      .expect(200);
    expect(device$.body.holder).toMatchObject({ assignmentId: res.body.id, studentId: s, kind: 'primary' });
  });

  it('resolves the ticket a working device answers in the issue itself, with its history, and audits the request as one', async () => {
    const s = await student();
    const ticket = async (type: string): Promise<string> =>
      insert(`INSERT INTO tickets (district_id, student_id, school_id, type, source) VALUES ($1, $2, $3, $4, 'manual')`, [
        districtA,
        s,
        schoolA1,
        type,
      ]);
    const [replacement, connectivity] = [await ticket('replacement'), await ticket('connectivity')];
    // A damaged Chromebook answers nothing; a working one the replacement ticket, not the connectivity one.
    const damaged = await assign(await device({ condition: 'damaged' }), s);
    expect(await rows(`SELECT status FROM tickets WHERE id = $1`, [replacement])).toEqual([{ status: 'open' }]);
    await post(helpdeskA, `/assignments/${damaged['id']}/return`, { condition: 'damaged' }).expect(200);
    const d = await device();
    const res = await post(helpdeskA, '/assignments', { deviceId: d, studentId: s }).expect(201);
    expect(await rows(`SELECT id, status, resolution FROM tickets WHERE student_id = $1 ORDER BY type`, [s])).toEqual([
      { id: connectivity, status: 'open', resolution: null },
      { id: replacement, status: 'resolved', resolution: 'device_issued' },
    ]);
    expect(await rows(`SELECT kind, data FROM ticket_events WHERE ticket_id = $1`, [replacement])).toEqual([
      { kind: 'status_changed', data: { to: 'resolved', resolution: 'device_issued' } },
    ]);
    const audit = await rows(
      `SELECT entity_type, entity_id, action, after, actor, request_id FROM audit_events WHERE entity_id IN ($1, $2, $3) ORDER BY id`,
      [d, res.body.id, replacement],
    );
    expect(audit.map((a) => [a['entity_type'], a['entity_id'], a['action']])).toEqual(
      expect.arrayContaining([
        ['ticket', replacement, 'resolve'],
        ['device', d, 'assign'],
        ['assignment', res.body.id, 'create'],
      ]),
    );
    expect(audit).toHaveLength(3);
    // The device's transition comes before the assignment's entry, and all name the request and its actor.
    expect(audit.filter((a) => a['entity_type'] !== 'ticket').map((a) => a['entity_type'])).toEqual(['device', 'assignment']);
    expect(audit.find((a) => a['entity_type'] === 'assignment')!['after']).toEqual(res.body);
    expect(new Set(audit.map((a) => `${a['actor']} ${a['request_id']}`))).toEqual(
      new Set([`helpdesk token ${res.headers['x-request-id']}`]),
    );
  });

  it('issues a loaner when asked, leaving the device in status loaner', async () => {
    const [d, s] = [await device(), await student()];
    const res = await post(helpdeskA, '/assignments', { deviceId: d, studentId: s, kind: 'loaner' }).expect(201);
    expect(res.body).toMatchObject({ kind: 'loaner', acknowledgement: null });
    expect((await deviceState(d)).status).toBe('loaner');
  });

  it('takes a device back with its condition: a damaged one goes in stock but not into the working pool', async () => {
    const [d, s] = [await device(), await student()];
    const a = await assign(d, s);
    const res = await post(helpdeskA, `/assignments/${a['id']}/return`, { condition: 'damaged', note: 'Cracked hinge' }).expect(200);
    expect(res.body).toMatchObject({
      id: a['id'],
      active: false,
      endReason: 'returned',
      returnedCondition: 'damaged',
      returnNote: 'Cracked hinge',
    });
    expect(res.body.endedAt).not.toBeNull();
    expect(await deviceState(d)).toEqual({ status: 'in_stock', condition: 'damaged' });
    const pool = await t
      .http()
      .get('/api/v1/spare-pool')
      .query({ schoolId: schoolA1 })
      .set(...bearer(helpdeskA))
      .expect(200);
    const lincoln = pool.body.data[0] as { chromebooks: { inStock: number; working: number } };
    expect(lincoln.chromebooks.inStock - lincoln.chromebooks.working).toBeGreaterThanOrEqual(1);

    const audit = await rows(
      `SELECT action, before, after FROM audit_events WHERE entity_id IN ($1, $2) AND action IN ('return', 'end') ORDER BY id`,
      [d, a['id']],
    );
    expect(audit).toEqual([
      { action: 'return', before: { status: 'assigned', condition: 'working' }, after: { status: 'in_stock', condition: 'damaged' } },
      {
        action: 'end',
        before: { ...res.body, active: true, endedAt: null, endReason: null, returnedCondition: null, returnNote: null, endedBy: null },
        after: res.body,
      },
    ]);

    const before = await snapshot();
    const again = await post(helpdeskA, `/assignments/${a['id']}/return`, { condition: 'working' }).expect(409);
    expect(again.body).toMatchObject({ code: 'assignment_ended', endReason: 'returned' });
    expect(await snapshot()).toBe(before);
    // Back in stock, the device can go out again.
    await assign(d, await student());
  });

  it('records an acknowledgement once, and refuses one dated in the future', async () => {
    const a = await assign(await device(), await student());
    const future = await post(helpdeskA, `/assignments/${a['id']}/acknowledgement`, {
      signerName: 'Sam',
      signedAt: '2999-01-01T00:00:00.000Z',
    }).expect(400);
    expect(future.body.errors).toEqual([{ field: 'signedAt', message: 'must not be in the future' }]);
    const res = await post(helpdeskA, `/assignments/${a['id']}/acknowledgement`, { signerName: 'Sam Okafor' }).expect(200);
    expect(res.body.acknowledgement.signerName).toBe('Sam Okafor');
    expect(Date.now() - Date.parse(res.body.acknowledgement.signedAt)).toBeLessThan(60_000);
    const audit = await rows(`SELECT before, after FROM audit_events WHERE entity_id = $1 AND action = 'acknowledge'`, [a['id']]);
    expect(audit).toEqual([{ before: a, after: res.body }]);
    const twice = await post(helpdeskA, `/assignments/${a['id']}/acknowledgement`, { signerName: 'Someone Else' }).expect(409);
    expect(twice.body.code).toBe('assignment_already_acknowledged');
  });
});

describe('refusing an assignment', () => {
  it('answers 409 naming the status of a device that is not in stock, and changes nothing', async () => {
    const s = await student();
    const held = await device();
    await assign(held, await student());
    const cases: [string, string][] = [[held, 'assigned']];
    for (const status of ['in_repair', 'lost', 'stolen']) {
      const d = await device();
      await t.db.query(`UPDATE devices SET status = $2 WHERE id = $1`, [d, status]);
      cases.push([d, status]);
    }
    const retired = await device();
    await t.db.query(`UPDATE devices SET status = 'retired', retired_at = now() WHERE id = $1`, [retired]);
    cases.push([retired, 'retired']);

    const before = await snapshot();
    for (const [deviceId, status] of cases) {
      const res = await post(helpdeskA, '/assignments', { deviceId, studentId: s }).expect(409);
      expect(res.body).toMatchObject({ code: 'device_not_available', deviceStatus: status });
      expect(res.body.detail).toContain(status);
    }
    expect(await snapshot()).toBe(before);
  });

  it('refuses a withdrawn student (409), and an unknown or foreign student or device (422), writing nothing', async () => {
    const d = await device();
    const withdrawn = await student(schoolA1, districtA, 'withdrawn');
    const foreignStudent = await student(schoolB1, districtB);
    const foreignDevice = await device({ districtId: districtB, schoolId: schoolB1 });
    const s = await student();
    const before = await snapshot();

    const w = await post(helpdeskA, '/assignments', { deviceId: d, studentId: withdrawn }).expect(409);
    expect(w.body.code).toBe('student_withdrawn');
    for (const studentId of [foreignStudent, '00000000-0000-4000-8000-000000000000']) {
      const res = await post(helpdeskA, '/assignments', { deviceId: d, studentId }).expect(422);
      expect(res.body).toMatchObject({ code: 'student_not_found', errors: [{ field: 'studentId' }] });
    }
    for (const deviceId of [foreignDevice, '00000000-0000-4000-8000-000000000000']) {
      const res = await post(helpdeskA, '/assignments', { deviceId, studentId: s }).expect(422);
      expect(res.body).toMatchObject({ code: 'device_not_found', errors: [{ field: 'deviceId' }] });
    }
    // A state token acts in the device's district, so the student must be there too.
    const state = await post(t.adminToken, '/assignments', { deviceId: d, studentId: foreignStudent }).expect(422);
    expect(state.body.code).toBe('student_not_found');
    expect(await snapshot()).toBe(before);
    await assign(d, s, t.adminToken);
  });

  it('lets exactly one of 20 simultaneous requests for the same device win', async () => {
    const d = await device();
    const students = await Promise.all(Array.from({ length: 20 }, () => student()));
    const responses = await Promise.all(students.map((studentId) => post(helpdeskA, '/assignments', { deviceId: d, studentId })));
    const statuses = responses.map((r) => r.status).sort();
    expect(statuses).toEqual([201, ...Array<number>(19).fill(409)]);
    for (const r of responses.filter((x) => x.status === 409))
      expect(r.body).toMatchObject({ code: 'device_not_available', deviceStatus: 'assigned' });
    const winner = responses.find((r) => r.status === 201)!.body as Row;
    const active = await activeAssignments(d);
    expect(active.map((a) => a['student_id'])).toEqual([winner['studentId']]);
    expect(await rows(`SELECT count(*)::int AS n FROM assignments WHERE device_id = $1`, [d])).toEqual([{ n: 1 }]);
    expect(
      await rows(`SELECT count(*)::int AS n FROM audit_events WHERE entity_type = 'assignment' AND after->>'deviceId' = $1`, [d]),
    ).toEqual([{ n: 1 }]);
  });

  it('keeps the one-active-assignment rule in the database itself', async () => {
    const d = await device();
    await assign(d, await student());
    await expect(
      t.db.query(`INSERT INTO assignments (district_id, device_id, student_id) VALUES ($1, $2, $3)`, [districtA, d, await student()]),
    ).rejects.toThrow(/assignments_one_active_per_device/);
  });
});

describe('repair intake and return', () => {
  it('takes a device in without a loaner: in repair with the problem as condition, assignment ended, repair opened', async () => {
    const [d, s] = [await device(), await student()];
    const a = await assign(d, s);
    const res = await post(helpdeskA, `/devices/${d}/repair-intake`, { problem: 'broken', note: 'Will not boot' }).expect(200);
    expect(res.body.device).toMatchObject({ id: d, status: 'in_repair', condition: 'broken', holder: null });
    expect(res.body.endedAssignment).toMatchObject({ id: a['id'], endReason: 'repair', active: false });
    expect(res.body.loanerAssignment).toBeNull();
    expect(res.body.repair).toMatchObject({
      deviceId: d,
      studentId: s,
      problem: 'broken',
      note: 'Will not boot',
      loanerAssignmentId: null,
      closedAt: null,
    });
    expect(await rows(`SELECT student_id, problem, closed_at FROM repairs WHERE device_id = $1`, [d])).toEqual([
      { student_id: s, problem: 'broken', closed_at: null },
    ]);
    const actions = await rows(`SELECT entity_type, action FROM audit_events WHERE entity_id IN ($1, $2, $3) ORDER BY id`, [
      d,
      a['id'],
      res.body.repair.id,
    ]);
    expect(actions.slice(-3)).toEqual([
      { entity_type: 'assignment', action: 'end' },
      { entity_type: 'device', action: 'repair_intake' },
      { entity_type: 'repair', action: 'open' },
    ]);

    const twice = await post(helpdeskA, `/devices/${d}/repair-intake`, { problem: 'broken' }).expect(409);
    expect(twice.body).toMatchObject({ code: 'device_in_repair', deviceStatus: 'in_repair' });
    const assignWhileRepaired = await post(helpdeskA, '/assignments', { deviceId: d, studentId: s }).expect(409);
    expect(assignWhileRepaired.body).toMatchObject({ code: 'device_not_available', deviceStatus: 'in_repair' });
  });

  it("lends the student a working spare from their school's stock in the same request", async () => {
    const school = await insert(`INSERT INTO schools (district_id, name, code) VALUES ($1, 'Loaner School', 'LS')`, [districtA]);
    const [d, s] = [await device({ schoolId: school }), await student(school)];
    await device({ schoolId: school, condition: 'broken' });
    await device({ schoolId: school, kind: 'hotspot' });
    const spare = await device({ schoolId: school });
    await assign(d, s);
    const res = await post(helpdeskA, `/devices/${d}/repair-intake`, { problem: 'damaged', issueLoaner: true }).expect(200);
    expect(res.body.loanerAssignment).toMatchObject({ deviceId: spare, studentId: s, kind: 'loaner', loanerForDeviceId: d, active: true });
    expect(res.body.repair.loanerAssignmentId).toBe(res.body.loanerAssignment.id);
    expect(await deviceState(spare)).toEqual({ status: 'loaner', condition: 'working' });
    expect(await deviceState(d)).toEqual({ status: 'in_repair', condition: 'damaged' });
  });

  it('refuses the intake when the pool has no working spare, and changes nothing at all', async () => {
    const school = await insert(`INSERT INTO schools (district_id, name, code) VALUES ($1, 'Empty Pool', 'EP')`, [districtA]);
    const [d, s] = [await device({ schoolId: school }), await student(school)];
    await device({ schoolId: school, condition: 'damaged' });
    const a = await assign(d, s);
    const before = await snapshot();
    const res = await post(helpdeskA, `/devices/${d}/repair-intake`, { problem: 'broken', issueLoaner: true }).expect(409);
    expect(res.body).toMatchObject({ code: 'no_loaner_available', schoolId: school });
    expect(await snapshot()).toBe(before);
    expect(await deviceState(d)).toEqual({ status: 'assigned', condition: 'working' });
    expect((await activeAssignments(d)).map((x) => x['id'])).toEqual([a['id']]);

    const unassigned = await device({ schoolId: school });
    const nobody = await post(helpdeskA, `/devices/${unassigned}/repair-intake`, { problem: 'broken', issueLoaner: true }).expect(409);
    expect(nobody.body.code).toBe('device_not_assigned');
  });

  it('gives two simultaneous intakes two different spares', async () => {
    const school = await insert(`INSERT INTO schools (district_id, name, code) VALUES ($1, 'Race School', 'RS')`, [districtA]);
    const broken = [await device({ schoolId: school }), await device({ schoolId: school })];
    for (const d of broken) await assign(d, await student(school));
    const spares = [await device({ schoolId: school }), await device({ schoolId: school })];
    const results = await Promise.all(
      broken.map((d) => post(helpdeskA, `/devices/${d}/repair-intake`, { problem: 'broken', issueLoaner: true })),
    );
    expect(results.map((r) => r.status)).toEqual([200, 200]);
    expect(results.map((r) => r.body.loanerAssignment.deviceId as string).sort()).toEqual([...spares].sort());
  });

  it('returns a repaired device to its student: the loaner comes back and the device is theirs again', async () => {
    const school = await insert(`INSERT INTO schools (district_id, name, code) VALUES ($1, 'Return School', 'RT')`, [districtA]);
    const [d, s] = [await device({ schoolId: school }), await student(school)];
    const spare = await device({ schoolId: school });
    await assign(d, s);
    const intake = await post(helpdeskA, `/devices/${d}/repair-intake`, { problem: 'broken', issueLoaner: true }).expect(200);
    expect(intake.body.loanerAssignment.deviceId).toBe(spare);

    const res = await post(helpdeskA, `/devices/${d}/repair-return`, { returnTo: 'student' }).expect(200);
    expect(res.body.device).toMatchObject({ status: 'assigned', condition: 'working', holder: { studentId: s, kind: 'primary' } });
    expect(res.body.repair).toMatchObject({ returnedTo: 'student' });
    expect(res.body.repair.closedAt).not.toBeNull();
    expect(res.body.assignment).toMatchObject({ deviceId: d, studentId: s, kind: 'primary', active: true });
    expect(res.body.endedLoanerAssignment).toMatchObject({
      id: intake.body.loanerAssignment.id,
      endReason: 'repair_return',
      active: false,
    });
    expect(await deviceState(spare)).toEqual({ status: 'in_stock', condition: 'working' });
    expect(await rows(`SELECT returned_to FROM repairs WHERE device_id = $1`, [d])).toEqual([{ returned_to: 'student' }]);

    const again = await post(helpdeskA, `/devices/${d}/repair-return`, { returnTo: 'stock' }).expect(409);
    expect(again.body).toMatchObject({ code: 'device_not_in_repair', deviceStatus: 'assigned' });
  });

  it('returns a repaired device to stock, leaving the student their loaner', async () => {
    const school = await insert(`INSERT INTO schools (district_id, name, code) VALUES ($1, 'Stock School', 'SS')`, [districtA]);
    const [d, s] = [await device({ schoolId: school }), await student(school)];
    const spare = await device({ schoolId: school });
    await assign(d, s);
    await post(helpdeskA, `/devices/${d}/repair-intake`, { problem: 'damaged', issueLoaner: true }).expect(200);
    const res = await post(helpdeskA, `/devices/${d}/repair-return`, { returnTo: 'stock' }).expect(200);
    expect(res.body).toMatchObject({
      device: { status: 'in_stock', condition: 'working', holder: null },
      assignment: null,
      endedLoanerAssignment: null,
      repair: { returnedTo: 'stock' },
    });
    expect(await deviceState(spare)).toEqual({ status: 'loaner', condition: 'working' });
    expect((await activeAssignments(spare)).map((a) => a['student_id'])).toEqual([s]);
  });

  it('will not return to a student a device nobody held, nor to a student who has withdrawn', async () => {
    const lone = await device();
    await post(helpdeskA, `/devices/${lone}/repair-intake`, { problem: 'broken' }).expect(200);
    const res = await post(helpdeskA, `/devices/${lone}/repair-return`, { returnTo: 'student' }).expect(409);
    expect(res.body.code).toBe('repair_has_no_student');

    const [d, s] = [await device(), await student()];
    await assign(d, s);
    await post(helpdeskA, `/devices/${d}/repair-intake`, { problem: 'broken' }).expect(200);
    await t.db.query(`UPDATE students SET enrollment_status = 'withdrawn' WHERE id = $1`, [s]);
    const before = await snapshot();
    const gone = await post(helpdeskA, `/devices/${d}/repair-return`, { returnTo: 'student' }).expect(409);
    expect(gone.body.code).toBe('student_withdrawn');
    expect(await snapshot()).toBe(before);
    await post(helpdeskA, `/devices/${d}/repair-return`, { returnTo: 'stock' }).expect(200);
  });
});

describe('loss and retirement', () => {
  it('reports a device stolen: status, ended assignment and a loss record with the police report', async () => {
    const [d, s] = [await device(), await student()];
    const a = await assign(d, s);
    const res = await post(helpdeskA, `/devices/${d}/report-loss`, { kind: 'stolen', policeReportNumber: 'NHPD-2020-1187' }).expect(200);
    expect(res.body.device).toMatchObject({ status: 'stolen', holder: null });
    expect(res.body.endedAssignment).toMatchObject({ id: a['id'], endReason: 'stolen' });
    expect(res.body.loss).toMatchObject({ deviceId: d, studentId: s, kind: 'stolen', policeReportNumber: 'NHPD-2020-1187' });
    expect(await rows(`SELECT kind, student_id FROM device_losses WHERE device_id = $1`, [d])).toEqual([{ kind: 'stolen', student_id: s }]);
    const audit = await rows(
      `SELECT entity_type, action FROM audit_events WHERE entity_id IN ($1, $2) AND action IN ('report_loss', 'create')`,
      [d, res.body.loss.id],
    );
    expect(audit).toEqual(
      expect.arrayContaining([
        { entity_type: 'device', action: 'report_loss' },
        { entity_type: 'device_loss', action: 'create' },
      ]),
    );

    const twice = await post(helpdeskA, `/devices/${d}/report-loss`, { kind: 'lost' }).expect(409);
    expect(twice.body.code).toBe('device_stolen');
    const lostInStock = await device();
    const lost = await post(helpdeskA, `/devices/${lostInStock}/report-loss`, { kind: 'lost' }).expect(200);
    expect(lost.body).toMatchObject({ device: { status: 'lost' }, endedAssignment: null, loss: { studentId: null } });
  });

  it('retires a device for good: its assignment ends and it can never be assigned again', async () => {
    const [d, s] = [await device(), await student()];
    const a = await assign(d, s);
    const res = await post(helpdeskA, `/devices/${d}/retire`, { note: 'Past auto-update date' }).expect(200);
    expect(res.body.device).toMatchObject({ status: 'retired', notes: 'Past auto-update date', holder: null });
    expect(res.body.device.retiredAt).not.toBeNull();
    expect(res.body.endedAssignment).toMatchObject({ id: a['id'], endReason: 'retired' });

    const before = await snapshot();
    const assignAgain = await post(helpdeskA, '/assignments', { deviceId: d, studentId: s }).expect(409);
    expect(assignAgain.body).toMatchObject({ code: 'device_not_available', deviceStatus: 'retired' });
    const retireAgain = await post(helpdeskA, `/devices/${d}/retire`, {}).expect(409);
    expect(retireAgain.body.code).toBe('device_retired');
    for (const url of [`/devices/${d}/repair-intake`, `/devices/${d}/report-loss`]) {
      const r = await post(helpdeskA, url, url.endsWith('intake') ? { problem: 'broken' } : { kind: 'lost' }).expect(409);
      expect(r.body.code).toBe('device_retired');
    }
    expect(await snapshot()).toBe(before);
    // Not even a direct write can bring it back.
    await expect(t.db.query(`UPDATE devices SET status = 'in_stock', retired_at = NULL WHERE id = $1`, [d])).rejects.toThrow(/retired/);
  });

  it('writes off a lost device, but sends a device in repair back from repair first', async () => {
    const lost = await device();
    await post(helpdeskA, `/devices/${lost}/report-loss`, { kind: 'lost' }).expect(200);
    await post(helpdeskA, `/devices/${lost}/retire`, {}).expect(200);
    const repaired = await device();
    await post(helpdeskA, `/devices/${repaired}/repair-intake`, { problem: 'broken' }).expect(200);
    const res = await post(helpdeskA, `/devices/${repaired}/retire`, {}).expect(409);
    expect(res.body.code).toBe('device_in_repair');
  });
});

describe('access', () => {
  it('keeps custody changes from auditors and attendance staff', async () => {
    const [d, s] = [await device(), await student()];
    const a = await assign(d, s);
    for (const role of ['auditor', 'attendance'] as const) {
      const secret = await tokenFor(t, role, districtA);
      const before = await snapshot();
      for (const [url, body] of [
        ['/assignments', { deviceId: d, studentId: s }],
        [`/assignments/${a['id']}/return`, { condition: 'working' }],
        [`/assignments/${a['id']}/acknowledgement`, { signerName: 'X' }],
        [`/devices/${d}/repair-intake`, { problem: 'broken' }],
        [`/devices/${d}/repair-return`, { returnTo: 'stock' }],
        [`/devices/${d}/report-loss`, { kind: 'lost' }],
        [`/devices/${d}/retire`, {}],
        ['/assignments/bulk', { lines: [{ assetTag: 'x', studentSourcedId: 'y' }] }],
        ['/assignments/bulk-return', { lines: [{ assetTag: 'x', condition: 'working' }] }],
      ] as const) {
        const res = await post(secret, url, body);
        expect({ role, url, status: res.status, code: res.body.code }).toEqual({ role, url, status: 403, code: 'role_not_allowed' });
      }
      expect(await snapshot()).toBe(before);
    }
    const auditor = await tokenFor(t, 'auditor', districtA);
    await t
      .http()
      .get('/api/v1/assignments')
      .set(...bearer(auditor))
      .expect(200);
    await t
      .http()
      .get(`/api/v1/assignments/${a['id']}`)
      .set(...bearer(auditor))
      .expect(200);
    const attendance = await tokenFor(t, 'attendance', districtA);
    await t
      .http()
      .get('/api/v1/assignments')
      .set(...bearer(attendance))
      .expect(403);
    for (const role of ['tech', 'district_admin'] as const) await assign(await device(), s, await tokenFor(t, role, districtA));
  });

  it("answers 404 for another district's device or assignment, and changes nothing", async () => {
    const [d, s] = [await device(), await student()];
    const a = await assign(d, s);
    const before = await snapshot();
    for (const [url, body] of [
      [`/assignments/${a['id']}/return`, { condition: 'working' }],
      [`/assignments/${a['id']}/acknowledgement`, { signerName: 'X' }],
      [`/devices/${d}/repair-intake`, { problem: 'broken' }],
      [`/devices/${d}/report-loss`, { kind: 'lost' }],
      [`/devices/${d}/retire`, {}],
    ] as const) {
      const res = await post(helpdeskB, url, body).expect(404);
      expect(res.body.code).toMatch(/^(assignment|device)_not_found$/);
    }
    await t
      .http()
      .get(`/api/v1/assignments/${a['id']}`)
      .set(...bearer(helpdeskB))
      .expect(404);
    const listed = await t
      .http()
      .get('/api/v1/assignments')
      .query({ deviceId: d })
      .set(...bearer(helpdeskB))
      .expect(200);
    expect(listed.body.data).toEqual([]);
    expect(await snapshot()).toBe(before);
  });
});

describe('listing assignments', () => {
  it('filters by student, device and whether active, most recent first, page by page', async () => {
    const s = await student();
    const made: Row[] = [];
    for (let i = 0; i < 5; i += 1) made.push(await assign(await device(), s));
    await post(helpdeskA, `/assignments/${made[0]!['id']}/return`, { condition: 'working' }).expect(200);
    await post(helpdeskA, `/assignments/${made[1]!['id']}/return`, { condition: 'working' }).expect(200);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await t
        .http()
        .get('/api/v1/assignments')
        .query({ studentId: s, limit: 2, ...(cursor ? { cursor } : {}) })
        .set(...bearer(helpdeskA))
        .expect(200);
      seen.push(...(res.body.data as { id: string }[]).map((a) => a.id));
      cursor = res.body.nextCursor as string | null;
    } while (cursor);
    expect(seen).toEqual(made.map((a) => a['id']).reverse());

    const active = await t
      .http()
      .get('/api/v1/assignments')
      .query({ studentId: s, active: 'true' })
      .set(...bearer(helpdeskA))
      .expect(200);
    expect(active.body.data.map((a: Row) => a['id'])).toEqual(
      made
        .slice(2)
        .map((a) => a['id'])
        .reverse(),
    );
    const ended = await t
      .http()
      .get('/api/v1/assignments')
      .query({ studentId: s, active: 'false' })
      .set(...bearer(helpdeskA))
      .expect(200);
    expect(ended.body.data.map((a: Row) => a['id'])).toEqual([made[1]!['id'], made[0]!['id']]);
    const byDevice = await t
      .http()
      .get('/api/v1/assignments')
      .query({ deviceId: made[3]!['deviceId'] })
      .set(...bearer(helpdeskA))
      .expect(200);
    expect(byDevice.body.data.map((a: Row) => a['id'])).toEqual([made[3]!['id']]);
    await t
      .http()
      .get('/api/v1/assignments')
      .query({ active: 'yes' })
      .set(...bearer(helpdeskA))
      .expect(400);
    const badCursor = await t
      .http()
      .get('/api/v1/assignments')
      .query({ cursor: Buffer.from('["x","y"]').toString('base64url') })
      .set(...bearer(helpdeskA))
      .expect(400);
    expect(badCursor.body.code).toBe('invalid_cursor');
  });
});

describe('student equipment', () => {
  it('shows what the student holds, kits with missing items, and the history, to every role of the district', async () => {
    const s = await student(schoolA2);
    const [cb, hs] = [await device({ schoolId: schoolA2 }), await device({ schoolId: schoolA2, kind: 'hotspot' })];
    const old = await assign(await device({ schoolId: schoolA2 }), s);
    await post(helpdeskA, `/assignments/${old['id']}/return`, { condition: 'working' }).expect(200);
    const first = await post(helpdeskA, '/assignments', { deviceId: cb, studentId: s, acknowledgement: { signerName: 'Parent' } }).expect(
      201,
    );
    const second = await assign(hs, s);

    const template = await insert(`INSERT INTO kit_templates (district_id, name, items) VALUES ($1, 'Tool kit', $2)`, [
      districtA,
      JSON.stringify([
        { item: 'charger', quantity: 1 },
        { item: 'headphones', quantity: 1 },
      ]),
    ]);
    const items = JSON.stringify([
      { item: 'charger', quantity: 1 },
      { item: 'headphones', quantity: 1 },
    ]);
    const held = await insert(
      `INSERT INTO kits (district_id, student_id, template_id, items, issued_at) VALUES ($1, $2, $3, $4, '2020-10-01')`,
      [districtA, s, template, items],
    );
    const short = await insert(
      `INSERT INTO kits (district_id, student_id, template_id, items, issued_at, returned_at, missing_items) VALUES ($1, $2, $3, $4, '2020-09-01', '2020-09-20', $5)`,
      [districtA, s, template, items, JSON.stringify([{ item: 'headphones', quantity: 1 }])],
    );
    await insert(
      `INSERT INTO kits (district_id, student_id, template_id, items, issued_at, returned_at) VALUES ($1, $2, $3, $4, '2020-08-01', '2020-08-20')`,
      [districtA, s, template, items],
    );

    const attendance = await tokenFor(t, 'attendance', districtA);
    const res = await t
      .http()
      .get(`/api/v1/students/${s}/equipment`)
      .set(...bearer(attendance))
      .expect(200);
    expect(res.body.student).toMatchObject({ id: s, schoolId: schoolA2, enrollmentStatus: 'active' });
    expect(res.body.devices).toEqual([
      expect.objectContaining({
        assignmentId: second['id'],
        deviceId: hs,
        kind: 'hotspot',
        status: 'assigned',
        condition: 'working',
        assignmentKind: 'primary',
        acknowledgement: null,
      }),
      expect.objectContaining({
        assignmentId: first.body.id,
        deviceId: cb,
        kind: 'chromebook',
        since: first.body.startedAt,
        acknowledgement: first.body.acknowledgement,
      }),
    ]);
    expect(res.body.kits).toEqual([
      expect.objectContaining({ id: held, templateName: 'Tool kit', returnedAt: null, missingItems: [] }),
      expect.objectContaining({ id: short, missingItems: [{ item: 'headphones', quantity: 1 }] }),
    ]);
    expect(res.body.history.map((h: Row) => h['id'])).toEqual([second['id'], first.body.id, old['id']]);
    expect(res.body.history[2]).toMatchObject({ active: false, endReason: 'returned', deviceKind: 'chromebook' });

    for (const role of ['auditor', 'tech'] as const)
      await t
        .http()
        .get(`/api/v1/students/${s}/equipment`)
        .set(...bearer(await tokenFor(t, role, districtA)))
        .expect(200);
    const foreign = await t
      .http()
      .get(`/api/v1/students/${s}/equipment`)
      .set(...bearer(helpdeskB))
      .expect(404);
    expect(foreign.body.code).toBe('student_not_found');
    await t
      .http()
      .get(`/api/v1/students/${s}/equipment`)
      .set(...bearer(t.adminToken))
      .expect(200);
  });
});
