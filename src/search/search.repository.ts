import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { join, prepared, q, raw, run, type SqlText } from '../database/sql.js';
import type { DeviceKind, DeviceStatus } from '../devices/device.domain.js';
import type { EnrollmentStatus } from '../students/student.domain.js';
import { textHaystack, textInside } from '../students/students.repository.js';

/** Exactly the expression devices_search_idx indexes, so the trigram index serves ILIKE on it. */
const DEVICE_TEXT = `(coalesce(d.asset_tag, '') || ' ' || d.serial_number)`;

/** Trigram indexes answer a pattern of three characters or more; shorter ones are looked up exactly only. */
export const MIN_PARTIAL = 3;

export interface SearchScope {
  /** null: every district (a state token). */
  districtId: string | null;
  /** A school-scoped caller's schools; null: no such limit. */
  schoolIds: string[] | null;
}

export interface StudentHitRow {
  id: string;
  districtId: string;
  schoolId: string;
  sourcedId: string;
  identifier: string | null;
  givenName: string;
  familyName: string;
  grade: string | null;
  enrollmentStatus: EnrollmentStatus;
  exact: boolean;
}

export interface DeviceHitRow {
  id: string;
  districtId: string;
  schoolId: string | null;
  kind: DeviceKind;
  assetTag: string | null;
  serialNumber: string;
  model: string | null;
  status: DeviceStatus;
  exact: boolean;
}

/** The words of three letters or more: those the trigram and prefix branches look for. */
const partialWords = (text: string): string[] => text.split(/\s+/).filter((word) => word.length >= MIN_PARTIAL);

const escaped = (text: string): string => text.replace(/[\\%_]/g, '\\$&');
const contains = (text: string): string => `%${escaped(text)}%`;

/**
 * `column` starts with `text` (any case), written as the index range it is: the statements run prepared, and
 * a generic plan finds no range in a LIKE whose pattern is a parameter. U+10FFFF sorts after every other
 * character under "C", so the range holds every value that starts with the text (but one whose next
 * character is that noncharacter). No LIKE beside it: its default selectivity made the generic plan expect
 * a handful of rows and fetch a common name's every row to sort them.
 */
const startsRange = (column: string, text: string): SqlText =>
  q`${raw(column)} >= lower(${text}) AND ${raw(column)} < lower(${text}) || chr(1114111)`;

const STUDENT_COLUMNS = raw(`id, district_id AS "districtId", school_id AS "schoolId", sourced_id AS "sourcedId", identifier,
  given_name AS "givenName", family_name AS "familyName", grade, enrollment_status AS "enrollmentStatus"`);
const DEVICE_COLUMNS = raw(`d.id, d.district_id AS "districtId", d.school_id AS "schoolId", d.kind, d.asset_tag AS "assetTag",
  d.serial_number AS "serialNumber", d.model, d.status`);

/** Exactly the expressions of the "C"-collated prefix indexes (migration SearchPrefixes). */
const FAMILY = `lower(family_name) COLLATE "C"`;
const GIVEN = `lower(given_name) COLLATE "C"`;
const TAG = `lower(d.asset_tag) COLLATE "C"`;
const SERIAL = `lower(d.serial_number) COLLATE "C"`;

/**
 * The search box's two statements, each built from branches that read no more than a page:
 * - exact ids (sourcedId, identifier, email; asset tag, serial, IMEI): probes of their lookup indexes,
 *   with no LIMIT (a few rows at most): under one the planner prices a scan stopped early as cheaper;
 * - prefixes (a typed name starts a family or given name; a partial label starts a tag or serial): a
 *   range of a btree index in its own order, stopped after `limit` rows;
 * - substrings (trigram indexes) only when those found fewer than `limit` and the text is no scanned
 *   label: a common term's trigrams match a large share of the district, so this branch takes any
 *   `limit` matches rather than sorting them all.
 * Exact matches sort first (a scanned tag or card lands on its record), then the page's order.
 * `slow: false` leaves the substring branch out (SearchRepository runs it only when it can add rows).
 */
export function studentSearch(scope: SearchScope, text: string, limit: number, slow = true): SqlText {
  const inScope = scoped(scope, 'district_id', 'school_id');
  const exact = q`(sourced_id = ${text} OR identifier = ${text} OR lower(email) = lower(${text}))`;
  // Every word of three letters or more must appear (given, family, identifier or email), in any order.
  const words = partialWords(text);
  const everyWord = join(
    words.flatMap((word) => textInside(word).map(({ expression, pattern }) => q`${raw(expression)} ILIKE ${pattern}`)),
    ' AND ',
  );
  // The longest word is the likeliest to be a whole name and picks the shortest range of the index; a word
  // with an '@' is part of an e-mail, which starts no name.
  const names = words.filter((word) => !word.includes('@'));
  const driver = (names.length ? names : words).reduce((longest, word) => (word.length > longest.length ? word : longest), '');
  // The range implies the driver; the other words are checked on the range's rows, in a form no index
  // serves: as ILIKE the planner would AND the trigram index with the range and fetch a common name's
  // every row (12,000 for "Chen" in the city shape) to sort them.
  const others = words.filter((_, i) => i !== words.indexOf(driver));
  const onRow = join([raw('true'), ...others.map((word) => q`strpos(lower(${raw(textHaystack(word))}), lower(${word})) > 0`)], ' AND ');
  const prefix = (first: string, second: string): SqlText =>
    q`(SELECT ${STUDENT_COLUMNS}, false AS exact FROM students
        WHERE ${inScope} AND ${startsRange(first, driver)} AND ${onRow}
        ORDER BY ${raw(first)}, ${raw(second)}, district_id, id LIMIT ${limit})`;
  const partial = words.length ? q`UNION ALL ${prefix(FAMILY, GIVEN)} UNION ALL ${prefix(GIVEN, FAMILY)}` : raw('');
  const substring =
    words.length && slow
      ? q`SELECT ${STUDENT_COLUMNS}, false AS exact FROM students
          WHERE ${inScope} AND ${everyWord} AND (SELECT count(*) FROM quick) < ${limit} AND NOT ${deviceLabelIn(scope, text)}
          LIMIT ${limit}`
      : q`SELECT ${STUDENT_COLUMNS}, false AS exact FROM students WHERE false`;
  return q`WITH quick AS (
      (SELECT ${STUDENT_COLUMNS}, true AS exact FROM students WHERE ${inScope} AND ${exact})
      ${partial}
    ), slow AS (${substring})
    SELECT * FROM (
      SELECT DISTINCT ON (id) * FROM (SELECT * FROM quick UNION ALL SELECT * FROM slow) hits ORDER BY id, exact DESC
    ) hits
    ORDER BY exact DESC, "familyName", "givenName", id
    LIMIT ${limit}`;
}

