import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { bearer, startTestApp, tokenFor, type TestApp } from './support/test-app.js';
import {
  count,
  createDistrict,
  finished,
  importFile,
  manifest,
  ORGS_HEADER,
  upload,
  USERS_HEADER,
  zipOf,
} from './fixtures/imports/support.js';

/*
 * Dry runs, a bulk roster that would withdraw too many students, its confirmation, the collection list
 * and the tickets of withdrawn students. The roster is written for these tests: ten students in two schools.
 */

let t: TestApp;
let importDir: string;

beforeAll(async () => {
  importDir = await mkdtemp(join(tmpdir(), 'rct-withdrawals-'));
  t = await startTestApp({ worker: true, env: { IMPORT_DIR: importDir } });
});
afterAll(async () => {
  await t?.close();
  await rm(importDir, { recursive: true, force: true });
});

const ORGS = [
  ORGS_HEADER,
  'd-1,,,Riverside Public Schools,district,RPS,',
  'sch-n,,,North Elementary,school,NE,d-1',
  'sch-s,,,South Middle,school,SM,d-1',
].join('\n');
const student = (n: number, org = n % 2 ? 'sch-n' : 'sch-s', given = `Given${n}`): string =>
  `st-${n},,,true,${org},student,u${n},,${given},Family${n},,SIS-${n},st${n}@riverside.example,,,,0${(n % 8) + 1},`;
const roster = (numbers: number[], extra: string[] = []): string => [USERS_HEADER, ...numbers.map((n) => student(n)), ...extra].join('\n');
const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);
const bulkZip = (users: string, withOrgs = true): Promise<Buffer> =>
  zipOf({ 'manifest.csv': manifest(withOrgs ? 'bulk' : 'absent', 'bulk'), ...(withOrgs ? { 'orgs.csv': ORGS } : {}), 'users.csv': users });

async function dryRun(districtId: string, content: Buffer, fileName: string): Promise<Record<string, unknown> & { id: string }> {
  const res = await t
    .http()
    .post('/api/v1/imports')
    .set(...bearer(t.adminToken))
    .field('kind', 'oneroster')
    .field('districtId', districtId)
    .field('dryRun', 'true')
    .attach('file', content, fileName)
    .expect(202);
  return (await finished(t, t.adminToken, res.body.id as string)) as unknown as Record<string, unknown> & { id: string };
}

