import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Seed } from './support/seed.js';
import { bearer, startTestApp, tokenFor, type TestApp } from './support/test-app.js';

let t: TestApp;
let seed: Seed;
let district: string;
let school: string;
let helpdesk: string;
let attendance: string;
let auditor: string;

async function ticket(values: {
  studentId: string;
  type: string;
  priority?: number;
  reasons?: string[];
  openedAt?: string;
}): Promise<string> {
  const rows = (await t.db.query(
    `INSERT INTO tickets (district_id, student_id, school_id, type, priority, reasons, source, opened_at)
     VALUES ($1, $2, $3, $4, $5, $6, 'scan', $7) RETURNING id`,
    [
      district,
      values.studentId,
      school,
      values.type,
      values.priority ?? 2,
      values.reasons ?? [],
      values.openedAt ?? new Date().toISOString(),
    ],
  )) as { id: string }[];
  return rows[0]!.id;
}

beforeAll(async () => {
  t = await startTestApp();
  seed = new Seed(t.db);
  district = await seed.district();
  school = await seed.school(district);
  helpdesk = await tokenFor(t, 'helpdesk', district);
  attendance = await tokenFor(t, 'attendance', district);
  auditor = await tokenFor(t, 'auditor', district);
});
afterAll(async () => {
  await t?.close();
});

