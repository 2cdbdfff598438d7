import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import PDFDocument from 'pdfkit';
import { PNG } from 'pngjs';
import type { Response } from 'supertest';
import {
  barcodeBandWidth,
  LABEL_TEMPLATE_NAMES,
  LABEL_TEMPLATES,
  labelOrigin,
  labelsPerPage,
  maxAssetTagLength,
  type LabelTemplate,
  type LabelTemplateName,
} from '../src/labels/labels.domain.js';
import { LabelsRepository, type LabelSelection } from '../src/labels/labels.repository.js';
import { decode, parsePdf, rasterise, type PdfPage, type Rect } from './support/label-pdf.js';
import { Seed } from './support/seed.js';
import { bearer, startTestApp, tokenFor, type TestApp } from './support/test-app.js';

/**
 * POST /labels, read back as a printer and a scanner would: the PDF is parsed, every label's codes are
 * rasterised and decoded with zxing, and every mark must sit inside its label's clear margin at the
 * stock's published geometry.
 */
let t: TestApp;
let seed: Seed;
let district: string;
let other: string;
let schoolA: string;
let schoolB: string;
let tech: string;
let scoped: string;
/** Devices of school A with short tags, in tag order. */
const common: { id: string; tag: string }[] = [];
/** Per template, a device whose tag is as long as that template's Code 128 can hold, of the widest characters. */
const longest = {} as Record<LabelTemplateName, { id: string; tag: string }>;

const DISTRICT_NAME = 'Lincoln Public Schools';

async function value<T>(text: string, params: unknown[]): Promise<T> {
  const rows = (await t.db.query(text, params)) as Record<string, T>[];
  return Object.values(rows[0]!)[0]!;
}

async function device(schoolId: string | null, tag: string | null, values: Record<string, unknown> = {}, districtId = district) {
  return seed.device(districtId, schoolId, { asset_tag: tag, ...values });
}

/** The answer's body as bytes, whatever its type. */
function labels(token: string, body: object, headers: Record<string, string> = {}) {
  const req = t
    .http()
    .post('/api/v1/labels')
    .set(...bearer(token));
  for (const [name, v] of Object.entries(headers)) req.set(name, v);
  return req
    .send(body)
    .buffer(true)
    .parse((res, callback) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => callback(null, Buffer.concat(chunks)));
    });
}

const problem = (res: Response) =>
  JSON.parse((res.body as Buffer).toString('utf8')) as { code: string; errors: { field: string; message: string }[] };

const inner = (template: LabelTemplate, position: number): Rect => {
  const origin = labelOrigin(template, position);
  return {
    x: origin.x + template.padding,
    y: origin.y + template.padding,
    width: barcodeBandWidth(template),
    height: template.labelHeight - 2 * template.padding,
  };
};
const EPSILON = 0.01;
const within = (r: Rect, box: Rect): boolean =>
  r.x >= box.x - EPSILON &&
  r.y >= box.y - EPSILON &&
  r.x + r.width <= box.x + box.width + EPSILON &&
  r.y + r.height <= box.y + box.height + EPSILON;

const metrics = new PDFDocument({ autoFirstPage: false });
/** Helvetica's (and Helvetica-Bold's) ascender and descender, in em. */
const ASCENDER = 0.718;
const DESCENDER = 0.207;

interface ReadLabel {
  page: number;
  position: number;
  texts: string[];
  codes: { format: string; text: string }[] | null;
}

/**
 * Every label of the sheets, in print order: which positions hold marks, their text, and (for the
 * positions in `decodeAt`, or all) what zxing reads in them. Fails on any mark outside a label's clear
 * margin, any text running past it, or a page not of the stock's size.
 */
