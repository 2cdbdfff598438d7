import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { bearer, startTestApp, tokenFor, type TestApp } from './support/test-app.js';
import { createDistrict, importFile } from './fixtures/imports/support.js';

/*
 * Carrier usage exports, written for these tests in the shapes carriers' portals use: recognised from
 * their headers with the units their columns name, refused when no usage column is read, and read
 * through a district's own mapping once it has saved one.
 */

let t: TestApp;
let importDir: string;

beforeAll(async () => {
  importDir = await mkdtemp(join(tmpdir(), 'rct-carriers-'));
  t = await startTestApp({ worker: true, env: { IMPORT_DIR: importDir } });
});
afterAll(async () => {
  await t?.close();
  await rm(importDir, { recursive: true, force: true });
});

const T_MOBILE = [
  'Account,Phone Number,IMEI,SIM,Status,Plan,Data Used (GB),Last Usage Date,Cost Center',
  '9901,(860) 555-0201,356938035643801,89012608822956200001,Active,SchoolConnect 10GB,2.5,2020-10-05,HS',
  '9901,(860) 555-0202,356938035643802,89012608822956200002,Suspended,SchoolConnect 10GB,0.75,10/01/2020,HS',
].join('\r\n');

const VERIZON = [
  'Wireless Number,Device ID,SIM ID,Line Status,Data Plan Cap,Usage (KB),Last Activity Date',
  '860-555-0203,356938035643803,89148000000000000003,Active,5 GB,1048576,10/05/2020 14:30',
  '860-555-0204,356938035643804,89148000000000000004,Deactivated,Unlimited,512,',
].join('\n');

const OWN_PORTAL = [
  'Handset,Line,State,GB this cycle',
  '356938035643801,8605550201,active,3',
  '356938035643803,8605550203,suspended,1.5',
].join('\n');

