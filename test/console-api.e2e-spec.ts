import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parse } from 'csv-parse/sync';
import type { SqlText } from '../src/database/sql.js';
import { deviceSearch, studentSearch } from '../src/search/search.repository.js';
import { Seed } from './support/seed.js';
import { bearer, startTestApp, tokenFor, type TestApp } from './support/test-app.js';

/**
 * What the console's students and devices pages need from the API: one search for both kinds (scoped,
 * role-aware, index-backed), a device's repairs, and the lists as streamed CSV.
 */
let t: TestApp;
let seed: Seed;
let district: string;
let otherDistrict: string;
let schoolA: string;
let schoolB: string;
let tech: string;
let attendance: string;
let scoped: string;
let maria: string;
let mario: string;
let device: string;

const get = (token: string, url: string) =>
  t
    .http()
    .get(url)
    .set(...bearer(token));

async function named(studentId: string, given: string, family: string, values: { identifier?: string; email?: string } = {}) {
  await t.db.query(`UPDATE students SET given_name = $2, family_name = $3, identifier = $4, email = coalesce($5, email) WHERE id = $1`, [
    studentId,
    given,
    family,
    values.identifier ?? null,
    values.email ?? null,
  ]);
}

beforeAll(async () => {
  t = await startTestApp();
  seed = new Seed(t.db);
  district = await seed.district();
  otherDistrict = await seed.district();
  schoolA = await seed.school(district);
  schoolB = await seed.school(district);
  tech = await tokenFor(t, 'tech', district);
  attendance = await tokenFor(t, 'attendance', district);
  maria = await seed.student(district, schoolA);
  await named(maria, 'Maria', 'Lopez', { identifier: '400123', email: 'maria.lopez@lincoln.org' });
  mario = await seed.student(district, schoolB);
  await named(mario, 'Mario', 'Lopezberg');
  const foreign = await seed.student(otherDistrict, await seed.school(otherDistrict));
  await named(foreign, 'Maria', 'Lopez', { identifier: '400123' });
  device = await seed.device(district, schoolA, { asset_tag: 'CB-004211', serial_number: 'PF2KX9QZ' });
  await seed.device(district, schoolA, { asset_tag: 'CB-0042110', serial_number: 'PF2KX9QA' });
  await seed.device(otherDistrict, null, { asset_tag: 'CB-004211', serial_number: 'PF2KX9QZ' });
  await seed.assign(district, device, maria);

  const staff = await t
    .http()
    .post('/api/v1/staff')
    .set(...bearer(t.adminToken))
    .send({ email: 'b-only@lincoln.org', name: 'B only', role: 'tech', districtId: district, schoolIds: [schoolB] });
  expect(staff.status).toBe(201);
  const token = await t
    .http()
    .post('/api/v1/tokens')
    .set(...bearer(t.adminToken))
    .send({ name: 'b-only', role: 'tech', districtId: district, staffUserId: staff.body.id as string });
  scoped = token.body.secret as string;
}, 60_000);

afterAll(async () => {
  await t?.close();
});

