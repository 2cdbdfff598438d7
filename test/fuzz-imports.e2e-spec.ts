import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { chromeosDevicesPart } from '../src/imports/parts/chromeos-devices.js';
import { devicesPart } from '../src/imports/parts/devices.js';
import { hotspotUsagePart } from '../src/imports/parts/hotspot-usage.js';
import { loginEventsPart } from '../src/imports/parts/login-events.js';
import { enrollmentsPart, orgsPart, rolesPart, usersPart } from '../src/imports/parts/oneroster.js';
import type { Part } from '../src/imports/parts/part.js';
import { shipmentManifestPart } from '../src/imports/parts/shipment-manifest.js';
import { studentAttributesPart } from '../src/imports/parts/student-attributes.js';
import { createDistrict, createSchool, finished, postImport, zipOf } from './fixtures/imports/support.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/**
 * Whole import files of every kind, their columns holding values each field takes with hostile ones among
 * them (the values that have broken importers before: days off the calendar, year 0 and 10000, epoch
 * milliseconds past 9999, amounts past a column's precision, text past a column's length). Whatever a
 * cell holds, the import refuses the file or reports the row (by line and field) and goes on: it never
 * stops on an unexpected error, which leaves a district's file half applied and its staff nothing to fix.
 */
// No shrinking: each step would be another import, and the first failing file already names the row.
const RUNS = { seed: 2027, numRuns: 20, endOnFailure: true };
const ROWS = 30;

let t: TestApp;
let district: string;

beforeAll(async () => {
  t = await startTestApp({ worker: true });
  district = await createDistrict(t, 'fuzz-imports');
  // A school devices.csv names by code or name; OneRoster's schools come from its own orgs.csv.
  await createSchool(t, district, 'S1');
}, 60_000);
afterAll(async () => {
  await t?.close();
});

/** Keys from small pools, so that rows meet each other (duplicates) and what earlier files created. */
const sourcedIds = fc.constantFrom('stu-1', 'stu-2', 'stu-3', 'tch-1', 'gdn-1');
const orgIds = fc.constantFrom('org-1', 'org-2', 'org-1,org-2', 'org-9');

/** Days and times as files hold them: mostly recent, some at the ends of what a date column takes, some past them. */
const between = (from: string, to: string) => fc.date({ min: new Date(from), max: new Date(to), noInvalidDate: true });
const days = fc.oneof(
  { weight: 4, arbitrary: between('2019-01-01T00:00:00Z', '2027-12-31T00:00:00Z').map((d) => d.toISOString().slice(0, 10)) },
  { weight: 1, arbitrary: between('0001-01-01T00:00:00Z', '9999-12-31T00:00:00Z').map((d) => d.toISOString().slice(0, 10)) },
  {
    weight: 1,
    arbitrary: fc.constantFrom('0000-01-01', '0000-02', '2026-02', '10000-01-01', '1/2/0000', '12/31/9999', '2/29/2024', '02/30/2026'),
  },
);
const instants = fc.oneof(
  { weight: 4, arbitrary: between('2019-01-01T00:00:00Z', '2027-12-31T00:00:00Z').map((d) => d.toISOString()) },
  { weight: 1, arbitrary: between('1960-01-01T00:00:00Z', '2300-01-01T00:00:00Z').map((d) => d.toISOString()) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '0001-01-01T00:00:00Z',
      '9999-12-31T23:59:59+14:00',
      '1969-12-31T23:59:59-01:00',
      '2026-10-05T13:02:11.123456Z',
    ),
  },
);
/** The Admin SDK's dates in epoch milliseconds (autoUpdateExpiration), or as dates. */
const epochDays = fc.oneof(fc.nat(999_999_999_999_999).map(String), fc.constantFrom('253402300799999', '253402300800000'), days);
const digits = (min: number, max: number) => fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: min, maxLength: max });

