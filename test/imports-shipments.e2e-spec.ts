import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { bearer, startTestApp, tokenFor, type TestApp } from './support/test-app.js';
import { count, createDistrict, importFile, uploadRefused } from './fixtures/imports/support.js';

let t: TestApp;
let district: string;
let tech: string;

const EL = 'Everybody Learns';

// Small batches, so that one manifest spans several batches applied side by side.
beforeAll(async () => {
  t = await startTestApp({ worker: true, env: { IMPORT_BATCH_ROWS: '100' } });
  district = await createDistrict(t, 'ship-a');
  tech = await tokenFor(t, 'tech', district);
  await t.db.query(
    `INSERT INTO devices (district_id, kind, serial_number, funding_source) VALUES
       ($1, 'chromebook', 'SN-1', $2), ($1, 'chromebook', 'SN-2', $2), ($1, 'chromebook', 'SN-9', $2)`,
    [district, EL],
  );
});
afterAll(async () => {
  await t?.close();
});

interface ShipmentView {
  id: string;
  fundingSource: string;
  shippedOn: string;
  reference: string | null;
  itemCount: number;
}

async function shipments(token: string): Promise<ShipmentView[]> {
  const res = await t
    .http()
    .get('/api/v1/shipments')
    .query({ limit: 100 })
    .set(...bearer(token))
    .expect(200);
  const key = (s: ShipmentView): string => s.reference ?? '';
  return (res.body.data as ShipmentView[]).sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

const shipmentAudits = (): Promise<number> =>
  count(t, `SELECT count(*) AS n FROM audit_events WHERE entity_type = 'shipment' AND district_id = $1`, [district]);

// A vendor's advance shipping notice: its own column names, columns we do not use, several deliveries.
const PACKING_LIST = [
  'PO Number,Serial Number,Program,Ship Date,Model,Pallet',
  `PO-7,SN-1,${EL},2020-09-14,HP Chromebook 11,P1`,
  `PO-7,SN-2,${EL},2020-09-14,HP Chromebook 11,P1`,
  `PO-7,SN-3,${EL},2020-09-14,HP Chromebook 11,P1`,
  `PO-7,SN-3,${EL},2020-09-14,HP Chromebook 11,P2`,
  'PO-8,HS-1,Kajeet Hotspots,2020-09-20,Kajeet SmartSpot,P3',
  `,SN-4,${EL},2020-09-15,HP Chromebook 11,P4`,
  `PO-7,,${EL},2020-09-14,HP Chromebook 11,P1`,
  `PO-7,SN-5,${EL},2020-09-31,HP Chromebook 11,P1`,
  'PO-7,SN-6,,2020-09-14,HP Chromebook 11,P1',
  `PO-7,SN-7,${EL},2020-09-16,HP Chromebook 11,P1`,
].join('\n');

describe('shipment-manifest import', () => {
  it('records one manifest per reference from a packing list, reporting bad rows by line and field', async () => {
    const result = await importFile(t, 'shipment-manifest', district, PACKING_LIST, 'asn.csv', tech);
    expect(result.status).toBe('completed');
    // SN-3 twice on PO-7: listed once, the repeat unchanged.
    expect(result.counts).toEqual({ rows: 10, created: 5, updated: 0, unchanged: 1, failed: 4, skipped: 0 });
    expect(result.stats).toEqual({ manifestsCreated: 3 });
    expect(result.ignoredColumns).toEqual(['Model', 'Pallet']);
    expect(result.warnings).toEqual([
      { part: null, column: 'Model', message: 'not used by this import' },
      { part: null, column: 'Pallet', message: 'unknown column, ignored' },
    ]);
    expect(result.errors.data.map((e) => [e.line, e.field])).toEqual([
      [8, 'serialNumber'],
      [9, 'shippedOn'],
      [10, 'fundingSource'],
      [11, 'reference'],
    ]);
    expect(result.errors.data[3]!.message).toBe(
      `manifest PO-7 is recorded for ${EL}, delivered 2020-09-14; this row gives ${EL}, 2020-09-16`,
    );

    expect(await shipments(tech)).toEqual([
      expect.objectContaining({ reference: 'PO-7', fundingSource: EL, shippedOn: '2020-09-14', itemCount: 3 }),
      expect.objectContaining({ reference: 'PO-8', fundingSource: 'Kajeet Hotspots', shippedOn: '2020-09-20', itemCount: 1 }),
      expect.objectContaining({ reference: `import:2020-09-15:${EL}`, fundingSource: EL, shippedOn: '2020-09-15', itemCount: 1 }),
    ]);
    const audits = (await t.db.query(`SELECT action, request_id FROM audit_events WHERE entity_type = 'shipment' AND district_id = $1`, [
      district,
    ])) as {
      action: string;
      request_id: string;
    }[];
    expect(audits).toEqual(Array.from({ length: 3 }, () => ({ action: 'create', request_id: `import:${result.id}` })));
  });

  it('shows in the rollout report: delivered serials reconciled against the devices registered', async () => {
    const admin = await tokenFor(t, 'district_admin', district);
    const res = await t
      .http()
      .get('/api/v1/reports/rollout')
      .query({ fundingSource: EL })
      .set(...bearer(admin))
      .expect(200);
    const [report] = res.body.districts;
    expect(report.totals).toMatchObject({ delivered: 4, registered: 3 });
    expect(report.reconciliation).toEqual({
      deliveredNotRegistered: { count: 2, serialNumbers: ['SN-3', 'SN-4'] },
      registeredNotOnManifest: { count: 1, serialNumbers: ['SN-9'] },
      deliveredUnderOtherFunding: { count: 0, serialNumbers: [] },
    });
  });

  it('changes nothing when the same file is imported again', async () => {
    const before = { manifests: await shipments(tech), audits: await shipmentAudits() };
    const again = await importFile(t, 'shipment-manifest', district, PACKING_LIST, 'asn.csv', tech);
    expect(again.counts).toEqual({ rows: 10, created: 0, updated: 0, unchanged: 6, failed: 4, skipped: 0 });
    expect(again.stats).toEqual({ manifestsCreated: 0 });
    expect(await shipments(tech)).toEqual(before.manifests);
    expect(await shipmentAudits()).toBe(before.audits);
  });

  it('adds a later file to the manifest its reference names, in our own field names', async () => {
    const later = [
      'serialNumber,fundingSource,shippedOn,reference',
      `SN-1,${EL},2020-09-14,PO-7`,
      `SN-8,${EL},2020-09-14T15:30:00Z,PO-7`,
      `SN-8,Other grant,2020-09-20,PO-8`,
      `${'X'.repeat(101)},${EL},2020-09-14,PO-7`,
      `SN-10,${EL},2020-09,PO-7`,
    ].join('\n');
    const result = await importFile(t, 'shipment-manifest', district, later, 'later.csv', tech);
    expect(result.counts).toEqual({ rows: 5, created: 1, updated: 0, unchanged: 1, failed: 3, skipped: 0 });
    expect(result.errors.data.map((e) => [e.line, e.field])).toEqual([
      [4, 'reference'],
      [5, 'serialNumber'],
      [6, 'shippedOn'],
    ]);
    const po7 = (await shipments(tech)).find((s) => s.reference === 'PO-7')!;
    const detail = await t
      .http()
      .get(`/api/v1/shipments/${po7.id}`)
      .set(...bearer(tech))
      .expect(200);
    expect(detail.body).toMatchObject({ itemCount: 4, serialNumbers: ['SN-1', 'SN-2', 'SN-3', 'SN-8'] });
    const audit = (await t.db.query(`SELECT action, after FROM audit_events WHERE entity_type = 'shipment' AND request_id = $1`, [
      `import:${result.id}`,
    ])) as {
      action: string;
      after: { itemCount: number; added: number };
    }[];
    expect(audit).toEqual([{ action: 'add_items', after: expect.objectContaining({ id: po7.id, itemCount: 4, added: 1 }) }]);
  });

  it('keeps a manifest whole across many batches, whatever order they commit in', async () => {
    const rows = Array.from({ length: 450 }, (_, i) => `BIG-${String(i % 400).padStart(3, '0')},${EL},2020-10-01,BIG-1`);
    const file = ['Serial,Funding Source,Shipped,Order', ...rows].join('\n');
    const first = await importFile(t, 'shipment-manifest', district, file, 'big.csv', tech);
    expect(first.counts).toEqual({ rows: 450, created: 400, updated: 0, unchanged: 50, failed: 0, skipped: 0 });
    expect(first.stats).toEqual({ manifestsCreated: 1 });
    const big = (await shipments(tech)).find((s) => s.reference === 'BIG-1')!;
    expect(big.itemCount).toBe(400);
    expect(await count(t, `SELECT count(*) AS n FROM shipment_items WHERE shipment_id = $1`, [big.id])).toBe(400);
    // Created by one batch, added to by the others.
    const audit = (await t.db.query(`SELECT action FROM audit_events WHERE entity_id = $1 ORDER BY id`, [big.id])) as { action: string }[];
    expect(audit[0]!.action).toBe('create');
    expect(audit.length).toBeGreaterThan(1);
    expect(new Set(audit.slice(1).map((a) => a.action))).toEqual(new Set(['add_items']));
    const again = await importFile(t, 'shipment-manifest', district, file, 'big.csv', tech);
    expect(again.counts).toEqual({ rows: 450, created: 0, updated: 0, unchanged: 450, failed: 0, skipped: 0 });
  });

  it('imports only into the caller district', async () => {
    const other = await createDistrict(t, 'ship-b');
    const outsider = await tokenFor(t, 'district_admin', other);
    const before = await count(t, `SELECT count(*) AS n FROM imports WHERE district_id = $1`, [district]);
    const res = await t
      .http()
      .post('/api/v1/imports')
      .set(...bearer(outsider))
      .field('kind', 'shipment-manifest')
      .field('districtId', district)
      .attach('file', Buffer.from(PACKING_LIST), 'asn.csv')
      .expect(404);
    expect(res.body.code).toBe('district_not_found');
    expect(await count(t, `SELECT count(*) AS n FROM imports WHERE district_id = $1`, [district])).toBe(before);
    // Its own import lands in its own district, whatever references the other district uses.
    const own = await importFile(t, 'shipment-manifest', other, PACKING_LIST, 'asn.csv', outsider);
    expect(own.counts).toMatchObject({ created: 5, failed: 4 });
    expect((await shipments(outsider)).map((s) => s.reference)).toEqual(['PO-7', 'PO-8', `import:2020-09-15:${EL}`]);
    const auditor = await tokenFor(t, 'auditor', district);
    await t
      .http()
      .post('/api/v1/imports')
      .set(...bearer(auditor))
      .field('kind', 'shipment-manifest')
      .attach('file', Buffer.from(PACKING_LIST), 'asn.csv')
      .expect(403);
  });

  it('refuses at upload a file whose header does not fit, naming the missing columns, before writing anything', async () => {
    const before = {
      shipments: await count(t, `SELECT count(*) AS n FROM shipments`),
      items: await count(t, `SELECT count(*) AS n FROM shipment_items`),
    };
    const imports = await count(t, `SELECT count(*) AS n FROM imports`);
    const problem = await uploadRefused(
      t,
      tech,
      'shipment-manifest',
      district,
      `Serial,Grant Name,Date\nNEW-1,${EL},2020-09-14\n`,
      'bad.csv',
    );
    expect(problem.detail).toMatch(/^The header does not match: missing fundingSource; missing shippedOn\. Nothing was imported\.$/);
    expect(problem.errors.map((e) => [e.line, e.field])).toEqual([
      [1, 'fundingSource'],
      [1, 'shippedOn'],
    ]);
    expect(problem.errors[0]!.message).toMatch(/^missing column \(accepted names: "fundingSource", "Funding Source"/);
    expect(await count(t, `SELECT count(*) AS n FROM imports`)).toBe(imports);
    expect(await count(t, `SELECT count(*) AS n FROM shipments`)).toBe(before.shipments);
    expect(await count(t, `SELECT count(*) AS n FROM shipment_items`)).toBe(before.items);
  });
});
