import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Seed } from './support/seed.js';
import { bearer, startTestApp, tokenFor, type TestApp } from './support/test-app.js';

let t: TestApp;
let seed: Seed;
let district: string;
let school: string;
let admin: string;
let helpdesk: string;
let attendance: string;
let foreignTicket: string;

type Ticket = { id: string; status: string; assignee: string | null; resolution: string | null };

async function ticket(type = 'outreach'): Promise<string> {
  const studentId = await seed.student(district, school);
  const res = await t
    .http()
    .post('/api/v1/tickets')
    .set(...bearer(admin))
    .send({ type, studentId })
    .expect(201);
  return res.body.id as string;
}

const list = async (token: string, query: Record<string, string>): Promise<string[]> =>
  (
    (
      await t
        .http()
        .get('/api/v1/tickets')
        .query({ limit: '500', ...query })
        .set(...bearer(token))
        .expect(200)
    ).body.data as Ticket[]
  ).map((x) => x.id);

const bulk = (token: string, body: object) =>
  t
    .http()
    .post('/api/v1/tickets/bulk')
    .set(...bearer(token))
    .send(body);

const poll = async (token: string, since?: string, limit = 100): Promise<{ data: Ticket[]; nextCursor: string; more: boolean }> =>
  (
    await t
      .http()
      .get('/api/v1/tickets/changes')
      .query({ limit: String(limit), ...(since ? { since } : {}) })
      .set(...bearer(token))
      .expect(200)
  ).body as { data: Ticket[]; nextCursor: string; more: boolean };

beforeAll(async () => {
  t = await startTestApp();
  seed = new Seed(t.db);
  district = await seed.district();
  school = await seed.school(district);
  admin = await tokenFor(t, 'district_admin', district);
  helpdesk = await tokenFor(t, 'helpdesk', district);
  attendance = await tokenFor(t, 'attendance', district);
  const away = await seed.district();
  const awaySchool = await seed.school(away);
  const res = await t
    .http()
    .post('/api/v1/tickets')
    .set(...bearer(t.adminToken))
    .send({ districtId: away, type: 'outreach', studentId: await seed.student(away, awaySchool) })
    .expect(201);
  foreignTicket = res.body.id as string;
}, 60_000);

afterAll(async () => {
  await t?.close();
});

describe('the queue: several types at once', () => {
  it("lists the help desk's equipment types together, and refuses an unknown type naming the field", async () => {
    const replacement = await ticket('replacement');
    const connectivity = await ticket('connectivity');
    const outreach = await ticket('outreach');
    const equipment = await list(helpdesk, { type: 'replacement,connectivity,repair' });
    expect(equipment).toEqual(expect.arrayContaining([replacement, connectivity]));
    expect(equipment).not.toContain(outreach);
    expect(await list(helpdesk, { type: 'outreach' })).toContain(outreach);
    const refused = await t
      .http()
      .get('/api/v1/tickets')
      .query({ type: 'replacement,laptops' })
      .set(...bearer(helpdesk))
      .expect(400);
    expect(JSON.stringify(refused.body)).toContain('type');
  });
});