async function readSheets(pdf: Buffer, template: LabelTemplate, decodeAt?: (index: number) => boolean): Promise<ReadLabel[]> {
  const pages: PdfPage[] = parsePdf(pdf);
  const perPage = labelsPerPage(template);
  const read: ReadLabel[] = [];
  // Scanned at 300 dpi, or at the thermal printer's own 203.
  const scale = Math.min(300, 72 / template.dot) / 72;
  for (const [n, page] of pages.entries()) {
    expect([page.width, page.height].map((v) => v.toFixed(2))).toEqual([template.pageWidth, template.pageHeight].map((v) => v.toFixed(2)));
    const boxes = Array.from({ length: perPage }, (_, position) => inner(template, position));
    const stray = page.rects.filter((r) => !boxes.some((box) => within(r, box)));
    expect(stray).toEqual([]);
    for (const text of page.texts) {
      const width = metrics.font(text.font).fontSize(text.size).widthOfString(text.text);
      const extent = { x: text.x, y: text.baseline - text.size * ASCENDER, width, height: text.size * (ASCENDER + DESCENDER) };
      expect([text.text, boxes.some((box) => within(extent, box))]).toEqual([text.text, true]);
    }
    for (const [position, box] of boxes.entries()) {
      const rects = page.rects.filter((r) => within(r, box));
      const texts = page.texts.filter((x) => within({ x: x.x, y: x.baseline - 0.1, width: 0.1, height: 0.1 }, box));
      if (!rects.length && !texts.length) continue;
      const index = read.length;
      const codes = !decodeAt || decodeAt(index) ? await decode(rasterise(rects, box, scale)) : null;
      read.push({ page: n, position, texts: texts.map((x) => x.text), codes });
    }
  }
  return read;
}

/** Each label holds its tag three times: the Code 128, the QR code (both exactly the tag) and the bold text. */
function expectLabels(read: ReadLabel[], tags: string[], template: LabelTemplate, start: number): void {
  const perPage = labelsPerPage(template);
  expect(read.map((label) => [label.page, label.position])).toEqual(
    tags.map((_, i) => [Math.floor((start + i) / perPage), (start + i) % perPage]),
  );
  read.forEach((label, i) => {
    expect(label.texts).toContain(tags[i]);
    if (label.codes) {
      expect(label.codes.map((c) => `${c.format}:${c.text}`).sort()).toEqual([`Code128:${tags[i]}`, `QRCode:${tags[i]}`]);
    }
  });
}

beforeAll(async () => {
  t = await startTestApp();
  seed = new Seed(t.db);
  district = await seed.district();
  await t.db.query(`UPDATE districts SET name = $2 WHERE id = $1`, [district, DISTRICT_NAME]);
  other = await seed.district();
  schoolA = await seed.school(district);
  schoolB = await seed.school(district);
  tech = await tokenFor(t, 'tech', district);
  for (let i = 1; i <= 31; i += 1) {
    const tag = `LPS-${String(i).padStart(6, '0')}`;
    common.push({ id: await device(schoolA, tag), tag });
  }
  for (const name of LABEL_TEMPLATE_NAMES) {
    // Lower case, upper case and punctuation: all code set B, 11 modules each, the widest Code 128 there is.
    const tag = `${name.slice(0, 2).toUpperCase()}q~`.repeat(20).slice(0, maxAssetTagLength(LABEL_TEMPLATES[name]));
    longest[name] = { id: await device(schoolA, tag), tag };
  }
  // A school-scoped technician of school A, through a token they own.
  const admin = t
    .http()
    .post('/api/v1/staff')
    .set(...bearer(t.adminToken));
  const staff = await admin.send({
    email: 'scoped@lincoln.org',
    name: 'Scoped Tech',
    role: 'tech',
    districtId: district,
    schoolIds: [schoolA],
  });
  expect(staff.status).toBe(201);
  const token = await t
    .http()
    .post('/api/v1/tokens')
    .set(...bearer(t.adminToken))
    .send({ name: 'scoped', role: 'tech', districtId: district, staffUserId: staff.body.id });
  scoped = token.body.secret as string;
}, 60_000);

afterAll(async () => {
  await t?.close();
});

