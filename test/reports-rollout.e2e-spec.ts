import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Seed } from './support/seed.js';
import { bearer, startTestApp, tokenFor, type TestApp } from './support/test-app.js';

let t: TestApp;
let seed: Seed;

const URL = '/api/v1/reports/rollout';
const EL = 'Everybody Learns';
const DAY = 86_400_000;
const daysAgo = (n: number) => new Date(Date.now() - n * DAY).toISOString();

let district: string;
let s1: string;
let s2: string;
let admin: string;
let elsewhere: string;

const zero = { delivered: 0, registered: 0, assigned: 0, activeUse: 0, idle: 0, inStock: 0, inRepair: 0, lostOrStolen: 0, retired: 0 };

async function manifest(token: string, body: Record<string, unknown>): Promise<void> {
  await t
    .http()
    .post('/api/v1/shipments')
    .set(...bearer(token))
    .send(body)
    .expect(201);
}

beforeAll(async () => {
  t = await startTestApp();
  seed = new Seed(t.db);
  district = await seed.district();
  admin = await tokenFor(t, 'district_admin', district);
  s1 = await seed.school(district);
  s2 = await seed.school(district);
  const device = (schoolId: string | null, serial: string, values: Record<string, unknown> = {}) =>
    seed.device(district, schoolId, { serial_number: serial, funding_source: EL, ...values });

  // D1: its student logged in two days ago. D2: the student has not, but the Chromebook synced yesterday.
  await seed.assign(district, await device(s1, 'D1'), await seed.student(district, s1, { lastLoginAt: daysAgo(2) }));
  await seed.assign(
    district,
    await device(s1, 'D2', { last_sync_at: daysAgo(1) }),
    await seed.student(district, s1, { lastLoginAt: daysAgo(20) }),
  );
  // D3: neither for three weeks. D4: a hotspot whose student never logged in (a hotspot's own activity is no login).
  await seed.assign(
    district,
    await device(s1, 'D3', { last_sync_at: daysAgo(20) }),
    await seed.student(district, s1, { lastLoginAt: daysAgo(20) }),
  );
  await seed.assign(district, await device(s2, 'D4', { kind: 'hotspot', last_usage_at: daysAgo(1) }), await seed.student(district, s2));
  await device(s2, 'D5');
  await device(s2, 'D6', { status: 'in_repair' });
  // D7: lost, in no school, and on no manifest of the programme (only on another programme's).
  await device(null, 'D7', { status: 'lost' });
  await device(s1, 'D8', { status: 'retired', retired_at: daysAgo(30) });
  // O1 was delivered by the programme but recorded under the district's own funding.
  await seed.device(district, s2, { serial_number: 'O1', funding_source: 'District' });

  await manifest(admin, {
    fundingSource: EL,
    shippedOn: '2020-09-01',
    reference: 'EL-1',
    serialNumbers: ['D1', 'D2', 'D3', 'D4', 'D5', 'D6', 'X1', 'O1'],
  });
  // D1, X1 and O1 again on a later manifest: each delivered once, in its list once.
  await manifest(admin, { fundingSource: EL, shippedOn: '2020-09-15', reference: 'EL-2', serialNumbers: ['D8', 'X2', 'D1', 'X1', 'O1'] });
  await manifest(admin, { fundingSource: 'Other grant', shippedOn: '2020-09-20', serialNumbers: ['D7'] });

  // Another district reached by the programme, which the first must never see.
  elsewhere = await seed.district();
  await seed.device(elsewhere, await seed.school(elsewhere), { serial_number: 'E1', funding_source: EL });
  await manifest(t.adminToken, { districtId: elsewhere, fundingSource: EL, shippedOn: '2020-09-02', serialNumbers: ['E1', 'E2'] });
});
afterAll(async () => {
  await t?.close();
});

