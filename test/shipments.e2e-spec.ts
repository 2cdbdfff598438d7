import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Seed } from './support/seed.js';
import { bearer, startTestApp, tokenFor, type TestApp } from './support/test-app.js';

let t: TestApp;
let seed: Seed;
let district: string;
let other: string;
let admin: string;

beforeAll(async () => {
  t = await startTestApp();
  seed = new Seed(t.db);
  district = await seed.district();
  other = await seed.district();
  admin = await tokenFor(t, 'district_admin', district);
});
afterAll(async () => {
  await t?.close();
});

async function count(sql: string, params: unknown[] = []): Promise<number> {
  const rows = (await t.db.query(sql, params)) as { n: number }[];
  return rows[0]!.n;
}

const manifest = (overrides: Record<string, unknown> = {}) => ({
  fundingSource: 'Everybody Learns',
  shippedOn: '2020-09-14',
  serialNumbers: ['SN-A', 'SN-B', 'SN-C'],
  ...overrides,
});

describe('POST /shipments', () => {
  it('records a manifest and its serial numbers, with an audit event', async () => {
    const res = await t
      .http()
      .post('/api/v1/shipments')
      .set(...bearer(admin))
      .send(manifest({ reference: 'PO-1' }))
      .expect(201);
    expect(res.body).toMatchObject({
      districtId: district,
      fundingSource: 'Everybody Learns',
      shippedOn: '2020-09-14',
      reference: 'PO-1',
      itemCount: 3,
    });
    const items = (await t.db.query(`SELECT district_id, serial_number FROM shipment_items WHERE shipment_id = $1 ORDER BY serial_number`, [
      res.body.id,
    ])) as {
      district_id: string;
      serial_number: string;
    }[];
    expect(items).toEqual(['SN-A', 'SN-B', 'SN-C'].map((serial_number) => ({ district_id: district, serial_number })));
    const audit = (await t.db.query(
      `SELECT action, district_id, after FROM audit_events WHERE entity_type = 'shipment' AND entity_id = $1`,
      [res.body.id],
    )) as {
      action: string;
      district_id: string;
      after: { itemCount: number };
    }[];
    expect(audit).toEqual([
      expect.objectContaining({ action: 'create', district_id: district, after: expect.objectContaining({ itemCount: 3 }) }),
    ]);

    const detail = await t
      .http()
      .get(`/api/v1/shipments/${res.body.id}`)
      .set(...bearer(admin))
      .expect(200);
    expect(detail.body).toEqual({ ...res.body, serialNumbers: ['SN-A', 'SN-B', 'SN-C'] });
  });

  it('rejects serial numbers repeated within the list, naming each index, and writes nothing', async () => {
    const before = await count(`SELECT count(*)::int AS n FROM shipments`);
    const res = await t
      .http()
      .post('/api/v1/shipments')
      .set(...bearer(admin))
      .send(manifest({ serialNumbers: ['X1', 'X2', 'X1', 'X3', 'X2'] }))
      .expect(400);
    expect(res.body.code).toBe('validation_failed');
    expect(res.body.errors).toEqual([
      { field: 'serialNumbers[2]', message: 'repeats serialNumbers[0] (X1)' },
      { field: 'serialNumbers[4]', message: 'repeats serialNumbers[1] (X2)' },
    ]);
    expect(await count(`SELECT count(*)::int AS n FROM shipments`)).toBe(before);
    expect(await count(`SELECT count(*)::int AS n FROM shipment_items WHERE serial_number IN ('X1','X2','X3')`)).toBe(0);
  });

  it('rejects bad fields and bad serial numbers', async () => {
    const blank = await t
      .http()
      .post('/api/v1/shipments')
      .set(...bearer(admin))
      .send(manifest({ serialNumbers: ['OK', ' ', 7] }))
      .expect(400);
    expect(blank.body.errors).toEqual([
      { field: 'serialNumbers[1]', message: 'must not be blank' },
      { field: 'serialNumbers[2]', message: 'must be a string' },
    ]);
    const empty = await t
      .http()
      .post('/api/v1/shipments')
      .set(...bearer(admin))
      .send(manifest({ serialNumbers: [] }))
      .expect(400);
    expect(empty.body.errors.map((e: { field: string }) => e.field)).toEqual(['serialNumbers']);
    const fields = await t
      .http()
      .post('/api/v1/shipments')
      .set(...bearer(admin))
      .send({ shippedOn: '2020-02-30', serialNumbers: 'SN', colour: 'red' })
      .expect(400);
    expect(new Set(fields.body.errors.map((e: { field: string }) => e.field))).toEqual(
      new Set(['fundingSource', 'shippedOn', 'serialNumbers', 'colour']),
    );
  });

  it('takes 50,000 serial numbers at once and refuses 50,001', async () => {
    const serials = Array.from({ length: 50_000 }, (_, i) => `BULK-${String(i).padStart(6, '0')}`);
    const res = await t
      .http()
      .post('/api/v1/shipments')
      .set(...bearer(admin))
      .send(manifest({ reference: 'BULK', serialNumbers: serials }))
      .expect(201);
    expect(res.body.itemCount).toBe(50_000);
    expect(await count(`SELECT count(*)::int AS n FROM shipment_items WHERE shipment_id = $1`, [res.body.id])).toBe(50_000);
    const tooMany = await t
      .http()
      .post('/api/v1/shipments')
      .set(...bearer(admin))
      .send(manifest({ serialNumbers: [...serials, 'ONE-MORE'] }))
      .expect(400);
    expect(tooMany.body.errors.map((e: { field: string }) => e.field)).toEqual(['serialNumbers']);
  });

  it('refuses a second manifest with the same reference in the district (409), but not in another district', async () => {
    const before = await count(`SELECT count(*)::int AS n FROM shipments`);
    const res = await t
      .http()
      .post('/api/v1/shipments')
      .set(...bearer(admin))
      .send(manifest({ reference: 'PO-1', serialNumbers: ['NEW-1'] }))
      .expect(409);
    expect(res.body.code).toBe('duplicate_shipment_reference');
    expect(res.body.errors).toEqual([{ field: 'reference', message: 'already used by another manifest in this district' }]);
    expect(await count(`SELECT count(*)::int AS n FROM shipments`)).toBe(before);
    expect(await count(`SELECT count(*)::int AS n FROM shipment_items WHERE serial_number = 'NEW-1'`)).toBe(0);
    await t
      .http()
      .post('/api/v1/shipments')
      .set(...bearer(t.adminToken))
      .send(manifest({ districtId: other, reference: 'PO-1' }))
      .expect(201);
  });

  it('scopes the district: a district token cannot name another, a state token must name an existing one', async () => {
    const elsewhere = await t
      .http()
      .post('/api/v1/shipments')
      .set(...bearer(admin))
      .send(manifest({ districtId: other }))
      .expect(404);
    expect(elsewhere.body.code).toBe('district_not_found');
    const unnamed = await t
      .http()
      .post('/api/v1/shipments')
      .set(...bearer(t.adminToken))
      .send(manifest())
      .expect(400);
    expect(unnamed.body.errors).toEqual([{ field: 'districtId', message: 'districtId is required for a state token' }]);
    const missing = await t
      .http()
      .post('/api/v1/shipments')
      .set(...bearer(t.adminToken))
      .send(manifest({ districtId: '00000000-0000-4000-8000-000000000000' }))
      .expect(422);
    expect(missing.body.code).toBe('district_not_found');
  });

  it('lets tech staff record deliveries; auditors and the help desk may not', async () => {
    await t
      .http()
      .post('/api/v1/shipments')
      .set(...bearer(await tokenFor(t, 'tech', district)))
      .send(manifest({ serialNumbers: ['TECH-1'] }))
      .expect(201);
    for (const role of ['auditor', 'helpdesk', 'attendance']) {
      const res = await t
        .http()
        .post('/api/v1/shipments')
        .set(...bearer(await tokenFor(t, role, district)))
        .send(manifest())
        .expect(403);
      expect(res.body.code).toBe('role_not_allowed');
    }
  });
});

