import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parse } from 'csv-parse/sync';
import { Seed } from './support/seed.js';
import { bearer, startTestApp, tokenFor, type TestApp } from './support/test-app.js';
import { importFile } from './fixtures/imports/support.js';

const URL = '/api/v1/reports/federal-inventory';
const ECF = 'Emergency Connectivity Fund';

let t: TestApp;
let seed: Seed;
let district: string;
let school: string;
let admin: string;
let helpdesk: string;
const students: Record<'ana' | 'ben' | 'cai', string> = { ana: '', ben: '', cai: '' };
const devices: Record<'l1' | 'l2' | 'h1' | 'l3' | 'other', string> = { l1: '', l2: '', h1: '', l3: '', other: '' };

type Row = Record<string, unknown>;

async function post(url: string, body: object): Promise<Record<string, unknown>> {
  const res = await t
    .http()
    .post(`/api/v1${url}`)
    .set(...bearer(helpdesk))
    .send(body);
  if (res.status >= 300) throw new Error(`${url}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as Record<string, unknown>;
}

const issue = async (deviceId: string, studentId: string): Promise<string> =>
  (await post('/assignments', { deviceId, studentId }))['id'] as string;

/** Every row, read page by page through the JSON cursor. */
async function allPages(token: string, query: Record<string, string>, limit: number): Promise<Row[]> {
  const rows: Row[] = [];
  let cursor: string | null = null;
  do {
    const res = await t
      .http()
      .get(URL)
      .query({ ...query, limit: String(limit), ...(cursor ? { cursor } : {}) })
      .set(...bearer(token))
      .expect(200);
    rows.push(...(res.body.data as Row[]));
    cursor = res.body.nextCursor as string | null;
  } while (cursor);
  return rows;
}

beforeAll(async () => {
  t = await startTestApp({ worker: true });
  seed = new Seed(t.db);
  district = await seed.district();
  school = await seed.school(district);
  admin = await tokenFor(t, 'district_admin', district);
  helpdesk = await tokenFor(t, 'helpdesk', district);
  for (const name of ['ana', 'ben', 'cai'] as const) {
    students[name] = await seed.student(district, school);
    await t.db.query(`UPDATE students SET given_name = $2, family_name = 'Federal' WHERE id = $1`, [students[name], name.toUpperCase()]);
  }
  devices.l1 = await seed.device(district, school, { serial_number: 'ECF-L1', manufacturer: 'Acer', model: 'C733', funding_source: ECF });
  // Recorded under the district's own money, but the programme's manifest lists it: the programme's all the same.
  devices.l2 = await seed.device(district, school, { serial_number: 'ECF-L2', kind: 'laptop', funding_source: 'District' });
  devices.h1 = await seed.device(district, school, {
    serial_number: 'ECF-H1',
    kind: 'hotspot',
    imei: '356938035643809',
    carrier: 'T-Mobile',
    funding_source: ECF,
  });
  devices.l3 = await seed.device(district, school, { serial_number: 'ECF-L3', funding_source: ECF });
  devices.other = await seed.device(district, school, { serial_number: 'OWN-1', funding_source: 'District' });
  await t
    .http()
    .post('/api/v1/shipments')
    .set(...bearer(admin))
    .send({ fundingSource: ECF, shippedOn: '2021-09-01', reference: 'ECF-PO-1', serialNumbers: ['ECF-L1', 'ECF-L2'] })
    .expect(201);
  // Another district's programme device is never in this district's inventory.
  const away = await seed.district();
  await seed.device(away, await seed.school(away), { serial_number: 'AWAY-1', funding_source: ECF });

  // The scripted history: issue, return, re-issue, loss; a repair intake; a hotspot held.
  const first = await issue(devices.l1, students.ana);
  await post(`/assignments/${first}/return`, { condition: 'working' });
  await issue(devices.l1, students.ben);
  await post(`/devices/${devices.l1}/report-loss`, { kind: 'stolen', policeReportNumber: 'PR-7' });
  await issue(devices.l2, students.cai);
  await post(`/devices/${devices.l2}/repair-intake`, { problem: 'damaged' });
  await issue(devices.h1, students.ana);
  // The carrier's export names the line's plan; the inventory reports it with the cap.
  const usage = await importFile(
    t,
    'hotspot-usage',
    district,
    'IMEI,Rate Plan,Data Cap (GB),Data Usage (MB)\n356938035643809,SchoolConnect 10GB,10,120\n',
    'usage.csv',
  );
  expect(usage.status).toBe('completed');
}, 60_000);

afterAll(async () => {
  await t?.close();
});

describe('GET /reports/federal-inventory', () => {
  it('matches the custody ledger: one row per loan of each programme device, and devices never loaned', async () => {
    const rows = await allPages(admin, { fundingSource: ECF }, 2);
    const ledger = (await t.db.query(
      `SELECT a.id, a.device_id, a.student_id, a.end_reason,
              (a.started_at AT TIME ZONE 'America/New_York')::date::text AS started,
              (a.ended_at AT TIME ZONE 'America/New_York')::date::text AS ended
       FROM assignments a WHERE a.device_id = ANY($1) ORDER BY a.started_at`,
      [[devices.l1, devices.l2, devices.h1, devices.l3]],
    )) as { id: string; device_id: string; student_id: string; end_reason: string | null; started: string; ended: string | null }[];
    expect(ledger).toHaveLength(4);
    const loans = rows.filter((r) => !r['neverLoaned']);
    expect(loans.map((r) => r['assignmentId']).sort()).toEqual(ledger.map((a) => a.id).sort());
    for (const a of ledger) {
      const row = loans.find((r) => r['assignmentId'] === a.id)!;
      expect(row).toMatchObject({ deviceId: a.device_id, studentId: a.student_id, loanedOn: a.started, endReason: a.end_reason });
      expect(row['returnedOn'] ?? row['incidentOn'] ?? null).toBe(a.ended);
    }
    // Devices in (district, device, loan) order; OWN-1 and the other district's device are not the programme's.
    expect(rows.map((r) => r['serialNumber']).sort()).toEqual(['ECF-H1', 'ECF-L1', 'ECF-L1', 'ECF-L2', 'ECF-L3']);
    const today = ledger[0]!.started;
    const bySerial = (serial: string) => rows.filter((r) => r['serialNumber'] === serial);
    expect(bySerial('ECF-L1')).toEqual([
      expect.objectContaining({
        loanNumber: 1,
        providedTo: 'ANA Federal',
        deviceType: 'laptop',
        manufacturer: 'Acer',
        model: 'C733',
        loanedOn: today,
        returnedOn: today,
        incident: null,
        manifestReference: 'ECF-PO-1',
        shippedOn: '2021-09-01',
      }),
      expect.objectContaining({
        loanNumber: 2,
        providedTo: 'BEN Federal',
        returnedOn: null,
        endReason: 'stolen',
        incident: 'stolen',
        incidentOn: today,
        deviceStatus: 'stolen',
        deviceLossReportedOn: today,
      }),
    ]);
    expect(bySerial('ECF-L2')).toEqual([
      expect.objectContaining({
        providedTo: 'CAI Federal',
        recordedFundingSource: 'District',
        manifestReference: 'ECF-PO-1',
        endReason: 'repair',
        returnedOn: today,
        incident: 'damaged',
        incidentOn: today,
      }),
    ]);
    expect(bySerial('ECF-H1')).toEqual([
      expect.objectContaining({
        deviceType: 'mobile hotspot',
        providedTo: 'ANA Federal',
        returnedOn: null,
        carrier: 'T-Mobile',
        servicePlan: 'SchoolConnect 10GB',
        monthlyCapMb: 10240,
        manifestReference: null,
      }),
    ]);
    expect(bySerial('ECF-L3')).toEqual([
      expect.objectContaining({ neverLoaned: true, loanNumber: 0, assignmentId: null, providedTo: null, loanedOn: null }),
    ]);
  });

  it('sends the same rows as a streamed CSV, with place names and codes', async () => {
    const json = await allPages(admin, { fundingSource: ECF }, 500);
    const res = await t
      .http()
      .get(URL)
      .query({ fundingSource: ECF })
      .set('Accept', 'text/csv')
      .set(...bearer(admin))
      .expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.headers['content-disposition']).toContain('federal-inventory.csv');
    const records = parse(res.text, { columns: true }) as Record<string, string>[];
    expect(records).toHaveLength(json.length);
    for (const [i, record] of records.entries()) {
      const row = json[i]!;
      expect(record['assignmentId']).toBe(row['assignmentId'] ?? '');
      expect(record['providedTo']).toBe(row['providedTo'] ?? '');
      expect(record['neverLoaned']).toBe(String(row['neverLoaned']));
      expect(record['schoolCode']).toBe(row['schoolCode']);
    }
  });

  it('narrows to a school, and is for administrators only', async () => {
    const other = await seed.school(district);
    const none = await t
      .http()
      .get(URL)
      .query({ fundingSource: ECF, schoolId: other })
      .set(...bearer(admin))
      .expect(200);
    expect(none.body.data).toEqual([]);
    for (const role of ['helpdesk', 'auditor', 'attendance', 'tech']) {
      const token = role === 'helpdesk' ? helpdesk : await tokenFor(t, role, district);
      await t
        .http()
        .get(URL)
        .query({ fundingSource: ECF })
        .set(...bearer(token))
        .expect(403);
    }
    const missing = await t
      .http()
      .get(URL)
      .set(...bearer(admin))
      .expect(400);
    expect(missing.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'fundingSource' })]));
  });
});

describe('the custody ledger is kept', () => {
  it('refuses to delete or truncate custody history, and to rewrite a loan', async () => {
    for (const table of ['assignments', 'repairs', 'device_losses']) {
      await expect(t.db.query(`DELETE FROM ${table} WHERE district_id = $1`, [district])).rejects.toThrow(/custody ledger .* is kept/);
      await expect(t.db.query(`TRUNCATE ${table} CASCADE`)).rejects.toThrow(/custody ledger .* is kept/);
    }
    const [ended] = (await t.db.query(`SELECT id FROM assignments WHERE device_id = $1 AND end_reason = 'returned'`, [devices.l1])) as {
      id: string;
    }[];
    await expect(t.db.query(`UPDATE assignments SET student_id = $2 WHERE id = $1`, [ended!.id, students.cai])).rejects.toThrow(
      /not rewritten/,
    );
    await expect(
      t.db.query(`UPDATE assignments SET started_at = started_at - interval '1 day' WHERE id = $1`, [ended!.id]),
    ).rejects.toThrow(/not rewritten/);
    await expect(t.db.query(`UPDATE assignments SET ended_at = NULL, end_reason = NULL WHERE id = $1`, [ended!.id])).rejects.toThrow(
      /not rewritten/,
    );
    // What custody itself changes on a loan (its acknowledgement) still changes.
    await t.db.query(`UPDATE assignments SET acknowledged_by_name = 'Parent' WHERE id = $1`, [ended!.id]);
  });

  it('lets a named erasure through, deliberately, and audits each row it erases', async () => {
    const runner = t.db.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction();
      await runner.query(`SET LOCAL reconnect.custody_erasure = 'CT-PA-16-189 request 2031-004'`);
      const gone = (await runner.query(`DELETE FROM device_losses WHERE device_id = $1 RETURNING id`, [devices.l1], true)).records as {
        id: string;
      }[];
      expect(gone).toHaveLength(1);
      await runner.commitTransaction();
      const audit = (await t.db.query(`SELECT action, entity_type, after FROM audit_events WHERE entity_id = $1 AND action = 'erase'`, [
        gone[0]!.id,
      ])) as Row[];
      expect(audit).toEqual([{ action: 'erase', entity_type: 'device_loss', after: { reference: 'CT-PA-16-189 request 2031-004' } }]);
    } finally {
      if (runner.isTransactionActive) await runner.rollbackTransaction();
      await runner.release();
    }
    // The setting lasted only for that transaction.
    await expect(t.db.query(`DELETE FROM repairs WHERE device_id = $1`, [devices.l2])).rejects.toThrow(/is kept/);
  });
});
