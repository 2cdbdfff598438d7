import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { todayIn } from '../src/connectivity/school-days.js';
import { generateState, type GeneratedDistrict, type GeneratedState } from '../bench/generator.js';
import { bearer, startTestApp, waitForStatus, type TestApp } from './support/test-app.js';
import { count, importFile } from './fixtures/imports/support.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rct-bench-gen-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Every file under root, by relative path, as a SHA-256. */
async function digests(root: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const entry of await readdir(root, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    const name = relative(root, path);
    // state.json names the folder it was written to.
    if (name !== 'state.json')
      out[name] = createHash('sha256')
        .update(await readFile(path))
        .digest('hex');
  }
  return out;
}

describe('bench state generator', () => {
  const options = { students: 300, weeks: 2, asOf: '2020-10-05', districts: 2 };

  it('writes the same bytes for the same seed, and a different state for another seed', async () => {
    const a = await generateState({ ...options, seed: 7, dir: join(dir, 'a') });
    const b = await generateState({ ...options, seed: 7, dir: join(dir, 'b') });
    const c = await generateState({ ...options, seed: 8, dir: join(dir, 'c') });
    const [da, db, dc] = await Promise.all([digests(join(dir, 'a')), digests(join(dir, 'b')), digests(join(dir, 'c'))]);
    expect(Object.keys(da).length).toBeGreaterThanOrEqual(2 * 10);
    expect(Object.keys(da)).toContain(join('BD002', 'shipment-manifest.csv'));
    expect(db).toEqual(da);
    expect(b.totals).toEqual(a.totals);
    expect(dc).not.toEqual(da);
    expect(c.totals.students).toBe(300);
    expect(a.totals.students).toBe(300);
    expect(a.totals.remote).toBeGreaterThan(0);
    expect(a.totals.loginEvents).toBeGreaterThan(0);
  });

  it('shapes a city: one urban district with 500 of every 520 students, and three small ones', async () => {
    const city = await generateState({ students: 5200, weeks: 2, asOf: '2020-10-05', seed: 1, shape: 'city', dir: join(dir, 'city') });
    expect(city.districts.map((d) => [d.urban, d.counts.students > 0])).toEqual([
      [true, true],
      [false, true],
      [false, true],
      [false, true],
    ]);
    // 500 of every 520, less what rounding and the small districts' floor of 60 students take.
    expect(city.districts[0]!.counts.students).toBeGreaterThanOrEqual(4950);
    expect(city.totals.students).toBe(5200);
  });
});