describe('carrier usage exports', () => {
  let district: string;
  let admin: string;
  const lines = async (): Promise<Record<string, unknown>[]> =>
    (await t.db.query(
      `SELECT serial_number, line_status, monthly_cap_mb, monthly_used_mb, last_usage_at FROM devices WHERE district_id = $1 ORDER BY serial_number`,
      [district],
    )) as Record<string, unknown>[];

  beforeAll(async () => {
    district = await createDistrict(t, 'car-a');
    admin = await tokenFor(t, 'district_admin', district);
    await t.db.query(
      `INSERT INTO devices (district_id, kind, serial_number, imei, iccid, phone_number) VALUES
         ($1, 'hotspot', 'HS-1', '356938035643801', '89012608822956200001', '8605550201'),
         ($1, 'hotspot', 'HS-2', '356938035643802', '89012608822956200002', '8605550202'),
         ($1, 'hotspot', 'HS-3', '356938035643803', '89148000000000000003', '8605550203'),
         ($1, 'hotspot', 'HS-4', NULL, NULL, '8605550204')`,
      [district],
    );
  });

  it('recognises a T-Mobile-like export: GB converted, the cap read from the plan, US dates', async () => {
    const result = await importFile(t, 'hotspot-usage', district, T_MOBILE, 'tmobile.csv', admin);
    expect(result).toMatchObject({ status: 'completed', counts: { rows: 2, updated: 2, failed: 0 } });
    expect(result.ignoredColumns).toEqual(['Account', 'Cost Center']);
    const [hs1, hs2] = await lines();
    expect(hs1).toEqual({
      serial_number: 'HS-1',
      line_status: 'active',
      monthly_cap_mb: 10240,
      monthly_used_mb: 2560,
      last_usage_at: new Date('2020-10-05T00:00:00Z'),
    });
    expect(hs2).toEqual({
      serial_number: 'HS-2',
      line_status: 'suspended',
      monthly_cap_mb: 10240,
      monthly_used_mb: 768,
      last_usage_at: new Date('2020-10-01T00:00:00Z'),
    });
  });

  it('recognises a Verizon-like export: KB converted, the cap column in GB, matched on the wireless number', async () => {
    const result = await importFile(t, 'hotspot-usage', district, VERIZON, 'verizon.csv', admin);
    expect(result).toMatchObject({ status: 'completed', counts: { rows: 2, updated: 2, failed: 0 }, ignoredColumns: [] });
    const [, , hs3, hs4] = await lines();
    expect(hs3).toEqual({
      serial_number: 'HS-3',
      line_status: 'active',
      monthly_cap_mb: 5120,
      monthly_used_mb: 1024,
      last_usage_at: new Date('2020-10-05T14:30:00Z'),
    });
    // Unlimited: no cap recorded; 512 KB is half a megabyte, rounded to one.
    expect(hs4).toMatchObject({ serial_number: 'HS-4', line_status: 'deactivated', monthly_cap_mb: null, monthly_used_mb: 1 });
  });

  it('refuses an export whose usage columns it cannot read, then reads it through the mapping the district saves', async () => {
    const before = await lines();
    const res = await t
      .http()
      .post('/api/v1/imports')
      .set(...bearer(admin))
      .field('kind', 'hotspot-usage')
      .attach('file', Buffer.from(OWN_PORTAL), 'portal.csv');
    // Refused as a whole when it arrives, never "completed" with nothing read.
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('import_file_refused');
    expect(JSON.stringify(res.body)).toMatch(/usedMb/);
    expect(await lines()).toEqual(before);

    // A mapping naming a field the kind does not have, or one header twice, is refused by field.
    const bad = await t
      .http()
      .post('/api/v1/import-mappings')
      .set(...bearer(admin))
      .send({ kind: 'hotspot-usage', name: 'Bad', columns: { handset: 'Handset', imei: 'Line', phoneNumber: 'line' } })
      .expect(400);
    expect((bad.body.errors as { field: string }[]).map((e) => e.field)).toEqual(['columns.handset', 'columns.phoneNumber']);

    const created = await t
      .http()
      .post('/api/v1/import-mappings')
      .set(...bearer(admin))
      .send({
        kind: 'hotspot-usage',
        name: 'District portal',
        columns: { imei: 'Handset', phoneNumber: 'Line', lineStatus: 'State', usedGb: 'GB this cycle' },
      })
      .expect(201);
    expect(created.body).toMatchObject({
      districtId: district,
      kind: 'hotspot-usage',
      name: 'District portal',
      columns: { usedGb: 'GB this cycle' },
    });
    const taken = await t
      .http()
      .post('/api/v1/import-mappings')
      .set(...bearer(admin))
      .send({ kind: 'hotspot-usage', name: 'District portal', columns: { imei: 'Handset' } })
      .expect(409);
    expect(taken.body.code).toBe('import_mapping_name_taken');
    const stored = (await t.db.query(`SELECT district_id, kind, name, columns FROM import_mappings WHERE id = $1`, [
      created.body.id,
    ])) as unknown[];
    expect(stored).toEqual([
      {
        district_id: district,
        kind: 'hotspot-usage',
        name: 'District portal',
        columns: { imei: 'Handset', phoneNumber: 'Line', lineStatus: 'State', usedGb: 'GB this cycle' },
      },
    ]);
    expect(
      (await t.db.query(
        `SELECT count(*)::int AS n FROM audit_events WHERE entity_type = 'import_mapping' AND entity_id = $1 AND action = 'create'`,
        [created.body.id],
      )) as unknown[],
    ).toEqual([{ n: 1 }]);

    const mapped = await importFile(t, 'hotspot-usage', district, OWN_PORTAL, 'portal.csv', admin);
    expect(mapped).toMatchObject({ status: 'completed', counts: { rows: 2, updated: 2, failed: 0 }, ignoredColumns: [] });
    const [hs1, , hs3] = await lines();
    expect(hs1).toMatchObject({ serial_number: 'HS-1', line_status: 'active', monthly_used_mb: 3072 });
    expect(hs3).toMatchObject({ serial_number: 'HS-3', line_status: 'suspended', monthly_used_mb: 1536 });

    // Another district's files are not read through it, nor can it see or delete it.
    const other = await createDistrict(t, 'car-b');
    const otherAdmin = await tokenFor(t, 'district_admin', other);
    const list = await t
      .http()
      .get('/api/v1/import-mappings')
      .set(...bearer(otherAdmin))
      .expect(200);
    expect(list.body.data).toEqual([]);
    await t
      .http()
      .delete(`/api/v1/import-mappings/${created.body.id}`)
      .set(...bearer(otherAdmin))
      .expect(404);
    await t
      .http()
      .delete(`/api/v1/import-mappings/${created.body.id}`)
      .set(...bearer(admin))
      .expect(204);
    expect((await t.db.query(`SELECT count(*)::int AS n FROM import_mappings WHERE district_id = $1`, [district])) as unknown[]).toEqual([
      { n: 0 },
    ]);
  });
});
