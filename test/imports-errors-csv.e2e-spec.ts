import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parse } from 'csv-parse/sync';
import { bearer, startTestApp, tokenFor, type TestApp } from './support/test-app.js';
import { createDistrict, fixture, importFile } from './fixtures/imports/support.js';

/** GET /imports/{id}/errors as CSV (Accept: text/csv or ?format=csv): every row error, streamed, in file order. */
let t: TestApp;
let district: string;
let other: string;

beforeAll(async () => {
  t = await startTestApp({ worker: true });
  district = await createDistrict(t, 'csv-a');
  other = await createDistrict(t, 'csv-b');
});
afterAll(async () => {
  await t?.close();
});

const csvOf = (text: string): string[][] => parse(text, { bom: false }) as string[][];

describe('row errors as CSV', () => {
  it('lists every row error of a large file in line order, across the pages it is read in', async () => {
    // 2,500 bad rows (a date that does not exist) around good ones: more than two of the stream's pages.
    const lines = ['serialNumber,kind,purchaseDate'];
    for (let i = 1; i <= 3000; i++) lines.push(`SN${i},chromebook,${i % 6 === 0 ? '2026-01-05' : '2026-02-30'}`);
    const result = await importFile(t, 'devices', district, lines.join('\n'), 'devices.csv');
    expect(result.counts).toMatchObject({ rows: 3000, created: 500, failed: 2500 });

    const res = await t
      .http()
      .get(`/api/v1/imports/${result.id}/errors`)
      .set(...bearer(t.adminToken))
      .set('Accept', 'text/csv')
      .buffer(true)
      .parse((response, done) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () => done(null, text));
      });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8; header=present');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="import-${result.id}-errors.csv"`);
    const rows = csvOf(res.body as string);
    expect(rows[0]).toEqual(['part', 'line', 'item', 'field', 'message']);
    expect(rows).toHaveLength(2501);
    const expectedLines = [];
    for (let i = 1; i <= 3000; i++) if (i % 6 !== 0) expectedLines.push(String(i + 1));
    expect(rows.slice(1).map((r) => r[1])).toEqual(expectedLines);
    expect(rows[1]).toEqual(['', '2', '', 'purchaseDate', 'not a valid date']);
  });

  it('names JSON items in `item`, quotes messages as RFC 4180 asks, and answers ?format=csv the same', async () => {
    const result = await importFile(t, 'chromeos-devices', district, await fixture('chromeos-devices.json'), 'chromeos.json');
    const json = await t
      .http()
      .get(`/api/v1/imports/${result.id}/errors`)
      .set(...bearer(t.adminToken));
    expect(json.headers['content-type']).toContain('application/json');
    const res = await t
      .http()
      .get(`/api/v1/imports/${result.id}/errors?format=csv`)
      .set(...bearer(t.adminToken));
    expect(res.status).toBe(200);
    const rows = csvOf(res.text);
    const expected = (json.body.data as { item: number; field: string; message: string }[]).map((e) => [
      '',
      '',
      String(e.item),
      e.field,
      e.message,
    ]);
    expect(expected.length).toBeGreaterThan(0);
    expect(rows.slice(1)).toEqual(expected);

    // A message with a comma in it stays one cell.
    const hotspotOnly = await importFile(t, 'devices', district, 'serialNumber,kind,imei\nSN-1,chromebook,356938035643809\n', 'imei.csv');
    const commaCsv = await t
      .http()
      .get(`/api/v1/imports/${hotspotOnly.id}/errors`)
      .set(...bearer(t.adminToken))
      .set('Accept', 'text/csv');
    expect(commaCsv.text).toContain('"only a hotspot has imei, and this device is a chromebook"');
    expect(csvOf(commaCsv.text).slice(1)).toEqual([['', '2', '', 'imei', 'only a hotspot has imei, and this device is a chromebook']]);
  });

  it("answers another district's import as absent, in problem+json, and lets the auditor read", async () => {
    const result = await importFile(t, 'devices', district, 'serialNumber,kind,purchaseDate\nX1,chromebook,2026-02-30\n', 'one.csv');
    const stranger = await tokenFor(t, 'tech', other);
    const refused = await t
      .http()
      .get(`/api/v1/imports/${result.id}/errors`)
      .set(...bearer(stranger))
      .set('Accept', 'text/csv');
    expect(refused.status).toBe(404);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect(refused.body.code).toBe('import_not_found');

    const auditor = await tokenFor(t, 'auditor', district);
    const read = await t
      .http()
      .get(`/api/v1/imports/${result.id}/errors`)
      .set(...bearer(auditor))
      .set('Accept', 'text/csv');
    expect(read.status).toBe(200);
    expect(csvOf(read.text)).toHaveLength(2);

    const bad = await t
      .http()
      .get(`/api/v1/imports/${result.id}/errors?format=xml`)
      .set(...bearer(auditor));
    expect(bad.status).toBe(400);
  });
});