describe('safe withdrawals', () => {
  let district: string;
  let admin: string;
  const students = async (): Promise<Record<string, string>> =>
    Object.fromEntries(
      (
        (await t.db.query(`SELECT sourced_id, enrollment_status FROM students WHERE district_id = $1 ORDER BY sourced_id`, [district])) as {
          sourced_id: string;
          enrollment_status: string;
        }[]
      ).map((r) => [r.sourced_id, r.enrollment_status]),
    );
  const idOf = async (sourcedId: string): Promise<string> =>
    (
      (await t.db.query(`SELECT id FROM students WHERE district_id = $1 AND sourced_id = $2`, [district, sourcedId])) as {
        id: string;
      }[]
    )[0]!.id;

  beforeAll(async () => {
    district = await createDistrict(t, 'sw-a');
    admin = await tokenFor(t, 'district_admin', district);
  });

  it('a dry run reports what the roster would create, writing nothing; the real run then writes it', async () => {
    const zip = await bulkZip(roster(range(1, 10), ['st-bad,,,true,sch-n,student,ub,,,NoGiven,,,,,,,,']));
    const dry = await dryRun(district, zip, 'roster.zip');
    expect(dry).toMatchObject({
      status: 'completed',
      dryRun: true,
      counts: { rows: 14, created: 12, updated: 0, unchanged: 0, failed: 1, skipped: 1 },
      stats: { withdrawn: 0 },
    });
    // Its row errors are kept; the district's tables, the audit trail and the import's working tables are untouched.
    expect((dry['errors'] as { data: unknown[] }).data).toEqual([
      expect.objectContaining({ part: 'users.csv', line: 12, field: 'givenName' }),
    ]);
    expect(await count(t, `SELECT count(*) AS n FROM students WHERE district_id = $1`, [district])).toBe(0);
    expect(await count(t, `SELECT count(*) AS n FROM schools WHERE district_id = $1`, [district])).toBe(0);
    const audited = `SELECT count(*) AS n FROM audit_events WHERE district_id = $1 AND entity_type IN ('student', 'school')`;
    expect(await count(t, audited, [district])).toBe(0);
    expect(await count(t, `SELECT count(*) AS n FROM import_seen_keys WHERE import_id = $1`, [dry.id])).toBe(0);
    const stored = (await t.db.query(`SELECT dry_run, checkpoint, status FROM imports WHERE id = $1`, [dry.id])) as unknown[];
    expect(stored).toEqual([{ dry_run: true, checkpoint: null, status: 'completed' }]);

    const real = await importFile(t, 'oneroster', district, zip, 'roster.zip');
    expect(real).toMatchObject({ status: 'completed', dryRun: false, counts: { rows: 14, created: 12, failed: 1, skipped: 1 } });
    expect(Object.values(await students())).toEqual(Array(10).fill('active'));
    expect(await count(t, `SELECT count(*) AS n FROM schools WHERE district_id = $1`, [district])).toBe(2);
  });

  it('stops a roster missing 40% of the district in needs_confirmation; confirming withdraws them and closes their tickets', async () => {
    // st-7 and st-8 hold equipment; st-7 and st-9 have open tickets, st-10 a resolved one; st-1 stays and keeps its ticket.
    const [schoolN] = (await t.db.query(`SELECT id FROM schools WHERE district_id = $1 AND code = 'NE'`, [district])) as { id: string }[];
    const device = async (kind: string, serial: string, tag: string): Promise<string> =>
      (
        (await t.db.query(
          `INSERT INTO devices (district_id, school_id, kind, serial_number, asset_tag) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
          [district, schoolN!.id, kind, serial, tag],
        )) as { id: string }[]
      )[0]!.id;
    const issue = async (deviceId: string, sourcedId: string): Promise<void> => {
      await t
        .http()
        .post('/api/v1/assignments')
        .set(...bearer(admin))
        .send({ deviceId, studentId: await idOf(sourcedId) })
        .expect(201);
    };
    await issue(await device('chromebook', 'SN-CB-7', 'RPS-0007'), 'st-7');
    await issue(await device('chromebook', 'SN-CB-8', 'RPS-0008'), 'st-8');
    await issue(await device('hotspot', 'SN-HS-8', 'RPS-H008'), 'st-8');
    const ticket = async (sourcedId: string, type: string, status = 'open'): Promise<string> =>
      (
        (await t.db.query(
          `INSERT INTO tickets (district_id, student_id, type, status, source, resolved_at, resolution)
           VALUES ($1, $2, $3, $4, 'manual', CASE WHEN $4 IN ('resolved','closed') THEN now() END, CASE WHEN $4 = 'resolved' THEN 'resolved_by_staff' END)
           RETURNING id`,
          [district, await idOf(sourcedId), type, status],
        )) as { id: string }[]
      )[0]!.id;
    const t7 = await ticket('st-7', 'replacement');
    const t9 = await ticket('st-9', 'outreach', 'in_progress');
    const t10 = await ticket('st-10', 'connectivity', 'resolved');
    const t1 = await ticket('st-1', 'outreach');

    // The SIS export lost st-7..st-10: four of ten, far above the default 5%.
    const truncated = await bulkZip(roster(range(1, 6)), false);
    const dry = await dryRun(district, truncated, 'truncated.zip');
    expect(dry).toMatchObject({
      status: 'completed',
      dryRun: true,
      counts: { rows: 6, unchanged: 6 },
      stats: { withdrawn: 0, withdrawalsPending: 4 },
    });
    const dryList = await t
      .http()
      .get(`/api/v1/imports/${dry.id}/withdrawals`)
      .set(...bearer(admin))
      .expect(200);
    expect((dryList.body.data as { sourcedId: string; enrollmentStatus: string }[]).map((w) => [w.sourcedId, w.enrollmentStatus])).toEqual([
      ['st-10', 'active'],
      ['st-7', 'active'],
      ['st-8', 'active'],
      ['st-9', 'active'],
    ]);

    const waiting = await importFile(t, 'oneroster', district, truncated, 'truncated.zip');
    expect(waiting).toMatchObject({ status: 'needs_confirmation', dryRun: false, stats: { withdrawn: 0, withdrawalsPending: 4 } });
    expect(Object.values(await students())).toEqual(Array(10).fill('active'));
    const stored = (await t.db.query(`SELECT status, finished_at FROM imports WHERE id = $1`, [waiting.id])) as unknown[];
    expect(stored).toEqual([{ status: 'needs_confirmation', finished_at: null }]);
    expect(await count(t, `SELECT count(*) AS n FROM import_seen_keys WHERE import_id = $1`, [waiting.id])).toBe(0);
    const empty = await t
      .http()
      .get('/api/v1/reports/collection')
      .set(...bearer(admin))
      .expect(200);
    expect(empty.body).toEqual({ data: [], nextCursor: null });

    // Only an admin confirms; a dry run or a completed import cannot be confirmed.
    const tech = await tokenFor(t, 'tech', district);
    await t
      .http()
      .post(`/api/v1/imports/${waiting.id}/confirm`)
      .set(...bearer(tech))
      .expect(403);
    const notWaiting = await t
      .http()
      .post(`/api/v1/imports/${dry.id}/confirm`)
      .set(...bearer(admin))
      .expect(409);
    expect(notWaiting.body.code).toBe('import_not_awaiting_confirmation');

    const confirmed = await t
      .http()
      .post(`/api/v1/imports/${waiting.id}/confirm`)
      .set(...bearer(admin))
      .send({ note: 'Checked with the registrar: these four left in June.' })
      .expect(200);
    expect(confirmed.body).toMatchObject({ status: 'completed', stats: { withdrawn: 4, withdrawalsPending: 4, ticketsResolved: 2 } });
    expect(await students()).toEqual({
      'st-1': 'active',
      'st-10': 'withdrawn',
      'st-2': 'active',
      'st-3': 'active',
      'st-4': 'active',
      'st-5': 'active',
      'st-6': 'active',
      'st-7': 'withdrawn',
      'st-8': 'withdrawn',
      'st-9': 'withdrawn',
    });
    const again = await t
      .http()
      .post(`/api/v1/imports/${waiting.id}/confirm`)
      .set(...bearer(admin))
      .expect(409);
    expect(again.body.code).toBe('import_not_awaiting_confirmation');

    // Open tickets of the withdrawn resolve as `withdrawn`, in their history and the audit trail; others are left alone.
    const tickets = (await t.db.query(`SELECT id, status, resolution FROM tickets WHERE district_id = $1`, [district])) as {
      id: string;
      status: string;
      resolution: string | null;
    }[];
    const byId = Object.fromEntries(tickets.map((x) => [x.id, [x.status, x.resolution]]));
    expect(byId).toEqual({
      [t7]: ['resolved', 'withdrawn'],
      [t9]: ['resolved', 'withdrawn'],
      [t10]: ['resolved', 'resolved_by_staff'],
      [t1]: ['open', null],
    });
    const events = (await t.db.query(`SELECT ticket_id, kind, data FROM ticket_events WHERE ticket_id = ANY($1) ORDER BY ticket_id`, [
      [t7, t9],
    ])) as { kind: string; data: unknown }[];
    expect(events).toHaveLength(2);
    expect(events.map((e) => [e.kind, e.data])).toEqual([
      ['status_changed', { to: 'resolved', resolution: 'withdrawn' }],
      ['status_changed', { to: 'resolved', resolution: 'withdrawn' }],
    ]);
    expect(
      await count(t, `SELECT count(*) AS n FROM audit_events WHERE entity_type = 'ticket' AND action = 'resolve' AND entity_id = ANY($1)`, [
        [t7, t9],
      ]),
    ).toBe(2);
    expect(
      await count(t, `SELECT count(*) AS n FROM audit_events WHERE entity_type = 'student' AND action = 'withdraw' AND district_id = $1`, [
        district,
      ]),
    ).toBe(4);
    const confirmAudit = (await t.db.query(
      `SELECT actor_token_id IS NOT NULL AS by_token, after FROM audit_events WHERE entity_id = $1 AND action = 'confirm'`,
      [waiting.id],
    )) as { by_token: boolean; after: { stats: Record<string, number> } }[];
    expect(confirmAudit).toEqual([
      {
        by_token: true,
        after: { stats: expect.objectContaining({ withdrawn: 4 }), note: 'Checked with the registrar: these four left in June.' },
      },
    ]);

    // The collection list: the withdrawn who still hold equipment, with their devices' asset tags.
    const list = await t
      .http()
      .get('/api/v1/reports/collection')
      .set(...bearer(admin))
      .expect(200);
    const rows = (
      list.body.data as { sourcedId: string; schoolCode: string; districtCode: string; devices: { assetTag: string; kind: string }[] }[]
    )
      .map((r) => [r.sourcedId, r.schoolCode, r.districtCode, r.devices.map((d) => `${d.kind}:${d.assetTag}`).sort()])
      .sort();
    expect(rows).toEqual([
      ['st-7', 'NE', 'sw-a', ['chromebook:RPS-0007']],
      ['st-8', 'SM', 'sw-a', ['chromebook:RPS-0008', 'hotspot:RPS-H008']],
    ]);
    const csv = await t
      .http()
      .get('/api/v1/reports/collection')
      .query({ format: 'csv' })
      .set(...bearer(admin))
      .expect(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const lines = csv.text.trim().split('\r\n');
    expect(lines[0]).toBe(
      'districtId,districtName,districtCode,schoolId,schoolName,schoolCode,studentId,sourcedId,identifier,givenName,familyName,devices,assetTags,serialNumbers',
    );
    expect(
      lines
        .slice(1)
        .map((l) => l.split(',').slice(7).join(','))
        .sort(),
    ).toEqual(['st-7,SIS-7,Given7,Family7,1,RPS-0007,SN-CB-7', 'st-8,SIS-8,Given8,Family8,2,RPS-0008; RPS-H008,SN-CB-8; SN-HS-8']);
    // Another district sees none of them.
    const other = await createDistrict(t, 'sw-b');
    const otherAdmin = await tokenFor(t, 'district_admin', other);
    const none = await t
      .http()
      .get('/api/v1/reports/collection')
      .set(...bearer(otherAdmin))
      .expect(200);
    expect(none.body.data).toEqual([]);
    await t
      .http()
      .post(`/api/v1/imports/${waiting.id}/confirm`)
      .set(...bearer(otherAdmin))
      .expect(404);
  });

  it('withdraws without waiting within the district setting, and validates the setting', async () => {
    const res = await t
      .http()
      .patch(`/api/v1/districts/${district}`)
      .set(...bearer(admin))
      .send({ rosterWithdrawalLimitPercent: 20 })
      .expect(200);
    expect(res.body.rosterWithdrawalLimitPercent).toBe(20);
    await t
      .http()
      .patch(`/api/v1/districts/${district}`)
      .set(...bearer(admin))
      .send({ rosterWithdrawalLimitPercent: 101 })
      .expect(400);
    // Six active; the file drops st-6: one of six (17%) is within 20%.
    const result = await importFile(t, 'oneroster', district, await bulkZip(roster(range(1, 5)), false), 'drop-one.zip');
    expect(result).toMatchObject({ status: 'completed', stats: { withdrawn: 1, ticketsResolved: 0 } });
    expect((await students())['st-6']).toBe('withdrawn');
  });
  it("resolves the open tickets of a delta roster's tobedeleted students", async () => {
    const st3 = await idOf('st-3');
    const [ticket] = (await t.db.query(
      `INSERT INTO tickets (district_id, student_id, type, source) VALUES ($1, $2, 'connectivity', 'manual') RETURNING id`,
      [district, st3],
    )) as { id: string }[];
    const users = [USERS_HEADER, student(3).replace('st-3,,', 'st-3,tobedeleted,')].join('\n');
    const result = await importFile(
      t,
      'oneroster',
      district,
      await zipOf({ 'manifest.csv': manifest('absent', 'delta'), 'users.csv': users }),
      'delta.zip',
    );
    expect(result).toMatchObject({ status: 'completed', counts: { updated: 1 }, stats: { ticketsResolved: 1 } });
    expect((await students())['st-3']).toBe('withdrawn');
    expect(await t.db.query(`SELECT status, resolution FROM tickets WHERE id = $1`, [ticket!.id])).toEqual([
      { status: 'resolved', resolution: 'withdrawn' },
    ]);
  });
});

describe('dry run of other kinds', () => {
  it('reports the devices a file would create and leaves the table alone', async () => {
    const district = await createDistrict(t, 'sw-c');
    const csv = 'serialNumber,kind,assetTag\nDRY-1,chromebook,T-1\nDRY-2,hotspot,T-2\n';
    const id = await (async () => {
      const res = await t
        .http()
        .post('/api/v1/imports')
        .set(...bearer(t.adminToken))
        .field('kind', 'devices')
        .field('districtId', district)
        .field('dryRun', 'true')
        .attach('file', Buffer.from(csv), 'devices.csv')
        .expect(202);
      return res.body.id as string;
    })();
    const dry = await finished(t, t.adminToken, id);
    expect(dry).toMatchObject({ status: 'completed', dryRun: true, counts: { rows: 2, created: 2 } });
    expect(await count(t, `SELECT count(*) AS n FROM devices WHERE district_id = $1`, [district])).toBe(0);
    const real = await finished(t, t.adminToken, await upload(t, t.adminToken, 'devices', district, csv, 'devices.csv'));
    expect(real).toMatchObject({ status: 'completed', dryRun: false, counts: { rows: 2, created: 2 } });
    expect(await count(t, `SELECT count(*) AS n FROM devices WHERE district_id = $1`, [district])).toBe(2);
  });
});
