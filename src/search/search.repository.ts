import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { join, q, raw, run, type SqlText } from '../database/sql.js';
import type { DeviceKind, DeviceStatus } from '../devices/device.domain.js';
import type { EnrollmentStatus } from '../students/student.domain.js';
import { SEARCH_TEXT as STUDENT_TEXT } from '../students/students.repository.js';

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

const contains = (text: string): string => `%${text.replace(/[\\%_]/g, '\\$&')}%`;

/**
 * The search box's two lookups. Each is one statement whose branches are index probes: exact ids
 * (sourcedId, identifier, email; asset tag, serial, IMEI) on the district's btree indexes, partial text
 * on the trigram indexes. Exact matches sort first: a scanned tag or card lands on its record.
 */
@Injectable()
export class SearchRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async students(scope: SearchScope, text: string, limit: number): Promise<StudentHitRow[]> {
    const exact = q`(sourced_id = ${text} OR identifier = ${text} OR lower(email) = lower(${text}))`;
    // Every word of three letters or more must appear (given, family, identifier or email), in any order.
    const words = text.split(/\s+/).filter((word) => word.length >= MIN_PARTIAL);
    const partial = words.length
      ? join(
          words.map((word) => q`${raw(STUDENT_TEXT)} ILIKE ${contains(word)}`),
          ' AND ',
        )
      : raw('false');
    const result = await run<StudentHitRow>(
      this.db.manager,
      q`SELECT id, district_id AS "districtId", school_id AS "schoolId", sourced_id AS "sourcedId", identifier,
          given_name AS "givenName", family_name AS "familyName", grade, enrollment_status AS "enrollmentStatus",
          coalesce(${exact}, false) AS exact
        FROM students
        WHERE ${scoped(scope, 'district_id', 'school_id')} AND (${exact} OR (${partial}))
        ORDER BY exact DESC, family_name, given_name, id
        LIMIT ${limit}`,
    );
    return result.rows;
  }

  async devices(scope: SearchScope, text: string, limit: number): Promise<DeviceHitRow[]> {
    const exact = q`(lower(d.asset_tag) = lower(${text}) OR lower(d.serial_number) = lower(${text}) OR d.imei = ${text})`;
    const partial = text.length >= MIN_PARTIAL ? q`${raw(DEVICE_TEXT)} ILIKE ${contains(text)}` : raw('false');
    const result = await run<DeviceHitRow>(
      this.db.manager,
      q`SELECT d.id, d.district_id AS "districtId", d.school_id AS "schoolId", d.kind, d.asset_tag AS "assetTag",
          d.serial_number AS "serialNumber", d.model, d.status, coalesce(${exact}, false) AS exact
        FROM devices d
        WHERE ${scoped(scope, 'd.district_id', 'd.school_id')} AND (${exact} OR ${partial})
        ORDER BY exact DESC, d.asset_tag NULLS LAST, d.id
        LIMIT ${limit}`,
    );
    return result.rows;
  }
}

function scoped(scope: SearchScope, districtColumn: string, schoolColumn: string): SqlText {
  const parts: SqlText[] = [raw('true')];
  if (scope.districtId) parts.push(q`${raw(districtColumn)} = ${scope.districtId}`);
  if (scope.schoolIds) parts.push(q`${raw(schoolColumn)} = ANY(${scope.schoolIds}::uuid[])`);
  return join(parts, ' AND ');
}
