import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { generateState, type GeneratedState } from '../bench/generator.js';
import { createHttpApp } from '../src/app.factory.js';
import { todayIn } from '../src/connectivity/school-days.js';
import { dropDatabase, ensureDatabase } from '../src/database/database-setup.js';
import { bearer, deleteQueueKeys, startTestApp, testConfig, waitForStatus, type TestApp } from './support/test-app.js';
import { importFile } from './fixtures/imports/support.js';

const run = promisify(execFile);

/**
 * The README's logical backup, proven: a `pg_dump -Fc` of a loaded database restored with `pg_restore`
 * into a new one gives the same reports, as JSON and as CSV.
 */
describe('backup and restore', () => {
  let dir: string;
  let t: TestApp;
  let state: GeneratedState;
  let restored: NestExpressApplication | undefined;
  let restoredConfig: ReturnType<typeof testConfig>;
  const districtIds: string[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rct-backup-'));
    t = await startTestApp({ worker: true, env: { IMPORT_DIR: join(dir, 'uploads') } });
    state = await generateState({
      seed: 5,
      students: 200,
      weeks: 2,
      asOf: todayIn('America/New_York'),
      districts: 2,
      dir: join(dir, 'state'),
    });
    for (const d of state.districts) {
      const created = await t
        .http()
        .post('/api/v1/districts')
        .set(...bearer(t.adminToken))
        .send({ name: d.name, code: d.code, timeZone: d.timeZone });
      expect(created.status).toBe(201);
      const districtId = created.body.id as string;
      districtIds.push(districtId);
      for (const [kind, path] of [
        ['oneroster', d.files.oneroster],
        ['student-attributes', d.files.studentAttributes],
        ['devices', d.files.devices],
        ['login-events', d.files.loginEvents],
        ['chromeos-devices', d.files.chromeosDevices],
        ['hotspot-usage', d.files.hotspotUsage],
        ['shipment-manifest', d.files.shipmentManifest],
      ] as const) {
        const view = await importFile(t, kind, districtId, await readFile(path), path.split('/').pop()!);
        expect({ kind, status: view.status }).toEqual({ kind, status: 'completed' });
      }
      const lines = (await readFile(d.files.assignments, 'utf8')).trim().split('\n').slice(1);
      const assigned = await t
        .http()
        .post('/api/v1/assignments/bulk')
        .set(...bearer(t.adminToken))
        .send({
          districtId,
          lines: lines.map((l) => l.split(',')).map(([assetTag, studentSourcedId]) => ({ assetTag, studentSourcedId })),
        });
      expect(assigned.status).toBe(200);
      const scan = await t
        .http()
        .post('/api/v1/gap-scans')
        .set(...bearer(t.adminToken))
        .send({ districtId, asOf: state.asOf });
      expect(scan.status).toBe(202);
      expect(await waitForStatus(t, `/api/v1/gap-scans/${scan.body.id as string}`, t.adminToken)).toMatchObject({ status: 'completed' });
    }
  }, 180_000);

  afterAll(async () => {
    await restored?.close();
    if (restoredConfig) {
      await dropDatabase(restoredConfig.databaseUrl);
      await deleteQueueKeys(restoredConfig);
    }
    await t?.close();
    await rm(dir, { recursive: true, force: true });
  });

  const REPORTS = (): string[] => [
    `/api/v1/reports/weekly-learning-model?weekOf=${state.weekOf}&bySchool=true`,
    `/api/v1/reports/rollout?fundingSource=${encodeURIComponent(state.fundingSource)}`,
    '/api/v1/reports/device-health',
    `/api/v1/reports/tickets?to=${state.asOf}`,
    ...districtIds.map((id) => `/api/v1/reports/tickets?to=${state.asOf}&districtId=${id}`),
  ];

  async function reports(http: () => ReturnType<typeof request>): Promise<Record<string, unknown>> {
    const out: Record<string, unknown> = {};
    for (const url of REPORTS()) {
      for (const accept of ['application/json', 'text/csv']) {
        const res = await http()
          .get(url)
          .set(...bearer(t.adminToken))
          .set('Accept', accept);
        expect([url, accept, res.status]).toEqual([url, accept, 200]);
        // When a report was made is the one thing that differs.
        out[`${accept} ${url}`] = accept === 'text/csv' ? res.text : { ...(res.body as object), generatedAt: null };
      }
    }
    return out;
  }

  it('restores a pg_dump of the loaded database into a new one whose reports agree', async () => {
    const before = await reports(() => t.http());
    expect(JSON.stringify(before)).toContain(districtIds[0]);
    // The scans opened tickets and the imports left assignments and login events: a loaded database, not an empty one.
    const [loaded] = (await t.db.query(
      `SELECT (SELECT count(*) FROM tickets)::int AS tickets, (SELECT count(*) FROM assignments)::int AS assignments,
              (SELECT count(*) FROM login_events)::int AS logins`,
    )) as { tickets: number; assignments: number; logins: number }[];
    expect(Math.min(loaded!.tickets, loaded!.assignments, loaded!.logins)).toBeGreaterThan(0);

    const dump = join(dir, 'reconnect.dump');
    await run('pg_dump', ['-Fc', '--no-owner', '-f', dump, t.config.databaseUrl]);
    restoredConfig = testConfig({ IMPORT_DIR: join(dir, 'uploads') });
    await ensureDatabase(restoredConfig.databaseUrl);
    await run('pg_restore', ['--no-owner', '--exit-on-error', '-d', restoredConfig.databaseUrl, dump]);

    restored = await createHttpApp(restoredConfig, { worker: false });
    const app = restored;
    const after = await reports(() => request(app.getHttpServer()));
    expect(after).toEqual(before);
  }, 120_000);
});
