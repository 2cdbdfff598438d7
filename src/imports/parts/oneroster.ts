import type { EntityManager } from 'typeorm';
import { one, sql } from '../../database/sql.js';
import type { HeaderSpec } from '../parsing/headers.js';
import { CellError, email, text } from '../parsing/values.js';
import { attempt, auditParams, duplicateKeyErrors, GOOD_ROWS, quoted, required, type Applied, type BatchContext, type FieldProblem, type Fields, type Mapped, type Part } from './part.js';

/** How a OneRoster file is to be applied, from manifest.csv (`file.users` = bulk | delta | absent). */
export type RosterMode = 'bulk' | 'delta';

const ORG_TYPES = ['district', 'school', 'department', 'local', 'state', 'national'];
const ROLES = ['student', 'teacher', 'guardian', 'parent', 'administrator', 'aide', 'proctor', 'relative'];
const EXTENSION = /^metadata\./i;

export const ORGS_HEADERS: HeaderSpec = {
  fields: [
    { field: 'sourcedId', required: true },
    { field: 'status' },
    { field: 'dateLastModified' },
    { field: 'name', required: true },
    { field: 'type', required: true },
    { field: 'identifier' },
    { field: 'parentSourcedId' },
  ],
  allowUnknown: false,
  extension: EXTENSION,
};

export const USERS_HEADERS: HeaderSpec = {
  fields: [
    { field: 'sourcedId', required: true },
    { field: 'status' },
    { field: 'dateLastModified' },
    { field: 'enabledUser' },
    { field: 'orgSourcedIds', required: true },
    { field: 'role', required: true },
    { field: 'username' },
    { field: 'userIds' },
    { field: 'givenName', required: true },
    { field: 'familyName', required: true },
    { field: 'middleName' },
    { field: 'identifier' },
    { field: 'email' },
    { field: 'sms' },
    { field: 'phone' },
    { field: 'agentSourcedIds' },
    { field: 'grades' },
    { field: 'password' },
  ],
  allowUnknown: false,
  extension: EXTENSION,
};

function status(fields: Fields): 'active' | 'tobedeleted' {
  const value = (fields['status'] ?? 'active').toLowerCase();
  if (value !== 'active' && value !== 'tobedeleted') throw new CellError('must be active or tobedeleted');
  return value;
}

/** orgs.csv: rows of type school become schools, keyed by sourcedId; their code is the identifier. */
export function orgsPart(name: string): Part {
  return {
    name,
    headers: ORGS_HEADERS,
    columns: [
      { name: 'sourced_id', type: 'text' },
      { name: 'name', type: 'text' },
      { name: 'code', type: 'text' },
    ],
    map(fields: Fields): Mapped {
      const type = (fields['type'] ?? '').toLowerCase();
      const errors: FieldProblem[] = [];
      if (!ORG_TYPES.includes(type) && !type.startsWith('ext:')) errors.push({ field: 'type', message: `${quoted(type)} is not a OneRoster org type` });
      const sourcedId = attempt(errors, 'sourcedId', () => required(fields, 'sourcedId', 255));
      const rowStatus = attempt(errors, 'status', () => status(fields));
      if (errors.length) return { errors };
      // Other org types, and schools a delta drops, are not ours to change: schools are never deleted here.
      if (type !== 'school' || rowStatus === 'tobedeleted') return { skip: true };
      const schoolName = attempt(errors, 'name', () => required(fields, 'name', 200));
      const code = attempt(errors, fields['identifier'] ? 'identifier' : 'sourcedId', () => text(fields['identifier'] ?? sourcedId!, 60));
      return errors.length ? { errors } : { row: [sourcedId, schoolName, code] };
    },
    apply: applySchools,
  };
}

