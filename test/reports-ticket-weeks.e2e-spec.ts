import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { TicketWeekRow } from '../src/reports/reports.repository.js';
import { Seed } from './support/seed.js';
import { bearer, startTestApp, tokenFor, type TestApp } from './support/test-app.js';

let t: TestApp;
let seed: Seed;

const URL = '/api/v1/reports/tickets/weekly';
// New York leaves daylight time on Sunday 1 November 2020. The three weeks asked for:
//   19 Oct: [2020-10-19T04:00Z, 2020-10-26T04:00Z)
//   26 Oct: [2020-10-26T04:00Z, 2020-11-02T05:00Z)   (EDT to EST: 7 days and 1 hour)
//    2 Nov: [2020-11-02T05:00Z, 2020-11-09T05:00Z)
const QUERY = { weekOf: '2020-11-04', weeks: 3 };

let district: string;
let schoolA: string;
let schoolB: string;

async function ticket(values: { type: string; status: string; openedAt: string; resolvedAt?: string; school?: string }): Promise<void> {
  const school = values.school ?? schoolA;
  const student = await seed.student(district, school);
  await t.db.query(
    `INSERT INTO tickets (district_id, student_id, school_id, type, status, source, opened_at, resolved_at)
     VALUES ($1, $2, $3, $4, $5, 'manual', $6, $7)`,
    [district, student, school, values.type, values.status, values.openedAt, values.resolvedAt ?? null],
  );
}

type Figures = Omit<TicketWeekRow, 'districtId' | 'districtName' | 'weekOf' | 'weekEnd' | 'type'>;
const f = (opened: number, resolved: number, median: number | null, open: number, age: number | null, oldest: number | null): Figures => ({
  opened,
  resolved,
  medianHoursToResolve: median,
  openAtWeekEnd: open,
  medianOpenAgeDays: age,
  oldestOpenAgeDays: oldest,
});
const none = f(0, 0, null, 0, null, null);

/** The rows of one district as { weekOf: { type: figures } }. */
function byWeek(rows: (Figures & { districtId: string; weekOf: string; type: string })[]): Record<string, Record<string, Figures>> {
  const weeks: Record<string, Record<string, Figures>> = {};
  for (const { districtId: _d, weekOf, type, ...figures } of rows) {
    const { districtName: _n, weekEnd: _e, ...rest } = figures as Figures & { districtName: string; weekEnd: string };
    (weeks[weekOf] ??= {})[type] = rest;
  }
  return weeks;
}

beforeAll(async () => {
  t = await startTestApp();
  seed = new Seed(t.db);
  district = await seed.district({ timeZone: 'America/New_York' });
  schoolA = await seed.school(district);
  schoolB = await seed.school(district);

  // Replacement: resolved in its week after 24 h; another open over the 19 Oct week's end, resolved after 168 h.
  await ticket({ type: 'replacement', status: 'resolved', openedAt: '2020-10-20T12:00:00Z', resolvedAt: '2020-10-21T12:00:00Z' });
  await ticket({ type: 'replacement', status: 'resolved', openedAt: '2020-10-20T00:00:00Z', resolvedAt: '2020-10-27T00:00:00Z' });
  // Sunday 1 Nov 23:30 EST (Monday in daylight time): the 26 Oct week. Still open.
  await ticket({ type: 'connectivity', status: 'open', openedAt: '2020-11-02T04:30:00Z' });
  // Monday 2 Nov 00:00 EST: the next week; closed (not resolved) after 24 h, so no longer open at that week's end.
  await ticket({ type: 'connectivity', status: 'closed', openedAt: '2020-11-02T05:00:00Z', resolvedAt: '2020-11-03T05:00:00Z' });
  // Outreach: one waiting since 1 October, one open from the week before the range, resolved on 28 Oct after 13 days.
  await ticket({ type: 'outreach', status: 'waiting', openedAt: '2020-10-01T12:00:00Z' });
  await ticket({ type: 'outreach', status: 'resolved', openedAt: '2020-10-15T12:00:00Z', resolvedAt: '2020-10-28T12:00:00Z' });
  // Repair: Sunday 25 Oct 23:30 EDT, resolved an hour later in the next week; another at school B, open.
  await ticket({ type: 'repair', status: 'resolved', openedAt: '2020-10-26T03:30:00Z', resolvedAt: '2020-10-26T04:30:00Z' });
  await ticket({ type: 'repair', status: 'in_progress', openedAt: '2020-10-27T12:00:00Z', school: schoolB });
});
afterAll(async () => {
  await t?.close();
});

