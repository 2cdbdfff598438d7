import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { Writable } from 'node:stream';
import { TokensService } from '../src/auth/tokens.service.js';
import { createLogger, logger } from '../src/common/logging/logger.js';
import { Seed } from './support/seed.js';
import { bearer, startTestApp, type TestApp, tokenFor } from './support/test-app.js';

let t: TestApp;
let districtId: string;
let schoolId: string;
let tech: string;

beforeAll(async () => {
  t = await startTestApp();
  const seed = new Seed(t.db);
  districtId = await seed.district();
  schoolId = await seed.school(districtId);
  tech = await tokenFor(t, 'tech', districtId);
});

afterAll(async () => {
  await t.close();
});

/** Every line the application logs at warn or above while `work` runs, as the JSON pino writes. */
async function captureLogs(work: () => Promise<unknown>): Promise<string> {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString('utf8'));
      done();
    },
  });
  const capture = createLogger(sink);
  capture.level = 'warn';
  const spies = (['fatal', 'error', 'warn'] as const).map((level) =>
    jest.spyOn(logger, level).mockImplementation((...args: unknown[]) => (capture[level] as (...a: unknown[]) => void)(...args)),
  );
  try {
    await work();
  } finally {
    spies.forEach((spy) => spy.mockRestore());
  }
  return lines.join('');
}

const student = (values: Record<string, unknown>) => ({
  schoolId,
  sourcedId: `or-${Math.random().toString(36).slice(2, 8)}`,
  givenName: 'Ann',
  familyName: 'Example',
  grade: '07',
  email: 'ann.example@students.example.org',
  ...values,
});

async function studentCount(): Promise<number> {
  const rows = (await t.db.query(`SELECT count(*)::int AS n FROM students WHERE district_id = $1`, [districtId])) as { n: number }[];
  return rows[0]!.n;
}