describe('label sheets for each template', () => {
  const cases: [LabelTemplateName, number, number][] = [
    // template, labels, startPosition
    ['avery-5160', 32, 5],
    ['avery-5163', 12, 1],
    ['l7160', 22, 20],
    ['thermal-2.25x1.25', 3, 1],
  ];

  it.each(cases)('%s: %i labels from position %i, every code decoding to its asset tag', async (name, count, startPosition) => {
    const template = LABEL_TEMPLATES[name];
    const chosen = [...common.slice(0, count - 1), longest[name]];
    const res = await labels(tech, { deviceIds: chosen.map((d) => d.id), template: name, startPosition, line: 'Property of Lincoln High' });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toMatch(
      new RegExp(`^attachment; filename="asset-labels-${name}-\\d{4}-\\d{2}-\\d{2}\\.pdf"$`),
    );
    const pdf = res.body as Buffer;
    const read = await readSheets(pdf, template);
    expect(parsePdf(pdf)).toHaveLength(Math.ceil((count + startPosition - 1) / labelsPerPage(template)));
    expectLabels(
      read,
      chosen.map((d) => d.tag),
      template,
      startPosition - 1,
    );
    for (const label of read) expect(label.texts).toEqual([DISTRICT_NAME, expect.any(String), 'Property of Lincoln High']);
  });

  it('prints the default short line, or none for an empty one', async () => {
    const ids = [common[0]!.id];
    const byDefault = await readSheets(
      (await labels(tech, { deviceIds: ids, template: 'avery-5163' })).body as Buffer,
      LABEL_TEMPLATES['avery-5163'],
    );
    expect(byDefault[0]!.texts).toEqual([DISTRICT_NAME, common[0]!.tag, 'District property - do not remove']);
    const none = await readSheets(
      (await labels(tech, { deviceIds: ids, template: 'avery-5163', line: '' })).body as Buffer,
      LABEL_TEMPLATES['avery-5163'],
    );
    expect(none[0]!.texts).toEqual([DISTRICT_NAME, common[0]!.tag]);
  });

  it('saves a rendered Avery 5160 sheet for the README (with Chromium, when installed)', async () => {
    const res = await labels(tech, {
      deviceIds: common.slice(0, 30).map((d) => d.id),
      template: 'avery-5160',
      line: 'Property of Lincoln High',
    });
    expect(res.status).toBe(200);
    if (!existsSync('/usr/bin/chromium')) return;
    const file = join(tmpdir(), `labels-${process.pid}.pdf`);
    writeFileSync(file, res.body as Buffer);
    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
    try {
      const page = await browser.newPage({ viewport: { width: 850, height: 1100 } });
      await page.goto(`file://${file}#toolbar=0&navpanes=0&view=Fit`);
      // Chromium's PDF viewer draws in a plugin frame that tells the page nothing: the sheet is there when
      // a white page with black bars (the viewer's own background is dark grey) shows the same twice.
      let shot: Buffer = Buffer.alloc(0);
      for (let previous = -1, deadline = Date.now() + 20_000; Date.now() < deadline;) {
        shot = await page.screenshot();
        const { data } = PNG.sync.read(shot);
        let white = 0;
        let black = 0;
        for (let i = 0; i < data.length; i += 4) {
          if (data[i]! > 230) white += 1;
          else if (data[i]! < 16) black += 1;
        }
        if (white > data.length / 4 / 3 && black > 10_000 && black === previous) break;
        previous = black;
      }
      mkdirSync('test/screenshots', { recursive: true });
      writeFileSync('test/screenshots/labels-avery-5160.png', shot);
    } finally {
      await browser.close();
    }
  });
});

