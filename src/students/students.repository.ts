import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { one, run, sql } from '../database/sql.js';
import { guardiansOf } from './family-contacts.sql.js';
import {
  DISTRICT_TODAY_SQL,
  type EnrollmentStatus,
  type GuardianRow,
  type HomeInternet,
  type LearningModel,
  type StudentRow,
} from './student.domain.js';

export interface StudentChanges {
  schoolId?: string;
  sourcedId?: string;
  identifier?: string | null;
  givenName?: string;
  familyName?: string;
  grade?: string | null;
  email?: string | null;
  learningModel?: LearningModel;
  homeInternet?: HomeInternet;
  enrollmentStatus?: EnrollmentStatus;
  enrolledOn?: string;
}

export interface StudentFilter {
  districtId: string | null;
  /** A school-scoped caller's schools; null: no such limit. */
  schoolIds?: string[] | null;
  schoolId?: string;
  grade?: string;
  learningModel?: LearningModel;
  enrollmentStatus?: EnrollmentStatus;
  sourcedId?: string;
  identifier?: string;
  email?: string;
  q?: string;
}

/** Writable columns by API field; last_login_at is not among them (only login imports set it). */
const WRITABLE: Record<keyof StudentChanges, string> = {
  schoolId: 'school_id',
  sourcedId: 'sourced_id',
  identifier: 'identifier',
  givenName: 'given_name',
  familyName: 'family_name',
  grade: 'grade',
  email: 'email',
  learningModel: 'learning_model',
  homeInternet: 'home_internet',
  enrollmentStatus: 'enrollment_status',
  enrolledOn: 'enrolled_on',
};

const COLUMNS = `id, district_id AS "districtId", school_id AS "schoolId", sourced_id AS "sourcedId", identifier,
  given_name AS "givenName", family_name AS "familyName", grade, email, learning_model AS "learningModel",
  home_internet AS "homeInternet", enrollment_status AS "enrollmentStatus", last_login_at AS "lastLoginAt",
  to_char(enrolled_on, 'YYYY-MM-DD') AS "enrolledOn", home_language AS "homeLanguage", created_at AS "createdAt", updated_at AS "updatedAt", version`;

/** Exactly the expression students_search_idx indexes, so the trigram index can serve ILIKE on it. */
export const SEARCH_TEXT = `(given_name || ' ' || family_name || ' ' || coalesce(identifier, '') || ' ' || coalesce(email, ''))`;

/** The shortest text students_search_idx can find: pg_trgm looks up a pattern by its three-letter pieces. */
const TRIGRAM_MIN = 3;

function sent(changes: StudentChanges): (keyof StudentChanges)[] {
  return (Object.keys(WRITABLE) as (keyof StudentChanges)[]).filter((field) => changes[field] !== undefined);
}