describe('GET /api/v1/search', () => {
  it('finds students by any word of their name, in any order, only in the caller’s district', async () => {
    const res = await get(tech, '/api/v1/search?q=lopez%20mar').expect(200);
    expect(res.body.students.map((s: { id: string }) => s.id).sort()).toEqual([maria, mario].sort());
    expect(res.body.students.every((s: { exact: boolean }) => !s.exact)).toBe(true);
    expect(res.body.devices).toEqual([]);
  });

  it('puts the exact id first: a scanned student card or asset tag', async () => {
    const card = await get(tech, '/api/v1/search?q=400123').expect(200);
    expect(card.body.students).toEqual([expect.objectContaining({ id: maria, exact: true, givenName: 'Maria' })]);

    const tag = await get(tech, '/api/v1/search?q=cb-004211').expect(200);
    expect(tag.body.devices.map((d: { assetTag: string; exact: boolean }) => [d.assetTag, d.exact])).toEqual([
      ['CB-004211', true],
      ['CB-0042110', false],
    ]);
    const serial = await get(tech, '/api/v1/search?q=PF2KX9QZ').expect(200);
    expect(serial.body.devices).toEqual([expect.objectContaining({ id: device, exact: true, status: 'assigned' })]);
    const email = await get(tech, '/api/v1/search?q=MARIA.LOPEZ@lincoln.org').expect(200);
    expect(email.body.students).toEqual([expect.objectContaining({ id: maria, exact: true })]);
  });

  it('falls back to part of a name or label when the starts find less than a page, never for a scanned label', async () => {
    // "opez" starts no name: the trigram fallback finds both Lopez.
    const inside = await get(tech, '/api/v1/search?q=opez').expect(200);
    expect(inside.body.students.map((s: { id: string }) => s.id).sort()).toEqual([maria, mario].sort());
    // Digits inside a tag: both tags that hold them.
    const digits = await get(tech, '/api/v1/search?q=04211').expect(200);
    expect(digits.body.devices.map((d: { assetTag: string }) => d.assetTag)).toEqual(['CB-004211', 'CB-0042110']);
    // A typed name never reads the devices' trigram index (no digit); a scanned tag never the students'.
    expect((await get(tech, '/api/v1/search?q=lopez').expect(200)).body.devices).toEqual([]);
    expect((await get(tech, '/api/v1/search?q=CB-004211').expect(200)).body.students).toEqual([]);
  });

  it('finds a student by part of an e-mail holding an @, never by the domain alone', async () => {
    const ids = async (q: string): Promise<string[]> =>
      (await get(tech, `/api/v1/search?q=${encodeURIComponent(q)}`).expect(200)).body.students.map((s: { id: string }) => s.id);
    expect(await ids('lopez@LINCOLN')).toEqual([maria]);
    expect(await ids('maria lopez@lin')).toEqual([maria]);
    expect(await ids('lopez@lincoln maria')).toEqual([maria]);
    expect(await ids('lopez@elsewhere')).toEqual([]);
    // Every student of a district shares the domain: only the local part is searched without an @.
    expect(await ids('lincoln.org')).toEqual([]);
  });

  it('answers short text with exact ids only, and refuses empty or long text naming the field', async () => {
    expect((await get(tech, '/api/v1/search?q=Lo').expect(200)).body).toEqual({ students: [], devices: [] });
    const empty = await get(tech, '/api/v1/search?q=').expect(400);
    expect(empty.body.errors[0].field).toBe('q');
    await get(tech, `/api/v1/search?q=${'x'.repeat(101)}`).expect(400);
    await get(tech, '/api/v1/search').expect(400);
    await get(tech, '/api/v1/search?q=lopez&limit=26').expect(400);
  });

  it('gives attendance students but never devices, and a school-scoped technician only their schools', async () => {
    const res = await get(attendance, '/api/v1/search?q=CB-004211').expect(200);
    expect(res.body.devices).toEqual([]);
    expect((await get(attendance, '/api/v1/search?q=400123').expect(200)).body.students).toHaveLength(1);

    const inB = await get(scoped, '/api/v1/search?q=lopez').expect(200);
    expect(inB.body.students.map((s: { id: string }) => s.id)).toEqual([mario]);
    expect((await get(scoped, '/api/v1/search?q=CB-004211').expect(200)).body.devices).toEqual([]);
  });

  it('reads a page, not every match: common names and scanned labels stay off the trigram indexes', async () => {
    // 20,000 students under four family names (5,000 each, like a city's common names) and 20,000 devices.
    const big = await seed.district();
    const school = await seed.school(big);
    await t.db.query(
      `INSERT INTO students (district_id, school_id, sourced_id, identifier, given_name, family_name, email)
       SELECT $1, $2, 'src-' || n, 'id-' || n, 'Given' || n, 'Family' || (n % 4), 'kid' || n || '@big.org' FROM generate_series(1, 20000) n`,
      [big, school],
    );
    await t.db.query(
      `INSERT INTO devices (district_id, school_id, kind, serial_number, asset_tag)
       SELECT $1, $2, 'chromebook', 'SER' || n, 'TAG-' || n FROM generate_series(1, 20000) n`,
      [big, school],
    );
    await t.db.query('ANALYZE students; ANALYZE devices');
    interface Node {
      'Node Type': string;
      'Index Name'?: string;
      'Actual Rows': number;
      'Actual Loops': number;
      Plans?: Node[];
    }
    const nodes = (node: Node): Node[] => [node, ...(node.Plans ?? []).flatMap(nodes)];
    /** Every node the statement ran, with the most rows any of them produced. */
    const ran = async (statement: SqlText) => {
      const { text, values } = statement.render();
      const [row] = (await t.db.query(`EXPLAIN (ANALYZE, FORMAT JSON) ${text}`, values)) as { 'QUERY PLAN': { Plan: Node }[] }[];
      const executed = nodes(row!['QUERY PLAN'][0]!.Plan).filter((node) => node['Actual Loops'] > 0);
      return {
        indexes: executed.flatMap((node) => node['Index Name'] ?? []),
        seqScan: executed.some((node) => node['Node Type'] === 'Seq Scan'),
        mostRows: Math.max(...executed.map((node) => node['Actual Rows'])),
      };
    };
    /** As `ran`, on the generic plan a prepared statement keeps. */
    const ranGeneric = async (statement: SqlText) => {
      const { text, values } = statement.render();
      const runner = t.db.createQueryRunner();
      try {
        await runner.query('SET plan_cache_mode = force_generic_plan');
        await runner.query(`PREPARE search_generic AS ${text}`);
        const args = values.map((value) => `'${String(value as string | number).replace(/'/g, "''")}'`).join(', ');
        const [row] = (await runner.query(`EXPLAIN (ANALYZE, FORMAT JSON) EXECUTE search_generic(${args})`)) as {
          'QUERY PLAN': { Plan: Node }[];
        }[];
        const plan = row!['QUERY PLAN'][0]!.Plan;
        // A custom plan would hold the values as constants: this one must read them as parameters.
        expect(JSON.stringify(plan)).toContain('$');
        const executed = nodes(plan).filter((node) => node['Actual Loops'] > 0);
        return {
          indexes: executed.flatMap((node) => node['Index Name'] ?? []),
          seqScan: executed.some((node) => node['Node Type'] === 'Seq Scan'),
          mostRows: Math.max(...executed.map((node) => node['Actual Rows'])),
        };
      } finally {
        // Only this one: the pool's connection keeps the product's own prepared statements.
        await runner.query('DEALLOCATE search_generic');
        await runner.query('RESET plan_cache_mode');
        await runner.release();
      }
    };
    for (const districtId of [big, null]) {
      const scope = { districtId, schoolIds: null };
      // A typed family name shared by 5,000 students: two index ranges of a page each.
      const name = await ran(studentSearch(scope, 'family1', 8));
      expect(name).toEqual({ indexes: expect.arrayContaining(['students_family_prefix_idx']), seqScan: false, mostRows: 8 });
      expect(name.indexes).not.toContain('students_search_idx');
      // The ranges imply the longest word: no trigram-indexable ILIKE beside them, which the planner ANDed with
      // the range and so fetched a common name's every row (city shape: 12,473 for "Chen"); only the substring
      // branch matches words with ILIKE.
      expect(studentSearch(scope, 'family1', 8).render().text.match(/ILIKE/g)).toHaveLength(1);
      expect(studentSearch(scope, 'family1 given12', 8).render().text.match(/ILIKE/g)).toHaveLength(2);
      // A scanned tag: its probe and the tag ranges; no substring search of devices or students.
      const tag = await ran(deviceSearch(scope, 'tag-1234', 8));
      expect(tag.indexes).toEqual(expect.arrayContaining(['devices_asset_tag_lookup_idx', 'devices_tag_prefix_idx']));
      expect(tag.indexes).not.toContain('devices_search_idx');
      // Without a district the unique (district_id, imei) index is no probe: the IMEI has one of its own.
      expect(tag.indexes).toContain('devices_imei_lookup_idx');
      expect(tag.seqScan).toBe(false);
      expect(tag.mostRows).toBeLessThanOrEqual(3 * 8); // the probe and two ranges, a page each
      const tagAsStudent = await ran(studentSearch(scope, 'TAG-1234', 8));
      expect(tagAsStudent.indexes).not.toContain('students_search_idx');
      expect(tagAsStudent.seqScan).toBe(false);
      // The exact and prefix branches alone run prepared, on a generic plan: the prefixes are still index
      // ranges read a page at a time when the pattern is a parameter.
      const genericName = await ranGeneric(studentSearch(scope, 'family1', 8, false));
      expect(genericName).toEqual({ indexes: expect.arrayContaining(['students_family_prefix_idx']), seqScan: false, mostRows: 8 });
      expect(genericName.indexes).not.toContain('students_search_idx');
      const genericTag = await ranGeneric(deviceSearch(scope, 'tag-1234', 8, false));
      expect(genericTag.indexes).toEqual(expect.arrayContaining(['devices_asset_tag_lookup_idx', 'devices_tag_prefix_idx']));
      expect(genericTag.indexes).not.toContain('devices_search_idx');
      expect(genericTag.seqScan).toBe(false);
      expect(genericTag.mostRows).toBeLessThanOrEqual(3 * 8);
    }
  });

  it('finds by substring only when the exact and prefix branches find less than a page, and never for a scanned label', async () => {
    // "opez" starts no name: the substring branch finds both; "CB-004211" is a tag, which no student's text holds.
    const inside = await get(tech, '/api/v1/search?q=opez').expect(200);
    expect(inside.body.students.map((s: { id: string }) => s.id).sort()).toEqual([maria, mario].sort());
    expect((await get(tech, '/api/v1/search?q=lopez&limit=1').expect(200)).body.students).toHaveLength(1);
    await named(mario, 'Mario', 'XCB-004211');
    try {
      // Mario's name holds the scanned tag, yet a label is no part of a name: no substring search.
      const tag = await get(tech, '/api/v1/search?q=CB-004211').expect(200);
      expect(tag.body.students).toEqual([]);
      expect(tag.body.devices.map((d: { id: string }) => d.id)[0]).toBe(device);
      // No device is labelled "CB-00421": the same name is found by part of it.
      const part = await get(tech, '/api/v1/search?q=CB-00421').expect(200);
      expect(part.body.students.map((s: { id: string }) => s.id)).toEqual([mario]);
    } finally {
      await named(mario, 'Mario', 'Lopezberg');
    }
  });
});