describe('GET /shipments', () => {
  let reader: string;
  const ids: string[] = [];

  beforeAll(async () => {
    reader = await tokenFor(t, 'auditor', other);
    for (const [shippedOn, fundingSource] of [
      ['2020-10-01', 'Grant A'],
      ['2020-10-03', 'Grant B'],
      ['2020-10-02', 'Grant A'],
    ] as const) {
      const res = await t
        .http()
        .post('/api/v1/shipments')
        .set(...bearer(t.adminToken))
        .send(manifest({ districtId: other, shippedOn, fundingSource, serialNumbers: [`L-${shippedOn}`] }))
        .expect(201);
      ids.push(res.body.id as string);
    }
  });

  it('pages newest delivery first with a cursor, within the caller district', async () => {
    const first = await t
      .http()
      .get('/api/v1/shipments')
      .query({ limit: 2 })
      .set(...bearer(reader))
      .expect(200);
    expect(first.body.data.map((s: { shippedOn: string }) => s.shippedOn)).toEqual(['2020-10-03', '2020-10-02']);
    const second = await t
      .http()
      .get('/api/v1/shipments')
      .query({ limit: 2, cursor: first.body.nextCursor })
      .set(...bearer(reader))
      .expect(200);
    expect(second.body.data.map((s: { shippedOn: string }) => s.shippedOn)).toEqual(['2020-10-01', '2020-09-14']);
    expect(second.body.nextCursor).toBeNull();
    expect(new Set([...first.body.data, ...second.body.data].map((s: { districtId: string }) => s.districtId))).toEqual(new Set([other]));
  });

  it('filters by funding source, and refuses a forged cursor', async () => {
    const res = await t
      .http()
      .get('/api/v1/shipments')
      .query({ fundingSource: 'Grant A' })
      .set(...bearer(reader))
      .expect(200);
    expect(res.body.data.map((s: { id: string }) => s.id)).toEqual([ids[2], ids[0]]);
    const forged = Buffer.from(JSON.stringify(['not a date', 'x'])).toString('base64url');
    const bad = await t
      .http()
      .get('/api/v1/shipments')
      .query({ cursor: forged })
      .set(...bearer(reader))
      .expect(400);
    expect(bad.body.code).toBe('invalid_cursor');
  });

  it('answers 404 for a manifest of another district, and lets a state token see every district', async () => {
    const res = await t
      .http()
      .get(`/api/v1/shipments/${ids[0]}`)
      .set(...bearer(admin))
      .expect(404);
    expect(res.body.code).toBe('shipment_not_found');
    const all = await t
      .http()
      .get('/api/v1/shipments')
      .query({ limit: 500 })
      .set(...bearer(t.adminToken))
      .expect(200);
    expect(new Set(all.body.data.map((s: { districtId: string }) => s.districtId))).toEqual(new Set([district, other]));
    await t
      .http()
      .get('/api/v1/shipments')
      .set(...bearer(await tokenFor(t, 'helpdesk', other)))
      .expect(403);
  });
});