describe('bad input is a 4xx, logged without student data, and writes nothing', () => {
  it('refuses a NUL character in a body field with 400 naming the field, and no log line carries the name or email', async () => {
    const before = await studentCount();
    let status = 0;
    let body: Record<string, unknown> = {};
    const logs = await captureLogs(async () => {
      const res = await t
        .http()
        .post('/api/v1/students')
        .set(...bearer(tech))
        .send(student({ givenName: 'Ann\u0000e' }));
      status = res.status;
      body = res.body as Record<string, unknown>;
    });
    expect(status).toBe(400);
    expect(body).toMatchObject({ code: 'validation_failed', errors: [{ field: 'givenName', message: 'contains a NUL character' }] });
    expect(logs).not.toMatch(/Ann|ann\.example|INSERT/);
    expect(await studentCount()).toBe(before);
  });

  it('refuses a NUL character in the query string', async () => {
    const res = await t
      .http()
      .get('/api/v1/students?q=Ann%00e')
      .set(...bearer(tech))
      .expect(400);
    expect(res.body.errors).toEqual([{ field: 'q', message: 'contains a NUL character' }]);
  });

  it('refuses JSON nested 10,000 deep with 400, and 1,000,000 deep quickly', async () => {
    const deep = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`;
    const res = await t
      .http()
      .post('/api/v1/students')
      .set(...bearer(tech))
      .set('Content-Type', 'application/json')
      .send(deep(10_000))
      .expect(400);
    expect(res.body.code).toBe('json_too_deep');
    const started = Date.now();
    await t
      .http()
      .post('/api/v1/students')
      .set(...bearer(tech))
      .set('Content-Type', 'application/json')
      .send(deep(1_000_000))
      .expect(400);
    expect(Date.now() - started).toBeLessThan(5000);
    // Depth counts brackets outside strings only: text full of brackets is just text.
    await t
      .http()
      .post('/api/v1/students')
      .set(...bearer(tech))
      .send(student({ familyName: '['.repeat(50) }))
      .expect(201);
  });

  it('answers a form-urlencoded or text body on a JSON route with 415 and creates nothing', async () => {
    const before = await studentCount();
    const form = new URLSearchParams({ schoolId, sourcedId: 'or-form', givenName: 'Form', familyName: 'Body' }).toString();
    const res = await t
      .http()
      .post('/api/v1/students')
      .set(...bearer(tech))
      .set('Content-Type', 'application/x-www-form-urlencoded')
      .send(form);
    expect(res.status).toBe(415);
    expect(res.body.code).toBe('unsupported_content_type');
    await t
      .http()
      .post('/api/v1/students')
      .set(...bearer(tech))
      .set('Content-Type', 'text/plain')
      .send('{}')
      .expect(415);
    expect(await studentCount()).toBe(before);
  });

  it('rejects __proto__ and constructor keys as unknown fields', async () => {
    const before = await studentCount();
    const body = `{"schoolId":"${schoolId}","sourcedId":"or-proto","givenName":"P","familyName":"Q","__proto__":{"isAdmin":true}}`;
    const res = await t
      .http()
      .post('/api/v1/students')
      .set(...bearer(tech))
      .set('Content-Type', 'application/json')
      .send(body)
      .expect(400);
    expect(res.body.errors).toEqual([{ field: '__proto__', message: 'unknown field' }]);
    const nested = await t
      .http()
      .post('/api/v1/students')
      .set(...bearer(tech))
      .send({ ...student({}), extra: { constructor: 1 } })
      .expect(400);
    expect(nested.body.errors).toContainEqual({ field: 'extra.constructor', message: 'unknown field' });
    expect(await studentCount()).toBe(before);
  });

  it('reads limit strictly: 1e2, 0x10 and " 5" are refused', async () => {
    for (const limit of ['1e2', '0x10', '%205', '5.0']) {
      const res = await t
        .http()
        .get(`/api/v1/students?limit=${limit}`)
        .set(...bearer(tech));
      expect(res.status).toBe(400);
      expect(res.body.errors[0].field).toBe('limit');
    }
    await t
      .http()
      .get('/api/v1/students?limit=5')
      .set(...bearer(tech))
      .expect(200);
  });

  it('refuses a gap scan more than a day ahead (422) and an impossible date (400)', async () => {
    const far = await t
      .http()
      .post('/api/v1/gap-scans')
      .set(...bearer(tech))
      .send({ asOf: '9999-12-31' })
      .expect(422);
    expect(far.body).toMatchObject({ code: 'as_of_in_future', errors: [{ field: 'asOf' }] });
    await t
      .http()
      .post('/api/v1/gap-scans')
      .set(...bearer(tech))
      .send({ asOf: '2026-02-30' })
      .expect(400);
  });
});

describe('headers', () => {
  it('puts security headers on every answer and no-store on API answers', async () => {
    const api = await t
      .http()
      .get('/api/v1/students')
      .set(...bearer(tech))
      .set('Origin', 'https://evil.example')
      .expect(200);
    expect(api.headers).toMatchObject({
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
      'referrer-policy': 'no-referrer',
      'cache-control': 'no-store',
    });
    expect(api.headers['content-security-policy']).toContain("default-src 'none'");
    expect(api.headers['access-control-allow-origin']).toBeUndefined();
    expect(api.headers['strict-transport-security']).toBeUndefined();
    const error = await t.http().get('/api/v1/nothing-here').expect(404);
    expect(error.headers['x-content-type-options']).toBe('nosniff');
    const page = await t.http().get('/sign-in').expect(200);
    expect(page.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(page.headers['x-frame-options']).toBe('DENY');
  });
});

describe('the bootstrap token', () => {
  it('stays revoked when the service starts again with the same BOOTSTRAP_ADMIN_TOKEN', async () => {
    const secret = 'bootstrap-secret-for-the-revocation-test';
    const tokens = t.app.get(TokensService);
    await tokens.ensureBootstrapToken(secret);
    const me = await t
      .http()
      .get('/api/v1/tokens')
      .set(...bearer(secret))
      .expect(200);
    const rows = (await t.db.query(`SELECT id FROM api_tokens WHERE name = 'bootstrap admin' ORDER BY created_at DESC LIMIT 1`)) as {
      id: string;
    }[];
    expect(me.status).toBe(200);
    await t
      .http()
      .post(`/api/v1/tokens/${rows[0]!.id}/revoke`)
      .set(...bearer(t.adminToken))
      .expect(200);
    await t
      .http()
      .get('/api/v1/tokens')
      .set(...bearer(secret))
      .expect(401);

    await tokens.ensureBootstrapToken(secret);
    await t
      .http()
      .get('/api/v1/tokens')
      .set(...bearer(secret))
      .expect(401);
    const audit = (await t.db.query(`SELECT action FROM audit_events WHERE entity_id = $1 ORDER BY id`, [rows[0]!.id])) as {
      action: string;
    }[];
    expect(audit.map((a) => a.action)).toEqual(['bootstrap', 'revoke']);
  });
});

describe('forged cursors and nested items', () => {
  it('answers a cursor with an impossible or out-of-range date with 400, not 500', async () => {
    const id = '00000000-0000-4000-8000-000000000000';
    for (const when of ['2026-02-30T00:00:00.000Z', '+275760-09-13T00:00:00.000Z', 'Dec 4 2026', '2026-12-04T24:00:00Z']) {
      const cursor = Buffer.from(JSON.stringify([when, id]), 'utf8').toString('base64url');
      const res = await t
        .http()
        .get(`/api/v1/imports?cursor=${cursor}`)
        .set(...bearer(t.adminToken));
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('invalid_cursor');
    }
  });

  it('refuses a nested array where an item belongs ({"items":[[]]})', async () => {
    const res = await t
      .http()
      .post('/api/v1/kit-templates')
      .set(...bearer(tech))
      .send({ name: 'Forged', items: [[]] });
    expect(res.status).toBe(400);
    expect(res.body.errors).toContainEqual(expect.objectContaining({ field: 'items' }));
    const rows = (await t.db.query(`SELECT count(*)::int AS n FROM kit_templates WHERE name = 'Forged'`)) as { n: number }[];
    expect(rows[0]!.n).toBe(0);
  });
});

describe('one open repair ticket per device', () => {
  it('lets one of two concurrent repair tickets for a device succeed; the other is 409', async () => {
    const device = await new Seed(t.db).device(districtId, schoolId);
    const file = () =>
      t
        .http()
        .post('/api/v1/tickets')
        .set(...bearer(tech))
        .send({ type: 'repair', deviceId: device, note: 'Cracked screen' });
    const answers = await Promise.all([file(), file(), file()]);
    expect(answers.map((r) => r.status).sort()).toEqual([201, 409, 409]);
    const refused = answers.find((r) => r.status === 409)!;
    expect(refused.body).toMatchObject({ code: 'repair_ticket_already_open', errors: [{ field: 'deviceId' }] });
    const rows = (await t.db.query(`SELECT count(*)::int AS n FROM tickets WHERE device_id = $1`, [device])) as { n: number }[];
    expect(rows[0]!.n).toBe(1);
  });
});

describe('impossible calendar dates', () => {
  it('answers an outreach attempt on 2026-02-30 with 400 naming attemptedAt', async () => {
    const studentId = await new Seed(t.db).student(districtId, schoolId);
    const admin = await tokenFor(t, 'district_admin', districtId);
    const ticket = await t
      .http()
      .post('/api/v1/tickets')
      .set(...bearer(admin))
      .send({ type: 'outreach', studentId })
      .expect(201);
    const res = await t
      .http()
      .post(`/api/v1/tickets/${ticket.body.id}/outreach-attempts`)
      .set(...bearer(admin))
      .send({ channel: 'call', outcome: 'reached', attemptedAt: '2026-02-30T10:00:00Z' });
    expect(res.status).toBe(400);
    expect(res.body.errors).toContainEqual(expect.objectContaining({ field: 'attemptedAt' }));
  });
});