describe('rollout report', () => {
  it('counts delivered, registered, assigned, in use and status per school, and reconciles manifests with inventory', async () => {
    const res = await t
      .http()
      .get(URL)
      .query({ fundingSource: EL })
      .set(...bearer(admin))
      .expect(200);
    expect(res.body.fundingSource).toBe(EL);
    expect(res.body.districts).toHaveLength(1);
    const [report] = res.body.districts;
    expect(report.districtId).toBe(district);
    // Delivered: D1-D6, D8, X1, X2, O1. Registered: D1-D8.
    expect(report.totals).toEqual({
      delivered: 10,
      registered: 8,
      assigned: 4,
      activeUse: 2,
      idle: 2,
      inStock: 1,
      inRepair: 1,
      lostOrStolen: 1,
      retired: 1,
    });
    const school = (id: string | null) => report.schools.find((s: { schoolId: string | null }) => s.schoolId === id);
    expect(school(s1)).toMatchObject({ ...zero, delivered: 4, registered: 4, assigned: 3, activeUse: 2, idle: 1, retired: 1 });
    // O1 counts as delivered where it is, though recorded under another funding source.
    expect(school(s2)).toMatchObject({ ...zero, delivered: 4, registered: 3, assigned: 1, idle: 1, inStock: 1, inRepair: 1 });
    expect(school(null)).toEqual({ schoolId: null, schoolName: null, ...zero, delivered: 2, registered: 1, lostOrStolen: 1 });
    expect(report.schools).toHaveLength(3);
    expect(report.reconciliation).toEqual({
      deliveredNotRegistered: { count: 2, serialNumbers: ['X1', 'X2'] },
      registeredNotOnManifest: { count: 1, serialNumbers: ['D7'] },
      deliveredUnderOtherFunding: { count: 1, serialNumbers: ['O1'] },
    });
  });

  it('shows the first serials of each list and pages through all of them', async () => {
    const res = await t
      .http()
      .get(URL)
      .query({ fundingSource: EL, sampleSize: 1 })
      .set(...bearer(admin))
      .expect(200);
    expect(res.body.districts[0].reconciliation.deliveredNotRegistered).toEqual({ count: 2, serialNumbers: ['X1'] });

    const list = `${URL}/reconciliation`;
    const first = await t
      .http()
      .get(list)
      .query({ fundingSource: EL, list: 'deliveredNotRegistered', limit: 1 })
      .set(...bearer(admin))
      .expect(200);
    expect(first.body.data).toEqual([
      expect.objectContaining({ districtId: district, serialNumber: 'X1', shippedOn: '2020-09-01', reference: 'EL-1', deviceId: null }),
    ]);
    const second = await t
      .http()
      .get(list)
      .query({ fundingSource: EL, list: 'deliveredNotRegistered', limit: 1, cursor: first.body.nextCursor })
      .set(...bearer(admin))
      .expect(200);
    expect(second.body.data.map((r: { serialNumber: string }) => r.serialNumber)).toEqual(['X2']);
    expect(second.body.nextCursor).toBeNull();

    const other = await t
      .http()
      .get(list)
      .query({ fundingSource: EL, list: 'deliveredUnderOtherFunding' })
      .set(...bearer(admin))
      .expect(200);
    expect(other.body.data).toEqual([
      expect.objectContaining({ serialNumber: 'O1', schoolId: s2, deviceFundingSource: 'District', deviceStatus: 'in_stock' }),
    ]);
    const unlisted = await t
      .http()
      .get(list)
      .query({ fundingSource: EL, list: 'registeredNotOnManifest' })
      .set(...bearer(admin))
      .expect(200);
    expect(unlisted.body.data).toEqual([
      expect.objectContaining({ serialNumber: 'D7', schoolId: null, deviceStatus: 'lost', shipmentId: null }),
    ]);

    const csv = await t
      .http()
      .get(list)
      .query({ fundingSource: EL, list: 'deliveredNotRegistered', limit: 1, format: 'csv' })
      .set(...bearer(admin))
      .expect(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const lines = csv.text.trimEnd().split('\r\n');
    expect(lines[0]).toBe(
      'districtId,districtName,districtCode,serialNumber,shipmentId,shippedOn,reference,deviceId,schoolId,schoolName,schoolCode,' +
        'deviceStatus,deviceFundingSource,purchaseDate,orderNumber',
    );
    // A CSV is the whole list, whatever the page size.
    expect(lines.slice(1).map((line) => line.split(',')[3])).toEqual(['X1', 'X2']);
  });

  it('gives a state token every district the programme reached', async () => {
    const res = await t
      .http()
      .get(URL)
      .query({ fundingSource: EL })
      .set(...bearer(t.adminToken))
      .expect(200);
    const ids = res.body.districts.map((d: { districtId: string }) => d.districtId);
    expect(new Set(ids)).toEqual(new Set([district, elsewhere]));
    const far = res.body.districts.find((d: { districtId: string }) => d.districtId === elsewhere);
    expect(far.totals).toMatchObject({ delivered: 2, registered: 1, inStock: 1 });
    expect(far.reconciliation.deliveredNotRegistered).toEqual({ count: 1, serialNumbers: ['E2'] });
  });

  it('answers a district the programme never reached with zeros, and another district with 404', async () => {
    const res = await t
      .http()
      .get(URL)
      .query({ fundingSource: 'Nobody' })
      .set(...bearer(admin))
      .expect(200);
    expect(res.body.districts).toEqual([
      expect.objectContaining({
        districtId: district,
        totals: zero,
        schools: [],
        reconciliation: expect.objectContaining({ deliveredNotRegistered: { count: 0, serialNumbers: [] } }),
      }),
    ]);
    const other = await t
      .http()
      .get(URL)
      .query({ fundingSource: EL, districtId: elsewhere })
      .set(...bearer(admin))
      .expect(404);
    expect(other.body.code).toBe('district_not_found');
    const list = await t
      .http()
      .get(`${URL}/reconciliation`)
      .query({ fundingSource: EL, list: 'deliveredNotRegistered', districtId: elsewhere })
      .set(...bearer(admin))
      .expect(404);
    expect(list.body.code).toBe('district_not_found');
    await t
      .http()
      .get(URL)
      .query({ fundingSource: EL, districtId: '00000000-0000-4000-8000-000000000000' })
      .set(...bearer(t.adminToken))
      .expect(404);
  });

  it('requires a funding source and a known list', async () => {
    const res = await t
      .http()
      .get(URL)
      .set(...bearer(admin))
      .expect(400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain('fundingSource');
    const list = await t
      .http()
      .get(`${URL}/reconciliation`)
      .query({ fundingSource: EL, list: 'everything' })
      .set(...bearer(admin))
      .expect(400);
    expect(list.body.errors.map((e: { field: string }) => e.field)).toContain('list');
  });

  it('is for administrators and auditors only', async () => {
    await t
      .http()
      .get(URL)
      .query({ fundingSource: EL })
      .set(...bearer(await tokenFor(t, 'auditor', district)))
      .expect(200);
    for (const role of ['tech', 'helpdesk', 'attendance']) {
      const token = await tokenFor(t, role, district);
      expect(
        (
          await t
            .http()
            .get(URL)
            .query({ fundingSource: EL })
            .set(...bearer(token))
            .expect(403)
        ).body.code,
      ).toBe('role_not_allowed');
      await t
        .http()
        .get(`${URL}/reconciliation`)
        .query({ fundingSource: EL, list: 'registeredNotOnManifest' })
        .set(...bearer(token))
        .expect(403);
    }
  });

  it('writes a district line and a line per school as CSV, neutralising names that could run', async () => {
    const named = await seed.district();
    await t.db.query(`UPDATE districts SET name = $2 WHERE id = $1`, [named, '+Evil, "Inc"']);
    const school = await seed.school(named);
    await t.db.query(`UPDATE schools SET name = $2 WHERE id = $1`, [school, '@school']);
    await seed.device(named, school, { serial_number: 'N1', funding_source: EL });
    const res = await t
      .http()
      .get(URL)
      .query({ fundingSource: EL, districtId: named })
      .set(...bearer(t.adminToken))
      .set('Accept', 'text/csv')
      .expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    const codes = (await t.db.query(
      `SELECT (SELECT code FROM districts WHERE id = $1) AS district, (SELECT code FROM schools WHERE id = $2) AS school`,
      [named, school],
    )) as { district: string; school: string }[];
    const { district: dc, school: sc } = codes[0]!;
    expect(res.text).toBe(
      'level,districtId,districtName,districtCode,schoolId,schoolName,schoolCode,delivered,registered,assigned,activeUse,idle,inStock,' +
        'inRepair,lostOrStolen,retired,deliveredNotRegistered,registeredNotOnManifest,deliveredUnderOtherFunding\r\n' +
        `district,${named},"'+Evil, ""Inc""",${dc},,,,0,1,0,0,0,1,0,0,0,0,1,0\r\n` +
        `school,${named},"'+Evil, ""Inc""",${dc},${school},'@school,${sc},0,1,0,0,0,1,0,0,0,,,\r\n`,
    );
  });

  it("lists a device's purchase date and order number in the reconciliation lists", async () => {
    const district = await seed.district();
    const school = await seed.school(district);
    await seed.device(district, school, {
      serial_number: 'P1',
      funding_source: 'Purchase Grant',
      purchase_date: '2024-08-01',
      order_number: 'PO-7781',
    });
    const res = await t
      .http()
      .get(`${URL}/reconciliation`)
      .query({ fundingSource: 'Purchase Grant', districtId: district, list: 'registeredNotOnManifest' })
      .set(...bearer(t.adminToken))
      .expect(200);
    expect(res.body.data).toEqual([expect.objectContaining({ serialNumber: 'P1', purchaseDate: '2024-08-01', orderNumber: 'PO-7781' })]);
  });
});
