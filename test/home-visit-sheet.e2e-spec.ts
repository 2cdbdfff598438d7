import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { pdfPageCount, pdfPages } from './support/pdf-text.js';
import { Seed } from './support/seed.js';
import { bearer, startTestApp, tokenFor, type TestApp } from './support/test-app.js';

const URL = '/api/v1/tickets/home-visit-sheet';

let t: TestApp;
let seed: Seed;
let district: string;
let school: string;
let quiet: string;
let admin: string;
let attendance: string;

async function student(schoolId: string, given: string, family: string): Promise<string> {
  const id = await seed.student(district, schoolId, { lastLoginAt: '2026-11-20T15:00:00Z' });
  await t.db.query(`UPDATE students SET given_name = $2, family_name = $3 WHERE id = $1`, [id, given, family]);
  return id;
}

async function outreach(studentId: string): Promise<string> {
  const res = await t
    .http()
    .post('/api/v1/tickets')
    .set(...bearer(admin))
    .send({ type: 'outreach', studentId })
    .expect(201);
  return res.body.id as string;
}

async function sheet(token: string, schoolId: string): Promise<Buffer> {
  const res = await t
    .http()
    .get(URL)
    .query({ schoolId })
    .set(...bearer(token))
    .responseType('blob')
    .expect(200);
  expect(res.headers['content-type']).toBe('application/pdf');
  expect(res.headers['content-disposition']).toMatch(/^attachment; filename="home-visits-.*\.pdf"$/);
  return res.body as Buffer;
}

beforeAll(async () => {
  t = await startTestApp();
  seed = new Seed(t.db);
  district = await seed.district();
  school = await seed.school(district);
  quiet = await seed.school(district);
  admin = await tokenFor(t, 'district_admin', district);
  attendance = await tokenFor(t, 'attendance', district);

  const zoe = await student(school, 'Zoe', 'Alvarez');
  const yan = await student(school, 'Yan', 'Chen');
  const xia = await student(school, 'Xia', 'Brown');
  const closed = await student(school, 'Wade', 'Closedcase');
  const elsewhere = await student(quiet, 'Vera', 'Otherschool');
  // Zoe holds a Chromebook; her family is in the roster; one call was made.
  await seed.assign(district, await seed.device(district, school, { asset_tag: 'TAG-ZOE-1', serial_number: 'SER-ZOE-1' }), zoe);
  await t.db.query(`UPDATE students SET home_language = 'Spanish' WHERE id = $1`, [zoe]);
  await t.db.query(
    `INSERT INTO guardians (district_id, sourced_id, given_name, family_name, relation, phone) VALUES ($1, 'g-1', 'Rosa', 'Alvarez', 'parent', '860-555-0199')`,
    [district],
  );
  await t.db.query(
    `INSERT INTO student_guardians (district_id, student_sourced_id, guardian_sourced_id) SELECT district_id, sourced_id, 'g-1' FROM students WHERE id = $1`,
    [zoe],
  );
  const zoeTicket = await outreach(zoe);
  await t
    .http()
    .post(`/api/v1/tickets/${zoeTicket}/outreach-attempts`)
    .set(...bearer(attendance))
    .send({ channel: 'call', outcome: 'no_answer', note: 'Rang twice after school' })
    .expect(201);
  await outreach(yan);
  const xiaTicket = await outreach(xia);
  // Xia's family has been tried thirty times with long notes, and her name is long: her page still holds one sheet.
  await t.db.query(`UPDATE students SET given_name = 'Xia Maximiliana Esperanza Guadalupe de la Luz' WHERE id = $1`, [xia]);
  await t.db.query(
    `INSERT INTO outreach_attempts (district_id, ticket_id, channel, attempted_at, outcome, note)
     SELECT $1, $2, 'call', now() - n * interval '1 hour', 'no_answer', repeat('Rang, no answer, left word with a neighbour. ', 6)
     FROM generate_series(1, 30) n`,
    [district, xiaTicket],
  );
  const done = await outreach(closed);
  await t
    .http()
    .patch(`/api/v1/tickets/${done}`)
    .set(...bearer(admin))
    .send({ status: 'closed' })
    .expect(200);
  await outreach(elsewhere);
  // An equipment ticket is the help desk's, not a home visit.
  await t
    .http()
    .post('/api/v1/tickets')
    .set(...bearer(admin))
    .send({ type: 'replacement', studentId: yan })
    .expect(201);
}, 60_000);

afterAll(async () => {
  await t?.close();
});

describe('GET /tickets/home-visit-sheet', () => {
  it('prints one page per open outreach ticket of the school, in family-name order, with what the visit needs', async () => {
    const pdf = await sheet(attendance, school);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdfPageCount(pdf)).toBe(3);
    const pages = pdfPages(pdf);
    expect(pages).toHaveLength(3);
    expect(pages.map((p) => p.split('\n')[0])).toEqual(['Zoe Alvarez', 'Xia Maximiliana Esperanza Guadalupe de la Luz Brown', 'Yan Chen']);
    const zoe = pages[0]!;
    for (const expected of [
      'Grade 9',
      'Home language: Spanish',
      'Rosa Alvarez (parent): phone 860-555-0199',
      'TAG-ZOE-1',
      'SER-ZOE-1',
      'Rang twice after school',
      'Last successful login',
      'Notes:',
      'Sheet 1 of 3',
      'Address (not in the roster):',
      'No other open ticket for this student.',
    ]) {
      expect(zoe).toContain(expected);
    }
    expect(pages[1]).toContain('No family contacts in the roster.');
    expect(pages[1]).toMatch(/\d+ earlier attempts not shown \(see the ticket\)/);
    expect(pages[2]).toContain('None logged yet.');
    // The visitor learns what else is open, here the help desk's replacement.
    expect(pages[2]).toContain('Also open for this student: replacement');
    expect(pages.join('\n')).not.toMatch(/Closedcase|Otherschool/);
  });

  it('prints one page saying so for a school with no open outreach', async () => {
    const empty = await seed.school(district);
    const pdf = await sheet(admin, empty);
    expect(pdfPageCount(pdf)).toBe(1);
    expect(pdfPages(pdf)[0]).toContain('No open outreach tickets at this school.');
  });

  it('is for attendance and administrators, of their own district, and needs a school', async () => {
    for (const role of ['helpdesk', 'tech', 'auditor']) {
      await t
        .http()
        .get(URL)
        .query({ schoolId: school })
        .set(...bearer(await tokenFor(t, role, district)))
        .expect(403);
    }
    const away = await seed.district();
    const awaySchool = await seed.school(away);
    const foreign = await t
      .http()
      .get(URL)
      .query({ schoolId: awaySchool })
      .set(...bearer(attendance))
      .expect(404);
    expect(foreign.body.code).toBe('school_not_found');
    const missing = await t
      .http()
      .get(URL)
      .set(...bearer(attendance))
      .expect(400);
    expect(missing.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'schoolId' })]));
  });
});
