import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { bearer, startTestApp, tokenFor, type TestApp } from './support/test-app.js';
import { count, createDistrict, createSchool, fixture, importFile } from './fixtures/imports/support.js';

/*
 * An asset system's export as districts send it (fixtures written for these tests): status labels of
 * the district's own, holders in "Checked Out To" columns, purchase and lifecycle columns.
 */

let t: TestApp;
let district: string;
let lhs: string;
const students: Record<string, string> = {};

const api = (method: 'get' | 'post' | 'put' | 'patch' | 'delete', path: string, token = t.adminToken) =>
  t
    .http()
    [method](`/api/v1${path}`)
    .set(...bearer(token));

interface DeviceState {
  asset_tag: string;
  status: string;
  condition: string;
  holder_unknown: boolean;
  holder: string | null;
}

async function devices(prefix: string): Promise<DeviceState[]> {
  return (await t.db.query(
    `SELECT d.asset_tag, d.status, d.condition, d.holder_unknown, s.sourced_id AS holder
     FROM devices d
     LEFT JOIN assignments a ON a.device_id = d.id AND a.ended_at IS NULL
     LEFT JOIN students s ON s.id = a.student_id
     WHERE d.district_id = $1 AND d.asset_tag LIKE $2 ORDER BY d.asset_tag`,
    [district, `${prefix}%`],
  )) as DeviceState[];
}

beforeAll(async () => {
  t = await startTestApp({ worker: true });
  district = await createDistrict(t, 'asset-a');
  await t.db.query(`UPDATE districts SET spare_pool_minimum = 5 WHERE id = $1`, [district]);
  lhs = await createSchool(t, district, 'LHS', 'Lincoln High School');
  const rows = (await t.db.query(
    `INSERT INTO students (district_id, school_id, sourced_id, identifier, given_name, family_name, email) VALUES
       ($1, $2, 'st-maya', '1001', 'Maya', 'Lopez', 'maya.lopez@students.example.org'),
       ($1, $2, 'st-sam1', '1002', 'Sam', 'Lee', 'sam.lee@students.example.org'),
       ($1, $2, 'st-sam2', '1003', 'Sam', 'Lee', 'sam.lee2@students.example.org'),
       ($1, $2, 'st-ana', '1004', 'Ana', 'Ruiz', 'ana.ruiz@students.example.org')
     RETURNING sourced_id, id`,
    [district, lhs],
  )) as { sourced_id: string; id: string }[];
  for (const r of rows) students[r.sourced_id] = r.id;
});
afterAll(async () => {
  await t?.close();
});

describe('status mappings', () => {
  it('lists the built-in labels, and lets an admin add, override, change and remove the district’s own', async () => {
    const list = await api('get', `/status-mappings?districtId=${district}`).expect(200);
    expect(list.body.data).toContainEqual({
      id: null,
      label: 'Out for Repair',
      labelKey: 'outforrepair',
      status: 'in_repair',
      condition: 'broken',
      source: 'built_in',
    });

    const added = await api('put', '/status-mappings')
      .send({ districtId: district, label: 'Waiting on Parts', status: 'in_stock', condition: 'damaged' })
      .expect(200);
    expect(added.body).toMatchObject({ label: 'Waiting on Parts', labelKey: 'waitingonparts', source: 'district' });
    const override = await api('post', '/status-mappings')
      .send({ districtId: district, label: 'Pending', status: 'in_stock', condition: null })
      .expect(201);
    await api('post', '/status-mappings').send({ districtId: district, label: 'pending', status: 'in_repair' }).expect(409);
    const changed = await api('patch', `/status-mappings/${override.body.id}`)
      .send({ status: 'in_repair', condition: 'damaged' })
      .expect(200);
    expect(changed.body).toMatchObject({ label: 'Pending', status: 'in_repair', condition: 'damaged', source: 'district' });

    const tech = await tokenFor(t, 'tech', district);
    await api('put', '/status-mappings', tech).send({ label: 'Gone', status: 'lost' }).expect(403);
    const seen = await api('get', '/status-mappings', tech).expect(200);
    expect(seen.body.data.filter((m: { labelKey: string }) => m.labelKey === 'pending')).toEqual([
      { id: override.body.id, label: 'Pending', labelKey: 'pending', status: 'in_repair', condition: 'damaged', source: 'district' },
    ]);

    const temporary = await api('put', '/status-mappings').send({ districtId: district, label: 'Broken', status: 'retired' }).expect(200);
    await api('delete', `/status-mappings/${temporary.body.id}`).expect(204);
    const stored = (await t.db.query(
      `SELECT label, label_key, status, condition FROM device_status_mappings WHERE district_id = $1 ORDER BY label_key`,
      [district],
    )) as Record<string, unknown>[];
    expect(stored).toEqual([
      { label: 'Pending', label_key: 'pending', status: 'in_repair', condition: 'damaged' },
      { label: 'Waiting on Parts', label_key: 'waitingonparts', status: 'in_stock', condition: 'damaged' },
    ]);
    expect(
      await count(t, `SELECT count(*) AS n FROM audit_events WHERE entity_type = 'status_mapping' AND district_id = $1`, [district]),
    ).toBe(5);
  });
});

