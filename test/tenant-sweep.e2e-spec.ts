import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ROLES, type Role } from '../src/auth/principal.js';
import { Seed } from './support/seed.js';
import { bearer, startTestApp, tokenFor, type TestApp } from './support/test-app.js';
import { finished, upload } from './fixtures/imports/support.js';

/**
 * OWASP API1 (broken object level authorization), swept from the OpenAPI document: every route, every
 * method, called by every district role of one district with the ids, codes and names of another's
 * records (and, for a school-scoped staff user, of another school's), must answer 404 (403 where the role
 * may not call the route at all, 400/422 where the request is refused before any lookup) and carry none of
 * the other records' data; and the other district's rows must be exactly as they were. A route the
 * document names with a path parameter the sweep cannot fill fails the sweep instead of being skipped.
 */

/** The kind of record an `{id}` names, by the path segment before it. */
const KIND_BY_SEGMENT = {
  tokens: 'token',
  staff: 'staffUser',
  districts: 'district',
  schools: 'school',
  students: 'student',
  devices: 'device',
  'status-mappings': 'statusMapping',
  'import-mappings': 'importMapping',
  assignments: 'assignment',
  'kit-templates': 'kitTemplate',
  kits: 'kit',
  imports: 'import',
  'gap-scans': 'gapScan',
  tickets: 'ticket',
  shipments: 'shipment',
  connectors: 'connector',
} as const;
/** Path parameters other than `{id}` that name a record. */
const KIND_BY_PARAMETER = { runId: 'connectorRun' } as const;
type Kind = (typeof KIND_BY_SEGMENT)[keyof typeof KIND_BY_SEGMENT] | (typeof KIND_BY_PARAMETER)[keyof typeof KIND_BY_PARAMETER];

/** Fields of a body or query that name a record, and the kind they name. */
const KIND_BY_FIELD: Record<string, Kind> = {
  districtId: 'district',
  schoolId: 'school',
  studentId: 'student',
  deviceId: 'device',
  loanerDeviceId: 'device',
  replacementDeviceId: 'device',
  assignmentId: 'assignment',
  templateId: 'kitTemplate',
  kitTemplateId: 'kitTemplate',
  ticketId: 'ticket',
  staffUserId: 'staffUser',
  assigneeId: 'staffUser',
  assignee: 'staffUser',
  entityId: 'student',
  importId: 'import',
  shipmentId: 'shipment',
};

interface Records {
  ids: Record<Kind, string>;
  /** Values a request may name the records by. */
  assetTag: string;
  serialNumber: string;
  sourcedId: string;
  email: string;
  /** Everything that must not appear in an answer to another district (or school). */
  markers: string[];
}

type Schema = {
  $ref?: string;
  type?: string;
  format?: string;
  enum?: unknown[];
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  allOf?: Schema[];
  oneOf?: Schema[];
  anyOf?: Schema[];
  nullable?: boolean;
  minimum?: number;
  minItems?: number;
};
interface Parameter {
  in: 'path' | 'query' | 'header';
  name: string;
  required?: boolean;
  schema?: Schema;
}
interface Operation {
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { schema: Schema }> };
}
interface Document {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
}

interface Call {
  method: string;
  path: string;
  url: string;
  body: Record<string, unknown> | undefined;
  multipart: boolean;
  /** A path parameter names a foreign record: only a refusal will do. */
  namesForeign: boolean;
}

const DAY = '2020-10-05';
const FUNDING = 'Sweep Fund';