describe('what gets labelled', () => {
  it("prints a school's devices in circulation, in asset tag order", async () => {
    const tags = Array.from({ length: 25 }, (_, i) => `SB-${String(i).padStart(5, '0')}`);
    await t.db.query(
      `INSERT INTO devices (district_id, school_id, kind, serial_number, asset_tag)
       SELECT $1, $2, 'chromebook', 'SER-' || tag, tag FROM unnest($3::text[]) AS tag`,
      [district, schoolB, [...tags].reverse()],
    );
    await device(schoolB, 'SB-RETIRED', { status: 'retired', retired_at: new Date() });
    await device(schoolB, 'SB-LOST', { status: 'lost' });
    const res = await labels(tech, { schoolId: schoolB, template: 'l7160' });
    expect(res.status).toBe(200);
    const read = await readSheets(res.body as Buffer, LABEL_TEMPLATES.l7160, (i) => [0, 20, 24].includes(i));
    expectLabels(read, tags, LABEL_TEMPLATES.l7160, 0);
    expect(read.filter((label) => label.codes).length).toBe(3);
  });

  it('reads a selection in keyset pages that neither skip nor repeat a device', async () => {
    const repository = t.app.get(LabelsRepository);
    const max = maxAssetTagLength(LABEL_TEMPLATES['avery-5160']);
    const seen = async (selection: LabelSelection): Promise<string[][]> => {
      const pages: string[][] = [];
      for await (const page of repository.pages(selection, max, 7)) pages.push(page.map((d) => d.assetTag));
      return pages;
    };
    // Mixed case sorts as the school's labels print: by lower-case tag.
    const school = await seed.school(district);
    const tags = Array.from({ length: 15 }, (_, i) => `${i % 2 ? 'mx' : 'MX'}-${String(i).padStart(2, '0')}`);
    for (const tag of tags) await device(school, tag);
    const bySchool = await seen({ kind: 'school', schoolId: school, districtId: district });
    expect(bySchool.map((page) => page.length)).toEqual([7, 7, 1]);
    expect(bySchool.flat()).toEqual(tags);
    const ids = common.slice(0, 15).map((d) => d.id);
    const byIds = await seen({ kind: 'devices', deviceIds: [...ids, ids[0]!], districtId: district, schoolIds: null });
    expect(byIds.flat()).toEqual([...common.slice(0, 15).map((d) => d.tag), common[0]!.tag]);
  });

  it("prints a shipment's registered devices in serial number order, and only for a district-wide caller", async () => {
    const serials = ['SHIP-C', 'SHIP-A', 'SHIP-B'];
    for (const serial of serials) await device(schoolA, `TAG-${serial}`, { serial_number: serial });
    const shipment = await t
      .http()
      .post('/api/v1/shipments')
      .set(...bearer(tech))
      .send({ fundingSource: 'Everybody Learns', shippedOn: '2020-09-14', serialNumbers: [...serials, 'NOT-REGISTERED'] });
    expect(shipment.status).toBe(201);
    const res = await labels(tech, { shipmentId: shipment.body.id, template: 'thermal-2.25x1.25' });
    expect(res.status).toBe(200);
    expectLabels(
      await readSheets(res.body as Buffer, LABEL_TEMPLATES['thermal-2.25x1.25']),
      ['TAG-SHIP-A', 'TAG-SHIP-B', 'TAG-SHIP-C'],
      LABEL_TEMPLATES['thermal-2.25x1.25'],
      0,
    );

    const refused = await labels(scoped, { shipmentId: shipment.body.id, template: 'avery-5160' });
    expect([refused.status, problem(refused).code]).toEqual([403, 'outside_school_scope']);
    const foreign = await labels(await tokenFor(t, 'tech', other), { shipmentId: shipment.body.id, template: 'avery-5160' });
    expect([foreign.status, problem(foreign).code, problem(foreign).errors[0]!.field]).toEqual([422, 'shipment_not_found', 'shipmentId']);
  });

  it("labels each device with its own district's name for a state token", async () => {
    const away = await device(await seed.school(other), 'AWAY-1', {}, other);
    await t.db.query(`UPDATE districts SET name = 'Harbor Regional' WHERE id = $1`, [other]);
    const res = await labels(t.adminToken, { deviceIds: [common[0]!.id, away], template: 'avery-5163', line: '' });
    expect(res.status).toBe(200);
    const read = await readSheets(res.body as Buffer, LABEL_TEMPLATES['avery-5163']);
    expect(read.map((label) => label.texts)).toEqual([
      [DISTRICT_NAME, common[0]!.tag],
      ['Harbor Regional', 'AWAY-1'],
    ]);
  });

  it('is the same request when retried: an Idempotency-Key is not claimed, and the document offers none', async () => {
    const body = { deviceIds: [common[0]!.id], template: 'thermal-2.25x1.25' };
    for (let i = 0; i < 2; i += 1) {
      const res = await labels(tech, body, { 'Idempotency-Key': 'labels-retry-1' });
      expect([res.status, res.headers['idempotency-replayed']]).toEqual([200, undefined]);
    }
    expect(await value<number>(`SELECT count(*)::int FROM idempotency_keys WHERE key = 'labels-retry-1'`, [])).toBe(0);
    const doc = await t
      .http()
      .get('/api/docs-json')
      .set(...bearer(t.adminToken));
    const operation = doc.body.paths['/api/v1/labels'].post;
    expect(Object.keys(operation.responses['200'].content)).toEqual(['application/pdf']);
    expect((operation.parameters ?? []).map((p: { name: string }) => p.name)).not.toContain('Idempotency-Key');
  });
});

