import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Seed } from './support/seed.js';
import { bearer, startTestApp, tokenFor, type TestApp } from './support/test-app.js';

let t: TestApp;
let seed: Seed;

const URL = '/api/v1/reports/tickets';
// In New York (UTC-4 in October) the window 1-7 October is [2020-10-01T04:00Z, 2020-10-08T04:00Z).
const WINDOW = { from: '2020-10-01', to: '2020-10-07' };

let district: string;
let school: string;
const k: Record<string, string> = {};

async function ticket(values: {
  type: string;
  status: string;
  openedAt: string;
  resolvedAt?: string;
  reasons?: string[];
}): Promise<string> {
  const student = await seed.student(district, school);
  const rows = (await t.db.query(
    `INSERT INTO tickets (district_id, student_id, school_id, type, status, reasons, source, opened_at, resolved_at)
     VALUES ($1, $2, $3, $4, $5, $6, 'manual', $7, $8) RETURNING id`,
    [district, student, school, values.type, values.status, values.reasons ?? [], values.openedAt, values.resolvedAt ?? null],
  )) as { id: string }[];
  return rows[0]!.id;
}

async function attempt(ticketId: string, channel: string, attemptedAt: string, outcome = 'no_answer'): Promise<void> {
  await t.db.query(`INSERT INTO outreach_attempts (district_id, ticket_id, channel, attempted_at, outcome) VALUES ($1, $2, $3, $4, $5)`, [
    district,
    ticketId,
    channel,
    attemptedAt,
    outcome,
  ]);
}

beforeAll(async () => {
  t = await startTestApp();
  seed = new Seed(t.db);
  district = await seed.district({ timeZone: 'America/New_York' });
  school = await seed.school(district);

  // Open since September: the oldest open ticket.
  k.t1 = await ticket({ type: 'replacement', status: 'open', openedAt: '2020-09-20T12:00:00Z', reasons: ['no_device'] });
  k.t2 = await ticket({
    type: 'connectivity',
    status: 'in_progress',
    openedAt: '2020-10-02T10:00:00Z',
    reasons: ['no_internet', 'hotspot_suspended'],
  });
  // Resolved in the window after 12 h, 120 h and 6 h.
  k.t3 = await ticket({ type: 'outreach', status: 'resolved', openedAt: '2020-10-03T00:00:00Z', resolvedAt: '2020-10-03T12:00:00Z' });
  k.t4 = await ticket({ type: 'repair', status: 'closed', openedAt: '2020-09-30T00:00:00Z', resolvedAt: '2020-10-05T00:00:00Z' });
  k.t5 = await ticket({ type: 'outreach', status: 'resolved', openedAt: '2020-10-04T00:00:00Z', resolvedAt: '2020-10-04T06:00:00Z' });
  k.t6 = await ticket({
    type: 'replacement',
    status: 'waiting',
    openedAt: '2020-10-06T00:00:00Z',
    reasons: ['no_device', 'device_broken'],
  });
  // Opened after the window (1 am on the 8th in New York).
  k.t7 = await ticket({ type: 'outreach', status: 'open', openedAt: '2020-10-08T05:00:00Z' });
  // Opened on the 1st at 8 am in New York; resolved after the window.
  k.t8 = await ticket({ type: 'connectivity', status: 'resolved', openedAt: '2020-10-01T12:00:00Z', resolvedAt: '2020-10-08T05:00:00Z' });
  // 11:30 pm on the 7th in New York, though the 8th in UTC: in the window.
  k.t9 = await ticket({ type: 'outreach', status: 'open', openedAt: '2020-10-08T03:30:00Z' });
  // 8 pm on 30 September in New York: before the window.
  await ticket({ type: 'repair', status: 'open', openedAt: '2020-10-01T00:00:00Z' });

  await attempt(k.t3, 'call', '2020-10-02T15:00:00Z');
  await attempt(k.t3, 'call', '2020-10-03T15:00:00Z', 'reached');
  await attempt(k.t5, 'text', '2020-10-04T15:00:00Z');
  await attempt(k.t5, 'home_visit', '2020-10-05T15:00:00Z', 'visited');
  await attempt(k.t9, 'home_visit', '2020-10-06T15:00:00Z', 'not_home');
  // Outside the window in New York.
  await attempt(k.t3, 'call', '2020-10-01T03:00:00Z');
  await attempt(k.t9, 'home_visit', '2020-10-08T04:30:00Z', 'visited');
});
afterAll(async () => {
  await t?.close();
});