describe('GET /api/v1/devices/{id}/repairs', () => {
  it('lists a device’s repairs newest first, and answers 404 for a device out of reach', async () => {
    const first = await t
      .http()
      .post(`/api/v1/devices/${device}/repair-intake`)
      .set(...bearer(tech))
      .send({ problem: 'broken', note: 'Cracked screen' });
    expect(first.status).toBe(200);
    await t
      .http()
      .post(`/api/v1/devices/${device}/repair-return`)
      .set(...bearer(tech))
      .send({ returnTo: 'stock' })
      .expect(200);
    await t
      .http()
      .post(`/api/v1/devices/${device}/repair-intake`)
      .set(...bearer(tech))
      .send({ problem: 'damaged' })
      .expect(200);
    const res = await get(tech, `/api/v1/devices/${device}/repairs`).expect(200);
    expect(res.body.data.map((r: { problem: string; closedAt: string | null }) => [r.problem, r.closedAt === null])).toEqual([
      ['damaged', true],
      ['broken', false],
    ]);
    expect(res.body.data[1]).toMatchObject({ studentId: maria, note: 'Cracked screen', returnedTo: 'stock' });
    await get(scoped, `/api/v1/devices/${device}/repairs`).expect(404);
    await get(attendance, `/api/v1/devices/${device}/repairs`).expect(403);
  });
});