async function applySchools(em: EntityManager, ctx: BatchContext): Promise<Applied> {
  const [token, actor, request] = auditParams(ctx);
  await sql(em, duplicateKeyErrors('sourced_id', 'sourcedId'));
  // Another school of the district already has this code (typed in by hand, or another sourcedId).
  await sql(
    em,
    `INSERT INTO import_stage_errors (line, field, message)
     SELECT st.line, 'identifier', 'school code ' || st.code || ' is already used by school ' || s.name
     FROM import_stage st
     JOIN schools s ON s.district_id = $1 AND s.code = st.code AND s.sourced_id IS NOT NULL AND s.sourced_id <> st.sourced_id
     WHERE ${GOOD_ROWS}`,
    [ctx.districtId],
  );
  await sql(
    em,
    `INSERT INTO import_stage_errors (line, field, message)
     SELECT line, 'identifier', 'school code ' || code || ' is also given on line ' || first_line
     FROM (SELECT st.line, st.code, min(st.line) OVER (PARTITION BY st.code) AS first_line FROM import_stage st WHERE ${GOOD_ROWS}) d
     WHERE line > first_line`,
  );
  // A school entered by hand before the roster arrived is adopted by its code rather than duplicated.
  const adopted = await one<{ n: number }>(
    em,
    `WITH adopted AS (
       UPDATE schools s SET sourced_id = st.sourced_id, name = st.name, updated_at = now()
       FROM import_stage st
       WHERE ${GOOD_ROWS} AND s.district_id = $1 AND s.sourced_id IS NULL AND s.code = st.code
         AND NOT EXISTS (SELECT 1 FROM schools x WHERE x.district_id = $1 AND x.sourced_id = st.sourced_id)
       RETURNING s.id, s.sourced_id, s.name, s.code
     ), audit AS (
       INSERT INTO audit_events (actor_token_id, actor, request_id, district_id, entity_type, entity_id, action, after)
       SELECT $2, $3, $4, $1, 'school', a.id::text, 'update', jsonb_build_object('id', a.id, 'sourcedId', a.sourced_id, 'name', a.name, 'code', a.code)
       FROM adopted a
     )
     SELECT count(*)::int AS n FROM adopted`,
    [ctx.districtId, token, actor, request],
  );
  const counts = await one<{ created: number; updated: number }>(
    em,
    `WITH old AS (
       SELECT s.id, jsonb_build_object('name', s.name, 'code', s.code) AS before
       FROM schools s JOIN import_stage st ON s.district_id = $1 AND s.sourced_id = st.sourced_id
     ), up AS (
       INSERT INTO schools AS s (district_id, sourced_id, name, code)
       SELECT $1, st.sourced_id, st.name, st.code FROM import_stage st WHERE ${GOOD_ROWS}
       ON CONFLICT (district_id, sourced_id) DO UPDATE SET name = EXCLUDED.name, code = EXCLUDED.code, updated_at = now()
       WHERE (s.name, s.code) IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.code)
       RETURNING s.id, (xmax = 0) AS created, s.sourced_id, s.name, s.code
     ), audit AS (
       INSERT INTO audit_events (actor_token_id, actor, request_id, district_id, entity_type, entity_id, action, before, after)
       SELECT $2, $3, $4, $1, 'school', up.id::text, CASE WHEN up.created THEN 'create' ELSE 'update' END, old.before,
              jsonb_build_object('id', up.id, 'sourcedId', up.sourced_id, 'name', up.name, 'code', up.code)
       FROM up LEFT JOIN old ON old.id = up.id
     )
     SELECT count(*) FILTER (WHERE created)::int AS created, count(*) FILTER (WHERE NOT created)::int AS updated FROM up`,
    [ctx.districtId, token, actor, request],
  );
  return { created: counts!.created, updated: counts!.updated + adopted!.n };
}

/** A student's fields as the API names them, and their columns. */
const STUDENT_FIELDS: [string, string][] = [
  ['schoolId', 'school_id'],
  ['identifier', 'identifier'],
  ['givenName', 'given_name'],
  ['familyName', 'family_name'],
  ['grade', 'grade'],
  ['email', 'email'],
  ['enrollmentStatus', 'enrollment_status'],
];

/** The audit of a changed student, before or after: only the fields that changed. */
const changedFields = (side: 'c.old_' | 'up.'): string =>
  STUDENT_FIELDS.map(([f, c]) => `CASE WHEN c.old_${c} IS DISTINCT FROM up.${c} THEN jsonb_build_object('${f}', ${side}${c}) ELSE '{}'::jsonb END`).join(' || ');

const STUDENT_COLUMNS = STUDENT_FIELDS.map(([, c]) => c).join(', ');

/**
 * users.csv: role=student rows become students of the first of their orgs that is a known school.
 * Bulk: the file is the whole truth, so active students it does not name are withdrawn at the end.
 * Delta: `tobedeleted` withdraws. Students are never deleted.
 */