/** The calls the document asks for, filled with the foreign records; throws on what it cannot fill. */
function callsFrom(doc: Document, foreign: Records, pathKinds?: ReadonlySet<Kind>): { calls: Call[]; unfillable: string[] } {
  const calls: Call[] = [];
  const unfillable: string[] = [];
  const resolve = (schema: Schema): Schema => (schema.$ref ? resolve(doc.components.schemas[schema.$ref.split('/').pop()!]!) : schema);

  const valueFor = (name: string, raw: Schema, depth = 0): unknown => {
    const schema = resolve(raw);
    const kind = KIND_BY_FIELD[name];
    if (kind) return foreign.ids[kind];
    if (/assetTag/i.test(name)) return foreign.assetTag;
    if (/serialNumbers?$/i.test(name)) return schema.type === 'array' ? [foreign.serialNumber] : foreign.serialNumber;
    if (/sourcedId/i.test(name)) return foreign.sourcedId;
    if (/email/i.test(name)) return foreign.email;
    const variant = schema.allOf?.[0] ?? schema.oneOf?.[0] ?? schema.anyOf?.[0];
    if (variant) return valueFor(name, variant, depth);
    if (schema.enum) return schema.enum[0];
    switch (schema.type) {
      case 'array':
        return depth > 3 || !schema.items ? [] : [valueFor(name.replace(/s$/, ''), schema.items, depth + 1)];
      case 'object':
        return depth > 3 ? {} : objectFor(schema, depth + 1);
      case 'integer':
      case 'number':
        return Math.max(1, schema.minimum ?? 1);
      case 'boolean':
        return false;
      default:
        if (schema.format === 'date') return DAY;
        if (schema.format === 'date-time') return `${DAY}T12:00:00.000Z`;
        if (schema.format === 'uuid') return foreign.ids.student;
        return 'sweep';
    }
  };
  const objectFor = (schema: Schema, depth = 0): Record<string, unknown> =>
    Object.fromEntries(Object.entries(resolve(schema).properties ?? {}).map(([field, s]) => [field, valueFor(field, s, depth)]));

  for (const [path, operations] of Object.entries(doc.paths)) {
    for (const [method, operation] of Object.entries(operations)) {
      let url = path;
      let namesForeign = false;
      let skip = false;
      for (const parameter of (operation.parameters ?? []).filter((p) => p.in === 'path')) {
        const segment = path.split('/')[path.split('/').indexOf(`{${parameter.name}}`) - 1] ?? '';
        const kind: Kind | undefined =
          parameter.name === 'id'
            ? KIND_BY_SEGMENT[segment as keyof typeof KIND_BY_SEGMENT]
            : KIND_BY_PARAMETER[parameter.name as keyof typeof KIND_BY_PARAMETER];
        if (!kind) {
          unfillable.push(`${method.toUpperCase()} ${path}: {${parameter.name}}`);
          continue;
        }
        // The school-scope sweep leaves district-level records (its own district's) out.
        if (pathKinds && !pathKinds.has(kind)) skip = true;
        url = url.replace(`{${parameter.name}}`, foreign.ids[kind]);
        namesForeign = true;
      }
      if (skip) continue;
      const queries: Record<string, string>[] = [{}];
      for (const parameter of (operation.parameters ?? []).filter((p) => p.in === 'query')) {
        if (['limit', 'cursor', 'sort', 'active', 'missing', 'bySchool'].includes(parameter.name)) continue;
        const schema = resolve(parameter.schema ?? {});
        if (parameter.name === 'format' && schema.enum) {
          // Every format: a CSV must leak nothing either.
          const base = queries.splice(0);
          for (const format of schema.enum) for (const q of base) queries.push({ ...q, format: String(format) });
          continue;
        }
        // Optional filters are set only where they name a record or a value of one (a filter such as
        // type=… would empty the lists the sweep reads); required ones are always filled.
        const names = parameter.name in KIND_BY_FIELD || /assetTag|serialNumber|email|sourcedId|^q$|fundingSource/.test(parameter.name);
        if (!parameter.required && !names) continue;
        const value =
          parameter.name === 'q'
            ? foreign.markers[0]!
            : parameter.name === 'fundingSource'
              ? FUNDING
              : // The station's scan-lookup: a scanned code, here the foreign device's asset tag.
                parameter.name === 'code'
                ? foreign.assetTag
                : valueFor(parameter.name, schema);
        if (value === 'sweep') unfillable.push(`${method.toUpperCase()} ${path}: ?${parameter.name}`);
        for (const q of queries) q[parameter.name] = String(value);
      }
      const content = operation.requestBody?.content ?? {};
      const multipart = 'multipart/form-data' in content;
      const schema = content['application/json']?.schema ?? content['multipart/form-data']?.schema;
      for (const query of queries) {
        const search = new URLSearchParams(query).toString();
        calls.push({
          method,
          path,
          url: search ? `${url}?${search}` : url,
          body: schema ? objectFor(schema) : undefined,
          multipart,
          namesForeign,
        });
      }
    }
  }
  return { calls, unfillable };
}

