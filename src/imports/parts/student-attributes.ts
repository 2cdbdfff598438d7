import type { EntityManager } from 'typeorm';
import type { BulkStage } from '../../database/bulk-stage.js';
import { q, run } from '../../database/sql.js';
import { STUDENT_ATTRIBUTE_COLUMNS, updateStudentAttributes } from '../../students/students-bulk.repository.js';
import { choice, text } from '../parsing/values.js';
import {
  attempt,
  auditAuthor,
  duplicateKeyErrors,
  optional,
  required,
  type Applied,
  type BatchContext,
  type FieldProblem,
  type Fields,
  type Mapped,
  type Part,
} from './part.js';

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

/** A district's own CSV of sourcedId, learningModel, homeInternet, homeLanguage; it updates students, never creates them. */
export function studentAttributesPart(): Part {
  return {
    name: 'student-attributes',
    headers: {
      fields: [
        { field: 'sourcedId', aliases: ['student_sourced_id', 'studentSourcedId'], required: true },
        { field: 'learningModel', aliases: ['learning_model'] },
        { field: 'homeInternet', aliases: ['home_internet'] },
        // No roster standard carries it; SIS exports name it so (Ed-Fi: "Language", PowerSchool: "HomeLanguage").
        { field: 'homeLanguage', aliases: ['home_language', 'Language', 'Primary Home Language', 'Home Language Code'] },
      ],
      anyOf: [['learningModel', 'homeInternet', 'homeLanguage']],
    },
    columns: STUDENT_ATTRIBUTE_COLUMNS,
    map(fields: Fields): Mapped {
      const errors: FieldProblem[] = [];
      const sourcedId = attempt(errors, 'sourcedId', () => required(fields, 'sourcedId', 255));
      const model = attempt(errors, 'learningModel', () =>
        optional(fields, 'learningModel', (v) => choice(v, LEARNING_MODELS, 'learning model (in_person, hybrid, remote)')),
      );
      const internet = attempt(errors, 'homeInternet', () =>
        optional(fields, 'homeInternet', (v) => choice(v, HOME_INTERNET, 'answer (yes, no, unknown)')),
      );
      const language = attempt(errors, 'homeLanguage', () => optional(fields, 'homeLanguage', (v) => text(v, 100)));
      if (!errors.length && model === null && internet === null && language === null) {
        errors.push({ field: 'learningModel', message: 'learningModel, homeInternet or homeLanguage is required' });
      }
      return errors.length ? { errors } : { row: [sourcedId, model, internet, language] };
    },
    apply: applyAttributes,
  };
}

async function applyAttributes(em: EntityManager, stage: BulkStage, ctx: BatchContext): Promise<Applied> {
  await run(em, duplicateKeyErrors(stage, 'sourced_id', 'sourcedId'));
  await run(
    em,
    q`INSERT INTO ${stage.errors} (line, field, message)
     SELECT st.line, 'sourcedId', 'no student with sourcedId ' || st.sourced_id
     FROM ${stage.rows} st
     WHERE ${stage.goodRows} AND NOT EXISTS (SELECT 1 FROM students s WHERE s.district_id = ${ctx.districtId} AND s.sourced_id = st.sourced_id)`,
  );
  const updated = await updateStudentAttributes(em, stage, { districtId: ctx.districtId, author: auditAuthor(ctx) });
  return { created: 0, updated };
}