export function usersPart(name: string, mode: RosterMode): Part {
  return {
    name,
    headers: USERS_HEADERS,
    columns: [
      { name: 'sourced_id', type: 'text' },
      { name: 'org_ids', type: 'text' },
      { name: 'identifier', type: 'text' },
      { name: 'given_name', type: 'text' },
      { name: 'family_name', type: 'text' },
      { name: 'grade', type: 'text' },
      { name: 'email', type: 'text' },
      { name: 'enrollment_status', type: 'text' },
    ],
    remembersKeys: mode === 'bulk',
    map(fields: Fields): Mapped {
      const role = (fields['role'] ?? '').toLowerCase();
      const errors: FieldProblem[] = [];
      if (!ROLES.includes(role) && !role.startsWith('ext:')) errors.push({ field: 'role', message: `${quoted(role)} is not a OneRoster role` });
      const sourcedId = attempt(errors, 'sourcedId', () => required(fields, 'sourcedId', 255));
      if (role !== 'student' && !errors.length) return { skip: true };
      const key = sourcedId ?? undefined;
      const rowStatus = attempt(errors, 'status', () => status(fields));
      const givenName = attempt(errors, 'givenName', () => required(fields, 'givenName', 200));
      const familyName = attempt(errors, 'familyName', () => required(fields, 'familyName', 200));
      const orgs = attempt(errors, 'orgSourcedIds', () => {
        const ids = required(fields, 'orgSourcedIds', 10_000).split(',').map((s) => s.trim()).filter(Boolean);
        if (!ids.length) throw new CellError('is required');
        return ids.join(',');
      });
      const identifier = attempt(errors, 'identifier', () => (fields['identifier'] ? text(fields['identifier'], 100) : null));
      const mail = attempt(errors, 'email', () => (fields['email'] ? email(fields['email']) : null));
      const grade = attempt(errors, 'grades', () => {
        const first = fields['grades']?.split(',').map((g) => g.trim()).find(Boolean);
        return first ? text(first, 20) : null;
      });
      if (errors.length) return { errors, ...(key ? { key } : {}) };
      const enrollment = mode === 'delta' && rowStatus === 'tobedeleted' ? 'withdrawn' : 'active';
      return { row: [sourcedId, orgs, identifier, givenName, familyName, grade, mail, enrollment], key: sourcedId! };
    },
    apply: applyStudents,
    ...(mode === 'bulk' ? { finish: withdrawUnnamed } : {}),
  };
}

/**
 * One pass over the batch finds each row's school (the first of its orgs that is a known school) and
 * the student as stored; only new and changed students reach the upsert, so a re-imported roster
 * writes nothing. The upsert and the audit of what it changed are one statement.
 */
