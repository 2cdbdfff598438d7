import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Advisory lock class of the reference from login_events to students, one lock per district. */
const LOGIN_EVENTS_STUDENTS_LOCK = 727_004;

/**
 * What loading a state's rosters and login activity at the benchmark's rate needs of the schema
 * (bench/RESULTS.md has the measurements behind each change):
 * - login_events refers to its student through statement triggers instead of a foreign key;
 * - its success index leads with the district, so a district's import touches its own part of it;
 * - students' sourcedId key carries the id, so resolving an event's student reads the index only;
 * - students keep free space in their pages, so moving last_login_at is a same-page (HOT) update;
 * - an import's created rows are audited as one row per batch naming them all (audit_events.entity_ids).
 */
export class BulkLoad1764000600000 implements MigrationInterface {
  name = 'BulkLoad1764000600000';

  async up(q: QueryRunner): Promise<void> {
    // A foreign key checks and share-locks the student once per event: the lock dirties the student's
    // page, and the check was 130-175 ms of a 20,000-event batch. These triggers check a whole
    // statement with one join. Inserts hold the district's advisory lock shared until they commit;
    // deleting a student, or changing its key, takes it exclusively. So a deletion waits for the inserts
    // in flight and then removes their events too, and an insert that waited for a deletion finds the
    // student gone and fails: what the foreign key's row locks gave, with ON DELETE CASCADE.
    await q.query(`ALTER TABLE login_events DROP CONSTRAINT login_events_student_fkey`);
    await q.query(`
      CREATE FUNCTION login_events_students_exist() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_advisory_xact_lock_shared(${LOGIN_EVENTS_STUDENTS_LOCK}, h) FROM (SELECT DISTINCT hashtext(district_id::text) AS h FROM added ORDER BY 1) d;
        IF EXISTS (SELECT 1 FROM added a WHERE NOT EXISTS (SELECT 1 FROM students s WHERE s.district_id = a.district_id AND s.id = a.student_id)) THEN
          RAISE foreign_key_violation USING CONSTRAINT = 'login_events_student_fkey', TABLE = 'login_events',
            MESSAGE = 'a login event names no student of its district';
        END IF;
        RETURN NULL;
      END $$`);
    for (const event of ['INSERT', 'UPDATE']) {
      await q.query(`
        CREATE TRIGGER login_events_student_${event.toLowerCase()} AFTER ${event} ON login_events
        REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION login_events_students_exist()`);
    }
    await q.query(`
      CREATE FUNCTION students_delete_login_events() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_advisory_xact_lock(${LOGIN_EVENTS_STUDENTS_LOCK}, h) FROM (SELECT DISTINCT hashtext(district_id::text) AS h FROM gone ORDER BY 1) d;
        DELETE FROM login_events e USING gone g WHERE e.district_id = g.district_id AND e.student_id = g.id;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER students_login_events_delete AFTER DELETE ON students
      REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION students_delete_login_events()`);
    // A student's key never changes, nor is the table emptied, while events name it.
    await q.query(`
      CREATE FUNCTION students_keep_login_events() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'TRUNCATE' THEN
          IF EXISTS (SELECT 1 FROM login_events) THEN
            RAISE foreign_key_violation USING CONSTRAINT = 'login_events_student_fkey', MESSAGE = 'login events name these students';
          END IF;
          RETURN NULL;
        END IF;
        PERFORM pg_advisory_xact_lock(${LOGIN_EVENTS_STUDENTS_LOCK}, hashtext(OLD.district_id::text));
        IF EXISTS (SELECT 1 FROM login_events WHERE district_id = OLD.district_id AND student_id = OLD.id) THEN
          RAISE foreign_key_violation USING CONSTRAINT = 'login_events_student_fkey', MESSAGE = 'login events name this student';
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(`
      CREATE TRIGGER students_login_events_key BEFORE UPDATE OF id, district_id ON students
      FOR EACH ROW WHEN (OLD.id IS DISTINCT FROM NEW.id OR OLD.district_id IS DISTINCT FROM NEW.district_id)
      EXECUTE FUNCTION students_keep_login_events()`);
    await q.query(`
      CREATE TRIGGER students_login_events_truncate BEFORE TRUNCATE ON students
      FOR EACH STATEMENT EXECUTE FUNCTION students_keep_login_events()`);

    // Student ids are random: led by the student, a district's batch wrote all over an index larger than
    // memory. Led by the district, it writes to the district's part only. Readers name the district.
    await q.query(`DROP INDEX login_events_success_idx`);
    await q.query(
      `CREATE INDEX login_events_success_idx ON login_events (district_id, student_id, occurred_at) WHERE event = 'login_success'`,
    );

    // A login import finds each event's student by sourcedId: with the id in the key's index that is an
    // index-only scan, not a read of every page of the district's students per batch.
    await q.query(`
      ALTER TABLE students DROP CONSTRAINT students_district_sourced_id_key,
        ADD CONSTRAINT students_district_sourced_id_key UNIQUE (district_id, sourced_id) INCLUDE (id)`);

    // Every login import moves last_login_at of most of a district's students, in one statement. In a full
    // page that update writes the new row version to another page and into every index of students (the
    // trigram one too); with room in the page it stays there and touches no index. One statement updates
    // every row of a page, so the page needs room for a second version of each: half the page. Measured
    // on 40,000 students: 47 us an update at fillfactor 85, 5.5 us at 50; the table doubles (207 MB).
    await q.query(`ALTER TABLE students SET (fillfactor = 50)`);

    // A roster import creates up to hundreds of thousands of students. Their audit is one row per batch
    // naming them all (what they were created with is the file's line, and the student's own row or the
    // audit of its next change): one jsonb row and two index entries per student were over half the
    // import's time. GET /audit-events?entityId= finds a student in these rows too.
    await q.query(`ALTER TABLE audit_events ADD COLUMN entity_ids uuid[]`);
    await q.query(`ALTER TABLE audit_events ADD CONSTRAINT audit_events_entity_ids_check CHECK (cardinality(entity_ids) > 0)`);
    await q.query(`CREATE INDEX audit_events_entity_ids_idx ON audit_events USING gin (entity_ids) WHERE entity_ids IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX audit_events_entity_ids_idx`);
    await q.query(`ALTER TABLE audit_events DROP COLUMN entity_ids`);
    await q.query(`ALTER TABLE students RESET (fillfactor)`);
    await q.query(`
      ALTER TABLE students DROP CONSTRAINT students_district_sourced_id_key,
        ADD CONSTRAINT students_district_sourced_id_key UNIQUE (district_id, sourced_id)`);
    await q.query(`DROP INDEX login_events_success_idx`);
    await q.query(`CREATE INDEX login_events_success_idx ON login_events (student_id, occurred_at) WHERE event = 'login_success'`);
    for (const trigger of ['students_login_events_delete', 'students_login_events_key', 'students_login_events_truncate']) {
      await q.query(`DROP TRIGGER ${trigger} ON students`);
    }
    await q.query(`DROP TRIGGER login_events_student_insert ON login_events`);
    await q.query(`DROP TRIGGER login_events_student_update ON login_events`);
    await q.query(`DROP FUNCTION students_delete_login_events(), students_keep_login_events(), login_events_students_exist()`);
    await q.query(`
      ALTER TABLE login_events ADD CONSTRAINT login_events_student_fkey
      FOREIGN KEY (district_id, student_id) REFERENCES students (district_id, id) ON DELETE CASCADE`);
  }
}
