import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { ConnectorRunner } from '../src/connectors/connector-runner.js';
import { ConnectorsRepository } from '../src/connectors/connectors.repository.js';
import { chromeDevice, FakeGoogle, loginActivity } from './support/fake-google.js';
import { FakeOneRoster, rosterSchool, rosterStudent } from './support/fake-oneroster.js';
import { bearer, startTestApp, tokenFor, waitForStatus, type TestApp } from './support/test-app.js';
import { createDistrict, createSchool } from './fixtures/imports/support.js';

let t: TestApp;
let google: FakeGoogle;

beforeAll(async () => {
  t = await startTestApp({
    worker: true,
    env: {
      SECRETS_KEY: randomBytes(32).toString('base64'),
      CONNECTOR_ALLOW_HTTP: 'true',
      // Backoffs of milliseconds, so a 500 costs the test nothing; Retry-After is honoured as given.
      CONNECTOR_RETRY_BASE_MS: '10',
      CONNECTOR_RETRY_MAX_MS: '3000',
    },
  });
  google = new FakeGoogle();
  await google.start();
});
afterAll(async () => {
  await google?.stop();
  await t?.close();
});
beforeEach(() => {
  google.seen.length = 0;
  google.faults.length = 0;
  google.revoked = false;
  google.beforeList = null;
});

const count = async (query: string, params: unknown[]): Promise<number> =>
  Number(((await t.db.query(query, params)) as { n: string }[])[0]!.n);

function googleSettings(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { serviceAccountKey: google.keyFile(), adminEmail: google.adminEmail, apiRootUrl: google.url, writeBack: 'off', ...extra };
}

async function createConnector(districtId: string, kind: string, settings: Record<string, unknown>): Promise<Record<string, unknown>> {
  const res = await t
    .http()
    .post('/api/v1/connectors')
    .set(...bearer(t.adminToken))
    .send({ districtId, kind, settings });
  expect({ status: res.status, body: res.body as unknown }).toMatchObject({ status: 201 });
  return res.body as Record<string, unknown>;
}

/** Runs the connector now through the API and the worker, and waits for the run to end. */
async function runNow(connectorId: string): Promise<Record<string, unknown>> {
  const res = await t
    .http()
    .post(`/api/v1/connectors/${connectorId}/runs`)
    .set(...bearer(t.adminToken))
    .send();
  expect({ status: res.status, body: res.body as unknown }).toMatchObject({ status: 202, body: { status: 'queued' } });
  return waitForStatus(t, `/api/v1/connectors/${connectorId}/runs/${res.body.id as string}`, t.adminToken, 30_000);
}

/** A district with a school and students whose Google accounts are `n@students.district.org`. */
async function districtWithStudents(code: string, students: number): Promise<{ district: string; school: string }> {
  const district = await createDistrict(t, code);
  const school = await createSchool(t, district, 'HS');
  await t.db.query(
    `INSERT INTO students (district_id, school_id, sourced_id, given_name, family_name, email)
     SELECT $1, $2, 'st-' || i, 'G', 'F', 'st-' || i || '@students.district.org' FROM generate_series(1, $3::int) i`,
    [district, school, students],
  );
  return { district, school };
}

