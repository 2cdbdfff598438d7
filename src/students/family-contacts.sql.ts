import { q, type SqlText } from '../database/sql.js';

/**
 * The family contacts of students, by student id: their home language and the guardians the roster
 * links to them (either side's agentSourcedIds), one row per student and guardian, in (student, family
 * name, given name) order; a student with no guardian has none. Read by the students and tickets
 * modules; only FAMILY_CONTACT_READERS may be shown them.
 */
export function guardiansOf(studentIds: string[]): SqlText {
  return q`SELECT s.id AS "studentId", g.sourced_id AS "sourcedId", g.given_name AS "givenName", g.family_name AS "familyName",
      g.relation, g.email, g.phone, g.sms
    FROM students s
    JOIN student_guardians l ON l.district_id = s.district_id AND l.student_sourced_id = s.sourced_id
    JOIN guardians g ON g.district_id = l.district_id AND g.sourced_id = l.guardian_sourced_id
    WHERE s.id = ANY(${studentIds}::uuid[])
    ORDER BY s.id, g.family_name, g.given_name, g.sourced_id`;
}