describe('tickets report', () => {
  it('summarises the window in the district time zone and the open queue', async () => {
    const res = await t
      .http()
      .get(URL)
      .query(WINDOW)
      .set(...bearer(t.adminToken))
      .expect(200);
    const report = res.body.districts.find((d: { districtId: string }) => d.districtId === district);
    expect(report).toEqual({
      districtId: district,
      districtName: expect.any(String),
      from: '2020-10-01',
      to: '2020-10-07',
      // t2, t3, t5, t6, t8, t9
      opened: 6,
      // t3, t4, t5: 6 h, 12 h, 120 h
      resolved: 3,
      medianHoursToResolve: 12,
      // t1, t2, t6, t7, t9 and the repair opened on 30 September
      openNow: 6,
      openByType: { replacement: 2, connectivity: 1, outreach: 2, repair: 1 },
      openByReason: [
        { reason: 'no_device', count: 2 },
        { reason: 'device_broken', count: 1 },
        { reason: 'hotspot_suspended', count: 1 },
        { reason: 'no_internet', count: 1 },
      ],
      oldestOpen: { id: k.t1, type: 'replacement', openedAt: '2020-09-20T12:00:00.000Z', ageHours: expect.any(Number) },
      outreach: { attempts: 5, byChannel: { call: 2, email: 0, text: 1, homeVisit: 2 }, homeVisits: 2, homeVisitsReached: 1 },
    });
    expect(report.oldestOpen.ageHours).toBeGreaterThan(24 * 365);
  });

  it('has no median when nothing was resolved, and refuses a window that ends before it starts', async () => {
    const res = await t
      .http()
      .get(URL)
      .query({ districtId: district, from: '2020-08-01', to: '2020-08-31' })
      .set(...bearer(t.adminToken))
      .expect(200);
    expect(res.body.districts[0]).toMatchObject({ opened: 0, resolved: 0, medianHoursToResolve: null, openNow: 6 });
    const bad = await t
      .http()
      .get(URL)
      .query({ from: '2020-10-07', to: '2020-10-01' })
      .set(...bearer(t.adminToken))
      .expect(400);
    expect(bad.body.errors).toEqual([{ field: 'from', message: 'must not be after to' }]);
  });

  it('defaults to the 30 days ending today in the district', async () => {
    const res = await t
      .http()
      .get(URL)
      .set(...bearer(await tokenFor(t, 'helpdesk', district)))
      .expect(200);
    const [report] = res.body.districts;
    const days = (Date.parse(report.to) - Date.parse(report.from)) / 86_400_000;
    expect(days).toBe(29);
    expect(report).toMatchObject({ opened: 0, resolved: 0, openNow: 6 });
  });

  it('writes one line per figure as CSV', async () => {
    const res = await t
      .http()
      .get(URL)
      .query({ ...WINDOW, districtId: district })
      .set(...bearer(t.adminToken))
      .set('Accept', 'text/csv')
      .expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    const lines = res.text.trimEnd().split('\r\n');
    const [place] = (await t.db.query(`SELECT name, code FROM districts WHERE id = $1`, [district])) as { name: string; code: string }[];
    const prefix = `${district},${place!.name},${place!.code},2020-10-01,2020-10-07`;
    expect(lines[0]).toBe('districtId,districtName,districtCode,from,to,metric,key,value');
    expect(lines).toEqual(
      expect.arrayContaining([
        `${prefix},opened,,6`,
        `${prefix},medianHoursToResolve,,12`,
        `${prefix},openByType,replacement,2`,
        `${prefix},openByReason,no_device,2`,
        `${prefix},oldestOpenId,,${k.t1}`,
        `${prefix},outreachByChannel,homeVisit,2`,
        `${prefix},homeVisitsReached,,1`,
      ]),
    );
  });

  it('confines a district token to its district, and lets every role read it', async () => {
    const other = await seed.district();
    const attendance = await tokenFor(t, 'attendance', other);
    const own = await t
      .http()
      .get(URL)
      .query(WINDOW)
      .set(...bearer(attendance))
      .expect(200);
    expect(own.body.districts).toEqual([expect.objectContaining({ districtId: other, opened: 0, openNow: 0, oldestOpen: null })]);
    const res = await t
      .http()
      .get(URL)
      .query({ ...WINDOW, districtId: district })
      .set(...bearer(attendance))
      .expect(404);
    expect(res.body.code).toBe('district_not_found');
    for (const role of ['district_admin', 'auditor', 'tech']) {
      await t
        .http()
        .get(URL)
        .set(...bearer(await tokenFor(t, role, other)))
        .expect(200);
    }
  });
});