describe('connectors: settings and secrets', () => {
  it('stores the key file encrypted, never returns or audits it, validates it, and allows one connector of a kind per district', async () => {
    const district = await createDistrict(t, 'conn-a');
    const created = await createConnector(district, 'google-workspace', googleSettings());
    expect(created).toMatchObject({
      kind: 'google-workspace',
      status: 'active',
      districtId: district,
      settings: {
        adminEmail: google.adminEmail,
        writeBack: 'off',
        serviceAccount: { clientEmail: google.clientEmail, privateKeyId: google.keyId },
      },
      schedule: '20 6-17 * * 1-5',
      nextRunAt: null,
      lastRun: null,
    });
    const id = created['id'] as string;
    const shown = await t
      .http()
      .get(`/api/v1/connectors/${id}`)
      .set(...bearer(t.adminToken));
    expect(shown.status).toBe(200);
    const listed = await t
      .http()
      .get(`/api/v1/connectors?districtId=${district}`)
      .set(...bearer(t.adminToken));
    expect((listed.body.data as { id: string }[]).map((c) => c.id)).toEqual([id]);
    const stored = (await t.db.query(`SELECT secrets_sealed, settings::text FROM connectors WHERE id = $1`, [id])) as {
      secrets_sealed: Buffer;
      settings: string;
    }[];
    const audit = (await t.db.query(`SELECT coalesce(before::text, '') || after::text AS text FROM audit_events WHERE entity_id = $1`, [
      id,
    ])) as {
      text: string;
    }[];
    for (const text of [
      JSON.stringify(created),
      JSON.stringify(shown.body),
      JSON.stringify(listed.body),
      stored[0]!.secrets_sealed.toString('latin1'),
      stored[0]!.settings,
      ...audit.map((a) => a.text),
    ]) {
      expect(text).not.toContain('PRIVATE KEY');
      expect(text).not.toContain(google.privateKeyPem.split('\n')[1]!);
    }
    expect(audit.length).toBeGreaterThan(0);

    const again = await t
      .http()
      .post('/api/v1/connectors')
      .set(...bearer(t.adminToken))
      .send({ districtId: district, kind: 'google-workspace', settings: googleSettings() });
    expect({ status: again.status, code: again.body.code as unknown }).toEqual({ status: 409, code: 'duplicate_connector' });

    const bad = await t
      .http()
      .post('/api/v1/connectors')
      .set(...bearer(t.adminToken))
      .send({
        districtId: await createDistrict(t, 'conn-b'),
        kind: 'google-workspace',
        settings: {
          serviceAccountKey: { ...google.keyFile(), private_key: 'not a key', client_email: undefined },
          adminEmail: 'nobody',
          extra: 1,
        },
      });
    expect(bad.status).toBe(400);
    expect((bad.body.errors as { field: string }[]).map((e) => e.field).sort()).toEqual([
      'settings.adminEmail',
      'settings.extra',
      'settings.serviceAccountKey.client_email',
    ]);
    expect(await count(`SELECT count(*) AS n FROM connectors WHERE district_id <> $1`, [district])).toBe(0);
  });

  it('keeps a district to its own connectors, and lets only admins change them', async () => {
    const district = await createDistrict(t, 'conn-c');
    const other = await createDistrict(t, 'conn-d');
    const id = (await createConnector(district, 'google-workspace', googleSettings()))['id'] as string;
    const otherAdmin = await tokenFor(t, 'district_admin', other);
    const tech = await tokenFor(t, 'tech', district);
    const foreign = await t
      .http()
      .get(`/api/v1/connectors/${id}`)
      .set(...bearer(otherAdmin));
    expect(foreign.status).toBe(404);
    const byTech = await t
      .http()
      .patch(`/api/v1/connectors/${id}`)
      .set(...bearer(tech))
      .send({ settings: { writeBack: 'dry_run' } });
    expect(byTech.status).toBe(403);
    const patched = await t
      .http()
      .patch(`/api/v1/connectors/${id}`)
      .set(...bearer(t.adminToken))
      .send({ settings: { writeBack: 'dry_run', schedule: '0 7 * * 1-5' } });
    expect(patched.body).toMatchObject({ settings: { writeBack: 'dry_run', adminEmail: google.adminEmail }, schedule: '0 7 * * 1-5' });
  });
});

