import type { EntityManager } from 'typeorm';
import { KeySet, type BulkStage } from '../../database/bulk-stage.js';
import { q, run, sql } from '../../database/sql.js';
import { TicketBulkRepository } from '../../tickets/ticket-bulk.repository.js';
import { adoptRosterSchools, ROSTER_SCHOOL_COLUMNS, upsertRosterSchools } from '../../districts/schools-bulk.repository.js';
import {
  ROSTER_STUDENT_COLUMNS,
  setRosterEnrolmentDates,
  activeStudentsNotIn,
  mergeSearchPendingList,
  upsertRosterStudents,
} from '../../students/students-bulk.repository.js';
import { applyRosterGuardians, forgetUnnamedGuardians } from '../../students/guardians-bulk.repository.js';
import { GUARDIAN_RELATIONS, type GuardianRelation } from '../../students/student.domain.js';
import type { HeaderSpec } from '../parsing/headers.js';
import { CellError, date, email, text } from '../parsing/values.js';
import {
  attempt,
  auditAuthor,
  duplicateKeyErrors,
  optional,
  quoted,
  required,
  type Applied,
  type BatchContext,
  type FieldProblem,
  type Fields,
  type Mapped,
  type Part,
} from './part.js';

/** How a OneRoster file is to be applied, from manifest.csv (`file.users` = bulk | delta | absent). */
export type RosterMode = 'bulk' | 'delta';

const ORG_TYPES = ['district', 'school', 'department', 'local', 'state', 'national'];
const ROLES = ['student', 'teacher', 'guardian', 'parent', 'administrator', 'aide', 'proctor', 'relative'];
/** OneRoster's own extension columns (`metadata.*`) and vendors' (`ext_*`): listed as warnings, never refused. */
const EXTENSION = /^(metadata\.|ext[_.:-])/i;

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
  extension: EXTENSION,
};

/** Columns OneRoster 1.2 added to users.csv (and JSON-era names some exports use), read or knowingly unused. */
const USER_12_FIELDS = [
  { field: 'userMasterIdentifier' },
  { field: 'resourceSourcedIds' },
  { field: 'preferredGivenName' },
  { field: 'preferredMiddleName' },
  { field: 'preferredFamilyName' },
  { field: 'primaryOrgSourcedId' },
  { field: 'pronouns' },
  { field: 'agents' },
  { field: 'userId' },
];

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
    ...USER_12_FIELDS,
  ],
  extension: EXTENSION,
};

/**
 * OneRoster 1.2's users.csv: role and orgs moved to roles.csv; it adds the master identifier, preferred
 * names, the primary org and pronouns.
 */
