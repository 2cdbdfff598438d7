import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { Seed } from './support/seed.js';
import { bearer, startTestApp, tokenFor, type TestApp } from './support/test-app.js';

/**
 * The main request bodies, fuzzed: a valid body with fields replaced by arbitrary JSON, unknown and
 * prototype keys added, or no body shape at all. Every answer is a success or a 4xx problem document,
 * never a 500; and a refused request leaves the table and the audit log exactly as they were.
 */
const RUNS = { seed: 1818, numRuns: 100 };

let t: TestApp;
let seed: Seed;
let district: string;
let school: string;
let admin: string;
let ticket: string;
let templateId: string;

beforeAll(async () => {
  t = await startTestApp();
  seed = new Seed(t.db);
  district = await seed.district();
  school = await seed.school(district);
  admin = await tokenFor(t, 'district_admin', district);
  const student = await seed.student(district, school);
  ticket = (
    await t
      .http()
      .post('/api/v1/tickets')
      .set(...bearer(admin))
      .send({ type: 'outreach', studentId: student })
      .expect(201)
  ).body.id as string;
  templateId = (
    await t
      .http()
      .post('/api/v1/kit-templates')
      .set(...bearer(admin))
      .send({ name: 'Fuzz kit', items: [{ item: 'charger', quantity: 1 }] })
      .expect(201)
  ).body.id as string;
}, 60_000);
afterAll(async () => {
  await t?.close();
});

/** The rows of a table and the audit log, hashed. */
async function state(table: string): Promise<string> {
  const [row] = (await t.db.query(
    `SELECT md5(coalesce((SELECT string_agg(x::text, '|' ORDER BY x::text) FROM "${table}" x), '')) ||
            (SELECT count(*) FROM audit_events)::text AS h`,
  )) as { h: string }[];
  return row!.h;
}

/** Anything JSON can hold, including the strings that have broken parsers and databases before (null bytes too). */
const nasty = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.constantFrom(
    '',
    ' ',
    '9999-12-31',
    '2026-02-30',
    '1e400',
    '-0',
    'NaN',
    '\uFEFF',
    '＝1+1',
    'Ann\u0000e',
    '../../etc/passwd',
    'a'.repeat(5000),
  ),
  fc.constantFrom(Number.MAX_SAFE_INTEGER + 2, -1, 0, 1.5, 1e308, true, null, [], {}, [[]], [{}]),
);

/** A valid body with some fields replaced, some removed, or keys no DTO declares added. */
const mutated = (base: () => Record<string, unknown>) =>
  fc.oneof(
    fc
      .tuple(fc.array(fc.tuple(fc.nat(), nasty), { minLength: 1, maxLength: 3 }), fc.array(fc.nat(), { maxLength: 2 }))
      .map(([replaced, removed]) => {
        const body = base();
        const keys = Object.keys(body);
        for (const [at, value] of replaced) body[keys[at % keys.length]!] = value;
        for (const at of removed) delete body[keys[at % keys.length]!];
        return body as unknown;
      }),
    fc
      .tuple(fc.constantFrom('__proto__', 'constructor', 'prototype', 'id', 'createdAt', 'extra'), nasty)
      .map(
        ([key, value]) =>
          JSON.parse(JSON.stringify(base()).replace(/^\{/, `{${JSON.stringify(key)}:${JSON.stringify(value) ?? 'null'},`)) as unknown,
      ),
    nasty,
  );

let serial = 0;
const ROUTES: { name: string; method: 'post' | 'patch'; url: () => string; table: string; body: () => Record<string, unknown> }[] = [
  {
    name: 'POST /districts',
    method: 'post',
    url: () => '/api/v1/districts',
    table: 'districts',
    body: () => ({ name: `Fuzz ${(serial += 1)}`, code: `FZ${serial}`, timeZone: 'America/New_York' }),
  },
  {
    name: 'POST /students',
    method: 'post',
    url: () => '/api/v1/students',
    table: 'students',
    body: () => ({
      schoolId: school,
      sourcedId: `fz-${(serial += 1)}`,
      givenName: 'Fuzz',
      familyName: 'Case',
      grade: '9',
      email: `fz${serial}@example.org`,
      learningModel: 'remote',
      enrolledOn: '2020-09-01',
    }),
  },
  {
    name: 'POST /devices',
    method: 'post',
    url: () => '/api/v1/devices',
    table: 'devices',
    body: () => ({
      kind: 'chromebook',
      serialNumber: `FZSN${(serial += 1)}`,
      assetTag: `FZAT${serial}`,
      schoolId: school,
      purchaseCost: 199.5,
    }),
  },
  {
    name: 'POST /assignments',
    method: 'post',
    url: () => '/api/v1/assignments',
    table: 'assignments',
    body: () => ({ assetTag: 'FZ-none', studentSourcedId: 'fz-none', kind: 'primary', acknowledgement: { signerName: 'Parent' } }),
  },
  {
    name: 'PATCH /tickets/{id}',
    method: 'patch',
    url: () => `/api/v1/tickets/${ticket}`,
    table: 'tickets',
    body: () => ({ status: 'in_progress', assignee: null, resolution: 'fuzzed' }),
  },
  {
    name: 'POST /kits',
    method: 'post',
    url: () => '/api/v1/kits',
    table: 'kits',
    body: () => ({ studentId: '00000000-0000-4000-8000-000000000000', templateId }),
  },
];

describe('fuzzed request bodies', () => {
  it.each(ROUTES)(
    '$name: a success or a 4xx problem, never a 500 and never a half-written row',
    async (route) => {
      await fc.assert(
        fc.asyncProperty(mutated(route.body), async (body) => {
          const before = await state(route.table);
          const token = route.name === 'POST /districts' ? t.adminToken : admin;
          const res = await t
            .http()
            [route.method](route.url())
            .set(...bearer(token))
            .set('Content-Type', 'application/json')
            .send(JSON.stringify(body));
          expect({ status: res.status, body: res.body as unknown }).toEqual({ status: expect.any(Number), body: expect.anything() });
          if (res.status >= 500) throw new Error(`${res.status} for ${JSON.stringify(body).slice(0, 300)}: ${res.text.slice(0, 300)}`);
          if (res.status >= 400) {
            expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
            expect(await state(route.table)).toBe(before);
          }
        }),
        RUNS,
      );
    },
    120_000,
  );
});
