import type { EntityManager } from 'typeorm';
import { one, sql } from '../../database/sql.js';
import { email, text, timestamp } from '../parsing/values.js';
import { attempt, optional, required, type Applied, type BatchContext, type FieldProblem, type Fields, type Mapped, type Part } from './part.js';

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
    event: names.includes('login_success') ? 'login_success' : names[0]!,
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
  if (!errors.length && sourcedId === null && mail === null) errors.push({ field: 'studentSourcedId', message: 'studentSourcedId or email is required' });
  if (errors.length) return { errors };
  // Without an id of its own, an event is the same event when every part of it is the same.
  const key = uniqueId ?? `${source}|${sourcedId ?? mail!.toLowerCase()}|${occurredAt}|${event}`;
  return { row: [sourcedId, mail, occurredAt, event, source, key] };
}

export const LOGIN_EVENT_COLUMNS = [
  { name: 'student_sourced_id', type: 'text' },
  { name: 'email', type: 'text' },
  { name: 'occurred_at', type: 'timestamptz' },
  { name: 'event', type: 'text' },
  { name: 'source', type: 'text' },
  { name: 'dedupe_key', type: 'text' },
];

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
      allowUnknown: false,
    },
    json: { key: 'items', fields: reportsActivityFields },
    columns: LOGIN_EVENT_COLUMNS,
    map: (fields) => mapLoginEvent(fields, 'csv'),
    apply: applyLoginEvents,
    settle: settleLatestLogins,
  };
}

/**
 * Moves last_login_at forward to each student's newest staged success (every one counts, not only new
 * ones; the comparison makes a repeated batch a no-op): at once for a request from an LMS, which is
 * small. A file import instead keeps each batch's newest successes (one row a batch, committed with
 * it) and moves last_login_at once when it ends (settleLatestLogins): a student then gets one update
 * per import instead of one per batch that saw them log in, and a resumed or failed import still
 * accounts for every committed event.
 */
const moveLastLogins = (district: string): string => `UPDATE students s SET last_login_at = m.newest FROM latest m
  WHERE s.district_id = ${district} AND s.id = m.student_id AND (s.last_login_at IS NULL OR s.last_login_at < m.newest)`;
const KEEP_LAST_LOGINS = `INSERT INTO import_latest_logins (import_id, student_ids, newest)
  SELECT $2, array_agg(student_id), array_agg(newest) FROM latest HAVING count(*) > 0`;

/**
 * Resolves staged events to students (by sourcedId, else by email preferring an active student) and
 * stores the new ones, in one statement: ON CONFLICT DO NOTHING on the event's key skips an event seen
 * before, earlier in the batch or in a retried one. Events go in ordered by student and time, so that
 * the success index and the check of the students walk their pages in order rather than at random.
 * Events of unknown students become row errors on `import_stage_errors`.
 */
export async function applyLoginEvents(em: EntityManager, ctx: BatchContext): Promise<Applied> {
  const counts = await one<{ unknown: number; inserted: number; known: number }>(
    em,
    `WITH resolved AS MATERIALIZED (
       SELECT st.line, st.occurred_at, st.event, st.source, md5(st.dedupe_key)::uuid AS dedupe_key, st.student_sourced_id, st.email,
              coalesce(s.id, by_email.id) AS student_id
       FROM import_stage st
       LEFT JOIN students s ON s.district_id = $1 AND s.sourced_id = st.student_sourced_id
       LEFT JOIN (
         SELECT DISTINCT ON (lower(x.email)) lower(x.email) AS email, x.id
         FROM students x
         WHERE x.district_id = $1 AND x.email IS NOT NULL
           AND lower(x.email) IN (SELECT lower(email) FROM import_stage WHERE student_sourced_id IS NULL)
         ORDER BY lower(x.email), x.enrollment_status = 'active' DESC, x.id
       ) by_email ON st.student_sourced_id IS NULL AND by_email.email = lower(st.email)
     ), unknown AS (
       INSERT INTO import_stage_errors (line, field, message)
       SELECT line, CASE WHEN student_sourced_id IS NOT NULL THEN 'studentSourcedId' ELSE 'email' END,
              CASE WHEN student_sourced_id IS NOT NULL THEN 'no student with sourcedId ' || student_sourced_id
                   ELSE 'no student with email ' || email END
       FROM resolved WHERE student_id IS NULL
       RETURNING 1
     ), inserted AS (
       INSERT INTO login_events (district_id, student_id, occurred_at, event, source, dedupe_key)
       SELECT $1::uuid, student_id, occurred_at, event, source, dedupe_key
       FROM resolved WHERE student_id IS NOT NULL
       ORDER BY student_id, occurred_at, dedupe_key
       ON CONFLICT (district_id, occurred_at, dedupe_key) DO NOTHING
       RETURNING 1
     ), latest AS (
       SELECT student_id, max(occurred_at) AS newest FROM resolved
       WHERE student_id IS NOT NULL AND event = 'login_success' GROUP BY student_id
     ), last_logins AS (
       ${ctx.importId ? KEEP_LAST_LOGINS : moveLastLogins('$1')}
     )
     SELECT (SELECT count(*) FROM unknown)::int AS unknown, (SELECT count(*) FROM inserted)::int AS inserted,
            (SELECT count(*) FROM resolved WHERE student_id IS NOT NULL)::int AS known`,
    ctx.importId ? [ctx.districtId, ctx.importId] : [ctx.districtId],
  );
  const { unknown, inserted, known } = counts!;
  return { created: inserted, updated: 0, stats: { unknownStudents: unknown, duplicates: known - inserted } };
}

/**
 * Moves last_login_at once for the whole import, to each student's newest success over its committed
 * batches. Only the district's students are read, by their key; students keep free space in their
 * pages (fillfactor) so this update stays on the page and leaves their indexes alone.
 */
async function settleLatestLogins(em: EntityManager, ctx: BatchContext): Promise<void> {
  await sql(
    em,
    `WITH kept AS (
       DELETE FROM import_latest_logins WHERE import_id = $1 RETURNING student_ids, newest
     ), latest AS (
       SELECT u.student_id, max(u.newest) AS newest FROM kept, unnest(kept.student_ids, kept.newest) AS u(student_id, newest)
       GROUP BY u.student_id
     )
     ${moveLastLogins('$2')}`,
    [ctx.importId, ctx.districtId],
  );
}