describe('google-workspace connector', () => {
  it('signs in with the service account, pages devices and login activity into the imports, then syncs incrementally', async () => {
    const { district } = await districtWithStudents('goog-a', 3);
    google.devices = ['SN-1', 'SN-2', 'SN-3', 'SN-4', 'SN-5'].map((serial, i) =>
      chromeDevice(serial, {
        annotatedAssetId: `A-${i + 1}`,
        status: i === 4 ? 'DISABLED' : 'ACTIVE',
        lastSync: '2026-11-20T10:00:00.000Z',
      }),
    );
    google.activities = [
      loginActivity('st-1@students.district.org', '2026-12-01T13:00:00.000Z'),
      loginActivity('st-2@students.district.org', '2026-12-01T14:00:00.000Z'),
      loginActivity('st-1@students.district.org', '2026-12-02T13:00:00.000Z'),
      loginActivity('teacher@district.org', '2026-12-02T13:05:00.000Z'),
      loginActivity('st-3@students.district.org', '2026-12-02T13:10:00.000Z', 'login_failure'),
    ];
    const connector = await createConnector(district, 'google-workspace', googleSettings());
    const id = connector['id'] as string;
    // Google's quota answer on the first device page, and a passing 500 on the second activity page.
    google.faults.push({ path: '/devices/chromeos', status: 429, retryAfter: '1', pageToken: null });
    google.faults.push({ path: '/applications/login', status: 500, pageToken: Buffer.from('2').toString('base64url') });
    // A per-user quota 403 on the second device page passes too; only a refused delegation stops the connector.
    google.faults.push({
      path: '/devices/chromeos',
      status: 403,
      reason: 'userRateLimitExceeded',
      pageToken: Buffer.from('2').toString('base64url'),
    });

    const run = await runNow(id);
    expect(run).toMatchObject({
      status: 'completed',
      read: 10,
      errorCode: null,
      stats: { devicesRead: 5, loginsRead: 5, devicesChanged: 5 },
    });
    const streams = run['streams'] as { stream: string; pages: number; importId: string; importStatus: string }[];
    expect(streams.map((s) => [s.stream, s.pages, s.importStatus])).toEqual([
      ['devices', 3, 'completed'],
      ['logins', 3, 'completed'],
    ]);
    // The 429 was retried no sooner than its Retry-After asked.
    const firstPages = google.requests('/devices/chromeos').filter((r) => !r.query['pageToken']);
    expect(firstPages.map((r) => r.status)).toEqual([429, 200]);
    expect(firstPages[1]!.at - firstPages[0]!.at).toBeGreaterThanOrEqual(1000);
    expect(google.requests('/devices/chromeos').map((r) => r.status)).toEqual([429, 200, 403, 200, 200]);
    expect(google.requests('/applications/login').map((r) => r.status)).toEqual([200, 500, 200, 200]);
    expect(google.requests('/devices/chromeos').every((r) => r.query['projection'] === 'FULL' && !r.query['query'])).toBe(true);

    // What Reconnect stored, through the imports' own code path.
    const devices = (await t.db.query(
      `SELECT serial_number, asset_tag, google_status FROM devices WHERE district_id = $1 ORDER BY serial_number`,
      [district],
    )) as {
      serial_number: string;
      asset_tag: string;
      google_status: string;
    }[];
    expect(devices.map((d) => [d.serial_number, d.asset_tag, d.google_status])).toEqual([
      ['SN-1', 'A-1', 'ACTIVE'],
      ['SN-2', 'A-2', 'ACTIVE'],
      ['SN-3', 'A-3', 'ACTIVE'],
      ['SN-4', 'A-4', 'ACTIVE'],
      ['SN-5', 'A-5', 'DISABLED'],
    ]);
    expect(await count(`SELECT count(*) AS n FROM login_events WHERE district_id = $1`, [district])).toBe(4);
    const imports = (await t.db.query(`SELECT kind, origin, status FROM imports WHERE district_id = $1 ORDER BY kind`, [
      district,
    ])) as unknown[];
    expect(imports).toEqual([
      { kind: 'chromeos-devices', origin: 'connector', status: 'completed' },
      { kind: 'login-events', origin: 'connector', status: 'completed' },
    ]);
    expect(await count(`SELECT count(*) AS n FROM gap_scans WHERE district_id = $1 AND trigger = 'import'`, [district])).toBeGreaterThan(0);
    const lastLogin = (await t.db.query(`SELECT last_login_at FROM students WHERE district_id = $1 AND sourced_id = 'st-1'`, [
      district,
    ])) as {
      last_login_at: Date;
    }[];
    expect(lastLogin[0]!.last_login_at.toISOString()).toBe('2026-12-02T13:00:00.000Z');

    const state = await t
      .http()
      .get(`/api/v1/connectors/${id}`)
      .set(...bearer(t.adminToken));
    expect(state.body).toMatchObject({
      status: 'active',
      cursors: { loginsFrom: '2026-12-02T13:10:00.000Z' },
      lastRun: { id: run['id'], status: 'completed' },
    });
    const since = (state.body.cursors as Record<string, string>)['devicesSyncedSince']!;
    expect(since).toMatch(/^\d{4}-\d{2}-\d{2}$/);

    // The next run asks only for what is new: devices synced since, activity from the newest event seen.
    google.seen.length = 0;
    google.devices.push(chromeDevice('SN-6', { lastSync: `${since}T12:00:00.000Z` }));
    google.activities.push(loginActivity('st-2@students.district.org', '2026-12-03T08:00:00.000Z'));
    const second = await runNow(id);
    expect(second).toMatchObject({ status: 'completed', stats: { devicesRead: 1, loginsRead: 2 } });
    expect(google.requests('/devices/chromeos')[0]!.query['query']).toBe(`sync:${since}..`);
    expect(google.requests('/applications/login')[0]!.query['startTime']).toBe('2026-12-02T13:10:00.000Z');
    expect(await count(`SELECT count(*) AS n FROM devices WHERE district_id = $1`, [district])).toBe(6);
    // The event at the cursor came again and was deduplicated.
    expect(await count(`SELECT count(*) AS n FROM login_events WHERE district_id = $1`, [district])).toBe(5);
  });

  it('stops with a clear state when the credential is revoked, and starts again when the key is replaced', async () => {
    const { district } = await districtWithStudents('goog-b', 1);
    google.devices = [chromeDevice('RV-1')];
    google.activities = [];
    const id = (await createConnector(district, 'google-workspace', googleSettings()))['id'] as string;
    google.revoked = true;
    const run = await runNow(id);
    expect(run).toMatchObject({ status: 'failed', errorCode: 'credential_rejected' });
    expect(run['error']).toContain('invalid_grant');
    // One token request: a refused grant is not retried.
    expect(google.requests('/token')).toHaveLength(1);
    const state = await t
      .http()
      .get(`/api/v1/connectors/${id}`)
      .set(...bearer(t.adminToken));
    expect(state.body).toMatchObject({ status: 'stopped', stoppedCode: 'credential_rejected', nextRunAt: null });
    const whileStopped = await runNow(id);
    expect(whileStopped).toMatchObject({ status: 'failed', errorCode: 'connector_stopped' });

    google.revoked = false;
    const patched = await t
      .http()
      .patch(`/api/v1/connectors/${id}`)
      .set(...bearer(t.adminToken))
      .send({ settings: { serviceAccountKey: JSON.stringify(google.keyFile()) } });
    expect(patched.body).toMatchObject({ status: 'active', stoppedCode: null });
    expect(await runNow(id)).toMatchObject({ status: 'completed', stats: { devicesRead: 1 } });
  });

  it('asks for a new access token when one expires during a run', async () => {
    const { district } = await districtWithStudents('goog-f', 1);
    google.devices = ['EX-1', 'EX-2', 'EX-3'].map((serial) => chromeDevice(serial));
    google.activities = [];
    const id = (await createConnector(district, 'google-workspace', googleSettings()))['id'] as string;
    let expired = false;
    google.beforeList = () => {
      if (!expired) google.expireTokens();
      expired = true;
    };
    expect(await runNow(id)).toMatchObject({ status: 'completed', stats: { devicesRead: 3 } });
    expect(google.requests('/token').map((r) => r.status)).toEqual([200, 200]);
    expect(google.requests('/devices/chromeos').map((r) => r.status)).toEqual([200, 401, 200]);
  });

  it('runs only the streams asked for, and refuses one the connector does not sync', async () => {
    const { district } = await districtWithStudents('goog-g', 1);
    google.devices = [chromeDevice('ST-1')];
    google.activities = [loginActivity('st-1@students.district.org', '2026-12-01T13:00:00.000Z')];
    const id = (await createConnector(district, 'google-workspace', googleSettings()))['id'] as string;
    const refused = await t
      .http()
      .post(`/api/v1/connectors/${id}/runs`)
      .set(...bearer(t.adminToken))
      .send({ streams: ['roster'] });
    expect({ status: refused.status, fields: (refused.body.errors as { field: string }[]).map((e) => e.field) }).toEqual({
      status: 400,
      fields: ['streams'],
    });
    const res = await t
      .http()
      .post(`/api/v1/connectors/${id}/runs`)
      .set(...bearer(t.adminToken))
      .send({ streams: ['logins'] })
      .expect(202);
    const run = await waitForStatus(t, `/api/v1/connectors/${id}/runs/${res.body.id as string}`, t.adminToken);
    expect(run).toMatchObject({ status: 'completed', read: 1, streams: [{ stream: 'logins', items: 1 }] });
    expect(google.requests('/devices/chromeos')).toHaveLength(0);
  });

  it('refuses a second run while one is open', async () => {
    const { district } = await districtWithStudents('goog-c', 1);
    const id = (await createConnector(district, 'google-workspace', googleSettings()))['id'] as string;
    const runId = await t.app.get(ConnectorsRepository).insertRun(t.db.manager, {
      connectorId: id,
      districtId: district,
      trigger: 'schedule',
      streams: ['devices'],
      requestedBy: null,
    });
    const res = await t
      .http()
      .post(`/api/v1/connectors/${id}/runs`)
      .set(...bearer(t.adminToken))
      .send();
    expect({ status: res.status, code: res.body.code as unknown, runId: res.body.runId as unknown }).toEqual({
      status: 409,
      code: 'connector_run_in_progress',
      runId,
    });
  });

  it('resumes a run interrupted after its first page from the saved cursor, with no page kept twice', async () => {
    const { district } = await districtWithStudents('goog-d', 1);
    google.devices = ['RS-1', 'RS-2', 'RS-3', 'RS-4', 'RS-5'].map((serial) => chromeDevice(serial));
    google.activities = [];
    const id = (await createConnector(district, 'google-workspace', googleSettings()))['id'] as string;
    // A run created without a job: this test plays the worker, and stops it as a shutdown would.
    const runId = (await t.app.get(ConnectorsRepository).insertRun(t.db.manager, {
      connectorId: id,
      districtId: district,
      trigger: 'manual',
      streams: ['devices'],
      requestedBy: null,
    }))!;
    const shutdown = new AbortController();
    google.beforeList = (_path, query) => {
      if (query['pageToken']) {
        shutdown.abort();
        return new Promise<void>(() => undefined);
      }
    };
    const runner = t.app.get(ConnectorRunner);
    await expect(runner.run(runId, { signal: shutdown.signal, finalAttempt: false })).rejects.toThrow();
    const halfway = (await t.app.get(ConnectorsRepository).findRun(runId, id))!;
    expect(halfway).toMatchObject({ status: 'running', progress: { devices: { pages: 1, items: 2, fetched: false, importId: null } } });
    expect(await count(`SELECT count(*) AS n FROM devices WHERE district_id = $1`, [district])).toBe(0);

    google.beforeList = null;
    google.seen.length = 0;
    const done = (await runner.run(runId, { finalAttempt: true }))!;
    expect(done).toMatchObject({ status: 'completed', itemsRead: 5, attempts: 2 });
    // It went on from page 2: the first page was not asked for again.
    expect(google.requests('/devices/chromeos').map((r) => r.query['pageToken'] ?? null)).toEqual([
      Buffer.from('2').toString('base64url'),
      Buffer.from('4').toString('base64url'),
    ]);
    expect(await count(`SELECT count(*) AS n FROM devices WHERE district_id = $1`, [district])).toBe(5);
    expect(await count(`SELECT count(*) AS n FROM imports WHERE district_id = $1`, [district])).toBe(1);

    // The same pages applied again change nothing.
    const again = await runNow(id);
    expect(again).toMatchObject({ status: 'completed', changed: 0 });
    expect(await count(`SELECT count(*) AS n FROM devices WHERE district_id = $1`, [district])).toBe(5);
  });

  it('fails a run whose remote stays unavailable after bounded retries, and keeps the connector active', async () => {
    const { district } = await districtWithStudents('goog-e', 1);
    google.devices = [chromeDevice('UN-1')];
    const id = (await createConnector(district, 'google-workspace', googleSettings()))['id'] as string;
    for (let i = 0; i < 6; i += 1) google.faults.push({ path: '/devices/chromeos', status: 503 });
    const runId = (await t.app.get(ConnectorsRepository).insertRun(t.db.manager, {
      connectorId: id,
      districtId: district,
      trigger: 'manual',
      streams: ['devices'],
      requestedBy: null,
    }))!;
    const ended = (await t.app.get(ConnectorRunner).run(runId, { finalAttempt: true }))!;
    expect(ended).toMatchObject({ status: 'failed', errorCode: 'remote_unavailable' });
    expect(google.requests('/devices/chromeos').map((r) => r.status)).toEqual([503, 503, 503, 503, 503, 503]);
    const state = await t
      .http()
      .get(`/api/v1/connectors/${id}`)
      .set(...bearer(t.adminToken));
    expect(state.body).toMatchObject({ status: 'active', lastRun: { status: 'failed', errorCode: 'remote_unavailable' } });
  });
});

