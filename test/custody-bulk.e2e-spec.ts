import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { bearer, startTestApp, type TestApp, tokenFor } from './support/test-app.js';

let t: TestApp;
let districtA: string;
let districtB: string;
let schoolA: string;
let schoolB: string;
let techA: string;

type Row = Record<string, unknown>;

async function rows(text: string, params: unknown[] = []): Promise<Row[]> {
  return (await t.db.query(text, params)) as Row[];
}

async function insert(text: string, params: unknown[]): Promise<string> {
  return (await rows(`${text} RETURNING id`, params))[0]!['id'] as string;
}

let seq = 0;
/** A student, by sourcedId. */
async function student(status = 'active', districtId = districtA, schoolId = schoolA): Promise<string> {
  seq += 1;
  const sourcedId = `bulk-stu-${seq}`;
  await insert(
    `INSERT INTO students (district_id, school_id, sourced_id, given_name, family_name, enrollment_status) VALUES ($1, $2, $3, 'Kim', 'Lee', $4)`,
    [districtId, schoolId, sourcedId, status],
  );
  return sourcedId;
}

/** A device, by asset tag. */
async function device(status = 'in_stock', districtId = districtA, schoolId = schoolA): Promise<string> {
  seq += 1;
  const tag = `BLK-${seq}`;
  await insert(
    `INSERT INTO devices (district_id, school_id, kind, asset_tag, serial_number, status) VALUES ($1, $2, 'chromebook', $3, $3, $4)`,
    [districtId, schoolId, tag, status],
  );
  return tag;
}

async function count(table: string, where = 'true', params: unknown[] = []): Promise<number> {
  return (await rows(`SELECT count(*)::int AS n FROM ${table} WHERE ${where}`, params))[0]!['n'] as number;
}

async function snapshot(): Promise<string> {
  const parts = await Promise.all(
    ['devices', 'assignments', 'audit_events'].map((table) =>
      rows(`SELECT md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) AS h FROM ${table} x`),
    ),
  );
  return parts.map((p) => p[0]!['h']).join(':');
}

function bulk(secret: string, path: 'bulk' | 'bulk-return', body: object) {
  return t
    .http()
    .post(`/api/v1/assignments/${path}`)
    .set(...bearer(secret))
    .send(body);
}

beforeAll(async () => {
  t = await startTestApp();
  districtA = await insert(`INSERT INTO districts (name, code) VALUES ('Bulk A', 'BULK-A')`, []);
  districtB = await insert(`INSERT INTO districts (name, code) VALUES ('Bulk B', 'BULK-B')`, []);
  schoolA = await insert(`INSERT INTO schools (district_id, name, code) VALUES ($1, 'Gym', 'G')`, [districtA]);
  schoolB = await insert(`INSERT INTO schools (district_id, name, code) VALUES ($1, 'Other', 'O')`, [districtB]);
  techA = await tokenFor(t, 'tech', districtA);
});
afterAll(async () => {
  await t?.close();
});