/** Fields whose typical values are a few constants (a status's per kind, below). */
const CONSTANTS: Record<string, readonly string[]> = {
  roleType: ['primary', 'secondary'],
  role: ['student', 'student', 'teacher', 'guardian', 'parent'],
  type: ['school', 'district'],
  kind: ['chromebook', 'hotspot', 'Chromebook'],
  imei: ['356938035643809', '490154203237518', ''],
  iccid: ['89014103211118510720', '8901410321111851072', ''],
  ...Object.fromEntries(['phoneNumber', 'phone', 'sms'].map((f) => [f, ['+1 (555) 010-0000', '555-010-0001', '']])),
  lineStatus: ['active', 'suspended', 'Active'],
  learningModel: ['in_person', 'hybrid', 'remote'],
  homeInternet: ['yes', 'no', 'unknown'],
  enabledUser: ['true', 'false'],
  primary: ['true', 'false'],
  grades: ['09', 'KG', '12'],
  event: ['login', 'login_success'],
  school: ['S1', 'School S1', ''],
  ...Object.fromEntries(
    ['serialNumber', 'assetTag', 'annotatedAssetId', 'deviceId', 'identifier', 'uniqueId'].map((f) => [
      f,
      ['SN1', 'SN2', 'SN3', 'AT-1', '0001'],
    ]),
  ),
};
const STATUSES: Record<string, readonly string[]> = {
  devices: ['', 'Deployed', 'Ready to Deploy', 'Lost', 'Available'],
  'chromeos-devices': ['ACTIVE', 'DEPROVISIONED', 'DISABLED', 'RETURN_ARRIVED'],
};
const AMOUNTS = ['capMb', 'usedMb', 'usedKb', 'capGb', 'usedGb'];

/**
 * Values the field takes in real files, the ends of their ranges included, so that most rows get past
 * their checks into the statements that apply them.
 */