describe('ticket queue', () => {
  it('filters, sorts by age or priority, and pages without gaps or repeats', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) {
      const student = await seed.student(district, school);
      ids.push(
        await ticket({
          studentId: student,
          type: 'replacement',
          priority: i % 2 ? 1 : 2,
          reasons: [i % 2 ? 'no_device' : 'device_broken'],
          openedAt: `2020-10-0${i + 1}T12:00:00Z`,
        }),
      );
    }
    const outreachStudent = await seed.student(district, school);
    const outreach = await ticket({ studentId: outreachStudent, type: 'outreach', openedAt: '2020-09-01T12:00:00Z' });

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await t
        .http()
        .get('/api/v1/tickets')
        .query({ type: 'replacement', limit: 3, ...(cursor ? { cursor } : {}) })
        .set(...bearer(helpdesk))
        .expect(200);
      seen.push(...res.body.data.map((d: { id: string }) => d.id));
      cursor = res.body.nextCursor as string | null;
    } while (cursor);
    expect(seen).toEqual(ids);

    const byPriority = await t
      .http()
      .get('/api/v1/tickets')
      .query({ type: 'replacement', sort: 'priority' })
      .set(...bearer(helpdesk))
      .expect(200);
    expect(byPriority.body.data.map((d: { priority: number }) => d.priority)).toEqual([1, 1, 1, 2, 2, 2, 2]);
    const paged = await t
      .http()
      .get('/api/v1/tickets')
      .query({ type: 'replacement', sort: 'priority', limit: 2 })
      .set(...bearer(helpdesk))
      .expect(200);
    const rest = await t
      .http()
      .get('/api/v1/tickets')
      .query({ type: 'replacement', sort: 'priority', cursor: paged.body.nextCursor })
      .set(...bearer(helpdesk))
      .expect(200);
    expect([...paged.body.data, ...rest.body.data].map((d: { id: string }) => d.id)).toEqual(
      byPriority.body.data.map((d: { id: string }) => d.id),
    );

    const byReason = await t
      .http()
      .get('/api/v1/tickets')
      .query({ reason: 'no_device' })
      .set(...bearer(helpdesk))
      .expect(200);
    expect(byReason.body.data).toHaveLength(3);
    const all = await t
      .http()
      .get('/api/v1/tickets')
      .set(...bearer(auditor))
      .expect(200);
    expect(all.body.data[0]).toMatchObject({
      id: outreach,
      type: 'outreach',
      student: expect.objectContaining({ familyName: expect.any(String) }),
    });

    const bad = await t
      .http()
      .get('/api/v1/tickets')
      .query({ cursor: 'garbage' })
      .set(...bearer(helpdesk))
      .expect(400);
    expect(bad.body.code).toBe('invalid_cursor');
    // Well-formed but forged: the right arity, the wrong types.
    const forged = Buffer.from(JSON.stringify(['yesterday', 'not-a-uuid'])).toString('base64url');
    const res = await t
      .http()
      .get('/api/v1/tickets')
      .query({ cursor: forged })
      .set(...bearer(helpdesk))
      .expect(400);
    expect(res.body.code).toBe('invalid_cursor');
  });

  it('moves a ticket only along legal transitions, with history and audit', async () => {
    const id = await ticket({ studentId: await seed.student(district, school), type: 'connectivity', reasons: ['no_internet'] });
    const started = await t
      .http()
      .patch(`/api/v1/tickets/${id}`)
      .set(...bearer(helpdesk))
      .send({ status: 'in_progress', assignee: 'pat' })
      .expect(200);
    expect(started.body).toMatchObject({ status: 'in_progress', assignee: 'pat', resolvedAt: null });
    const resolved = await t
      .http()
      .patch(`/api/v1/tickets/${id}`)
      .set(...bearer(helpdesk))
      .send({ status: 'resolved', resolution: 'hotspot_delivered' })
      .expect(200);
    expect(resolved.body).toMatchObject({ status: 'resolved', resolution: 'hotspot_delivered', resolvedAt: expect.any(String) });
    const illegal = await t
      .http()
      .patch(`/api/v1/tickets/${id}`)
      .set(...bearer(helpdesk))
      .send({ status: 'waiting' })
      .expect(409);
    expect(illegal.body).toMatchObject({ code: 'illegal_transition', errors: [{ field: 'status', message: 'not allowed from resolved' }] });
    await t
      .http()
      .patch(`/api/v1/tickets/${id}`)
      .set(...bearer(helpdesk))
      .send({ status: 'closed' })
      .expect(200);
    await t
      .http()
      .patch(`/api/v1/tickets/${id}`)
      .set(...bearer(helpdesk))
      .send({ status: 'open' })
      .expect(409);

    const comment = await t
      .http()
      .post(`/api/v1/tickets/${id}/comments`)
      .set(...bearer(helpdesk))
      .send({ body: 'Left at front desk' })
      .expect(201);
    expect(comment.body.history.map((e: { kind: string }) => e.kind)).toEqual([
      'status_changed',
      'assigned',
      'status_changed',
      'status_changed',
      'comment',
    ]);
    const audits = (await t.db.query(`SELECT action FROM audit_events WHERE entity_id = $1 ORDER BY id`, [id])) as { action: string }[];
    expect(audits.map((a) => a.action)).toEqual(['update', 'update', 'update', 'comment']);
    await t
      .http()
      .patch(`/api/v1/tickets/${id}`)
      .set(...bearer(auditor))
      .send({ status: 'open' })
      .expect(403);
  });

  it('refuses to reopen a ticket when the student already has another open one of that type', async () => {
    const student = await seed.student(district, school);
    const first = await ticket({ studentId: student, type: 'replacement' });
    await t
      .http()
      .patch(`/api/v1/tickets/${first}`)
      .set(...bearer(helpdesk))
      .send({ status: 'resolved' })
      .expect(200);
    await ticket({ studentId: student, type: 'replacement' });
    const res = await t
      .http()
      .patch(`/api/v1/tickets/${first}`)
      .set(...bearer(helpdesk))
      .send({ status: 'open' })
      .expect(409);
    expect(res.body.code).toBe('ticket_already_open');
  });

  it('takes a walk-in repair by hand, and refuses a second open ticket of a type', async () => {
    const device = await seed.device(district, school, { condition: 'broken' });
    const repair = await t
      .http()
      .post('/api/v1/tickets')
      .set(...bearer(helpdesk))
      .send({ type: 'repair', deviceId: device, note: 'Cracked screen' })
      .expect(201);
    expect(repair.body).toMatchObject({ type: 'repair', deviceId: device, schoolId: school, source: 'manual', status: 'open' });
    const missing = await t
      .http()
      .post('/api/v1/tickets')
      .set(...bearer(helpdesk))
      .send({ type: 'repair' })
      .expect(400);
    expect(missing.body.errors).toEqual([{ field: 'deviceId', message: 'required for type repair' }]);

    const student = await seed.student(district, school);
    await t
      .http()
      .post('/api/v1/tickets')
      .set(...bearer(helpdesk))
      .send({ type: 'replacement', studentId: student })
      .expect(201);
    const twice = await t
      .http()
      .post('/api/v1/tickets')
      .set(...bearer(helpdesk))
      .send({ type: 'replacement', studentId: student })
      .expect(409);
    expect(twice.body.code).toBe('ticket_already_open');

    const other = await seed.district();
    const foreignStudent = await seed.student(other, await seed.school(other));
    const foreign = await t
      .http()
      .post('/api/v1/tickets')
      .set(...bearer(helpdesk))
      .send({ type: 'outreach', studentId: foreignStudent })
      .expect(422);
    expect(foreign.body.code).toBe('student_not_found');
  });

  it('logs outreach attempts on outreach tickets, and keeps attendance to outreach', async () => {
    const outreach = await ticket({ studentId: await seed.student(district, school), type: 'outreach' });
    const visit = await t
      .http()
      .post(`/api/v1/tickets/${outreach}/outreach-attempts`)
      .set(...bearer(attendance))
      .send({ channel: 'home_visit', outcome: 'not_home', attemptedAt: '2020-10-07T16:00:00Z', note: 'Left a card' })
      .expect(201);
    expect(visit.body.outreachAttempts).toEqual([
      expect.objectContaining({ channel: 'home_visit', outcome: 'not_home', note: 'Left a card' }),
    ]);
    await t
      .http()
      .patch(`/api/v1/tickets/${outreach}`)
      .set(...bearer(attendance))
      .send({ status: 'in_progress' })
      .expect(200);

    const equipment = await ticket({ studentId: await seed.student(district, school), type: 'replacement' });
    const notOutreach = await t
      .http()
      .post(`/api/v1/tickets/${equipment}/outreach-attempts`)
      .set(...bearer(helpdesk))
      .send({ channel: 'call', outcome: 'reached' })
      .expect(409);
    expect(notOutreach.body.code).toBe('not_an_outreach_ticket');
    const denied = await t
      .http()
      .patch(`/api/v1/tickets/${equipment}`)
      .set(...bearer(attendance))
      .send({ status: 'in_progress' })
      .expect(403);
    expect(denied.body.code).toBe('role_not_allowed');
    const badChannel = await t
      .http()
      .post(`/api/v1/tickets/${outreach}/outreach-attempts`)
      .set(...bearer(attendance))
      .send({ channel: 'pigeon', outcome: 'reached' })
      .expect(400);
    expect(badChannel.body.errors[0].field).toBe('channel');
  });

  it('answers 404 for another district’s ticket', async () => {
    const other = await seed.district();
    const otherToken = await tokenFor(t, 'helpdesk', other);
    const id = await ticket({ studentId: await seed.student(district, school), type: 'outreach' });
    const res = await t
      .http()
      .get(`/api/v1/tickets/${id}`)
      .set(...bearer(otherToken))
      .expect(404);
    expect(res.body.code).toBe('ticket_not_found');
    await t
      .http()
      .patch(`/api/v1/tickets/${id}`)
      .set(...bearer(otherToken))
      .send({ status: 'closed' })
      .expect(404);
  });
});