describe('lists as CSV', () => {
  it('streams every student the filters match, past the page size, with formula text neutralised', async () => {
    // 1,203 students: more than one of the CSV's 1,000-row statements.
    await t.db.query(
      `INSERT INTO students (district_id, school_id, sourced_id, given_name, family_name, grade)
       SELECT $1, $2, 'bulk-' || n, 'Bulk', 'Zed' || lpad(n::text, 5, '0'), '05' FROM generate_series(1, 1203) n`,
      [district, schoolB],
    );
    await named(mario, '=HYPERLINK("x")', 'Lopezberg');
    const res = await get(tech, `/api/v1/students?schoolId=${schoolB}&limit=1`).set('Accept', 'text/csv').expect(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8; header=present');
    expect(res.headers['content-disposition']).toBe('attachment; filename="students.csv"');
    const rows = parse(res.text, { columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(1204);
    expect(rows[0]).toMatchObject({ id: mario, givenName: `'=HYPERLINK("x")`, familyName: 'Lopezberg', schoolId: schoolB });
    expect(rows[1203]!.familyName).toBe('Zed01203');
    expect(new Set(rows.map((row) => row['id'])).size).toBe(1204);

    // ?format=csv says the same; the school-scoped caller sees only its school; attendance may list students.
    const grade = await get(scoped, '/api/v1/students?format=csv&grade=05').expect(200);
    expect((parse(grade.text, { columns: true }) as unknown[]).length).toBe(1203);
    expect((await get(scoped, `/api/v1/students?format=csv&schoolId=${schoolA}`).expect(200)).text.trim().split('\r\n')).toHaveLength(1);
    await get(attendance, '/api/v1/students?format=csv').expect(200);
    // JSON stays the default, paged.
    expect((await get(tech, `/api/v1/students?schoolId=${schoolB}&limit=2`).expect(200)).body.nextCursor).toEqual(expect.any(String));
    await get(tech, '/api/v1/students?format=xml').expect(400);
  });

  it('streams devices with their holder, to the roles that may see devices', async () => {
    await t.db.query(
      `INSERT INTO devices (district_id, school_id, kind, serial_number, asset_tag)
       SELECT $1, $2, 'hotspot', 'HS' || n, 'HS-' || n FROM generate_series(1, 1001) n`,
      [district, schoolA],
    );
    const res = await get(tech, '/api/v1/devices?format=csv').expect(200);
    const rows = parse(res.text, { columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(1003);
    expect(new Set(rows.map((row) => row['id'])).size).toBe(1003);
    const held = rows.find((row) => row['assetTag'] === 'CB-0042110')!;
    expect(held).toMatchObject({ kind: 'chromebook', status: 'in_stock', holderStudentId: '' });
    const hotspots = await get(tech, '/api/v1/devices?kind=hotspot').set('Accept', 'text/csv').expect(200);
    expect((parse(hotspots.text, { columns: true }) as unknown[]).length).toBe(1001);
    await get(attendance, '/api/v1/devices?format=csv').expect(403);
  });
});
