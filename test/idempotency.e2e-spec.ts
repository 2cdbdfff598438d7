import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Test } from 'supertest';
import type { Response } from 'supertest';
import { bearer, startTestApp, type TestApp, tokenFor } from './support/test-app.js';

let t: TestApp;
let district: string;
let admin: string;
let tech: string;
let student: string;
let template: string;
let otherTemplate: string;
let outreachTicket: string;

beforeAll(async () => {
  t = await startTestApp();
  district = (
    await t
      .http()
      .post('/api/v1/districts')
      .set(...bearer(t.adminToken))
      .send({ name: 'Retries', code: 'IDEM' })
      .expect(201)
  ).body.id;
  admin = await tokenFor(t, 'district_admin', district);
  tech = await tokenFor(t, 'tech', district);
  const school = await t
    .http()
    .post('/api/v1/schools')
    .set(...bearer(tech))
    .send({ name: 'School', code: 'S-1' })
    .expect(201);
  student = (
    await t
      .http()
      .post('/api/v1/students')
      .set(...bearer(tech))
      .send({ schoolId: school.body.id, sourcedId: 'stu-1', givenName: 'Retry', familyName: 'Student' })
      .expect(201)
  ).body.id;
  template = (
    await t
      .http()
      .post('/api/v1/kit-templates')
      .set(...bearer(tech))
      .send({ name: 'Home kit', items: [{ item: 'charger', quantity: 1 }] })
      .expect(201)
  ).body.id;
  otherTemplate = (
    await t
      .http()
      .post('/api/v1/kit-templates')
      .set(...bearer(tech))
      .send({ name: 'Loaner kit', items: [{ item: 'hotspot', quantity: 1 }] })
      .expect(201)
  ).body.id;
  outreachTicket = (
    await t
      .http()
      .post('/api/v1/tickets')
      .set(...bearer(admin))
      .send({ type: 'outreach', studentId: student })
      .expect(201)
  ).body.id;
});
afterAll(async () => {
  await t?.close();
});

async function count(table: string): Promise<number> {
  const rows = (await t.db.query(`SELECT count(*)::int AS n FROM ${table}`)) as { n: number }[];
  return rows[0]!.n;
}

/** A POST case: how to send it with a key and a body variant, and the table whose rows it creates. */
interface Case {
  name: string;
  table: string;
  status: number;
  send: (key: string, variant: number) => Test;
}

/** A small number per key, so that requests under different keys differ (e.g. another scan day) and never collide. */
const keyNumbers = new Map<string, number>();
const numberOf = (key: string): number => keyNumbers.get(key) ?? keyNumbers.set(key, keyNumbers.size + 1).get(key)!;

const json = (path: () => string, secret: () => string, body: (variant: number, n: number) => object) => (key: string, variant: number) =>
  t
    .http()
    .post(path())
    .set(...bearer(secret()))
    .set('Idempotency-Key', key)
    .send(body(variant, numberOf(key)));

const CASES: Case[] = [
  {
    name: 'outreach attempts',
    table: 'outreach_attempts',
    status: 201,
    send: json(
      () => `/api/v1/tickets/${outreachTicket}/outreach-attempts`,
      () => admin,
      (v) => ({ channel: 'call', outcome: 'no_answer', note: `try ${v}` }),
    ),
  },
  {
    name: 'kits',
    table: 'kits',
    status: 201,
    // Kits of one template for one student may repeat (a second charger); the key is what tells a retry apart.
    send: json(
      () => '/api/v1/kits',
      () => tech,
      (v) => ({ studentId: student, templateId: v === 1 ? template : otherTemplate }),
    ),
  },
  {
    name: 'tokens',
    table: 'api_tokens',
    status: 201,
    send: json(
      () => '/api/v1/tokens',
      () => admin,
      (v) => ({ name: `integration ${v}`, role: 'auditor' }),
    ),
  },
  {
    name: 'gap scans',
    table: 'gap_scans',
    status: 202,
    send: json(
      () => '/api/v1/gap-scans',
      () => admin,
      (v, n) => ({ asOf: `2020-10-${String(n).padStart(2, '0')}`, districtId: v === 1 ? district : undefined }),
    ),
  },
  {
    name: 'shipments without a reference',
    table: 'shipments',
    status: 201,
    send: json(
      () => '/api/v1/shipments',
      () => admin,
      (v, n) => ({ fundingSource: 'Everybody Learns', shippedOn: '2020-09-14', serialNumbers: [`SN-${n}-${v}`] }),
    ),
  },
  {
    name: 'imports',
    table: 'imports',
    status: 202,
    send: (key, variant) =>
      t
        .http()
        .post('/api/v1/imports')
        .set(...bearer(admin))
        .set('Idempotency-Key', key)
        .field('kind', 'devices')
        .attach('file', Buffer.from(`serialNumber,kind\nIMP-${numberOf(key)}-${variant},chromebook\n`), 'devices.csv'),
  },
];

/** Waits until the first request has claimed its key (it then holds it while its work is blocked). */
async function untilClaimed(key: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const rows = (await t.db.query(`SELECT 1 FROM idempotency_keys WHERE key = $1 AND state = 'running'`, [key])) as unknown[];
    if (rows.length) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`key ${key} was never claimed`);
}

