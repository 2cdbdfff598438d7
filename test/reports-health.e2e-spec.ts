import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Seed } from './support/seed.js';
import { bearer, startTestApp, tokenFor, type TestApp } from './support/test-app.js';

let t: TestApp;
let seed: Seed;

const URL = '/api/v1/reports/device-health';
const DAY = 86_400_000;
const daysAgo = (n: number) => new Date(Date.now() - n * DAY).toISOString();
const dateIn = (n: number) => new Date(Date.now() + n * DAY).toISOString().slice(0, 10);

let district: string;
let h1: string;
let h2: string;
let token: string;
const d: Record<string, string> = {};
let kit: string;
let student: string;

interface ListDto {
  count: number;
  items: { deviceId?: string; kitId?: string; schoolId?: string }[];
}

const ids = (list: ListDto) => list.items.map((item) => item.deviceId ?? item.kitId ?? item.schoolId);

beforeAll(async () => {
  t = await startTestApp();
  seed = new Seed(t.db);
  district = await seed.district({ timeZone: 'UTC' });
  await t.db.query(`UPDATE districts SET spare_pool_minimum = 2 WHERE id = $1`, [district]);
  token = await tokenFor(t, 'tech', district);
  h1 = await seed.school(district);
  h2 = await seed.school(district);
  const held = async (deviceId: string) => seed.assign(district, deviceId, await seed.student(district, h1));

  // Not synced for 10 and 20 days (the district allows 7).
  d.c1 = await seed.device(district, h1, { last_sync_at: daysAgo(10), asset_tag: '=cmd|calc' });
  await held(d.c1);
  d.c7 = await seed.device(district, h1, { last_sync_at: daysAgo(20) });
  await held(d.c7);
  // A spare past its auto-update date; with c4, H1 has two working spares.
  d.c2 = await seed.device(district, h1, { last_sync_at: daysAgo(3), auto_update_through: dateIn(-10) });
  // Held, updates end in 60 days, disabled in Google; no sync data at all is no evidence.
  d.c3 = await seed.device(district, h1, { auto_update_through: dateIn(60), google_status: 'DISABLED' });
  await held(d.c3);
  // Disabled but in stock (not held): not flagged.
  d.c4 = await seed.device(district, h1, { google_status: 'DISABLED' });
  // Lost devices are out of circulation.
  d.c5 = await seed.device(district, h2, { status: 'lost', last_sync_at: daysAgo(30), auto_update_through: dateIn(-100) });
  // Fine.
  d.c6 = await seed.device(district, h2, { last_sync_at: daysAgo(1), auto_update_through: dateIn(200), status: 'in_repair' });
  // A broken spare does not count in the pool: H2 has none working.
  d.c8 = await seed.device(district, h2, { condition: 'broken' });

  d.s1 = await seed.device(district, h1, { kind: 'hotspot', imei: '350000000000001', line_status: 'suspended' });
  await held(d.s1);
  d.s2 = await seed.device(district, h1, {
    kind: 'hotspot',
    imei: '350000000000002',
    line_status: 'active',
    monthly_cap_mb: 1000,
    monthly_used_mb: 1000,
    last_usage_at: daysAgo(10),
  });
  await held(d.s2);
  // Suspended in stock, and held with no usage data: neither is flagged.
  d.s3 = await seed.device(district, h1, { kind: 'hotspot', imei: '350000000000003', line_status: 'suspended' });
  d.s4 = await seed.device(district, h1, {
    kind: 'hotspot',
    imei: '350000000000004',
    line_status: 'active',
    monthly_cap_mb: 0,
    monthly_used_mb: 50,
  });
  await held(d.s4);

  student = await seed.student(district, h2);
  const template = (await t.db.query(
    `INSERT INTO kit_templates (district_id, name, items) VALUES ($1, 'Tool kit', '[{"item":"charger","quantity":1},{"item":"=headphones","quantity":2}]') RETURNING id`,
    [district],
  )) as { id: string }[];
  const kits = (await t.db.query(
    `INSERT INTO kits (district_id, student_id, template_id, items, returned_at, missing_items) VALUES
       ($1, $2, $3, '[]', now(), '[{"item":"charger","quantity":1},{"item":"=headphones","quantity":2}]'),
       ($1, $2, $3, '[]', now(), '[]')
     RETURNING id`,
    [district, student, template[0]!.id],
  )) as { id: string }[];
  kit = kits[0]!.id;
});
afterAll(async () => {
  await t?.close();
});