export const USERS_12_HEADERS: HeaderSpec = {
  fields: [
    ...USERS_HEADERS.fields.filter((f) => f.field !== 'role' && f.field !== 'orgSourcedIds'),
    { field: 'role' },
    { field: 'orgSourcedIds' },
  ],
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
    columns: ROSTER_SCHOOL_COLUMNS,
    map(fields: Fields): Mapped {
      const type = (fields['type'] ?? '').toLowerCase();
      const errors: FieldProblem[] = [];
      if (!ORG_TYPES.includes(type) && !type.startsWith('ext:'))
        errors.push({ field: 'type', message: `${quoted(type)} is not a OneRoster org type` });
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

async function applySchools(em: EntityManager, stage: BulkStage, ctx: BatchContext): Promise<Applied> {
  await run(em, duplicateKeyErrors(stage, 'sourced_id', 'sourcedId'));
  // Another school of the district already has this code (typed in by hand, or another sourcedId).
  await run(
    em,
    q`INSERT INTO ${stage.errors} (line, field, message)
     SELECT st.line, 'identifier', 'school code ' || st.code || ' is already used by school ' || s.name
     FROM ${stage.rows} st
     JOIN schools s ON s.district_id = ${ctx.districtId} AND s.code = st.code AND s.sourced_id IS NOT NULL AND s.sourced_id <> st.sourced_id
     WHERE ${stage.goodRows}`,
  );
  await run(
    em,
    q`INSERT INTO ${stage.errors} (line, field, message)
     SELECT line, 'identifier', 'school code ' || code || ' is also given on line ' || first_line
     FROM (SELECT st.line, st.code, min(st.line) OVER (PARTITION BY st.code) AS first_line FROM ${stage.rows} st WHERE ${stage.goodRows}) d
     WHERE line > first_line`,
  );
  const batch = { districtId: ctx.districtId, author: auditAuthor(ctx) };
  const adopted = await adoptRosterSchools(em, stage, batch);
  const counts = await upsertRosterSchools(em, stage, batch);
  return { created: counts.created, updated: counts.updated + adopted };
}

/** The sourcedIds of a cell that may hold several (orgSourcedIds), in order, without blanks. */
const idList = (value: string | undefined): string[] =>
  (value ?? '')
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);

/** agentSourcedIds as staged: each id one a family contact can hold (255 characters, as every sourcedId). */
function agentIds(value: string | undefined): string {
  const ids = idList(value);
  const long = ids.find((id) => id.length > 255);
  if (long) throw new CellError(`${quoted(long)} is longer than 255 characters (a sourcedId)`);
  return text(ids.join(','), 10_000);
}

/**
 * users.csv: role=student rows become students of the first of their orgs that is a known school.
 * Bulk: the file is the whole truth, so active students it does not name are withdrawn at the end.
 * Delta: `tobedeleted` withdraws. Students are never deleted. In OneRoster 1.2 (`roles`), who is a
 * student, and of which orgs, comes from roles.csv, read before it (see rolesPart): every user is
 * staged, and the apply step keeps the students.
 */
export function usersPart(
  name: string,
  mode: RosterMode,
  roles: 'users.csv' | 'roles.csv' = 'users.csv',
  dates: EnrolmentDates = new Map(),
): Part {
  const fromRoles = roles === 'roles.csv';
  return {
    name,
    headers: fromRoles ? USERS_12_HEADERS : USERS_HEADERS,
    columns: ROSTER_STUDENT_COLUMNS,
    remembersKeys: mode === 'bulk',
    map(fields: Fields): Mapped {
      const role = (fields['role'] ?? '').toLowerCase();
      const errors: FieldProblem[] = [];
      if (!fromRoles && !ROLES.includes(role) && !role.startsWith('ext:'))
        errors.push({ field: 'role', message: `${quoted(role)} is not a OneRoster role` });
      const sourcedId = attempt(errors, 'sourcedId', () => required(fields, 'sourcedId', 255));
      if (!fromRoles && isGuardianRole(role) && !errors.length) return guardianRow(fields, role, mode);
      if (!fromRoles && role !== 'student' && !errors.length) return { skip: true };
      const key = sourcedId ?? undefined;
      const rowStatus = attempt(errors, 'status', () => status(fields));
      const givenName = attempt(errors, 'givenName', () => required(fields, 'givenName', 200));
      const familyName = attempt(errors, 'familyName', () => required(fields, 'familyName', 200));
      const orgs = attempt(errors, 'orgSourcedIds', () => {
        // 1.2: the primary org first; the apply step adds the orgs of the user's roles.
        const ids = fromRoles ? idList(fields['primaryOrgSourcedId']) : idList(required(fields, 'orgSourcedIds', 10_000));
        if (!ids.length && !fromRoles) throw new CellError('is required');
        return ids.length ? text(ids.join(','), 10_000) : null;
      });
      const identifierField = fields['identifier'] ? 'identifier' : 'userMasterIdentifier';
      const identifier = attempt(errors, identifierField, () => optional(fields, identifierField, (v) => text(v, 100)));
      const mail = attempt(errors, 'email', () => (fields['email'] ? email(fields['email']) : null));
      const grade = attempt(errors, 'grades', () => {
        const first = idList(fields['grades'])[0];
        return first ? text(first, 20) : null;
      });
      if (errors.length) return { errors, ...(key ? { key } : {}) };
      const agents = attempt(errors, 'agentSourcedIds', () => optional(fields, 'agentSourcedIds', agentIds));
      if (errors.length) return { errors, ...(key ? { key } : {}) };
      const enrollment = mode === 'delta' && rowStatus === 'tobedeleted' ? 'withdrawn' : 'active';
      // 1.2: whether a user is a guardian is known only from roles.csv, at apply time, so phone and sms are
      // staged for every user; a value a guardian's could not hold is left out rather than failing a student's row.
      const phone = fromRoles ? contactNumber(fields['phone']) : null;
      const sms = fromRoles ? contactNumber(fields['sms']) : null;
      return {
        row: [
          sourcedId,
          orgs,
          identifier,
          givenName,
          familyName,
          grade,
          mail,
          enrollment,
          'student',
          agents || null,
          phone,
          sms,
          dates.get(sourcedId!) ?? null,
        ],
        key: sourcedId!,
      };
    },
    apply: fromRoles ? applyStudentsOfRoles : applyStudents,
    ...(mode === 'bulk' ? { finish: recordUnnamed } : {}),
    // The batches' students wait in the search index's pending list (mergeSearchPendingList).
    settle: mergeSearchPendingList,
  };
}

/** A phone or sms cell as guardians hold it (40 characters at most), or null. */
const contactNumber = (value: string | undefined): string | null =>
  value !== undefined && value.length <= 40 && !value.includes('\u0000') ? value : null;

const isGuardianRole = (role: string): role is GuardianRelation => (GUARDIAN_RELATIONS as readonly string[]).includes(role);

/**
 * A parent, guardian or relative (OneRoster 1.1 users.csv): kept as a family contact of the students its
 * agentSourcedIds name. Staged with the students (the stage's role column tells them apart); no key, as
 * a bulk roster's withdrawals concern students only. A delta's tobedeleted guardian is removed.
 */
function guardianRow(fields: Fields, role: GuardianRelation, mode: RosterMode): Mapped {
  const errors: FieldProblem[] = [];
  const sourcedId = attempt(errors, 'sourcedId', () => required(fields, 'sourcedId', 255));
  const rowStatus = attempt(errors, 'status', () => status(fields));
  const givenName = attempt(errors, 'givenName', () => required(fields, 'givenName', 200));
  const familyName = attempt(errors, 'familyName', () => required(fields, 'familyName', 200));
  const mail = attempt(errors, 'email', () => (fields['email'] ? email(fields['email']) : null));
  const phone = attempt(errors, 'phone', () => optional(fields, 'phone', (v) => text(v, 40)));
  const sms = attempt(errors, 'sms', () => optional(fields, 'sms', (v) => text(v, 40)));
  const agents = attempt(errors, 'agentSourcedIds', () => agentIds(fields['agentSourcedIds']));
  if (errors.length) return { errors };
  const present = mode === 'delta' && rowStatus === 'tobedeleted' ? 'withdrawn' : 'active';
  return { row: [sourcedId, null, null, givenName, familyName, null, mail, present, role, agents || null, phone, sms, null] };
}

/**
 * 1.2: users without a student role in roles.csv are not ours (skipped); a student's orgs are its
 * primary org, then those of its student roles (primary roles first, in file order).
 */
async function applyStudentsOfRoles(em: EntityManager, stage: BulkStage, ctx: BatchContext): Promise<Applied> {
  // A user with a family role and no student role is a guardian (applyStudents keeps them as such).
  await run(
    em,
    q`UPDATE ${stage.rows} st SET role = r.role
     FROM (SELECT user_sourced_id, min(role) AS role FROM import_roster_roles
           WHERE import_id = ${ctx.importId} AND role <> 'student' AND user_sourced_id IN (SELECT sourced_id FROM ${stage.rows})
           GROUP BY user_sourced_id) r
     WHERE r.user_sourced_id = st.sourced_id
       AND NOT EXISTS (SELECT 1 FROM import_roster_roles s
                       WHERE s.import_id = ${ctx.importId} AND s.user_sourced_id = st.sourced_id AND s.role = 'student')`,
  );
  const skipped = await run(
    em,
    q`DELETE FROM ${stage.rows} st
     WHERE NOT EXISTS (SELECT 1 FROM import_roster_roles r WHERE r.import_id = ${ctx.importId} AND r.user_sourced_id = st.sourced_id)
       AND ${stage.goodRows}`,
  );
  await run(
    em,
    q`UPDATE ${stage.rows} st SET org_ids = concat_ws(',', st.org_ids, r.org_ids)
     FROM (SELECT r.user_sourced_id, string_agg(r.org_sourced_id, ',' ORDER BY r.is_primary DESC, r.line) AS org_ids
           FROM import_roster_roles r
           WHERE r.import_id = ${ctx.importId} AND r.role = 'student' AND r.user_sourced_id IN (SELECT sourced_id FROM ${stage.rows})
           GROUP BY r.user_sourced_id) r
     WHERE r.user_sourced_id = st.sourced_id`,
  );
  const applied = await applyStudents(em, stage, ctx);
  return { ...applied, skipped: skipped.count };
}

export const ROLES_HEADERS: HeaderSpec = {
  fields: [
    { field: 'sourcedId', required: true },
    { field: 'status' },
    { field: 'dateLastModified' },
    { field: 'userSourcedId', required: true },
    { field: 'roleType' },
    { field: 'role', required: true },
    { field: 'beginDate' },
    { field: 'endDate' },
    { field: 'orgSourcedId', required: true },
    { field: 'userProfileSourcedId' },
  ],
  extension: EXTENSION,
};

const ROLE_COLUMNS = [
  { name: 'user_sourced_id', type: 'text' },
  { name: 'org_sourced_id', type: 'text' },
  { name: 'is_primary', type: 'boolean' },
  { name: 'role', type: 'text' },
] as const;

/**
 * OneRoster 1.2 roles.csv: the student and family (parent, guardian, relative) roles, not tobedeleted,
 * are kept for users.csv, which follows it, and dropped when the import ends. Other roles are not ours.
 */
export function rolesPart(name: string): Part {
  return {
    name,
    headers: ROLES_HEADERS,
    columns: ROLE_COLUMNS,
    map(fields: Fields): Mapped {
      const role = (fields['role'] ?? '').toLowerCase();
      const errors: FieldProblem[] = [];
      const user = attempt(errors, 'userSourcedId', () => required(fields, 'userSourcedId', 255));
      const org = attempt(errors, 'orgSourcedId', () => required(fields, 'orgSourcedId', 255));
      const rowStatus = attempt(errors, 'status', () => status(fields));
      const roleType = (fields['roleType'] ?? 'primary').toLowerCase();
      if (roleType !== 'primary' && roleType !== 'secondary') errors.push({ field: 'roleType', message: 'must be primary or secondary' });
      if (errors.length) return { errors };
      if ((role !== 'student' && !isGuardianRole(role)) || rowStatus === 'tobedeleted') return { skip: true };
      return { row: [user, org, roleType === 'primary', role] };
    },
    apply: keepRoles,
    settle: async (em, ctx) => {
      await run(em, q`DELETE FROM import_roster_roles WHERE import_id = ${ctx.importId}`);
    },
  };
}

async function keepRoles(em: EntityManager, stage: BulkStage, ctx: BatchContext): Promise<Applied> {
  await run(
    em,
    q`INSERT INTO import_roster_roles (import_id, user_sourced_id, org_sourced_id, is_primary, line, role)
     SELECT ${ctx.importId}, st.user_sourced_id, st.org_sourced_id, st.is_primary, st.line, st.role FROM ${stage.rows} st WHERE ${stage.goodRows}`,
  );
  return { created: 0, updated: 0 };
}

/** The tickets module's set-based writer: it holds no state, so a part (a plain function) may use its own. */
const tickets = new TicketBulkRepository();

async function applyStudents(em: EntityManager, stage: BulkStage, ctx: BatchContext): Promise<Applied> {
  await run(em, duplicateKeyErrors(stage, 'sourced_id', 'sourcedId'));
  const author = auditAuthor(ctx);
  // Family contacts first: they leave the stage to the students.
  const family = await applyRosterGuardians(em, stage, { districtId: ctx.districtId, importId: ctx.importId, author });
  const counts = await upsertRosterStudents(em, stage, { districtId: ctx.districtId, importId: ctx.importId, author });
  // A delta's tobedeleted rows withdraw their students at once: their open tickets resolve with them.
  const ticketsResolved = await tickets.resolveOfStudents(
    em,
    author,
    q`SELECT s.id FROM ${stage.rows} st JOIN students s ON s.district_id = ${ctx.districtId} AND s.sourced_id = st.sourced_id
      WHERE st.enrollment_status = 'withdrawn' AND s.enrollment_status = 'withdrawn'`,
    'withdrawn',
  );
  const stats = Object.fromEntries(Object.entries({ ticketsResolved, guardiansRemoved: family.removed }).filter(([, n]) => n > 0));
  return {
    created: counts.created + family.created,
    updated: counts.updated + family.updated,
    ...(Object.keys(stats).length ? { stats } : {}),
  };
}

/**
 * Bulk mode: active students the file did not name are to be withdrawn (never deleted). They are kept
 * in import_withdrawals; the import's end (ImportLifecycle) withdraws them, or waits for an admin to
 * confirm when they are too many.
 */
async function recordUnnamed(em: EntityManager, ctx: BatchContext): Promise<Record<string, number>> {
  // A bulk file naming no student at all is far likelier a broken export than a district with none.
  const named = await run<{ any: boolean }>(em, q`SELECT EXISTS (SELECT 1 FROM import_seen_keys WHERE import_id = ${ctx.importId}) AS any`);
  if (!named.rows[0]?.any) return { withdrawn: 0 };
  const keys = await KeySet.create(
    em,
    'import_named',
    q`SELECT unnest(keys) AS key FROM import_seen_keys WHERE import_id = ${ctx.importId}`,
  );
  // A roster just loaded has no statistics yet: the planner would take the district for a few rows and
  // loop over the named keys for each. One hash of the named keys, probed once per student, is the plan.
  await sql(em, `SELECT set_config('enable_nestloop', 'off', true)`);
  await run(
    em,
    q`INSERT INTO import_withdrawals (import_id, student_id)
     SELECT ${ctx.importId}, x.student_id FROM (${activeStudentsNotIn(keys, ctx.districtId)}) x ON CONFLICT DO NOTHING`,
  );
  await sql(em, `SELECT set_config('enable_nestloop', 'on', true)`);
  const guardiansRemoved = await forgetUnnamedGuardians(em, {
    districtId: ctx.districtId,
    importId: ctx.importId,
    author: auditAuthor(ctx),
  });
  // What was withdrawn is added when the import ends.
  return { withdrawn: 0, ...(guardiansRemoved ? { guardiansRemoved } : {}) };
}

export const ENROLLMENTS_HEADERS: HeaderSpec = {
  fields: [
    { field: 'sourcedId', required: true },
    { field: 'status' },
    { field: 'dateLastModified' },
    { field: 'classSourcedId' },
    { field: 'schoolSourcedId' },
    { field: 'userSourcedId', required: true },
    { field: 'role', required: true },
    { field: 'primary' },
    { field: 'beginDate' },
    { field: 'endDate' },
  ],
  extension: EXTENSION,
};

const ENROLLMENT_COLUMNS = [
  { name: 'user_sourced_id', type: 'text' },
  { name: 'begin_date', type: 'date' },
  { name: 'end_date', type: 'date' },
] as const;

/** A string with characters of its own: a parsed cell is a slice of the text it was read from, which it keeps in memory. */
const flat = (value: string): string => Buffer.from(value, 'utf8').toString('utf8');

/** A roster's earliest current enrolment date by student sourcedId, as enrollments.csv is read (YYYY-MM-DD). */
export type EnrolmentDates = Map<string, string>;

/**
 * The most students whose dates a roster keeps in memory (about 70 bytes each: 35 MB, within the import's
 * heap of 192 MB); a bigger district's other students have their dates set when the import ends.
 */
const KEPT_DATES = 500_000;

/**
 * enrollments.csv: a student's enrolment date (students.enrolled_on) is the earliest beginDate of their
 * current enrolments (not tobedeleted, not ended before today). Rows of a student may lie in any batch:
 * each batch keeps its earliest date per student (import_enrollment_dates, committed with it) and the
 * dates are applied once, when the import ends. Students it does not name keep their date; rows
 * without a beginDate, or of other roles, are skipped. The dates are also kept in `dates`, for the
 * users.csv read after it to create its new students with: the end then has nothing to change for them.
 * "Today" there is UTC's; where the district's differs, the end step sets the date it gives.
 * `most` bounds how many students' dates are kept (KEPT_DATES).
 */
export function enrollmentsPart(name: string, dates: EnrolmentDates = new Map(), most = KEPT_DATES): Part {
  const today = new Date().toISOString().slice(0, 10);
  // One string per distinct date (a roster has a few hundred) for the half a million students of a big district.
  const days = new Map<string, string>();
  const keep = (user: string, begin: string): void => {
    const kept = dates.get(user);
    if (kept !== undefined ? begin >= kept : dates.size >= most) return;
    let day = days.get(begin);
    if (day === undefined) days.set(begin, (day = begin));
    dates.set(kept === undefined ? flat(user) : user, day);
  };
  return {
    name,
    headers: ENROLLMENTS_HEADERS,
    columns: ENROLLMENT_COLUMNS,
    map(fields: Fields): Mapped {
      const role = (fields['role'] ?? '').toLowerCase();
      const errors: FieldProblem[] = [];
      if (!ROLES.includes(role) && !role.startsWith('ext:'))
        errors.push({ field: 'role', message: `${quoted(role)} is not a OneRoster role` });
      const user = attempt(errors, 'userSourcedId', () => required(fields, 'userSourcedId', 255));
      const rowStatus = attempt(errors, 'status', () => status(fields));
      const begin = attempt(errors, 'beginDate', () => optional(fields, 'beginDate', date));
      const end = attempt(errors, 'endDate', () => optional(fields, 'endDate', date));
      if (errors.length) return { errors };
      if (role !== 'student' || rowStatus === 'tobedeleted' || begin === null) return { skip: true };
      if (end !== null && end < begin) return { errors: [{ field: 'endDate', message: 'is before beginDate' }] };
      if (end === null || end >= today) keep(user!, begin);
      return { row: [user, begin, end] };
    },
    apply: keepEnrolmentDates,
    settle: applyEnrolmentDates,
  };
}

async function keepEnrolmentDates(em: EntityManager, stage: BulkStage, ctx: BatchContext): Promise<Applied> {
  await run(
    em,
    q`WITH today AS (SELECT (now() AT TIME ZONE time_zone)::date AS day FROM districts WHERE id = ${ctx.districtId}),
     earliest AS (
       SELECT st.user_sourced_id, min(st.begin_date) AS begin_date
       FROM ${stage.rows} st, today
       WHERE ${stage.goodRows} AND (st.end_date IS NULL OR st.end_date >= today.day)
       GROUP BY st.user_sourced_id
     )
     INSERT INTO import_enrollment_dates (import_id, sourced_ids, begin_dates)
     SELECT ${ctx.importId}, array_agg(user_sourced_id), array_agg(begin_date) FROM earliest HAVING count(*) > 0`,
  );
  return { created: 0, updated: 0 };
}

/** Applies what the committed batches kept, once, when the import ends (completed or failed, as login imports do). */
async function applyEnrolmentDates(em: EntityManager, ctx: BatchContext): Promise<void> {
  const dates = q`SELECT u.sourced_id, min(u.begin_date) AS begin_date
    FROM kept, unnest(kept.sourced_ids, kept.begin_dates) AS u(sourced_id, begin_date)
    GROUP BY u.sourced_id`;
  await setRosterEnrolmentDates(em, dates, {
    districtId: ctx.districtId,
    author: auditAuthor(ctx),
    kept: q`DELETE FROM import_enrollment_dates WHERE import_id = ${ctx.importId} RETURNING sourced_ids, begin_dates`,
  });
}