describe.each(CASES)('Idempotency-Key on POST: $name', ({ table, status, send }) => {
  it('answers a retry with the first answer and creates one record', async () => {
    const before = await count(table);
    const first = await send(`${table}-same`, 1).expect(status);
    const retry = await send(`${table}-same`, 1).expect(status);
    expect(await count(table)).toBe(before + 1);
    const { secret: _secret, ...stored } = first.body as Record<string, unknown>;
    expect(retry.body).toEqual(table === 'api_tokens' ? stored : first.body);
    expect(retry.headers['idempotency-replayed']).toBe('true');
    expect(first.headers['idempotency-replayed']).toBeUndefined();
    // A created record's ETag (kits answer one) is replayed with it.
    if (table === 'kits') expect(first.headers['etag']).toMatch(/^"\d+"$/);
    expect(retry.headers['etag']).toBe(first.headers['etag']);
  });

  it('refuses the same key with another body (422) and creates nothing', async () => {
    await send(`${table}-other`, 1).expect(status);
    const before = await count(table);
    const reused = await send(`${table}-other`, 2).expect(422);
    expect(reused.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(reused.body.code).toBe('idempotency_key_reused');
    expect(await count(table)).toBe(before);
  });

  it('answers 409 to a retry while the first is still running, and the first still completes once', async () => {
    const before = await count(table);
    // Every change writes its audit row last, in its own transaction: holding audit_events keeps the first request running.
    const blocker = t.db.createQueryRunner();
    await blocker.connect();
    await blocker.startTransaction();
    let first: Promise<Response>;
    try {
      await blocker.query('LOCK TABLE audit_events IN EXCLUSIVE MODE');
      first = send(`${table}-busy`, 1).then((res) => res);
      await untilClaimed(`${table}-busy`);
      const concurrent = await send(`${table}-busy`, 1).expect(409);
      expect(concurrent.body.code).toBe('idempotency_key_in_use');
    } finally {
      await blocker.commitTransaction();
      await blocker.release();
    }
    expect((await first).status).toBe(status);
    expect(await count(table)).toBe(before + 1);
  });
});

describe('Idempotency-Key rules', () => {
  const scan = (key: string, body: object = { asOf: '2020-11-02' }) =>
    t
      .http()
      .post('/api/v1/gap-scans')
      .set(...bearer(admin))
      .set('Idempotency-Key', key)
      .send(body);

  it("treats a quoted key (the draft's structured-field string) as the bare key, and the JSON key order as irrelevant", async () => {
    const first = await scan('"order-1"', { districtId: district, asOf: '2020-11-03' }).expect(202);
    const retry = await scan('order-1', { asOf: '2020-11-03', districtId: district }).expect(202);
    expect(retry.body).toEqual(first.body);
  });

  it('refuses a key that is empty, too long or not visible ASCII (400)', async () => {
    for (const key of ['""', 'x'.repeat(256), 'é']) {
      const res = await scan(key).expect(400);
      expect(res.body.code).toBe('invalid_idempotency_key');
    }
  });

  it('keeps keys per caller: another token may use the same key for its own request', async () => {
    await scan('shared-key').expect(202);
    const other = await t
      .http()
      .post('/api/v1/gap-scans')
      .set(...bearer(tech))
      .set('Idempotency-Key', 'shared-key')
      .send({ asOf: '2020-11-05' })
      .expect(202);
    expect(other.headers['idempotency-replayed']).toBeUndefined();
  });

  it('does not keep a failed first attempt: the retry runs again', async () => {
    const bad = await scan('fails-first', { asOf: '2020-11-06', districtId: 'not-a-uuid' }).expect(400);
    expect(bad.body.code).toBe('validation_failed');
    const again = await scan('fails-first', { asOf: '2020-11-06', districtId: 'not-a-uuid' }).expect(400);
    expect(again.headers['idempotency-replayed']).toBeUndefined();
  });

  it('keeps a key 24 hours, and the hourly cleanup forgets expired ones', async () => {
    await scan('expiring').expect(202);
    const [row] = (await t.db.query(
      `SELECT extract(epoch FROM expires_at - created_at)::int AS seconds FROM idempotency_keys WHERE key = 'expiring'`,
    )) as { seconds: number }[];
    expect(row!.seconds).toBe(24 * 3600);
    await t.db.query(`UPDATE idempotency_keys SET expires_at = now() - interval '1 second' WHERE key = 'expiring'`);
    const { IdempotencyCleanupProcessor } = await import('../src/idempotency/idempotency-cleanup.processor.js');
    const result = await t.app.get(IdempotencyCleanupProcessor).handle();
    expect(result.keysDeleted).toBe(1);
    // Forgotten: the same key may now start a new request.
    const fresh = await scan('expiring', { asOf: '2020-11-07' }).expect(202);
    expect(fresh.headers['idempotency-replayed']).toBeUndefined();
  });
});

describe('OpenAPI document', () => {
  it('documents Idempotency-Key on every POST (but those marked safe to repeat, which ignore it) and If-Match on every PATCH', async () => {
    const res = await t.http().get('/api/docs-json').expect(200);
    const missing: string[] = [];
    const safe: string[] = [];
    for (const [path, item] of Object.entries(
      res.body.paths as Record<string, Record<string, { parameters?: { name: string }[]; 'x-safe-to-repeat'?: boolean }>>,
    )) {
      if (item['post']?.['x-safe-to-repeat']) safe.push(path);
      for (const [method, header] of [
        ['post', 'Idempotency-Key'],
        ['patch', 'If-Match'],
      ] as const) {
        const op = item[method];
        if (op && !op['x-safe-to-repeat'] && !op.parameters?.some((p) => p.name === header)) missing.push(`${method} ${path}`);
      }
    }
    expect(missing).toEqual([]);
    expect(safe).toEqual(['/api/v1/labels']);
  });
});