describe('distribution day', () => {
  it('assigns the good lines, reports each refused line with its reason, and a second send changes nothing', async () => {
    const good = [await device(), await device(), await device()];
    const students = [await student(), await student(), await student()];
    const heldElsewhere = await device();
    await bulk(techA, 'bulk', { lines: [{ assetTag: heldElsewhere, studentSourcedId: await student() }] }).expect(200);
    const inRepair = await device('in_repair');
    const withdrawn = await student('withdrawn');
    const spare = await device();
    const foreignTag = await device('in_stock', districtB, schoolB);
    const foreignStudent = await student('active', districtB, schoolB);
    const lines = [
      {
        assetTag: good[0],
        studentSourcedId: students[0],
        acknowledgement: { signerName: 'Parent One', signedAt: '2020-09-08T14:00:00.000Z' },
      },
      { assetTag: 'NO-SUCH-TAG', studentSourcedId: students[1] },
      { assetTag: good[1], studentSourcedId: students[1] },
      { assetTag: spare, studentSourcedId: 'no-such-student' },
      { assetTag: good[0], studentSourcedId: students[2] },
      { assetTag: heldElsewhere, studentSourcedId: students[2] },
      { assetTag: inRepair, studentSourcedId: students[2] },
      { assetTag: spare, studentSourcedId: withdrawn },
      { assetTag: foreignTag, studentSourcedId: students[2] },
      { assetTag: good[2], studentSourcedId: foreignStudent },
      { assetTag: good[2], studentSourcedId: students[2], acknowledgement: { signerName: 'Late', signedAt: '2999-01-01T00:00:00.000Z' } },
    ];
    // Each refused line is written as "code" here; the rest of the line result is checked below.
    const expected = [
      'assigned',
      'device_not_found',
      'assigned',
      'student_not_found',
      'duplicate_line',
      'device_not_available',
      'device_not_available',
      'duplicate_line',
      'device_not_found',
      'student_not_found',
      'duplicate_line',
    ];
    const auditBefore = await count('audit_events');
    const res = await bulk(techA, 'bulk', { lines }).expect(200);
    expect(res.body.districtId).toBe(districtA);
    const results = res.body.results as Row[];
    expect(results.map((r) => r['line'])).toEqual(lines.map((_, i) => i + 1));
    expect(results.map((r) => r['assetTag'])).toEqual(lines.map((l) => l.assetTag));
    expect(results.map((r) => (r['outcome'] === 'rejected' ? r['code'] : r['outcome']))).toEqual(expected);
    expect(results[4]!['message']).toContain('line 1');
    expect(results[6]!['message']).toContain('in_repair');
    for (const r of results.filter((x) => x['outcome'] === 'rejected')) expect(typeof r['message']).toBe('string');

    const held = await rows(
      `SELECT d.asset_tag, s.sourced_id, a.acknowledged_by_name, d.status FROM assignments a JOIN devices d ON d.id = a.device_id
       JOIN students s ON s.id = a.student_id WHERE a.ended_at IS NULL AND d.asset_tag = ANY($1) ORDER BY d.asset_tag`,
      [[...good, spare]],
    );
    expect(held).toEqual([
      { asset_tag: good[0], sourced_id: students[0], acknowledged_by_name: 'Parent One', status: 'assigned' },
      { asset_tag: good[1], sourced_id: students[1], acknowledged_by_name: null, status: 'assigned' },
    ]);
    // One audit row for the request's devices and one for its assignments, each naming its records.
    expect((await count('audit_events')) - auditBefore).toBe(2);
    expect(results[0]!['assignmentId']).toBeDefined();
    const [deviceId, studentId] = (
      await rows(
        `SELECT a.device_id, a.student_id FROM assignments a JOIN devices d ON d.id = a.device_id WHERE d.asset_tag = $1 AND a.ended_at IS NULL`,
        [good[1]],
      )
    ).map((r) => [r['device_id'] as string, r['student_id'] as string])[0]!;
    const history = async (entityType: string, entityId: string): Promise<Row[]> =>
      (
        await t
          .http()
          .get('/api/v1/audit-events')
          .query({ entityType, entityId })
          .set(...bearer(await tokenFor(t, 'auditor', districtA)))
          .expect(200)
      ).body.data as Row[];
    const [issue] = await history('device', deviceId!);
    expect(issue).toMatchObject({ entityType: 'device', action: 'assign' });
    expect(issue!['entityIds']).toHaveLength(2);
    expect((issue!['after'] as { lines: Row[] }).lines).toContainEqual({
      deviceId,
      before: { status: 'in_stock', condition: 'working' },
      after: { status: 'assigned', condition: 'working' },
    });
    const [created] = await history('assignment', results[2]!['assignmentId'] as string);
    expect(created).toMatchObject({ entityType: 'assignment', action: 'create' });
    expect(created!['entityIds']).toHaveLength(2);
    expect((created!['after'] as { lines: Row[] }).lines).toContainEqual(
      expect.objectContaining({ id: results[2]!['assignmentId'], deviceId, studentId, active: true }),
    );

    const before = await snapshot();
    const again = await bulk(techA, 'bulk', { lines }).expect(200);
    const outcomes = (again.body.results as Row[]).map((r) => (r['outcome'] === 'rejected' ? r['code'] : r['outcome']));
    expect(outcomes).toEqual(expected.map((e) => (e === 'assigned' ? 'already_assigned' : e)));
    expect((again.body.results as Row[])[0]!['assignmentId']).toBe(results[0]!['assignmentId']);
    expect(await snapshot()).toBe(before);
  });

  it('lets two identical lists sent at once assign each device exactly once', async () => {
    const lines = [];
    for (let i = 0; i < 20; i += 1) lines.push({ assetTag: await device(), studentSourcedId: await student() });
    const [first, second] = await Promise.all([bulk(techA, 'bulk', { lines }), bulk(techA, 'bulk', { lines })]);
    expect([first.status, second.status]).toEqual([200, 200]);
    for (let i = 0; i < lines.length; i += 1) {
      const pair = [first.body.results[i].outcome, second.body.results[i].outcome].sort();
      expect(pair).toEqual(['already_assigned', 'assigned']);
    }
    const tags = lines.map((l) => l.assetTag);
    expect(await count('assignments a JOIN devices d ON d.id = a.device_id', 'd.asset_tag = ANY($1)', [tags])).toBe(20);
  });

  it('handles 2,000 lines in one request, and refuses more', async () => {
    const big = await insert(`INSERT INTO districts (name, code) VALUES ('Big Gym', 'BIG-GYM')`, []);
    const school = await insert(`INSERT INTO schools (district_id, name, code) VALUES ($1, 'Arena', 'AR')`, [big]);
    await t.db.query(
      `INSERT INTO devices (district_id, school_id, kind, asset_tag, serial_number) SELECT $1, $2, 'chromebook', 'GYM-' || n, 'GYM-' || n FROM generate_series(1, 2000) n`,
      [big, school],
    );
    await t.db.query(
      `INSERT INTO students (district_id, school_id, sourced_id, given_name, family_name) SELECT $1, $2, 'gym-' || n, 'A', 'B' FROM generate_series(1, 2000) n`,
      [big, school],
    );
    const tech = await tokenFor(t, 'tech', big);
    const lines = Array.from({ length: 2000 }, (_, i) => ({ assetTag: `GYM-${i + 1}`, studentSourcedId: `gym-${i + 1}` }));
    const assigned = await bulk(tech, 'bulk', { lines }).expect(200);
    expect(new Set((assigned.body.results as Row[]).map((r) => r['outcome']))).toEqual(new Set(['assigned']));
    expect(await count('assignments', 'district_id = $1 AND ended_at IS NULL', [big])).toBe(2000);
    expect(await count('audit_events', "district_id = $1 AND entity_type IN ('device', 'assignment')", [big])).toBe(2);

    const returned = await bulk(tech, 'bulk-return', { lines: lines.map((l) => ({ assetTag: l.assetTag, condition: 'working' })) }).expect(
      200,
    );
    expect(new Set((returned.body.results as Row[]).map((r) => r['outcome']))).toEqual(new Set(['returned']));
    expect(await count('devices', "district_id = $1 AND status = 'in_stock'", [big])).toBe(2000);

    const tooMany = await bulk(tech, 'bulk', { lines: [...lines, lines[0]] }).expect(400);
    expect(tooMany.body.errors[0].field).toBe('lines');
    await bulk(tech, 'bulk', { lines: [] }).expect(400);
  });

  it('rejects a malformed list as a whole, naming the bad field', async () => {
    const res = await bulk(techA, 'bulk', { lines: [{ assetTag: 'A' }, { assetTag: '', studentSourcedId: 'x' }] }).expect(400);
    expect([...new Set((res.body.errors as { field: string }[]).map((e) => e.field))].sort()).toEqual([
      'lines[0].studentSourcedId',
      'lines[1].assetTag',
    ]);
  });
});

