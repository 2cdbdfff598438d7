import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { bearer, startTestApp, type TestApp, tokenFor } from './support/test-app.js';

/**
 * A student's equipment, answered byte for byte: every section filled, timestamps with microseconds
 * and other offsets (the API answers milliseconds, UTC, `Z`), ties broken the same way, rows that do
 * not belong (a complete returned kit, a closed gap, a closed ticket) left out.
 */

let t: TestApp;

// Fixed ids, so the whole answer can be written out.
const id = (n: number): string => `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
const DISTRICT = id(1);
const OTHER_DISTRICT = id(2);
const SCHOOL = id(3);
const STUDENT = id(10);
const [RETURNED_CB, HELD_CB, LOANER, HOTSPOT] = [id(20), id(21), id(22), id(23)];
const [A_RETURNED, A_HELD, A_LOANER, A_HOTSPOT] = [id(30), id(31), id(32), id(33)];
const TEMPLATE = id(40);
const [KIT_HELD, KIT_SHORT, KIT_COMPLETE] = [id(41), id(42), id(43)];
const [GAP_OPEN, GAP_CLOSED] = [id(50), id(51)];
const [T_REPLACEMENT, T_OUTREACH, T_CLOSED] = [id(60), id(61), id(62)];

const KIT_ITEMS = [
  { item: 'charger', quantity: 1 },
  { item: 'headphones', quantity: 2 },
];

let issuer: string;

beforeAll(async () => {
  t = await startTestApp();
  const q = (text: string, params: unknown[] = []): Promise<unknown> => t.db.query(text, params);
  issuer = ((await q(`SELECT id FROM api_tokens LIMIT 1`)) as { id: string }[])[0]!.id;
  await q(`INSERT INTO districts (id, name, code) VALUES ($1, 'Equipment', 'EQ'), ($2, 'Other', 'OT')`, [DISTRICT, OTHER_DISTRICT]);
  await q(`INSERT INTO schools (id, district_id, name, code) VALUES ($1, $2, 'Lincoln', 'LIN')`, [SCHOOL, DISTRICT]);
  await q(
    `INSERT INTO students (id, district_id, school_id, sourced_id, identifier, given_name, family_name, grade, last_login_at)
     VALUES ($1, $2, $3, 'src-10', 'ID-10', 'Ada', 'Lovelace', '7', '2026-02-20 22:59:59.999999+00')`,
    [STUDENT, DISTRICT, SCHOOL],
  );
  await q(
    `INSERT INTO devices (id, district_id, school_id, kind, asset_tag, serial_number, model, status, condition) VALUES
       ($1, $5, $6, 'chromebook', 'CB-1', 'SN-1', 'Chromebook 3100', 'in_repair', 'damaged'),
       ($2, $5, $6, 'chromebook', 'CB-2', 'SN-2', 'Chromebook 3100', 'assigned', 'working'),
       ($3, $5, $6, 'chromebook', NULL, 'SN-3', NULL, 'loaner', 'working'),
       ($4, $5, $6, 'hotspot', 'HS-1', 'SN-4', 'MiFi 8800L', 'assigned', 'working')`,
    [RETURNED_CB, HELD_CB, LOANER, HOTSPOT, DISTRICT, SCHOOL],
  );
  await q(
    `INSERT INTO assignments (id, district_id, device_id, student_id, kind, loaner_for_device_id, started_at, issued_by,
       acknowledged_by_name, acknowledged_at, acknowledgement_signature, ended_at, end_reason, returned_condition, return_note, ended_by)
     VALUES
       ($1, $5, $6, $10, 'primary', NULL, '2025-09-02 13:00:00.5+00', $11, NULL, NULL, NULL,
        '2026-01-10 15:30:00.999999+00', 'repair', 'damaged', 'Cracked hinge', $11),
       ($2, $5, $7, $10, 'primary', NULL, '2026-01-11 09:00:00.000001-05', NULL, 'Pat Parent', '2026-01-11 14:05:00+00',
        'data:image/png;base64,AAAA', NULL, NULL, NULL, NULL, NULL),
       ($3, $5, $8, $10, 'loaner', $6, '2026-01-10 15:31:00+00', NULL, 'Pat Parent', '2026-01-10 15:32:00.123+00', NULL,
        NULL, NULL, NULL, NULL, NULL),
       ($4, $5, $9, $10, 'primary', NULL, '2026-01-10 15:31:00+00', $11, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)`,
    [A_RETURNED, A_HELD, A_LOANER, A_HOTSPOT, DISTRICT, RETURNED_CB, HELD_CB, LOANER, HOTSPOT, STUDENT, issuer],
  );
  const items = JSON.stringify(KIT_ITEMS);
  await q(`INSERT INTO kit_templates (id, district_id, name, items) VALUES ($1, $2, 'Hotspot kit', $3)`, [TEMPLATE, DISTRICT, items]);
  await q(
    `INSERT INTO kits (id, district_id, student_id, template_id, items, issued_at, returned_at, missing_items) VALUES
       ($1, $4, $5, $6, $7, '2026-01-11 14:10:00.25+00', NULL, '[]'),
       ($2, $4, $5, $6, $7, '2025-09-02 13:05:00+00', '2026-01-10 15:35:00.000500+00', '[{"item":"headphones","quantity":1}]'),
       ($3, $4, $5, $6, $7, '2025-08-01 12:00:00+00', '2025-08-20 12:00:00+00', '[]')`,
    [KIT_HELD, KIT_SHORT, KIT_COMPLETE, DISTRICT, STUDENT, TEMPLATE, items],
  );
  await q(
    `INSERT INTO gaps (id, district_id, student_id, opened_at, opened_as_of, last_login_at, closed_at, resolution) VALUES
       ($1, $3, $4, '2026-03-02 11:00:00.654321+00', '2026-03-02', '2026-02-20 22:59:59.999999+00', NULL, NULL),
       ($2, $3, $4, '2025-11-03 11:00:00+00', '2025-11-03', NULL, '2025-11-05 08:00:00+00', 'reconnected')`,
    [GAP_OPEN, GAP_CLOSED, DISTRICT, STUDENT],
  );
  await q(
    `INSERT INTO tickets (id, district_id, student_id, school_id, type, status, priority, reasons, source, gap_id, assignee, opened_at, resolved_at)
     VALUES
       ($1, $4, $5, $6, 'outreach', 'open', 2, '{no_login,never_reached}', 'scan', $7, NULL, '2026-03-02 11:00:00.5+00', NULL),
       ($2, $4, $5, $6, 'replacement', 'in_progress', 1, '{device_damaged}', 'manual', NULL, 'help@lincoln.org', '2026-03-02 11:00:01.000009+00', NULL),
       ($3, $4, $5, $6, 'connectivity', 'closed', 1, '{}', 'scan', NULL, NULL, '2025-11-03 11:00:00+00', '2025-11-05 08:00:00+00')`,
    [T_OUTREACH, T_REPLACEMENT, T_CLOSED, DISTRICT, STUDENT, SCHOOL, GAP_OPEN],
  );
}, 120_000);

afterAll(async () => {
  await t?.close();
});

describe("a student's equipment", () => {
  it('answers every section exactly: order, keys, null fields and ISO timestamps in UTC with milliseconds', async () => {
    const assignment = (
      a: string,
      device: string,
      kind: 'primary' | 'loaner',
      startedAt: string,
      rest: Record<string, unknown> = {},
    ): Record<string, unknown> => ({
      id: a,
      districtId: DISTRICT,
      deviceId: device,
      studentId: STUDENT,
      kind,
      loanerForDeviceId: null,
      active: true,
      startedAt,
      issuedBy: null,
      acknowledgement: null,
      endedAt: null,
      endReason: null,
      returnedCondition: null,
      returnNote: null,
      endedBy: null,
      ...rest,
    });
    const kit = (kitId: string, issuedAt: string, returnedAt: string | null, missingItems: object[]): Record<string, unknown> => ({
      id: kitId,
      templateId: TEMPLATE,
      templateName: 'Hotspot kit',
      items: KIT_ITEMS,
      issuedAt,
      returnedAt,
      missingItems,
    });
    const signed = { signerName: 'Pat Parent', signedAt: '2026-01-11T14:05:00.000Z', signed: true };
    const unsigned = { signerName: 'Pat Parent', signedAt: '2026-01-10T15:32:00.123Z', signed: false };
    const expected = {
      student: {
        id: STUDENT,
        districtId: DISTRICT,
        schoolId: SCHOOL,
        sourcedId: 'src-10',
        identifier: 'ID-10',
        givenName: 'Ada',
        familyName: 'Lovelace',
        grade: '7',
        enrollmentStatus: 'active',
        lastLoginAt: '2026-02-20T22:59:59.999Z',
      },
      openGap: { id: GAP_OPEN, openedAt: '2026-03-02T11:00:00.654Z', openedAsOf: '2026-03-02', lastLoginAt: '2026-02-20T22:59:59.999Z' },
      openTickets: [
        {
          id: T_REPLACEMENT,
          type: 'replacement',
          status: 'in_progress',
          priority: 1,
          reasons: ['device_damaged'],
          assignee: 'help@lincoln.org',
          openedAt: '2026-03-02T11:00:01.000Z',
        },
        {
          id: T_OUTREACH,
          type: 'outreach',
          status: 'open',
          priority: 2,
          reasons: ['no_login', 'never_reached'],
          assignee: null,
          openedAt: '2026-03-02T11:00:00.500Z',
        },
      ],
      devices: [
        {
          assignmentId: A_HELD,
          deviceId: HELD_CB,
          assetTag: 'CB-2',
          serialNumber: 'SN-2',
          kind: 'chromebook',
          model: 'Chromebook 3100',
          status: 'assigned',
          condition: 'working',
          assignmentKind: 'primary',
          loanerForDeviceId: null,
          since: '2026-01-11T14:00:00.000Z',
          acknowledgement: signed,
        },
        {
          assignmentId: A_HOTSPOT,
          deviceId: HOTSPOT,
          assetTag: 'HS-1',
          serialNumber: 'SN-4',
          kind: 'hotspot',
          model: 'MiFi 8800L',
          status: 'assigned',
          condition: 'working',
          assignmentKind: 'primary',
          loanerForDeviceId: null,
          since: '2026-01-10T15:31:00.000Z',
          acknowledgement: null,
        },
        {
          assignmentId: A_LOANER,
          deviceId: LOANER,
          assetTag: null,
          serialNumber: 'SN-3',
          kind: 'chromebook',
          model: null,
          status: 'loaner',
          condition: 'working',
          assignmentKind: 'loaner',
          loanerForDeviceId: RETURNED_CB,
          since: '2026-01-10T15:31:00.000Z',
          acknowledgement: unsigned,
        },
      ],
      kits: [
        kit(KIT_HELD, '2026-01-11T14:10:00.250Z', null, []),
        kit(KIT_SHORT, '2025-09-02T13:05:00.000Z', '2026-01-10T15:35:00.000Z', [{ item: 'headphones', quantity: 1 }]),
      ],
      history: [
        {
          ...assignment(A_HELD, HELD_CB, 'primary', '2026-01-11T14:00:00.000Z', { acknowledgement: signed }),
          assetTag: 'CB-2',
          deviceKind: 'chromebook',
        },
        {
          ...assignment(A_HOTSPOT, HOTSPOT, 'primary', '2026-01-10T15:31:00.000Z', { issuedBy: issuer }),
          assetTag: 'HS-1',
          deviceKind: 'hotspot',
        },
        {
          ...assignment(A_LOANER, LOANER, 'loaner', '2026-01-10T15:31:00.000Z', {
            loanerForDeviceId: RETURNED_CB,
            acknowledgement: unsigned,
          }),
          assetTag: null,
          deviceKind: 'chromebook',
        },
        {
          ...assignment(A_RETURNED, RETURNED_CB, 'primary', '2025-09-02T13:00:00.500Z', {
            active: false,
            issuedBy: issuer,
            endedAt: '2026-01-10T15:30:00.999Z',
            endReason: 'repair',
            returnedCondition: 'damaged',
            returnNote: 'Cracked hinge',
            endedBy: issuer,
          }),
          assetTag: 'CB-1',
          deviceKind: 'chromebook',
        },
      ],
    };

    for (const token of [t.adminToken, await tokenFor(t, 'auditor', DISTRICT)]) {
      const res = await t
        .http()
        .get(`/api/v1/students/${STUDENT}/equipment`)
        .set(...bearer(token))
        .expect(200);
      expect(res.text).toBe(JSON.stringify(expected));
    }
  });

  it("answers another district's student as it answers a student that does not exist", async () => {
    const other = await tokenFor(t, 'district_admin', OTHER_DISTRICT);
    const foreign = await t
      .http()
      .get(`/api/v1/students/${STUDENT}/equipment`)
      .set(...bearer(other))
      .expect(404);
    const missing = await t
      .http()
      .get(`/api/v1/students/${id(999)}/equipment`)
      .set(...bearer(other))
      .expect(404);
    expect(foreign.body.code).toBe('student_not_found');
    expect(Object.keys(foreign.body)).toEqual(Object.keys(missing.body));
    expect(foreign.body.title).toBe(missing.body.title);
  });
});
