import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { PNG } from 'pngjs';
import { Seed } from './support/seed.js';
import { bearer, startTestApp, tokenFor, type TestApp } from './support/test-app.js';

/** What the distribution station needs of the API: one lookup per scan, and a signed acknowledgement. */
describe('station API', () => {
  let t: TestApp;
  let seed: Seed;
  let district: string;
  let other: string;
  let schoolA: string;
  let schoolB: string;
  let tech: string;
  let scoped: string;
  let studentId: string;
  let deviceId: string;

  const lookup = (token: string, code: string) =>
    t
      .http()
      .get(`/api/v1/scan-lookup?code=${encodeURIComponent(code)}`)
      .set(...bearer(token));

  beforeAll(async () => {
    t = await startTestApp();
    seed = new Seed(t.db);
    district = await seed.district();
    other = await seed.district();
    schoolA = await seed.school(district);
    schoolB = await seed.school(district);
    tech = await tokenFor(t, 'tech', district);
    studentId = await seed.student(district, schoolA);
    await t.db.query(`UPDATE students SET identifier = 'CARD-1001', given_name = 'Ada', family_name = 'Lovelace' WHERE id = $1`, [
      studentId,
    ]);
    deviceId = await seed.device(district, schoolA, { asset_tag: 'RC-00042', serial_number: 'SN-ABC-1' });
    await seed.device(other, await seed.school(other), { asset_tag: 'NEIGHBOUR-7', serial_number: 'SN-N-7' });
    const staff = await t
      .http()
      .post('/api/v1/staff')
      .set(...bearer(t.adminToken))
      .send({ email: 'school-b@lincoln.org', name: 'School B Tech', role: 'tech', districtId: district, schoolIds: [schoolB] });
    const token = await t
      .http()
      .post('/api/v1/tokens')
      .set(...bearer(t.adminToken))
      .send({ name: 'school b', role: 'tech', districtId: district, staffUserId: staff.body.id });
    scoped = token.body.secret as string;
  });
  afterAll(async () => {
    await t.close();
  });

  it('resolves a student card by identifier or sourcedId', async () => {
    const byCard = await lookup(tech, 'CARD-1001').expect(200);
    expect(byCard.body).toMatchObject({ devices: [], otherDistrict: false });
    expect(byCard.body.students).toEqual([
      expect.objectContaining({ id: studentId, givenName: 'Ada', familyName: 'Lovelace', identifier: 'CARD-1001' }),
    ]);
    const [{ sourced_id: sourcedId }] = (await t.db.query(`SELECT sourced_id FROM students WHERE id = $1`, [studentId])) as {
      sourced_id: string;
    }[];
    expect((await lookup(tech, sourcedId!).expect(200)).body.students[0].id).toBe(studentId);
  });

  it('resolves a device by asset tag (any case) or serial, with its holder', async () => {
    const free = await lookup(tech, 'rc-00042').expect(200);
    expect(free.body.devices).toEqual([expect.objectContaining({ id: deviceId, assetTag: 'RC-00042', status: 'in_stock', holder: null })]);
    const issued = await t
      .http()
      .post('/api/v1/assignments')
      .set(...bearer(tech))
      .send({ deviceId, studentId })
      .expect(201);
    const held = await lookup(tech, 'SN-ABC-1').expect(200);
    expect(held.body.devices[0]).toMatchObject({
      status: 'assigned',
      holder: {
        assignmentId: issued.body.id,
        studentId,
        givenName: 'Ada',
        familyName: 'Lovelace',
        identifier: 'CARD-1001',
        kind: 'primary',
      },
    });
  });

  it("says a code is another district's device without saying which, and finds nothing of another school for a scoped caller", async () => {
    const neighbour = await lookup(tech, 'neighbour-7').expect(200);
    expect(neighbour.body).toEqual({ students: [], devices: [], otherDistrict: true });
    expect(JSON.stringify(neighbour.body)).not.toContain(other);
    expect((await lookup(tech, 'nothing-at-all').expect(200)).body.otherDistrict).toBe(false);
    const outside = await lookup(scoped, 'RC-00042').expect(200);
    expect(outside.body).toEqual({ students: [], devices: [], otherDistrict: false });
    expect((await lookup(scoped, 'CARD-1001').expect(200)).body.students).toEqual([]);
  });

  it('is for the roles that see devices, and needs a code', async () => {
    const attendance = await tokenFor(t, 'attendance', district);
    expect((await lookup(attendance, 'RC-00042')).status).toBe(403);
    expect((await lookup(await tokenFor(t, 'auditor', district), 'RC-00042')).status).toBe(200);
    const missing = await t
      .http()
      .get('/api/v1/scan-lookup')
      .set(...bearer(tech));
    expect([missing.status, missing.body.errors[0].field]).toEqual([400, 'code']);
  });

  it('records a drawn signature with the acknowledgement, and refuses anything but a PNG data URL', async () => {
    const deviceTwo = await seed.device(district, schoolA);
    const assignment = await t
      .http()
      .post('/api/v1/assignments')
      .set(...bearer(tech))
      .send({ deviceId: deviceTwo, studentId })
      .expect(201);
    const url = `/api/v1/assignments/${assignment.body.id}/acknowledgement`;
    const bad = await t
      .http()
      .post(url)
      .set(...bearer(tech))
      .send({ signerName: 'Maria Lopez', signature: 'data:image/svg+xml;base64,PHN2Zz4=' });
    expect([bad.status, bad.body.errors[0].field]).toEqual([400, 'signature']);
    const png = new PNG({ width: 4, height: 4 });
    const signature = `data:image/png;base64,${PNG.sync.write(png).toString('base64')}`;
    const res = await t
      .http()
      .post(url)
      .set(...bearer(tech))
      .send({ signerName: 'Maria Lopez', signature })
      .expect(200);
    expect(res.body.acknowledgement).toMatchObject({ signerName: 'Maria Lopez', signed: true });
    const [stored] = (await t.db.query(`SELECT acknowledgement_signature AS s FROM assignments WHERE id = $1`, [assignment.body.id])) as {
      s: string;
    }[];
    expect(stored!.s).toBe(signature);
    const image = await t
      .http()
      .get(`${url}/signature`)
      .set(...bearer(tech))
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      })
      .expect(200);
    expect(image.headers['content-type']).toBe('image/png');
    expect(PNG.sync.read(image.body as Buffer).width).toBe(4);
    const unsigned = await t
      .http()
      .get(
        `/api/v1/assignments/${(await t.db.query(`SELECT id FROM assignments WHERE acknowledgement_signature IS NULL LIMIT 1`))[0].id}/acknowledgement/signature`,
      )
      .set(...bearer(tech));
    expect([unsigned.status, unsigned.body.code]).toEqual([404, 'signature_not_found']);
    // The audit trail records that it was signed, not the image.
    const [audit] = (await t.db.query(`SELECT after::text AS after FROM audit_events WHERE action = 'acknowledge' AND entity_id = $1`, [
      assignment.body.id,
    ])) as { after: string }[];
    expect(audit!.after).toContain('"signed": true');
    expect(audit!.after).not.toContain('base64');
  });
});