describe('device health report', () => {
  it('lists what needs attention, with counts', async () => {
    const res = await t
      .http()
      .get(URL)
      .set(...bearer(token))
      .expect(200);
    expect(res.body.listLimit).toBe(100);
    expect(res.body.districts).toHaveLength(1);
    const report = res.body.districts[0];
    expect(report).toMatchObject({ districtId: district, syncStaleDays: 7, hotspotIdleDays: 7, sparePoolMinimum: 2 });
    // Oldest sync first.
    expect(report.chromebooksNotSyncing.count).toBe(2);
    expect(ids(report.chromebooksNotSyncing)).toEqual([d.c7, d.c1]);
    expect(ids(report.chromebooksAutoUpdateEnding)).toEqual([d.c2, d.c3]);
    expect(report.chromebooksAutoUpdateEnding.items[0]).toMatchObject({
      autoUpdateThrough: dateIn(-10),
      status: 'in_stock',
      studentId: null,
    });
    expect(ids(report.chromebooksDisabledWhileAssigned)).toEqual([d.c3]);
    expect(report.chromebooksDisabledWhileAssigned.items[0].studentId).toEqual(expect.any(String));
    expect(ids(report.hotspotsSuspended)).toEqual([d.s1]);
    expect(ids(report.hotspotsOverCap)).toEqual([d.s2]);
    expect(report.hotspotsOverCap.items[0]).toMatchObject({ monthlyCapMb: 1000, monthlyUsedMb: 1000 });
    expect(ids(report.hotspotsIdle)).toEqual([d.s2]);
    expect(report.kitsMissingItems).toEqual({
      count: 1,
      items: [
        expect.objectContaining({
          kitId: kit,
          studentId: student,
          schoolId: h2,
          missingItems: [
            { item: 'charger', quantity: 1 },
            { item: '=headphones', quantity: 2 },
          ],
        }),
      ],
    });
    expect(report.sparePoolBelowMinimum).toEqual({
      count: 1,
      items: [{ schoolId: h2, schoolName: expect.any(String), spareChromebooks: 0, minimum: 2 }],
    });
  });

  it('takes the day limits from the query, and caps the lists as stated', async () => {
    const res = await t
      .http()
      .get(URL)
      .query({ syncStaleDays: 15, hotspotIdleDays: 30, listLimit: 1 })
      .set(...bearer(token))
      .expect(200);
    expect(res.body.listLimit).toBe(1);
    const report = res.body.districts[0];
    expect(report).toMatchObject({ syncStaleDays: 15, hotspotIdleDays: 30 });
    expect(report.chromebooksNotSyncing).toEqual({ count: 1, items: [expect.objectContaining({ deviceId: d.c7 })] });
    expect(report.hotspotsIdle).toEqual({ count: 0, items: [] });
    // Two entries, one shown.
    expect(report.chromebooksAutoUpdateEnding.count).toBe(2);
    expect(ids(report.chromebooksAutoUpdateEnding)).toEqual([d.c2]);
    await t
      .http()
      .get(URL)
      .query({ listLimit: 0 })
      .set(...bearer(token))
      .expect(400);
  });

  it('writes every flagged device, kit and school as CSV, uncapped and neutralised', async () => {
    const res = await t
      .http()
      .get(URL)
      .query({ format: 'csv', listLimit: 1 })
      .set(...bearer(token))
      .expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    const lines = res.text.trimEnd().split('\r\n');
    expect(lines[0]).toBe(
      'districtId,districtName,districtCode,category,deviceId,kitId,schoolId,schoolName,schoolCode,studentId,serialNumber,assetTag,status,' +
        'lastSyncAt,autoUpdateThrough,googleStatus,lineStatus,monthlyCapMb,monthlyUsedMb,lastUsageAt,missingItems,spareChromebooks,' +
        'sparePoolMinimum',
    );
    const categories = lines.slice(1).map((line) => line.split(',')[3]);
    expect(categories).toEqual([
      'chromebooksNotSyncing',
      'chromebooksNotSyncing',
      'chromebooksAutoUpdateEnding',
      'chromebooksAutoUpdateEnding',
      'chromebooksDisabledWhileAssigned',
      'hotspotsSuspended',
      'hotspotsOverCap',
      'hotspotsIdle',
      'kitsMissingItems',
      'sparePoolBelowMinimum',
    ]);
    expect(lines.find((line) => line.includes(d.c1!))).toContain(",'=cmd|calc,assigned,");
    const places = (await t.db.query(
      `SELECT (SELECT name || ',' || code FROM districts WHERE id = $1) AS district, (SELECT name || ',' || code FROM schools WHERE id = $2) AS school`,
      [district, h2],
    )) as { district: string; school: string }[];
    const { district: dn, school: sn } = places[0]!;
    expect(lines.find((line) => line.includes('kitsMissingItems'))).toContain(`,${kit},${h2},${sn},${student},`);
    expect(lines.find((line) => line.includes('kitsMissingItems'))!.endsWith(',charger x1; =headphones x2,,')).toBe(true);
    expect(lines[lines.length - 1]).toBe(`${district},${dn},sparePoolBelowMinimum,,,${h2},${sn},,,,,,,,,,,,,0,2`);
  });

  it('confines a district token to its own district', async () => {
    const other = await seed.district();
    const res = await t
      .http()
      .get(URL)
      .query({ districtId: other })
      .set(...bearer(token))
      .expect(404);
    expect(res.body.code).toBe('district_not_found');
    const state = await t
      .http()
      .get(URL)
      .query({ districtId: other })
      .set(...bearer(t.adminToken))
      .expect(200);
    expect(state.body.districts).toEqual([expect.objectContaining({ districtId: other, chromebooksNotSyncing: { count: 0, items: [] } })]);
    expect(JSON.stringify(state.body)).not.toContain(d.c1);
  });

  it('is for administrators, auditors, tech and the help desk; not attendance', async () => {
    for (const role of ['district_admin', 'auditor', 'helpdesk']) {
      await t
        .http()
        .get(URL)
        .set(...bearer(await tokenFor(t, role, district)))
        .expect(200);
    }
    const res = await t
      .http()
      .get(URL)
      .set(...bearer(await tokenFor(t, 'attendance', district)))
      .expect(403);
    expect(res.body.code).toBe('role_not_allowed');
  });
});