describe('oneroster-rest connector', () => {
  async function rosterServer(version: '1.1' | '1.2', students: number): Promise<FakeOneRoster> {
    const server = new FakeOneRoster(version);
    await server.start();
    server.schools = [rosterSchool('org-hs', 'High School', 'HS'), rosterSchool('org-ms', 'Middle School', 'MS')];
    server.students = Array.from({ length: students }, (_, i) => rosterStudent(version, `stu-${i + 1}`, i % 2 ? 'org-ms' : 'org-hs'));
    return server;
  }

  const rosterSettings = (server: FakeOneRoster): Record<string, unknown> => ({
    baseUrl: server.url,
    tokenUrl: `${server.url}/oauth/token`,
    clientId: server.clientId,
    clientSecret: server.clientSecret,
  });

  it('reads schools and students of OneRoster 1.1 with client credentials, paged by limit and offset, through the roster import', async () => {
    const server = await rosterServer('1.1', 150);
    try {
      const district = await createDistrict(t, 'or-a');
      const id = (await createConnector(district, 'oneroster-rest', rosterSettings(server)))['id'] as string;
      const run = await runNow(id);
      expect(run).toMatchObject({ status: 'completed', read: 152, stats: { rosterRead: 152 } });
      expect(server.requests('/students').map((r) => r.query['offset'])).toEqual(['0', '100']);
      expect(server.requests('/v1p2/')).toHaveLength(1);
      const students = (await t.db.query(
        `SELECT s.sourced_id, s.identifier, sc.code FROM students s JOIN schools sc ON sc.id = s.school_id WHERE s.district_id = $1 ORDER BY s.sourced_id`,
        [district],
      )) as { sourced_id: string; identifier: string; code: string }[];
      expect(students).toHaveLength(150);
      expect(students[0]).toEqual({ sourced_id: 'stu-1', identifier: 'SIS-stu-1', code: 'HS' });
      const state = await t
        .http()
        .get(`/api/v1/connectors/${id}`)
        .set(...bearer(t.adminToken));
      expect(state.body).toMatchObject({ cursors: { rosterVersion: '1.1' }, schedule: '30 2 * * *' });
      expect(JSON.stringify(state.body)).not.toContain(server.clientSecret);

      // The next night a student has left: the same safe-withdrawal rule as a bulk roster file.
      server.students = server.students.filter((s) => s['sourcedId'] !== 'stu-7');
      const second = await runNow(id);
      expect(second).toMatchObject({ status: 'completed' });
      const left = (await t.db.query(`SELECT enrollment_status FROM students WHERE district_id = $1 AND sourced_id = 'stu-7'`, [
        district,
      ])) as {
        enrollment_status: string;
      }[];
      expect(left[0]!.enrollment_status).toBe('withdrawn');
      expect(await count(`SELECT count(*) AS n FROM students WHERE district_id = $1 AND enrollment_status = 'active'`, [district])).toBe(
        149,
      );

      // A server that suddenly lists half the district is not believed: the import waits for an admin.
      server.students = server.students.slice(0, 70);
      const third = await runNow(id);
      expect(third).toMatchObject({ status: 'completed', streams: [{ stream: 'roster', importStatus: 'needs_confirmation' }] });
      expect((third['stats'] as Record<string, number>)['withdrawalsPending']).toBe(79);
      expect(await count(`SELECT count(*) AS n FROM students WHERE district_id = $1 AND enrollment_status = 'active'`, [district])).toBe(
        149,
      );
    } finally {
      await server.stop();
    }
  });

  it('uses OneRoster 1.2 where the server offers it, and stops when the client is revoked', async () => {
    const server = await rosterServer('1.2', 3);
    try {
      const district = await createDistrict(t, 'or-b');
      const id = (await createConnector(district, 'oneroster-rest', rosterSettings(server)))['id'] as string;
      expect(await runNow(id)).toMatchObject({ status: 'completed', read: 5 });
      expect(await count(`SELECT count(*) AS n FROM students WHERE district_id = $1`, [district])).toBe(3);
      expect(server.requests('/v1p1/')).toHaveLength(0);

      server.revoked = true;
      expect(await runNow(id)).toMatchObject({ status: 'failed', errorCode: 'credential_rejected' });
      const state = await t
        .http()
        .get(`/api/v1/connectors/${id}`)
        .set(...bearer(t.adminToken));
      expect(state.body).toMatchObject({ status: 'stopped', stoppedCode: 'credential_rejected' });

      // The vendor issues a new secret; replacing it starts the connector again.
      server.revoked = false;
      server.clientSecret = 'rotated-secret';
      await t
        .http()
        .patch(`/api/v1/connectors/${id}`)
        .set(...bearer(t.adminToken))
        .send({ settings: { clientSecret: 'rotated-secret' } })
        .expect(200);
      expect(await runNow(id)).toMatchObject({ status: 'completed' });
    } finally {
      await server.stop();
    }
  });
});