async function applyStudents(em: EntityManager, ctx: BatchContext): Promise<Applied> {
  const [token, actor, request] = auditParams(ctx);
  await sql(em, duplicateKeyErrors('sourced_id', 'sourcedId'));
  await sql(
    em,
    `CREATE TEMP TABLE import_resolved ON COMMIT DROP AS
     SELECT st.line, st.sourced_id, st.org_ids, st.identifier, st.given_name, st.family_name, st.grade, st.email, st.enrollment_status,
            school.school_id, s.id AS old_id, ${STUDENT_FIELDS.map(([, c]) => `s.${c} AS old_${c}`).join(', ')}
     FROM import_stage st
     LEFT JOIN (
       SELECT DISTINCT ON (x.line) x.line, sc.id AS school_id
       FROM import_stage x
       CROSS JOIN LATERAL unnest(string_to_array(x.org_ids, ',')) WITH ORDINALITY AS o(sourced_id, n)
       JOIN schools sc ON sc.district_id = $1 AND sc.sourced_id = o.sourced_id
       ORDER BY x.line, o.n
     ) school ON school.line = st.line
     LEFT JOIN students s ON s.district_id = $1 AND s.sourced_id = st.sourced_id
     WHERE ${GOOD_ROWS}`,
    [ctx.districtId],
  );
  await sql(
    em,
    `INSERT INTO import_stage_errors (line, field, message)
     SELECT line, 'orgSourcedIds', 'no known school among ' || org_ids || ' (import orgs.csv first)'
     FROM import_resolved WHERE school_id IS NULL`,
  );
  const counts = await one<{ created: number; updated: number }>(
    em,
    `WITH c AS (
       SELECT * FROM import_resolved
       WHERE school_id IS NOT NULL
         AND (old_id IS NULL OR (${STUDENT_FIELDS.map(([, c]) => `old_${c}`).join(', ')}) IS DISTINCT FROM (${STUDENT_COLUMNS}))
     ), up AS (
       INSERT INTO students AS s (district_id, sourced_id, ${STUDENT_COLUMNS})
       SELECT $1, sourced_id, ${STUDENT_COLUMNS} FROM c ORDER BY sourced_id
       ON CONFLICT (district_id, sourced_id) DO UPDATE SET
         ${STUDENT_FIELDS.map(([, c]) => `${c} = EXCLUDED.${c}`).join(', ')}, updated_at = now()
       WHERE (${STUDENT_FIELDS.map(([, c]) => `s.${c}`).join(', ')}) IS DISTINCT FROM (${STUDENT_FIELDS.map(([, c]) => `EXCLUDED.${c}`).join(', ')})
       RETURNING s.id, s.sourced_id, (xmax = 0) AS created, ${STUDENT_FIELDS.map(([, c]) => `s.${c}`).join(', ')}
     ), audit_updated AS (
       INSERT INTO audit_events (actor_token_id, actor, request_id, district_id, entity_type, entity_id, action, before, after)
       SELECT $2, $3, $4, $1, 'student', up.id::text, 'update', ${changedFields('c.old_')}, ${changedFields('up.')}
       FROM up JOIN c ON c.sourced_id = up.sourced_id
       WHERE NOT up.created
     ), audit_created AS (
       -- One row for the batch's new students (see the bulk-load migration): they hold what they were
       -- created with until a change, whose audit row then holds it as "before".
       INSERT INTO audit_events (actor_token_id, actor, request_id, district_id, entity_type, entity_id, action, after, entity_ids)
       SELECT $2, $3, $4, $1, 'student', $4 || '#' || min(c.line) || '-' || max(c.line), 'create',
              jsonb_build_object('importId', $5::uuid, 'firstLine', min(c.line), 'lastLine', max(c.line), 'students', count(*)),
              array_agg(up.id ORDER BY up.id)
       FROM up JOIN c ON c.sourced_id = up.sourced_id
       WHERE up.created
       HAVING count(*) > 0
     )
     SELECT count(*) FILTER (WHERE created)::int AS created, count(*) FILTER (WHERE NOT created)::int AS updated FROM up`,
    [ctx.districtId, token, actor, request, ctx.importId],
  );
  return { created: counts!.created, updated: counts!.updated };
}

/** Bulk mode: active students the file did not name are withdrawn (never deleted). */
async function withdrawUnnamed(em: EntityManager, ctx: BatchContext): Promise<Record<string, number>> {
  const [token, actor, request] = auditParams(ctx);
  // A bulk file naming no student at all is far likelier a broken export than a district with none.
  const named = await one<{ any: boolean }>(em, `SELECT EXISTS (SELECT 1 FROM import_seen_keys WHERE import_id = $1) AS any`, [ctx.importId]);
  if (!named?.any) return { withdrawn: 0 };
  await sql(em, `CREATE TEMP TABLE import_named ON COMMIT DROP AS SELECT unnest(keys) AS key FROM import_seen_keys WHERE import_id = $1`, [ctx.importId]);
  await sql(em, `ANALYZE import_named`);
  // A roster just loaded has no statistics yet: the planner would take the district for a few rows and
  // loop over the named keys for each. One hash of the named keys, probed once per student, is the plan.
  await sql(em, `SELECT set_config('enable_nestloop', 'off', true)`);
  const result = await one<{ n: number }>(
    em,
    `WITH gone AS (
       UPDATE students s SET enrollment_status = 'withdrawn', updated_at = now()
       WHERE s.district_id = $1 AND s.enrollment_status = 'active'
         AND NOT EXISTS (SELECT 1 FROM import_named n WHERE n.key = s.sourced_id)
       RETURNING s.id
     ), audit AS (
       INSERT INTO audit_events (actor_token_id, actor, request_id, district_id, entity_type, entity_id, action, before, after)
       SELECT $2, $3, $4, $1, 'student', gone.id::text, 'withdraw', '{"enrollmentStatus":"active"}'::jsonb, '{"enrollmentStatus":"withdrawn"}'::jsonb
       FROM gone
     )
     SELECT count(*)::int AS n FROM gone`,
    [ctx.districtId, token, actor, request],
  );
  return { withdrawn: result!.n };
}