describe('bench state, loaded through the imports', () => {
  let t: TestApp;
  let state: GeneratedState;
  const ids = new Map<string, string>();

  beforeAll(async () => {
    t = await startTestApp({ worker: true, env: { IMPORT_DIR: join(dir, 'uploads') } });
    // Today, as the scans the imports queue judge it.
    state = await generateState({
      seed: 3,
      students: 300,
      weeks: 2,
      asOf: todayIn('America/New_York'),
      districts: 2,
      dir: join(dir, 'load'),
    });
    for (const d of state.districts) {
      const res = await t
        .http()
        .post('/api/v1/districts')
        .set(...bearer(t.adminToken))
        .send({ name: d.name, code: d.code, timeZone: d.timeZone });
      expect(res.status).toBe(201);
      ids.set(d.code, res.body.id as string);
    }
  });
  afterAll(async () => {
    await t?.close();
  });

  const load = async (d: GeneratedDistrict, kind: string, path: string) => {
    const view = await importFile(t, kind, ids.get(d.code)!, await readFile(path), path.split('/').pop()!);
    expect({ kind, status: view.status, summary: view.errorSummary }).toEqual({ kind, status: 'completed', summary: null });
    return view;
  };

  it('accepts every file, and the generator knows the gaps, the weekly figures and the rollout reconciliation the product finds', async () => {
    for (const d of state.districts) {
      const districtId = ids.get(d.code)!;
      const roster = await load(d, 'oneroster', d.files.oneroster);
      expect(roster.counts).toMatchObject({ created: d.counts.students + d.counts.schools, failed: 0 });
      expect((await load(d, 'student-attributes', d.files.studentAttributes)).counts).toMatchObject({ rows: d.counts.students, failed: 0 });
      expect((await load(d, 'devices', d.files.devices)).counts).toMatchObject({
        created: d.counts.chromebooks + d.counts.hotspots,
        failed: 0,
      });

      const lines = (await readFile(d.files.assignments, 'utf8'))
        .trim()
        .split('\n')
        .slice(1)
        .map((l) => l.split(','));
      const assigned = await t
        .http()
        .post('/api/v1/assignments/bulk')
        .set(...bearer(t.adminToken))
        .send({ districtId, lines: lines.map(([assetTag, studentSourcedId]) => ({ assetTag, studentSourcedId })) });
      expect(assigned.status).toBe(200);
      expect((assigned.body.results as { outcome: string }[]).filter((r) => r.outcome === 'assigned')).toHaveLength(d.counts.assignments);

      const logins = await load(d, 'login-events', d.files.loginEvents);
      // The events of accounts no roster names (staff, students not yet rostered) are skipped, not failures.
      expect(logins.counts.failed).toBe(0);
      expect(logins.counts.skipped).toBe(logins.stats['notStudents']);
      expect(logins.counts.created + logins.counts.skipped).toBe(d.counts.loginEvents);
      expect((await load(d, 'chromeos-devices', d.files.chromeosDevices)).counts).toMatchObject({
        rows: d.counts.googleDevices,
        failed: 0,
      });
      expect((await load(d, 'hotspot-usage', d.files.hotspotUsage)).counts).toMatchObject({ rows: d.counts.hotspotLines, failed: 0 });
      const manifests = await load(d, 'shipment-manifest', d.files.shipmentManifest);
      expect({ counts: manifests.counts, ignored: manifests.ignoredColumns }).toMatchObject({
        counts: { rows: d.counts.manifestSerials, created: d.counts.manifestSerials, failed: 0 },
        ignored: [],
      });

      const scan = await t
        .http()
        .post('/api/v1/gap-scans')
        .set(...bearer(t.adminToken))
        .send({ districtId, asOf: state.asOf });
      expect(scan.status).toBe(202);
      expect(await waitForStatus(t, `/api/v1/gap-scans/${scan.body.id as string}`, t.adminToken)).toMatchObject({ status: 'completed' });
      expect(await count(t, `SELECT count(*) AS n FROM gaps WHERE district_id = $1 AND closed_at IS NULL`, [districtId])).toBe(
        d.counts.expectedGaps,
      );
    }
    const weekly = await t
      .http()
      .get(`/api/v1/reports/weekly-learning-model?weekOf=${state.weekOf}`)
      .set(...bearer(t.adminToken));
    expect(weekly.status).toBe(200);
    const total = (weekly.body.rows as { districtId: string | null; remote: number; remoteNotConnected: number }[]).find(
      (r) => r.districtId === null,
    );
    expect(total).toMatchObject({ remote: state.totals.remote, remoteNotConnected: state.totals.remoteNotConnectedWeekOf });

    const rollout = await t
      .http()
      .get('/api/v1/reports/rollout')
      .query({ fundingSource: state.fundingSource })
      .set(...bearer(t.adminToken));
    expect(rollout.status).toBe(200);
    type Rollout = { districtId: string; totals: { delivered: number }; reconciliation: Record<string, { count: number }> };
    const found = Object.fromEntries(
      (rollout.body.districts as Rollout[]).map((r) => [
        r.districtId,
        {
          delivered: r.totals.delivered,
          notRegistered: r.reconciliation['deliveredNotRegistered']!.count,
          notOnManifest: r.reconciliation['registeredNotOnManifest']!.count,
          otherFunding: r.reconciliation['deliveredUnderOtherFunding']!.count,
        },
      ]),
    );
    expect(found).toEqual(
      Object.fromEntries(
        state.districts.map((d) => [
          ids.get(d.code)!,
          {
            delivered: d.counts.manifestSerials,
            notRegistered: d.counts.deliveredNotRegistered,
            notOnManifest: d.counts.registeredNotOnManifest,
            otherFunding: 0,
          },
        ]),
      ),
    );
  }, 60_000);

  it('writes Google Reports API login activity the import accepts', async () => {
    const google = await generateState({
      seed: 3,
      students: 60,
      weeks: 2,
      asOf: state.asOf,
      districts: 1,
      codePrefix: 'GJ',
      loginFormat: 'google',
      dir: join(dir, 'google'),
    });
    const d = google.districts[0]!;
    const res = await t
      .http()
      .post('/api/v1/districts')
      .set(...bearer(t.adminToken))
      .send({ name: d.name, code: d.code, timeZone: d.timeZone });
    ids.set(d.code, res.body.id as string);
    await load(d, 'oneroster', d.files.oneroster);
    const logins = await load(d, 'login-events', d.files.loginEvents);
    expect(d.files.loginEvents.endsWith('.json')).toBe(true);
    expect(logins.counts.created + logins.counts.skipped).toBe(d.counts.loginEvents);
    expect(logins.counts.skipped).toBe(logins.stats['notStudents']);
  });
});
