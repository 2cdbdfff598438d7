import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { q, run } from '../database/sql.js';
import type { Condition, DeviceKind, DeviceStatus } from '../devices/device.domain.js';
import type { EnrollmentStatus } from '../students/student.domain.js';
import type { AssignmentKind } from './custody.domain.js';

export interface ScannedStudent {
  id: string;
  districtId: string;
  schoolId: string;
  sourcedId: string;
  identifier: string | null;
  givenName: string;
  familyName: string;
  grade: string | null;
  enrollmentStatus: EnrollmentStatus;
}

export interface ScannedDevice {
  id: string;
  districtId: string;
  schoolId: string | null;
  kind: DeviceKind;
  assetTag: string | null;
  serialNumber: string;
  model: string | null;
  status: DeviceStatus;
  condition: Condition;
  holder: {
    assignmentId: string;
    studentId: string;
    schoolId: string;
    givenName: string;
    familyName: string;
    identifier: string | null;
    kind: AssignmentKind;
    startedAt: Date;
  } | null;
}

/** At most this many records answer one code: a scanned code names one; more means the code is ambiguous. */
const MAX_MATCHES = 5;

/**
 * What a scanned code names, in one statement: students by identifier or sourcedId (exact, as student
 * cards print them), devices by asset tag or serial number (any case, the lower() indexes), each device
 * with its current holder, and, when neither matches, whether another district has the tag. One round
 * trip per scan: the station's lookups run during imports, when every round trip waits its turn (issue #17).
 */
@Injectable()
export class ScanLookupRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * `homeDistrictId`: the caller's own district, for the other-district probe (null: no probe, a
   * state-wide caller). The probe is one index probe per district (the lower() indexes lead with
   * district_id), so it stays fast however many devices the state holds; CASE runs it only on no match.
   */
  async find(
    districtId: string | null,
    schoolIds: string[] | null,
    homeDistrictId: string | null,
    code: string,
  ): Promise<{ students: ScannedStudent[]; devices: ScannedDevice[]; otherDistrict: boolean }> {
    const result = await run<{
      students: ScannedStudent[];
      devices: (Omit<ScannedDevice, 'holder'> & { holder: (ScannedDevice['holder'] & { startedAt: string }) | null })[];
      otherDistrict: boolean;
    }>(
      this.db.manager,
      q`WITH st AS (
          SELECT s.id, s.district_id AS "districtId", s.school_id AS "schoolId", s.sourced_id AS "sourcedId", s.identifier,
                s.given_name AS "givenName", s.family_name AS "familyName", s.grade, s.enrollment_status AS "enrollmentStatus"
          FROM students s
          WHERE (s.identifier = ${code} OR s.sourced_id = ${code})
            AND (${districtId}::uuid IS NULL OR s.district_id = ${districtId})
            AND (${schoolIds}::uuid[] IS NULL OR s.school_id = ANY(${schoolIds}::uuid[]))
          ORDER BY s.district_id, s.id LIMIT ${MAX_MATCHES}
        ), dv AS (
          SELECT d.id, d.district_id AS "districtId", d.school_id AS "schoolId", d.kind, d.asset_tag AS "assetTag",
                d.serial_number AS "serialNumber", d.model, d.status, d.condition,
                CASE WHEN h.id IS NULL THEN NULL ELSE json_build_object(
                  'assignmentId', h.id, 'studentId', h.student_id, 'schoolId', hs.school_id, 'givenName', hs.given_name,
                  'familyName', hs.family_name, 'identifier', hs.identifier, 'kind', h.kind, 'startedAt', h.started_at) END AS holder
          FROM devices d
          LEFT JOIN assignments h ON h.device_id = d.id AND h.ended_at IS NULL
          LEFT JOIN students hs ON hs.district_id = h.district_id AND hs.id = h.student_id
          WHERE (lower(d.asset_tag) = lower(${code}) OR lower(d.serial_number) = lower(${code}))
            AND (${districtId}::uuid IS NULL OR d.district_id = ${districtId})
            AND (${schoolIds}::uuid[] IS NULL OR d.school_id = ANY(${schoolIds}::uuid[]))
          ORDER BY d.district_id, d.id LIMIT ${MAX_MATCHES}
        )
        SELECT (SELECT coalesce(json_agg(st ORDER BY st."districtId", st.id), '[]') FROM st) AS students,
               (SELECT coalesce(json_agg(dv ORDER BY dv."districtId", dv.id), '[]') FROM dv) AS devices,
               CASE WHEN ${homeDistrictId}::uuid IS NULL OR EXISTS (SELECT 1 FROM st) OR EXISTS (SELECT 1 FROM dv) THEN false
                 ELSE EXISTS (
                   SELECT 1 FROM districts o
                   WHERE o.id <> ${homeDistrictId}
                     AND EXISTS (SELECT 1 FROM devices d WHERE d.district_id = o.id
                                 AND (lower(d.asset_tag) = lower(${code}) OR lower(d.serial_number) = lower(${code})))
                 ) END AS "otherDistrict"`,
    );
    const row = result.rows[0];
    return {
      students: row.students,
      devices: row.devices.map((d) => ({ ...d, holder: d.holder ? { ...d.holder, startedAt: new Date(d.holder.startedAt) } : null })),
      otherDistrict: row.otherDistrict,
    };
  }
}