describe('refusals', () => {
  it('refuses unknown ids and devices of another district, naming their index', async () => {
    const foreign = await device(null, 'FOREIGN-1', {}, other);
    const res = await labels(tech, { deviceIds: [common[0]!.id, '7c9e6679-7425-40de-944b-e07fc1f90ae7', foreign], template: 'avery-5160' });
    expect([res.status, problem(res).code]).toEqual([422, 'device_not_found']);
    expect(problem(res).errors.map((e) => e.field)).toEqual(['deviceIds[1]', 'deviceIds[2]']);
    expect(JSON.stringify(problem(res))).not.toContain('FOREIGN-1');
  });

  it('refuses devices without an asset tag, or with one the template cannot print, naming each', async () => {
    const untagged = await device(null, null);
    const tooLong = longest['avery-5163'].id;
    const res = await labels(tech, { deviceIds: [common[0]!.id, untagged, tooLong], template: 'avery-5160' });
    expect([res.status, problem(res).code]).toEqual([422, 'labels_not_printable']);
    expect(problem(res).errors).toEqual([
      { field: 'deviceIds[1]', message: expect.stringContaining(`device ${untagged}`) },
      {
        field: 'deviceIds[2]',
        message: expect.stringContaining(`longer than ${maxAssetTagLength(LABEL_TEMPLATES['avery-5160'])} characters`),
      },
    ]);
    expect(problem(res).errors[0]!.message).toContain('has no asset tag');
    // The same tag fits the wider label.
    expect((await labels(tech, { deviceIds: [tooLong], template: 'avery-5163' })).status).toBe(200);

    const school = await seed.school(district);
    await device(school, 'OK-1');
    const bare = await device(school, null);
    const bySchool = await labels(tech, { schoolId: school, template: 'avery-5160' });
    expect([bySchool.status, problem(bySchool).code, problem(bySchool).errors]).toEqual([
      422,
      'labels_not_printable',
      [{ field: 'schoolId', message: expect.stringContaining(`device ${bare}`) }],
    ]);
    const empty = await labels(tech, { schoolId: await seed.school(district), template: 'avery-5160' });
    expect([empty.status, problem(empty).code]).toEqual([422, 'no_devices_to_label']);
  });

  it('refuses malformed requests before looking anything up', async () => {
    const id = common[0]!.id;
    const cases: [object, string[]][] = [
      [{ deviceIds: [id], template: 'avery-9999' }, ['template']],
      [{ template: 'avery-5160' }, ['deviceIds', 'schoolId', 'shipmentId']],
      [{ deviceIds: [id], schoolId: schoolA, template: 'avery-5160' }, ['deviceIds', 'schoolId']],
      [{ deviceIds: [id, 'nope'], template: 'avery-5160' }, ['deviceIds[1]']],
      [{ deviceIds: [id], template: 'avery-5160', startPosition: 31 }, ['startPosition']],
      [{ deviceIds: [id], template: 'thermal-2.25x1.25', startPosition: 2 }, ['startPosition']],
      [{ deviceIds: [id], template: 'avery-5160', line: 'Propriété 学校' }, ['line']],
      [{ deviceIds: [], template: 'avery-5160' }, ['deviceIds']],
      [{ deviceIds: Array.from({ length: 5001 }, () => id), template: 'avery-5160' }, ['deviceIds']],
    ];
    for (const [body, fields] of cases) {
      const res = await labels(tech, body);
      expect([JSON.stringify(body).slice(0, 80), res.status, problem(res).code]).toEqual([
        JSON.stringify(body).slice(0, 80),
        400,
        'validation_failed',
      ]);
      expect([...new Set(problem(res).errors.map((e) => e.field))]).toEqual(fields);
    }
  });

  it('is for whoever manages devices', async () => {
    for (const role of ['helpdesk', 'attendance', 'auditor']) {
      const res = await labels(await tokenFor(t, role, district), { deviceIds: [common[0]!.id], template: 'avery-5160' });
      expect([role, res.status]).toEqual([role, 403]);
    }
    expect(
      (await labels(await tokenFor(t, 'district_admin', district), { deviceIds: [common[0]!.id], template: 'avery-5160' })).status,
    ).toBe(200);
  });

  it("confines a school-scoped technician to their schools' devices", async () => {
    const inB = await device(schoolB, 'SCOPE-B');
    const theirs = await labels(scoped, { deviceIds: [common[0]!.id, inB], template: 'avery-5160' });
    expect([theirs.status, problem(theirs).code, problem(theirs).errors.map((e) => e.field)]).toEqual([
      422,
      'device_not_found',
      ['deviceIds[1]'],
    ]);
    const school = await labels(scoped, { schoolId: schoolB, template: 'avery-5160' });
    expect([school.status, problem(school).code]).toEqual([422, 'school_not_found']);
    expect((await labels(scoped, { deviceIds: [common[0]!.id], template: 'avery-5160' })).status).toBe(200);
    expect((await labels(scoped, { schoolId: schoolA, template: 'avery-5163' })).status).toBe(200);
  });
});
