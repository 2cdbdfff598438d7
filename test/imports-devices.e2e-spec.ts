import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { bearer, startTestApp, type TestApp } from './support/test-app.js';
import { count, createDistrict, createSchool, fixture, importFile } from './fixtures/imports/support.js';

let t: TestApp;
let district: string;
let lhs: string;

beforeAll(async () => {
  t = await startTestApp({ worker: true });
  district = await createDistrict(t, 'dev-a');
  lhs = await createSchool(t, district, 'LHS', 'Lincoln High School');
});
afterAll(async () => {
  await t?.close();
});

describe('devices import', () => {
  it('loads a Snipe-IT export, skipping and reporting bad rows by line', async () => {
    const result = await importFile(t, 'devices', district, await fixture('snipeit-assets.csv'), 'assets.csv');
    expect(result.status).toBe('completed');
    expect(result.counts).toEqual({ rows: 7, created: 4, updated: 0, unchanged: 0, failed: 3, skipped: 0 });
    // Warranty Expires and Purchase Date are kept on the device; the holder jdoe names no student; the rest is listed as unused.
    expect(result.ignoredColumns).toEqual(['Name', 'Model Number', 'Company']);
    expect(result.warnings).toEqual(
      ['Name', 'Model Number', 'Company'].map((column) => ({ part: null, column, message: 'not used by this import' })),
    );
    expect(result.stats).toEqual({ holdersAssigned: 0, holderSuggestions: 1 });
    expect(result.errors.data.map((e) => [e.line, e.field])).toEqual([
      [6, 'serialNumber'],
      [7, 'school'],
      [8, 'assetTag'],
    ]);
    const devices = (await t.db.query(
      `SELECT asset_tag, serial_number, kind, status, school_id, model, manufacturer, retired_at IS NOT NULL AS retired
       FROM devices WHERE district_id = $1 ORDER BY asset_tag`,
      [district],
    )) as Record<string, unknown>[];
    expect(devices).toEqual([
      {
        asset_tag: 'CB-0001',
        serial_number: '5CD0001AAA',
        kind: 'chromebook',
        status: 'in_stock',
        school_id: lhs,
        model: 'HP Chromebook 11 G8 EE',
        manufacturer: 'HP',
        retired: false,
      },
      {
        asset_tag: 'CB-0002',
        serial_number: '5CD0002AAA',
        kind: 'chromebook',
        // Deployed to a holder no one here knows: out of the spare pool.
        status: 'assigned',
        school_id: lhs,
        model: 'HP Chromebook 11 G8 EE',
        manufacturer: 'HP',
        retired: false,
      },
      {
        asset_tag: 'HS-0001',
        serial_number: '990001234567890',
        kind: 'hotspot',
        status: 'in_stock',
        school_id: lhs,
        model: 'Kajeet SmartSpot',
        manufacturer: 'Netgear',
        retired: false,
      },
      {
        asset_tag: 'LT-0001',
        serial_number: 'PF2KX9QZ',
        kind: 'laptop',
        status: 'retired',
        school_id: null,
        model: 'ThinkPad L13',
        manufacturer: 'Lenovo',
        retired: true,
      },
    ]);
    // The batch's new devices share one create event that names them all.
    const created: { n: number; named: number; devices: number }[] = await t.db.query(
      `SELECT count(*)::int AS n, sum(cardinality(entity_ids))::int AS named, sum((after->>'devices')::int)::int AS devices
       FROM audit_events WHERE entity_type = 'device' AND action = 'create' AND district_id = $1`,
      [district],
    );
    expect(created[0]).toEqual({ n: 1, named: 4, devices: 4 });

    const again = await importFile(t, 'devices', district, await fixture('snipeit-assets.csv'), 'assets.csv');
    expect(again.counts).toEqual({ rows: 7, created: 0, updated: 0, unchanged: 4, failed: 3, skipped: 0 });
  });
});