@Injectable()
export class StudentsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** `districtId` null means any district (a state token). */
  findById(
    id: string,
    districtId: string | null,
    em: EntityManager = this.db.manager,
    options: { lock?: boolean } = {},
  ): Promise<StudentRow | null> {
    return one<StudentRow>(
      em,
      `SELECT ${COLUMNS} FROM students WHERE id = $1 AND ($2::uuid IS NULL OR district_id = $2)${options.lock ? ' FOR UPDATE' : ''}`,
      [id, districtId],
    );
  }

  /** The guardians the roster links to a student. */
  async guardians(studentId: string): Promise<GuardianRow[]> {
    return (await run<GuardianRow & { studentId: string }>(this.db.manager, guardiansOf([studentId]))).rows.map(
      ({ studentId: _, ...guardian }) => guardian,
    );
  }

  /** Ordered by (family_name, given_name, id), the order of students_list_idx (students_name_idx for a state-wide caller). */
  async list(
    filter: StudentFilter,
    after: { familyName: string; givenName: string; id: string } | null,
    limit: number,
  ): Promise<StudentRow[]> {
    const params: unknown[] = [];
    const where: string[] = [];
    const bind = (value: unknown): string => `$${params.push(value)}`;
    if (filter.districtId) where.push(`district_id = ${bind(filter.districtId)}`);
    if (filter.schoolIds) where.push(`school_id = ANY(${bind(filter.schoolIds)}::uuid[])`);
    if (filter.schoolId) where.push(`school_id = ${bind(filter.schoolId)}`);
    if (filter.grade) where.push(`grade = ${bind(filter.grade)}`);
    if (filter.learningModel) where.push(`learning_model = ${bind(filter.learningModel)}`);
    if (filter.enrollmentStatus) where.push(`enrollment_status = ${bind(filter.enrollmentStatus)}`);
    // Exact lookups, each spelled as its (value, district_id) index so state-wide callers probe it too.
    if (filter.sourcedId !== undefined) where.push(`sourced_id = ${bind(filter.sourcedId)}`);
    if (filter.identifier !== undefined) where.push(`identifier = ${bind(filter.identifier)}`);
    if (filter.email !== undefined) where.push(`lower(email) = lower(${bind(filter.email)})`);
    if (filter.q) where.push(`${SEARCH_TEXT} ILIKE ${bind(`%${filter.q.replace(/[\\%_]/g, '\\$&')}%`)}`);
    if (after) {
      where.push(`(family_name, given_name, id) > (${bind(after.familyName)}, ${bind(after.givenName)}, ${bind(after.id)}::uuid)`);
    }
    const matches = `SELECT ${COLUMNS} FROM students ${where.length ? `WHERE ${where.join(' AND ')}` : ''}`;
    // A text search's matches are found through students_search_idx, then sorted. Left to choose, the
    // planner may walk students_name_idx in name order filtering every row until the page fills, which
    // reads most of the table when matches are rare or late in the alphabet ("smith", state-wide).
    // Shorter text has no trigram to look up: the walk, which stops at a page of matches, is the better bet.
    const text =
      filter.q && filter.q.length >= TRIGRAM_MIN
        ? `WITH matches AS MATERIALIZED (${matches}) SELECT * FROM matches ORDER BY "familyName", "givenName", id`
        : `${matches} ORDER BY family_name, given_name, id`;
    const result = await sql<StudentRow>(this.db.manager, `${text} LIMIT ${bind(limit)}`, params);
    return result.rows;
  }

  /** Fields left out take their database defaults; enrolledOn, the district's today. */
  async insert(em: EntityManager, student: StudentChanges & { districtId: string }): Promise<StudentRow> {
    const fields = sent(student);
    const columns = ['district_id', ...fields.map((f) => WRITABLE[f])];
    const values = [student.districtId, ...fields.map((f) => student[f])];
    const placeholders = values.map((_, i) => `$${i + 1}`);
    if (student.enrolledOn === undefined) {
      columns.push('enrolled_on');
      placeholders.push(DISTRICT_TODAY_SQL('$1::uuid'));
    }
    const row = await one<StudentRow>(
      em,
      `INSERT INTO students (${columns.join(', ')}) VALUES (${placeholders.join(', ')}) RETURNING ${COLUMNS}`,
      values,
    );
    return row!;
  }

  /**
   * Writes only the fields that were sent. A withdrawn student made active again is expected from the
   * district's today (unless the change names another enrolledOn): their gap count starts again.
   */
  async update(em: EntityManager, id: string, changes: StudentChanges): Promise<StudentRow> {
    const fields = sent(changes);
    const assignments = fields.map((f, i) => `${WRITABLE[f]} = $${i + 2}`);
    if (changes.enrollmentStatus === 'active' && changes.enrolledOn === undefined) {
      assignments.push(
        `enrolled_on = CASE WHEN enrollment_status = 'withdrawn' THEN ${DISTRICT_TODAY_SQL('students.district_id')} ELSE enrolled_on END`,
      );
    }
    const row = await one<StudentRow>(
      em,
      `UPDATE students SET ${[...assignments, 'updated_at = now()'].join(', ')} WHERE id = $1 RETURNING ${COLUMNS}`,
      [id, ...fields.map((f) => changes[f])],
    );
    return row!;
  }
}
