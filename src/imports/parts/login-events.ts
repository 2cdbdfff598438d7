import type { EntityManager } from 'typeorm';
import type { BulkStage } from '../../database/bulk-stage.js';
import { q, run } from '../../database/sql.js';
import { TempTable } from '../../database/temp-table.js';
import { insertStagedLoginEvents, lockForResolvedInsert, LOGIN_EVENT_COLUMNS } from '../../login-events/login-events-bulk.repository.js';
import { moveLastLogins } from '../../students/students-bulk.repository.js';
import { email, text, timestamp } from '../parsing/values.js';
import {
  attempt,
  optional,
  required,
  type Applied,
  type BatchContext,
  type FieldProblem,
  type Fields,
  type Mapped,
  type Part,
} from './part.js';

const str = (value: unknown): string | undefined => (typeof value === 'string' && value.trim() ? value.trim() : undefined);

/**
 * One Reports API activity as CSV-like fields. Its dedupe key is applicationName:id.time:uniqueQualifier,
 * the same however many exports the activity appears in. An activity with several events is recorded
 * once, as login_success if it holds one.
 */
export function reportsActivityFields(value: unknown): Fields | FieldProblem[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [{ field: null, message: 'not an activity object' }];
  const item = value as { id?: Record<string, unknown>; actor?: Record<string, unknown>; events?: unknown };
  const time = str(item.id?.['time']);
  const qualifier = str(item.id?.['uniqueQualifier']);
  const app = str(item.id?.['applicationName']) ?? 'login';
  const actor = str(item.actor?.['email']);
  const names = (Array.isArray(item.events) ? item.events : [])
    .map((e) => (typeof e === 'object' && e !== null ? str((e as Record<string, unknown>)['name']) : undefined))
    .filter((n): n is string => n !== undefined);
  const problems: FieldProblem[] = [];
  if (!time) problems.push({ field: 'id.time', message: 'is required' });
  if (!actor) problems.push({ field: 'actor.email', message: 'is required' });
  if (!names.length) problems.push({ field: 'events', message: 'holds no named event' });
  if (problems.length) return problems;
  return {
    occurredAt: time!,
    email: actor!,
    event: names.includes('login_success') ? 'login_success' : names[0],
    source: `google:${app}`,
    ...(qualifier ? { uniqueId: `${app}:${time}:${qualifier}` } : {}),
  };
}

/** Checks one login event and stages it; shared by the file import and POST /login-events. */
export function mapLoginEvent(fields: Fields, defaultSource: string): Mapped {
  const errors: FieldProblem[] = [];
  const occurredAt = attempt(errors, 'occurredAt', () => timestamp(required(fields, 'occurredAt', 100)));
  const event = attempt(errors, 'event', () => required(fields, 'event', 100));
  const source = attempt(errors, 'source', () => text(fields['source'] ?? defaultSource, 100));
  const sourcedId = attempt(errors, 'studentSourcedId', () => optional(fields, 'studentSourcedId', (v) => text(v, 255)));
  const mail = attempt(errors, 'email', () => optional(fields, 'email', email));
  const uniqueId = attempt(errors, 'uniqueId', () => optional(fields, 'uniqueId', (v) => text(v, 500)));
  if (!errors.length && sourcedId === null && mail === null)
    errors.push({ field: 'studentSourcedId', message: 'studentSourcedId or email is required' });
  if (errors.length) return { errors };
  // Without an id of its own, an event is the same event when every part of it is the same.
  const key = uniqueId ?? `${source}|${sourcedId ?? mail!.toLowerCase()}|${occurredAt}|${event}`;
  return { row: [sourcedId, mail, occurredAt, event, source, key] };
}

/**
 * Login activity: Google Reports API JSON (items[]) or a CSV (occurred_at, student_sourced_id | email,
 * source, event, unique_id). Every event is stored once; only login_success moves last_login_at.
 */
export function loginEventsPart(): Part {
  return {
    name: 'login-events',
    headers: {
      fields: [
        { field: 'occurredAt', aliases: ['occurred_at', 'timestamp'], required: true },
        { field: 'studentSourcedId', aliases: ['student_sourced_id', 'sourcedId'] },
        { field: 'email', aliases: ['student_email'] },
        { field: 'source' },
        { field: 'event', aliases: ['event_name'], required: true },
        { field: 'uniqueId', aliases: ['unique_id'] },
      ],
      anyOf: [['studentSourcedId', 'email']],
    },
    json: { key: 'items', fields: reportsActivityFields },
    columns: LOGIN_EVENT_COLUMNS,
    map: (fields) => mapLoginEvent(fields, 'csv'),
    apply: applyLoginEvents,
    beforeApply: (ctx) => lockForResolvedInsert(ctx.districtId),
    settle: settleLatestLogins,
  };
}

/**
 * A file import keeps each batch's newest successes (one row a batch, committed with it) and moves
 * last_login_at once when it ends (settleLatestLogins): a student then gets one update per import
 * instead of one per batch that saw them log in, and a resumed or failed import still accounts for
 * every committed event. (A request from an LMS, which is small, moves it at once.)
 */
async function applyLoginEvents(em: EntityManager, stage: BulkStage, ctx: BatchContext): Promise<Applied> {
  const keepLatest = q`INSERT INTO import_latest_logins (import_id, student_ids, newest)
  SELECT ${ctx.importId}, array_agg(student_id), array_agg(newest) FROM latest HAVING count(*) > 0`;
  const { unknown, inserted, known } = await insertStagedLoginEvents(em, stage, {
    districtId: ctx.districtId,
    lastLogins: keepLatest,
    skipUnknown: true,
  });
  // Activity exports cover every account of the domain: the logins of staff (of anyone who is not a
  // student of the district) are not ours, skipped and counted, not failures.
  return { created: inserted, updated: 0, skipped: unknown, stats: { notStudents: unknown, duplicates: known - inserted } };
}

/**
 * Moves last_login_at once for the whole import, to each student's newest success over its committed
 * batches. Only the district's students are read. Each student's newest goes into a table of its own
 * first, analysed: from a CTE the planner expected ten students, not the district's 494,000, and probed
 * them one at a time in hash order, reading and writing back most of the students' pages several times
 * (9.9 s of a city import's tail); with the count known it takes them in one pass over the students.
 */
async function settleLatestLogins(em: EntityManager, ctx: BatchContext): Promise<void> {
  const { table } = await TempTable.as(
    em,
    'import_newest_logins',
    q`SELECT u.student_id, max(u.newest) AS newest
      FROM import_latest_logins k, unnest(k.student_ids, k.newest) AS u(student_id, newest)
      WHERE k.import_id = ${ctx.importId}
      GROUP BY u.student_id`,
  );
  await run(em, q`ANALYZE ${table.ref}`);
  await run(
    em,
    q`WITH kept AS (
       DELETE FROM import_latest_logins WHERE import_id = ${ctx.importId}
     ), latest AS (
       SELECT student_id, newest FROM ${table.ref}
     )
     ${moveLastLogins(ctx.districtId)}`,
  );
  await table.drop(em);
}