describe('chromeos-devices import', () => {
  let other: string;
  let ava: string;
  let ben: string;

  beforeAll(async () => {
    other = await createDistrict(t, 'dev-b');
    const school = await createSchool(t, other, 'LHS', 'Lincoln High School');
    const students = (await t.db.query(
      `INSERT INTO students (district_id, school_id, sourced_id, given_name, family_name, email)
       VALUES ($1, $2, 'st-ava', 'Ava', 'Jones', 'ava.jones@students.groton.org'), ($1, $2, 'st-ben', 'Ben', 'Smith', 'ben.smith@students.groton.org')
       RETURNING id`,
      [other, school],
    )) as { id: string }[];
    [ava, ben] = students.map((s) => s.id) as [string, string];
    await t.db.query(
      `INSERT INTO devices (district_id, kind, serial_number, asset_tag) VALUES
         ($1, 'chromebook', '5CD0001AAA', 'CB-0001'), ($1, 'chromebook', '5CD0002AAA', NULL),
         ($1, 'hotspot', '990001234567890', 'HS-0001'), ($1, 'chromebook', 'OTHER', 'CB-0002')`,
      [other],
    );
  });

  it('applies Directory API pages: Google fields stored, unknown serials created, users only suggested', async () => {
    const result = await importFile(t, 'chromeos-devices', other, await fixture('chromeos-devices.json'), 'chromeos.json');
    expect(result.status).toBe('completed');
    expect(result.counts).toEqual({ rows: 5, created: 2, updated: 1, unchanged: 0, failed: 2, skipped: 0 });
    // NEW0003 is deprovisioned: it arrives retired, never a spare.
    expect(result.stats).toEqual({ devicesCreated: 2, suggestions: 2, retired: 1 });
    // JSON input: errors name the item.
    expect(result.errors.data.map((e) => [e.item, e.line, e.field])).toEqual([
      [3, null, 'serialNumber'],
      [4, null, 'lastSync'],
    ]);

    const devices = (await t.db.query(
      `SELECT serial_number, kind, status, asset_tag, google_device_id, google_status, last_sync_at, os_version,
              to_char(auto_update_through, 'YYYY-MM-DD') AS aue, version
       FROM devices WHERE district_id = $1 AND serial_number IN ('5CD0001AAA', 'NEW0001', 'NEW0003') ORDER BY serial_number`,
      [other],
    )) as Record<string, unknown>[];
    expect(devices).toEqual([
      {
        serial_number: '5CD0001AAA',
        kind: 'chromebook',
        status: 'in_stock',
        asset_tag: 'CB-0001',
        google_device_id: '2b1b6f1e-7c1a-4d0e-9a51-0c3b5f1e0001',
        google_status: 'ACTIVE',
        last_sync_at: new Date('2020-10-05T13:02:11Z'),
        os_version: '86.0.4240.77',
        aue: '2024-07-01',
        // Updated once: its version (ETag) moved by exactly one.
        version: 2,
      },
      {
        serial_number: 'NEW0001',
        kind: 'chromebook',
        status: 'in_stock',
        asset_tag: 'CB-0099',
        google_device_id: '2b1b6f1e-7c1a-4d0e-9a51-0c3b5f1e0002',
        google_status: 'ACTIVE',
        last_sync_at: new Date('2020-10-02T08:00:00Z'),
        os_version: '86.0.4240.77',
        aue: '2026-06-30',
        version: 1,
      },
      // Its asset id is another device's tag, so it arrives without one.
      {
        serial_number: 'NEW0003',
        kind: 'chromebook',
        status: 'retired',
        asset_tag: null,
        google_device_id: 'x5',
        google_status: 'DEPROVISIONED',
        last_sync_at: null,
        os_version: null,
        aue: null,
        version: 1,
      },
    ]);
    expect(await count(t, `SELECT count(*) AS n FROM assignments WHERE district_id = $1`, [other])).toBe(0);

    const suggestions = await t
      .http()
      .get(`/api/v1/imports/${result.id}/suggestions`)
      .set(...bearer(t.adminToken))
      .expect(200);
    expect(
      suggestions.body.data
        .map((s: { serialNumber: string; studentId: string; basis: string }) => [s.serialNumber, s.studentId, s.basis])
        .sort(),
    ).toEqual([
      ['5CD0001AAA', ava, 'annotated_user'],
      ['NEW0001', ben, 'recent_user'],
    ]);

    const again = await importFile(t, 'chromeos-devices', other, await fixture('chromeos-devices.json'), 'chromeos.json');
    expect(again.counts).toEqual({ rows: 5, created: 0, updated: 0, unchanged: 3, failed: 2, skipped: 0 });
  });

  it('reads the Admin console CSV export, ignoring the columns it does not use', async () => {
    const result = await importFile(t, 'chromeos-devices', other, await fixture('chromeos-console-export.csv'), 'devices.csv');
    expect(result.status).toBe('completed');
    expect(result.counts).toMatchObject({ rows: 2, created: 1, updated: 1, failed: 0 });
    expect(result.ignoredColumns).toEqual(['Location', 'Notes', 'Org Unit Path', 'Enrollment Date']);
    const rows = (await t.db.query(
      `SELECT serial_number, asset_tag, model, google_status, to_char(auto_update_through, 'YYYY-MM-DD') AS aue
       FROM devices WHERE district_id = $1 AND serial_number IN ('5CD0002AAA', 'NEW0004') ORDER BY serial_number`,
      [other],
    )) as Record<string, unknown>[];
    expect(rows).toEqual([
      { serial_number: '5CD0002AAA', asset_tag: null, model: 'HP Chromebook 11 G8 EE', google_status: 'ACTIVE', aue: '2024-07-01' },
      { serial_number: 'NEW0004', asset_tag: null, model: 'Lenovo 100e Chromebook Gen 3', google_status: 'INACTIVE', aue: '2026-06-30' },
    ]);
  });
});

