import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { DEFAULT_PAGE_SIZE } from '../common/http/pagination.js';
import { GENERIC_PLANS } from '../database/database-options.js';
import { countText, isoText, one, prepared, run, sql } from '../database/sql.js';
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

/** A student as the API shows it, timestamps as its text (isoText): no Date made per value. */
const COLUMNS = `id, district_id AS "districtId", school_id AS "schoolId", sourced_id AS "sourcedId", identifier,
  given_name AS "givenName", family_name AS "familyName", grade, email, learning_model AS "learningModel",
  home_internet AS "homeInternet", enrollment_status AS "enrollmentStatus", ${isoText('last_login_at')} AS "lastLoginAt",
  to_char(enrolled_on, 'YYYY-MM-DD') AS "enrolledOn", home_language AS "homeLanguage", ${isoText('created_at')} AS "createdAt",
  ${isoText('updated_at')} AS "updatedAt", version`;

export const escapeLike = (text: string): string => text.replace(/[\\%_]/g, '\\$&');

/**
 * Exactly the expression students_search_idx indexes, so the trigram index can serve ILIKE on it. The e-mail's
 * local part only (migration SearchLocalPart): a district's students share one domain, whose trigrams cost
 * every import about 3 s at 500,000 students and find everyone. Text with an '@' is matched on the e-mail itself
 * (`textInside`).
 */
export const SEARCH_TEXT = `(given_name || ' ' || family_name || ' ' || coalesce(identifier, '') || ' ' || coalesce(split_part(email, '@', 1), ''))`;

/** `expression ILIKE pattern`: one condition of a text search. */
export interface TextCondition {
  expression: string;
  pattern: string;
}

/**
 * Conditions, all to hold, for `text` inside a student's name, identifier or e-mail. Text holding an '@' must be
 * inside the e-mail; the trigram index finds the students whose local part ends with what precedes the '@' (the
 * local part ends SEARCH_TEXT), and a text starting with '@' (a domain: most of a district) reads the district.
 */
export function textInside(text: string): TextCondition[] {
  const at = text.indexOf('@');
  if (at < 0) return [{ expression: SEARCH_TEXT, pattern: `%${escapeLike(text)}%` }];
  const local = text.slice(0, at);
  return [
    ...(local ? [{ expression: SEARCH_TEXT, pattern: `%${escapeLike(local)}` }] : []),
    { expression: 'email', pattern: `%${escapeLike(text)}%` },
  ];
}

/** The text `textInside(text)` looks in, for a check on rows already found (no index). */
export const textHaystack = (text: string): string => (text.includes('@') ? `coalesce(email, '')` : SEARCH_TEXT);

/** Exactly the expressions of the "C"-collated prefix indexes (migration SearchPrefixes): LIKE 'abc%' is a range of them. */
export const FAMILY = `(lower(family_name) COLLATE "C")`;
export const GIVEN = `(lower(given_name) COLLATE "C")`;

/**
 * The least text above every text that starts with `prefix`, in "C" order (code point order, as UTF-8
 * bytes compare): the prefix with its last code point made one greater (PostgreSQL's make_greater_string).
 * Null when there is none (only U+10FFFF).
 */
export function pastPrefix(prefix: string): string | null {
  const points = [...prefix];
  while (points.length) {
    const last = points.pop()!.codePointAt(0)!;
    if (last < 0x10ffff) return points.join('') + String.fromCodePoint(last === 0xd7ff ? 0xe000 : last + 1);
  }
  return null;
}

/** The shortest text students_search_idx can find: pg_trgm looks up a pattern by its three-letter pieces. */
const TRIGRAM_MIN = 3;

/** A text search's sort key: its tier, then the tier's two texts, district and id. */
export interface StudentSearchKey {
  tier: number;
  a: string;
  b: string;
  districtId: string;
  id: string;
}

export type StudentSearchRow = StudentRow & { tier: number; keyA: string; keyB: string };

/** What a text search's statements are written from (see StudentsRepository.search). */
interface SearchPieces {
  tier: (tier: number, a: string, b: string, match: string[], order: boolean) => string;
  exact: () => string;
  family: () => string;
  given: () => string;
  range: (key: string, next: string) => string[];
  bind: (value: unknown) => string;
}

/** The filters other than the text, as SQL conditions. */
/** Where a students list page ends: the page's last row's key in list order. */
export interface StudentListKey {
  districtId: string;
  familyName: string;
  givenName: string;
  id: string;
}