describe('collection day', () => {
  it('takes back the held devices with their condition, reports the rest, and a second send changes nothing', async () => {
    const handedOut = [await device(), await device(), await device()];
    await bulk(techA, 'bulk', {
      lines: await Promise.all(handedOut.map(async (assetTag) => ({ assetTag, studentSourcedId: await student() }))),
    }).expect(200);
    const neverOut = await device();
    const inRepair = await device('in_repair');
    const foreign = await device('in_stock', districtB, schoolB);
    const lines = [
      { assetTag: handedOut[0], condition: 'working' },
      { assetTag: handedOut[1], condition: 'broken', note: 'Screen smashed' },
      { assetTag: handedOut[0], condition: 'damaged' },
      { assetTag: neverOut, condition: 'working' },
      { assetTag: inRepair, condition: 'working' },
      { assetTag: 'NOPE', condition: 'working' },
      { assetTag: foreign, condition: 'working' },
      { assetTag: handedOut[2], condition: 'damaged' },
    ];
    const expected = [
      'returned',
      'returned',
      'duplicate_line',
      'already_returned',
      'device_not_assigned',
      'device_not_found',
      'device_not_found',
      'returned',
    ];
    const res = await bulk(techA, 'bulk-return', { lines }).expect(200);
    const outcome = (r: Row): unknown => (r['outcome'] === 'rejected' ? r['code'] : r['outcome']);
    expect((res.body.results as Row[]).map(outcome)).toEqual(expected);

    const state = await rows(
      `SELECT d.asset_tag, d.status, d.condition, a.end_reason, a.returned_condition, a.return_note FROM devices d
       JOIN assignments a ON a.device_id = d.id WHERE d.asset_tag = ANY($1) ORDER BY d.asset_tag`,
      [handedOut],
    );
    expect(state).toEqual([
      {
        asset_tag: handedOut[0],
        status: 'in_stock',
        condition: 'working',
        end_reason: 'returned',
        returned_condition: 'working',
        return_note: null,
      },
      {
        asset_tag: handedOut[1],
        status: 'in_stock',
        condition: 'broken',
        end_reason: 'returned',
        returned_condition: 'broken',
        return_note: 'Screen smashed',
      },
      {
        asset_tag: handedOut[2],
        status: 'in_stock',
        condition: 'damaged',
        end_reason: 'returned',
        returned_condition: 'damaged',
        return_note: null,
      },
    ]);
    expect((await rows(`SELECT status FROM devices WHERE asset_tag = $1 AND district_id = $2`, [foreign, districtB]))[0]).toEqual({
      status: 'in_stock',
    });
    // One audit row for the request's returned devices, naming each, with its transition as a line.
    const audit = await rows(
      `SELECT DISTINCT e.id, cardinality(e.entity_ids) AS named, jsonb_array_length(e.after->'lines') AS lines FROM audit_events e
       JOIN devices d ON e.entity_ids @> ARRAY[d.id] WHERE d.asset_tag = ANY($1) AND e.entity_type = 'device' AND e.action = 'return'`,
      [handedOut],
    );
    expect(audit.map((e) => [e['named'], e['lines']])).toEqual([[3, 3]]);

    const before = await snapshot();
    const again = await bulk(techA, 'bulk-return', { lines }).expect(200);
    expect((again.body.results as Row[]).map(outcome)).toEqual(expected.map((e) => (e === 'returned' ? 'already_returned' : e)));
    expect(await snapshot()).toBe(before);
  });
});

