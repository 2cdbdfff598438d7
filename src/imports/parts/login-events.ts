import type { EntityManager } from 'typeorm';
import { one, sql } from '../../database/sql.js';
import { email, text, timestamp } from '../parsing/values.js';
import { attempt, GOOD_ROWS, optional, required, type Applied, type BatchContext, type FieldProblem, type Fields, type Mapped, type Part } from './part.js';

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
  };
}

/**
 * Resolves staged events to students, stores the new ones (ON CONFLICT DO NOTHING on the dedupe key
 * skips an event seen before, earlier in the batch or in a retried one), and moves last_login_at forward. Events of unknown
 * students become row errors on `import_stage_errors`.
 */
export async function applyLoginEvents(em: EntityManager, ctx: BatchContext): Promise<Applied> {
  await sql(
    em,
    `CREATE TEMP TABLE import_resolved ON COMMIT DROP AS
     SELECT st.line, st.occurred_at, st.event, st.source, md5(st.dedupe_key)::uuid AS dedupe_key, st.student_sourced_id, st.email,
            coalesce(
              (SELECT s.id FROM students s WHERE s.district_id = $1 AND s.sourced_id = st.student_sourced_id),
              (SELECT s.id FROM students s WHERE st.student_sourced_id IS NULL AND s.district_id = $1 AND s.email IS NOT NULL AND lower(s.email) = lower(st.email)
               ORDER BY s.enrollment_status = 'active' DESC, s.id LIMIT 1)
            ) AS student_id
     FROM import_stage st WHERE ${GOOD_ROWS}`,
    [ctx.districtId],
  );
  const unknown = await sql(
    em,
    `INSERT INTO import_stage_errors (line, field, message)
     SELECT line, CASE WHEN student_sourced_id IS NOT NULL THEN 'studentSourcedId' ELSE 'email' END,
            CASE WHEN student_sourced_id IS NOT NULL THEN 'no student with sourcedId ' || student_sourced_id
                 ELSE 'no student with email ' || email END
     FROM import_resolved WHERE student_id IS NULL
     RETURNING line`,
  );
  const inserted = await sql(
    em,
    `INSERT INTO login_events (district_id, student_id, occurred_at, event, source, dedupe_key)
     SELECT $1::uuid, student_id, occurred_at, event, source, dedupe_key
     FROM import_resolved WHERE student_id IS NOT NULL
     ON CONFLICT (district_id, dedupe_key) DO NOTHING
     RETURNING id`,
    [ctx.districtId],
  );
  // Every staged success counts, not only new ones: greatest() makes a repeated batch a no-op.
  await sql(
    em,
    `UPDATE students s SET last_login_at = m.newest
     FROM (SELECT student_id, max(occurred_at) AS newest FROM import_resolved
           WHERE student_id IS NOT NULL AND event = 'login_success' GROUP BY student_id) m
     WHERE s.id = m.student_id AND (s.last_login_at IS NULL OR s.last_login_at < m.newest)`,
  );
  const duplicates = await one<{ n: number }>(em, `SELECT (count(*) FILTER (WHERE student_id IS NOT NULL))::int - $1 AS n FROM import_resolved`, [inserted.count]);
  return { created: inserted.count, updated: 0, stats: { unknownStudents: unknown.count, duplicates: duplicates!.n } };
}