describe('tickets per week', () => {
  it('counts per week and type in the district time zone, across the end of daylight time', async () => {
    const res = await t
      .http()
      .get(URL)
      .query({ ...QUERY, districtId: district })
      .set(...bearer(t.adminToken))
      .expect(200);
    expect(res.body.weeks).toBe(3);
    expect(res.body.rows[0]).toMatchObject({ districtId: district, weekOf: '2020-10-19', weekEnd: '2020-10-25', type: 'replacement' });
    expect(res.body.rows.map((r: { type: string }) => r.type).slice(0, 4)).toEqual(['replacement', 'connectivity', 'outreach', 'repair']);
    expect(byWeek(res.body.rows)).toEqual({
      '2020-10-19': {
        // Open at 26 Oct 04:00Z: the second replacement (6 d 4 h), both outreach (24 d 16 h, 10 d 16 h), the repair (30 min).
        replacement: f(2, 1, 24, 1, 6.2, 6.2),
        connectivity: none,
        outreach: f(0, 0, null, 2, 17.7, 24.7),
        repair: f(1, 0, null, 1, 0, 0),
      },
      '2020-10-26': {
        replacement: f(0, 1, 168, 0, null, null),
        connectivity: f(1, 0, null, 1, 0, 0),
        outreach: f(0, 1, 312, 1, 31.7, 31.7),
        repair: f(1, 1, 1, 1, 5.7, 5.7),
      },
      '2020-11-02': {
        replacement: none,
        connectivity: f(1, 1, 24, 1, 7, 7),
        outreach: f(0, 0, null, 1, 38.7, 38.7),
        repair: f(0, 0, null, 1, 12.7, 12.7),
      },
    });
  });

  it('writes one line per district, week and type as CSV', async () => {
    const res = await t
      .http()
      .get(URL)
      .query({ ...QUERY, districtId: district, format: 'csv' })
      .set(...bearer(t.adminToken))
      .expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.headers['content-disposition']).toContain('tickets-weekly-2020-11-02.csv');
    const lines = res.text.trimEnd().split('\r\n');
    const [place] = (await t.db.query(`SELECT name, code FROM districts WHERE id = $1`, [district])) as { name: string; code: string }[];
    expect(lines[0]).toBe(
      'districtId,districtName,districtCode,weekOf,weekEnd,type,opened,resolved,medianHoursToResolve,openAtWeekEnd,medianOpenAgeDays,oldestOpenAgeDays',
    );
    expect(lines).toHaveLength(1 + 3 * 4);
    expect(lines).toContain(`${district},${place!.name},${place!.code},2020-10-26,2020-11-01,outreach,0,1,312,1,31.7,31.7`);
    expect(lines).toContain(`${district},${place!.name},${place!.code},2020-11-02,2020-11-08,replacement,0,0,,0,,`);
  });

  it('counts only the schools of a school-scoped caller', async () => {
    const staff = await t
      .http()
      .post('/api/v1/staff')
      .set(...bearer(t.adminToken))
      .send({ email: 'weeks@scoped.example.org', name: 'Scoped', role: 'helpdesk', districtId: district, schoolIds: [schoolA] });
    expect(staff.status).toBe(201);
    const token = await t
      .http()
      .post('/api/v1/tokens')
      .set(...bearer(t.adminToken))
      .send({ name: 'scoped weeks', role: 'helpdesk', districtId: district, staffUserId: staff.body.id as string });
    expect(token.status).toBe(201);
    const res = await t
      .http()
      .get(URL)
      .query(QUERY)
      .set(...bearer(token.body.secret as string))
      .expect(200);
    const weeks = byWeek(res.body.rows);
    // School B's repair ticket is not theirs; school A's repair still counts.
    expect(weeks['2020-10-26']!.repair).toEqual(f(0, 1, 1, 0, null, null));
    expect(weeks['2020-11-02']!.repair).toEqual(none);
    expect(weeks['2020-10-26']!.outreach).toEqual(f(0, 1, 312, 1, 31.7, 31.7));
  });

  it('confines a district token to its district, and defaults to the 12 weeks ending with the current one', async () => {
    const other = await seed.district({ timeZone: 'America/Los_Angeles' });
    const attendance = await tokenFor(t, 'attendance', other);
    const own = await t
      .http()
      .get(URL)
      .set(...bearer(attendance))
      .expect(200);
    expect(own.body.weeks).toBe(12);
    expect(own.body.rows).toHaveLength(12 * 4);
    expect(new Set(own.body.rows.map((r: { districtId: string }) => r.districtId))).toEqual(new Set([other]));
    const last = own.body.rows.at(-1) as { weekOf: string; weekEnd: string } & Figures;
    const today = new Date().toLocaleDateString('en-CA', { timeZone: 'America/Los_Angeles' });
    expect(last.weekOf <= today && today <= last.weekEnd).toBe(true);
    expect(new Date(`${last.weekOf}T00:00:00Z`).getUTCDay()).toBe(1);
    expect(last).toMatchObject(none);
    await t
      .http()
      .get(URL)
      .query({ districtId: district })
      .set(...bearer(attendance))
      .expect(404);
  });

  it('gives a state token every district, and refuses a bad week count', async () => {
    const res = await t
      .http()
      .get(URL)
      .query(QUERY)
      .set(...bearer(t.adminToken))
      .expect(200);
    const districts = new Set(res.body.rows.map((r: { districtId: string }) => r.districtId));
    expect(districts.size).toBeGreaterThanOrEqual(2);
    expect(res.body.rows).toHaveLength(districts.size * 3 * 4);
    const bad = await t
      .http()
      .get(URL)
      .query({ weeks: 53 })
      .set(...bearer(t.adminToken))
      .expect(400);
    expect(bad.body.errors).toEqual([expect.objectContaining({ field: 'weeks' })]);
  });
});