describe('an asset export with custody, district labels and purchase data', () => {
  it('maps each label, assigns holders that name one student, and lists the others as suggestions', async () => {
    // Custody the file records answers tickets as the API's issue does: Maya gets a working Chromebook, Ana nothing.
    const open = (await t.db.query(
      `INSERT INTO tickets (district_id, student_id, type, source) VALUES ($1, $2, 'replacement', 'manual'), ($1, $3, 'replacement', 'manual')
       RETURNING id`,
      [district, students['st-maya'], students['st-ana']],
    )) as { id: string }[];
    const result = await importFile(t, 'devices', district, await fixture('asset-export-custody.csv'), 'assets.csv');
    const tickets = (await t.db.query(
      `SELECT t.status, t.resolution,
              (SELECT count(*)::int FROM ticket_events e WHERE e.ticket_id = t.id AND e.kind = 'status_changed') AS events,
              (SELECT count(*)::int FROM audit_events a WHERE a.entity_type = 'ticket' AND a.entity_id = t.id::text AND a.action = 'resolve') AS audits
       FROM tickets t WHERE t.id = ANY($1::uuid[]) ORDER BY t.student_id = $2 DESC`,
      [open.map((o) => o.id), students['st-maya']],
    )) as Record<string, unknown>[];
    expect(tickets).toEqual([
      { status: 'resolved', resolution: 'device_issued', events: 1, audits: 1 },
      { status: 'open', resolution: null, events: 0, audits: 0 },
    ]);
    expect(result.status).toBe('completed');
    expect(result.counts).toEqual({ rows: 11, created: 11, updated: 0, unchanged: 0, failed: 0, skipped: 0 });
    expect(result.stats).toEqual({ holdersAssigned: 2, holderSuggestions: 2 });

    expect(await devices('CB-10')).toEqual([
      { asset_tag: 'CB-1001', status: 'assigned', condition: 'working', holder_unknown: false, holder: 'st-maya' },
      { asset_tag: 'CB-1002', status: 'assigned', condition: 'working', holder_unknown: true, holder: null },
      { asset_tag: 'CB-1003', status: 'assigned', condition: 'working', holder_unknown: true, holder: null },
      { asset_tag: 'CB-1004', status: 'assigned', condition: 'working', holder_unknown: true, holder: null },
      { asset_tag: 'CB-1005', status: 'in_stock', condition: 'working', holder_unknown: false, holder: null },
      { asset_tag: 'CB-1006', status: 'in_stock', condition: 'broken', holder_unknown: false, holder: null },
      { asset_tag: 'CB-1007', status: 'in_repair', condition: 'broken', holder_unknown: false, holder: null },
      { asset_tag: 'CB-1008', status: 'lost', condition: 'working', holder_unknown: false, holder: null },
      { asset_tag: 'CB-1009', status: 'in_stock', condition: 'damaged', holder_unknown: false, holder: null },
      { asset_tag: 'CB-1010', status: 'in_repair', condition: 'damaged', holder_unknown: false, holder: null },
      { asset_tag: 'CB-1011', status: 'assigned', condition: 'working', holder_unknown: false, holder: 'st-sam1' },
    ]);

    const suggestions = await api('get', `/imports/${result.id}/suggestions`).expect(200);
    expect(
      suggestions.body.data.map((s: Record<string, unknown>) => [
        s['line'],
        s['assetTag'],
        s['basis'],
        s['holder'],
        s['candidates'],
        s['studentId'],
      ]),
    ).toEqual([
      [3, 'CB-1002', 'holder_ambiguous', 'Sam Lee', 2, null],
      [4, 'CB-1003', 'holder_unmatched', 'Pat Nobody / pnobody', 0, null],
    ]);

    const purchase = (await t.db.query(
      `SELECT asset_tag, to_char(purchase_date, 'YYYY-MM-DD') AS purchase_date, purchase_cost::text, order_number, supplier,
              to_char(warranty_end, 'YYYY-MM-DD') AS warranty_end, to_char(end_of_life, 'YYYY-MM-DD') AS end_of_life
       FROM devices WHERE district_id = $1 AND asset_tag IN ('CB-1001', 'CB-1005', 'CB-1006') ORDER BY asset_tag`,
      [district],
    )) as Record<string, unknown>[];
    expect(purchase).toEqual([
      {
        asset_tag: 'CB-1001',
        purchase_date: '2024-08-01',
        purchase_cost: '349.00',
        order_number: 'PO-7781',
        supplier: 'CDW-G',
        warranty_end: '2027-08-01',
        end_of_life: '2029-06-30',
      },
      {
        asset_tag: 'CB-1005',
        purchase_date: '2024-08-01',
        purchase_cost: '1049.50',
        order_number: 'PO-7790',
        supplier: 'SHI International',
        warranty_end: '2027-08-01',
        end_of_life: '2029-06-30',
      },
      {
        asset_tag: 'CB-1006',
        purchase_date: null,
        purchase_cost: null,
        order_number: null,
        supplier: null,
        warranty_end: null,
        end_of_life: null,
      },
    ]);
    // Custody from the file is audited as the API audits it.
    expect(
      await count(
        t,
        `SELECT count(*) AS n FROM audit_events WHERE district_id = $1 AND request_id = $2 AND
           ((entity_type = 'assignment' AND action = 'create') OR (entity_type = 'device' AND action = 'assign'))`,
        [district, `import:${result.id}`],
      ),
    ).toBe(4);

    const again = await importFile(t, 'devices', district, await fixture('asset-export-custody.csv'), 'assets.csv');
    expect(again.counts).toEqual({ rows: 11, created: 0, updated: 0, unchanged: 11, failed: 0, skipped: 0 });
    expect(again.stats).toEqual({ holdersAssigned: 0, holderSuggestions: 2 });
    expect(await count(t, `SELECT count(*) AS n FROM assignments WHERE district_id = $1`, [district])).toBe(2);
  });

  it('shows purchase data on the device, finds it by tag or serial in any case, and lets PATCH correct it', async () => {
    const byTag = await api('get', `/devices?districtId=${district}&assetTag=cb-1005`).expect(200);
    expect(byTag.body.data).toHaveLength(1);
    expect(byTag.body.data[0]).toMatchObject({
      assetTag: 'CB-1005',
      purchaseDate: '2024-08-01',
      purchaseCost: 1049.5,
      orderNumber: 'PO-7790',
      supplier: 'SHI International',
      warrantyEnd: '2027-08-01',
      endOfLife: '2029-06-30',
      holderUnknown: false,
    });
    const bySerial = await api('get', `/devices?districtId=${district}&serialNumber=5cd1004xyz`).expect(200);
    expect(bySerial.body.data.map((d: { assetTag: string; holderUnknown: boolean }) => [d.assetTag, d.holderUnknown])).toEqual([
      ['CB-1004', true],
    ]);

    const id = byTag.body.data[0].id as string;
    const patched = await api('patch', `/devices/${id}`)
      .send({ purchaseCost: 999.99, supplier: null, endOfLife: '2030-06-30' })
      .expect(200);
    expect(patched.body).toMatchObject({ purchaseCost: 999.99, supplier: null, endOfLife: '2030-06-30', orderNumber: 'PO-7790' });
    const stored = (await t.db.query(`SELECT purchase_cost::text AS cost, supplier, end_of_life::text AS eol FROM devices WHERE id = $1`, [
      id,
    ])) as Record<string, unknown>[];
    expect(stored).toEqual([{ cost: '999.99', supplier: null, eol: '2030-06-30' }]);
    await api('patch', `/devices/${id}`).send({ purchaseDate: '08/01/2024' }).expect(400);
  });

  it('never counts or lends a deployed device without a known holder as a spare', async () => {
    const pool = await api('get', `/spare-pool?districtId=${district}&schoolId=${lhs}`).expect(200);
    // In stock at LHS: CB-1005 (working), CB-1006 (broken), CB-1009 (damaged); CB-1002..1004 are deployed.
    expect(pool.body.data[0]).toMatchObject({ chromebooks: { inStock: 3, working: 1 } });

    const health = await api('get', `/reports/device-health?districtId=${district}`).expect(200);
    expect(health.body.districts[0].sparePoolBelowMinimum.items).toEqual([
      { schoolId: lhs, schoolName: 'Lincoln High School', spareChromebooks: 1, minimum: 5 },
    ]);

    const maya = (await devices('CB-1001'))[0]!;
    expect(maya.holder).toBe('st-maya');
    const cb1001 = (await api('get', `/devices?districtId=${district}&assetTag=CB-1001`).expect(200)).body.data[0].id as string;
    const intake = await api('post', `/devices/${cb1001}/repair-intake`).send({ problem: 'broken', issueLoaner: true }).expect(200);
    const loaner = (await api('get', `/devices/${intake.body.loanerAssignment.deviceId}`).expect(200)).body;
    expect(loaner).toMatchObject({ assetTag: 'CB-1005', status: 'loaner' });
  });

  it('assigns by asset tag (any case) and sourcedId or identifier, settling a deployed device whose holder was unknown', async () => {
    const byTag = await api('post', '/assignments')
      .send({ districtId: district, assetTag: 'cb-1004', studentSourcedId: 'st-ana' })
      .expect(201);
    expect(byTag.body).toMatchObject({ studentId: students['st-ana'], kind: 'primary', active: true });
    expect(await devices('CB-1004')).toEqual([
      { asset_tag: 'CB-1004', status: 'assigned', condition: 'working', holder_unknown: false, holder: 'st-ana' },
    ]);

    const byIdentifier = await api('post', '/assignments')
      .send({ districtId: district, assetTag: 'CB-1006', studentIdentifier: '1003' })
      .expect(201);
    expect(byIdentifier.body).toMatchObject({ studentId: students['st-sam2'] });

    const both = await api('post', '/assignments')
      .send({ districtId: district, assetTag: 'CB-1009', deviceId: byTag.body.deviceId, studentSourcedId: 'st-ana' })
      .expect(400);
    expect(both.body.errors).toEqual([{ field: 'deviceId', message: 'give exactly one of deviceId, assetTag for the device' }]);
    const unknown = await api('post', '/assignments')
      .send({ districtId: district, assetTag: 'CB-1009', studentSourcedId: 'st-nobody' })
      .expect(422);
    expect(unknown.body).toMatchObject({ code: 'student_not_found', errors: [{ field: 'studentSourcedId' }] });
    const noTag = await api('post', '/assignments')
      .send({ districtId: district, assetTag: 'CB-9999', studentSourcedId: 'st-ana' })
      .expect(422);
    expect(noTag.body).toMatchObject({ code: 'device_not_found', errors: [{ field: 'assetTag' }] });

    const bulk = await api('post', '/assignments/bulk')
      .send({ districtId: district, lines: [{ assetTag: 'cb-1003', studentSourcedId: 'st-sam1' }] })
      .expect(200);
    expect(bulk.body.results).toMatchObject([{ line: 1, assetTag: 'cb-1003', outcome: 'assigned' }]);
    expect((await devices('CB-1003'))[0]).toMatchObject({ status: 'assigned', holder_unknown: false, holder: 'st-sam1' });
  });

  it('puts a deployed device whose holder never turns up back in stock with PATCH status', async () => {
    const cb1002 = (await api('get', `/devices?districtId=${district}&assetTag=CB-1002`).expect(200)).body.data[0].id as string;
    await api('patch', `/devices/${cb1002}`).send({ status: 'in_stock' }).expect(200);
    expect(await devices('CB-1002')).toEqual([
      { asset_tag: 'CB-1002', status: 'in_stock', condition: 'working', holder_unknown: false, holder: null },
    ]);
  });
});