let t: TestApp;
let seed: Seed;
let doc: Document;

/** One record of each kind in a district (and school), made through the API where it has a route. */
async function recordsOf(districtId: string, schoolId: string, tag: string, adminToken: string): Promise<Records> {
  const api = (method: 'post' | 'put', url: string, body: object) =>
    t
      .http()
      [method](url)
      .set(...bearer(adminToken))
      .send(body);
  const created = async (method: 'post' | 'put', url: string, body: object): Promise<string> => {
    const res = await api(method, url, body);
    if (res.status >= 300) throw new Error(`${url}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.id as string;
  };
  const names = {
    given: `Zebulon${tag}`,
    family: `Quixworth${tag}`,
    sourcedId: `QQSRC${tag}73`,
    email: `zq${tag.toLowerCase()}@foreignvale.org`,
    assetTag: `QQTAG${tag}71`,
    serialNumber: `QQSER${tag}72`,
    staffEmail: `staff${tag.toLowerCase()}@foreignvale.org`,
  };
  const student = await seed.student(districtId, schoolId, { email: names.email });
  await t.db.query(`UPDATE students SET given_name = $2, family_name = $3, sourced_id = $4 WHERE id = $1`, [
    student,
    names.given,
    names.family,
    names.sourcedId,
  ]);
  const spare = await seed.device(districtId, schoolId, { asset_tag: `${names.assetTag}S`, serial_number: `${names.serialNumber}S` });
  const device = await seed.device(districtId, schoolId, { asset_tag: names.assetTag, serial_number: names.serialNumber });
  await seed.assign(districtId, device, student);
  const [assignment] = (await t.db.query(`SELECT id FROM assignments WHERE device_id = $1`, [device])) as { id: string }[];
  const kitTemplate = await created('post', '/api/v1/kit-templates', {
    districtId,
    name: `Kit${tag}`,
    items: [{ item: 'charger', quantity: 1 }],
  });
  const kit = await created('post', '/api/v1/kits', { studentId: student, templateId: kitTemplate });
  const ticket = await created('post', '/api/v1/tickets', { districtId, type: 'outreach', studentId: student });
  await api('post', `/api/v1/tickets/${ticket}/comments`, { body: `Evidence${tag} for ${names.family}` });
  const shipment = await created('post', '/api/v1/shipments', {
    districtId,
    fundingSource: FUNDING,
    shippedOn: '2020-09-15',
    reference: `REF${tag}`,
    serialNumbers: [names.serialNumber, `UNREG${tag}`],
  });
  const staffUser = await created('post', '/api/v1/staff', { districtId, email: names.staffEmail, name: `Staffer${tag}`, role: 'tech' });
  const token = await created('post', '/api/v1/tokens', { districtId, name: `Token${tag}`, role: 'auditor' });
  const statusMapping = await created('post', '/api/v1/status-mappings', {
    districtId,
    label: `Label${tag}`,
    status: 'in_stock',
    condition: null,
  });
  const importMapping = await created('post', '/api/v1/import-mappings', {
    districtId,
    kind: 'hotspot-usage',
    name: `Mapping${tag}`,
    columns: { imei: `Handset${tag}`, usedMb: `Used${tag}` },
  });
  const gapScan = await created('post', '/api/v1/gap-scans', { districtId, asOf: DAY });
  // An import with an error row naming the student: import errors must not leak either.
  const importId = await upload(
    t,
    adminToken,
    'student-attributes',
    districtId,
    `sourcedId,learningModel\n${names.sourcedId},remote\n${names.sourcedId}X,sideways\n`,
    `attrs-${tag}.csv`,
  );
  await finished(t, adminToken, importId);
  // A connector (its endpoints are never called here) and a run of it, made without a job.
  const connector = await created('post', '/api/v1/connectors', {
    districtId,
    kind: 'oneroster-rest',
    settings: {
      baseUrl: 'https://roster.example.org',
      tokenUrl: 'https://roster.example.org/token',
      clientId: `Client${tag}`,
      clientSecret: `Secret${tag}`,
    },
  });
  const [connectorRun] = (await t.db.query(
    `INSERT INTO connector_runs (connector_id, district_id, trigger, streams) VALUES ($1, $2, 'schedule', '{roster}') RETURNING id`,
    [connector, districtId],
  )) as { id: string }[];
  const [district] = (await t.db.query(`SELECT name, code FROM districts WHERE id = $1`, [districtId])) as { name: string; code: string }[];
  const [school] = (await t.db.query(`SELECT name, code FROM schools WHERE id = $1`, [schoolId])) as { name: string; code: string }[];
  const ids: Record<Kind, string> = {
    district: districtId,
    school: schoolId,
    student,
    device,
    assignment: assignment!.id,
    kitTemplate,
    kit,
    ticket,
    shipment,
    staffUser,
    token,
    statusMapping,
    importMapping,
    gapScan,
    import: importId,
    connector,
    connectorRun: connectorRun!.id,
  };
  return {
    ids,
    assetTag: names.assetTag,
    serialNumber: names.serialNumber,
    sourcedId: names.sourcedId,
    email: names.email,
    markers: [
      names.family,
      names.given,
      names.sourcedId,
      names.email,
      names.assetTag,
      names.serialNumber,
      names.staffEmail,
      `Evidence${tag}`,
      `REF${tag}`,
      `UNREG${tag}`,
      `Token${tag}`,
      `Label${tag}`,
      `Kit${tag}`,
      `Client${tag}`,
      `Secret${tag}`,
      spare,
      ...Object.values(ids),
      ...(school ? [school.name, school.code] : []),
      ...(district ? [district.name, district.code] : []),
    ],
  };
}

/** Each table's rows of a district, hashed: a sweep that changes any of them fails. */
async function fingerprint(districtId: string): Promise<Record<string, string>> {
  const tables = (await t.db.query(
    `SELECT table_name FROM information_schema.columns
      WHERE table_schema = 'public' AND column_name = 'district_id' ORDER BY table_name`,
  )) as { table_name: string }[];
  const out: Record<string, string> = {};
  for (const { table_name: table } of tables) {
    const [row] = (await t.db.query(
      `SELECT md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) AS h FROM "${table}" x WHERE district_id = $1`,
      [districtId],
    )) as { h: string }[];
    out[table] = row!.h;
  }
  const [district] = (await t.db.query(`SELECT md5(x::text) AS h FROM districts x WHERE id = $1`, [districtId])) as { h: string }[];
  out['districts'] = district!.h;
  return out;
}

async function send(call: Call, auth: (req: ReturnType<ReturnType<TestApp['http']>['get']>) => typeof req) {
  const req = auth(
    t
      .http()
      [call.method as 'get'](call.url)
      .set('Accept', call.url.includes('format=csv') ? 'text/csv' : 'application/json'),
  );
  if (call.multipart) {
    for (const [field, value] of Object.entries(call.body ?? {})) if (field !== 'file') req.field(field, String(value));
    return req.attach('file', Buffer.from('sourcedId,learningModel\nx,remote\n'), 'sweep.csv');
  }
  return call.body ? req.send(call.body) : req;
}

/** The foreign markers an answer carries, leaving out what the request itself named (a 404 may echo the id asked for). */
function leaks(call: Call, text: string, foreign: Records): string[] {
  const asked = `${decodeURIComponent(call.url)} ${JSON.stringify(call.body ?? {})}`;
  return foreign.markers.filter((m) => !asked.includes(m) && text.includes(m));
}

interface Finding {
  who: string;
  call: string;
  status: number;
  problem?: string;
}

async function sweep(calls: Call[], callers: [string, (req: never) => never][], foreign: Records): Promise<Finding[]> {
  const findings: Finding[] = [];
  for (const [who, auth] of callers) {
    for (const call of calls) {
      const res = await send(call, auth as never);
      const text = res.text ?? '';
      const found = leaks(call, text, foreign);
      const label = `${call.method.toUpperCase()} ${call.url}`;
      if (res.status >= 500) findings.push({ who, call: label, status: res.status, problem: 'server error' });
      else if (found.length) findings.push({ who, call: label, status: res.status, problem: `leaks ${found.join(', ')}` });
      else if (call.namesForeign && ![400, 403, 404, 422].includes(res.status)) {
        findings.push({ who, call: label, status: res.status, problem: 'not refused' });
      }
    }
  }
  return findings;
}

beforeAll(async () => {
  t = await startTestApp({ worker: true, env: { SIGN_IN_MAX_FAILURES: '1000', SECRETS_KEY: Buffer.alloc(32, 7).toString('base64') } });
  seed = new Seed(t.db);
  doc = (
    await t
      .http()
      .get('/api/docs-json')
      .set(...bearer(t.adminToken))
  ).body as Document;
}, 60_000);
afterAll(async () => {
  await t?.close();
});

describe('tenant isolation, swept from the OpenAPI document', () => {
  let home: string;
  let foreign: Records;
  let before: Record<string, string>;
  const callers: [string, (req: never) => never][] = [];

  beforeAll(async () => {
    home = await seed.district();
    const homeSchool = await seed.school(home);
    const away = await seed.district();
    await t.db.query(`UPDATE districts SET name = 'Foreignvale Regional', code = 'FVR917' WHERE id = $1`, [away]);
    const awaySchool = await seed.school(away);
    await t.db.query(`UPDATE schools SET name = 'Farhill Academy', code = 'FHA883' WHERE id = $1`, [awaySchool]);
    foreign = await recordsOf(away, awaySchool, 'D', await tokenFor(t, 'district_admin', away));
    // The home district has records of its own, so lists and reports have something to show.
    await recordsOf(home, homeSchool, 'H', await tokenFor(t, 'district_admin', home));
    for (const role of ROLES.filter((r): r is Exclude<Role, 'state_admin'> => r !== 'state_admin')) {
      const secret = await tokenFor(t, role, home);
      callers.push([role, ((req: { set: (...h: [string, string]) => unknown }) => req.set(...bearer(secret))) as never]);
    }
    before = await fingerprint(away);
  }, 120_000);

  it('can fill every route of the document (a new path parameter must be taught to the sweep)', () => {
    const { calls, unfillable } = callsFrom(doc, foreign);
    expect(unfillable).toEqual([]);
    expect(calls.length).toBeGreaterThanOrEqual(Object.values(doc.paths).reduce((n, ops) => n + Object.keys(ops).length, 0));
  });

  it('refuses every route naming another district’s record, for every role, and leaks nothing', async () => {
    const { calls } = callsFrom(doc, foreign);
    const findings = await sweep(calls, callers, foreign);
    expect(findings).toEqual([]);
    expect(await fingerprint(foreign.ids.district)).toEqual(before);
  }, 240_000);

  it('would see a leak: the state admin, who sees every district, is found reading the records', async () => {
    const reads = callsFrom(doc, foreign).calls.filter((c) => c.method === 'get');
    const admin = ((req: { set: (...h: [string, string]) => unknown }) => req.set(...bearer(t.adminToken))) as never;
    const findings = await sweep(reads, [['state_admin', admin]], foreign);
    // Reads of import errors and suggestions are not refused for the state admin, as they are for anyone else.
    const found = new Set(findings.map((f) => f.call.split('?')[0]));
    for (const kind of ['students', 'devices', 'tickets', 'imports', 'kits', 'shipments'] as const) {
      expect(found).toContain(`GET /api/v1/${kind}/${foreign.ids[KIND_BY_SEGMENT[kind]]}`);
    }
    expect(findings.some((f) => f.call.includes('format=csv') && f.problem?.startsWith('leaks'))).toBe(true);
    expect(findings.some((f) => f.call.startsWith('GET /api/v1/reports/rollout') && f.problem?.includes(foreign.serialNumber))).toBe(true);
    expect(findings.some((f) => f.call.startsWith('GET /api/v1/reports/tickets?') && f.problem?.includes(foreign.ids.ticket))).toBe(true);
    // The per-week reports name the district they count (JSON rows, or the CSV's name columns).
    const named = (route: string) => findings.some((f) => f.call.startsWith(route) && f.problem?.includes('Foreignvale Regional'));
    expect(named('GET /api/v1/reports/tickets/weekly?')).toBe(true);
    expect(named('GET /api/v1/reports/weekly-learning-model/trend?')).toBe(true);
    // The list is asked by the student's sourcedId and email (exact lookups), so its leak is the student's id.
    expect(findings.some((f) => f.call.startsWith('GET /api/v1/students?') && f.problem?.includes(foreign.ids.student))).toBe(true);
  }, 120_000);
});

describe('school scope, swept from the OpenAPI document', () => {
  const SCHOOL_KINDS: ReadonlySet<Kind> = new Set(['school', 'student', 'device', 'assignment', 'kit', 'ticket']);
  let foreign: Records;
  let callers: [string, (req: never) => never][];
  let before: Record<string, string>;

  beforeAll(async () => {
    const district = await seed.district();
    const schoolA = await seed.school(district);
    const schoolB = await seed.school(district);
    const districtAdmin = await tokenFor(t, 'district_admin', district);
    const all = await recordsOf(district, schoolB, 'B', districtAdmin);
    // Only school B's own records are foreign to a user of school A; the district's are theirs too.
    const [school] = (await t.db.query(`SELECT name, code FROM schools WHERE id = $1`, [schoolB])) as { name: string; code: string }[];
    const schoolIds = Object.fromEntries(Object.entries(all.ids).filter(([kind]) => SCHOOL_KINDS.has(kind as Kind)));
    foreign = {
      ...all,
      markers: [
        ...all.markers.filter((m) => /^(Zebulon|Quixworth|QQ|zq|Evidence)/.test(m)),
        ...Object.values(schoolIds),
        school!.name,
        school!.code,
      ],
    };
    await seed.student(district, schoolA);
    callers = [];
    for (const role of ['district_admin', 'tech', 'helpdesk'] as const) {
      const staff = await t
        .http()
        .post('/api/v1/staff')
        .set(...bearer(t.adminToken))
        .send({ districtId: district, email: `${role}@scoped.example.org`, name: `Scoped ${role}`, role, schoolIds: [schoolA] });
      expect(staff.status).toBe(201);
      const token = await t
        .http()
        .post('/api/v1/tokens')
        .set(...bearer(t.adminToken))
        .send({ districtId: district, name: `scoped ${role}`, role, staffUserId: staff.body.id as string });
      expect(token.status).toBe(201);
      const secret = token.body.secret as string;
      callers.push([`${role} of school A`, ((req: { set: (...h: [string, string]) => unknown }) => req.set(...bearer(secret))) as never]);
    }
    before = await fingerprint(district);
  }, 120_000);

  it('refuses every route naming another school’s record, and leaks nothing of it', async () => {
    const { calls, unfillable } = callsFrom(doc, foreign, SCHOOL_KINDS);
    expect(unfillable).toEqual([]);
    const findings = await sweep(calls, callers, foreign);
    expect(findings).toEqual([]);
    const after = await fingerprint(foreign.ids.district);
    // The scoped users may create district-level records of their own (a token, a kit template); school B's rows stay as they were.
    for (const table of ['students', 'devices', 'assignments', 'kits', 'tickets', 'schools'])
      expect([table, after[table]]).toEqual([table, before[table]]);
  }, 240_000);
});