function conditions(filter: StudentFilter, bind: (value: unknown) => string): string[] {
  const where: string[] = [];
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
  return where;
}

function sent(changes: StudentChanges): (keyof StudentChanges)[] {
  return (Object.keys(WRITABLE) as (keyof StudentChanges)[]).filter((field) => changes[field] !== undefined);
}

@Injectable()
export class StudentsRepository {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @InjectDataSource(GENERIC_PLANS) private readonly genericPlans: DataSource,
  ) {}

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

  /**
   * Ordered by (district_id, family_name, given_name, id), the order of students_list_idx, for every caller: a
   * district's students by name, and a state-wide list one district after another. A state-wide order by name
   * alone needed an index of its own, which cost every roster import seconds (StudentsListByDistrict1764004500000).
   */
  async list(filter: StudentFilter, after: StudentListKey | null, limit: number): Promise<StudentRow[]> {
    const params: unknown[] = [];
    const bind = (value: unknown): string => `$${params.push(value)}`;
    const where = conditions(filter, bind);
    if (after) {
      where.push(
        `(district_id, family_name, given_name, id) > (${bind(after.districtId)}::uuid, ${bind(after.familyName)}, ${bind(after.givenName)}, ${bind(after.id)}::uuid)`,
      );
    }
    const result = await sql<StudentRow>(
      this.db.manager,
      `SELECT ${COLUMNS} FROM students ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY district_id, family_name, given_name, id LIMIT ${bind(limit)}`,
      params,
    );
    return result.rows;
  }

  /**
   * A text search, in four tiers each read in the order of an index so a page reads about a page:
   * 0. the text is the student's sourcedId, identifier or email (a scanned card): lookup probes;
   * 1. a family name starts with it, 2. else a given name does: ranges of the "C"-collated prefix
   *    indexes in their own order, each stopped after `limit` rows;
   * 3. else it is inside the name, identifier or email (the trigram index, `textInside`), read only when the tiers
   *    before it found fewer than `limit` from the cursor on, and only for text of 3+ characters.
   * Tier 3 sorts all of its matches: a common text found only inside names ("opez") costs its matches.
   * Tiers 0–2 are one statement, tier 3 a second one when they fell short. The first, at the default page
   * size with no filter but a district, is prepared on the connections that always run its generic plan
   * (GENERIC_PLANS): PostgreSQL would plan it for its values on every run (0.4–0.6 ms, as long as the run),
   * as its generic plan, expecting a page from tier 2 too, is costed above the custom ones. That plan must
   * then be right for every text and district: a prefix's range ends with a row comparison, which
   * PostgreSQL estimates as any inequality (a third of the rows), not as a range (0.5 %), so the plan reads
   * the first rows of the range in the index's order. Estimated as a range, a district's generic plan
   * expected 15 of 40,000 and bitmap-read and sorted all 1,092 of a common name (27 ms instead of 0.7).
   * With any other filter the first statement is planned for its values, with the range as a range: a
   * filter the plan cannot see (a school) may hold few of a name, and the filter's own index then wins.
   * The second is planned for its values, since a generic plan would intersect the trigram matches with a
   * whole large district's index.
   */
  async search(filter: StudentFilter, text: string, after: StudentSearchKey | null, limit: number): Promise<StudentSearchRow[]> {
    const from = after?.tier ?? 0;
    const lower = text.toLowerCase();
    const past = pastPrefix(lower);
    const n = countText(limit);
    // The service asks one row more than the page.
    const generic = limit === DEFAULT_PAGE_SIZE + 1 && conditions({ ...filter, districtId: null }, () => '').length === 0;
    /** One statement's text and values: each piece binds its values the first time the text uses it. */
    const statement = (body: (piece: SearchPieces) => string): { text: string; params: unknown[] } => {
      const params: unknown[] = [];
      const bind = (value: unknown): string => `$${params.push(value)}`;
      const once = (make: () => string): (() => string) => {
        let made: string | null = null;
        return () => (made ??= make());
      };
      const where = once(() => conditions(filter, bind).join(' AND '));
      const starts = once(() => bind(`${escapeLike(lower)}%`));
      const exact = once(() => `(sourced_id = ${bind(text)} OR identifier = ${bind(text)} OR lower(email) = lower(${bind(text)}))`);
      const low = once(() => bind(lower));
      const high = once(() => (past === null ? '' : bind(past)));
      /** Tier `tier`'s rows after the cursor, `a` and `b` its sort key before (district_id, id). */
      const tier = (tier: number, a: string, b: string, match: string[], order: boolean): string => {
        const keyset =
          after && tier === from
            ? [
                `(${a}, ${b}, district_id, id) > (${bind(after.a)}, ${bind(after.b)}, ${bind(after.districtId)}::uuid, ${bind(after.id)}::uuid)`,
              ]
            : [];
        const all = [where(), ...match, ...keyset].filter((condition) => condition !== '');
        return `SELECT ${COLUMNS}, ${tier} AS tier, ${a} AS "keyA", ${b} AS "keyB" FROM students
          WHERE ${all.join(' AND ')}${order ? ` ORDER BY ${a}, ${b}, district_id, id LIMIT ${n}` : ''}`;
      };
      // Tiers 1 and 2 find the prefix as the range it is ("C" order), not as LIKE: a generic plan cannot
      // take the range from a LIKE parameter, and, taking the LIKE for a rare text, would sort the whole range.
      // For a generic plan the range ends with a row comparison (the same rows, as no name sorts below ''),
      // see above.
      const range = (key: string, next: string): string[] => [
        `${key} >= ${low()}`,
        ...(past === null ? [] : [generic ? `(${key}, ${next}) < (${high()}, '')` : `${key} < ${high()}`]),
      ];
      const sqlText = body({
        tier,
        exact,
        family: () => `${FAMILY} LIKE ${starts()}`,
        given: () => `${GIVEN} LIKE ${starts()}`,
        range,
        bind,
      });
      return { text: sqlText, params };
    };
    const order = (count: number): string =>
      `ORDER BY tier, "keyA" COLLATE "C", "keyB" COLLATE "C", "districtId", id LIMIT ${countText(count)}`;
    let hits: StudentSearchRow[] = [];
    if (from <= 2) {
      const first = statement(({ tier, exact, family, range }) => {
        const none = `''::text COLLATE "C"`;
        const branches = [
          // No LIMIT on the probes (a few rows at most): under one the planner may walk (district_id, id) instead.
          from <= 0 ? tier(0, none, none, [exact()], false) : null,
          from <= 1 ? tier(1, FAMILY, GIVEN, [...range(FAMILY, GIVEN), `${exact()} IS NOT TRUE`], true) : null,
          tier(2, GIVEN, FAMILY, [...range(GIVEN, FAMILY), `NOT (${family()})`, `${exact()} IS NOT TRUE`], true),
        ].filter((branch): branch is string => branch !== null);
        // Materialised, as each branch's plan is its own: under the outer ORDER BY the planner may merge
        // them in that order, walking (district_id, id) for tier 0.
        return `WITH quick AS MATERIALIZED (${branches.map((branch) => `(${branch})`).join(' UNION ALL ')}) SELECT * FROM quick ${order(limit)}`;
      });
      hits = (
        generic
          ? await prepared<StudentSearchRow>(this.genericPlans.manager, first.text, first.params)
          : await sql<StudentSearchRow>(this.db.manager, first.text, first.params)
      ).rows;
    }
    // Tier 3 comes after every row of tiers 0–2, so its rows only follow theirs.
    if (hits.length >= limit || text.length < TRIGRAM_MIN) return hits;
    const rest = statement(({ tier, exact, family, given, bind }) => {
      const inside = tier(
        3,
        FAMILY,
        GIVEN,
        [
          ...textInside(text).map(({ expression, pattern }) => `${expression} ILIKE ${bind(pattern)}`),
          `NOT (${family()})`,
          `NOT (${given()})`,
          `${exact()} IS NOT TRUE`,
        ],
        false,
      );
      // Materialised, so the trigram index finds the matches: left to choose, the planner may walk a name
      // index filtering every row until a page fills, most of the table for a rare text.
      return `WITH slow AS MATERIALIZED (${inside}) SELECT * FROM slow ${order(limit - hits.length)}`;
    });
    return [...hits, ...(await sql<StudentSearchRow>(this.db.manager, rest.text, rest.params)).rows];
  }

  /** Whether the district exists (read-only; the districts module owns them): to name what an insert's keys refused. */
  async districtExists(id: string): Promise<boolean> {
    return (await one(this.db.manager, `SELECT 1 FROM districts WHERE id = $1`, [id])) !== null;
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