describe('access', () => {
  it('acts in the caller district only, needs a district from a state token, and refuses read-only roles', async () => {
    const tag = await device();
    const s = await student();
    const lines = [{ assetTag: tag, studentSourcedId: s }];
    const state = await bulk(t.adminToken, 'bulk', { lines }).expect(400);
    expect(state.body.errors).toEqual([{ field: 'districtId', message: 'districtId is required for a state token' }]);
    const elsewhere = await bulk(techA, 'bulk', { districtId: districtB, lines }).expect(404);
    expect(elsewhere.body.code).toBe('district_not_found');
    const techB = await tokenFor(t, 'tech', districtB);
    const foreign = await bulk(techB, 'bulk', { lines }).expect(200);
    expect(foreign.body.results[0]).toMatchObject({ outcome: 'rejected', code: 'device_not_found' });

    for (const role of ['auditor', 'attendance'] as const) {
      const secret = await tokenFor(t, role, districtA);
      const before = await snapshot();
      await bulk(secret, 'bulk', { lines }).expect(403);
      await bulk(secret, 'bulk-return', { lines: [{ assetTag: tag, condition: 'working' }] }).expect(403);
      expect(await snapshot()).toBe(before);
    }
    expect((await bulk(t.adminToken, 'bulk', { districtId: districtA, lines }).expect(200)).body.results[0].outcome).toBe('assigned');
  });
});