describe('the queue: paging', () => {
  it('pages through every ticket once, in either order, though opened_at holds microseconds', async () => {
    const pager = await seed.district();
    const pagerSchool = await seed.school(pager);
    const token = await tokenFor(t, 'helpdesk', pager);
    // now() to the microsecond, as every ticket PostgreSQL opens; two share an instant, so the id breaks the tie.
    await t.db.query(
      `WITH s AS (
         INSERT INTO students (district_id, school_id, sourced_id, given_name, family_name, grade, learning_model, home_internet, enrollment_status)
         SELECT $1, $2, 'pg-' || n, 'P', 'P' || n, '9', 'remote', 'yes', 'active' FROM generate_series(1, 7) n RETURNING id, sourced_id)
       INSERT INTO tickets (district_id, student_id, school_id, type, source, priority, opened_at)
       SELECT $1, id, $2, 'outreach', 'manual', 1 + substring(sourced_id from 4)::int % 2,
              now() - least(substring(sourced_id from 4)::int, 6) * interval '1.000001 second' FROM s`,
      [pager, pagerSchool],
    );
    for (const sort of ['age', 'priority']) {
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const res = await t
          .http()
          .get('/api/v1/tickets')
          .query({ limit: '2', sort, ...(cursor ? { cursor } : {}) })
          .set(...bearer(token))
          .expect(200);
        seen.push(...(res.body.data as Ticket[]).map((x) => x.id));
        expect(Object.keys(res.body.data[0] as object)).not.toContain('openedAtKey');
        cursor = (res.body.nextCursor as string | null) ?? undefined;
      } while (cursor);
      expect([sort, seen.length, new Set(seen).size]).toEqual([sort, 7, 7]);
    }
  });
});

describe('the queue: assignee=me, bulk assign and close', () => {
  it('assigns many tickets to the caller at once, audited, and lists them as theirs', async () => {
    const ids = [await ticket('replacement'), await ticket('connectivity'), await ticket('outreach')];
    const unassigned = await ticket('outreach');
    const first = await bulk(helpdesk, { ticketIds: ids, action: 'assign', assignee: 'me' }).expect(200);
    expect(first.body).toEqual({ changed: [...ids].sort(), unchanged: [] });
    expect((await list(helpdesk, { assignee: 'me' })).sort()).toEqual([...ids].sort());
    expect(await list(helpdesk, { assignee: 'none' })).toContain(unassigned);
    expect(await list(helpdesk, { assignee: 'none' })).not.toContain(ids[0]);
    // Assigned again: nothing to change.
    expect((await bulk(helpdesk, { ticketIds: ids, action: 'assign', assignee: 'me' }).expect(200)).body).toEqual({
      changed: [],
      unchanged: [...ids].sort(),
    });
    const detail = await t
      .http()
      .get(`/api/v1/tickets/${ids[0]}`)
      .set(...bearer(helpdesk))
      .expect(200);
    expect(detail.body.assignee).toBe('helpdesk token');
    expect(detail.headers['etag']).toBe('"2"');
    expect(detail.body.history).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'assigned', actor: 'helpdesk token', data: { from: null, to: 'helpdesk token', bulk: true } }),
      ]),
    );
    const audit = (await t.db.query(
      `SELECT before, after FROM audit_events WHERE entity_type = 'ticket' AND entity_id = $1 AND action = 'update'`,
      [ids[0]],
    )) as { before: Record<string, unknown>; after: Record<string, unknown> }[];
    expect(audit).toEqual([
      {
        before: { status: 'open', assignee: null, resolution: null },
        after: { status: 'open', assignee: 'helpdesk token', resolution: null, bulk: true },
      },
    ]);
  });

  it('closes many with one reason; already closed ones are left as they are', async () => {
    const ids = [await ticket(), await ticket()];
    await bulk(admin, { ticketIds: [ids[0]], action: 'close', resolution: 'duplicate' }).expect(200);
    const res = await bulk(admin, { ticketIds: ids, action: 'close', resolution: 'family moved away' }).expect(200);
    expect(res.body).toEqual({ changed: [ids[1]], unchanged: [ids[0]] });
    const rows = (await t.db.query(`SELECT id, status, resolution, resolved_at IS NOT NULL AS resolved FROM tickets WHERE id = ANY($1)`, [
      ids,
    ])) as { id: string; status: string; resolution: string; resolved: boolean }[];
    expect(Object.fromEntries(rows.map((r) => [r.id, [r.status, r.resolution, r.resolved]]))).toEqual({
      [ids[0]!]: ['closed', 'duplicate', true],
      [ids[1]!]: ['closed', 'family moved away', true],
    });
  });

  it('changes none when one ticket is not the caller’s to change, and names it', async () => {
    const mine = await ticket();
    const before = await t.db.query(`SELECT md5(string_agg(x::text, '' ORDER BY x.id)) AS h FROM tickets x`);
    const foreign = await bulk(admin, { ticketIds: [mine, foreignTicket], action: 'close', resolution: 'x' }).expect(422);
    expect(foreign.body).toMatchObject({ code: 'ticket_not_found', errors: [{ field: 'ticketIds[1]' }] });
    const equipment = await ticket('replacement');
    const refused = await bulk(attendance, { ticketIds: [mine, equipment], action: 'assign', assignee: 'me' }).expect(403);
    expect(refused.body.code).toBe('role_not_allowed');
    await bulk(admin, { ticketIds: [mine], action: 'close' }).expect(400);
    await bulk(admin, { ticketIds: [mine], action: 'assign' }).expect(400);
    await bulk(admin, { ticketIds: [], action: 'assign', assignee: 'x' }).expect(400);
    await bulk(t.adminToken, { ticketIds: ['not-a-uuid'], action: 'assign', assignee: 'x' }).expect(400);
    const after = await t.db.query(`SELECT md5(string_agg(x::text, '' ORDER BY x.id)) AS h FROM tickets x WHERE x.id <> $1`, [equipment]);
    expect(after).toEqual(before);
  });
});