function valid(field: string, part: string): fc.Arbitrary<string> {
  if (/^(sourcedId|userSourcedId|studentSourcedId|agentSourcedIds|userProfileSourcedId)$/.test(field)) return sourcedIds;
  if (/(org|school|parent|class)SourcedIds?$/.test(field)) return orgIds;
  if (field === 'autoUpdateExpiration') return epochDays;
  // Snipe-IT gives warranties and ends of life as dates or as months after the purchase.
  if (field === 'warrantyEnd' || field === 'endOfLife')
    return fc.oneof(
      days,
      fc.nat(999).map((n) => `${n} months`),
    );
  if (/(Date|On|autoUpdateThrough)$/.test(field)) return days;
  if (/(At|lastSync|dateLastModified)$/.test(field)) return instants;
  if (/email|username|annotatedUser/i.test(field))
    return fc.constantFrom('a.one@x.example.org', 'b.two@x.example.org', 'A.One@X.example.org');
  if (field === 'status') return fc.constantFrom(...(STATUSES[part] ?? ['', 'active', 'tobedeleted']));
  if (field === 'warrantyMonths') return fc.nat(999).map(String);
  if (AMOUNTS.includes(field)) return fc.oneof(fc.nat(100000).map(String), fc.constantFrom('2.5 GB', '1,024', 'Unlimited'));
  if (field === 'purchaseCost') return fc.oneof(fc.nat(2000).map(String), fc.constantFrom('$1,249.50', 'USD 349.00'));
  const constants = CONSTANTS[field];
  return constants ? fc.constantFrom(...constants) : fc.stringMatching(/^[A-Za-z][A-Za-z .'-]{0,11}$/);
}

/** Cells no field takes: numbers past any column, text past a column's length, look-alike and combining characters. */
const hostile = fc.oneof(
  fc.constantFrom(
    '',
    ' ',
    '-1',
    '2147483648',
    '99999999999999999999',
    '1e309',
    'NaN',
    '-0',
    '0.005',
    '9999999 GB',
    '$99,999,999,999',
    '999 months',
    'ext:aide',
    '＝1+1',
    '"',
    'line\r\nbreak',
    'x'.repeat(256),
    'é'.repeat(400),
    '𝒳',
  ),
  digits(1, 24),
  fc.string({ maxLength: 12 }).filter((v) => !v.includes('\u0000')),
  fc.string({ unit: 'grapheme', maxLength: 12 }),
);

/** Up to `rows` records of values their fields take, each with up to two cells made hostile. */
const records = (part: Part, rows = ROWS) =>
  fc.array(
    fc
      .tuple(
        fc.tuple(...part.headers.fields.map((f) => valid(f.field, part.name))),
        fc.array(fc.tuple(fc.nat(), hostile), { maxLength: 2 }),
      )
      .map(([cells, replaced]) => {
        const row: string[] = [...cells];
        for (const [at, value] of replaced) row[at % row.length] = value;
        return row;
      }),
    { minLength: 1, maxLength: rows },
  );

const quote = (value: string): string => `"${value.replace(/"/g, '""')}"`;
/** The file: a header of the part's fields (but `without`), then the rows. */
const csvOf = (part: Part, rows: readonly string[][], without: string[] = []): string => {
  const kept = part.headers.fields.map((f, i) => [f.field, i] as const).filter(([field]) => !without.includes(field));
  return (
    [kept.map(([field]) => field), ...rows.map((r) => kept.map(([, i]) => r[i]!))].map((r) => r.map(quote).join(',')).join('\r\n') + '\r\n'
  );
};

/** Uploads the file; a refusal at the door (422, a problem document) is an answer too. */
async function imported(kind: string, content: string | Buffer, fileName: string): Promise<void> {
  const res = await postImport(t, t.adminToken, kind, district, content, fileName);
  if (res.status === 422) {
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    return;
  }
  expect(res.status).toBe(202);
  const view = await finished(t, t.adminToken, res.body.id as string, 60_000);
  // A file refused as a whole (a precheck) names what to fix; an unexpected error names nothing.
  expect({ kind, status: view.status, errorSummary: view.errorSummary }).not.toMatchObject({
    status: 'failed',
    errorSummary: expect.stringMatching(/unexpected error/),
  });
}

describe('import files of arbitrary cells', () => {
  /** A roster zip of `members` (delta, so a file's absent students stay), the others announced absent. */
  const roster = (version: string, members: { name: string; part: Part; rows?: number; without?: string[] }[]) =>
    fc.assert(
      fc.asyncProperty(fc.tuple(...members.map((m) => records(m.part, m.rows))), async (files) => {
        const announced = ['orgs', 'users', 'roles', 'enrollments'].map(
          (n) => `file.${n},${members.some((m) => m.name === `${n}.csv`) ? 'delta' : 'absent'}`,
        );
        const manifest = ['propertyName,value', 'manifest.version,1.0', `oneroster.version,${version}`, ...announced].join('\n');
        const csv = members.map((m, i) => [m.name, csvOf(m.part, files[i]!, m.without)] as const);
        return imported('oneroster', await zipOf({ 'manifest.csv': `${manifest}\n`, ...Object.fromEntries(csv) }), 'oneroster.zip');
      }),
      RUNS,
    );

  it('oneroster (orgs, users and enrollments of a zip): every file ends with its rows applied or reported', async () => {
    await roster('1.1', [
      { name: 'orgs.csv', part: orgsPart('orgs.csv'), rows: 5 },
      { name: 'users.csv', part: usersPart('users.csv', 'delta') },
      { name: 'enrollments.csv', part: enrollmentsPart('enrollments.csv') },
    ]);
  }, 300_000);

  it('oneroster 1.2 (roles in roles.csv): every file ends with its rows applied or reported', async () => {
    await roster('1.2', [
      { name: 'orgs.csv', part: orgsPart('orgs.csv'), rows: 5 },
      // Without a role column, users.csv is OneRoster 1.2's.
      { name: 'users.csv', part: usersPart('users.csv', 'delta', 'roles.csv'), without: ['role', 'orgSourcedIds'] },
      { name: 'roles.csv', part: rolesPart('roles.csv') },
    ]);
  }, 300_000);

  const csvKinds: [string, () => Part][] = [
    ['devices', devicesPart],
    ['shipment-manifest', shipmentManifestPart],
    ['hotspot-usage', hotspotUsagePart],
    ['student-attributes', studentAttributesPart],
    ['login-events', loginEventsPart],
  ];
  for (const [kind, part] of csvKinds) {
    it(`${kind}: every file ends with its rows applied or reported`, async () => {
      await fc.assert(
        fc.asyncProperty(records(part()), (rows) => imported(kind, csvOf(part(), rows), `${kind}.csv`)),
        RUNS,
      );
    }, 300_000);
  }

  it('chromeos-devices (the Admin SDK JSON): every file ends with its devices applied or reported', async () => {
    const part = chromeosDevicesPart();
    await fc.assert(
      fc.asyncProperty(
        records(part),
        fc.array(fc.array(fc.oneof(valid('email', 'chromeos-devices'), hostile), { maxLength: 3 }), { maxLength: ROWS }),
        (rows, users) => {
          const devices = rows.map((row, i) => {
            const device: Record<string, unknown> = {};
            part.headers.fields.forEach((f, j) => {
              if (row[j] !== '') device[f.field] = row[j];
            });
            if (users[i]) device['recentUsers'] = users[i]!.map((email) => ({ type: 'USER_TYPE_MANAGED', email }));
            return device;
          });
          return imported(
            'chromeos-devices',
            JSON.stringify({ kind: 'admin#directory#chromeosdevices', chromeosdevices: devices }),
            'chromeos.json',
          );
        },
      ),
      RUNS,
    );
  }, 300_000);
});
