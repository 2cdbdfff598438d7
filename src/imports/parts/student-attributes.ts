import type { EntityManager } from 'typeorm';
import { one, sql } from '../../database/sql.js';
import { choice } from '../parsing/values.js';
import { attempt, auditParams, duplicateKeyErrors, GOOD_ROWS, optional, required, type Applied, type BatchContext, type FieldProblem, type Fields, type Mapped, type Part } from './part.js';

const LEARNING_MODELS = {
  inperson: 'in_person',
  onsite: 'in_person',
  hybrid: 'hybrid',
  remote: 'remote',
  fullyremote: 'remote',
  distance: 'remote',
  virtual: 'remote',
  online: 'remote',
} as const;

const HOME_INTERNET = {
  yes: 'yes',
  y: 'yes',
  true: 'yes',
  '1': 'yes',
  no: 'no',
  n: 'no',
  false: 'no',
  '0': 'no',
  none: 'no',
  unknown: 'unknown',
} as const;

/** A district's own CSV of sourcedId, learningModel, homeInternet; it updates students, never creates them. */
export function studentAttributesPart(): Part {
  return {
    name: 'student-attributes',
    headers: {
      fields: [
        { field: 'sourcedId', aliases: ['student_sourced_id', 'studentSourcedId'], required: true },
        { field: 'learningModel', aliases: ['learning_model'] },
        { field: 'homeInternet', aliases: ['home_internet'] },
      ],
      anyOf: [['learningModel', 'homeInternet']],
      allowUnknown: false,
    },
    columns: [
      { name: 'sourced_id', type: 'text' },
      { name: 'learning_model', type: 'text' },
      { name: 'home_internet', type: 'text' },
    ],
    map(fields: Fields): Mapped {
      const errors: FieldProblem[] = [];
      const sourcedId = attempt(errors, 'sourcedId', () => required(fields, 'sourcedId', 255));
      const model = attempt(errors, 'learningModel', () =>
        optional(fields, 'learningModel', (v) => choice(v, LEARNING_MODELS, 'learning model (in_person, hybrid, remote)')),
      );
      const internet = attempt(errors, 'homeInternet', () => optional(fields, 'homeInternet', (v) => choice(v, HOME_INTERNET, 'answer (yes, no, unknown)')));
      if (!errors.length && model === null && internet === null) {
        errors.push({ field: 'learningModel', message: 'learningModel or homeInternet is required' });
      }
      return errors.length ? { errors } : { row: [sourcedId, model, internet] };
    },
    apply: applyAttributes,
  };
}

async function applyAttributes(em: EntityManager, ctx: BatchContext): Promise<Applied> {
  const [token, actor, request] = auditParams(ctx);
  await sql(em, duplicateKeyErrors('sourced_id', 'sourcedId'));
  await sql(
    em,
    `INSERT INTO import_stage_errors (line, field, message)
     SELECT st.line, 'sourcedId', 'no student with sourcedId ' || st.sourced_id
     FROM import_stage st
     WHERE ${GOOD_ROWS} AND NOT EXISTS (SELECT 1 FROM students s WHERE s.district_id = $1 AND s.sourced_id = st.sourced_id)`,
    [ctx.districtId],
  );
  const counts = await one<{ updated: number }>(
    em,
    `WITH old AS (
       SELECT s.id, jsonb_build_object('learningModel', s.learning_model, 'homeInternet', s.home_internet) AS before
       FROM students s JOIN import_stage st ON s.district_id = $1 AND s.sourced_id = st.sourced_id
     ), up AS (
       UPDATE students s SET
         learning_model = coalesce(st.learning_model, s.learning_model),
         home_internet = coalesce(st.home_internet, s.home_internet),
         updated_at = now()
       FROM import_stage st
       WHERE ${GOOD_ROWS} AND s.district_id = $1 AND s.sourced_id = st.sourced_id
         AND (s.learning_model, s.home_internet) IS DISTINCT FROM
             (coalesce(st.learning_model, s.learning_model), coalesce(st.home_internet, s.home_internet))
       RETURNING s.id, s.learning_model, s.home_internet
     ), audit AS (
       INSERT INTO audit_events (actor_token_id, actor, request_id, district_id, entity_type, entity_id, action, before, after)
       SELECT $2, $3, $4, $1, 'student', up.id::text, 'update', old.before,
              jsonb_build_object('learningModel', up.learning_model, 'homeInternet', up.home_internet)
       FROM up JOIN old ON old.id = up.id
     )
     SELECT count(*)::int AS updated FROM up`,
    [ctx.districtId, token, actor, request],
  );
  return { created: 0, updated: counts!.updated };
}
