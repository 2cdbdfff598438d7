import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Advisory lock class of the reference from login_events to students (BulkLoad1764000600000). */
const LOGIN_EVENTS_STUDENTS_LOCK = 727_004;

/** The setting login_events_lock_for_resolved_insert sets and the insert's statement trigger takes back. */
const RESOLVED = `'reconnect.login_events_resolved'`;

/** The check of BulkLoad1764000600000: the students of every event exist, under the district's shared lock. */
const CHECK = `        PERFORM pg_advisory_xact_lock_shared(${LOGIN_EVENTS_STUDENTS_LOCK}, h) FROM (SELECT DISTINCT hashtext(district_id::text) AS h FROM added ORDER BY 1) d;
        IF EXISTS (SELECT 1 FROM added a WHERE NOT EXISTS (SELECT 1 FROM students s WHERE s.district_id = a.district_id AND s.id = a.student_id)) THEN
          RAISE foreign_key_violation USING CONSTRAINT = 'login_events_student_fkey', TABLE = 'login_events',
            MESSAGE = 'a login event names no student of its district';
        END IF;`;

/**
 * The login import's insert finds each event's student in students, in the same statement; the statement
 * trigger then probed students again for every event, at random (a 20,000-event batch of a district of
 * 500,000: 94–174 ms, bench/RESULTS.md). login_events_lock_for_resolved_insert(district) takes the
 * district's lock, shared, before that statement, so its snapshot already holds every deletion of a
 * student that will ever precede its commit: a later one waits for the commit and then deletes the
 * events too. Resolving is then the check. The function marks the transaction's next insert into
 * login_events as resolved so; its trigger takes the mark back and skips the probes when every event is
 * of that district. Any other insert is checked as before. 1 M events of the city's big district by the
 * import CLI: PostgreSQL's CPU 15.4 → 13.7 s (medians of 3 alternated runs).
 */
export class LoginEventsResolvedInsert1764004600000 implements MigrationInterface {
  name = 'LoginEventsResolvedInsert1764004600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION login_events_lock_for_resolved_insert(district uuid) RETURNS void LANGUAGE sql AS $$
        SELECT pg_advisory_xact_lock_shared(${LOGIN_EVENTS_STUDENTS_LOCK}, hashtext(district::text));
        SELECT set_config(${RESOLVED}, district::text, true);
      $$`);
    await q.query(`
      CREATE OR REPLACE FUNCTION login_events_students_exist() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        resolved text := current_setting(${RESOLVED}, true);
      BEGIN
        IF resolved <> '' THEN
          PERFORM set_config(${RESOLVED}, '', true);
          IF NOT EXISTS (SELECT 1 FROM added WHERE district_id <> resolved::uuid) THEN
            RETURN NULL;
          END IF;
        END IF;
${CHECK}
        RETURN NULL;
      END $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE OR REPLACE FUNCTION login_events_students_exist() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
${CHECK}
        RETURN NULL;
      END $$`);
    await q.query(`DROP FUNCTION login_events_lock_for_resolved_insert(uuid)`);
  }
}