describe('serial numbers in another case', () => {
  it('update the device recorded in any case instead of creating another', async () => {
    const file = 'Asset Tag,Serial,Category,Purchase Cost\nCB-1005,5cd1005xyz,Chromebooks,500\n';
    const result = await importFile(t, 'devices', district, file, 'case.csv');
    expect(result.counts).toEqual({ rows: 1, created: 0, updated: 1, unchanged: 0, failed: 0, skipped: 0 });
    const stored = (await t.db.query(
      `SELECT serial_number, purchase_cost::text AS cost FROM devices WHERE district_id = $1 AND lower(serial_number) = '5cd1005xyz'`,
      [district],
    )) as Record<string, unknown>[];
    expect(stored).toEqual([{ serial_number: '5CD1005XYZ', cost: '500.00' }]);
  });
});

describe('unmapped status labels', () => {
  it('refuse the file once per label, with its row count, first lines and how to map it, writing nothing', async () => {
    const refused = await importFile(t, 'devices', district, await fixture('asset-export-unmapped.csv'), 'unmapped.csv');
    expect(refused.status).toBe('failed');
    expect(refused.counts.created).toBe(0);
    expect(refused.errors.data).toHaveLength(2);
    expect(refused.errors.data.map((e) => [e.line, e.field])).toEqual([
      [3, 'status'],
      [4, 'status'],
    ]);
    expect(refused.errors.data[0]!.message).toContain('status "On Loan to Partner" is not mapped');
    expect(refused.errors.data[0]!.message).toContain('3 row(s), first on line(s) 3, 5, 6');
    expect(refused.errors.data[0]!.message).toContain('PUT /api/v1/status-mappings {"label": "On Loan to Partner"');
    expect(refused.errors.data[1]!.message).toContain('status "Smoldering" is not mapped to a Reconnect status (1 row(s)');
    expect(refused.errorSummary).toContain('Nothing was imported.');
    expect(await count(t, `SELECT count(*) AS n FROM devices WHERE district_id = $1 AND asset_tag LIKE 'CB-20%'`, [district])).toBe(0);

    await api('put', '/status-mappings').send({ districtId: district, label: 'On Loan to Partner', status: 'assigned' }).expect(200);
    await api('put', '/status-mappings')
      .send({ districtId: district, label: 'Smoldering', status: 'retired', condition: 'broken' })
      .expect(200);
    const mapped = await importFile(t, 'devices', district, await fixture('asset-export-unmapped.csv'), 'unmapped.csv');
    expect(mapped.status).toBe('completed');
    expect(mapped.counts).toMatchObject({ created: 6, failed: 0 });
    expect((await devices('CB-20')).map((d) => [d.asset_tag, d.status, d.condition, d.holder_unknown])).toEqual([
      ['CB-2001', 'in_stock', 'working', false],
      ['CB-2002', 'assigned', 'working', true],
      ['CB-2003', 'retired', 'broken', false],
      ['CB-2004', 'assigned', 'working', true],
      ['CB-2005', 'assigned', 'working', true],
      ['CB-2006', 'in_stock', 'broken', false],
    ]);

    // Whatever moves a device off assigned settles its unknown holder: the API's workflows and any other writer.
    const cb2002 = (await api('get', `/devices?districtId=${district}&assetTag=CB-2002`).expect(200)).body.data[0].id as string;
    await api('post', `/devices/${cb2002}/report-loss`).send({ kind: 'stolen' }).expect(200);
    await t.db.query(`UPDATE devices SET status = 'retired', retired_at = now() WHERE district_id = $1 AND asset_tag = 'CB-2004'`, [
      district,
    ]);
    expect(
      (await devices('CB-200'))
        .filter((d) => ['CB-2002', 'CB-2004'].includes(d.asset_tag))
        .map((d) => [d.asset_tag, d.status, d.holder_unknown]),
    ).toEqual([
      ['CB-2002', 'stolen', false],
      ['CB-2004', 'retired', false],
    ]);
  });
});

describe('report CSVs', () => {
  it('carry district and school names and codes next to their ids', async () => {
    const res = await api('get', `/reports/device-health?districtId=${district}&format=csv`).expect(200);
    const lines = res.text.trim().split('\r\n');
    expect(lines[0]!.startsWith('districtId,districtName,districtCode,category,deviceId,kitId,schoolId,schoolName,schoolCode,')).toBe(true);
    const spare = lines.find((l) => l.includes('sparePoolBelowMinimum'))!;
    expect(spare.startsWith(`${district},asset-a,asset-a,sparePoolBelowMinimum,,,${lhs},Lincoln High School,LHS,`)).toBe(true);
  });
});