describe('GET /tickets/changes', () => {
  it('starts with a cursor only, then answers what was created or changed since', async () => {
    const start = await poll(helpdesk);
    expect(start).toMatchObject({ data: [], more: false });
    const created = await ticket();
    const first = await poll(helpdesk, start.nextCursor);
    expect(first.data.map((x) => x.id)).toContain(created);
    await bulk(admin, { ticketIds: [created], action: 'close', resolution: 'resolved at school' }).expect(200);
    const second = await poll(helpdesk, first.nextCursor);
    expect(second.data.find((x) => x.id === created)).toMatchObject({ status: 'closed', resolution: 'resolved at school' });
    // Another district's changes never appear.
    expect(second.data.map((x) => x.id)).not.toContain(foreignTicket);
  });

  it('never misses a change committed after a poll by a transaction that began before it', async () => {
    const id = await ticket();
    const runner = t.db.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction();
      // A long write (a gap scan, say): its timestamps are older than the poll that follows.
      await runner.query(`UPDATE tickets SET assignee = 'slow writer', updated_at = now() - interval '1 minute' WHERE id = $1`, [id]);
      const during = await poll(helpdesk, (await poll(helpdesk)).nextCursor);
      expect(during.data.find((x) => x.id === id)?.assignee ?? null).toBeNull();
      await runner.commitTransaction();
      const after = await poll(helpdesk, during.nextCursor);
      expect(after.data.find((x) => x.id === id)).toMatchObject({ assignee: 'slow writer' });
    } finally {
      if (runner.isTransactionActive) await runner.rollbackTransaction();
      await runner.release();
    }
  });

  it('pages through many changes and loses none', async () => {
    const start = await poll(admin);
    const ids = [];
    for (let i = 0; i < 5; i++) ids.push(await ticket());
    const seen = new Set<string>();
    let cursor = start.nextCursor;
    let pages = 0;
    for (;;) {
      const page = await poll(admin, cursor, 2);
      page.data.forEach((x) => seen.add(x.id));
      cursor = page.nextCursor;
      pages += 1;
      if (!page.more) break;
    }
    expect(pages).toBeGreaterThanOrEqual(3);
    for (const id of ids) expect(seen).toContain(id);
    const bad = await t
      .http()
      .get('/api/v1/tickets/changes')
      .query({ since: 'bm90IGEgY3Vyc29y' })
      .set(...bearer(admin))
      .expect(400);
    expect(bad.body.code).toBe('invalid_cursor');
  });
});