describe('hotspot-usage import', () => {
  let carrier: string;

  beforeAll(async () => {
    carrier = await createDistrict(t, 'dev-c');
    await t.db.query(
      `INSERT INTO devices (district_id, kind, serial_number, imei, iccid, phone_number) VALUES
         ($1, 'hotspot', 'HS1', '356938035643809', '89012608822956204531', '8605550101'),
         ($1, 'hotspot', 'HS2', '356938035640002', '89012608822956204532', '8605550102'),
         ($1, 'hotspot', 'HS3', NULL, NULL, '860-555-0103')`,
      [carrier],
    );
  });

  const lines = async (): Promise<Record<string, unknown>[]> =>
    (await t.db.query(
      `SELECT serial_number, line_status, monthly_cap_mb, monthly_used_mb, last_usage_at FROM devices WHERE district_id = $1 ORDER BY serial_number`,
      [carrier],
    )) as Record<string, unknown>[];

  it('matches Kajeet lines on IMEI, else ICCID, else phone number, and reports the rest', async () => {
    const kajeet = (await fixture('kajeet-devices.csv')).toString('utf8');
    const result = await importFile(t, 'hotspot-usage', carrier, kajeet, 'kajeet.csv');
    expect(result.status).toBe('completed');
    expect(result.counts).toEqual({ rows: 5, created: 0, updated: 3, unchanged: 0, failed: 2, skipped: 0 });
    // A rolling 30-day total and the line's nickname are knowingly left unused, and listed.
    expect(result.ignoredColumns).toEqual([
      'NICKNAME',
      'FILTER_GROUP',
      'SUMMER_STATUS',
      'LAST_30_DAYS_USED',
      'DAILY_LIMIT',
      'DAY_AMOUNT_USED',
      'NETWORK',
      'MAC',
      'OEM_SERIAL_NUMBER',
    ]);
    expect(result.errors.data).toEqual([
      expect.objectContaining({
        line: 5,
        field: 'imei',
        message: 'no hotspot with IMEI 356938035649999, ICCID 89012608822956209999, phone number 8605550199',
      }),
      expect.objectContaining({ line: 6, field: 'lineStatus' }),
    ]);
    expect(await lines()).toEqual([
      { serial_number: 'HS1', line_status: 'active', monthly_cap_mb: 10240, monthly_used_mb: 1800, last_usage_at: null },
      { serial_number: 'HS2', line_status: 'suspended', monthly_cap_mb: 10240, monthly_used_mb: 0, last_usage_at: null },
      { serial_number: 'HS3', line_status: 'active', monthly_cap_mb: null, monthly_used_mb: 300, last_usage_at: null },
    ]);

    // A later export: usage grew on HS3, so it was used since the last file.
    const before = new Date();
    const later = await importFile(t, 'hotspot-usage', carrier, kajeet.replace('512,Unlimited,,300', '640,Unlimited,,450'), 'kajeet-2.csv');
    expect(later.counts).toMatchObject({ updated: 1, unchanged: 2, failed: 2 });
    const hs3 = (await lines())[2]!;
    expect(hs3['monthly_used_mb']).toBe(450);
    expect((hs3['last_usage_at'] as Date).getTime()).toBeGreaterThanOrEqual(before.getTime() - 1000);
  });

  it('reads the plain export with its own last usage time', async () => {
    const result = await importFile(t, 'hotspot-usage', carrier, await fixture('hotspot-usage-plain.csv'), 'usage.csv');
    expect(result.counts).toEqual({ rows: 2, created: 0, updated: 2, unchanged: 0, failed: 0, skipped: 0 });
    const [hs1, hs2] = await lines();
    expect(hs1).toMatchObject({ line_status: 'active', monthly_used_mb: 2600, last_usage_at: new Date('2020-10-06T18:20:00Z') });
    expect(hs2).toMatchObject({ line_status: 'deactivated', monthly_cap_mb: 0, monthly_used_mb: 0 });
  });
});