export function deviceSearch(scope: SearchScope, text: string, limit: number, slow = true): SqlText {
  const inScope = scoped(scope, 'd.district_id', 'd.school_id');
  const prefix = (column: string): SqlText =>
    q`(SELECT ${DEVICE_COLUMNS}, false AS exact FROM devices d
        WHERE ${inScope} AND ${startsRange(column, text)}
        ORDER BY ${raw(column)}, d.district_id, d.id LIMIT ${limit})`;
  const partial = text.length >= MIN_PARTIAL ? q`UNION ALL ${prefix(TAG)} UNION ALL ${prefix(SERIAL)}` : raw('');
  const substring =
    slow && substringOfLabel(text)
      ? q`SELECT ${DEVICE_COLUMNS}, false AS exact FROM devices d
          WHERE ${inScope} AND ${raw(DEVICE_TEXT)} ILIKE ${contains(text)}
            AND NOT EXISTS (SELECT FROM quick WHERE exact) AND (SELECT count(*) FROM quick) < ${limit}
          LIMIT ${limit}`
      : q`SELECT ${DEVICE_COLUMNS}, false AS exact FROM devices d WHERE false`;
  return q`WITH quick AS (
      (SELECT ${DEVICE_COLUMNS}, true AS exact FROM devices d WHERE ${inScope} AND ${deviceLabel(text)})
      ${partial}
    ), slow AS (${substring})
    SELECT * FROM (
      SELECT DISTINCT ON (id) * FROM (SELECT * FROM quick UNION ALL SELECT * FROM slow) hits ORDER BY id, exact DESC
    ) hits
    ORDER BY exact DESC, "assetTag" NULLS LAST, id
    LIMIT ${limit}`;
}

/** Tags and serials carry digits and typed names do not: a name typed skips the trigram index. */
const substringOfLabel = (text: string): boolean => text.length >= MIN_PARTIAL && /\d/.test(text);

/** Some device in scope carries the text as its label. */
function deviceLabelIn(scope: SearchScope, text: string): SqlText {
  return q`EXISTS (SELECT FROM devices d WHERE ${scoped(scope, 'd.district_id', 'd.school_id')} AND ${deviceLabel(text)})`;
}

/** The text is a device's asset tag, serial number (any case) or IMEI: a scanned label. */
function deviceLabel(text: string): SqlText {
  return q`(lower(d.asset_tag) = lower(${text}) OR lower(d.serial_number) = lower(${text}) OR d.imei = ${text})`;
}

@Injectable()
export class SearchRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * The exact and prefix branches first, as a prepared statement: parsed once per connection, and with no
   * substring branch to plan. Only when they found fewer than `limit` and the text is no scanned label is
   * the whole statement run, planned for its text: one plan cannot serve both a common substring (a scan
   * stopped early) and a rare one (the trigram index).
   */
  async students(scope: SearchScope, text: string, limit: number): Promise<StudentHitRow[]> {
    const quick = await this.prepared<StudentHitRow>(studentSearch(scope, text, limit, false));
    if (quick.length >= limit || !partialWords(text).length) return quick;
    const [label] = await this.prepared<{ found: boolean }>(q`SELECT ${deviceLabelIn(scope, text)} AS found`);
    if (label?.found) return quick;
    return this.planned<StudentHitRow>(studentSearch(scope, text, limit));
  }

  async devices(scope: SearchScope, text: string, limit: number): Promise<DeviceHitRow[]> {
    const quick = await this.prepared<DeviceHitRow>(deviceSearch(scope, text, limit, false));
    if (quick.length >= limit || !substringOfLabel(text) || quick.some((row) => row.exact)) return quick;
    return this.planned<DeviceHitRow>(deviceSearch(scope, text, limit));
  }

  /** As a prepared statement: named after its text, so one per shape (the number of words, the branches). */
  private async prepared<T>(statement: SqlText): Promise<T[]> {
    const { text, values } = statement.render();
    return (await prepared<T>(this.db.manager, text, values)).rows;
  }

  private async planned<T>(statement: SqlText): Promise<T[]> {
    return (await run<T>(this.db.manager, statement)).rows;
  }
}

function scoped(scope: SearchScope, districtColumn: string, schoolColumn: string): SqlText {
  const parts: SqlText[] = [raw('true')];
  if (scope.districtId) parts.push(q`${raw(districtColumn)} = ${scope.districtId}`);
  if (scope.schoolIds) parts.push(q`${raw(schoolColumn)} = ANY(${scope.schoolIds}::uuid[])`);
  return join(parts, ' AND ');
}