describe('write-back to Google', () => {
  /** Waits until no write-back of the district is pending (the delivery jobs have run). */
  async function delivered(district: string): Promise<void> {
    const deadline = Date.now() + 20_000;
    while ((await count(`SELECT count(*) AS n FROM google_write_backs WHERE district_id = $1 AND status = 'pending'`, [district])) > 0) {
      if (Date.now() > deadline) throw new Error('write-backs still pending');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** A district whose Google connector has synced Chromebooks WB-1 and WB-2, and a student to give them to. */
  async function syncedDistrict(code: string, writeBack: string, deprovisionOnRetire = false) {
    const { district, school } = await districtWithStudents(code, 1);
    google.devices = ['WB-1', 'WB-2'].map((serial) => chromeDevice(serial, { annotatedAssetId: `TAG-${serial}` }));
    google.activities = [];
    const id = (await createConnector(district, 'google-workspace', googleSettings({ writeBack, deprovisionOnRetire })))['id'] as string;
    expect(await runNow(id)).toMatchObject({ status: 'completed', stats: { devicesRead: 2 } });
    const devices = (await t.db.query(`SELECT id, serial_number FROM devices WHERE district_id = $1 ORDER BY serial_number`, [
      district,
    ])) as {
      id: string;
    }[];
    const [student] = (await t.db.query(`SELECT id FROM students WHERE district_id = $1`, [district])) as { id: string }[];
    const [schoolRow] = (await t.db.query(`SELECT name FROM schools WHERE id = $1`, [school])) as { name: string }[];
    return { district, devices: devices.map((d) => d.id), student: student!.id, schoolName: schoolRow!.name };
  }

  const post = (url: string, body: object) =>
    t
      .http()
      .post(url)
      .set(...bearer(t.adminToken))
      .send(body);

  it('writes custody changes to Google through the outbox: annotations, disable when lost, re-enable when found, deprovision when retired', async () => {
    const { district, devices, student, schoolName } = await syncedDistrict('wb-on', 'on', true);
    google.writes.length = 0;
    await post('/api/v1/assignments', { deviceId: devices[0], studentId: student }).expect(201);
    await delivered(district);
    expect(google.writes).toEqual([
      {
        method: 'PUT',
        deviceId: 'dev-WB-1',
        body: { annotatedUser: 'st-1@students.district.org', annotatedAssetId: 'TAG-WB-1', annotatedLocation: schoolName },
      },
    ]);

    await post(`/api/v1/devices/${devices[0]}/report-loss`, { kind: 'lost' }).expect(200);
    await delivered(district);
    await t
      .http()
      .patch(`/api/v1/devices/${devices[0]}`)
      .set(...bearer(t.adminToken))
      .send({ status: 'in_stock' })
      .expect(200);
    await delivered(district);
    await post(`/api/v1/devices/${devices[1]}/retire`, {}).expect(200);
    await delivered(district);
    expect(google.writes.slice(1).map((w) => [w.method, w.deviceId, w.body['action']])).toEqual([
      ['POST', 'dev-WB-1', 'disable'],
      ['POST', 'dev-WB-1', 'reenable'],
      ['POST', 'dev-WB-2', 'deprovision'],
    ]);
    expect(google.devices.map((d) => d['status'])).toEqual(['ACTIVE', 'DEPROVISIONED']);

    // Google no longer knows the device: the write-back fails, once, and says so in the device's history.
    google.devices = google.devices.filter((d) => d['deviceId'] !== 'dev-WB-1');
    await post('/api/v1/assignments', { deviceId: devices[0], studentId: student }).expect(201);
    await delivered(district);
    const [failed] = (await t.db.query(
      `SELECT status, attempts, error FROM google_write_backs WHERE device_id = $1 ORDER BY created_at DESC LIMIT 1`,
      [devices[0]],
    )) as { status: string; attempts: number; error: string }[];
    expect(failed).toMatchObject({ status: 'failed', attempts: 1 });
    expect(failed!.error).toContain('404');

    // The device's history says what was written and that Google took it.
    const history = (await t.db.query(
      `SELECT after->>'action' AS action, after->>'status' AS status FROM audit_events
       WHERE entity_type = 'device' AND entity_id = $1 AND action = 'google_write_back' ORDER BY occurred_at, id`,
      [devices[0]],
    )) as { action: string; status: string }[];
    expect(history.map((h) => `${h.action}:${h.status}`)).toEqual([
      'annotate:pending',
      'annotate:delivered',
      'disable:pending',
      'disable:delivered',
      'reenable:pending',
      'reenable:delivered',
      'annotate:pending',
      'annotate:failed',
    ]);
  });

  it('records what it would write in dry-run mode without calling Google, and writes nothing when off', async () => {
    const dry = await syncedDistrict('wb-dry', 'dry_run');
    google.writes.length = 0;
    await post('/api/v1/assignments', { deviceId: dry.devices[0], studentId: dry.student }).expect(201);
    await post(`/api/v1/devices/${dry.devices[1]}/report-loss`, { kind: 'stolen' }).expect(200);
    const rows = (await t.db.query(
      `SELECT action, mode, status, payload->>'annotatedUser' AS "user" FROM google_write_backs WHERE district_id = $1 ORDER BY created_at`,
      [dry.district],
    )) as unknown[];
    expect(rows).toEqual([
      { action: 'annotate', mode: 'dry_run', status: 'recorded', user: 'st-1@students.district.org' },
      { action: 'disable', mode: 'dry_run', status: 'recorded', user: null },
    ]);

    const off = await syncedDistrict('wb-off', 'off');
    await post('/api/v1/assignments', { deviceId: off.devices[0], studentId: off.student }).expect(201);
    expect(await count(`SELECT count(*) AS n FROM google_write_backs WHERE district_id = $1`, [off.district])).toBe(0);
    expect(google.writes).toEqual([]);
  });
});
